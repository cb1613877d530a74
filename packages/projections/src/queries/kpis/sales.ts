import { addDays, maxDate, minDate } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../../schema';
import { DIMENSION, type FigureRow, figuresOf, type SalesFigures, salesFigures, salesSource } from '../sales-source';

/** The sales figures (as `figuresOf` names them) summed over `order_sales_daily` rows `s`. */
const DAILY_FIGURES = [
  sql<number>`sum(s.orders)::int`.as('orders'),
  ...(['ordered_qty', 'shipped_qty', 'delivered_qty', 'returned_qty', 'ordered_minor', 'credited_minor', 'invoiced_minor', 'paid_minor'] as const).map((c) =>
    sql<string>`sum(s.${sql.ref(c)})::text`.as(c),
  ),
];

import { byKey, type KeyedRange, type KpiFilter, type KpiPart, type KpiScope, rangesTable, runKpiPart } from './common';

/** What sales KPIs break down by: the sales report's dimensions that are not periods. */
export const SALES_KPI_DIMENSIONS = ['region', 'partner', 'product', 'category'] as const;
export type SalesKpiDimension = (typeof SALES_KPI_DIMENSIONS)[number];

export interface SalesKpiFilter extends KpiFilter {
  readonly sku?: string | undefined;
  readonly category?: string | undefined;
}

export interface SalesKpiRow extends SalesFigures {
  /** The value of the dimension (a region, partner id, SKU or category); null without one. */
  readonly group: string | null;
  /** The partner's or product's name, for those dimensions. */
  readonly name: string | null;
  readonly currency: string;
}

/**
 * Sales per range (and per group of `dimension`, if given) and currency, counted exactly as `GET /reports/sales` counts
 * them (orders placed in the range, without rejected or cancelled ones; `net` = ordered less credited), in one query
 * for every range.
 */
export const salesByRange = async (
  db: Kysely<ReadModels>,
  ranges: readonly KeyedRange[],
  options: { readonly dimension?: SalesKpiDimension | undefined; readonly filter?: SalesKpiFilter } = {},
  scope: KpiScope = {},
): Promise<Map<string, SalesKpiRow[]>> => (ranges.length === 0 ? new Map() : runKpiPart(db, salesPart(db, ranges, options, scope)));

type SalesRow = FigureRow & { key: string; grp: string | null; name: string | null };

/** `salesByRange`'s statement and figures (`db` builds the statement; nothing runs). */
export const salesPart = (
  db: Kysely<ReadModels>,
  ranges: readonly KeyedRange[],
  options: { readonly dimension?: SalesKpiDimension | undefined; readonly filter?: SalesKpiFilter },
  scope: KpiScope,
): KpiPart<Map<string, SalesKpiRow[]>> => {
  const { dimension, filter = {} } = options;
  const lineLevel = dimension === 'product' || dimension === 'category' || filter.sku !== undefined || filter.category !== undefined;
  const group = dimension ? DIMENSION[dimension] : sql`null::text`;
  const name =
    dimension === 'partner'
      ? sql`(select p.name from partners p where p.partner_id = s.partner_id)`
      : dimension === 'product'
        ? sql`max(s.product_name)`
        : sql`null::text`;
  const from = ranges.map((r) => r.from).reduce(minDate);
  const to = ranges.map((r) => r.to).reduce(maxDate);
  const groupBy = sql`group by b.key, ${group}, s.currency${dimension === 'partner' ? sql`, s.partner_id` : sql``}`;
  const statement = lineLevel
    ? sql<SalesRow>`
    select b.key, ${group} as grp, ${name} as name, s.currency, ${sql.join(figuresOf(lineLevel))}
    from ${salesSource(db, lineLevel, {
      from,
      before: addDays(to, 1),
      region: filter.region,
      partnerId: filter.partnerId,
      sku: filter.sku,
      category: filter.category,
      scopePartnerId: scope.partnerId,
    }).as('s')}
    join ${rangesTable(ranges)} on s.placed_at >= b.from_date and s.placed_at < b.before_date
    ${groupBy}
    order by b.key, s.currency, ${group}`
    : // Order level: the days' sums the orders projection keeps (order_sales_daily), the same orders summed the same way.
      sql<SalesRow>`
    select b.key, ${group} as grp, ${name} as name, s.currency, ${sql.join(DAILY_FIGURES)}
    from order_sales_daily s
    join ${rangesTable(ranges)} on s.day >= b.from_date and s.day <= b.to_date
    where s.day >= ${from} and s.day <= ${to}${filter.region !== undefined ? sql` and s.region = ${filter.region}` : sql``}${
      filter.partnerId !== undefined ? sql` and s.partner_id = ${filter.partnerId}` : sql``
    }${scope.partnerId !== undefined ? sql` and s.partner_id = ${scope.partnerId}` : sql``}
    ${groupBy}
    order by b.key, s.currency, ${group}`;
  return {
    statements: { sales: statement },
    figures: ({ sales }) => {
      const grouped = byKey(sales as SalesRow[]);
      return new Map(
        ranges.map((r) => [
          r.key,
          (grouped.get(r.key) ?? []).map((row) => ({ group: row.grp, name: row.name, currency: row.currency, ...salesFigures(row, lineLevel) })),
        ]),
      );
    },
  };
};
