import type { Kysely } from 'kysely';
import type {
  AgreementBreachesTable,
  AgreementsTable,
  AgreementVersionsTable,
  CreditExposureTable,
  CreditReservationsTable,
  OrderReviewsTable,
  RevenueSplitLinesTable,
  SettlementLinesTable,
  SettlementStatementsTable,
} from './agreements-schema';
import type { KpiInstalmentsTable, KpiInvoicesTable, KpiOrdersTable, KpiReceivablesTable, StockDailyTable } from './kpis-schema';
import type { NotificationReadsTable, NotificationsTable } from './notifications-schema';
import type { CommissionLinesTable, CommissionStatementsTable, ImprovementActionsTable, PerformanceReviewsTable, ScorecardsTable } from './performance-schema';
import type { ResourceAcknowledgementsTable, ResourcesTable, ResourceVersionsTable } from './resources-schema';
import type { StockLevelsTable, StockMovementsTable, StockReservationsTable, StockSourcingTable, StockWarehousesTable } from './stock-schema';
import type { ThreadMessagesTable, ThreadReadsTable, ThreadsTable } from './threads-schema';
import type { WebhookDeliveriesTable, WebhookPartnerRegionsTable, WebhookStreamPartnersTable, WebhooksTable } from './webhooks-schema';

/**
 * The read models, as kysely sees them: every query result is typed from here, so a renamed column is a compile error.
 * Money is integer minor units (`*_minor`) with the row's `currency`. Timestamps are ISO-8601 text as the events carry them,
 * so they sort and compare as text and reach clients unchanged.
 */
export interface PartnersTable {
  partner_id: string;
  name: string;
  region: string;
  tier: string;
  status: 'active' | 'suspended' | 'terminated';
  status_reason: string | null;
  credit_limit_minor: number;
  currency: string;
  contacts: unknown;
  onboarded_at: string;
  updated_at: string;
  version: number;
}

export interface ProductsTable {
  sku: string;
  name: string;
  category: string;
  unit: string;
  list_price_minor: number;
  currency: string;
  discontinued: boolean;
  registered_at: string;
  updated_at: string;
}

export interface TierPricesTable {
  tier: string;
  sku: string;
  unit_price_minor: number;
  currency: string;
  set_at: string;
}

export interface TierDiscountsTable {
  tier: string;
  discount_bps: number;
  set_at: string;
}

/**
 * Sales per day (the placement's own date, the first ten characters of `placed_at`), region, partner and currency: the
 * `orders` rows of that key summed, without rejected or cancelled orders, exactly as the sales KPIs sum `orders` (see
 * sales-source.ts). Kept by the `orders` projection in the batch that changes the orders; a key with no order left has
 * no row. Lets a KPI over a month sum ~30 rows per partner instead of the month's orders (docs/kpis.md).
 */
export interface OrderSalesDailyTable {
  day: string;
  region: string;
  partner_id: string;
  currency: string;
  orders: number;
  ordered_qty: number;
  shipped_qty: number;
  delivered_qty: number;
  returned_qty: number;
  ordered_minor: number;
  credited_minor: number;
  invoiced_minor: number;
  paid_minor: number;
}

export interface OrdersTable {
  order_id: string;
  partner_id: string;
  region: string;
  tier: string;
  currency: string;
  status: string;
  lifecycle: string;
  status_reason: string | null;
  /** Net total (sum of the lines' net amounts). */
  total_minor: number;
  /** The order's tax (0 on untaxed orders); gross = total + tax, what the invoice charges. */
  tax_minor: number;
  /** The tax part of `credited_minor` (credit notes are gross). */
  credited_tax_minor: number;
  line_count: number;
  ordered_qty: number;
  shipped_qty: number;
  delivered_qty: number;
  returned_qty: number;
  invoice_id: string | null;
  invoiced_minor: number;
  credited_minor: number;
  paid_minor: number;
  /** Early-payment discounts allowed (docs/receivables.md): they settle the invoice beside the cash. */
  discounted_minor: number;
  outstanding_minor: number;
  due_date: string | null;
  customer_reference: string | null;
  requested_delivery_date: string | null;
  placed_at: string;
  approved_at: string | null;
  rejected_at: string | null;
  confirmed_at: string | null;
  cancelled_at: string | null;
  first_shipped_at: string | null;
  shipped_at: string | null;
  delivered_at: string | null;
  invoiced_at: string | null;
  paid_at: string | null;
  last_returned_at: string | null;
  version: number;
  updated_at: string;
}

export interface OrderLinesTable {
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  discount_bps: number;
  net_minor: number;
  shipped: number;
  delivered: number;
  returned: number;
  /** Net invoiced on the line: its net once the whole order is invoiced, or its share of each shipment's invoice. */
  invoiced_minor: number;
  credited_minor: number;
  /** jsonb: the line's `PriceSource` (null on orders placed before price sources were recorded). */
  price_source: unknown;
  /** jsonb: the promotions applied to the line (`LinePromotion[]`), null when none did. */
  promotions: unknown;
  /** jsonb: the line's tax (`OrderLine['tax']`: category, rate, amount, gross), null on untaxed lines. */
  tax: unknown;
  /** Tax credited on the line by returns so far. */
  credited_tax_minor: number;
}

export interface OrderShipmentsTable {
  order_id: string;
  shipment_id: string;
  warehouse_id: string | null;
  carrier: string | null;
  tracking_number: string | null;
  lines: unknown;
  quantity: number;
  shipped_at: string;
  delivered_at: string | null;
  /** The shipment's own invoice, on an order invoiced per shipment or per delivery; null otherwise or until invoiced. */
  invoice_id: string | null;
  /** Its gross, and the tax part of it. */
  invoiced_minor: number | null;
  invoiced_tax_minor: number | null;
  invoiced_at: string | null;
  due_date: string | null;
}

export interface ApiKeysTable {
  key_id: string;
  name: string;
  role: string;
  partner_id: string | null;
  /** sha256 of the secret, hex. The secret itself is never stored. */
  secret_hash: string;
  issued_at: string;
  revoked_at: string | null;
}

export interface UsersTable {
  user_id: string;
  email: string;
  name: string;
  role: string;
  partner_id: string | null;
  /** invited | active | suspended */
  status: string;
  /** Whether the user had set a password before a suspension: where a reactivation returns to. */
  activated: boolean;
  invited_at: string;
  /** When the pending invitation or password link expires; null when none is pending. */
  link_expires_at: string | null;
  activated_at: string | null;
  suspended_at: string | null;
  suspension_reason: string | null;
  password_changed_at: string | null;
  last_sign_in_at: string | null;
}

/** The regions a salesperson owns: one row per user and region (`UserRegionsAssigned` replaces a user's rows). */
export interface UserRegionsTable {
  user_id: string;
  region: string;
}

export interface CheckpointsTable {
  name: string;
  /** Global position (text: a 64-bit unsigned integer), null before the first event. */
  position: string | null;
  version: number;
  updated_at: Date;
}

/** One dated version of a tier's (`list_kind` tier) or a dealer's (`list_kind` dealer) price list. */
export interface PriceListVersionsTable {
  list_kind: 'tier' | 'dealer';
  /** The tier, or the dealer's partner id. */
  list_id: string;
  version_id: string;
  valid_from: string;
  /** Exclusive; null while open-ended. */
  valid_to: string | null;
  currency: string;
  published_at: string;
  ended_at: string | null;
  superseded_by: string | null;
}

/** A SKU's unit price in a version from `min_quantity` units on (1: the base price; higher: a quantity break). */
export interface PriceListPricesTable {
  list_kind: 'tier' | 'dealer';
  list_id: string;
  version_id: string;
  sku: string;
  min_quantity: number;
  unit_price_minor: number;
}

/** One promotion (docs/pricing.md): its terms, and its budget as orders use it. */
export interface PromotionsTable {
  promotion_id: string;
  name: string;
  valid_from: string;
  /** Exclusive. */
  valid_to: string;
  ended_at: string | null;
  end_reason: string | null;
  currency: string;
  /** jsonb: `PromotionTarget`. */
  target: unknown;
  /** jsonb: `PromotionBenefit`. */
  benefit: unknown;
  budget_minor: number;
  consumed_minor: number;
  created_at: string;
}

/** What one order holds of a promotion's budget (the row goes when the order gives it back). */
export interface PromotionOrdersTable {
  promotion_id: string;
  order_id: string;
  amount_minor: number;
  consumed_at: string;
}

/** A published tax rate of a region (docs/tax.md), as it stands now. */
export interface TaxRatesTable {
  region: string;
  rate_id: string;
  category: string;
  rate_bps: number;
  valid_from: string;
  /** Exclusive; null while open-ended. */
  valid_to: string | null;
  name: string | null;
  published_at: string;
  ended_at: string | null;
  superseded_by: string | null;
}

/** A taxed order line as placed. */
export interface TaxOrderLinesTable {
  order_id: string;
  line_no: number;
  partner_id: string;
  region: string;
  currency: string;
  category: string;
  rate_bps: number;
  rate_id: string | null;
  prices_include: string;
  net_minor: number;
  tax_minor: number;
  gross_minor: number;
}

/** The tax ledger: a taxed line of an invoice (positive) or of a credit note (negative), dated by its document. */
export interface TaxDiscountTreatmentsTable {
  region: string;
  valid_from: string;
  treatment: string;
  set_at: string;
}

export interface TaxEntriesTable {
  order_id: string;
  /**
   * `invoice`, `credit_note` (its id here is its return's id) or `discount`: the tax an early-payment discount gives back
   * where the region's discounts reduce the taxable amount (its id is `<paymentId>/<invoiceId>`).
   */
  document: string;
  document_id: string;
  line_no: number;
  /** YYYY-MM-DD (UTC) of the invoice, return or payment. */
  date: string;
  partner_id: string;
  region: string;
  currency: string;
  category: string;
  rate_bps: number;
  net_minor: number;
  tax_minor: number;
  gross_minor: number;
}

export interface ReadModels {
  partners: PartnersTable;
  products: ProductsTable;
  tier_prices: TierPricesTable;
  tier_discounts: TierDiscountsTable;
  price_list_versions: PriceListVersionsTable;
  price_list_prices: PriceListPricesTable;
  promotions: PromotionsTable;
  promotion_orders: PromotionOrdersTable;
  tax_rates: TaxRatesTable;
  tax_order_lines: TaxOrderLinesTable;
  tax_entries: TaxEntriesTable;
  tax_discount_treatments: TaxDiscountTreatmentsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_shipments: OrderShipmentsTable;
  order_sales_daily: OrderSalesDailyTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  user_regions: UserRegionsTable;
  stock_warehouses: StockWarehousesTable;
  stock_sourcing: StockSourcingTable;
  stock_levels: StockLevelsTable;
  stock_movements: StockMovementsTable;
  stock_reservations: StockReservationsTable;
  agreements: AgreementsTable;
  agreement_versions: AgreementVersionsTable;
  agreement_breaches: AgreementBreachesTable;
  order_reviews: OrderReviewsTable;
  credit_exposure: CreditExposureTable;
  credit_reservations: CreditReservationsTable;
  revenue_split_lines: RevenueSplitLinesTable;
  settlement_statements: SettlementStatementsTable;
  settlement_lines: SettlementLinesTable;
  threads: ThreadsTable;
  thread_messages: ThreadMessagesTable;
  thread_reads: ThreadReadsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_stream_partners: WebhookStreamPartnersTable;
  webhook_partner_regions: WebhookPartnerRegionsTable;
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
  resources: ResourcesTable;
  resource_versions: ResourceVersionsTable;
  resource_acknowledgements: ResourceAcknowledgementsTable;
  kpi_orders: KpiOrdersTable;
  kpi_invoices: KpiInvoicesTable;
  kpi_instalments: KpiInstalmentsTable;
  kpi_receivables: KpiReceivablesTable;
  stock_daily: StockDailyTable;
  scorecards: ScorecardsTable;
  performance_reviews: PerformanceReviewsTable;
  improvement_actions: ImprovementActionsTable;
  commission_statements: CommissionStatementsTable;
  commission_lines: CommissionLinesTable;
  'projections.checkpoints': CheckpointsTable;
}

export type ReadDb = Kysely<ReadModels>;
