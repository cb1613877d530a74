import { createHash } from 'node:crypto';
import type { Actor, OrderCommand } from '@dms/domain';
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../src/adapters/memory';
import { drawSample, sampleRank } from '../src/audit-sample';
import { recordOrder } from './support/orders';

/** An audit sample is drawn by a rule anyone can re-run with the seed, and carries each order's steps and money trail. */
const sales: Actor = { id: 'sales-1', role: 'sales' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const seed = async () => {
  const store = new MemoryEventStore(() => new Date('2026-10-01T10:00:00.000Z'));
  for (let i = 1; i <= 40; i++) {
    const orderId = `SO-${String(i).padStart(3, '0')}`;
    // Ten orders a month, June to September.
    const at = `2026-${String(6 + Math.floor((i - 1) / 10)).padStart(2, '0')}-${String(1 + ((i - 1) % 10) * 2).padStart(2, '0')}T09:00:00Z`;
    const commands: OrderCommand[] = [
      {
        type: 'PlaceOrder',
        data: {
          orderId,
          partnerId: i % 2 ? 'acme' : 'bolt',
          region: 'north',
          tier: 'gold',
          currency: 'EUR',
          lines: [{ lineNo: 1, sku: 'pump-a', quantity: 2, unitPrice: eur(10_00), discountBps: 0 }],
          placedAt: at,
        },
      },
      { type: 'ApproveOrder', data: { orderId, approvedAt: at } },
      { type: 'ConfirmOrder', data: { orderId, confirmedAt: at } },
      { type: 'ShipOrder', data: { orderId, shipmentId: `s-${i}`, lines: [{ lineNo: 1, quantity: 2 }], shippedAt: at } },
      { type: 'DeliverShipment', data: { orderId, shipmentId: `s-${i}`, deliveredAt: at } },
      { type: 'InvoiceOrder', data: { orderId, invoiceId: `inv-${i}`, invoicedAt: at, dueDate: '2026-12-31' } },
      { type: 'RecordPayment', data: { orderId, paymentId: `p-${i}`, amount: eur(20_00), paidAt: at, method: 'bank_transfer' } },
    ];
    await recordOrder(store, orderId, commands, sales);
  }
  return store;
};

describe('an audit sample', () => {
  it('draws the lowest SHA-256(seed, order id) of the orders placed in the period, the same every time', async () => {
    const store = await seed();
    const sample = await drawSample(store, { period: '2026-Q3', orders: 5, seed: '42' });
    expect(sample).toMatchObject({ from: '2026-07-01', to: '2026-09-30', population: 30, requested: 5 });
    // The rule, computed here with nothing of DMS: the 30 July to September orders ranked by their hash.
    const q3 = Array.from({ length: 30 }, (_, i) => `SO-${String(i + 11).padStart(3, '0')}`);
    const byHand = q3
      .map((id) => ({ id, rank: createHash('sha256').update(`42\n${id}`).digest('hex') }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice(0, 5)
      .map((o) => o.id);
    expect(sample.orders.map((o) => o.orderId)).toEqual(byHand);
    expect(sample.orders.map((o) => o.rank)).toEqual(byHand.map((id) => sampleRank('42', id)));
    expect((await drawSample(store, { period: '2026-Q3', orders: 5, seed: '42' })).orders.map((o) => o.orderId)).toEqual(byHand);
    expect((await drawSample(store, { period: '2026-Q3', orders: 5, seed: '43' })).orders.map((o) => o.orderId)).not.toEqual(byHand);
    // A month holds ten; asking for more gives them all.
    expect((await drawSample(store, { period: '2026-06', orders: 25, seed: '42' })).orders).toHaveLength(10);
  });

  it('gives each order its steps with the status after each, and its invoice and payment trail', async () => {
    const store = await seed();
    const [order] = (await drawSample(store, { period: '2026-08', orders: 1, seed: 'x' })).orders;
    expect(order!.verified).toBe(true);
    expect(order!.steps.map((s) => s.status)).toEqual(['placed', 'approved', 'confirmed', 'shipped', 'delivered', 'invoiced', 'paid', 'paid']);
    expect(order!.trail.map((t) => [t.type, t.amount])).toEqual([
      ['OrderInvoiced', eur(20_00)],
      ['PaymentRecorded', eur(20_00)],
      ['OrderPaid', eur(20_00)],
    ]);
    expect(order!.revenueSplit).toEqual([]);
  });

  it('trails each shipment’s invoice of an order invoiced per shipment, with the payment that settles them', async () => {
    const store = new MemoryEventStore(() => new Date('2026-10-01T10:00:00.000Z'));
    const orderId = 'SO-900';
    const at = (day: number) => `2026-07-${String(day).padStart(2, '0')}T09:00:00Z`;
    const paymentTerms = { netDays: 30, invoicing: 'perShipment' as const };
    const ship = (n: number, day: number): OrderCommand[] => [
      { type: 'ShipOrder', data: { orderId, shipmentId: `s-${n}`, lines: [{ lineNo: 1, quantity: n }], shippedAt: at(day) } },
      { type: 'InvoiceShipment', data: { orderId, shipmentId: `s-${n}`, invoiceId: `inv-s-${n}`, basis: 'perShipment', invoicedAt: at(day), paymentTerms } },
    ];
    await recordOrder(
      store,
      orderId,
      [
        {
          type: 'PlaceOrder',
          data: {
            orderId,
            partnerId: 'acme',
            region: 'north',
            tier: 'gold',
            currency: 'EUR',
            lines: [{ lineNo: 1, sku: 'pump-a', quantity: 3, unitPrice: eur(10_00), discountBps: 0 }],
            placedAt: at(1),
          },
        },
        { type: 'ApproveOrder', data: { orderId, approvedAt: at(1) } },
        { type: 'ConfirmOrder', data: { orderId, confirmedAt: at(1) } },
        ...ship(1, 2),
        ...ship(2, 9),
        { type: 'RecordPayment', data: { orderId, paymentId: 'p-1', amount: eur(30_00), paidAt: at(20), method: 'bank_transfer' } },
      ],
      sales,
    );
    const [order] = (await drawSample(store, { period: '2026-07', orders: 1, seed: 'x' })).orders;
    expect(order!.trail.map((t) => [t.type, t.document, t.amount])).toEqual([
      ['ShipmentInvoiced', 'inv-s-1', eur(10_00)],
      ['ShipmentInvoiced', 'inv-s-2', eur(20_00)],
      ['PaymentRecorded', 'p-1', eur(30_00)],
      ['OrderPaid', orderId, eur(30_00)],
    ]);
  });

  it('refuses a period, a size or a seed it cannot use, naming it', async () => {
    const store = new MemoryEventStore();
    await expect(drawSample(store, { period: '2026-Q5', orders: 5, seed: '1' })).rejects.toThrow('"2026-Q5" is not a period');
    await expect(drawSample(store, { period: '2026-Q3', orders: 0, seed: '1' })).rejects.toThrow('at least one order');
    await expect(drawSample(store, { period: '2026-Q3', orders: 5, seed: '' })).rejects.toThrow('needs a seed');
  });
});
