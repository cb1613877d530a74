/**
 * The stock read models, as kysely sees them (registered in `ReadModels` in schema.ts). Quantities are integers in the
 * product's unit; money is integer minor units with the row's `currency`. Timestamps used to order rows (`placed_at`)
 * are normalised to UTC ISO-8601, so that they sort as text.
 */
export interface StockWarehousesTable {
  warehouse_id: string;
  name: string;
  region: string;
  address: string | null;
  registered_at: string;
}

/** A region's sourcing order: where its dealers' orders are reserved, rank 1 first. */
export interface StockSourcingTable {
  region: string;
  rank: number;
  warehouse_id: string;
}

export interface StockLevelsTable {
  warehouse_id: string;
  sku: string;
  /** Null until the first valued movement. */
  currency: string | null;
  on_hand: number;
  reserved: number;
  backordered: number;
  /** on_hand - reserved */
  available: number;
  /** In transit to this warehouse. */
  incoming: number;
  /** on_hand + incoming - reserved - backordered */
  projected: number;
  value_minor: number;
  incoming_value_minor: number;
  /** Moving-average unit cost, rounded half up; null when nothing is on hand. */
  unit_cost_minor: number | null;
  reorder_min: number | null;
  reorder_max: number | null;
  pack_multiple: number | null;
  lead_time_days: number | null;
  /** Projected stock is at or below the reorder point. */
  low: boolean;
  suggested_order_qty: number;
  /** Business date from which the stock has been low; null when it is not. */
  low_since: string | null;
  last_movement_on: string | null;
  movements: number;
  version: number;
  updated_at: string;
}

export interface StockMovementsTable {
  warehouse_id: string;
  sku: string;
  stream_version: number;
  /** Global position (numeric, read as text): the order in which movements were recorded. */
  position: string;
  /** received, reserved, backordered, released, backorder_cancelled, shipped, transferred_out, in_transit, transferred_in, adjusted */
  kind: string;
  business_date: string;
  recorded_at: string;
  on_hand_change: number;
  reserved_change: number;
  backordered_change: number;
  incoming_change: number;
  value_change_minor: number;
  on_hand_after: number;
  reserved_after: number;
  backordered_after: number;
  available_after: number;
  incoming_after: number;
  value_after_minor: number;
  currency: string | null;
  /** The cost per unit of this movement: the receipt's unit cost, or the average it left at. */
  unit_cost_minor: number | null;
  order_id: string | null;
  line_no: number | null;
  partner_id: string | null;
  /** Receipt, shipment, transfer or adjustment id. */
  document_id: string | null;
  /** The other warehouse of a transfer. */
  counterpart_warehouse_id: string | null;
  /** Supplier reference, adjustment reason and note, or why a reservation was released. */
  note: string | null;
}

/** What one order line holds in one warehouse and SKU, and what became of it. */
export interface StockReservationsTable {
  warehouse_id: string;
  sku: string;
  order_id: string;
  line_no: number;
  partner_id: string;
  placed_at: string;
  reserved: number;
  backordered: number;
  shipped: number;
  released: number;
  backorder_cancelled: number;
  backordered_since: string | null;
  updated_at: string;
}
