import { type StockEvent, stockEffect } from '@dms/domain';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { StockDailyTable } from './kpis-schema';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';
import { businessDateOf, STOCK_EVENT_TYPES, stockKeyOf } from './stock-movement';

const keyOf = (r: Pick<StockDailyTable, 'warehouse_id' | 'sku' | 'day'>) => `${r.warehouse_id}\u0000${r.sku}\u0000${r.day}`;

/**
 * `stock_daily`: the net change of on hand, reserved and value per warehouse, SKU and business day (a back-dated
 * movement counts on the day it happened). Stock on any day is the sum of the changes up to it, so a chart of stock
 * over a year reads at most a row per SKU, warehouse and day that had a movement, never the movements themselves.
 */
export const stockDailyProjection: Projection = {
  name: 'stock_daily',
  version: 1,
  eventTypes: STOCK_EVENT_TYPES.filter((t) => t !== 'ReorderPolicySet'),
  tables: ['stock_daily'],
  async createTables(db) {
    await db.schema
      .createTable('stock_daily')
      .ifNotExists()
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('on_hand_change', 'integer', (c) => c.notNull())
      .addColumn('reserved_change', 'integer', (c) => c.notNull())
      .addColumn('value_change_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text')
      .addPrimaryKeyConstraint('stock_daily_pkey', ['warehouse_id', 'sku', 'day'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('stock_daily_sku_idx').ifNotExists().on('stock_daily').columns(['sku', 'day']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const changes = new Map<string, StockDailyTable>();
    for (const recorded of events) {
      const event = recorded as unknown as StockEvent;
      const { warehouseId, sku } = stockKeyOf(recorded);
      const effect = stockEffect(event);
      const key = keyOf({ warehouse_id: warehouseId, sku, day: businessDateOf(event) });
      let row = changes.get(key);
      if (!row) {
        row = { warehouse_id: warehouseId, sku, day: businessDateOf(event), on_hand_change: 0, reserved_change: 0, value_change_minor: 0, currency: null };
        changes.set(key, row);
      }
      row.on_hand_change += effect.onHand;
      row.reserved_change += effect.reserved;
      row.value_change_minor += effect.value;
      row.currency ??= (event.data as { value?: { currency: string } }).value?.currency ?? null;
    }
    if (changes.size === 0) return;
    // Add the batch's changes to what each day already holds.
    const rows = [...changes.values()];
    // The batch's keys travel as one jsonb parameter read as a table: a long row-IN list nests deep enough to exhaust
    // the embedded database's stack. The table goes through the query builder, so that a replay into a scratch schema
    // (`withSchema`, as rebuild and verify do) reads its own rows rather than the live table's.
    const keys = JSON.stringify(rows.map((r) => ({ warehouse_id: r.warehouse_id, sku: r.sku, day: r.day })));
    const existing = await db
      .selectFrom('stock_daily')
      .selectAll()
      .where(
        sql<boolean>`(warehouse_id, sku, day) in (
          select k.warehouse_id, k.sku, k.day from jsonb_to_recordset(${keys}::jsonb) as k(warehouse_id text, sku text, day text))`,
      )
      .execute();
    for (const e of existing) {
      const row = changes.get(keyOf(e))!;
      row.on_hand_change += e.on_hand_change;
      row.reserved_change += e.reserved_change;
      row.value_change_minor += Number(e.value_change_minor);
      row.currency = e.currency ?? row.currency;
    }
    await upsertRows(db, 'stock_daily', ['warehouse_id', 'sku', 'day'], rows);
  },
};
