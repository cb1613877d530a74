import { CommandBus } from '@dms/app';
import type { Actor, Message } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agedReceivables, allProjections, dsoByRange, dunningList, openInvoices, ProjectionRunner, receivablesAsOf, receivablesOn } from '../src';
import { contexts, ok } from './support/commands';

/**
 * The ageing per instalment due date (docs/receivables.md#ageing): an invoice of 1,000.00 on 1 January in three
 * instalments, 500.00 at 30 days, 300.00 at 60 and 200.00 at 90, is aged instalment by instalment; 600.00 paid on
 * 20 March pays the oldest first. The read models (ageing, open invoices, dunning, DSO) and the ageing from the log agree,
 * to the cent, with the figures worked out by hand below.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const ctx = contexts('ia', admin);
const buckets = (current: number, d1_30: number, d31_60: number, d61_90: number, over90: number) => ({
  current: eur(current),
  d1_30: eur(d1_30),
  d31_60: eur(d31_60),
  d61_90: eur(d61_90),
  over90: eur(over90),
});

/** By hand: what each instalment (due 31 January, 2 March, 1 April) owes, and the buckets, on each day. */
const expected = [
  // 12 March: 40 days, 10 days, not due: three buckets.
  { asOf: '2026-03-12', owed: [500_00, 300_00, 200_00], buckets: buckets(200_00, 300_00, 500_00, 0, 0), overdue: 800_00 },
  // 15 April, after 600.00 paid on 20 March: the first paid, 100.00 of the second; 44 days and 14 days past due.
  { asOf: '2026-04-15', owed: [0, 200_00, 200_00], buckets: buckets(0, 200_00, 200_00, 0, 0), overdue: 400_00 },
  // 10 June: 100 days and 70 days past due.
  { asOf: '2026-06-10', owed: [0, 200_00, 200_00], buckets: buckets(0, 0, 0, 200_00, 200_00), overdue: 400_00 },
];

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`the ageing per instalment due date on ${name}`, () => {
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Message) => ok(await bus.execute(command, ctx()));

    beforeAll(async () => {
      let database: Database;
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      const since = '2025-12-01T00:00:00Z';
      await run({ type: 'RegisterProduct', data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: since } });
      await run({
        type: 'OnboardPartner',
        data: { partnerId: 'acme', name: 'Acme Ltd', region: 'north', tier: 'gold', creditLimit: eur(100_000_00), contacts: [], onboardedAt: since },
      });
      const orderId = 'o-1';
      ok(
        await bus.placeOrder(
          { orderId, partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 10 }], placedAt: '2025-12-10T09:00:00Z' },
          ctx({ id: 'acme.buyer', role: 'dealer', partnerId: 'acme' }),
        ),
      );
      await run({ type: 'ApproveOrder', data: { orderId, approvedAt: '2025-12-10T10:00:00Z' } });
      await run({ type: 'ConfirmOrder', data: { orderId, confirmedAt: '2025-12-10T11:00:00Z' } });
      await run({ type: 'ShipOrder', data: { orderId, shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 10 }], shippedAt: '2025-12-20T09:00:00Z' } });
      await run({ type: 'DeliverShipment', data: { orderId, shipmentId: 's-1', deliveredAt: '2025-12-22T09:00:00Z' } });
      await run({
        type: 'InvoiceOrder',
        data: {
          orderId,
          invoiceId: 'inv-1',
          invoicedAt: '2026-01-01T09:00:00Z',
          paymentTerms: {
            netDays: 90,
            instalments: [
              { shareBps: 5_000, offsetDays: 30 },
              { shareBps: 3_000, offsetDays: 60 },
              { shareBps: 2_000, offsetDays: 90 },
            ],
          },
        },
      });
      await run({ type: 'RecordPayment', data: { orderId, paymentId: 'p-1', amount: eur(600_00), paidAt: '2026-03-20T10:00:00Z', method: 'bank_transfer' } });
      await runner.catchUp();
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it.each(expected)('ages each instalment by its own due date as of $asOf', async ({ asOf, buckets: want, overdue }) => {
      const outstanding = eur(want.current.amountMinor + want.d1_30.amountMinor + want.d31_60.amountMinor + want.d61_90.amountMinor + want.over90.amountMinor);
      const figures = { currency: 'EUR', openInvoices: 1, outstanding, buckets: want, overdue: eur(overdue), overdueInvoices: 1, creditBalance: eur(0) };
      expect(await agedReceivables(runner.db, { asOf, by: 'partner' })).toEqual([{ group: 'acme', name: 'Acme Ltd', ...figures }]);
      expect((await receivablesOn(runner.db, [{ key: asOf, asOf }])).get(asOf)).toEqual([figures]);
      // From the log, folded by the domain's own evolve and aged by `ageReceivables`: the same figures.
      expect(await receivablesAsOf(store, { position: (await store.headPosition())! }, asOf)).toEqual([figures]);
    });

    it('lists the open invoice with each instalment, what it owes, and the next one due; the instalments add up to the ageing', async () => {
      const [march] = await openInvoices(runner.db, { asOf: '2026-03-12' });
      expect(march).toMatchObject({
        invoiceId: 'inv-1',
        dueOn: '2026-04-01',
        owed: eur(1_000_00),
        overdue: eur(800_00),
        oldestDueOn: '2026-01-31',
        daysPastDue: 40,
        bucket: 'd31_60',
        nextDue: { dueOn: '2026-04-01', owed: eur(200_00) },
      });
      expect(march!.dueDates).toEqual([
        { dueOn: '2026-01-31', amount: eur(500_00), owed: eur(500_00), daysPastDue: 40, bucket: 'd31_60' },
        { dueOn: '2026-03-02', amount: eur(300_00), owed: eur(300_00), daysPastDue: 10, bucket: 'd1_30' },
        { dueOn: '2026-04-01', amount: eur(200_00), owed: eur(200_00), daysPastDue: -20, bucket: 'current' },
      ]);
      for (const { asOf, owed, buckets: want } of expected) {
        const [invoice] = await openInvoices(runner.db, { asOf });
        expect(invoice!.dueDates.map((d) => d.owed.amountMinor)).toEqual(owed);
        expect(invoice!.dueDates.reduce((a, d) => a + d.owed.amountMinor, 0)).toBe(invoice!.owed.amountMinor);
        for (const [bucket, money] of Object.entries(want))
          expect(
            invoice!.dueDates.filter((d) => d.bucket === bucket).reduce((a, d) => a + d.owed.amountMinor, 0),
            `${asOf} ${bucket}`,
          ).toBe(money.amountMinor);
      }
      // After the payment the oldest instalment still owed is the second: aged from 2 March.
      expect((await openInvoices(runner.db, { asOf: '2026-04-15' }))[0]).toMatchObject({ oldestDueOn: '2026-03-02', daysPastDue: 44, nextDue: null });
    });

    it('duns from the oldest instalment still owed, and leaves DSO as it was (the receivables are the same, spread)', async () => {
      const [row] = await dunningList(runner.db, { asOf: '2026-03-12' });
      expect(row).toMatchObject({ invoiceId: 'inv-1', oldestDueOn: '2026-01-31', daysPastDue: 40, level: 3 });
      const dso = await dsoByRange(runner.db, [{ key: 'q1', from: '2026-01-01', to: '2026-03-31' }]);
      // 400.00 owed on 31 March (after 600.00 paid on 20 March) over 1,000.00 sold in the quarter's 90 days: 36.0 days.
      expect(dso.get('q1')).toEqual([{ currency: 'EUR', receivables: eur(400_00), netSales: eur(1_000_00), days: 90, dsoDays: 36 }]);
    });
  });

await onEveryDatabase('instalment ageing', suite);
