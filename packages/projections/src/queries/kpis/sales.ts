import { addDays, maxDate, minDate } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../../schema';
import { DIMENSION, type FigureRow, figuresOf, type SalesFigures, salesFigures, salesSource } from '../sales-source';
import { byKey, type KeyedRange, type KpiFilter, type KpiScope, rangesTable } from './common';

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
): Promise<Map<string, SalesKpiRow[]>> => {
  if (ranges.length === 0) return new Map();
  const { dimension, filter = {} } = options;
  const lineLevel = dimension === 'product' || dimension === 'category' || filter.sku !== undefined || filter.category !== undefined;
  const source = salesSource(db, lineLevel, {
    from: ranges.map((r) => r.from).reduce(minDate),
    before: addDays(ranges.map((r) => r.to).reduce(maxDate), 1),
    region: filter.region,
    partnerId: filter.partnerId,
    sku: filter.sku,
    category: filter.category,
    scopePartnerId: scope.partnerId,
  });
  const group = dimension ? DIMENSION[dimension] : sql`null::text`;
  const name =
    dimension === 'partner'
      ? sql`(select p.name from partners p where p.partner_id = s.partner_id)`
      : dimension === 'product'
        ? sql`max(s.product_name)`
        : sql`null::text`;
  const { rows } = await sql<FigureRow & { key: string; grp: string | null; name: string | null }>`
    select b.key, ${group} as grp, ${name} as name, s.currency, ${sql.join(figuresOf(lineLevel))}
    from ${source.as('s')}
    join ${rangesTable(ranges)} on s.placed_at >= b.from_date and s.placed_at < b.before_date
    group by b.key, ${group}, s.currency${dimension === 'partner' ? sql`, s.partner_id` : sql``}
    order by b.key, s.currency, ${group}`.execute(db);
  const grouped = byKey(rows);
  return new Map(
    ranges.map((r) => [
      r.key,
      (grouped.get(r.key) ?? []).map((row) => ({ group: row.grp, name: row.name, currency: row.currency, ...salesFigures(row, lineLevel) })),
    ]),
  );
};
