/**
 * Builders for agreement commands and events in tests. Test support only; not exported from `index.ts`.
 *
 * The standard agreement: dealer `acme` in region `north`, pumps and valves; split 85 % manufacturer, 10 % dealer,
 * 5 % sales agent `agent-li`; rebate bands 0 % from 0, 2 % from 10,000.00, 3 % from 25,000.00 (band_total); joint
 * marketing shared 60/40; settled monthly on invoice. In force 2025-01-01 to 2025-12-31.
 */
import { money } from '../shared/money';
import type { AgreementCommand } from './commands';
import type { AgreementEvent } from './events';
import type { AgreementTerms } from './terms';

export const agreementId = 'agr-1';
export const partnerId = 'acme';
export const eur = (amountMinor: number) => money(amountMinor, 'EUR');
export const effectiveFrom = '2025-01-01';
export const expiresOn = '2025-12-31';
export const drafted = '2024-12-01T09:00:00Z';
export const during = (date: string, time = '10:00:00') => `${date}T${time}Z`;

export const terms = (changes: Partial<AgreementTerms> = {}): AgreementTerms => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps', 'valves'], regions: ['north'], exclusive: true },
  responsibilities: [{ clauseId: 'R1', party: 'dealer', title: 'Stocking', text: 'The dealer keeps two weeks of demand in stock.' }],
  pricingTier: 'gold',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500 },
    { partyId: 'acme', role: 'dealer', shareBps: 1_000 },
    { partyId: 'agent-li', role: 'sales_agent', shareBps: 500 },
  ],
  rebate: {
    basis: 'band_total',
    bands: [
      { from: eur(0), rateBps: 0 },
      { from: eur(10_000_00), rateBps: 200 },
      { from: eur(25_000_00), rateBps: 300 },
    ],
  },
  jointMarketing: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 6_000 },
    { partyId: 'acme', role: 'dealer', shareBps: 4_000 },
  ],
  settlement: { basis: 'on_invoice', period: 'month' },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer; the dealer may use them to sell the products in scope.',
  breachClauses: [{ clauseId: 'B1', title: 'Late payment', text: 'Invoices paid more than 30 days late.', penalty: eur(500_00) }],
  ...changes,
});

// Commands

export const draft = (t: AgreementTerms = terms()): AgreementCommand => ({
  type: 'DraftAgreement',
  data: { agreementId, partnerId, title: 'Acme distribution 2025', terms: t, effectiveFrom, expiresOn, draftedAt: drafted },
});
export const revise = (t: AgreementTerms = terms(), dates: { effectiveFrom?: string; expiresOn?: string } = {}): AgreementCommand => ({
  type: 'ReviseAgreementTerms',
  data: { agreementId, terms: t, ...dates, revisedAt: during('2024-12-05') },
});
export const propose = (): AgreementCommand => ({ type: 'ProposeAgreement', data: { agreementId, proposedAt: during('2024-12-06') } });
export const sign = (party: 'manufacturer' | 'dealer', at = during('2024-12-10')): AgreementCommand => ({
  type: 'SignAgreement',
  data: { agreementId, party, signedBy: party === 'dealer' ? 'Mei Lin' : 'Jonas Berg', signedAt: at },
});
export const activate = (at = during(effectiveFrom, '00:00:00')): AgreementCommand => ({ type: 'ActivateAgreement', data: { agreementId, activatedAt: at } });
export const amend = (from: string, t: AgreementTerms = terms(), at = during('2025-05-20'), expires?: string): AgreementCommand => ({
  type: 'AmendAgreement',
  data: {
    agreementId,
    terms: t,
    effectiveFrom: from,
    ...(expires ? { expiresOn: expires } : {}),
    reason: 'New rebate bands',
    signedBy: { manufacturer: 'Jonas Berg', dealer: 'Mei Lin' },
    amendedAt: at,
  },
});
export const terminate = (at = during('2025-08-15'), reason = 'Repeated late payment'): AgreementCommand => ({
  type: 'TerminateAgreement',
  data: { agreementId, reason, terminatedAt: at },
});
export const expire = (at = during('2026-01-01')): AgreementCommand => ({ type: 'ExpireAgreement', data: { agreementId, expiredAt: at } });
export const breach = (occurredOn = '2025-04-10', extra: { penalty?: ReturnType<typeof eur>; clauseId?: string } = {}): AgreementCommand => ({
  type: 'RecordAgreementBreach',
  data: {
    agreementId,
    breachId: 'br-1',
    clauseId: extra.clauseId ?? 'B1',
    breachingParty: 'dealer',
    description: 'Invoice INV-7 paid 45 days late',
    occurredOn,
    ...(extra.penalty ? { penalty: extra.penalty } : {}),
    recordedAt: during('2025-04-12'),
  },
});
export const spend = (amountMinor = 1_000_01, paidBy: 'manufacturer' | 'dealer' = 'manufacturer', spentOn = '2025-03-15'): AgreementCommand => ({
  type: 'RecordJointMarketingSpend',
  data: { agreementId, spendId: 'jm-1', description: 'Trade fair booth', amount: eur(amountMinor), paidBy, spentOn, recordedAt: during(spentOn) },
});

// Events

export const draftedEvent = (t: AgreementTerms = terms()): AgreementEvent => ({
  type: 'AgreementDrafted',
  data: { agreementId, partnerId, title: 'Acme distribution 2025', terms: t, effectiveFrom, expiresOn, draftedAt: drafted },
});
export const proposed = (): AgreementEvent => ({ type: 'AgreementProposed', data: { agreementId, proposedAt: during('2024-12-06') } });
export const signed = (party: 'manufacturer' | 'dealer', fullySigned: boolean, at = during('2024-12-10')): AgreementEvent => ({
  type: 'AgreementSigned',
  data: { agreementId, partnerId, party, signedBy: party === 'dealer' ? 'Mei Lin' : 'Jonas Berg', signedAt: at, fullySigned, effectiveFrom },
});
export const activated = (at = during(effectiveFrom, '00:00:00')): AgreementEvent => ({
  type: 'AgreementActivated',
  data: { agreementId, partnerId, activatedAt: at },
});
export const amended = (version: number, from: string, t: AgreementTerms = terms(), at = during('2025-05-20'), expires = expiresOn): AgreementEvent => ({
  type: 'AgreementAmended',
  data: {
    agreementId,
    partnerId,
    version,
    terms: t,
    effectiveFrom: from,
    expiresOn: expires,
    reason: 'New rebate bands',
    signedBy: { manufacturer: 'Jonas Berg', dealer: 'Mei Lin' },
    amendedAt: at,
  },
});
export const terminated = (at = during('2025-08-15'), reason = 'Repeated late payment'): AgreementEvent => ({
  type: 'AgreementTerminated',
  data: { agreementId, partnerId, reason, terminatedAt: at },
});

// Histories

export const signedAgreement = (): AgreementEvent[] => [draftedEvent(), proposed(), signed('manufacturer', false), signed('dealer', true)];
export const activeAgreement = (): AgreementEvent[] => [...signedAgreement(), activated()];
