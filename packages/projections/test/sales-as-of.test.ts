import { CommandBus } from '@dms/app';
import type { Actor, OrderRequest } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agedReceivables,
  agedReceivablesAsOf,
  allProjections,
  ProjectionRunner,
  receivablesAsOf,
  receivablesOn,
  type SalesAsOfRow,
  salesByPartnerAsOf,
  salesReport,
} from '../src';
import { contexts, ok } from './support/commands';

/**
 * Sales by dealer and month as printed at the end of June, recomputed later from the event log as of that moment: the
 * same figures, although in July a June order was cancelled, another invoiced and paid, and new orders placed.
 */
const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = contexts('sales-as-of', admin);
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`sales by dealer and month as of a month end, from the log: ${name}`, () => {
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const step = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));
    const place = async (orderId: string, partnerId: string, placedAt: string, lines: OrderRequest['lines']) =>
      ok(await bus.placeOrder({ orderId, partnerId, lines, placedAt }, ctx()));
    const deliverAndInvoice = async (orderId: string, quantity: number, at: string) => {
      await step({ type: 'ApproveOrder', data: { orderId, approvedAt: at } });
      await step({ type: 'ConfirmOrder', data: { orderId, confirmedAt: at } });
      await step({ type: 'ShipOrder', data: { orderId, shipmentId: `${orderId}-s`, lines: [{ lineNo: 1, quantity }], shippedAt: at } });
      await step({ type: 'DeliverShipment', data: { orderId, shipmentId: `${orderId}-s`, deliveredAt: at } });
      await step({ type: 'InvoiceOrder', data: { orderId, invoiceId: `${orderId}-inv`, invoicedAt: at, dueDate: '2026-12-31' } });
    };
    /** The report's rows as the log gives them: dealer, month, currency and the figures. */
    const printedRows = async (): Promise<SalesAsOfRow[]> =>
      (await salesReport(runner.db, { groupBy: ['partner', 'month'] })).rows
        .map((r) => ({
          partnerId: r.group.partner!,
          period: r.group.month!,
          currency: r.currency,
          figures: {
            orders: r.orders,
            orderedQty: r.orderedQty,
            shippedQty: r.shippedQty,
            deliveredQty: r.deliveredQty,
            returnedQty: r.returnedQty,
            ordered: r.ordered,
            credited: r.credited,
            net: r.net,
            invoiced: r.invoiced,
            paid: r.paid,
          },
        }))
        .sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : a.period < b.period ? -1 : 1));

    beforeAll(async () => {
      let database: Database;
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      const since = '2026-01-01T00:00:00.000Z';
      await step({
        type: 'RegisterProduct',
        data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: since },
      });
      for (const partnerId of ['acme', 'bolt'])
        await step({
          type: 'OnboardPartner',
          data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(1_000_000_00), contacts: [], onboardedAt: since },
        });
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('equals the report printed then, by recording time and by position', async () => {
      await place('a-1', 'acme', '2026-05-20T09:00:00.000Z', [{ sku: 'PUMP', quantity: 2 }]);
      await deliverAndInvoice('a-1', 2, '2026-05-25T09:00:00.000Z');
      await step({
        type: 'RecordPayment',
        data: { orderId: 'a-1', paymentId: 'a-1-p', amount: eur(50_00), paidAt: '2026-06-01T09:00:00.000Z', method: 'bank_transfer' },
      });
      await place('a-2', 'acme', '2026-06-10T09:00:00.000Z', [{ sku: 'PUMP', quantity: 3 }]);
      await place('b-1', 'bolt', '2026-06-12T09:00:00.000Z', [{ sku: 'PUMP', quantity: 5 }]);
      await place('b-2', 'bolt', '2026-06-15T09:00:00.000Z', [{ sku: 'PUMP', quantity: 1 }]);
      await step({ type: 'CancelOrder', data: { orderId: 'b-2', reason: 'duplicate', cancelledAt: '2026-06-16T09:00:00.000Z' } });
      await runner.catchUp();
      const printed = await printedRows();
      const monthEnd = new Date();
      const monthEndPosition = (await store.headPosition())!;
      expect(printed.map((r) => [r.partnerId, r.period, r.figures.orders])).toEqual([
        ['acme', '2026-05', 1],
        ['acme', '2026-06', 1],
        ['bolt', '2026-06', 1],
      ]);
      await sleep(20);

      // July: a June order cancelled, another delivered and invoiced, a payment, a new order.
      await step({ type: 'CancelOrder', data: { orderId: 'b-1', reason: 'dealer changed plans', cancelledAt: '2026-07-02T09:00:00.000Z' } });
      await deliverAndInvoice('a-2', 3, '2026-07-03T09:00:00.000Z');
      await step({
        type: 'RecordPayment',
        data: { orderId: 'a-1', paymentId: 'a-1-p2', amount: eur(30_00), paidAt: '2026-07-04T09:00:00.000Z', method: 'bank_transfer' },
      });
      await place('b-3', 'bolt', '2026-07-05T09:00:00.000Z', [{ sku: 'PUMP', quantity: 4 }]);
      await runner.catchUp();
      const july = await printedRows();
      expect(july).not.toEqual(printed);

      expect(await salesByPartnerAsOf(store, { at: monthEnd })).toEqual(printed);
      expect(await salesByPartnerAsOf(store, { position: monthEndPosition })).toEqual(printed);
      expect(await salesByPartnerAsOf(store, {})).toEqual(july);
      expect((await salesByPartnerAsOf(store, { at: monthEnd }, 'quarter')).map((r) => [r.partnerId, r.period, r.figures.orders])).toEqual([
        ['acme', '2026-Q2', 2],
        ['bolt', '2026-Q2', 1],
      ]);
    });

    it('gives the aged receivables of a day as printed then, though a payment dated before that day was recorded after', async () => {
      await place('r-1', 'acme', '2026-06-01T09:00:00.000Z', [{ sku: 'PUMP', quantity: 1 }]);
      const at = '2026-06-02T09:00:00.000Z';
      await step({ type: 'ApproveOrder', data: { orderId: 'r-1', approvedAt: at } });
      await step({ type: 'ConfirmOrder', data: { orderId: 'r-1', confirmedAt: at } });
      await step({ type: 'ShipOrder', data: { orderId: 'r-1', shipmentId: 'r-1-s', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: at } });
      await step({ type: 'DeliverShipment', data: { orderId: 'r-1', shipmentId: 'r-1-s', deliveredAt: at } });
      await step({ type: 'InvoiceOrder', data: { orderId: 'r-1', invoiceId: 'r-1-inv', invoicedAt: at, dueDate: '2026-06-15' } });
      await runner.catchUp();
      const day = '2026-06-30';
      const printed = (await receivablesOn(runner.db, [{ key: 'm', asOf: day }])).get('m');
      const printedByDealer = await agedReceivables(runner.db, { asOf: day, by: 'partner' });
      const monthEnd = new Date();
      const monthEndPosition = (await store.headPosition())!;
      expect(printed).toEqual([expect.objectContaining({ currency: 'EUR', overdueInvoices: 1 })]);
      await sleep(20);

      // In July, the bank statement shows r-1 was paid on 28 June: recorded now, dated then.
      await step({
        type: 'RecordPayment',
        data: { orderId: 'r-1', paymentId: 'r-1-p', amount: eur(90_00), paidAt: '2026-06-28T09:00:00.000Z', method: 'bank_transfer' },
      });
      await runner.catchUp();
      const restated = (await receivablesOn(runner.db, [{ key: 'm', asOf: day }])).get('m');
      expect(restated).not.toEqual(printed);

      expect(await receivablesAsOf(store, { at: monthEnd }, day)).toEqual(printed);
      expect(await receivablesAsOf(store, { position: monthEndPosition }, day)).toEqual(printed);
      expect(await receivablesAsOf(store, {}, day)).toEqual(restated);
      // The collector's list, dealer by dealer, likewise.
      expect(printedByDealer).toEqual([expect.objectContaining({ group: 'acme', overdueInvoices: 1 })]);
      expect(await agedReceivablesAsOf(store, { at: monthEnd }, { day, by: 'partner' })).toEqual(printedByDealer);
      expect(await agedReceivablesAsOf(store, { at: monthEnd }, { day, by: 'partner' }, { partnerId: 'bolt' })).toEqual([]);
      expect(await agedReceivablesAsOf(store, {}, { day, by: 'region' })).toEqual(await agedReceivables(runner.db, { asOf: day, by: 'region' }));
    });
  });

await onEveryDatabase('sales_as_of', suite);
