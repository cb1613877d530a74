import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import type { StockReservationsTable } from '../stock-schema';
import { decodeCursor } from './cursor';
import { limitOf, type Page, page } from './stock-shared';

/**
 * What order lines hold in stock, and the backorder queue. Both take `partnerId`, which a dealer's requests always set,
 * so that scoping happens in SQL.
 */

export interface StockReservationFilter {
  readonly warehouseId?: string | undefined;
  readonly sku?: string | undefined;
  readonly orderId?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface StockReservation {
  readonly warehouseId: string;
  readonly sku: string;
  readonly orderId: string;
  readonly lineNo: number;
  readonly partnerId: string;
  readonly placedAt: string;
  readonly reserved: number;
  readonly backordered: number;
  readonly shipped: number;
  readonly released: number;
  readonly backorderCancelled: number;
  readonly backorderedSince: string | null;
  readonly updatedAt: string;
}

export interface Backorder extends StockReservation {
  /** Place in the queue of this warehouse and SKU: 1 is filled first by the next receipt. */
  readonly queuePosition: number;
  /** Backordered units of earlier orders, filled before this one. */
  readonly aheadInQueue: number;
  /**
   * The warehouses that can fill it: its order's region's sourcing order, first choice first (where it waits fills it
   * as stock arrives there; any other fills it as soon as it has stock). Just this warehouse when the region is unknown.
   */
  readonly fillableFrom: string[];
}

const reservation = (r: StockReservationsTable): StockReservation => ({
  warehouseId: r.warehouse_id,
  sku: r.sku,
  orderId: r.order_id,
  lineNo: r.line_no,
  partnerId: r.partner_id,
  placedAt: r.placed_at,
  reserved: r.reserved,
  backordered: r.backordered,
  shipped: r.shipped,
  released: r.released,
  backorderCancelled: r.backorder_cancelled,
  backorderedSince: r.backordered_since,
  updatedAt: r.updated_at,
});

/** What order lines hold in stock, per warehouse and SKU, oldest order first. */
export const listStockReservations = async (db: Kysely<ReadModels>, filter: StockReservationFilter = {}): Promise<Page<StockReservation>> => {
  const limit = limitOf(filter.limit);
  let q = db.selectFrom('stock_reservations').selectAll();
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
  if (filter.partnerId) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.cursor) {
    const [p, o, l, w, s] = decodeCursor(filter.cursor, 5) as [string, string, number, string, string];
    q = q.where(sql<boolean>`(placed_at, order_id, line_no, warehouse_id, sku) > (${p}, ${o}, ${l}, ${w}, ${s})`);
  }
  const rows = await q
    .orderBy('placed_at')
    .orderBy('order_id')
    .orderBy('line_no')
    .orderBy('warehouse_id')
    .orderBy('sku')
    .limit(limit + 1)
    .execute();
  return page(rows, limit, reservation, (r) => [r.placed_at, r.order_id, r.line_no, r.warehouse_id, r.sku]);
};

/**
 * Backorders in the order they will be filled: per SKU and warehouse, the oldest order first. The queue position is
 * counted over every backorder, so a dealer who sees only its own still learns how many units are ahead of it.
 */
export const listBackorders = async (db: Kysely<ReadModels>, filter: StockReservationFilter = {}): Promise<Page<Backorder>> => {
  const limit = limitOf(filter.limit);
  const queue = db
    .selectFrom('stock_reservations')
    .selectAll()
    .select([
      sql<number>`(row_number() over (partition by warehouse_id, sku order by placed_at, order_id, line_no))::int`.as('queue_position'),
      sql<number>`(coalesce(sum(backordered) over (partition by warehouse_id, sku order by placed_at, order_id, line_no rows between unbounded preceding and 1 preceding), 0))::int`.as(
        'ahead_in_queue',
      ),
    ])
    .where('backordered', '>', 0)
    .as('q');
  let q = db.selectFrom(queue).selectAll();
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
  if (filter.partnerId) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.cursor) {
    const [s, w, p, o, l] = decodeCursor(filter.cursor, 5) as [string, string, string, string, number];
    q = q.where(sql<boolean>`(sku, warehouse_id, placed_at, order_id, line_no) > (${s}, ${w}, ${p}, ${o}, ${l})`);
  }
  const rows = await q
    .orderBy('sku')
    .orderBy('warehouse_id')
    .orderBy('placed_at')
    .orderBy('order_id')
    .orderBy('line_no')
    .limit(limit + 1)
    .execute();
  const shown = rows.slice(0, limit);
  const orderIds = [...new Set(shown.map((r) => r.order_id))];
  const regions = orderIds.length === 0 ? [] : await db.selectFrom('orders').select(['order_id', 'region']).where('order_id', 'in', orderIds).execute();
  const regionOf = new Map(regions.map((r) => [r.order_id, r.region]));
  const regionIds = [...new Set(regions.map((r) => r.region))];
  const sourcing =
    regionIds.length === 0
      ? []
      : await db.selectFrom('stock_sourcing').select(['region', 'warehouse_id']).where('region', 'in', regionIds).orderBy('region').orderBy('rank').execute();
  const sourcingOf = new Map<string, string[]>();
  for (const s of sourcing) sourcingOf.set(s.region, [...(sourcingOf.get(s.region) ?? []), s.warehouse_id]);
  const fillableFrom = (r: { order_id: string; warehouse_id: string }) => {
    const chain = sourcingOf.get(regionOf.get(r.order_id) ?? '') ?? [];
    return chain.includes(r.warehouse_id) ? chain : [r.warehouse_id, ...chain];
  };
  return page(
    rows,
    limit,
    (r) => ({ ...reservation(r), queuePosition: r.queue_position, aheadInQueue: r.ahead_in_queue, fillableFrom: fillableFrom(r) }),
    (r) => [r.sku, r.warehouse_id, r.placed_at, r.order_id, r.line_no],
  );
};
