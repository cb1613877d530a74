import type { Actor, AgreementTerms, Message } from '@dms/domain';
import type { CommandBus } from '../../src/command-bus';

/** Test support for agreements, automated review and credit: a dealer with an agreement in force, and orders reviewed as the policy would. */
const admin: Actor = { id: 'anna', role: 'admin' };
const system: Actor = { id: 'policy:test', role: 'system' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
let seq = 0;
const ctx = (actor: Actor = admin) => ({ commandId: `setup-${++seq}-${Math.random().toString(36).slice(2)}`, actor });

export const standardTerms = (partnerId: string, changes: Partial<AgreementTerms> = {}): AgreementTerms => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false },
  responsibilities: [],
  pricingTier: 'gold',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
  ],
  rebate: {
    basis: 'band_total',
    bands: [
      { from: eur(0), rateBps: 0 },
      { from: eur(1_000_00), rateBps: 200 },
    ],
  },
  jointMarketing: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 5_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 5_000 },
  ],
  settlement: { basis: 'on_invoice', period: 'month' },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [],
  ...changes,
});

/** Onboards a dealer with the given credit limit and a pump at 100.00, and puts an agreement in force for it (with `terms` changed). */
export const setUpDealer = async (bus: CommandBus, partnerId: string, creditLimitMinor: number, agreement = true, terms: Partial<AgreementTerms> = {}) => {
  const ok = async (command: Message, actor: Actor = admin) => {
    const r = await bus.execute(command, ctx(actor));
    if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
    return r.right;
  };
  await bus.execute(
    {
      type: 'RegisterProduct',
      data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: '2025-01-01T00:00:00Z' },
    },
    ctx(),
  );
  await bus.execute(
    {
      type: 'RegisterProduct',
      data: { sku: 'PIPE', name: 'Pipe', category: 'pipes', unit: 'each', listPrice: eur(10_00), registeredAt: '2025-01-01T00:00:00Z' },
    },
    ctx(),
  );
  await ok({
    type: 'OnboardPartner',
    data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(creditLimitMinor), contacts: [], onboardedAt: '2025-01-01T00:00:00Z' },
  });
  if (!agreement) return;
  const agreementId = `agr-${partnerId}`;
  await ok({
    type: 'DraftAgreement',
    data: {
      agreementId,
      partnerId,
      title: 'Pumps in the north',
      terms: standardTerms(partnerId, terms),
      effectiveFrom: '2025-01-01',
      expiresOn: '2025-12-31',
      draftedAt: '2024-12-01T00:00:00Z',
    },
  });
  await ok({ type: 'ProposeAgreement', data: { agreementId, proposedAt: '2024-12-02T00:00:00Z' } });
  await ok({ type: 'SignAgreement', data: { agreementId, party: 'manufacturer', signedBy: 'M', signedAt: '2024-12-03T00:00:00Z' } });
  await ok({ type: 'SignAgreement', data: { agreementId, party: 'dealer', signedBy: 'D', signedAt: '2024-12-04T00:00:00Z' } });
  await ok({ type: 'ActivateAgreement', data: { agreementId, activatedAt: '2025-01-01T00:00:00Z' } });
};

/** Places an order and reviews it as the `order_review` policy would. */
export const placeAndReview = async (
  bus: CommandBus,
  partnerId: string,
  orderId: string,
  lines: { sku: string; quantity: number }[],
  placedAt = '2025-03-01T09:00:00Z',
) => {
  const placed = await bus.placeOrder({ orderId, partnerId, lines, placedAt }, ctx({ id: `${partnerId}.buyer`, role: 'dealer', partnerId }));
  if (placed._tag === 'Left') throw new Error(placed.left.message);
  return bus.execute(
    { type: 'ReviewOrder', data: { orderId, reviewedAt: placedAt } },
    { commandId: `order_review:${placed.right.events[0]!.eventId}:0`, actor: system },
  );
};

/**
 * Drafts, proposes and has both parties sign an agreement of `partnerId` for `scope`, ready to activate (not activated).
 * Signed before `effectiveFrom`, so the activation policy would leave it to the calendar.
 */
export const signAgreement = async (
  bus: CommandBus,
  a: { agreementId: string; partnerId: string; scope: AgreementTerms['scope']; effectiveFrom: string; expiresOn: string },
) => {
  for (const command of [
    {
      type: 'DraftAgreement',
      data: {
        agreementId: a.agreementId,
        partnerId: a.partnerId,
        title: `${a.partnerId}: ${a.scope.productCategories.join(', ')} in ${a.scope.regions.join(', ')}`,
        terms: standardTerms(a.partnerId, { scope: a.scope }),
        effectiveFrom: a.effectiveFrom,
        expiresOn: a.expiresOn,
        draftedAt: '2024-11-01T00:00:00Z',
      },
    },
    { type: 'ProposeAgreement', data: { agreementId: a.agreementId, proposedAt: '2024-11-02T00:00:00Z' } },
    { type: 'SignAgreement', data: { agreementId: a.agreementId, party: 'manufacturer', signedBy: 'M', signedAt: '2024-11-03T00:00:00Z' } },
    { type: 'SignAgreement', data: { agreementId: a.agreementId, party: 'dealer', signedBy: 'D', signedAt: '2024-11-04T00:00:00Z' } },
  ]) {
    const r = await bus.execute(command, ctx());
    if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  }
};
