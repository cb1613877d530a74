import type { Money } from '@dms/domain';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ReadModels } from '../schema';

/**
 * What every sales figure is made of, shared by the sales report and the sales KPIs so that both count the same orders
 * the same way: the source rows (an order, or an order line with its product's category), the dimensions over them and
 * the figures summed from them.
 */
export const SALES_DIMENSIONS = ['region', 'partner', 'product', 'category', 'month', 'quarter', 'year'] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];
export const PERIOD_DIMENSIONS: readonly SalesDimension[] = ['month', 'quarter', 'year'];

export interface SalesFigures {
  /** Distinct orders. With a product or category dimension an order counts in each row it has lines in. */
  readonly orders: number;
  readonly orderedQty: number;
  readonly shippedQty: number;
  readonly deliveredQty: number;
  readonly returnedQty: number;
  /** Net ordered value: the lines' snapshotted net amounts (after discounts). */
  readonly ordered: Money;
  /** Credit notes for returned goods. */
  readonly credited: Money;
  /** `ordered` less `credited`. */
  readonly net: Money;
  /** Ordered value of the orders invoiced so far (an invoice covers its whole order). */
  readonly invoiced: Money;
  /** Payments received; null when grouped or filtered by product or category: payments are per order, not per line. */
  readonly paid: Money | null;
}

/** Each dimension as an expression over the source `s` below. */
export const DIMENSION: Record<SalesDimension, RawBuilder<string>> = {
  region: sql`s.region`,
  partner: sql`s.partner_id`,
  product: sql`s.sku`,
  category: sql`s.category`,
  month: sql`substr(s.placed_at, 1, 7)`,
  quarter: sql`substr(s.placed_at, 1, 4) || '-Q' || ((substr(s.placed_at, 6, 2)::int + 2) / 3)::text`,
  year: sql`substr(s.placed_at, 1, 4)`,
};

export interface SalesFilter {
  readonly from?: string | undefined;
  /** Exclusive. */
  readonly before?: string | undefined;
  readonly region?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly sku?: string | undefined;
  readonly category?: string | undefined;
  readonly scopePartnerId?: string | undefined;
}

/** The columns every source row shares: the order's own. */
const ORDER_COLUMNS = [
  sql<string>`o.order_id`.as('order_id'),
  sql<string>`o.partner_id`.as('partner_id'),
  sql<string>`o.region`.as('region'),
  sql<string>`o.placed_at`.as('placed_at'),
  sql<string>`o.currency`.as('currency'),
] as const;

const orderSource = (db: Kysely<ReadModels>, where: RawBuilder<boolean>) =>
  db
    .selectFrom('orders as o')
    .select([
      ...ORDER_COLUMNS,
      sql<string | null>`null::text`.as('sku'),
      sql<string | null>`null::text`.as('category'),
      sql<string | null>`null::text`.as('product_name'),
      sql<number>`o.ordered_qty`.as('ordered_qty'),
      sql<number>`o.shipped_qty`.as('shipped_qty'),
      sql<number>`o.delivered_qty`.as('delivered_qty'),
      sql<number>`o.returned_qty`.as('returned_qty'),
      sql<string>`o.total_minor`.as('ordered_minor'),
      sql<string>`o.invoiced_minor`.as('invoiced_minor'),
      sql<string>`o.credited_minor`.as('credited_minor'),
      sql<string | null>`o.paid_minor`.as('paid_minor'),
    ])
    .where(where);

/** A line's invoiced value is net: the line's net once its whole order is invoiced, or its share of each shipment invoiced. */
const lineSource = (db: Kysely<ReadModels>, where: RawBuilder<boolean>) =>
  db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.order_id', 'l.order_id')
    .leftJoin('products as p', 'p.sku', 'l.sku')
    .select([
      ...ORDER_COLUMNS,
      sql<string | null>`l.sku`.as('sku'),
      sql<string | null>`coalesce(p.category, 'uncategorised')`.as('category'),
      sql<string | null>`p.name`.as('product_name'),
      sql<number>`l.quantity`.as('ordered_qty'),
      sql<number>`l.shipped`.as('shipped_qty'),
      sql<number>`l.delivered`.as('delivered_qty'),
      sql<number>`l.returned`.as('returned_qty'),
      sql<string>`l.net_minor`.as('ordered_minor'),
      sql<string>`l.invoiced_minor`.as('invoiced_minor'),
      sql<string>`l.credited_minor`.as('credited_minor'),
      sql<string | null>`null::bigint`.as('paid_minor'),
    ])
    .where(where);

/**
 * One row per order (from `orders`, which carries payments) or, when products matter, one row per order line with its
 * product's category; both give the same columns. Orders rejected or cancelled never count.
 */
export const salesSource = (db: Kysely<ReadModels>, lineLevel: boolean, f: SalesFilter) => {
  const conditions: RawBuilder<boolean>[] = [sql`o.lifecycle not in ('rejected', 'cancelled')`];
  if (f.from !== undefined) conditions.push(sql`o.placed_at >= ${f.from}`);
  if (f.before !== undefined) conditions.push(sql`o.placed_at < ${f.before}`);
  if (f.region !== undefined) conditions.push(sql`o.region = ${f.region}`);
  if (f.partnerId !== undefined) conditions.push(sql`o.partner_id = ${f.partnerId}`);
  if (f.scopePartnerId !== undefined) conditions.push(sql`o.partner_id = ${f.scopePartnerId}`);
  if (f.sku !== undefined) conditions.push(sql`l.sku = ${f.sku}`);
  if (f.category !== undefined) conditions.push(sql`p.category = ${f.category}`);
  const where = sql<boolean>`${sql.join(conditions, sql` and `)}`;
  // Same output columns either way; only the tables behind them differ.
  return lineLevel ? (lineSource(db, where) as unknown as ReturnType<typeof orderSource>) : orderSource(db, where);
};

export interface FigureRow {
  currency: string;
  orders: number;
  ordered_qty: string;
  shipped_qty: string;
  delivered_qty: string;
  returned_qty: string;
  ordered_minor: string;
  credited_minor: string;
  invoiced_minor: string;
  paid_minor: string | null;
}

export const FIGURES = [
  sql<number>`count(distinct s.order_id)::int`.as('orders'),
  sql<string>`coalesce(sum(s.ordered_qty), 0)::text`.as('ordered_qty'),
  sql<string>`coalesce(sum(s.shipped_qty), 0)::text`.as('shipped_qty'),
  sql<string>`coalesce(sum(s.delivered_qty), 0)::text`.as('delivered_qty'),
  sql<string>`coalesce(sum(s.returned_qty), 0)::text`.as('returned_qty'),
  sql<string>`coalesce(sum(s.ordered_minor), 0)::text`.as('ordered_minor'),
  sql<string>`coalesce(sum(s.credited_minor), 0)::text`.as('credited_minor'),
  sql<string>`coalesce(sum(s.invoiced_minor), 0)::text`.as('invoiced_minor'),
  sql<string | null>`sum(s.paid_minor)::text`.as('paid_minor'),
] as const;

/**
 * FIGURES for a query that groups rows of `salesSource(db, lineLevel)`: at order level each order is one row, so a group
 * counts its orders with count(*), sparing PostgreSQL the sort that count(distinct) needs (~0.6 ms of each KPI sales
 * statement's ~3 ms on 2,000 orders, docs/benchmarks.md); line rows still count distinct orders.
 */
export const figuresOf = (lineLevel: boolean) => (lineLevel ? FIGURES : [sql<number>`count(*)::int`.as('orders'), ...FIGURES.slice(1)]);

export const salesFigures = (r: FigureRow, lineLevel: boolean): SalesFigures => {
  const m = (minor: bigint): Money => ({ amountMinor: Number(minor), currency: r.currency });
  return {
    orders: r.orders,
    orderedQty: Number(r.ordered_qty),
    shippedQty: Number(r.shipped_qty),
    deliveredQty: Number(r.delivered_qty),
    returnedQty: Number(r.returned_qty),
    ordered: m(BigInt(r.ordered_minor)),
    credited: m(BigInt(r.credited_minor)),
    net: m(BigInt(r.ordered_minor) - BigInt(r.credited_minor)),
    invoiced: m(BigInt(r.invoiced_minor)),
    paid: lineLevel ? null : m(BigInt(r.paid_minor ?? '0')),
  };
};

export const zeroSales = (currency: string, lineLevel: boolean): SalesFigures =>
  salesFigures(
    {
      currency,
      orders: 0,
      ordered_qty: '0',
      shipped_qty: '0',
      delivered_qty: '0',
      returned_qty: '0',
      ordered_minor: '0',
      credited_minor: '0',
      invoiced_minor: '0',
      paid_minor: '0',
    },
    lineLevel,
  );
