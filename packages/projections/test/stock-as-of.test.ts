import { CommandBus } from '@dms/app';
import type { Actor } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, allReactors, ProjectionRunner, type StockValuation, stockValuation, stockValuationAsOf } from '../src';
import { ok } from './support/commands';

/**
 * Finance closes June on the stock valuation printed at the month end. Recomputed later from the event log as of that
 * moment (not from the current tables), it is the same report, to the unit and the cent, although July has moved stock
 * since, including a receipt back-dated into June.
 */
const admin: Actor = { id: 'admin-1', role: 'admin' };
let seq = 0;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`the stock valuation as of a month end, from the log: ${name}`, () => {
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, { commandId: `as-of-${++seq}`, actor: admin }));
    const settle = async () => {
      for (;;) {
        const head = await store.headPosition();
        await runner.catchUp();
        if ((await store.headPosition()) === head) return;
      }
    };
    const receive = (warehouseId: string, sku: string, quantity: number, unitCost: number, businessDate: string, recordedAt: string) =>
      run({
        type: 'ReceiveStock',
        data: { warehouseId, sku, receiptId: `r-${++seq}`, quantity, unitCost: eur(unitCost), businessDate, recordedAt },
      });

    beforeAll(async () => {
      let database: Database;
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [...allProjections, ...allReactors(bus)]);
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('equals the report printed at the month end, by recording time and by position, and today’s from the log is today’s', async () => {
      for (const sku of ['PUMP', 'VALVE', 'HOSE'])
        await run({
          type: 'RegisterProduct',
          data: { sku, name: sku, category: 'c', unit: 'each', listPrice: eur(10_00), registeredAt: '2026-06-01T08:00:00Z' },
        });
      for (const [warehouseId, region] of [
        ['N1', 'north'],
        ['C1', 'central'],
      ] as const)
        await run({ type: 'RegisterWarehouse', data: { warehouseId, name: warehouseId, region, registeredAt: '2026-06-01T08:00:00Z' } });
      await receive('N1', 'PUMP', 10, 100_00, '2026-06-02', '2026-06-02T09:00:00Z');
      await receive('N1', 'PUMP', 5, 130_00, '2026-06-10', '2026-06-10T09:00:00Z');
      await receive('C1', 'VALVE', 40, 12_34, '2026-06-11', '2026-06-11T09:00:00Z');
      await run({
        type: 'SetReorderPolicy',
        data: { warehouseId: 'N1', sku: 'PUMP', min: 8, max: 30, packMultiple: 5, leadTimeDays: 10, setAt: '2026-06-12T09:00:00Z' },
      });
      await run({
        type: 'ReserveStock',
        data: {
          warehouseId: 'N1',
          sku: 'PUMP',
          orderId: 'SO-1',
          lineNo: 1,
          partnerId: 'acme',
          placedAt: '2026-06-20T09:00:00Z',
          quantity: 9,
          onShortage: 'backorder',
          reservedAt: '2026-06-20T09:00:00Z',
        },
      });
      await run({
        type: 'AdjustStock',
        data: {
          warehouseId: 'C1',
          sku: 'VALVE',
          adjustmentId: 'a-1',
          reason: 'damage',
          quantityChange: -3,
          businessDate: '2026-06-25',
          recordedAt: '2026-06-25T09:00:00Z',
        },
      });
      await run({
        type: 'TransferStockOut',
        data: {
          warehouseId: 'C1',
          sku: 'VALVE',
          transferId: 't-1',
          toWarehouseId: 'N1',
          quantity: 7,
          businessDate: '2026-06-29',
          recordedAt: '2026-06-29T09:00:00Z',
        },
      });
      await settle();
      const printed: StockValuation[] = await stockValuation(runner.db);
      const monthEnd = new Date();
      const monthEndPosition = (await store.headPosition())!;
      expect(printed.find((v) => v.region === null)).toMatchObject({ onHand: 45, reserved: 9, incoming: 7, lowStock: 1 });
      await sleep(20);

      // July: a back-dated June receipt, more receipts, a count, the transfer arrives, more reserved.
      await receive('N1', 'PUMP', 4, 90_00, '2026-06-30', '2026-07-02T09:00:00Z');
      await receive('C1', 'HOSE', 100, 5_00, '2026-07-03', '2026-07-03T09:00:00Z');
      await run({
        type: 'TransferStockIn',
        data: { warehouseId: 'N1', sku: 'VALVE', transferId: 't-1', businessDate: '2026-07-04', recordedAt: '2026-07-04T09:00:00Z' },
      });
      await run({
        type: 'AdjustStock',
        data: {
          warehouseId: 'C1',
          sku: 'VALVE',
          adjustmentId: 'a-2',
          reason: 'count',
          countedQuantity: 25,
          businessDate: '2026-07-05',
          recordedAt: '2026-07-05T09:00:00Z',
        },
      });
      await settle();
      const july = await stockValuation(runner.db);
      expect(july).not.toEqual(printed);

      expect(await stockValuationAsOf(store, { at: monthEnd })).toEqual(printed);
      expect(await stockValuationAsOf(store, { position: monthEndPosition })).toEqual(printed);
      // As of now, the log and the read model agree too.
      expect(await stockValuationAsOf(store, {})).toEqual(july);
      // Before anything was recorded: nothing.
      expect(await stockValuationAsOf(store, { at: new Date('2000-01-01T00:00:00Z') })).toEqual([]);
    });
  });

await onEveryDatabase('stock_as_of', suite);
