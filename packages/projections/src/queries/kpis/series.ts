import { type AgeingFigures, countSeriesBuckets, MAX_SERIES_BUCKETS, rangeDays, type SeriesBucket, type SeriesGrain, seriesBuckets } from '@dms/domain';
import { InvalidArgument } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import type { ReadModels } from '../../schema';
import { type SalesFigures, zeroSales } from '../sales-source';
import { type BacklogFigures, backlogOn } from './backlog';
import type { KpiScope } from './common';
import { type FillRateFigures, fillRateByRange, type OnTimeFigures, onTimeByRange } from './fulfilment';
import { type DsoFigures, dsoByRange, receivablesOn } from './receivables';
import { type ReviewAutomationFigures, reviewAutomationByRange } from './review';
import { type SalesKpiFilter, salesByRange } from './sales';
import { currenciesOf, zeroAgeing, zeroBacklog } from './zero';

/** The KPIs a time series can show. */
export const KPI_METRICS = ['sales', 'backlog', 'fill-rate', 'on-time-delivery', 'review-automation', 'receivables', 'dso'] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];

export interface KpiSeriesQuery extends SalesKpiFilter {
  readonly metric: KpiMetric;
  readonly by: SeriesGrain;
  readonly from: string;
  readonly to: string;
}

/** A bucket of a series: its period label, the days it covers (clipped to the range) and whether that is all of it. */
export type SeriesPoint<T> = SeriesBucket & T;

/** Per-currency figures carry their currency; one point per bucket and currency. */
type WithCurrency<T> = T & { readonly currency: string };

/** The series' grain and range, stated with its points. */
interface SeriesHeader {
  readonly by: SeriesGrain;
  readonly from: string;
  readonly to: string;
}

export type KpiSeries = SeriesHeader &
  (
    | { readonly metric: 'sales'; readonly points: SeriesPoint<WithCurrency<SalesFigures>>[] }
    | { readonly metric: 'backlog'; readonly points: SeriesPoint<BacklogFigures>[] }
    | { readonly metric: 'fill-rate'; readonly points: SeriesPoint<FillRateFigures>[] }
    | { readonly metric: 'on-time-delivery'; readonly points: SeriesPoint<OnTimeFigures>[] }
    | { readonly metric: 'review-automation'; readonly points: SeriesPoint<ReviewAutomationFigures>[] }
    | { readonly metric: 'receivables'; readonly points: SeriesPoint<AgeingFigures>[] }
    | { readonly metric: 'dso'; readonly points: SeriesPoint<DsoFigures>[] }
  );

/** What is wrong with a series query, per field. */
export const kpiSeriesProblems = (query: Pick<KpiSeriesQuery, 'from' | 'to' | 'by'>): { field: string; message: string }[] => {
  if (query.from > query.to) return [{ field: 'from', message: `must not be after to (${query.to})` }];
  const n = countSeriesBuckets(query.from, query.to, query.by);
  return n > MAX_SERIES_BUCKETS
    ? [{ field: 'by', message: `makes ${n} ${query.by} buckets from ${query.from} to ${query.to}; at most ${MAX_SERIES_BUCKETS}` }]
    : [];
};

const perBucket = <T>(buckets: readonly SeriesBucket[], figures: Map<string, T>): SeriesPoint<T>[] => buckets.map((b) => ({ ...b, ...figures.get(b.period)! }));

const perBucketAndCurrency = <T extends { currency: string }>(
  buckets: readonly SeriesBucket[],
  figures: Map<string, T[]>,
  zero: (currency: string, bucket: SeriesBucket) => T,
): SeriesPoint<T>[] => {
  const currencies = currenciesOf(figures.values());
  return buckets.flatMap((b) => currencies.map((c) => ({ ...b, ...(figures.get(b.period)?.find((x) => x.currency === c) ?? zero(c, b)) })));
};

/**
 * One KPI over time: the range cut into days, weeks, months, quarters or years (the first and last clipped to it), each
 * bucket evaluated as the summary evaluates a period: rates over the bucket, backlog and receivables at its end. Every
 * bucket is there, with zero figures when nothing happened; money per currency.
 */
export const kpiSeries = async (db: Kysely<ReadModels>, query: KpiSeriesQuery, scope: KpiScope = {}): Promise<KpiSeries> => {
  const problems = kpiSeriesProblems(query);
  if (problems.length > 0) throw new InvalidArgument(problems.map((p) => `${p.field} ${p.message}`).join('; '));
  const buckets = seriesBuckets(query.from, query.to, query.by);
  const ranges = buckets.map((b) => ({ key: b.period, from: b.from, to: b.to }));
  const ends = buckets.map((b) => ({ key: b.period, asOf: b.to }));
  const filter = { region: query.region, partnerId: query.partnerId };
  const header: SeriesHeader = { by: query.by, from: query.from, to: query.to };
  switch (query.metric) {
    case 'sales': {
      const rows = await salesByRange(db, ranges, { filter: { ...filter, sku: query.sku, category: query.category } }, scope);
      const lineLevel = query.sku !== undefined || query.category !== undefined;
      const figures = new Map([...rows].map(([k, list]) => [k, list.map(({ group: _, name: __, ...f }) => f)]));
      return { ...header, metric: 'sales', points: perBucketAndCurrency(buckets, figures, (currency) => ({ currency, ...zeroSales(currency, lineLevel) })) };
    }
    case 'backlog':
      return { ...header, metric: 'backlog', points: perBucketAndCurrency(buckets, await backlogOn(db, ends, filter, scope), zeroBacklog) };
    case 'fill-rate':
      return { ...header, metric: 'fill-rate', points: perBucket(buckets, await fillRateByRange(db, ranges, filter, scope)) };
    case 'on-time-delivery':
      return { ...header, metric: 'on-time-delivery', points: perBucket(buckets, await onTimeByRange(db, ranges, filter, scope)) };
    case 'review-automation':
      return { ...header, metric: 'review-automation', points: perBucket(buckets, await reviewAutomationByRange(db, ranges, filter, scope)) };
    case 'receivables':
      return { ...header, metric: 'receivables', points: perBucketAndCurrency(buckets, await receivablesOn(db, ends, filter, scope), zeroAgeing) };
    case 'dso': {
      const dso = await dsoByRange(db, ranges, filter, scope);
      return {
        ...header,
        metric: 'dso',
        points: perBucketAndCurrency(buckets, dso, (currency, b) => ({
          currency,
          receivables: { amountMinor: 0, currency },
          netSales: { amountMinor: 0, currency },
          days: rangeDays(b),
          dsoDays: null,
        })),
      };
    }
  }
};
