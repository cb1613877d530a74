import { aggregates, orderStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agedReceivables,
  allProjections,
  dsoByRange,
  getOrder,
  openInvoices,
  ProjectionRunner,
  receivablesAsOf,
  receivablesOn,
  splitLedger,
  taxReport,
} from '../src';
import { dealerWorld, eur } from './support/dealer-world';

/**
 * Invoicing each shipment on the agreement's terms, end to end (docs/receivables.md): a dealer on 2/10 net 30 invoiced
 * per shipment; its order leaves in two shipments, each invoiced by the `shipment_invoicing` policy with its own due date;
 * the orders read model, the revenue split and the receivables (ageing, open invoices, DSO, and the ageing from the log)
 * all count both invoices, and reconcile with the invoices and the payment to the cent.
 */
const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`shipments invoiced on the agreement's terms on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    /** Acme on 2/10 net 30, invoiced per shipment, with every projection and policy (`dealerWorld`). */
    let world: Awaited<ReturnType<typeof dealerWorld>>;
    const invoiceEvents = async () => (await loadAggregate(store, aggregates.orders, orderStream('o-1'))).events.filter((e) => e.type === 'ShipmentInvoiced');

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      world = await dealerWorld(store, database, 'si');
      await world.place('o-1', 3, '2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z');
      // Two pumps leave on 2 March, the third on 16 March; 196.00 paid on 10 March settles the first within its 10 days.
      await world.ship('o-1', 's-1', 2, '2026-03-02T10:00:00Z');
      await world.run({
        type: 'RecordPayment',
        data: { orderId: 'o-1', paymentId: 'p-1', amount: eur(196_00), paidAt: '2026-03-10T10:00:00Z', method: 'bank_transfer' },
      });
      await world.run({
        type: 'ShipOrder',
        data: { orderId: 'o-1', shipmentId: 's-2', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: '2026-03-16T10:00:00Z' },
      });
      await world.run({ type: 'DeliverShipment', data: { orderId: 'o-1', shipmentId: 's-2', deliveredAt: '2026-03-18T10:00:00Z' } });
      await world.settle();
    });
    afterAll(async () => {
      await world?.runner.stop();
      await teardown?.();
    });

    it('invoices each shipment as it leaves, due 30 days after, with 2 % off within 10 days', async () => {
      const order = await getOrder(world.runner.db, 'o-1');
      expect(order).toMatchObject({ status: 'invoiced', invoice: null, outstanding: eur(100_00), paid: eur(196_00) });
      expect(order!.shipments.map((s) => s.invoice)).toEqual([
        { invoiceId: 'inv-s-1', amount: eur(200_00), tax: eur(0), invoicedAt: '2026-03-02T10:00:00Z', dueDate: '2026-04-01' },
        { invoiceId: 'inv-s-2', amount: eur(100_00), tax: eur(0), invoicedAt: '2026-03-16T10:00:00Z', dueDate: '2026-04-15' },
      ]);
      expect(order!.dates.invoicedAt).toBe('2026-03-16T10:00:00Z');
      const events = await invoiceEvents();
      expect(events.map((e) => (e.data as { earlyPayment?: unknown }).earlyPayment)).toEqual([
        { until: '2026-03-12', discount: eur(4_00) },
        { until: '2026-03-26', discount: eur(2_00) },
      ]);
      // The policy sent the intent; the invoice is the system's, caused by the shipment.
      expect(events.map((e) => e.metadata.actor)).toEqual([
        { id: 'policy:shipment_invoicing', role: 'system' },
        { id: 'policy:shipment_invoicing', role: 'system' },
      ]);
    });

    it('splits each shipment’s invoice by the agreement', async () => {
      const ledger = await splitLedger(world.runner.db, { partnerId: 'acme' });
      const invoices = ledger.items.filter((l) => l.source.kind === 'invoice');
      expect(new Set(invoices.map((l) => l.source.id))).toEqual(new Set(['inv-s-1', 'inv-s-2']));
      expect(ledger.totals.find((t) => t.partyId === 'acme')?.revenue).toEqual(eur(30_00));
    });

    it('ages each invoice by its own due date, reconciling with the invoices and the payment to the cent', async () => {
      // 5 March: the first invoice is open and current, the second not issued yet.
      expect(await openInvoices(world.runner.db, { asOf: '2026-03-05' })).toMatchObject([
        { invoiceId: 'inv-s-1', owed: eur(200_00), settled: eur(0), dueOn: '2026-04-01', bucket: 'current' },
      ]);
      // 20 April: the first was settled by 196.00 and its 4.00 discount; the second is 5 days past due.
      const open20 = await openInvoices(world.runner.db, { asOf: '2026-04-20' });
      expect(open20).toMatchObject([{ invoiceId: 'inv-s-2', orderId: 'o-1', shipmentId: 's-2', owed: eur(100_00), daysPastDue: 5, bucket: 'd1_30' }]);
      const [ageing] = await agedReceivables(world.runner.db, { asOf: '2026-04-20', by: 'partner' });
      expect(ageing).toMatchObject({ group: 'acme', openInvoices: 1, outstanding: eur(100_00), overdue: eur(100_00), buckets: { d1_30: eur(100_00) } });
      // Invoiced 300.00 less 196.00 paid less 4.00 allowed = 100.00 owed, in the ageing and on the order.
      expect(300_00 - 196_00 - 4_00).toBe(ageing!.outstanding.amountMinor);
      expect((await getOrder(world.runner.db, 'o-1'))!.outstanding).toEqual(ageing!.outstanding);
      // The ageing from the log, folded by the domain, is the read model's.
      const head = await store.headPosition();
      for (const day of ['2026-03-05', '2026-03-12', '2026-04-02', '2026-04-20']) {
        const fromLog = await receivablesAsOf(store, { position: head! }, day);
        expect(fromLog, day).toEqual((await receivablesOn(world.runner.db, [{ key: day, asOf: day }])).get(day));
      }
    });

    it('counts both invoices as March sales in DSO', async () => {
      const dso = (await dsoByRange(world.runner.db, [{ key: 'march', from: '2026-03-01', to: '2026-03-31' }])).get('march');
      // 100.00 owed on 31 March over 300.00 invoiced in March, times 31 days.
      expect(dso).toEqual([{ currency: 'EUR', receivables: eur(100_00), netSales: eur(300_00), days: 31, dsoDays: 10.3 }]);
    });

    it('invoices nothing twice when the policy runs over the history again', async () => {
      await sql`update projections.checkpoints set position = null where name like 'policy_%'`.execute(database.db);
      await world.settle();
      expect((await invoiceEvents()).map((e) => (e.data as { invoiceId: string }).invoiceId)).toEqual(['inv-s-1', 'inv-s-2']);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kpi_invoices where order_id = 'o-1'`.execute(database.db);
      expect(rows[0]!.n).toBe(2);
    });

    it('reports each shipment invoice’s share of the tax in the period it is dated', async () => {
      await world.run({
        type: 'PublishTaxRate',
        data: {
          region: 'north',
          rateId: 'north-std-19',
          category: 'standard',
          rateBps: 1_900,
          validFrom: '2026-05-01T00:00:00Z',
          publishedAt: '2026-04-25T00:00:00Z',
        },
      });
      await world.settle();
      await world.place('o-2', 3, '2026-05-02T09:00:00Z', '2026-05-02T10:00:00Z');
      await world.run({
        type: 'ShipOrder',
        data: { orderId: 'o-2', shipmentId: 's-3', lines: [{ lineNo: 1, quantity: 2 }], shippedAt: '2026-05-03T10:00:00Z' },
      });
      await world.run({
        type: 'ShipOrder',
        data: { orderId: 'o-2', shipmentId: 's-4', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: '2026-06-01T10:00:00Z' },
      });
      await world.settle();
      const order = await getOrder(world.runner.db, 'o-2');
      expect(order!.shipments.map((s) => [s.invoice?.amount, s.invoice?.tax])).toEqual([
        [eur(238_00), eur(38_00)],
        [eur(119_00), eur(19_00)],
      ]);
      const may = await taxReport(world.runner.db, { period: '2026-05' });
      expect(may.rows).toMatchObject([
        { category: 'standard', rateBps: 1_900, invoiced: { net: eur(200_00), tax: eur(38_00), gross: eur(238_00) }, documents: 1 },
      ]);
      const quarter = await taxReport(world.runner.db, { period: '2026-Q2' });
      // The two invoices add up to the order's tax to the cent.
      expect(quarter.totals).toEqual([{ currency: 'EUR', net: eur(300_00), tax: eur(57_00), gross: eur(357_00) }]);
      expect(order).toMatchObject({ tax: eur(57_00), gross: eur(357_00), outstanding: eur(357_00) });
    });

    it('gives back the tax in an early-payment discount where the region says so, for orders placed from then on', async () => {
      await world.run({
        type: 'SetEarlyPaymentDiscountTreatment',
        data: { region: 'north', treatment: 'reducesTaxableAmount', validFrom: '2026-06-10T00:00:00Z', setAt: '2026-06-05T00:00:00Z' },
      });
      // o-2's second invoice (119.00, 1 June) paid less its 2.38 discount on 5 June: o-2 was placed before the treatment.
      await world.run({
        type: 'RecordPayment',
        data: { orderId: 'o-2', paymentId: 'pay-o2', amount: eur(116_62), paidAt: '2026-06-05T09:00:00Z', method: 'bank_transfer', invoiceId: 'inv-s-4' },
      });
      await world.place('o-3', 1, '2026-06-15T09:00:00Z', '2026-06-15T10:00:00Z');
      await world.run({
        type: 'ShipOrder',
        data: { orderId: 'o-3', shipmentId: 's-5', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: '2026-06-16T10:00:00Z' },
      });
      await world.settle();
      // 119.00 less 2 %: 116.62 within ten days; the 2.38 discount holds 0.38 of tax at 19 %.
      await world.run({
        type: 'RecordPayment',
        data: { orderId: 'o-3', paymentId: 'pay-o3', amount: eur(116_62), paidAt: '2026-06-20T09:00:00Z', method: 'bank_transfer' },
      });
      await world.settle();
      const payments = (await loadAggregate(store, aggregates.orders, orderStream('o-3'))).events.filter((e) => e.type === 'PaymentRecorded');
      expect(payments.map((e) => e.data)).toMatchObject([
        { allocations: [{ invoiceId: 'inv-s-5', discount: eur(2_38), discountTax: [{ lineNo: 1, net: eur(2_00), tax: eur(38) }] }] },
      ]);
      const june = await taxReport(world.runner.db, { period: '2026-06' });
      expect(june.rows).toEqual([
        {
          region: 'north',
          currency: 'EUR',
          category: 'standard',
          rateBps: 1_900,
          invoiced: { net: eur(200_00), tax: eur(38_00), gross: eur(238_00) },
          credited: { net: eur(0), tax: eur(0), gross: eur(0) },
          discounted: { net: eur(2_00), tax: eur(38), gross: eur(2_38) },
          net: eur(198_00),
          tax: eur(37_62),
          gross: eur(235_62),
          documents: 3,
        },
      ]);
      // The discount settles o-3 as it would anywhere: the treatment moves tax, not what the dealer owes.
      expect((await getOrder(world.runner.db, 'o-3'))!.outstanding).toEqual(eur(0));
    });

    it('replays tax, order reviews and orders, in one batch and one event at a time, into the tables built live', async () => {
      // Given the history above (taxed and untaxed orders, shipment invoices, a discount giving back tax), built live as
      // each command landed
      await world.settle();
      const ledger = await sql<{ n: number }>`select count(*)::int as n from tax_entries`.execute(world.runner.db);
      expect(ledger.rows[0]!.n).toBeGreaterThan(2);
      const oneByOne = await ProjectionRunner.create(database.db, store, allProjections, { rebuildBatchSize: 1 });
      for (const name of ['tax', 'order_reviews', 'orders']) {
        // When it is replayed in one batch (a rebuild's batches hold the whole history here) and one event at a time
        for (const replay of [world.runner, oneByOne]) {
          const verification = await replay.verify(name);
          // Then every table equals the live one, row for row
          expect(verification.tables.filter((t) => t.missing > 0 || t.unexpected > 0)).toEqual([]);
          expect(verification.ok).toBe(true);
          expect(verification.tables.reduce((n, t) => n + t.rows, 0)).toBeGreaterThan(0);
        }
      }
    });
  });

await onEveryDatabase('shipment_invoices', suite);
