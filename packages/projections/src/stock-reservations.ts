import type { StockEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';
import { recordedAtOf, stockKeyOf, utc } from './stock-movement';

type ReservationEventType =
  | 'StockReserved'
  | 'StockBackordered'
  | 'StockReservationReleased'
  | 'StockBackorderCancelled'
  | 'StockBackorderWithdrawn'
  | 'StockShipped';
type ReservationEvent = Extract<StockEvent, { type: ReservationEventType }>;
const EVENT_TYPES: readonly ReservationEventType[] = [
  'StockReserved',
  'StockBackordered',
  'StockReservationReleased',
  'StockBackorderCancelled',
  'StockBackorderWithdrawn',
  'StockShipped',
];

/**
 * `stock_reservations`: per warehouse, SKU and order line, what is reserved, backordered, shipped and released. The
 * backorders are its rows with `backordered > 0`, in the order they will be filled (`placed_at`, order, line).
 */
export const stockReservationsProjection: Projection = {
  name: 'stock_reservations',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: ['stock_reservations'],
  async createTables(db) {
    let t = db.schema
      .createTable('stock_reservations')
      .ifNotExists()
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'text', (c) => c.notNull());
    for (const col of ['reserved', 'backordered', 'shipped', 'released', 'backorder_cancelled']) t = t.addColumn(col, 'integer', (c) => c.notNull());
    await t
      .addColumn('backordered_since', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stock_reservations_pkey', ['warehouse_id', 'sku', 'order_id', 'line_no'])
      .execute();
    await db.schema.createIndex('stock_reservations_order_idx').ifNotExists().on('stock_reservations').columns(['order_id', 'line_no']).execute();
    await db.schema.createIndex('stock_reservations_partner_idx').ifNotExists().on('stock_reservations').columns(['partner_id', 'placed_at']).execute();
    await db.schema
      .createIndex('stock_reservations_queue_idx')
      .ifNotExists()
      .on('stock_reservations')
      .columns(['sku', 'warehouse_id', 'placed_at', 'order_id', 'line_no'])
      .where(sql.ref('backordered'), '>', 0)
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events: readonly RecordedEvent[]) {
    const keyOf = (e: RecordedEvent) => {
      const d = e.data as { orderId: string; lineNo: number };
      return `${stockKeyOf(e).key}#${d.orderId}#${d.lineNo}`;
    };
    const orderIds = [...new Set(events.map((e) => (e.data as { orderId: string }).orderId))];
    const existing = await db.selectFrom('stock_reservations').selectAll().where('order_id', 'in', orderIds).execute();
    const rows = new Map(existing.map((r) => [`${r.warehouse_id}.${r.sku}#${r.order_id}#${r.line_no}`, r]));
    const changed = new Set<string>();
    for (const recorded of events) {
      const e = recorded as unknown as ReservationEvent;
      const key = keyOf(recorded);
      let row = rows.get(key);
      if (!row) {
        if (e.type !== 'StockReserved' && e.type !== 'StockBackordered') continue;
        const { warehouseId, sku } = stockKeyOf(recorded);
        row = {
          warehouse_id: warehouseId,
          sku,
          order_id: e.data.orderId,
          line_no: e.data.lineNo,
          partner_id: e.data.partnerId,
          placed_at: utc(e.data.placedAt),
          reserved: 0,
          backordered: 0,
          shipped: 0,
          released: 0,
          backorder_cancelled: 0,
          backordered_since: null,
          updated_at: '',
        };
        rows.set(key, row);
      }
      const q = e.data.quantity;
      switch (e.type) {
        case 'StockReserved':
          row.reserved += q;
          if (e.data.fromBackorder) row.backordered -= q;
          break;
        case 'StockBackordered':
          row.backordered += q;
          break;
        case 'StockReservationReleased':
          row.reserved -= q;
          row.released += q;
          break;
        case 'StockBackorderCancelled':
          row.backordered -= q;
          row.backorder_cancelled += q;
          break;
        case 'StockBackorderWithdrawn':
          // Filled from another warehouse: the line's row there shows the reservation.
          row.backordered -= q;
          break;
        case 'StockShipped':
          row.reserved -= q;
          row.shipped += q;
          break;
      }
      row.updated_at = recordedAtOf(e);
      row.backordered_since = row.backordered > 0 ? (row.backordered_since ?? row.updated_at) : null;
      changed.add(key);
    }
    await upsertRows(
      db,
      'stock_reservations',
      ['warehouse_id', 'sku', 'order_id', 'line_no'],
      [...changed].map((k) => rows.get(k)!),
    );
  },
};
