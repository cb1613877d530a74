import { addMonths, firstDay, lastDay } from './period';

/**
 * The API calls behind the console's dashboard, as plain data: `queries.ts` makes them through the typed client, and the
 * console home's first script (`src/early.ts`, inlined in console-home.html) starts the same calls while the app's code is
 * still arriving. Nothing here may import more than `period.ts`: it is inlined into the page.
 */

export type SalesDimension = 'region' | 'partner' | 'product' | 'category' | 'month';
export type Breakdown = 'region' | 'partner' | 'product' | 'category';
export type RateMetric = 'fill-rate' | 'on-time-delivery' | 'review-automation';

export const BREAKDOWNS: readonly Breakdown[] = ['region', 'category', 'partner', 'product'];
export const RATE_METRICS: readonly RateMetric[] = ['fill-rate', 'on-time-delivery', 'review-automation'];

/** The day a month's figures are taken at: its last day, or today while it runs (a month to date). */
export const asOfFor = (month: string, today = new Date().toISOString().slice(0, 10)): string => [lastDay(month), today].sort()[0]!;

export const trendRange = (month: string) => ({ from: addMonths(month, -23), to: month });

export const salesParams = (groupBy: SalesDimension, from: string, to: string) => ({ groupBy, from: firstDay(from), to: lastDay(to) });
export const kpisParams = (month: string) => ({ period: 'month' as const, asOf: asOfFor(month) });
export const kpiSalesParams = (by: Breakdown, month: string) => ({ by, period: 'month' as const, asOf: asOfFor(month) });
export const receivablesParams = (month: string) => ({ asOf: asOfFor(month), by: 'partner' as const });
export const kpiSeriesParams = (metric: RateMetric, month: string) => ({
  metric,
  by: 'month' as const,
  from: firstDay(addMonths(month, -11)),
  to: asOfFor(month),
});
export const STOCK_ALERTS_PARAMS = { limit: 50 };
export const FORECAST_PARAMS = { limit: 500 };

/** The newest order, whose month the dashboard opens on when the address names none. */
export const NEWEST_ORDER = ['/orders', { limit: 1 }] as const;
/** This month, unless the newest order is older (a quiet channel, or demo data): then the newest order's month. */
export const defaultMonth = (newestPlacedAt: string | undefined, now = new Date().toISOString()): string => {
  const placed = newestPlacedAt?.slice(0, 7);
  const current = now.slice(0, 7);
  return placed && placed < current ? placed : current;
};

/** Every call the dashboard makes for `month`, the slowest first. */
export const dashboardCalls = (month: string): [path: string, query: Record<string, string | number>][] => {
  const range = trendRange(month);
  return [
    ['/kpis', kpisParams(month)],
    ['/stock/forecast', FORECAST_PARAMS],
    ...BREAKDOWNS.map((by): [string, Record<string, string>] => ['/kpis/sales', kpiSalesParams(by, month)]),
    ['/reports/sales', salesParams('month', range.from, range.to)],
    ...RATE_METRICS.map((metric): [string, Record<string, string>] => ['/kpis/series', kpiSeriesParams(metric, month)]),
    ['/kpis/receivables', receivablesParams(month)],
    ['/stock/alerts', STOCK_ALERTS_PARAMS],
  ];
};
