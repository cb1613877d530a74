import { type Actor, aggregates, orderStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../src/command-bus';
import { placeAndReview, setUpDealer } from './support/agreements';

/** The agreement's credit hold in automated review, and a person overriding it (docs/receivables.md). */
const admin: Actor = { id: 'anna', role: 'admin' };
let seq = 0;
const ctx = (actor: Actor = admin) => ({ commandId: `hold-${++seq}`, actor });
const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};

describe('credit hold on overdue invoices (embedded PostgreSQL)', () => {
  let database: Database;
  let store: EventStore;
  let bus: CommandBus;
  const order = async (orderId: string) => (await loadAggregate(store, aggregates.orders, orderStream(orderId))).state;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
    bus = new CommandBus(store);
    await setUpDealer(bus, 'acme', 10_000_00, true, { creditHold: { daysOverdueAbove: 30 } });
    // Order o-1 (300.00) is invoiced on 2025-03-01, due 2025-03-31.
    ok(await placeAndReview(bus, 'acme', 'o-1', [{ sku: 'PUMP', quantity: 3 }], '2025-02-01T09:00:00Z'));
    for (const command of [
      { type: 'ConfirmOrder', data: { orderId: 'o-1', confirmedAt: '2025-02-01T10:00:00Z' } },
      { type: 'ShipOrder', data: { orderId: 'o-1', shipmentId: 's1', lines: [{ lineNo: 1, quantity: 3 }], shippedAt: '2025-02-02T10:00:00Z' } },
      { type: 'DeliverShipment', data: { orderId: 'o-1', shipmentId: 's1', deliveredAt: '2025-02-03T10:00:00Z' } },
      { type: 'InvoiceOrder', data: { orderId: 'o-1', invoiceId: 'inv-1', invoicedAt: '2025-03-01T10:00:00Z', dueDate: '2025-03-31' } },
    ])
      ok(await bus.execute(command, ctx()));
  });
  afterAll(async () => database?.close());

  it('approves automatically while no invoice is more days overdue than the agreement allows', async () => {
    const reviewed = ok(await placeAndReview(bus, 'acme', 'o-2', [{ sku: 'PUMP', quantity: 1 }], '2025-04-30T09:00:00Z'));
    expect(reviewed.events.map((e) => e.type)).toEqual(['CreditReserved', 'OrderApproved']);
  });

  it('holds an order placed when an invoice is past the limit, with the reason and the invoice named', async () => {
    const reviewed = ok(await placeAndReview(bus, 'acme', 'o-3', [{ sku: 'PUMP', quantity: 1 }], '2025-05-15T09:00:00Z'));
    expect(reviewed.events.map((e) => e.type)).toEqual(['OrderQueuedForReview']);
    const held = await order('o-3');
    expect(held.exists && held.review?.reasons).toEqual([
      expect.objectContaining({
        code: 'CREDIT_HOLD_OVERDUE',
        message:
          'Credit hold: invoice inv-1 is 45 days past due (the agreement allows 30). Collect the overdue invoices, or approve the order to override the hold.',
        details: expect.objectContaining({
          overdueMinor: 300_00,
          invoices: [expect.objectContaining({ invoiceId: 'inv-1', orderId: 'o-1', daysPastDue: 45 })],
        }),
      }),
    ]);
  });

  it('lets a person override the hold by approving with a note, recording who and why', async () => {
    const head = await store.headPosition();
    const bare = await bus.execute({ type: 'ApproveQueuedOrder', data: { orderId: 'o-3', approvedAt: '2025-05-15T11:00:00Z' } }, ctx());
    expect(bare).toMatchObject({ _tag: 'Left', left: { code: 'CREDIT_HOLD_NOTE_REQUIRED' } });
    expect(await store.headPosition()).toBe(head);
    const approved = ok(
      await bus.execute(
        { type: 'ApproveQueuedOrder', data: { orderId: 'o-3', approvedAt: '2025-05-15T11:00:00Z', note: 'Payment promised by Friday' } },
        ctx(),
      ),
    );
    const approval = approved.events.find((e) => e.type === 'OrderApproved')!;
    expect(approval.data).toMatchObject({ note: 'Payment promised by Friday' });
    expect(approval.metadata.actor).toEqual(admin);
  });

  it('approves automatically again once the overdue invoice is paid', async () => {
    ok(
      await bus.execute(
        { type: 'RecordPayment', data: { orderId: 'o-1', paymentId: 'p-1', amount: { amountMinor: 300_00, currency: 'EUR' }, paidAt: '2025-05-16T09:00:00Z' } },
        ctx(),
      ),
    );
    const reviewed = ok(await placeAndReview(bus, 'acme', 'o-4', [{ sku: 'PUMP', quantity: 1 }], '2025-05-17T09:00:00Z'));
    expect(reviewed.events.map((e) => e.type)).toEqual(['CreditReserved', 'OrderApproved']);
  });

  it('counts an invoice with instalments instalment by instalment, each by its own due date', async () => {
    // 100.00 invoiced on 1 June: 50.00 due on 1 July, 30.00 on 31 July, 20.00 on 30 August (the invoice's due date).
    ok(await placeAndReview(bus, 'acme', 'o-5', [{ sku: 'PUMP', quantity: 1 }], '2025-05-18T09:00:00Z'));
    for (const command of [
      { type: 'ConfirmOrder', data: { orderId: 'o-5', confirmedAt: '2025-05-18T10:00:00Z' } },
      { type: 'ShipOrder', data: { orderId: 'o-5', shipmentId: 's5', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: '2025-05-19T10:00:00Z' } },
      { type: 'DeliverShipment', data: { orderId: 'o-5', shipmentId: 's5', deliveredAt: '2025-05-20T10:00:00Z' } },
      {
        type: 'InvoiceOrder',
        data: {
          orderId: 'o-5',
          invoiceId: 'inv-5',
          invoicedAt: '2025-06-01T10:00:00Z',
          paymentTerms: {
            netDays: 90,
            instalments: [
              { shareBps: 5_000, offsetDays: 30 },
              { shareBps: 3_000, offsetDays: 60 },
              { shareBps: 2_000, offsetDays: 90 },
            ],
          },
        },
      },
    ])
      ok(await bus.execute(command, ctx()));
    // On 15 August the invoice's own due date is two weeks away, but its first instalment is 45 days past due.
    const reviewed = ok(await placeAndReview(bus, 'acme', 'o-6', [{ sku: 'PUMP', quantity: 1 }], '2025-08-15T09:00:00Z'));
    expect(reviewed.events.map((e) => e.type)).toEqual(['OrderQueuedForReview']);
    const held = await order('o-6');
    expect(held.exists && held.review?.reasons[0]).toMatchObject({
      code: 'CREDIT_HOLD_OVERDUE',
      message: expect.stringContaining('invoice inv-5 is 45 days past due'),
      details: {
        overdueMinor: 80_00,
        invoices: [
          { invoiceId: 'inv-5', dueOn: '2025-07-01', owedMinor: 50_00, daysPastDue: 45 },
          { invoiceId: 'inv-5', dueOn: '2025-07-31', owedMinor: 30_00, daysPastDue: 15 },
        ],
      },
    });
  });
});
