import { CommandBus, type CommandResult } from '@dms/app';
import { aggregates, dealerAccountStream, type Message, orderStream } from '@dms/domain';
import { type Database, type EventStore, eventIdFor, loadAggregate, type NewEvent, openDatabase } from '@dms/eventstore';
import { type EsdbTestServer, EventStoreDbEventStore, startEsdbTestServer } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agedReceivables, dealerAccount, dunningList, getOrder, openInvoices, receivablesAsOf, receivablesOn } from '../src';
import { ok } from './support/commands';
import { dealerWorld, eur } from './support/dealer-world';

/**
 * A dealer's payments on EventStoreDB (docs/receivables.md, "Consistency"), through the official client against the
 * in-process wire server: the account is written first and the orders after it, so faults are injected between those
 * appends. An order paid by hand in between refuses its share, which goes back to the dealer's credit; a process that
 * stops after the account leaves the unit to the `dealer_allocation` policy, which completes it, or returns a share an
 * order refuses by then. Each time the account, the orders and the read models (credit, open invoices, ageing, dunning,
 * and the ageing from the log) reconcile to the cent, and nothing is written twice.
 */

/**
 * The store as a command bus sees it, with `before` run ahead of every append (to fail it, as a crash there would, or to
 * let a competing writer in first). Like EventStoreDB, it has no multi-stream append.
 */
const intercepted = (inner: EventStore, before: (streamId: string, events: readonly NewEvent[]) => Promise<void>): EventStore => ({
  appendToStream: async (streamId, events, options) => {
    await before(streamId, events);
    return inner.appendToStream(streamId, events, options);
  },
  readStream: (...args) => inner.readStream(...args),
  readAll: (...args) => inner.readAll(...args),
  subscribeToAll: (...args) => inner.subscribeToAll(...args),
  headPosition: () => inner.headPosition(),
  close: async () => {},
});

/** Whether an append records the order's share of the dealer payment or application `entryId`. */
const shareOf = (streamId: string, events: readonly NewEvent[], entryId: string) =>
  streamId.startsWith('order-') && events.some((e) => e.type === 'PaymentRecorded' && (e.data as { paymentId: string }).paymentId === entryId);

const crashAt = (entryId: string) => async (streamId: string, events: readonly NewEvent[]) => {
  if (shareOf(streamId, events, entryId)) throw new Error(`injected crash before ${streamId}`);
};

describe("a dealer's payments across orders on EventStoreDB, with faults between the appends", () => {
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;
  let database: Database;
  let world: Awaited<ReturnType<typeof dealerWorld>>;

  /** Credit, open invoices, ageing and dunning as the read models give them, and the ageing from the log agrees. */
  const books = async (asOf: string) => {
    await world.settle();
    const head = (await store.headPosition())!;
    for (const day of ['2026-03-20', '2026-03-22', asOf]) {
      expect(await receivablesAsOf(store, { position: head }, day), day).toEqual((await receivablesOn(world.runner.db, [{ key: day, asOf: day }])).get(day));
    }
    const [ageing] = await agedReceivables(world.runner.db, { asOf, by: 'partner' });
    return {
      credit: (await dealerAccount(store, 'acme')).credit,
      open: (await openInvoices(world.runner.db, { asOf })).map((i) => ({ invoiceId: i.invoiceId, owed: i.owed })),
      outstanding: ageing?.outstanding ?? eur(0),
      dunning: (await dunningList(world.runner.db, { asOf: '2026-06-30' })).map((d) => d.invoiceId),
    };
  };
  const handPayment = (orderId: string, paymentId: string, invoiceId: string, amountMinor: number, paidAt: string): Message => ({
    type: 'RecordPayment',
    data: { orderId, paymentId, amount: eur(amountMinor), paidAt, method: 'bank_transfer', invoices: [{ invoiceId, amount: eur(amountMinor) }] },
  });
  const expectPaid = async (orderId: string, paymentIds: string[]) =>
    expect((await world.paymentsOn(orderId)).map((p) => (p as { paymentId: string }).paymentId)).toEqual(paymentIds);

  beforeAll(async () => {
    server = await startEsdbTestServer();
    store = await EventStoreDbEventStore.connect(server.connectionString);
    database = await openDatabase({ dataDir: 'memory://' });
    world = await dealerWorld(store, database, 'esdb');
    // As dealer-payments.test.ts: inv-s-1 200.00 (o-1, due 1 April), inv-s-3 100.00 (o-2, due 4 April), inv-s-2 100.00
    // (o-1, due 15 April; 98.00 settles it by 26 March).
    await world.place('o-1', 3, '2026-03-01T09:00:00Z');
    await world.place('o-2', 1, '2026-03-01T09:30:00Z');
    await world.ship('o-1', 's-1', 2, '2026-03-02T10:00:00Z');
    await world.ship('o-2', 's-3', 1, '2026-03-05T10:00:00Z');
    await world.ship('o-1', 's-2', 1, '2026-03-16T10:00:00Z');
  }, 120_000);
  afterAll(async () => {
    await world?.runner.stop();
    await database?.close();
    await store?.close();
    await server?.stop();
  });

  it('completes a payment whose process stopped after the account: the policy records each order its share, once', async () => {
    const context = world.ctx();
    const payment = world.payment('p-1', 300_00, '2026-03-20T09:00:00Z');
    const crashing = new CommandBus(intercepted(store, crashAt('p-1')));
    await expect(crashing.execute(payment, context)).rejects.toThrow(/injected crash before order-o-1/);
    // The half the crash left: the account holds the payment and its allocations, no order has recorded its share.
    const account = await dealerAccount(store, 'acme');
    expect(account.entries.map((e) => [e.kind, e.id, e.allocations.map((a) => `${a.invoiceId} ${a.amount.amountMinor}`)])).toEqual([
      ['payment', 'p-1', ['inv-s-1 20000', 'inv-s-3 10000']],
    ]);
    await expectPaid('o-1', []);
    await expectPaid('o-2', []);

    // The projection runner's dealer_allocation policy completes the unit under the ids the unit gave its parts.
    expect(await books('2026-03-20')).toEqual({
      credit: eur(0),
      open: [{ invoiceId: 'inv-s-2', owed: eur(100_00) }],
      outstanding: eur(100_00),
      dunning: ['inv-s-2'],
    });
    await expectPaid('o-1', ['p-1']);
    await expectPaid('o-2', ['p-1']);
    const o1 = await loadAggregate(store, aggregates.orders, orderStream('o-1'));
    expect(o1.events.find((e) => e.type === 'PaymentRecorded')?.eventId).toBe(eventIdFor(`${context.commandId}:order:o-1`, 0));

    // The client retries with the same Idempotency-Key: the unit is found complete, nothing is written.
    const head = await store.headPosition();
    const retried = ok(await world.bus.execute(payment, context));
    expect(retried.replayed).toBe(true);
    expect(await store.headPosition()).toBe(head);
  });

  it("gives an order's share back to the credit when the order is paid by hand between the account's append and its own", async () => {
    let competed = false;
    const racing = new CommandBus(
      intercepted(store, async (streamId, events) => {
        if (competed || !shareOf(streamId, events, 'p-2')) return;
        competed = true;
        // Finance records 60.00 on inv-s-2 by hand, after the account took the payment and before o-1 records its share.
        ok(await world.bus.execute(handPayment('o-1', 'hand-1', 'inv-s-2', 60_00, '2026-03-21T08:00:00Z'), world.ctx()));
      }),
    );
    // 150.00 on 21 March: inv-s-2 is the only open invoice, 98.00 settles it in its discount period, 52.00 is credit.
    const result: CommandResult = await racing.execute(world.payment('p-2', 150_00, '2026-03-21T09:00:00Z'), world.ctx());
    expect(competed).toBe(true);
    ok(result);
    const account = await dealerAccount(store, 'acme');
    expect(account.entries.slice(1)).toEqual([
      {
        kind: 'payment',
        id: 'p-2',
        at: '2026-03-21T09:00:00Z',
        amount: eur(150_00),
        allocations: [{ orderId: 'o-1', invoiceId: 'inv-s-2', amount: eur(98_00), discount: eur(2_00) }],
        unapplied: eur(52_00),
        creditAfter: eur(52_00),
        method: 'bank_transfer',
        reference: 'BANK-p-2',
      },
      {
        kind: 'return',
        id: 'p-2',
        at: '2026-03-21T09:00:00Z',
        amount: eur(98_00),
        allocations: [{ orderId: 'o-1', invoiceId: 'inv-s-2', amount: eur(98_00), discount: eur(2_00) }],
        unapplied: eur(0),
        creditAfter: eur(150_00),
        reason: expect.stringMatching(/^order o-1 refused its share: /),
      },
    ]);
    await expectPaid('o-1', ['p-1', 'hand-1']);
    // The credit holds the whole payment; the invoice keeps what the hand payment left open (no discount allowed).
    expect(await books('2026-03-21')).toEqual({
      credit: eur(150_00),
      open: [{ invoiceId: 'inv-s-2', owed: eur(40_00) }],
      outstanding: eur(40_00),
      dunning: ['inv-s-2'],
    });
    expect(await getOrder(world.runner.db, 'o-1')).toMatchObject({ outstanding: eur(40_00) });
    // The policy, running over the payment after the command, finds the unit complete: nothing more is written.
    const head = await store.headPosition();
    await world.settle();
    expect(await store.headPosition()).toBe(head);
  });

  it('returns the share of an application of credit whose process stopped after the account, once the order was paid by hand meanwhile', async () => {
    const context = world.ctx();
    const application: Message = {
      type: 'ApplyDealerCredit',
      data: { partnerId: 'acme', applicationId: 'a-1', appliedAt: '2026-03-22T09:00:00Z', amount: eur(40_00) },
    };
    const crashing = new CommandBus(intercepted(store, crashAt('a-1')));
    await expect(crashing.execute(application, context)).rejects.toThrow(/injected crash before order-o-1/);
    expect((await dealerAccount(store, 'acme')).credit).toEqual(eur(110_00));
    // Before anything completes the unit, the dealer's 40.00 for inv-s-2 is recorded by hand.
    ok(await world.bus.execute(handPayment('o-1', 'hand-2', 'inv-s-2', 40_00, '2026-03-22T10:00:00Z'), world.ctx()));
    expect(await books('2026-03-22')).toEqual({ credit: eur(150_00), open: [], outstanding: eur(0), dunning: [] });
    await expectPaid('o-1', ['p-1', 'hand-1', 'hand-2']);
    const account = await dealerAccount(store, 'acme');
    expect(account.entries.slice(3).map((e) => [e.kind, e.id, e.amount.amountMinor, e.creditAfter.amountMinor])).toEqual([
      ['application', 'a-1', 40_00, 110_00],
      ['return', 'a-1', 40_00, 150_00],
    ]);
    // Invoiced 400.00 = 300.00 (p-1) + 100.00 by hand; the credit is p-2 whole. A retry of the application, and the
    // policy over the whole history again, return nothing twice.
    const head = await store.headPosition();
    expect(ok(await world.bus.execute(application, context)).replayed).toBe(true);
    await world.settle();
    expect(await store.headPosition()).toBe(head);
    expect((await loadAggregate(store, aggregates.dealerAccounts, dealerAccountStream('acme'))).state.returned.size).toBe(2);
  });

  it('cancels fewer calls than the HTTP/2 server lets one connection cancel at once', () => {
    // A round of the runner reads each projection's events up to the head in bounded reads, which end by themselves; it
    // once ended one subscription per projection instead, each an RST_STREAM (741 in this file). Node's HTTP/2 server ends
    // a connection whose cancels overrun a bucket of 1,000 (refilled at 33 a second) with GOAWAY INTERNAL_ERROR, failing
    // the calls in flight ("Session closed with error code 2"): on a fast machine, this file once did so. Counted here,
    // so that a slow run, which the refill would save, fails as well; none are expected, a few are allowed for a
    // subscription that catching up falls back to.
    expect(server.resets).toBeLessThanOrEqual(10);
  });
});
