import fc from 'fast-check';
import { isLeft } from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import type { OrderCommand } from '../orders/commands';
import type { OrderEvent } from '../orders/events';
import { at, confirmedOrder, eur, ship } from '../orders/fixtures';
import { orderDecider } from '../orders/index';
import type { ExistingOrder } from '../orders/state';
import { payableInvoices } from '../orders/status';
import type { PaymentTerms } from '../receivables/payment-terms';
import { addDays } from '../shared/calendar';
import { fold } from '../shared/decider';
import { allocateAcrossOrders, sharesByOrder } from './allocation';

const twoTen: PaymentTerms = { netDays: 30, earlyPayment: { days: 10, discountBps: 200 } };
const net30: PaymentTerms = { netDays: 30 };

/** The fixtures' order (43.32 EUR: line 1 33.32, line 2 10.00) as order `id`, each of its shipments invoiced on `terms`. */
const orderWith = (id: string, terms: PaymentTerms, shipments: 1 | 2): OrderEvent[] => {
  const commands: OrderCommand[] = shipments === 1 ? [ship('s-1', { 1: 3, 2: 2 })] : [ship('s-1', { 1: 1, 2: 2 }), ship('s-2', { 1: 2 })];
  const events: OrderEvent[] = confirmedOrder();
  for (const command of commands) {
    const shipmentId = (command.data as { shipmentId: string }).shipmentId;
    for (const c of [
      command,
      {
        type: 'InvoiceShipment',
        data: { orderId: 'o-1', shipmentId, invoiceId: `inv-${shipmentId}`, basis: 'perShipment', invoicedAt: at, paymentTerms: terms },
      } as OrderCommand,
    ]) {
      const result = orderDecider.decide(c, fold(orderDecider, events));
      if (isLeft(result)) throw new Error(result.left.message);
      events.push(...result.right);
    }
  }
  return events.map((e) => {
    const data = { ...e.data, orderId: id } as Record<string, unknown>;
    if (typeof data.invoiceId === 'string') data.invoiceId = `${id}-${data.invoiceId}`;
    return { ...e, data } as OrderEvent;
  });
};
const stateOf = (events: OrderEvent[]) => fold(orderDecider, events) as ExistingOrder;

describe("allocating a dealer's payment across its orders", () => {
  it('pays the oldest due first across orders, and keeps the rest unapplied', () => {
    const a = stateOf(orderWith('o-a', net30, 2));
    const b = stateOf(orderWith('o-b', net30, 1));
    const result = allocateAcrossOrders(eur(100_00), '2025-04-20', [b, a]);
    expect(result).toEqual({
      _tag: 'Right',
      right: {
        // Same due date everywhere: invoice date, then invoice id decide.
        allocations: [
          { orderId: 'o-a', invoiceId: 'o-a-inv-s-1', amount: eur(21_11) },
          { orderId: 'o-a', invoiceId: 'o-a-inv-s-2', amount: eur(22_21) },
          { orderId: 'o-b', invoiceId: 'o-b-inv-s-1', amount: eur(43_32) },
        ],
        unapplied: eur(13_36),
      },
    });
    expect(sharesByOrder(result._tag === 'Right' ? result.right.allocations : [])).toEqual([
      {
        orderId: 'o-a',
        amount: eur(43_32),
        invoices: [
          { invoiceId: 'o-a-inv-s-1', amount: eur(21_11) },
          { invoiceId: 'o-a-inv-s-2', amount: eur(22_21) },
        ],
      },
      { orderId: 'o-b', amount: eur(43_32), invoices: [{ invoiceId: 'o-b-inv-s-1', amount: eur(43_32) }] },
    ]);
  });

  it('refuses an invoice named that is not open, and allocates nothing', () => {
    const a = stateOf(orderWith('o-a', net30, 1));
    expect(allocateAcrossOrders(eur(10_00), '2025-04-20', [a], [{ invoiceId: 'nope' }])).toMatchObject({ _tag: 'Left', left: { code: 'INVOICE_NOT_OPEN' } });
  });

  it('allocations plus unapplied are the payment to the cent, no invoice gets more than is open, and each order records exactly its share (property)', () => {
    const order = fc.record({ terms: fc.constantFrom(net30, twoTen), shipments: fc.constantFrom(1 as const, 2 as const) });
    fc.assert(
      fc.property(
        fc.array(order, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 300_00 }),
        fc.integer({ min: 0, max: 40 }),
        (specs, paymentMinor, day) => {
          const histories = specs.map((s, i) => orderWith(`o-${i}`, s.terms, s.shipments));
          const orders = histories.map(stateOf);
          const paidOn = addDays(at.slice(0, 10), day);
          const result = allocateAcrossOrders(eur(paymentMinor), paidOn, orders);
          if (result._tag === 'Left') throw new Error(result.left.message);
          const { allocations, unapplied } = result.right;
          expect(allocations.reduce((a, x) => a + x.amount.amountMinor, 0) + unapplied.amountMinor).toBe(paymentMinor);
          expect(unapplied.amountMinor).toBeGreaterThanOrEqual(0);
          const open = new Map(orders.flatMap((o) => payableInvoices(o).map((i) => [i.invoiceId, i.open.amountMinor] as const)));
          for (const a of allocations) {
            expect(a.amount.amountMinor).toBeGreaterThan(0);
            expect(a.amount.amountMinor + (a.discount?.amountMinor ?? 0)).toBeLessThanOrEqual(open.get(a.invoiceId)!);
          }
          // Unapplied only when every invoice is settled.
          if (unapplied.amountMinor > 0) expect(allocations.length).toBe(open.size);
          // Each order, deciding its share as a payment, pays exactly these invoices with these discounts.
          for (const share of sharesByOrder(allocations)) {
            const i = Number(share.orderId.slice(2));
            const decided = orderDecider.decide(
              {
                type: 'RecordPayment',
                data: {
                  orderId: share.orderId,
                  paymentId: 'p-1',
                  amount: share.amount,
                  paidAt: `${paidOn}T12:00:00Z`,
                  method: 'bank_transfer',
                  invoices: [...share.invoices],
                },
              },
              orders[i]!,
            );
            if (decided._tag === 'Left') throw new Error(decided.left.message);
            const recorded = decided.right[0]!;
            expect(recorded.type).toBe('PaymentRecorded');
            expect(recorded.type === 'PaymentRecorded' && recorded.data.allocations).toEqual(
              allocations.filter((a) => a.orderId === share.orderId).map(({ orderId: _o, ...a }) => a),
            );
          }
        },
      ),
    );
  });
});
