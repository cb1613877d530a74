import { averageUnitCost, type StockEvent, stockEffect } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';
import { businessDateOf, inStockKeys, recordedAtOf, STOCK_EVENT_TYPES, stockKeyOf } from './stock-movement';
import type { StockMovementsTable } from './stock-schema';

const KIND: Record<Exclude<StockEvent['type'], 'ReorderPolicySet'>, string> = {
  StockReceived: 'received',
  StockReserved: 'reserved',
  StockBackordered: 'backordered',
  StockReservationReleased: 'released',
  StockBackorderCancelled: 'backorder_cancelled',
  StockBackorderWithdrawn: 'backorder_moved',
  StockShipped: 'shipped',
  StockReturned: 'returned',
  StockTransferredOut: 'transferred_out',
  StockInTransit: 'in_transit',
  StockTransferredIn: 'transferred_in',
  StockAdjusted: 'adjusted',
};

type Balance = Pick<StockMovementsTable, 'on_hand_after' | 'reserved_after' | 'backordered_after' | 'incoming_after' | 'value_after_minor'>;
const ZERO: Balance = { on_hand_after: 0, reserved_after: 0, backordered_after: 0, incoming_after: 0, value_after_minor: 0 };

/** What the ledger says about a movement besides quantities: its documents, the other party, and why. */
const details = (e: StockEvent) => {
  const none = { order_id: null, line_no: null, partner_id: null, document_id: null, counterpart_warehouse_id: null, note: null };
  switch (e.type) {
    case 'StockReceived':
      return { ...none, document_id: e.data.receiptId, note: e.data.reference ?? null };
    case 'StockReserved':
    case 'StockBackordered':
      return { ...none, order_id: e.data.orderId, line_no: e.data.lineNo, partner_id: e.data.partnerId };
    case 'StockReservationReleased':
    case 'StockBackorderCancelled':
      return { ...none, order_id: e.data.orderId, line_no: e.data.lineNo, note: e.data.reason };
    case 'StockBackorderWithdrawn':
      return {
        ...none,
        order_id: e.data.orderId,
        line_no: e.data.lineNo,
        counterpart_warehouse_id: e.data.toWarehouseId,
        note: 'filled from another warehouse',
      };
    case 'StockShipped':
      return { ...none, order_id: e.data.orderId, line_no: e.data.lineNo, document_id: e.data.shipmentId };
    case 'StockReturned':
      return { ...none, order_id: e.data.orderId, line_no: e.data.lineNo, document_id: e.data.returnId, note: `returned from shipment ${e.data.shipmentId}` };
    case 'StockTransferredOut':
      return { ...none, document_id: e.data.transferId, counterpart_warehouse_id: e.data.toWarehouseId, note: e.data.reference ?? null };
    case 'StockInTransit':
    case 'StockTransferredIn':
      return { ...none, document_id: e.data.transferId, counterpart_warehouse_id: e.data.fromWarehouseId };
    case 'StockAdjusted':
      return { ...none, document_id: e.data.adjustmentId, note: e.data.note ? `${e.data.reason}: ${e.data.note}` : e.data.reason };
    case 'ReorderPolicySet':
      return none;
  }
};

/** The cost per unit the movement carried: a receipt's unit cost, or the average an issue or transfer left at. */
const unitCostOf = (e: StockEvent): number | null => {
  if (e.type === 'StockReceived') return e.data.unitCost.amountMinor;
  const d = e.data as { value?: { amountMinor: number }; quantity?: number; quantityChange?: number };
  const units = Math.abs(d.quantity ?? d.quantityChange ?? 0);
  return d.value && units > 0 ? averageUnitCost(units, Math.abs(d.value.amountMinor)) : null;
};

/**
 * `stock_movements`: the stock ledger. Every movement of every warehouse and SKU in the order it was recorded, with its
 * business date beside it, its effect on each quantity and on the value, and the running balance after it.
 */
export const stockLedgerProjection: Projection = {
  name: 'stock_ledger',
  version: 1,
  eventTypes: STOCK_EVENT_TYPES.filter((t) => t !== 'ReorderPolicySet'),
  tables: ['stock_movements'],
  async createTables(db) {
    let t = db.schema
      .createTable('stock_movements')
      .ifNotExists()
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('position', sql`numeric(20, 0)`, (c) => c.notNull());
    for (const col of ['kind', 'business_date', 'recorded_at']) t = t.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['on_hand_change', 'reserved_change', 'backordered_change', 'incoming_change']) t = t.addColumn(col, 'integer', (c) => c.notNull());
    t = t.addColumn('value_change_minor', 'bigint', (c) => c.notNull());
    for (const col of ['on_hand_after', 'reserved_after', 'backordered_after', 'available_after', 'incoming_after'])
      t = t.addColumn(col, 'integer', (c) => c.notNull());
    t = t
      .addColumn('value_after_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text')
      .addColumn('unit_cost_minor', 'bigint');
    for (const col of ['order_id', 'partner_id', 'document_id', 'counterpart_warehouse_id', 'note']) t = t.addColumn(col, 'text');
    await t.addColumn('line_no', 'integer').addPrimaryKeyConstraint('stock_movements_pkey', ['warehouse_id', 'sku', 'stream_version']).execute();
    await db.schema.createIndex('stock_movements_position_idx').ifNotExists().on('stock_movements').column('position').execute();
    await db.schema.createIndex('stock_movements_order_idx').ifNotExists().on('stock_movements').columns(['order_id', 'position']).execute();
    await db.schema.createIndex('stock_movements_partner_idx').ifNotExists().on('stock_movements').columns(['partner_id', 'position']).execute();
  },
  async apply(db: Kysely<ReadModels>, events: readonly RecordedEvent[]) {
    const keys = [...new Map(events.map((e) => [stockKeyOf(e).key, stockKeyOf(e)])).values()];
    const orderIds = [...new Set(events.map((e) => (e.data as { orderId?: string }).orderId).filter((o): o is string => o !== undefined))];
    const [last, partners] = await Promise.all([
      db
        .selectFrom('stock_movements')
        .selectAll()
        .distinctOn(['warehouse_id', 'sku'])
        .where(inStockKeys(keys))
        .orderBy('warehouse_id')
        .orderBy('sku')
        .orderBy('stream_version', 'desc')
        .execute(),
      orderIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('stock_movements')
            .select(['order_id', 'partner_id'])
            .distinct()
            .where('order_id', 'in', orderIds)
            .where('partner_id', 'is not', null)
            .execute(),
    ]);
    const balance = new Map<string, Balance>(last.map((r) => [`${r.warehouse_id}.${r.sku}`, r]));
    const partnerOf = new Map(partners.map((p) => [p.order_id!, p.partner_id!]));
    const currencyOf = new Map(last.map((r) => [`${r.warehouse_id}.${r.sku}`, r.currency]));
    const rows: StockMovementsTable[] = [];
    for (const recorded of events) {
      const e = recorded as unknown as StockEvent;
      if (e.type === 'ReorderPolicySet') continue;
      const { warehouseId, sku, key } = stockKeyOf(recorded);
      const effect = stockEffect(e);
      const before = balance.get(key) ?? ZERO;
      const after: Balance = {
        on_hand_after: before.on_hand_after + effect.onHand,
        reserved_after: before.reserved_after + effect.reserved,
        backordered_after: before.backordered_after + effect.backordered,
        incoming_after: before.incoming_after + effect.incoming,
        value_after_minor: before.value_after_minor + effect.value,
      };
      balance.set(key, after);
      const valued = (e.data as { value?: { currency: string } }).value;
      if (valued && !currencyOf.get(key)) currencyOf.set(key, valued.currency);
      const d = details(e);
      if (d.partner_id && d.order_id) partnerOf.set(d.order_id, d.partner_id);
      rows.push({
        warehouse_id: warehouseId,
        sku,
        stream_version: recorded.streamVersion,
        position: recorded.globalPosition.toString(),
        kind: KIND[e.type],
        business_date: businessDateOf(e),
        recorded_at: recordedAtOf(e),
        on_hand_change: effect.onHand,
        reserved_change: effect.reserved,
        backordered_change: effect.backordered,
        incoming_change: effect.incoming,
        value_change_minor: effect.value,
        ...after,
        available_after: after.on_hand_after - after.reserved_after,
        currency: currencyOf.get(key) ?? null,
        unit_cost_minor: unitCostOf(e),
        ...d,
        partner_id: d.partner_id ?? (d.order_id ? (partnerOf.get(d.order_id) ?? null) : null),
      });
    }
    await upsertRows(db, 'stock_movements', ['warehouse_id', 'sku', 'stream_version'], rows);
  },
};
