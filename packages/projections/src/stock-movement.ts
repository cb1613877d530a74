import { parseStockStream, StockEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { sql } from 'kysely';

/** Every stock event type, for projections that follow them all. */
export const STOCK_EVENT_TYPES: readonly StockEvent['type'][] = StockEvent.options.map((o) => o.shape.type.value);

/** The warehouse and SKU a recorded stock event belongs to, from its stream id. */
export const stockKeyOf = (e: RecordedEvent): { warehouseId: string; sku: string; key: string } => {
  const parsed = parseStockStream(e.streamId);
  if (!parsed) throw new Error(`${e.streamId} is not a stock stream`);
  return { ...parsed, key: `${parsed.warehouseId}.${parsed.sku}` };
};

/** A `(warehouse_id, sku) in (...)` condition for the streams of a batch. */
export const inStockKeys = (keys: readonly { warehouseId: string; sku: string }[]) =>
  sql<boolean>`(warehouse_id, sku) in (${sql.join(keys.map((k) => sql`(${k.warehouseId}, ${k.sku})`))})`;

/** The day a movement happened (its business date), as opposed to when it was recorded. */
export const businessDateOf = (e: StockEvent): string => {
  switch (e.type) {
    case 'StockReceived':
    case 'StockShipped':
    case 'StockReturned':
    case 'StockTransferredOut':
    case 'StockTransferredIn':
    case 'StockAdjusted':
      return e.data.businessDate;
    case 'StockInTransit':
      return e.data.dispatchedOn;
    case 'StockReserved':
      return e.data.reservedAt.slice(0, 10);
    case 'StockBackordered':
      return e.data.backorderedAt.slice(0, 10);
    case 'StockReservationReleased':
      return e.data.releasedAt.slice(0, 10);
    case 'StockBackorderCancelled':
      return e.data.cancelledAt.slice(0, 10);
    case 'StockBackorderWithdrawn':
      return e.data.withdrawnAt.slice(0, 10);
    case 'ReorderPolicySet':
      return e.data.setAt.slice(0, 10);
  }
};

/** When the movement was entered. */
export const recordedAtOf = (e: StockEvent): string => {
  switch (e.type) {
    case 'StockReserved':
      return e.data.reservedAt;
    case 'StockBackordered':
      return e.data.backorderedAt;
    case 'StockReservationReleased':
      return e.data.releasedAt;
    case 'StockBackorderCancelled':
      return e.data.cancelledAt;
    case 'StockBackorderWithdrawn':
      return e.data.withdrawnAt;
    case 'ReorderPolicySet':
      return e.data.setAt;
    default:
      return e.data.recordedAt;
  }
};

/** ISO-8601 in UTC, so that timestamps from different offsets sort as text. */
export const utc = (iso: string): string => new Date(iso).toISOString();
