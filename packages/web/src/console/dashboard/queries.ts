import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { addMonths, firstDay, lastDay } from './period';

type Dimension = 'region' | 'partner' | 'product' | 'category' | 'month';

/** One sales report query: grouped by the given dimensions, placed within [from, to] (YYYY-MM months, inclusive). */
export const useSales = (groupBy: Dimension, from: string, to: string, enabled = true) =>
  useQuery({
    queryKey: ['sales', groupBy, from, to],
    queryFn: () => ok(api.GET('/reports/sales', { params: { query: { groupBy, from: firstDay(from), to: lastDay(to) } } })),
    enabled,
    staleTime: 5 * 60_000,
  });

/**
 * The month the dashboard opens on: this month, unless the newest order is older (a quiet channel, or demo data), then the
 * newest order's month, so the first screen shows figures rather than an empty period.
 */
export const useDefaultMonth = (enabled = true) =>
  useQuery({
    queryKey: ['dashboard', 'default-month'],
    enabled,
    queryFn: async () => {
      const newest = await ok(api.GET('/orders', { params: { query: { limit: 1 } } }));
      const placed = newest.items[0]?.placedAt.slice(0, 7);
      const now = new Date().toISOString().slice(0, 7);
      return placed && placed < now ? placed : now;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export const trendRange = (month: string) => ({ from: addMonths(month, -23), to: month });

/** The day a month's figures are taken at: its last day, or today while it runs (a month to date). */
export const asOfFor = (month: string, today = new Date().toISOString().slice(0, 10)): string => [lastDay(month), today].sort()[0]!;

/** Every KPI for the month (to date), against the month before and the same month last year: GET /kpis. */
export const useKpis = (month: string | undefined) =>
  useQuery({
    queryKey: ['kpis', month],
    queryFn: () => ok(api.GET('/kpis', { params: { query: { period: 'month', asOf: asOfFor(month!) } } })),
    enabled: month !== undefined,
    staleTime: 60_000,
  });

/** Sales for the month by region, partner, product or category, with the same comparisons: GET /kpis/sales. */
export const useKpiSales = (by: 'region' | 'partner' | 'product' | 'category', month: string) =>
  useQuery({
    queryKey: ['kpis', 'sales', by, month],
    queryFn: () => ok(api.GET('/kpis/sales', { params: { query: { by, period: 'month', asOf: asOfFor(month) } } })),
    staleTime: 60_000,
  });

/** Receivables by age at the month's end (or today), per partner: GET /kpis/receivables. */
export const useReceivables = (month: string) =>
  useQuery({
    queryKey: ['kpis', 'receivables', month],
    queryFn: () => ok(api.GET('/kpis/receivables', { params: { query: { asOf: asOfFor(month), by: 'partner' } } })),
    staleTime: 60_000,
  });

type RateMetric = 'fill-rate' | 'on-time-delivery' | 'review-automation';

/** One rate KPI per month over the twelve months to the chosen one: GET /kpis/series. */
export const useKpiSeries = (metric: RateMetric, month: string) =>
  useQuery({
    queryKey: ['kpis', 'series', metric, month],
    queryFn: () => ok(api.GET('/kpis/series', { params: { query: { metric, by: 'month', from: firstDay(addMonths(month, -11)), to: asOfFor(month) } } })),
    staleTime: 60_000,
  });
