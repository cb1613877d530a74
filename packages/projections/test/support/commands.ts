import type { CommandResult } from '@dms/app';
import type { Actor, AgreementTerms, Message } from '@dms/domain';

/** What an accepted command returns; a refusal fails the test with its code and message. */
export const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};

/** Command contexts with ids `<prefix>-1`, `<prefix>-2`, …, as `actor` (else `byDefault`). */
export const contexts = (prefix: string, byDefault: Actor) => {
  let seq = 0;
  return (actor: Actor = byDefault) => ({ commandId: `${prefix}-${++seq}`, actor });
};

/**
 * The terms of a one-dealer agreement for the receivables tests: EUR, pumps in the north at gold prices, the manufacturer
 * keeping 90 % of the revenue and `partnerId` 10 %, no rebate, settled monthly on invoice; `terms` adds or replaces the
 * rest (its payment terms, dunning levels).
 */
export const dealerTerms = (partnerId: string, terms: Partial<AgreementTerms> & Pick<AgreementTerms, 'paymentTerms'>): AgreementTerms => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false },
  responsibilities: [],
  pricingTier: 'gold',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
  ],
  rebate: { basis: 'band_total', bands: [{ from: { amountMinor: 0, currency: 'EUR' }, rateBps: 0 }] },
  jointMarketing: [{ partyId: 'manufacturer', role: 'manufacturer', shareBps: 10_000 }],
  settlement: { basis: 'on_invoice', period: 'month' },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [],
  ...terms,
});

/**
 * The commands that take a dealer's agreement from draft to active: drafted, proposed and signed by both parties at
 * `signedAt`, activated at `activatedAt` (default: when signed).
 */
export const agreementInForce = (
  a: { agreementId: string; partnerId: string; title: string; terms: AgreementTerms; effectiveFrom: string; expiresOn: string },
  signedAt: string,
  activatedAt = signedAt,
): Message[] => [
  { type: 'DraftAgreement', data: { ...a, draftedAt: signedAt } },
  { type: 'ProposeAgreement', data: { agreementId: a.agreementId, proposedAt: signedAt } },
  ...(['manufacturer', 'dealer'] as const).map((party) => ({
    type: 'SignAgreement',
    data: { agreementId: a.agreementId, party, signedBy: party, signedAt },
  })),
  { type: 'ActivateAgreement', data: { agreementId: a.agreementId, activatedAt } },
];
