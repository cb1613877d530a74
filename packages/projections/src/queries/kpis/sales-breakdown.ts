import { comparisonRanges, growthBps, ratioBps } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { ReadModels } from '../../schema';
import { zeroSales } from '../sales-source';
import type { KeyedRange, KpiScope } from './common';
import { type SalesKpiDimension, type SalesKpiFilter, salesByRange } from './sales';
import type { Compared, CurrencySales, KpiSummary, KpiSummaryQuery } from './summary';

export type SalesBreakdownQuery = KpiSummaryQuery & Pick<SalesKpiFilter, 'sku' | 'category'> & { readonly by: SalesKpiDimension };

export interface SalesBreakdownRow extends Compared<CurrencySales> {
  /** The region, partner id, SKU or category. */
  readonly group: string;
  /** The partner's or product's name. */
  readonly name: string | null;
  readonly currency: string;
  /** Growth of net sales against the previous period and the same period last year, basis points. */
  readonly growthBps: number | null;
  readonly lastYearGrowthBps: number | null;
  /** The group's share of its currency's net sales in the current period, basis points. */
  readonly shareBps: number | null;
}

export interface SalesBreakdown extends Pick<KpiSummary, 'asOf' | 'period' | 'complete' | 'ranges'> {
  readonly by: SalesKpiDimension;
  /** Largest current net sales first. */
  readonly rows: SalesBreakdownRow[];
}

/**
 * Sales by region, partner, product or category for a period, against the period before and the same period last
 * year, counted as `GET /reports/sales` counts them. A group that sold only in a comparison period still has its row.
 */
export const salesBreakdown = async (db: Kysely<ReadModels>, query: SalesBreakdownQuery, scope: KpiScope = {}): Promise<SalesBreakdown> => {
  const ranges = comparisonRanges('period' in query ? { period: query.period, asOf: query.asOf } : { from: query.from, to: query.to });
  const keyed: KeyedRange[] = (['current', 'previous', 'lastYear'] as const).map((key) => ({ key, ...ranges[key] }));
  const figures = await salesByRange(
    db,
    keyed,
    { dimension: query.by, filter: { region: query.region, partnerId: query.partnerId, sku: query.sku, category: query.category } },
    scope,
  );
  const lineLevel = query.by === 'product' || query.by === 'category' || query.sku !== undefined || query.category !== undefined;
  const groups = new Map<string, { group: string; name: string | null; currency: string; figures: Partial<Record<string, CurrencySales>> }>();
  for (const [key, rows] of figures) {
    for (const { group, name, ...f } of rows) {
      const id = JSON.stringify([group, f.currency]);
      const entry = groups.get(id) ?? { group: group ?? '', name, currency: f.currency, figures: {} };
      entry.name ??= name;
      entry.figures[key] = f;
      groups.set(id, entry);
    }
  }
  const totals = new Map<string, bigint>();
  for (const f of figures.get('current') ?? []) totals.set(f.currency, (totals.get(f.currency) ?? 0n) + BigInt(f.net.amountMinor));
  const rows = [...groups.values()].map((g): SalesBreakdownRow => {
    const pick = (key: string) => g.figures[key] ?? { currency: g.currency, ...zeroSales(g.currency, lineLevel) };
    const current = pick('current');
    const previous = pick('previous');
    const lastYear = pick('lastYear');
    return {
      group: g.group,
      name: g.name,
      currency: g.currency,
      current,
      previous,
      lastYear,
      growthBps: growthBps(current.net.amountMinor, previous.net.amountMinor),
      lastYearGrowthBps: growthBps(current.net.amountMinor, lastYear.net.amountMinor),
      shareBps: ratioBps(current.net.amountMinor, totals.get(g.currency) ?? 0n),
    };
  });
  rows.sort(
    (a, b) =>
      a.currency.localeCompare(b.currency) ||
      b.current.net.amountMinor - a.current.net.amountMinor ||
      b.lastYear.net.amountMinor - a.lastYear.net.amountMinor ||
      a.group.localeCompare(b.group),
  );
  return {
    asOf: ranges.current.to,
    period: 'period' in query ? query.period : 'custom',
    complete: ranges.complete,
    ranges: { current: ranges.current, previous: ranges.previous, lastYear: ranges.lastYear },
    by: query.by,
    rows,
  };
};
