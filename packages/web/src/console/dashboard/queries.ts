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
export const useDefaultMonth = () =>
  useQuery({
    queryKey: ['dashboard', 'default-month'],
    queryFn: async () => {
      const newest = await ok(api.GET('/orders', { params: { query: { limit: 1 } } }));
      const placed = newest.items[0]?.placedAt.slice(0, 7);
      const now = new Date().toISOString().slice(0, 7);
      return placed && placed < now ? placed : now;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export const trendRange = (month: string) => ({ from: addMonths(month, -23), to: month });
