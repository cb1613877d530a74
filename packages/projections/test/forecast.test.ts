import { CommandBus, type DmsCommand } from '@dms/app';
import type { Actor } from '@dms/domain';
import { type Database, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, allProjections, demandForecast, ProjectionRunner } from '../src';
import { contexts, ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = contexts('forecast', admin);
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`demand forecast on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: DmsCommand | Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));

    beforeAll(async () => {
      ({ database, teardown } = await open());
      const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      const t0 = '2025-01-01T00:00:00Z';
      await run({ type: 'RegisterProduct', data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: t0 } });
      for (const [partnerId, region] of [
        ['acme', 'north'],
        ['bolt', 'north'],
        ['crux', 'south'],
      ] as const) {
        await run({
          type: 'OnboardPartner',
          data: { partnerId, name: partnerId, region, tier: 'gold', creditLimit: eur(100_000_000), contacts: [], onboardedAt: t0 },
        });
      }
      await run({ type: 'RegisterWarehouse', data: { warehouseId: 'N1', name: 'Oslo', region: 'north', registeredAt: t0 } });
      await run({
        type: 'ReceiveStock',
        data: { warehouseId: 'N1', sku: 'PUMP', receiptId: 'r1', quantity: 25, unitCost: eur(60_00), businessDate: '2025-01-01', recordedAt: t0 },
      });
      await run({ type: 'SetReorderPolicy', data: { warehouseId: 'N1', sku: 'PUMP', min: 5, max: 60, packMultiple: 10, leadTimeDays: 21, setAt: t0 } });
      // A year of steady demand in the north: acme 20 a month, bolt 10; the south buys 5 now and then. One cancelled
      // order and one in the month being forecast must not count.
      let n = 0;
      for (let m = 0; m < 12; m++) {
        const day = `${addMonths('2025-01', m)}-10T09:00:00Z`;
        for (const [partnerId, quantity] of [
          ['acme', 20],
          ['bolt', 10],
        ] as const)
          ok(await bus.placeOrder({ orderId: `o-${++n}`, partnerId, lines: [{ sku: 'PUMP', quantity }], placedAt: day }, ctx()));
        if (m % 4 === 0) ok(await bus.placeOrder({ orderId: `o-${++n}`, partnerId: 'crux', lines: [{ sku: 'PUMP', quantity: 5 }], placedAt: day }, ctx()));
      }
      ok(await bus.placeOrder({ orderId: 'cancelled', partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 500 }], placedAt: '2025-06-11T09:00:00Z' }, ctx()));
      await run({ type: 'CancelOrder', data: { orderId: 'cancelled', reason: 'duplicate', cancelledAt: '2025-06-12T09:00:00Z' } });
      ok(await bus.placeOrder({ orderId: 'next-month', partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 900 }], placedAt: '2026-01-03T09:00:00Z' }, ctx()));
      await runner.catchUp();
    });
    afterAll(async () => {
      await teardown?.();
    });

    it('forecasts each SKU and region from its monthly demand, with days of cover and replenishment advice', async () => {
      const { items } = await demandForecast(runner.db, { asOf: '2026-01', history: 12, horizon: 2 });
      expect(items.map((r) => [r.sku, r.region])).toEqual([
        ['PUMP', 'north'],
        ['PUMP', 'south'],
      ]);
      const north = items[0]!;
      expect(north.history).toHaveLength(12);
      expect(north.history[0]).toEqual({ month: '2025-01', quantity: 30 });
      expect(north.history.every((h) => h.quantity === 30)).toBe(true);
      expect(north.forecast).toEqual([
        { month: '2026-01', quantity: 30 },
        { month: '2026-02', quantity: 30 },
      ]);
      expect(north.meanAbsoluteError).toBe(0);
      // 25 on hand, nothing reserved (no fulfilment running here): 25 units last 25 / (30 / 30.44) = 25 days; the lead
      // time is 21 days, so 20.7 units are needed before a new order arrives: covered, no advice to order.
      expect(north.stock).toMatchObject({ projected: 25, available: 25, leadTimeDays: 21, packMultiple: 10, daysOfCover: 25 });
      expect(north.stock?.advice).toMatchObject({ leadTimeDemand: 20.7, safetyStock: 0, atRisk: false, suggestedQuantity: 0 });

      const south = items[1]!;
      expect(south.history.map((h) => h.quantity)).toEqual([5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0]);
      expect(south.stock).toBeNull();
    });

    it('advises an order when the region will run out before a new one could arrive', async () => {
      await run({
        type: 'AdjustStock',
        data: {
          warehouseId: 'N1',
          sku: 'PUMP',
          adjustmentId: 'count-1',
          reason: 'count',
          countedQuantity: 5,
          businessDate: '2025-12-31',
          recordedAt: '2025-12-31T18:00:00Z',
        },
      });
      await runner.catchUp();
      const [north] = (await demandForecast(runner.db, { asOf: '2026-01', sku: 'PUMP', region: 'north' })).items;
      // 5 left against 20.7 needed: order 20.7 + 30 - 5 = 45.7, in packs of 10.
      expect(north?.stock).toMatchObject({ projected: 5, daysOfCover: 5, advice: { atRisk: true, suggestedQuantity: 50 } });
    });

    it("shows a dealer its own demand only, without the manufacturer's stock", async () => {
      const { items } = await demandForecast(runner.db, { asOf: '2026-01', partnerId: 'bolt' });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ sku: 'PUMP', region: 'north', stock: null });
      expect(items[0]!.history.every((h) => h.quantity === 10)).toBe(true);
    });

    it('pages through the series and refuses a bad month or history length', async () => {
      const first = await demandForecast(runner.db, { asOf: '2026-01', limit: 1 });
      expect(first.items.map((r) => r.region)).toEqual(['north']);
      const second = await demandForecast(runner.db, { asOf: '2026-01', limit: 1, cursor: first.nextCursor! });
      expect(second).toMatchObject({ items: [expect.objectContaining({ region: 'south' })], nextCursor: null });
      await expect(demandForecast(runner.db, { asOf: '2026-13' })).rejects.toThrow('asOf must be a month as YYYY-MM, not "2026-13"');
      await expect(demandForecast(runner.db, { asOf: '2026-01', history: 2 })).rejects.toThrow('history must be 4 to 60 months, not 2');
      expect((await demandForecast(runner.db, { asOf: '2020-01' })).items).toEqual([]);
    });
  });

await onEveryDatabase('forecast', suite);
