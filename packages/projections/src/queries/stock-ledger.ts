import type { Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import type { StockMovementsTable } from '../stock-schema';
import { decodeCursor } from './cursor';
import { limitOf, money, type Page, page } from './stock-shared';

export interface StockMovementFilter {
  readonly warehouseId?: string | undefined;
  readonly sku?: string | undefined;
  readonly orderId?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly kind?: string | undefined;
  /** Inclusive bounds on the business date. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** `desc` (default): newest first; `asc`: in the order recorded. */
  readonly order?: 'asc' | 'desc' | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface StockMovement {
  readonly warehouseId: string;
  readonly sku: string;
  readonly streamVersion: number;
  /** Global position: the order in which movements were recorded. */
  readonly position: string;
  readonly kind: string;
  readonly businessDate: string;
  readonly recordedAt: string;
  readonly change: {
    readonly onHand: number;
    readonly reserved: number;
    readonly backordered: number;
    readonly incoming: number;
    readonly value: Money | null;
  };
  /** Running balance of this warehouse and SKU after the movement. */
  readonly balance: {
    readonly onHand: number;
    readonly reserved: number;
    readonly available: number;
    readonly backordered: number;
    readonly incoming: number;
    readonly value: Money | null;
  };
  readonly unitCost: Money | null;
  readonly orderId: string | null;
  readonly lineNo: number | null;
  readonly partnerId: string | null;
  readonly documentId: string | null;
  readonly counterpartWarehouseId: string | null;
  readonly note: string | null;
}

const movement = (r: StockMovementsTable): StockMovement => ({
  warehouseId: r.warehouse_id,
  sku: r.sku,
  streamVersion: r.stream_version,
  position: String(r.position),
  kind: r.kind,
  businessDate: r.business_date,
  recordedAt: r.recorded_at,
  change: {
    onHand: r.on_hand_change,
    reserved: r.reserved_change,
    backordered: r.backordered_change,
    incoming: r.incoming_change,
    value: money(r.value_change_minor, r.currency),
  },
  balance: {
    onHand: r.on_hand_after,
    reserved: r.reserved_after,
    available: r.available_after,
    backordered: r.backordered_after,
    incoming: r.incoming_after,
    value: money(r.value_after_minor, r.currency),
  },
  unitCost: r.unit_cost_minor === null ? null : money(r.unit_cost_minor, r.currency),
  orderId: r.order_id,
  lineNo: r.line_no,
  partnerId: r.partner_id,
  documentId: r.document_id,
  counterpartWarehouseId: r.counterpart_warehouse_id,
  note: r.note,
});

/** The stock ledger: every movement with the running balance after it, newest first unless asked otherwise. */
export const listStockMovements = async (db: Kysely<ReadModels>, filter: StockMovementFilter = {}): Promise<Page<StockMovement>> => {
  const limit = limitOf(filter.limit);
  const asc = filter.order === 'asc';
  let q = db.selectFrom('stock_movements').selectAll();
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
  if (filter.partnerId) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.from) q = q.where('business_date', '>=', filter.from);
  if (filter.to) q = q.where('business_date', '<=', filter.to);
  if (filter.cursor) {
    const [position] = decodeCursor(filter.cursor, 1) as [string];
    q = q.where(sql<boolean>`position ${sql.raw(asc ? '>' : '<')} ${position}::numeric`);
  }
  const rows = await q
    .orderBy('position', asc ? 'asc' : 'desc')
    .limit(limit + 1)
    .execute();
  return page(rows, limit, movement, (r) => [String(r.position)]);
};
