import { type Actor, aggregates, type Message, orderStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../src/command-bus';
import { placeAndReview, setUpDealer } from './support/agreements';

/** Invoicing a delivered order on the payment terms of the agreement governing it (docs/receivables.md). */
const admin: Actor = { id: 'fiona', role: 'finance' };
let seq = 0;
const ctx = (actor: Actor = admin) => ({ commandId: `inv-${++seq}`, actor });
const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};

describe('invoicing by the agreement’s payment terms (embedded PostgreSQL)', () => {
  let database: Database;
  let store: EventStore;
  let bus: CommandBus;
  const run = async (command: Message) => ok(await bus.execute(command, ctx()));
  const delivered = async (partnerId: string, orderId: string) => {
    ok(await placeAndReview(bus, partnerId, orderId, [{ sku: 'PUMP', quantity: 3 }], '2025-02-01T09:00:00Z'));
    await run({ type: 'ConfirmOrder', data: { orderId, confirmedAt: '2025-02-01T10:00:00Z' } });
    await run({ type: 'ShipOrder', data: { orderId, shipmentId: 's1', lines: [{ lineNo: 1, quantity: 3 }], shippedAt: '2025-02-02T10:00:00Z' } });
    await run({ type: 'DeliverShipment', data: { orderId, shipmentId: 's1', deliveredAt: '2025-02-03T10:00:00Z' } });
  };
  const byTerms = (orderId: string) => ({ type: 'InvoiceOrderByTerms', data: { orderId, invoiceId: `inv-${orderId}`, invoicedAt: '2025-03-01T10:00:00Z' } });

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
    bus = new CommandBus(store);
    await setUpDealer(bus, 'acme', 10_000_00, true, { paymentTerms: { netDays: 30, earlyPayment: { days: 10, discountBps: 200 } } });
    await setUpDealer(bus, 'bolt', 10_000_00, true, { paymentTerms: { netDays: 30, invoicing: 'perShipment' } });
    await setUpDealer(bus, 'cole', 10_000_00, false);
    await setUpDealer(bus, 'dash', 10_000_00, true, { paymentTerms: { netDays: 30, invoicing: 'perDelivery' } });
  });
  afterAll(async () => database?.close());

  it('gives a per-order invoice the due date and early-payment discount of 2/10 net 30', async () => {
    await delivered('acme', 'a-1');
    const invoiced = await run(byTerms('a-1'));
    expect(invoiced.events.map((e) => e.type)).toEqual(['OrderInvoiced']);
    const state = (await loadAggregate(store, aggregates.orders, orderStream('a-1'))).state;
    if (!state.exists) throw new Error('no order');
    const amount = state.gross.amountMinor;
    expect(invoiced.events[0]!.data).toMatchObject({
      invoiceId: 'inv-a-1',
      dueDate: '2025-03-31',
      earlyPayment: { until: '2025-03-11', discount: { amountMinor: Math.floor((amount * 200 + 5_000) / 10_000), currency: 'EUR' } },
    });
  });

  it('refuses to invoice as a whole an order whose agreement invoices each shipment, writing nothing', async () => {
    await delivered('bolt', 'b-1');
    const refused = await bus.execute(byTerms('b-1'), ctx());
    expect(refused._tag === 'Left' && refused.left).toMatchObject({ code: 'INVOICED_PER_SHIPMENT', details: { invoicing: 'perShipment' } });
    const state = (await loadAggregate(store, aggregates.orders, orderStream('b-1'))).state;
    expect(state.exists && state.invoices.size).toBe(0);
  });

  it('refuses, naming what to do, when no agreement governs the order', async () => {
    ok(await bus.placeOrder({ orderId: 'c-1', partnerId: 'cole', lines: [{ sku: 'PUMP', quantity: 1 }], placedAt: '2025-02-01T09:00:00Z' }, ctx()));
    const refused = await bus.execute(byTerms('c-1'), ctx());
    expect(refused._tag === 'Left' && refused.left.code).toBe('NO_PAYMENT_TERMS');
    expect(refused._tag === 'Left' && refused.left.message).toContain("give the invoice's due date");
  });

  describe('each shipment on its own (InvoiceShipmentByTerms)', () => {
    const shipped = async (partnerId: string, orderId: string) => {
      ok(await placeAndReview(bus, partnerId, orderId, [{ sku: 'PUMP', quantity: 3 }], '2025-02-01T09:00:00Z'));
      await run({ type: 'ConfirmOrder', data: { orderId, confirmedAt: '2025-02-01T10:00:00Z' } });
      await run({ type: 'ShipOrder', data: { orderId, shipmentId: 's1', lines: [{ lineNo: 1, quantity: 2 }], shippedAt: '2025-02-02T10:00:00Z' } });
      await run({ type: 'ShipOrder', data: { orderId, shipmentId: 's2', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: '2025-02-20T10:00:00Z' } });
    };
    const invoice = (orderId: string, shipmentId: string, invoicedAt: string, on?: 'shipped' | 'delivered') => ({
      type: 'InvoiceShipmentByTerms',
      data: { orderId, shipmentId, invoiceId: `inv-${orderId}-${shipmentId}`, invoicedAt, ...(on ? { on } : {}) },
    });
    const invoicesOf = async (orderId: string) => {
      const state = (await loadAggregate(store, aggregates.orders, orderStream(orderId))).state;
      if (!state.exists) throw new Error('no order');
      return state;
    };

    it('invoices each shipment of an order invoiced per shipment, due on its own terms, adding up to the order', async () => {
      await shipped('bolt', 'b-2');
      const first = await run(invoice('b-2', 's1', '2025-02-02T10:00:00Z'));
      expect(first.events.map((e) => e.type)).toEqual(['ShipmentInvoiced']);
      expect(first.events[0]!.data).toMatchObject({ shipmentId: 's1', basis: 'perShipment', invoiceId: 'inv-b-2-s1', dueDate: '2025-03-04' });
      const second = await run(invoice('b-2', 's2', '2025-02-20T10:00:00Z', 'shipped'));
      expect(second.events[0]!.data).toMatchObject({ shipmentId: 's2', dueDate: '2025-03-22' });
      const order = await invoicesOf('b-2');
      const amounts = [first, second].map((r) => (r.events[0]!.data as { amount: { amountMinor: number } }).amount.amountMinor);
      expect(amounts[0]! + amounts[1]!).toBe(order.gross.amountMinor);
      expect([...order.invoices.keys()]).toEqual(['inv-b-2-s1', 'inv-b-2-s2']);
    });

    it('refuses a shipment invoiced already by hand, and leaves it alone when the policy offers it again', async () => {
      const again = await bus.execute(
        { type: 'InvoiceShipmentByTerms', data: { orderId: 'b-2', shipmentId: 's1', invoiceId: 'inv-x', invoicedAt: '2025-02-05T10:00:00Z' } },
        ctx(),
      );
      expect(again._tag === 'Left' && again.left.code).toBe('SHIPMENT_ALREADY_INVOICED');
      const offered = await run(invoice('b-2', 's1', '2025-02-05T10:00:00Z', 'delivered'));
      expect(offered.events).toEqual([]);
      expect((await invoicesOf('b-2')).invoices.size).toBe(2);
    });

    it('refuses to invoice a shipment apart when the agreement invoices the whole order, and the policy leaves it', async () => {
      await shipped('acme', 'a-2');
      const refused = await bus.execute(invoice('a-2', 's1', '2025-02-02T10:00:00Z'), ctx());
      expect(refused._tag === 'Left' && refused.left).toMatchObject({
        code: 'INVOICED_PER_ORDER',
        details: { invoicing: 'perOrder', agreementId: 'agr-acme' },
      });
      expect((await run(invoice('a-2', 's1', '2025-02-02T10:00:00Z', 'shipped'))).events).toEqual([]);
      expect((await invoicesOf('a-2')).invoices.size).toBe(0);
    });

    it('invoices per delivery only once the shipment is delivered, dated when it was', async () => {
      await shipped('dash', 'd-1');
      expect((await run(invoice('d-1', 's1', '2025-02-02T10:00:00Z', 'shipped'))).events).toEqual([]);
      const early = await bus.execute(invoice('d-1', 's1', '2025-02-03T10:00:00Z'), ctx());
      expect(early._tag === 'Left' && early.left.code).toBe('NOT_DELIVERED');
      await run({ type: 'DeliverShipment', data: { orderId: 'd-1', shipmentId: 's1', deliveredAt: '2025-02-04T10:00:00Z' } });
      const invoiced = await run(invoice('d-1', 's1', '2025-02-04T10:00:00Z', 'delivered'));
      expect(invoiced.events[0]!.data).toMatchObject({ basis: 'perDelivery', invoicedAt: '2025-02-04T10:00:00Z', dueDate: '2025-03-06' });
    });

    it('refuses by hand, and leaves from the policy, an order no agreement governs; and refuses a shipment the order does not have', async () => {
      ok(await bus.placeOrder({ orderId: 'c-2', partnerId: 'cole', lines: [{ sku: 'PUMP', quantity: 1 }], placedAt: '2025-02-01T09:00:00Z' }, ctx()));
      const refused = await bus.execute(invoice('c-2', 's1', '2025-02-02T10:00:00Z'), ctx());
      expect(refused._tag === 'Left' && refused.left.code).toBe('NO_PAYMENT_TERMS');
      expect((await run(invoice('c-2', 's1', '2025-02-02T10:00:00Z', 'shipped'))).events).toEqual([]);
      const missing = await bus.execute(invoice('b-2', 's9', '2025-02-02T10:00:00Z'), ctx());
      expect(missing._tag === 'Left' && missing.left.code).toBe('SHIPMENT_NOT_FOUND');
      const unknown = await bus.execute(invoice('nope', 's1', '2025-02-02T10:00:00Z'), ctx());
      expect(unknown._tag === 'Left' && unknown.left.code).toBe('ORDER_NOT_FOUND');
    });
  });
});
