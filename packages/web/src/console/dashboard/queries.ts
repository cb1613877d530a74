import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { addMonths, firstDay, isMonth, lastDay } from './period';

type Dimension = 'region' | 'partner' | 'product' | 'category' | 'month';

/** One sales report query: grouped by the given dimensions, placed within [from, to] (YYYY-MM months, inclusive). */
const salesQuery = (groupBy: Dimension, from: string, to: string) =>
  queryOptions({
    queryKey: ['sales', groupBy, from, to],
    queryFn: () => ok(api.GET('/reports/sales', { params: { query: { groupBy, from: firstDay(from), to: lastDay(to) } } })),
    staleTime: 5 * 60_000,
  });
export const useSales = (groupBy: Dimension, from: string, to: string, enabled = true) => useQuery({ ...salesQuery(groupBy, from, to), enabled });

/**
 * The month the dashboard opens on: this month, unless the newest order is older (a quiet channel, or demo data), then the
 * newest order's month, so the first screen shows figures rather than an empty period.
 */
const defaultMonthQuery = queryOptions({
  queryKey: ['dashboard', 'default-month'],
  queryFn: async () => {
    const newest = await ok(api.GET('/orders', { params: { query: { limit: 1 } } }));
    const placed = newest.items[0]?.placedAt.slice(0, 7);
    const now = new Date().toISOString().slice(0, 7);
    return placed && placed < now ? placed : now;
  },
  staleTime: Number.POSITIVE_INFINITY,
});
export const useDefaultMonth = (enabled = true) => useQuery({ ...defaultMonthQuery, enabled });

export const trendRange = (month: string) => ({ from: addMonths(month, -23), to: month });

/** The day a month's figures are taken at: its last day, or today while it runs (a month to date). */
export const asOfFor = (month: string, today = new Date().toISOString().slice(0, 10)): string => [lastDay(month), today].sort()[0]!;

/** Every KPI for the month (to date), against the month before and the same month last year: GET /kpis. */
const kpisQuery = (month: string) =>
  queryOptions({
    queryKey: ['kpis', month],
    queryFn: () => ok(api.GET('/kpis', { params: { query: { period: 'month', asOf: asOfFor(month) } } })),
    staleTime: 60_000,
  });
export const useKpis = (month: string | undefined) => useQuery({ ...kpisQuery(month ?? ''), enabled: month !== undefined });

/** Sales for the month by region, partner, product or category, with the same comparisons: GET /kpis/sales. */
type Breakdown = 'region' | 'partner' | 'product' | 'category';
const kpiSalesQuery = (by: Breakdown, month: string) =>
  queryOptions({
    queryKey: ['kpis', 'sales', by, month],
    queryFn: () => ok(api.GET('/kpis/sales', { params: { query: { by, period: 'month', asOf: asOfFor(month) } } })),
    staleTime: 60_000,
  });
export const useKpiSales = (by: Breakdown, month: string) => useQuery(kpiSalesQuery(by, month));

/** Receivables by age at the month's end (or today), per partner: GET /kpis/receivables. */
const receivablesQuery = (month: string) =>
  queryOptions({
    queryKey: ['kpis', 'receivables', month],
    queryFn: () => ok(api.GET('/kpis/receivables', { params: { query: { asOf: asOfFor(month), by: 'partner' } } })),
    staleTime: 60_000,
  });
export const useReceivables = (month: string) => useQuery(receivablesQuery(month));

type RateMetric = 'fill-rate' | 'on-time-delivery' | 'review-automation';

/** One rate KPI per month over the twelve months to the chosen one: GET /kpis/series. */
const kpiSeriesQuery = (metric: RateMetric, month: string) =>
  queryOptions({
    queryKey: ['kpis', 'series', metric, month],
    queryFn: () => ok(api.GET('/kpis/series', { params: { query: { metric, by: 'month', from: firstDay(addMonths(month, -11)), to: asOfFor(month) } } })),
    staleTime: 60_000,
  });
export const useKpiSeries = (metric: RateMetric, month: string) => useQuery(kpiSeriesQuery(metric, month));

/** Stock at or below its reorder point: GET /stock/alerts. */
export const stockAlertsQuery = queryOptions({
  queryKey: ['stock-alerts'],
  queryFn: () => ok(api.GET('/stock/alerts', { params: { query: { limit: 50 } } })),
  staleTime: 60_000,
});

/** Demand history and forecast of every SKU and region: GET /stock/forecast. */
export const forecastQuery = queryOptions({
  queryKey: ['forecast', 'all'],
  queryFn: () => ok(api.GET('/stock/forecast', { params: { query: { limit: 500 } } })),
  staleTime: 5 * 60_000,
});

/**
 * Asks for every figure the dashboard shows for `month` (or the month it opens on), the slowest first, into the cache the
 * dashboard reads: called as the console opens on its home, so the server computes them while the browser is still
 * loading and running the dashboard's code, rather than after.
 */
export const prefetchDashboard = async (client: QueryClient, month: string | null): Promise<void> => {
  const m = month && isMonth(month) ? month : await client.fetchQuery(defaultMonthQuery);
  const range = trendRange(m);
  await Promise.allSettled([
    client.prefetchQuery(kpisQuery(m)),
    client.prefetchQuery(forecastQuery),
    ...(['region', 'category', 'partner', 'product'] as const).map((by) => client.prefetchQuery(kpiSalesQuery(by, m))),
    client.prefetchQuery(salesQuery('month', range.from, range.to)),
    ...(['fill-rate', 'on-time-delivery', 'review-automation'] as const).map((metric) => client.prefetchQuery(kpiSeriesQuery(metric, m))),
    client.prefetchQuery(receivablesQuery(m)),
    client.prefetchQuery(stockAlertsQuery),
  ]);
};
