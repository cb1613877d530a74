import { describe, expect, it } from 'vitest';
import { agreementActivationPolicy } from '../agreements/policy';
import { orderCreditPolicy } from '../credit/policy';
import type { OrderEvent } from '../orders/events';
import { approved, cancelled, creditNoteIssued, invoiced, orderId, paymentRecorded, placed, rejected } from '../orders/fixtures';
import { revenueSplitPolicy } from '../revenue-splits/policy';
import { settlementLinesPolicy } from '../settlements/policy';
import type { Message } from '../shared/decider';
import { money } from '../shared/money';
import type { Policy } from '../shared/policy';
import { orderReviewPolicy } from './policy';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const react = <E extends Message, C extends Message>(policy: Policy<E, C>, event: E): readonly C[] =>
  policy.react({ ...event, streamId: 's', streamVersion: 0, eventId: 'e' });

describe('process-manager policies', () => {
  it('order_review: every placed order is reviewed as of the moment it was placed', () => {
    expect(react(orderReviewPolicy, placed())).toEqual([{ type: 'ReviewOrder', data: { orderId, reviewedAt: '2025-03-01T09:00:00Z' } }]);
    expect(react(orderReviewPolicy, approved())).toEqual([]);
  });

  it('order_credit: approvals, rejections, cancellations, payments and credit notes re-sync the order’s credit', () => {
    const events: OrderEvent[] = [approved(), rejected(), cancelled(), paymentRecorded('p1', 10, { outstanding: 0 }), creditNoteIssued('cn1', 'r1', 5)];
    expect(events.flatMap((e) => react(orderCreditPolicy, e)).map((c) => c.data.reason)).toEqual([
      'order approved',
      'order rejected',
      'order cancelled',
      'payment p1 received',
      'credit note cn1 issued',
    ]);
    expect(react(orderCreditPolicy, placed())).toEqual([]);
  });

  it('revenue_split: each invoice, payment and credit note is split', () => {
    expect([invoiced(), paymentRecorded('p1', 10, { outstanding: 0 }), creditNoteIssued('cn1', 'r1', 5)].flatMap((e) => react(revenueSplitPolicy, e))).toEqual([
      { type: 'RecordOrderRevenue', data: { orderId, source: { kind: 'invoice', id: 'inv-1' } } },
      { type: 'RecordOrderRevenue', data: { orderId, source: { kind: 'payment', id: 'p1' } } },
      { type: 'RecordOrderRevenue', data: { orderId, source: { kind: 'credit_note', id: 'cn1' } } },
    ]);
  });

  it('agreement_activation: activates on the last signature only once the agreement is effective', () => {
    const signed = (signedAt: string, fullySigned = true) =>
      ({
        type: 'AgreementSigned',
        data: { agreementId: 'a', partnerId: 'acme', party: 'dealer', signedBy: 'x', signedAt, fullySigned, effectiveFrom: '2025-01-01' },
      }) as const;
    expect(react(agreementActivationPolicy, signed('2025-01-01T08:00:00Z'))).toEqual([
      { type: 'ActivateAgreement', data: { agreementId: 'a', activatedAt: '2025-01-01T08:00:00Z' } },
    ]);
    expect(react(agreementActivationPolicy, signed('2024-12-31T08:00:00Z'))).toEqual([]);
    expect(react(agreementActivationPolicy, signed('2025-01-02T08:00:00Z', false))).toEqual([]);
  });

  it('settlement_lines: the dealer’s revenue share, marketing balance and penalties go to its statement', () => {
    const split = react(settlementLinesPolicy, {
      type: 'RevenueSplitRecorded',
      data: {
        orderId,
        partnerId: 'acme',
        agreementId: 'agr-1',
        agreementVersion: 1,
        settlementBasis: 'on_invoice',
        settlementPeriod: 'quarter',
        source: { kind: 'credit_note', id: 'cn-1', at: '2025-03-05T10:00:00Z' },
        amount: eur(-10_00),
        recognized: eur(33_32),
        lines: [
          { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000, amount: eur(-9_00) },
          { partyId: 'acme', role: 'dealer', shareBps: 1_000, amount: eur(-1_00) },
        ],
      },
    });
    expect(split).toEqual([
      {
        type: 'PostSettlementLine',
        data: {
          partnerId: 'acme',
          cadence: 'quarter',
          at: '2025-03-05T10:00:00Z',
          line: {
            lineId: `rev:${orderId}:credit_note:cn-1`,
            kind: 'revenue_share',
            agreementId: 'agr-1',
            agreementVersion: 1,
            orderId,
            reference: 'cn-1',
            date: '2025-03-05',
            description: `Credit note cn-1 of order ${orderId}: 10.00 % of -10.00 EUR`,
            base: eur(-10_00),
            amount: eur(-1_00),
            volume: eur(-10_00),
          },
        },
      },
    ]);
    const spend = (paidBy: 'manufacturer' | 'dealer') =>
      react(settlementLinesPolicy, {
        type: 'JointMarketingSpendRecorded',
        data: {
          agreementId: 'agr-1',
          partnerId: 'acme',
          spendId: 'jm-1',
          version: 1,
          description: 'Trade fair',
          amount: eur(1_000_00),
          paidBy,
          spentOn: '2025-03-15',
          shares: [
            { partyId: 'manufacturer', role: 'manufacturer', shareBps: 6_000, amount: eur(600_00) },
            { partyId: 'acme', role: 'dealer', shareBps: 4_000, amount: eur(400_00) },
          ],
          settlementPeriod: 'month',
          recordedAt: '2025-03-15T10:00:00Z',
        },
      })[0]?.data.line.amount;
    // The manufacturer paid: the dealer owes its 40 %. The dealer paid: it is owed the manufacturer's 60 %.
    expect([spend('manufacturer'), spend('dealer')]).toEqual([eur(-400_00), eur(600_00)]);
  });
});
