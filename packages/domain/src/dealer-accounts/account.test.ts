import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import { dealerAccountDecider, returnedShareKey } from './account';
import type { DealerAccountCommand } from './commands';
import type { AccountAllocation, DealerAccountEvent } from './events';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const at = '2026-03-10T09:00:00Z';
const allocation = (orderId: string, invoiceId: string, amountMinor: number, discountMinor?: number): AccountAllocation => ({
  orderId,
  invoiceId,
  amount: eur(amountMinor),
  ...(discountMinor ? { discount: eur(discountMinor) } : {}),
});
const receive = (paymentId: string, amountMinor: number, allocations: AccountAllocation[]): DealerAccountCommand => ({
  type: 'RecordDealerPayment',
  data: { partnerId: 'acme', paymentId, amount: eur(amountMinor), receivedAt: at, method: 'bank_transfer', reference: 'BANK-1', allocations },
});
const received = (paymentId: string, amountMinor: number, allocations: AccountAllocation[], unapplied: number, credit: number): DealerAccountEvent => ({
  type: 'DealerPaymentReceived',
  data: {
    partnerId: 'acme',
    paymentId,
    amount: eur(amountMinor),
    receivedAt: at,
    method: 'bank_transfer',
    reference: 'BANK-1',
    allocations,
    unapplied: eur(unapplied),
    credit: eur(credit),
  },
});
const apply = (applicationId: string, allocations: AccountAllocation[]): DealerAccountCommand => ({
  type: 'RecordDealerCreditApplication',
  data: { partnerId: 'acme', applicationId, appliedAt: at, allocations },
});
const refund = (refundId: string, amountMinor: number): DealerAccountCommand => ({
  type: 'RefundDealerCredit',
  data: { partnerId: 'acme', refundId, amount: eur(amountMinor), refundedAt: at, method: 'bank_transfer' },
});
const giveBack = (entryId: string, orderId: string, reason = 'INVOICE_NOT_OPEN'): DealerAccountCommand => ({
  type: 'ReturnDealerAllocation',
  data: { partnerId: 'acme', entryId, orderId, returnedAt: at, reason },
});
const givenAccount = given(dealerAccountDecider);

describe("a dealer's receivables account", () => {
  it('records a payment across two orders and keeps what no invoice took as credit', () => {
    givenAccount()
      .when(receive('p-1', 1_500_00, [allocation('o-1', 'inv-1', 250_00), allocation('o-2', 'si-1', 980_00, 20_00)]))
      .then(received('p-1', 1_500_00, [allocation('o-1', 'inv-1', 250_00), allocation('o-2', 'si-1', 980_00, 20_00)], 270_00, 270_00));
  });

  it('applies credit to a later invoice, and what is left stays credit', () => {
    givenAccount(received('p-1', 300_00, [], 300_00, 300_00))
      .when(apply('ca-1', [allocation('o-3', 'inv-3', 112_00)]))
      .then({
        type: 'DealerCreditApplied',
        data: {
          partnerId: 'acme',
          applicationId: 'ca-1',
          appliedAt: at,
          amount: eur(112_00),
          allocations: [allocation('o-3', 'inv-3', 112_00)],
          credit: eur(188_00),
        },
      });
  });

  it('refunds credit, never more than the dealer holds', () => {
    givenAccount(received('p-1', 300_00, [], 300_00, 300_00))
      .when(refund('r-1', 100_00))
      .then({
        type: 'DealerCreditRefunded',
        data: { partnerId: 'acme', refundId: 'r-1', amount: eur(100_00), refundedAt: at, method: 'bank_transfer', credit: eur(200_00) },
      });
    const error = givenAccount(received('p-1', 300_00, [], 300_00, 300_00))
      .when(refund('r-1', 300_01))
      .thenRefuses('CREDIT_EXCEEDED');
    expect(error.message).toBe("300.01 EUR is more than dealer acme's credit of 300.00 EUR.");
  });

  it('refuses applying more credit than the dealer holds, or any before it has some', () => {
    givenAccount(received('p-1', 100_00, [], 100_00, 100_00))
      .when(apply('ca-1', [allocation('o-3', 'inv-3', 100_01)]))
      .thenRefuses('CREDIT_EXCEEDED');
    givenAccount()
      .when(apply('ca-1', [allocation('o-3', 'inv-3', 1)]))
      .thenRefuses('CREDIT_EXCEEDED');
  });

  it('refuses allocations beyond the payment, an invoice twice, another currency, and an id recorded before', () => {
    givenAccount()
      .when(receive('p-1', 100_00, [allocation('o-1', 'inv-1', 60_00), allocation('o-2', 'inv-2', 40_01)]))
      .thenRefuses('OVER_ALLOCATION');
    givenAccount()
      .when(receive('p-1', 100_00, [allocation('o-1', 'inv-1', 60_00), allocation('o-1', 'inv-1', 40_00)]))
      .thenRefuses('DUPLICATE_INVOICE');
    givenAccount(received('p-1', 10_00, [], 10_00, 10_00))
      .when({ ...receive('p-2', 100_00, []), data: { ...receive('p-2', 100_00, []).data, amount: money(100_00, 'USD') } } as DealerAccountCommand)
      .thenRefuses('CURRENCY_MISMATCH');
    givenAccount(received('p-1', 10_00, [], 10_00, 10_00))
      .when(receive('p-1', 10_00, []))
      .thenRefuses('DUPLICATE_PAYMENT');
    givenAccount(received('p-1', 10_00, [], 10_00, 10_00), {
      type: 'DealerCreditRefunded',
      data: { partnerId: 'acme', refundId: 'r-1', amount: eur(1_00), refundedAt: at, method: 'cash', credit: eur(9_00) },
    })
      .when(refund('r-1', 1_00))
      .thenRefuses('DUPLICATE_REFUND');
  });

  it("gives an order's refused share of a payment back to the credit, once, and the invoices it named stay the order's", () => {
    const paid = received(
      'p-1',
      1_500_00,
      [allocation('o-1', 'inv-1', 250_00), allocation('o-2', 'si-1', 980_00, 20_00), allocation('o-2', 'si-2', 10_00)],
      260_00,
      260_00,
    );
    givenAccount(paid)
      .when(giveBack('p-1', 'o-2', 'order o-2 refused its share: INVOICE_NOT_OPEN'))
      .then({
        type: 'DealerAllocationReturned',
        data: {
          partnerId: 'acme',
          entryId: 'p-1',
          orderId: 'o-2',
          returnedAt: at,
          // The cash only: the discount was never allowed, as the order never recorded the payment.
          amount: eur(990_00),
          allocations: [allocation('o-2', 'si-1', 980_00, 20_00), allocation('o-2', 'si-2', 10_00)],
          reason: 'order o-2 refused its share: INVOICE_NOT_OPEN',
          credit: eur(1_250_00),
        },
      });
    const returned = dealerAccountDecider.decide(giveBack('p-1', 'o-2'), fold(dealerAccountDecider, [paid]));
    if (returned._tag === 'Left') throw new Error(returned.left.message);
    // Exactly once: the same share again writes nothing.
    givenAccount(paid, ...returned.right)
      .when(giveBack('p-1', 'o-2'))
      .then();
    givenAccount(paid).when(giveBack('p-9', 'o-2')).thenRefuses('ENTRY_NOT_FOUND');
    givenAccount(paid).when(giveBack('p-1', 'o-7')).thenRefuses('NOT_ALLOCATED');
  });

  it('keeps the credit equal to what was left unapplied less what was applied and refunded, never below zero (property)', () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('pay' as const),
        amount: fc.integer({ min: 1, max: 100_000 }),
        allocated: fc.array(fc.integer({ min: 1, max: 40_000 }), { maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('apply' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
      fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
      // An order refusing its share of an earlier payment or application (any of them, maybe one returned already).
      fc.record({ kind: fc.constant('return' as const), entry: fc.nat(), order: fc.nat({ max: 9 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const events: DealerAccountEvent[] = [];
        let expected = 0;
        steps.forEach((s, n) => {
          if (s.kind === 'return') {
            const state = fold(dealerAccountDecider, events);
            const entries = [...state.allocations.keys()];
            if (entries.length === 0) return;
            const entryId = entries[s.entry % entries.length]!;
            const orders = [...new Set(state.allocations.get(entryId)!.map((a) => a.orderId))];
            const orderId = orders.length > 0 ? orders[s.order % orders.length]! : 'o-none';
            const result = dealerAccountDecider.decide(giveBack(entryId, orderId), state);
            if (orders.length === 0) {
              expect(result).toMatchObject({ _tag: 'Left', left: { code: 'NOT_ALLOCATED' } });
              return;
            }
            if (result._tag === 'Left') throw new Error(result.left.message);
            const already = state.returned.has(returnedShareKey(entryId, orderId));
            expect(result.right).toHaveLength(already ? 0 : 1);
            events.push(...result.right);
            if (!already)
              expected += state.allocations
                .get(entryId)!
                .filter((a) => a.orderId === orderId)
                .reduce((t, a) => t + a.amount.amountMinor, 0);
            expect(fold(dealerAccountDecider, events).credit!.amountMinor).toBe(expected);
            return;
          }
          const command =
            s.kind === 'pay'
              ? receive(
                  `p-${n}`,
                  s.amount,
                  s.allocated.map((a, i) => allocation(`o-${i}`, `inv-${n}-${i}`, a)),
                )
              : s.kind === 'apply'
                ? apply(`a-${n}`, [allocation('o-9', `inv-${n}`, s.amount)])
                : refund(`r-${n}`, s.amount);
          const result = dealerAccountDecider.decide(command, fold(dealerAccountDecider, events));
          const taken = s.kind === 'pay' ? s.allocated.reduce((a, b) => a + b, 0) : s.amount;
          const accepted = s.kind === 'pay' ? taken <= s.amount : taken <= expected;
          expect(result._tag).toBe(accepted ? 'Right' : 'Left');
          if (result._tag === 'Left') return;
          events.push(...result.right);
          expected += s.kind === 'pay' ? s.amount - taken : -taken;
          const credit = fold(dealerAccountDecider, events).credit!;
          expect(credit.amountMinor).toBe(expected);
          expect(credit.amountMinor).toBeGreaterThanOrEqual(0);
        });
        // Every payment to the cent: what its orders kept, plus what was left unapplied, plus what came back, is the payment.
        const state = fold(dealerAccountDecider, events);
        for (const e of events) {
          if (e.type !== 'DealerPaymentReceived') continue;
          const back = events.flatMap((r) => (r.type === 'DealerAllocationReturned' && r.data.entryId === e.data.paymentId ? [r.data.amount.amountMinor] : []));
          const kept = e.data.allocations.filter((a) => !state.returned.has(returnedShareKey(e.data.paymentId, a.orderId)));
          const total = kept.reduce((t, a) => t + a.amount.amountMinor, 0) + e.data.unapplied.amountMinor + back.reduce((t, b) => t + b, 0);
          expect(total).toBe(e.data.amount.amountMinor);
        }
        // No share came back twice.
        expect(events.filter((r) => r.type === 'DealerAllocationReturned')).toHaveLength(state.returned.size);
      }),
    );
  });
});
