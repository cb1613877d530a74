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
});
