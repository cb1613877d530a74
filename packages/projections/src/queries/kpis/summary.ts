import { type AgeingFigures, comparisonRanges, type DateRange, growthBps, type KpiPeriod, rangeDays } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { ReadModels } from '../../schema';
import { type SalesFigures, zeroSales } from '../sales-source';
import { type BacklogFigures, backlogPart } from './backlog';
import { type KeyedRange, type KpiFilter, type KpiScope, runKpiParts } from './common';
import { type FillRateFigures, fillRatePart, type OnTimeFigures, onTimePart } from './fulfilment';
import { type DsoFigures, dsoOf, netInvoicedPart, receivablesPart } from './receivables';
import { type ReviewAutomationFigures, reviewAutomationPart } from './review';
import { salesPart } from './sales';
import { type StockAlertFigures, stockAlertPart } from './stock';
import { currenciesOf, zeroAgeing, zeroBacklog } from './zero';

export type KpiSummaryQuery = KpiFilter & ({ readonly period: KpiPeriod; readonly asOf: string } | { readonly from: string; readonly to: string });

export interface Compared<T> {
  readonly current: T;
  readonly previous: T;
  readonly lastYear: T;
}
export type ComparedPerCurrency<T> = Compared<T> & { readonly currency: string };

export type CurrencySales = SalesFigures & { readonly currency: string };

export interface SalesComparison extends ComparedPerCurrency<CurrencySales> {
  /** Growth of net sales against the previous period, basis points; null when it sold nothing. */
  readonly growthBps: number | null;
  /** Growth of net sales against the same period last year, basis points. */
  readonly lastYearGrowthBps: number | null;
}

export interface KpiSummary {
  /** The last day covered: `asOf`, or `to` of a custom range. */
  readonly asOf: string;
  /** The calendar period to date, or `custom` for a from-to range. */
  readonly period: KpiPeriod | 'custom';
  /** False for a period to date: previous and last year are then cut to as many days. */
  readonly complete: boolean;
  readonly ranges: Compared<DateRange>;
  readonly sales: SalesComparison[];
  /** At the end of each range. */
  readonly backlog: ComparedPerCurrency<BacklogFigures>[];
  readonly fillRate: Compared<FillRateFigures>;
  readonly onTimeDelivery: Compared<OnTimeFigures>;
  readonly reviewAutomation: Compared<ReviewAutomationFigures>;
  /** Aged receivables at the end of each range. */
  readonly receivables: ComparedPerCurrency<AgeingFigures>[];
  readonly dso: ComparedPerCurrency<DsoFigures>[];
  /** Low stock and backorders as the read models hold them now, whatever the period. */
  readonly stockAlerts: StockAlertFigures;
}

const KEYS = ['current', 'previous', 'lastYear'] as const;

const compared = <T>(map: Map<string, T>): Compared<T> => ({ current: map.get('current')!, previous: map.get('previous')!, lastYear: map.get('lastYear')! });

const perCurrency = <T extends { currency: string }>(map: Map<string, T[]>, zero: (currency: string, key: string) => T): ComparedPerCurrency<T>[] =>
  currenciesOf(map.values()).map((currency) => {
    const pick = (key: string) => map.get(key)?.find((x) => x.currency === currency) ?? zero(currency, key);
    return { currency, current: pick('current'), previous: pick('previous'), lastYear: pick('lastYear') };
  });

/**
 * Every KPI of the dashboard for one period, against the period before and the same period last year (docs/kpis.md):
 * rates over each range, stocks (backlog, receivables) at the end of each. A dealer's scope confines every figure to
 * its own orders.
 */
export const kpiSummary = async (db: Kysely<ReadModels>, query: KpiSummaryQuery, scope: KpiScope = {}): Promise<KpiSummary> => {
  const ranges = comparisonRanges('period' in query ? { period: query.period, asOf: query.asOf } : { from: query.from, to: query.to });
  const keyed: KeyedRange[] = KEYS.map((key) => ({ key, ...ranges[key] }));
  const ends = keyed.map((r) => ({ key: r.key, asOf: r.to }));
  const filter: KpiFilter = { region: query.region, partnerId: query.partnerId };

  // One statement (`runKpiParts`): one round trip, and every figure read from one snapshot.
  const { sales, backlog, fill, onTime, review, receivables, netInvoiced, stockAlerts } = await runKpiParts(db, {
    sales: salesPart(db, keyed, { filter }, scope),
    backlog: backlogPart(ends, filter, scope),
    fill: fillRatePart(keyed, filter, scope),
    onTime: onTimePart(keyed, filter, scope),
    review: reviewAutomationPart(keyed, filter, scope),
    receivables: receivablesPart(ends, filter, scope),
    netInvoiced: netInvoicedPart(keyed, filter, scope),
    stockAlerts: stockAlertPart(filter, scope),
  });
  const dso = dsoOf(keyed, receivables, netInvoiced);

  return {
    asOf: ranges.current.to,
    period: 'period' in query ? query.period : 'custom',
    complete: ranges.complete,
    ranges: { current: ranges.current, previous: ranges.previous, lastYear: ranges.lastYear },
    sales: perCurrency(
      new Map([...sales].map(([key, rows]) => [key, rows.map(({ group: _, name: __, ...figures }): CurrencySales => figures)])),
      (currency) => ({ currency, ...zeroSales(currency, false) }),
    ).map((s) => ({
      ...s,
      growthBps: growthBps(s.current.net.amountMinor, s.previous.net.amountMinor),
      lastYearGrowthBps: growthBps(s.current.net.amountMinor, s.lastYear.net.amountMinor),
    })),
    backlog: perCurrency(backlog, zeroBacklog),
    fillRate: compared(fill),
    onTimeDelivery: compared(onTime),
    reviewAutomation: compared(review),
    receivables: perCurrency(receivables, zeroAgeing),
    dso: perCurrency(dso, (currency, key) => ({
      currency,
      receivables: { amountMinor: 0, currency },
      netSales: { amountMinor: 0, currency },
      days: rangeDays(ranges[key as (typeof KEYS)[number]]),
      dsoDays: null,
    })),
    stockAlerts,
  };
};
