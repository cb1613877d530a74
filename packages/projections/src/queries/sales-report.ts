import { ratioBps } from '@dms/domain';
import { InvalidArgument } from '@dms/eventstore';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ReadModels } from '../schema';
import {
  DIMENSION,
  FIGURES,
  type FigureRow,
  PERIOD_DIMENSIONS,
  SALES_DIMENSIONS,
  type SalesDimension,
  type SalesFigures,
  type SalesFilter,
  salesFigures,
  salesSource,
  zeroSales,
} from './sales-source';

export { PERIOD_DIMENSIONS, SALES_DIMENSIONS, type SalesDimension, type SalesFigures } from './sales-source';

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
  /**
   * The day the report is made (YYYY-MM-DD, UTC; from the caller's clock): a period that has not ended by then is partial.
   * Without it only the range decides.
   */
  readonly today?: string | undefined;
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
  /**
   * With a period dimension: the row covers only part of its period (the period has not ended by `today`, or the range
   * starts after its first day or ends before its last), so its figures and growth compare part of a period with a whole one.
   */
  readonly partial: boolean;
}

export interface SalesReportTotal extends SalesFigures {
  readonly currency: string;
  /** With both `from` and `to`: the preceding range of equal length. */
  readonly previous: SalesFigures | null;
  readonly growthBps: number | null;
  /** The range has not ended by `today`: growth compares part of it with the whole range before. */
  readonly partial: boolean;
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

/**
 * The range just before `from`..`to` (inclusive) that growth compares with: whole calendar months go back as many months
 * (a quarter's is the quarter before, February's is January), any other range as many days.
 */
export const rangeBefore = (from: string, to: string): { from: string; to: string } => {
  const after = addDays(to, 1);
  if (from.endsWith('-01') && after.endsWith('-01')) {
    const months = (Number(after.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(after.slice(5, 7)) - Number(from.slice(5, 7));
    return { from: monthIndex(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1 - months), to: addDays(from, -1) };
  }
  return { from: addDays(from, -(Date.parse(to) - Date.parse(from)) / DAY_MS - 1), to: addDays(from, -1) };
};

/** The first and last day of the period a label names: `2026-02` -> 2026-02-01..2026-02-28, `2026-Q1`, `2026`. */
const periodDays = (label: string, period: SalesDimension): { first: string; last: string } => {
  const year = Number(label.slice(0, 4));
  const month0 = period === 'year' ? 0 : period === 'quarter' ? (Number(label.slice(6)) - 1) * 3 : Number(label.slice(5, 7)) - 1;
  const months = period === 'year' ? 12 : period === 'quarter' ? 3 : 1;
  return { first: monthIndex(year, month0), last: addDays(monthIndex(year, month0 + months), -1) };
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

const MEASURE: Record<SalesMeasure, RawBuilder<unknown>> = {
  net: sql`sum(s.ordered_minor - s.credited_minor)`,
  ordered: sql`sum(s.ordered_minor)`,
  invoiced: sql`sum(s.invoiced_minor)`,
  quantity: sql`sum(s.ordered_qty)`,
};

type GroupedRow = FigureRow & { [k in SalesDimension | 'partner_name' | 'product_name']?: string | null };

const measureOf = (f: SalesFigures, measure: SalesMeasure): bigint =>
  BigInt(
    measure === 'quantity' ? f.orderedQty : measure === 'net' ? f.net.amountMinor : measure === 'ordered' ? f.ordered.amountMinor : f.invoiced.amountMinor,
  );

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
  const filter: SalesFilter = {
    from: query.from,
    before: query.to === undefined ? undefined : addDays(query.to, 1),
    region: query.region,
    partnerId: query.partnerId,
    sku: query.sku,
    category: query.category,
    scopePartnerId: scope.partnerId,
  };

  const grouped = (f: SalesFilter) => {
    const dims = groupBy.map((d) => DIMENSION[d].as(d));
    let q = db
      .selectFrom(salesSource(db, lineLevel, f).as('s'))
      .select([...dims, 's.currency', ...FIGURES])
      .groupBy([...groupBy.map((d) => DIMENSION[d]), 's.currency']);
    if (groupBy.includes('partner')) q = q.select(sql<string | null>`(select name from partners where partners.partner_id = s.partner_id)`.as('partner_name'));
    if (groupBy.includes('product')) q = q.select(sql<string | null>`max(s.product_name)`.as('product_name'));
    // Periods in time order; otherwise the largest first.
    if (!period) q = q.orderBy(MEASURE[measure], 'desc');
    for (const d of groupBy) q = q.orderBy(DIMENSION[d]);
    return q.orderBy('s.currency').execute() as Promise<GroupedRow[]>;
  };
  const totalled = async (f: SalesFilter) =>
    (
      await db
        .selectFrom(salesSource(db, lineLevel, f).as('s'))
        .select(['s.currency', ...FIGURES])
        .groupBy('s.currency')
        .orderBy('s.currency')
        .execute()
    ).map((r) => salesFigures(r, lineLevel));

  const rows = await grouped(filter);
  const totals = await totalled(filter);
  const previousRange = query.from && query.to ? rangeBefore(query.from, query.to) : null;
  const previousTotals = previousRange ? await totalled({ ...filter, from: previousRange.from, before: query.from }) : [];

  // A period row compares with the same group one whole period earlier: read from the period before `from` on.
  const keyOf = (r: GroupedRow, periodLabel?: string) =>
    JSON.stringify([...groupBy.map((d) => (d === period && periodLabel !== undefined ? periodLabel : r[d])), r.currency]);
  const earlier = new Map<string, SalesFigures>();
  if (period) {
    const wider = query.from === undefined ? rows : await grouped({ ...filter, from: previousPeriodStart(query.from, period) });
    for (const r of wider) earlier.set(keyOf(r), salesFigures(r, lineLevel));
  }

  const totalOf = new Map(totals.map((t) => [t.ordered.currency, t]));
  const partialPeriod = (label: string, p: SalesDimension) => {
    const { first, last } = periodDays(label, p);
    return (
      (query.from !== undefined && query.from > first) || (query.to !== undefined && query.to < last) || (query.today !== undefined && query.today <= last)
    );
  };
  return {
    groupBy,
    measure,
    from: query.from ?? null,
    to: query.to ?? null,
    previousRange,
    rows: rows.map((r) => {
      const f = salesFigures(r, lineLevel);
      // The period before was read too, so a group missing there sold nothing then.
      const previous = period ? (earlier.get(keyOf(r, previousPeriodLabel(r[period] as string, period))) ?? zeroSales(r.currency, lineLevel)) : null;
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
        partial: period ? partialPeriod(r[period] as string, period) : false,
      };
    }),
    totals: totals.map((t) => {
      const previous = previousRange
        ? (previousTotals.find((p) => p.ordered.currency === t.ordered.currency) ?? zeroSales(t.ordered.currency, lineLevel))
        : null;
      const partial = previousRange !== null && query.today !== undefined && query.to !== undefined && query.today <= query.to;
      return { currency: t.ordered.currency, ...t, previous, growthBps: growth(t, previous, measure), partial };
    }),
  };
};
