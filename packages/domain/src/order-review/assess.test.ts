import { describe, expect, it } from 'vitest';
import { activeAgreement, amended, draftedEvent, terminated, terms } from '../agreements/fixtures';
import { agreementDecider } from '../agreements/index';
import { creditDecider } from '../credit/credit';
import { placed } from '../orders/fixtures';
import { orderDecider } from '../orders/index';
import type { ExistingOrder } from '../orders/state';
import type { PartnerEvent } from '../partners/events';
import { partnerDecider } from '../partners/index';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { assessOrder, type ReviewContext } from './assess';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
// The standard order (43.32 EUR of pumps and valves), placed on 2025-03-01 by acme in the north.
const order = fold(orderDecider, [placed()]) as ExistingOrder;
const onboarded: PartnerEvent = {
  type: 'PartnerOnboarded',
  data: { partnerId: 'acme', name: 'Acme', region: 'north', tier: 'gold', creditLimit: eur(100_00), contacts: [], onboardedAt: '2024-01-01T00:00:00Z' },
};
const context = (changes: Partial<ReviewContext> = {}): ReviewContext => ({
  order,
  partner: fold(partnerDecider, [onboarded]),
  agreements: [fold(agreementDecider, activeAgreement())],
  categories: new Map([
    ['pump-a', 'pumps'],
    ['valve-b', 'valves'],
  ]),
  credit: creditDecider.initialState,
  ...changes,
});
const codes = (c: ReviewContext) => assessOrder(c).reasons.map((r) => r.code);

describe('automated order review', () => {
  it('approves an order from an active dealer, covered by an agreement in force, within its credit limit', () => {
    const assessment = assessOrder(context());
    expect(assessment.reasons).toEqual([]);
    expect(assessment.coverage).toMatchObject({ covered: true, agreement: { agreementId: 'agr-1' }, version: { version: 1 } });
  });

  it('queues an order from a suspended dealer', () => {
    const partner = fold(partnerDecider, [
      onboarded,
      { type: 'PartnerSuspended', data: { partnerId: 'acme', reason: 'audit', suspendedAt: '2025-02-01T00:00:00Z' } },
    ]);
    expect(codes(context({ partner }))).toEqual(['PARTNER_NOT_ACTIVE']);
  });

  it('queues an order without an agreement in force on the order date', () => {
    expect(codes(context({ agreements: [] }))).toEqual(['NO_AGREEMENT_IN_FORCE']);
    const ended = fold(agreementDecider, [...activeAgreement(), terminated('2025-02-15T00:00:00Z')]);
    expect(codes(context({ agreements: [ended] }))).toEqual(['NO_AGREEMENT_IN_FORCE']);
  });

  it('queues an order whose products or region the agreement in force does not cover, naming the gaps', () => {
    const pumpsOnly = fold(agreementDecider, [
      ...activeAgreement(),
      amended(2, '2025-02-01', terms({ scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false } }), '2025-01-20T00:00:00Z'),
    ]);
    const assessment = assessOrder(context({ agreements: [pumpsOnly] }));
    expect(assessment.reasons).toMatchObject([
      {
        code: 'AGREEMENT_SCOPE_NOT_COVERED',
        message: 'No agreement of dealer acme covers the whole order: agreement agr-1 (v2) does not cover categories valves.',
      },
    ]);
  });

  it('queues an order that would take the dealer over its credit limit', () => {
    const credit = creditDecider.evolve(creditDecider.initialState, {
      type: 'CreditReserved',
      data: {
        partnerId: 'acme',
        orderId: 'o-0',
        amount: eur(60_00),
        orderReserved: eur(60_00),
        exposure: eur(60_00),
        limit: eur(100_00),
        overLimit: false,
        reason: 'x',
        reservedAt: '2025-02-01T00:00:00Z',
      },
    });
    const [reason] = assessOrder(context({ credit })).reasons;
    expect(reason).toMatchObject({ code: 'CREDIT_LIMIT_EXCEEDED', details: { exposureMinor: 60_00, orderMinor: 43_32, limitMinor: 100_00 } });
    expect(reason!.message).toContain('103.32 EUR, over its limit of 100.00 EUR (40.00 EUR available)');
  });

  it('lists every failed check, not only the first', () => {
    const partner = fold(partnerDecider, [
      onboarded,
      { type: 'PartnerSuspended', data: { partnerId: 'acme', reason: 'audit', suspendedAt: '2025-02-01T00:00:00Z' } },
    ]);
    expect(codes(context({ partner, agreements: [], categories: new Map() }))).toEqual(['PARTNER_NOT_ACTIVE', 'PRODUCT_NOT_FOUND', 'NO_AGREEMENT_IN_FORCE']);
  });

  it('holds an order for a person when the agreement sets a credit hold and the dealer has invoices overdue past it', () => {
    const holding = fold(agreementDecider, [draftedEvent(terms({ creditHold: { daysOverdueAbove: 30 } })), ...activeAgreement().slice(1)]);
    // The order was placed on 2025-03-01: invoice inv-old fell due on 2025-01-15, 45 days before.
    const openInvoices = [{ invoiceId: 'inv-old', orderId: 'order-old', dueOn: '2025-01-15', owed: eur(20_00) }];
    const assessment = assessOrder(context({ agreements: [holding], openInvoices }));
    expect(assessment.reasons.map((r) => r.code)).toEqual(['CREDIT_HOLD_OVERDUE']);
    expect(assessment.reasons[0]!.details).toMatchObject({ oldestDaysPastDue: 45, invoices: [{ invoiceId: 'inv-old', owedMinor: 20_00 }] });
    // Without the hold in the agreement, the same overdue invoice holds nothing.
    expect(codes(context({ openInvoices }))).toEqual([]);
  });
});
