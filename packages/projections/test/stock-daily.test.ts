import { addDays } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { describe, expect, it } from 'vitest';
import { type ReadModels, stockDailyProjection } from '../src';

/** A receipt of `quantity` units at 2.00 each into WH-1, on `day`. */
const receipt = (n: number, sku: string, day: string, quantity: number): RecordedEvent => ({
  streamId: `stock-WH-1.${sku}`,
  streamVersion: n,
  globalPosition: BigInt(n + 1),
  eventId: `e-${n}`,
  type: 'StockReceived',
  data: {
    warehouseId: 'WH-1',
    sku,
    receiptId: `r-${n}`,
    quantity,
    unitCost: { amountMinor: 200, currency: 'EUR' },
    value: { amountMinor: 200 * quantity, currency: 'EUR' },
    businessDate: day,
    recordedAt: `${day}T10:00:00.000Z`,
  },
  metadata: { correlationId: 'c', causationId: null, actor: { id: 'wes', role: 'sales' }, schemaVersion: 1 } as unknown as RecordedEvent['metadata'],
  recordedAt: new Date(`${day}T10:00:00.000Z`),
});

await onEveryDatabase('stock_daily', (name, open) =>
  describe(`stock_daily on ${name}`, () => {
    it('adds up a batch with thousands of days, and the next batch onto it', async () => {
      const { database, teardown } = await open();
      try {
        const db = database.db as unknown as import('kysely').Kysely<ReadModels>;
        await stockDailyProjection.createTables(db);
        // Two SKUs, a receipt a day for 1500 days each, in one batch: every key read back at once.
        const days = Array.from({ length: 1500 }, (_, i) => addDays('2022-01-01', i));
        const first = days.flatMap((day, i) => [receipt(2 * i, 'A', day, 1), receipt(2 * i + 1, 'B', day, 2)]);
        await db.transaction().execute((tx) => stockDailyProjection.apply(tx, first));
        // The same days again: each adds to what its day holds.
        await db.transaction().execute((tx) => stockDailyProjection.apply(tx, first.slice(0, 1000)));
        const rows = await db.selectFrom('stock_daily').selectAll().orderBy('sku').orderBy('day').execute();
        expect(rows).toHaveLength(3000);
        expect(rows.filter((r) => r.sku === 'A').reduce((a, r) => a + r.on_hand_change, 0)).toBe(1500 + 500);
        const day1 = rows.find((r) => r.sku === 'B' && r.day === '2022-01-01')!;
        expect([day1.on_hand_change, Number(day1.value_change_minor), day1.currency]).toEqual([4, 800, 'EUR']);
      } finally {
        await teardown();
      }
    });
    it('reads the rows of the schema it applies into, as a rebuild or a verify does, never the live table', async () => {
      const { database, teardown } = await open();
      try {
        const db = database.db as unknown as import('kysely').Kysely<ReadModels>;
        await stockDailyProjection.createTables(db);
        await db.schema.createSchema('scratch_daily').execute();
        await stockDailyProjection.createTables(db.withSchema('scratch_daily'));
        const events = [receipt(0, 'A', '2026-11-07', 5)];
        // The live table already holds the day; a replay into the scratch schema starts from nothing.
        await db.transaction().execute((tx) => stockDailyProjection.apply(tx, events));
        await db.transaction().execute((tx) => stockDailyProjection.apply(tx.withSchema('scratch_daily'), events));
        const scratch = await db.withSchema('scratch_daily').selectFrom('stock_daily').select('on_hand_change').execute();
        const live = await db.selectFrom('stock_daily').select('on_hand_change').execute();
        expect(scratch).toEqual([{ on_hand_change: 5 }]);
        expect(live).toEqual([{ on_hand_change: 5 }]);
      } finally {
        await teardown();
      }
    });
  }),
);
