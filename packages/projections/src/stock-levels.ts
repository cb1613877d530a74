import { averageUnitCost, projectedQuantity, type SourcingEvent, type StockEvent, stockEffect, suggestReorder, type WarehouseEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';
import { businessDateOf, inStockKeys, recordedAtOf, STOCK_EVENT_TYPES, stockKeyOf } from './stock-movement';
import type { StockLevelsTable, StockSourcingTable, StockWarehousesTable } from './stock-schema';

const fresh = (warehouseId: string, sku: string): StockLevelsTable => ({
  warehouse_id: warehouseId,
  sku,
  currency: null,
  on_hand: 0,
  reserved: 0,
  backordered: 0,
  available: 0,
  incoming: 0,
  projected: 0,
  value_minor: 0,
  incoming_value_minor: 0,
  unit_cost_minor: null,
  reorder_min: null,
  reorder_max: null,
  pack_multiple: null,
  lead_time_days: null,
  low: false,
  suggested_order_qty: 0,
  low_since: null,
  last_movement_on: null,
  movements: 0,
  version: -1,
  updated_at: '',
});

/** Applies one stock event to its level row, in place, with the domain's own rules for every derived figure. */
const applyToLevel = (row: StockLevelsTable, event: StockEvent, version: number): void => {
  const e = stockEffect(event);
  row.on_hand += e.onHand;
  row.reserved += e.reserved;
  row.backordered += e.backordered;
  row.incoming += e.incoming;
  row.value_minor += e.value;
  row.incoming_value_minor += e.incomingValue;
  const value = (event.data as { value?: { currency: string } }).value;
  row.currency ??= value?.currency ?? null;
  if (event.type === 'ReorderPolicySet') {
    row.reorder_min = event.data.min;
    row.reorder_max = event.data.max;
    row.pack_multiple = event.data.packMultiple;
    row.lead_time_days = event.data.leadTimeDays;
  } else {
    row.movements += 1;
    row.last_movement_on = row.last_movement_on && row.last_movement_on > businessDateOf(event) ? row.last_movement_on : businessDateOf(event);
  }
  row.available = row.on_hand - row.reserved;
  row.projected = projectedQuantity({ onHand: row.on_hand, incoming: row.incoming, reserved: row.reserved, backordered: row.backordered });
  row.unit_cost_minor = averageUnitCost(row.on_hand, row.value_minor);
  const wasLow = row.low;
  const suggestion =
    row.reorder_min === null || row.reorder_max === null
      ? { low: false, quantity: 0 }
      : suggestReorder(row.projected, {
          min: row.reorder_min,
          max: row.reorder_max,
          packMultiple: row.pack_multiple ?? 1,
          leadTimeDays: row.lead_time_days ?? 0,
        });
  row.low = suggestion.low;
  row.suggested_order_qty = suggestion.quantity;
  row.low_since = !suggestion.low ? null : wasLow ? row.low_since : businessDateOf(event);
  row.version = version;
  row.updated_at = recordedAtOf(event);
};

/**
 * `stock_levels`: one row per warehouse and SKU with on hand, reserved, available, backordered, incoming, projected, the
 * moving-average unit cost and value, the reorder policy and whether the stock is low with a suggested order quantity.
 * `stock_warehouses` and `stock_sourcing` place every warehouse in its region, for the roll-ups.
 */
export const stockLevelsProjection: Projection = {
  name: 'stock_levels',
  version: 1,
  eventTypes: [...STOCK_EVENT_TYPES, 'WarehouseRegistered', 'SourcingOrderSet'],
  tables: ['stock_warehouses', 'stock_sourcing', 'stock_levels'],
  async createTables(db) {
    await db.schema
      .createTable('stock_warehouses')
      .ifNotExists()
      .addColumn('warehouse_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('stock_sourcing')
      .ifNotExists()
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stock_sourcing_pkey', ['region', 'rank'])
      .execute();
    let levels = db.schema
      .createTable('stock_levels')
      .ifNotExists()
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('currency', 'text');
    for (const col of ['on_hand', 'reserved', 'backordered', 'available', 'incoming', 'projected', 'suggested_order_qty', 'movements', 'version'])
      levels = levels.addColumn(col, 'integer', (c) => c.notNull());
    for (const col of ['value_minor', 'incoming_value_minor']) levels = levels.addColumn(col, 'bigint', (c) => c.notNull());
    levels = levels.addColumn('unit_cost_minor', 'bigint');
    for (const col of ['reorder_min', 'reorder_max', 'pack_multiple', 'lead_time_days']) levels = levels.addColumn(col, 'integer');
    await levels
      .addColumn('low', 'boolean', (c) => c.notNull())
      .addColumn('low_since', 'text')
      .addColumn('last_movement_on', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stock_levels_pkey', ['warehouse_id', 'sku'])
      .execute();
    await db.schema.createIndex('stock_levels_sku_idx').ifNotExists().on('stock_levels').columns(['sku', 'warehouse_id']).execute();
    await db.schema.createIndex('stock_levels_low_idx').ifNotExists().on('stock_levels').columns(['low', 'warehouse_id', 'sku']).execute();
  },
  async apply(db: Kysely<ReadModels>, events: readonly RecordedEvent[]) {
    const warehouses = new Map<string, StockWarehousesTable>();
    const sourcing = new Map<string, readonly string[]>();
    const stock = events.filter((e) => e.streamId.startsWith('stock-'));
    for (const e of events) {
      if (e.type === 'WarehouseRegistered') {
        const d = (e as unknown as WarehouseEvent).data;
        warehouses.set(d.warehouseId, {
          warehouse_id: d.warehouseId,
          name: d.name,
          region: d.region,
          address: d.address ?? null,
          registered_at: d.registeredAt,
        });
      } else if (e.type === 'SourcingOrderSet') {
        const d = (e as unknown as SourcingEvent).data;
        sourcing.set(d.region, d.warehouseIds);
      }
    }
    await upsertRows(db, 'stock_warehouses', ['warehouse_id'], [...warehouses.values()]);
    if (sourcing.size > 0) {
      await db
        .deleteFrom('stock_sourcing')
        .where('region', 'in', [...sourcing.keys()])
        .execute();
      const rows: StockSourcingTable[] = [...sourcing].flatMap(([region, ids]) => ids.map((warehouse_id, i) => ({ region, rank: i + 1, warehouse_id })));
      if (rows.length > 0) await db.insertInto('stock_sourcing').values(rows).execute();
    }
    if (stock.length === 0) return;

    const keys = [...new Map(stock.map((e) => [stockKeyOf(e).key, stockKeyOf(e)])).values()];
    const existing = await db.selectFrom('stock_levels').selectAll().where(inStockKeys(keys)).execute();
    const rows = new Map(existing.map((r) => [`${r.warehouse_id}.${r.sku}`, r]));
    for (const e of stock) {
      const { warehouseId, sku, key } = stockKeyOf(e);
      let row = rows.get(key);
      if (!row) {
        row = fresh(warehouseId, sku);
        rows.set(key, row);
      }
      applyToLevel(row, e as unknown as StockEvent, e.streamVersion);
    }
    await upsertRows(
      db,
      'stock_levels',
      ['warehouse_id', 'sku'],
      keys.map((k) => rows.get(k.key)!),
    );
  },
};
