import type { LinePromotion, Money, OrderLine, PriceSource } from '@dms/domain';
import { preparedStatement } from '@dms/eventstore';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { OrderReviewsTable } from '../agreements-schema';
import type { OrderLinesTable, OrderShipmentsTable, OrdersTable, ReadModels } from '../schema';
import { decodeCursor, encodeCursor } from './cursor';
import type { OrderReviewOutcome, ReviewReasonView } from './order-reviews';

export interface OrderListFilter {
  readonly status?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly region?: string | undefined;
  /** Inclusive lower bound on placedAt (ISO date or timestamp). */
  readonly placedFrom?: string | undefined;
  /** Exclusive upper bound on placedAt. */
  readonly placedTo?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface OrderSummary {
  readonly orderId: string;
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly region: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly total: Money;
  readonly outstanding: Money;
  readonly lineCount: number;
  readonly orderedQty: number;
  readonly shippedQty: number;
  readonly deliveredQty: number;
  readonly returnedQty: number;
  readonly placedAt: string;
  readonly updatedAt: string;
}

/** An invoice of the order: `amount` is the gross (what the dealer owes); `tax` its tax part (docs/tax.md). */
export interface OrderInvoice {
  readonly invoiceId: string;
  readonly amount: Money;
  readonly tax: Money;
  readonly invoicedAt: string;
  readonly dueDate: string;
}

export interface OrderDetail extends OrderSummary {
  readonly tier: string;
  readonly lifecycle: string;
  readonly customerReference: string | null;
  readonly requestedDeliveryDate: string | null;
  /** The whole order's invoice; null until invoiced, and on an order invoiced per shipment (see `shipments[].invoice`). */
  readonly invoice: OrderInvoice | null;
  /** The order's tax (0 on untaxed orders) and its gross, `total + tax`. */
  readonly tax: Money;
  readonly gross: Money;
  /** Credit notes, gross; `creditedTax` is their tax part. */
  readonly credited: Money;
  readonly creditedTax: Money;
  readonly paid: Money;
  readonly dates: Readonly<
    Record<
      'placedAt' | 'approvedAt' | 'rejectedAt' | 'confirmedAt' | 'cancelledAt' | 'firstShippedAt' | 'shippedAt' | 'deliveredAt' | 'invoicedAt' | 'paidAt',
      string | null
    >
  >;
  readonly lines: {
    readonly lineNo: number;
    readonly sku: string;
    readonly quantity: number;
    readonly unitPrice: Money;
    readonly discountBps: number;
    readonly netAmount: Money;
    readonly shipped: number;
    readonly delivered: number;
    readonly returned: number;
    readonly credited: Money;
    /** Where the unit price came from; null on orders placed before price sources were recorded. */
    readonly priceSource: PriceSource | null;
    /** The promotions applied to the line, each with its discount (empty when none did). */
    readonly promotions: LinePromotion[];
    /** The line's tax: category, rate, amount and gross (docs/tax.md); null on untaxed lines. */
    readonly tax: NonNullable<OrderLine['tax']> | null;
    readonly creditedTax: Money;
  }[];
  readonly shipments: {
    readonly shipmentId: string;
    readonly warehouseId: string | null;
    readonly carrier: string | null;
    readonly trackingNumber: string | null;
    readonly quantity: number;
    readonly lines: unknown;
    readonly shippedAt: string;
    readonly deliveredAt: string | null;
    /** The shipment's own invoice, on an order invoiced per shipment or per delivery; null otherwise or until invoiced. */
    readonly invoice: OrderInvoice | null;
  }[];
  /** Stream version the read model reflects. */
  readonly version: number;
}

const money = (amountMinor: number | bigint, currency: string): Money => ({ amountMinor: Number(amountMinor), currency });

type OrderRow = OrdersTable & { partner_name: string | null };

const summary = (o: OrderRow): OrderSummary => ({
  orderId: o.order_id,
  partnerId: o.partner_id,
  partnerName: o.partner_name,
  region: o.region,
  status: o.status,
  statusReason: o.status_reason,
  total: money(o.total_minor, o.currency),
  outstanding: money(o.outstanding_minor, o.currency),
  lineCount: o.line_count,
  orderedQty: o.ordered_qty,
  shippedQty: o.shipped_qty,
  deliveredQty: o.delivered_qty,
  returnedQty: o.returned_qty,
  placedAt: o.placed_at,
  updatedAt: o.updated_at,
});

const baseQuery = (db: Kysely<ReadModels>) =>
  db.selectFrom('orders').leftJoin('partners', 'partners.partner_id', 'orders.partner_id').selectAll('orders').select('partners.name as partner_name');

type ListKey = 'status' | 'partnerId' | 'region' | 'placedFrom' | 'placedTo' | 'cursorPlacedAt' | 'cursorOrderId' | 'limit';
type ListValues = { readonly [K in ListKey]?: string | number | undefined };

/** The page's query for the filters present in `v` (their values as parameters), newest first, `limit` rows. */
const listQuery = (db: Kysely<ReadModels>, v: ListValues) => {
  let q = baseQuery(db);
  if (v.status !== undefined) q = q.where('orders.status', '=', v.status as string);
  if (v.partnerId !== undefined) q = q.where('orders.partner_id', '=', v.partnerId as string);
  if (v.region !== undefined) q = q.where('orders.region', '=', v.region as string);
  if (v.placedFrom !== undefined) q = q.where('orders.placed_at', '>=', v.placedFrom as string);
  if (v.placedTo !== undefined) q = q.where('orders.placed_at', '<', v.placedTo as string);
  if (v.cursorPlacedAt !== undefined) q = q.where(sql<boolean>`(orders.placed_at, orders.order_id) < (${v.cursorPlacedAt}, ${v.cursorOrderId})`);
  return q
    .orderBy('orders.placed_at', 'desc')
    .orderBy('orders.order_id', 'desc')
    .limit(v.limit as number);
};

/**
 * `listOrders`' statement for one combination of filters, compiled once per database and sent as a named prepared statement
 * on a server (as `getOrderWithReview`'s): the list skips kysely's building and compiling, and the server's parse and plan,
 * on every request. The page comes back as one json column (one row, one `JSON.parse`) rather than ~25 columns a row.
 * `order` names the value behind each parameter: the statement is compiled with placeholder values that say which is which.
 */
const listStatement = (db: Kysely<ReadModels>, present: readonly ListKey[]): { sql: string; order: readonly ListKey[] } => {
  const cache = listStatements.get(db) ?? new Map<string, { sql: string; order: readonly ListKey[] }>();
  listStatements.set(db, cache);
  const shape = present.join(',');
  const known = cache.get(shape);
  if (known) return known;
  const placeholders = Object.fromEntries(present.map((k, i) => [k, k === 'limit' ? -1 - i : `\u0000${k}`])) as ListValues;
  const compiled = db
    .selectFrom(listQuery(db, placeholders).as('d'))
    .select(sql<OrderRow[]>`coalesce(json_agg(d order by d.placed_at desc, d.order_id desc), '[]'::json)`.as('page'))
    .compile();
  const order = compiled.parameters.map((value) => {
    const key = present.find((k) => placeholders[k] === value);
    if (key === undefined) throw new Error(`listOrders: a parameter of the compiled statement is none of the filters (${String(value)}).`);
    return key;
  });
  const statement = { sql: preparedStatement(compiled.sql), order };
  cache.set(shape, statement);
  return statement;
};
const listStatements = new WeakMap<Kysely<ReadModels>, Map<string, { sql: string; order: readonly ListKey[] }>>();

/** Orders, newest first, filtered, in pages: pass `nextCursor` back as `cursor` for the next page. */
export const listOrders = async (db: Kysely<ReadModels>, filter: OrderListFilter = {}): Promise<{ items: OrderSummary[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const [cursorPlacedAt, cursorOrderId] = filter.cursor ? (decodeCursor(filter.cursor, 2) as [string, string]) : [];
  // Empty filters mean no filter, as they always have.
  const values: ListValues = {
    status: filter.status || undefined,
    partnerId: filter.partnerId || undefined,
    region: filter.region || undefined,
    placedFrom: filter.placedFrom || undefined,
    placedTo: filter.placedTo || undefined,
    cursorPlacedAt,
    cursorOrderId,
    limit: limit + 1,
  };
  const present = LIST_KEYS.filter((k) => values[k] !== undefined);
  const statement = listStatement(db, present);
  const result = await db.executeQuery<{ page: OrderRow[] }>(
    CompiledQuery.raw(
      statement.sql,
      statement.order.map((k) => values[k]),
    ),
  );
  const rows = result.rows[0]?.page ?? [];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(summary), nextCursor: rows.length > limit && last ? encodeCursor([last.placed_at, last.order_id]) : null };
};
const LIST_KEYS: readonly ListKey[] = ['status', 'partnerId', 'region', 'placedFrom', 'placedTo', 'cursorPlacedAt', 'cursorOrderId', 'limit'];

type LineRow = Omit<OrderLinesTable, 'order_id'>;
type ShipmentRow = Omit<OrderShipmentsTable, 'order_id'>;
type DetailRow = OrderRow & { lines_json: LineRow[]; shipments_json: ShipmentRow[] };

/**
 * The order's row with its lines and shipments as `json_agg` subqueries (and its review, when asked): one statement, one
 * round trip and one pool checkout, where separate queries took three or four. The callers wrap it in `row_to_json`, so
 * the answer is one json column (parsed by one `JSON.parse`) instead of ~40 columns described and parsed one by one.
 */
const detailQuery = (db: Kysely<ReadModels>, orderId: string, scope: { partnerId?: string | undefined }) => {
  let q = baseQuery(db)
    .where('orders.order_id', '=', orderId)
    .select([
      sql<LineRow[]>`(select coalesce(json_agg(l order by l.line_no), '[]'::json) from order_lines l where l.order_id = orders.order_id)`.as('lines_json'),
      sql<
        ShipmentRow[]
      >`(select coalesce(json_agg(s order by s.shipped_at, s.shipment_id), '[]'::json) from order_shipments s where s.order_id = orders.order_id)`.as(
        'shipments_json',
      ),
    ]);
  if (scope.partnerId !== undefined) q = q.where('orders.partner_id', '=', scope.partnerId);
  return q;
};

const detail = (o: DetailRow): OrderDetail => ({
  ...summary(o),
  tier: o.tier,
  lifecycle: o.lifecycle,
  customerReference: o.customer_reference,
  requestedDeliveryDate: o.requested_delivery_date,
  invoice:
    o.invoice_id && o.invoiced_at && o.due_date
      ? {
          invoiceId: o.invoice_id,
          amount: money(o.invoiced_minor, o.currency),
          tax: money(o.tax_minor, o.currency),
          invoicedAt: o.invoiced_at,
          dueDate: o.due_date,
        }
      : null,
  tax: money(o.tax_minor, o.currency),
  gross: money(Number(o.total_minor) + Number(o.tax_minor), o.currency),
  credited: money(o.credited_minor, o.currency),
  creditedTax: money(o.credited_tax_minor, o.currency),
  paid: money(o.paid_minor, o.currency),
  dates: {
    placedAt: o.placed_at,
    approvedAt: o.approved_at,
    rejectedAt: o.rejected_at,
    confirmedAt: o.confirmed_at,
    cancelledAt: o.cancelled_at,
    firstShippedAt: o.first_shipped_at,
    shippedAt: o.shipped_at,
    deliveredAt: o.delivered_at,
    invoicedAt: o.invoiced_at,
    paidAt: o.paid_at,
  },
  lines: o.lines_json.map((l) => ({
    lineNo: l.line_no,
    sku: l.sku,
    quantity: l.quantity,
    unitPrice: money(l.unit_price_minor, o.currency),
    discountBps: l.discount_bps,
    netAmount: money(l.net_minor, o.currency),
    shipped: l.shipped,
    delivered: l.delivered,
    returned: l.returned,
    credited: money(l.credited_minor, o.currency),
    priceSource: (l.price_source as PriceSource | null) ?? null,
    promotions: (l.promotions as LinePromotion[] | null) ?? [],
    tax: (l.tax as NonNullable<OrderLine['tax']> | null) ?? null,
    creditedTax: money(l.credited_tax_minor, o.currency),
  })),
  shipments: o.shipments_json.map((s) => ({
    shipmentId: s.shipment_id,
    warehouseId: s.warehouse_id,
    carrier: s.carrier,
    trackingNumber: s.tracking_number,
    quantity: s.quantity,
    lines: s.lines,
    shippedAt: s.shipped_at,
    deliveredAt: s.delivered_at,
    invoice:
      s.invoice_id && s.invoiced_at && s.due_date
        ? {
            invoiceId: s.invoice_id,
            amount: money(s.invoiced_minor ?? 0, o.currency),
            tax: money(s.invoiced_tax_minor ?? 0, o.currency),
            invoicedAt: s.invoiced_at,
            dueDate: s.due_date,
          }
        : null,
  })),
  version: o.version,
});

/** One order with its lines and shipments, in one statement; with `partnerId`, only if it belongs to that partner (a dealer's view). */
export const getOrder = async (db: Kysely<ReadModels>, orderId: string, scope: { partnerId?: string | undefined } = {}): Promise<OrderDetail | undefined> => {
  const row = await db
    .selectFrom(detailQuery(db, orderId, scope).as('d'))
    .select(sql<DetailRow>`row_to_json(d)`.as('doc'))
    .executeTakeFirst();
  return row ? detail(row.doc) : undefined;
};

/**
 * The text of `getOrderWithReview`'s statement (parameters: the order id, then the partner when scoped), compiled once and
 * sent as a named prepared statement on a server: the hottest read skips kysely's query building and compiling and the
 * server's parse and plan on every request.
 */
const detailWithReviewSql = (db: Kysely<ReadModels>, scoped: boolean): string => {
  const texts = detailTexts.get(db) ?? [];
  detailTexts.set(db, texts);
  const i = scoped ? 1 : 0;
  texts[i] ??= preparedStatement(
    db
      .selectFrom(
        detailQuery(db, '', scoped ? { partnerId: '' } : {})
          .select(sql<OrderReviewsTable | null>`(select row_to_json(r) from order_reviews r where r.order_id = orders.order_id)`.as('review_json'))
          .as('d'),
      )
      .select(sql`row_to_json(d)`.as('doc'))
      .compile().sql,
  );
  return texts[i];
};
const detailTexts = new WeakMap<Kysely<ReadModels>, string[]>();

/** `getOrder` with the order's review (null before it ran), still one statement: what `GET /orders/{id}` answers. */
export const getOrderWithReview = async (
  db: Kysely<ReadModels>,
  orderId: string,
  scope: { partnerId?: string | undefined } = {},
): Promise<(OrderDetail & { readonly review: OrderReviewOutcome | null }) | undefined> => {
  const scoped = scope.partnerId !== undefined;
  const result = await db.executeQuery<{ doc: DetailRow & { review_json: OrderReviewsTable | null } }>(
    CompiledQuery.raw(detailWithReviewSql(db, scoped), scoped ? [orderId, scope.partnerId] : [orderId]),
  );
  const o = result.rows[0]?.doc;
  if (!o) return undefined;
  const r = o.review_json;
  return {
    ...detail(o),
    review: r
      ? { status: r.status, automatic: r.automatic, reasons: r.reasons as ReviewReasonView[], queuedAt: r.queued_at, decidedAt: r.decided_at, note: r.note }
      : null,
  };
};

export interface StatusRegionCount {
  readonly region: string;
  readonly status: string;
  readonly orders: number;
  readonly total: Money;
}

/** Order counts and values by region and status; `scope.partnerId` confines a dealer to its own orders. */
export const ordersByStatusAndRegion = async (db: Kysely<ReadModels>, scope: { partnerId?: string | undefined } = {}): Promise<StatusRegionCount[]> => {
  let q = db
    .selectFrom('orders')
    .select(['region', 'status', 'currency', sql<number>`count(*)::int`.as('orders'), sql<string>`sum(total_minor)::text`.as('total')]);
  if (scope.partnerId !== undefined) q = q.where('partner_id', '=', scope.partnerId);
  const rows = await q.groupBy(['region', 'status', 'currency']).orderBy('region').orderBy('status').execute();
  return rows.map((r) => ({ region: r.region, status: r.status, orders: r.orders, total: money(BigInt(r.total), r.currency) }));
};

export interface MonthlyRevenue {
  /** YYYY-MM */
  readonly month: string;
  readonly invoices: number;
  /** Invoiced less credited, for orders invoiced that month. */
  readonly revenue: Money;
  readonly collected: Money;
}

/** Net invoiced revenue by invoice month; `scope.partnerId` confines a dealer to its own orders. */
export const revenueByMonth = async (
  db: Kysely<ReadModels>,
  options: { region?: string | undefined; partnerId?: string | undefined } = {},
  scope: { partnerId?: string | undefined } = {},
): Promise<MonthlyRevenue[]> => {
  let q = db
    .selectFrom('orders')
    .select([
      sql<string>`substr(invoiced_at, 1, 7)`.as('month'),
      'currency',
      sql<number>`count(*)::int`.as('invoices'),
      // Revenue is net: the invoice's and credit notes' tax is taken out (docs/tax.md).
      sql<string>`sum(invoiced_minor - tax_minor - credited_minor + credited_tax_minor)::text`.as('revenue'),
      sql<string>`sum(paid_minor)::text`.as('collected'),
    ])
    .where('invoiced_at', 'is not', null);
  if (options.region) q = q.where('region', '=', options.region);
  if (options.partnerId) q = q.where('partner_id', '=', options.partnerId);
  if (scope.partnerId !== undefined) q = q.where('partner_id', '=', scope.partnerId);
  const rows = await q.groupBy([sql`substr(invoiced_at, 1, 7)`, 'currency']).orderBy(sql`substr(invoiced_at, 1, 7)`).execute();
  return rows.map((r) => ({
    month: r.month,
    invoices: r.invoices,
    revenue: money(BigInt(r.revenue), r.currency),
    collected: money(BigInt(r.collected), r.currency),
  }));
};
