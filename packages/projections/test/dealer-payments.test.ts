import type { CommandBus } from '@dms/app';
import { aggregates, dealerAccountStream, orderStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agedReceivables, dealerAccount, getOrder, openInvoices, type ProjectionRunner, receivablesAsOf, receivablesOn } from '../src';
import { ok } from './support/commands';
import { dealerWorld, eur } from './support/dealer-world';

/**
 * A dealer's payments across its orders, end to end (docs/receivables.md, "A dealer's payments and its credit"): a
 * dealer on 2/10 net 30 invoiced per shipment; one bank transfer pays three invoices of two orders, oldest due first
 * (one inside its discount period), and what is left is kept as credit; the next invoice cut takes the credit by the
 * `dealer_credit` policy. The orders, the ageing (from the read models and from the log) and the account reconcile with
 * the invoices and the payment to the cent; two payments at once never pay the same open amount twice.
 * (On EventStoreDB, with faults injected between the appends: dealer-payments-esdb.test.ts.)
 */
const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`a dealer's payments across orders on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    let world: Awaited<ReturnType<typeof dealerWorld>>;
    const settle = () => world.settle();
    const place = (...args: Parameters<typeof world.place>) => world.place(...args);
    const ship = (...args: Parameters<typeof world.ship>) => world.ship(...args);
    const pay = (...args: Parameters<typeof world.pay>) => world.pay(...args);
    const run = (...args: Parameters<typeof world.run>) => world.run(...args);
    const ctx = () => world.ctx();
    const paymentsOn = (orderId: string) => world.paymentsOn(orderId);

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      world = await dealerWorld(store, database, 'dp');
      ({ bus, runner } = world);
      // o-1: two pumps leave on 2 March (200.00, due 1 April), the third on 16 March (100.00, due 15 April, 98.00 by 26 March);
      // o-2: one pump on 5 March (100.00, due 4 April).
      await place('o-1', 3, '2026-03-01T09:00:00Z');
      await place('o-2', 1, '2026-03-01T09:30:00Z');
      await ship('o-1', 's-1', 2, '2026-03-02T10:00:00Z');
      await ship('o-2', 's-3', 1, '2026-03-05T10:00:00Z');
      await ship('o-1', 's-2', 1, '2026-03-16T10:00:00Z');
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('pays three invoices of two orders oldest due first from one transfer, and keeps the rest as credit', async () => {
      const result = ok(await pay('p-1', 500_00, '2026-03-20T09:00:00Z'));
      expect(new Set(result.events.map((e) => e.streamId))).toEqual(new Set([dealerAccountStream('acme'), orderStream('o-1'), orderStream('o-2')]));
      await settle();
      const account = await dealerAccount(store, 'acme');
      expect(account.credit).toEqual(eur(102_00));
      expect(account.entries).toEqual([
        {
          kind: 'payment',
          id: 'p-1',
          at: '2026-03-20T09:00:00Z',
          amount: eur(500_00),
          allocations: [
            { orderId: 'o-1', invoiceId: 'inv-s-1', amount: eur(200_00) },
            { orderId: 'o-2', invoiceId: 'inv-s-3', amount: eur(100_00) },
            // Inside its ten days: 98.00 settles it, 2.00 allowed.
            { orderId: 'o-1', invoiceId: 'inv-s-2', amount: eur(98_00), discount: eur(2_00) },
          ],
          unapplied: eur(102_00),
          creditAfter: eur(102_00),
          method: 'bank_transfer',
          reference: 'BANK-p-1',
        },
      ]);
      // Each order records its share as a payment with the dealer payment's id, as its own read models read it.
      expect(await paymentsOn('o-1')).toMatchObject([{ paymentId: 'p-1', amount: eur(298_00), outstanding: eur(0) }]);
      expect(await paymentsOn('o-2')).toMatchObject([{ paymentId: 'p-1', amount: eur(100_00), outstanding: eur(0) }]);
      expect(await getOrder(runner.db, 'o-1')).toMatchObject({ status: 'paid', outstanding: eur(0) });
      expect(await openInvoices(runner.db, { asOf: '2026-03-20' })).toEqual([]);
    });

    it('refuses a payment naming an invoice that is not open, and writes nothing', async () => {
      const head = await store.headPosition();
      const refused = await pay('p-2', 10_00, '2026-03-21T09:00:00Z', [{ invoiceId: 'inv-s-1' }]);
      expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'INVOICE_NOT_OPEN' } });
      expect(await store.headPosition()).toBe(head);
    });

    it('applies the credit to the next invoice as it is cut, and the ageing reconciles to the cent', async () => {
      await place('o-3', 2, '2026-04-01T09:00:00Z');
      await ship('o-3', 's-5', 2, '2026-04-02T10:00:00Z');
      const account = await dealerAccount(store, 'acme');
      expect(account.credit).toEqual(eur(0));
      expect(account.entries.at(-1)).toMatchObject({
        kind: 'application',
        at: '2026-04-02T10:00:00Z',
        amount: eur(102_00),
        // Too little to settle it inside its period: a part payment, no discount.
        allocations: [{ orderId: 'o-3', invoiceId: 'inv-s-5', amount: eur(102_00) }],
        creditAfter: eur(0),
      });
      expect(await paymentsOn('o-3')).toMatchObject([{ method: 'offset', amount: eur(102_00), outstanding: eur(98_00) }]);
      const open = await openInvoices(runner.db, { asOf: '2026-05-10' });
      expect(open).toMatchObject([{ invoiceId: 'inv-s-5', orderId: 'o-3', owed: eur(98_00), daysPastDue: 8, bucket: 'd1_30' }]);
      const [ageing] = await agedReceivables(runner.db, { asOf: '2026-05-10', by: 'partner' });
      // Invoiced 600.00 less 500.00 received less 2.00 allowed = 98.00.
      expect(ageing).toMatchObject({ group: 'acme', openInvoices: 1, outstanding: eur(600_00 - 500_00 - 2_00), buckets: { d1_30: eur(98_00) } });
      const head = await store.headPosition();
      for (const day of ['2026-03-19', '2026-03-20', '2026-04-02', '2026-05-10']) {
        const fromLog = await receivablesAsOf(store, { position: head! }, day);
        expect(fromLog, day).toEqual((await receivablesOn(runner.db, [{ key: day, asOf: day }])).get(day));
      }
    });

    it('never pays the same open amount twice when two payments arrive at once', async () => {
      const [a, b] = await Promise.all([pay('p-3', 98_00, '2026-05-11T09:00:00Z'), pay('p-4', 98_00, '2026-05-11T09:00:01Z')]);
      ok(a);
      ok(b);
      await settle();
      const paid = (await paymentsOn('o-3')).filter((p) => ['p-3', 'p-4'].includes((p as { paymentId: string }).paymentId));
      expect(paid).toHaveLength(1);
      expect(paid[0]).toMatchObject({ amount: eur(98_00), outstanding: eur(0) });
      const account = await dealerAccount(store, 'acme');
      expect(account.credit).toEqual(eur(98_00));
      expect(await openInvoices(runner.db, { asOf: '2026-05-11' })).toEqual([]);
    });

    it('refunds credit, never more than the dealer holds', async () => {
      expect(
        await bus.execute(
          { type: 'RefundDealerCredit', data: { partnerId: 'acme', refundId: 'r-1', amount: eur(98_01), refundedAt: '2026-05-12T09:00:00Z' } },
          ctx(),
        ),
      ).toMatchObject({ _tag: 'Left', left: { code: 'CREDIT_EXCEEDED' } });
      await run({ type: 'RefundDealerCredit', data: { partnerId: 'acme', refundId: 'r-1', amount: eur(98_00), refundedAt: '2026-05-12T09:00:00Z' } });
      expect((await dealerAccount(store, 'acme')).credit).toEqual(eur(0));
    });

    it('applies nothing twice when the policy runs over the history again', async () => {
      await sql`update projections.checkpoints set position = null where name like 'policy_%'`.execute(database.db);
      await settle();
      const entries = (await dealerAccount(store, 'acme')).entries;
      expect(entries.map((e) => e.kind)).toEqual(['payment', 'application', 'payment', 'payment', 'refund']);
      expect((await loadAggregate(store, aggregates.orders, orderStream('o-3'))).events.filter((e) => e.type === 'PaymentRecorded')).toHaveLength(2);
    });
  });

await onEveryDatabase('dealer_payments', suite);
