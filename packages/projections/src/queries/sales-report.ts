import type { Money } from '@dms/domain';
import { InvalidArgument } from '@dms/eventstore';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ReadModels } from '../schema';

export const SALES_DIMENSIONS = ['region', 'partner', 'product', 'category', 'month', 'quarter', 'year'] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];
export const PERIOD_DIMENSIONS: readonly SalesDimension[] = ['month', 'quarter', 'year'];

/** What shares, growth, ordering and charts are based on: `net` is ordered value less credited returns. */
export const SALES_MEASURES = ['net', 'ordered', 'invoiced', 'quantity'] as const;
export type SalesMeasure = (typeof SALES_MEASURES)[number];

export interface SalesReportQuery {
  /** One or two dimensions, e.g. `['region', 'month']`. */
  readonly groupBy: readonly string[];
  /** First placement date included (YYYY-MM-DD, UTC). */
  readonly from?: string | undefined;
  /** Last placement date included (YYYY-MM-DD, UTC). */
  readonly to?: string | undefined;
  readonly region?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly sku?: string | undefined;
  readonly category?: string | undefined;
  readonly measure?: SalesMeasure | undefined;
}

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

export interface SalesReportRow extends SalesFigures {
  /** The row's value of each dimension, e.g. `{ region: 'north', month: '2026-01' }`. */
  readonly group: Readonly<Partial<Record<SalesDimension, string>>>;
  readonly partnerName?: string | null;
  readonly productName?: string | null;
  readonly currency: string;
  /** The row's share of its currency's total of the measure, in basis points (10000 = 100 %). */
  readonly shareBps: number | null;
  /** With a period dimension: the same group one period earlier (the month, quarter or year before). */
  readonly previous: SalesFigures | null;
  /** Growth of the measure against `previous`, in basis points; null without a previous figure to compare with. */
  readonly growthBps: number | null;
}

export interface SalesReportTotal extends SalesFigures {
  readonly currency: string;
  /** With both `from` and `to`: the preceding range of equal length. */
  readonly previous: SalesFigures | null;
  readonly growthBps: number | null;
}

export interface SalesReport {
  readonly groupBy: SalesDimension[];
  readonly measure: SalesMeasure;
  readonly from: string | null;
  readonly to: string | null;
  /** The range `totals[].previous` covers. */
  readonly previousRange: { readonly from: string; readonly to: string } | null;
  readonly rows: SalesReportRow[];
  /** One per currency: amounts in different currencies are never added up. */
  readonly totals: SalesReportTotal[];
}

const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Everything wrong with a query, each naming its field: the API answers them as a 400, the CLI prints them. */
export const salesReportProblems = (query: SalesReportQuery): { field: string; message: string }[] => {
  const problems: { field: string; message: string }[] = [];
  const unknown = query.groupBy.filter((d) => !(SALES_DIMENSIONS as readonly string[]).includes(d));
  if (query.groupBy.length === 0 || query.groupBy.length > 2)
    problems.push({ field: 'groupBy', message: `must name one or two dimensions, not ${query.groupBy.length}` });
  else if (unknown.length > 0) problems.push({ field: 'groupBy', message: `unknown dimension "${unknown[0]}"; use ${SALES_DIMENSIONS.join(', ')}` });
  else if (new Set(query.groupBy).size !== query.groupBy.length) problems.push({ field: 'groupBy', message: 'names the same dimension twice' });
  else if (query.groupBy.filter((d) => PERIOD_DIMENSIONS.includes(d as SalesDimension)).length > 1)
    problems.push({ field: 'groupBy', message: 'may hold only one of month, quarter, year' });
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !isDate(value)) problems.push({ field, message: 'must be a date (YYYY-MM-DD)' });
  }
  if (query.from && query.to && isDate(query.from) && isDate(query.to) && query.from > query.to)
    problems.push({ field: 'from', message: `must not be after to (${query.to})` });
  if (query.measure !== undefined && !SALES_MEASURES.includes(query.measure))
    problems.push({ field: 'measure', message: `must be one of ${SALES_MEASURES.join(', ')}` });
  return problems;
};

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const monthIndex = (year: number, month0: number) => new Date(Date.UTC(year, month0, 1)).toISOString().slice(0, 10);

/** The first day of the period before the one `date` falls in. */
const previousPeriodStart = (date: string, period: SalesDimension): string => {
  const year = Number(date.slice(0, 4));
  const month0 = Number(date.slice(5, 7)) - 1;
  if (period === 'year') return monthIndex(year - 1, 0);
  if (period === 'quarter') return monthIndex(year, month0 - (month0 % 3) - 3);
  return monthIndex(year, month0 - 1);
};

/** The label of the period before: `2026-01` -> `2025-12`, `2026-Q1` -> `2025-Q4`, `2026` -> `2025`. */
const previousPeriodLabel = (label: string, period: SalesDimension): string => {
  const year = Number(label.slice(0, 4));
  if (period === 'year') return String(year - 1);
  if (period === 'quarter') {
    const q = Number(label.slice(6));
    return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
  }
  return monthIndex(year, Number(label.slice(5, 7)) - 2).slice(0, 7);
};

/** Each dimension as an expression over the source `s` below. */
const DIMENSION: Record<SalesDimension, RawBuilder<string>> = {
  region: sql`s.region`,
  partner: sql`s.partner_id`,
  product: sql`s.sku`,
  category: sql`s.category`,
  month: sql`substr(s.placed_at, 1, 7)`,
  quarter: sql`substr(s.placed_at, 1, 4) || '-Q' || ((substr(s.placed_at, 6, 2)::int + 2) / 3)::text`,
  year: sql`substr(s.placed_at, 1, 4)`,
};

const MEASURE: Record<SalesMeasure, RawBuilder<unknown>> = {
  net: sql`sum(s.ordered_minor - s.credited_minor)`,
  ordered: sql`sum(s.ordered_minor)`,
  invoiced: sql`sum(s.invoiced_minor)`,
  quantity: sql`sum(s.ordered_qty)`,
};

interface Filter {
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

/** Invoices cover whole orders, so a line's invoiced value is its net amount once its order is invoiced. */
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
      sql<string>`case when o.invoice_id is null then 0 else l.net_minor end`.as('invoiced_minor'),
      sql<string>`l.credited_minor`.as('credited_minor'),
      sql<string | null>`null::bigint`.as('paid_minor'),
    ])
    .where(where);

/**
 * One row per order (from `orders`, which carries payments) or, when products matter, one row per order line with its
 * product's category; both give the same columns. Orders rejected or cancelled never count.
 */
const source = (db: Kysely<ReadModels>, lineLevel: boolean, f: Filter) => {
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

interface FigureRow {
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

type GroupedRow = FigureRow & { [k in SalesDimension | 'partner_name' | 'product_name']?: string | null };

const FIGURES = [
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

const figures = (r: FigureRow, lineLevel: boolean): SalesFigures => {
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

const zero = (currency: string, lineLevel: boolean): SalesFigures =>
  figures(
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

const measureOf = (f: SalesFigures, measure: SalesMeasure): bigint =>
  BigInt(
    measure === 'quantity' ? f.orderedQty : measure === 'net' ? f.net.amountMinor : measure === 'ordered' ? f.ordered.amountMinor : f.invoiced.amountMinor,
  );

/** `part / whole` in basis points, rounded half away from zero, in integers. */
const ratioBps = (part: bigint, whole: bigint): number | null => {
  if (whole === 0n) return null;
  const scaled = part * 10_000n * 2n;
  const sign = scaled < 0n !== whole < 0n ? -1n : 1n;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  return Number((sign * ((abs(scaled) / abs(whole) + 1n) / 2n)) as bigint);
};

const growth = (current: SalesFigures, previous: SalesFigures | null, measure: SalesMeasure) =>
  previous ? ratioBps(measureOf(current, measure) - measureOf(previous, measure), measureOf(previous, measure)) : null;

/**
 * Sales by one or two of region, partner, product, category and month/quarter/year, over orders placed from `from` to
 * `to` (inclusive dates, UTC), with totals per currency, each row's share of them, and period-over-period growth.
 * Aggregated in SQL; money stays integer minor units per currency. `scope.partnerId` confines a dealer to its own orders.
 *
 * @example
 * const report = await salesReport(db, { groupBy: ['region', 'month'], from: '2026-01-01', to: '2026-03-31' });
 * report.rows[0]; // { group: { region: 'north', month: '2026-01' }, net: { amountMinor: 45000, currency: 'EUR' }, ... }
 */
export const salesReport = async (db: Kysely<ReadModels>, query: SalesReportQuery, scope: { partnerId?: string | undefined } = {}): Promise<SalesReport> => {
  const problems = salesReportProblems(query);
  if (problems.length > 0) throw new InvalidArgument(problems.map((p) => `${p.field} ${p.message}`).join('; '));
  const groupBy = [...query.groupBy] as SalesDimension[];
  const measure = query.measure ?? 'net';
  const period = groupBy.find((d) => PERIOD_DIMENSIONS.includes(d));
  const lineLevel = groupBy.includes('product') || groupBy.includes('category') || query.sku !== undefined || query.category !== undefined;
  const filter: Filter = {
    from: query.from,
    before: query.to === undefined ? undefined : addDays(query.to, 1),
    region: query.region,
    partnerId: query.partnerId,
    sku: query.sku,
    category: query.category,
    scopePartnerId: scope.partnerId,
  };

  const grouped = (f: Filter) => {
    const dims = groupBy.map((d) => DIMENSION[d].as(d));
    let q = db
      .selectFrom(source(db, lineLevel, f).as('s'))
      .select([...dims, 's.currency', ...FIGURES])
      .groupBy([...groupBy.map((d) => DIMENSION[d]), 's.currency']);
    if (groupBy.includes('partner')) q = q.select(sql<string | null>`(select name from partners where partners.partner_id = s.partner_id)`.as('partner_name'));
    if (groupBy.includes('product')) q = q.select(sql<string | null>`max(s.product_name)`.as('product_name'));
    // Periods in time order; otherwise the largest first.
    if (!period) q = q.orderBy(MEASURE[measure], 'desc');
    for (const d of groupBy) q = q.orderBy(DIMENSION[d]);
    return q.orderBy('s.currency').execute() as Promise<GroupedRow[]>;
  };
  const totalled = async (f: Filter) =>
    (
      await db
        .selectFrom(source(db, lineLevel, f).as('s'))
        .select(['s.currency', ...FIGURES])
        .groupBy('s.currency')
        .orderBy('s.currency')
        .execute()
    ).map((r) => figures(r, lineLevel));

  const rows = await grouped(filter);
  const totals = await totalled(filter);
  const previousRange =
    query.from && query.to ? { from: addDays(query.from, -(Date.parse(query.to) - Date.parse(query.from)) / DAY_MS - 1), to: addDays(query.from, -1) } : null;
  const previousTotals = previousRange ? await totalled({ ...filter, from: previousRange.from, before: query.from }) : [];

  // A period row compares with the same group one whole period earlier: read from the period before `from` on.
  const keyOf = (r: GroupedRow, periodLabel?: string) =>
    JSON.stringify([...groupBy.map((d) => (d === period && periodLabel !== undefined ? periodLabel : r[d])), r.currency]);
  const earlier = new Map<string, SalesFigures>();
  if (period) {
    const wider = query.from === undefined ? rows : await grouped({ ...filter, from: previousPeriodStart(query.from, period) });
    for (const r of wider) earlier.set(keyOf(r), figures(r, lineLevel));
  }

  const totalOf = new Map(totals.map((t) => [t.ordered.currency, t]));
  return {
    groupBy,
    measure,
    from: query.from ?? null,
    to: query.to ?? null,
    previousRange,
    rows: rows.map((r) => {
      const f = figures(r, lineLevel);
      // The period before was read too, so a group missing there sold nothing then.
      const previous = period ? (earlier.get(keyOf(r, previousPeriodLabel(r[period] as string, period))) ?? zero(r.currency, lineLevel)) : null;
      const total = totalOf.get(r.currency);
      return {
        group: Object.fromEntries(groupBy.map((d) => [d, r[d] as string])),
        ...(groupBy.includes('partner') ? { partnerName: r.partner_name ?? null } : {}),
        ...(groupBy.includes('product') ? { productName: r.product_name ?? null } : {}),
        currency: r.currency,
        ...f,
        shareBps: total ? ratioBps(measureOf(f, measure), measureOf(total, measure)) : null,
        previous,
        growthBps: growth(f, previous, measure),
      };
    }),
    totals: totals.map((t) => {
      const previous = previousRange ? (previousTotals.find((p) => p.ordered.currency === t.ordered.currency) ?? zero(t.ordered.currency, lineLevel)) : null;
      return { currency: t.ordered.currency, ...t, previous, growthBps: growth(t, previous, measure) };
    }),
  };
};
