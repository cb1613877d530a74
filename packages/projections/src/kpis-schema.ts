/**
 * The KPI read models (registered in `ReadModels` in schema.ts): small tables shaped for the dashboard's figures, so that
 * each KPI is one indexed aggregate query. Dates are calendar dates (`YYYY-MM-DD`, UTC) because every KPI counts by day;
 * money is integer minor units in the row's `currency`.
 */

/** One row per order: the dates and first-shipment figures the fulfilment, review and receivables KPIs count. */
export interface KpiOrdersTable {
  order_id: string;
  partner_id: string;
  region: string;
  currency: string;
  /** The order's net value as placed. */
  total_minor: number;
  placed_on: string;
  /** The delivery date the dealer asked for; null when it asked for none. */
  requested_on: string | null;
  /** Waiting for a person since (automated review queued it). */
  queued_on: string | null;
  /** `approved` or `rejected`; null until the review is decided. */
  decision: string | null;
  decided_on: string | null;
  /** Decided by the automated review (the system) rather than by a person. */
  decided_automatically: boolean | null;
  approved_on: string | null;
  cancelled_on: string | null;
  /** The ordered quantity of each line, `{ "1": 10, "2": 4 }`, to measure the first shipment against. */
  line_quantities: unknown;
  ordered_lines: number;
  ordered_qty: number;
  first_shipped_on: string | null;
  /** Lines the first shipment carried in full. */
  first_complete_lines: number | null;
  /** Units the first shipment carried (never more than ordered per line). */
  first_shipped_qty: number | null;
  /** The last line shipped in full. */
  fully_shipped_on: string | null;
  /** The last line delivered in full. */
  delivered_on: string | null;
  /** Credit notes, payments and early-payment discounts so far, whatever invoice they settle (before the invoice too). */
  settled_minor: number;
  /** The latest day of a credit note or payment. */
  last_settled_on: string | null;
  version: number;
}

/**
 * One row per invoice: the whole order's (`OrderInvoiced`) or one shipment's (`ShipmentInvoiced`). What the receivables
 * KPIs age: each invoice by its own due date.
 */
export interface KpiInvoicesTable {
  order_id: string;
  invoice_id: string;
  /** The shipment it bills; null on the whole order's invoice. */
  shipment_id: string | null;
  partner_id: string;
  region: string;
  currency: string;
  invoiced_on: string;
  due_on: string;
  /** What it charges: the gross. */
  invoiced_minor: number;
  /**
   * What is set against it so far: on the whole order's invoice every credit note, payment and discount of the order
   * (dated before the invoice too); on a shipment's, those that name it.
   */
  settled_minor: number;
  /** The latest day of those. */
  last_settled_on: string | null;
  /**
   * From this day on nothing is owed or due back: the invoice less everything set against it is exactly zero, and no
   * entry is dated later. Null otherwise. Lets a query as of a later day skip the invoice.
   */
  closed_on: string | null;
}

/**
 * The instalments of an invoice whose terms set them, oldest due first (none for an invoice due on one day): the ageing
 * spreads what the invoice owes over them, paying them oldest first.
 */
export interface KpiInstalmentsTable {
  order_id: string;
  invoice_id: string;
  /** 1, 2, ...: oldest due first. */
  seq: number;
  due_on: string;
  amount_minor: number;
  /** This instalment's amount and every earlier one's: what must be settled on the invoice to pay this one off. */
  through_minor: number;
}

/**
 * Credit notes, payments and early-payment discounts of an order, each on its day: what reduces what a dealer owes. A
 * payment spread over several invoices is one row per invoice it pays.
 */
export interface KpiReceivablesTable {
  order_id: string;
  /** `credit_note`, `payment` or `discount` (allowed beside the payment that earned it). */
  kind: string;
  /** The credit note or payment id. */
  entry_id: string;
  /**
   * The invoice it settles, as the event names it; '' when it names none (a payment or credit note of an order invoiced
   * once, which settles the whole order's invoice, as every entry of such an order does).
   */
  invoice_id: string;
  on_date: string;
  /** Positive: the amount it takes off what is owed. */
  amount_minor: number;
}

/** Net stock change per warehouse, SKU and business day: on hand on any day is the sum of the days up to it. */
export interface StockDailyTable {
  warehouse_id: string;
  sku: string;
  day: string;
  on_hand_change: number;
  reserved_change: number;
  value_change_minor: number;
  /** Null until the SKU's first valued movement in this warehouse. */
  currency: string | null;
}
