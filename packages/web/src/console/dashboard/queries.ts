import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import {
  asOfFor,
  BREAKDOWNS,
  type Breakdown,
  defaultMonth,
  FORECAST_PARAMS,
  kpiSalesParams,
  kpiSeriesParams,
  kpisParams,
  NEWEST_ORDER,
  RATE_METRICS,
  type RateMetric,
  receivablesParams,
  type SalesDimension,
  STOCK_ALERTS_PARAMS,
  salesParams,
  trendRange,
} from './calls';
import { isMonth } from './period';

export { asOfFor, trendRange };

/** One sales report query: grouped by the given dimensions, placed within [from, to] (YYYY-MM months, inclusive). */
const salesQuery = (groupBy: SalesDimension, from: string, to: string) =>
  queryOptions({
    queryKey: ['sales', groupBy, from, to],
    queryFn: () => ok(api.GET('/reports/sales', { params: { query: salesParams(groupBy, from, to) } })),
    staleTime: 5 * 60_000,
  });
export const useSales = (groupBy: SalesDimension, from: string, to: string, enabled = true) => useQuery({ ...salesQuery(groupBy, from, to), enabled });

/**
 * The month the dashboard opens on: this month, unless the newest order is older (a quiet channel, or demo data), then the
 * newest order's month, so the first screen shows figures rather than an empty period.
 */
const defaultMonthQuery = queryOptions({
  queryKey: ['dashboard', 'default-month'],
  queryFn: async () => {
    const newest = await ok(api.GET(NEWEST_ORDER[0], { params: { query: NEWEST_ORDER[1] } }));
    return defaultMonth(newest.items[0]?.placedAt);
  },
  staleTime: Number.POSITIVE_INFINITY,
});
export const useDefaultMonth = (enabled = true) => useQuery({ ...defaultMonthQuery, enabled });

/** Every KPI for the month (to date), against the month before and the same month last year: GET /kpis. */
const kpisQuery = (month: string) =>
  queryOptions({
    queryKey: ['kpis', month],
    queryFn: () => ok(api.GET('/kpis', { params: { query: kpisParams(month) } })),
    staleTime: 60_000,
  });
export const useKpis = (month: string | undefined) => useQuery({ ...kpisQuery(month ?? ''), enabled: month !== undefined });

/** Sales for the month by region, partner, product or category, with the same comparisons: GET /kpis/sales. */
const kpiSalesQuery = (by: Breakdown, month: string) =>
  queryOptions({
    queryKey: ['kpis', 'sales', by, month],
    queryFn: () => ok(api.GET('/kpis/sales', { params: { query: kpiSalesParams(by, month) } })),
    staleTime: 60_000,
  });
export const useKpiSales = (by: Breakdown, month: string) => useQuery(kpiSalesQuery(by, month));

/** Receivables by age at the month's end (or today), per partner: GET /kpis/receivables. */
const receivablesQuery = (month: string) =>
  queryOptions({
    queryKey: ['kpis', 'receivables', month],
    queryFn: () => ok(api.GET('/kpis/receivables', { params: { query: receivablesParams(month) } })),
    staleTime: 60_000,
  });
export const useReceivables = (month: string) => useQuery(receivablesQuery(month));

/** One rate KPI per month over the twelve months to the chosen one: GET /kpis/series. */
const kpiSeriesQuery = (metric: RateMetric, month: string) =>
  queryOptions({
    queryKey: ['kpis', 'series', metric, month],
    queryFn: () => ok(api.GET('/kpis/series', { params: { query: kpiSeriesParams(metric, month) } })),
    staleTime: 60_000,
  });
export const useKpiSeries = (metric: RateMetric, month: string) => useQuery(kpiSeriesQuery(metric, month));

/** Stock at or below its reorder point: GET /stock/alerts. */
export const stockAlertsQuery = queryOptions({
  queryKey: ['stock-alerts'],
  queryFn: () => ok(api.GET('/stock/alerts', { params: { query: STOCK_ALERTS_PARAMS } })),
  staleTime: 60_000,
});

/** Demand history and forecast of every SKU and region: GET /stock/forecast. */
export const forecastQuery = queryOptions({
  queryKey: ['forecast', 'all'],
  queryFn: () => ok(api.GET('/stock/forecast', { params: { query: FORECAST_PARAMS } })),
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
    ...BREAKDOWNS.map((by) => client.prefetchQuery(kpiSalesQuery(by, m))),
    client.prefetchQuery(salesQuery('month', range.from, range.to)),
    ...RATE_METRICS.map((metric) => client.prefetchQuery(kpiSeriesQuery(metric, m))),
    client.prefetchQuery(receivablesQuery(m)),
    client.prefetchQuery(stockAlertsQuery),
  ]);
};
