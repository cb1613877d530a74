import { z } from 'zod';

/**
 * The KPIs a dealer is measured by, each a pure function of facts DMS records (see `measure.ts` for the formulas and
 * docs/performance.md for the same in prose). Values are integers in their unit, except days (one decimal):
 *
 * - `money`: minor units of the agreement's currency;  `units`: product units;  `count`: a number of things;
 * - `bps`: basis points (10000 = 100 %);  `days`: days with one decimal;  `minutes`: whole minutes.
 *
 * `better` says which way is good: attainment and scores are computed the right way round for each.
 */
export const KPI_IDS = [
  'sales_value',
  'sales_volume',
  'assortment',
  'growth_previous',
  'growth_last_year',
  'on_time_payment',
  'dso',
  'overdue_share',
  'return_rate',
  'review_pass_rate',
  'breaches',
  'response_time',
  'forecast_accuracy',
] as const;
export const KpiId = z.enum(KPI_IDS);
export type KpiId = z.infer<typeof KpiId>;

export type KpiUnit = 'money' | 'units' | 'count' | 'bps' | 'days' | 'minutes';

export interface KpiDefinition {
  readonly id: KpiId;
  readonly title: string;
  readonly unit: KpiUnit;
  readonly better: 'higher' | 'lower';
  /** Whether the KPI can be measured for one product category. */
  readonly byCategory: boolean;
}

const kpi = (id: KpiId, title: string, unit: KpiUnit, better: 'higher' | 'lower', byCategory = false): KpiDefinition => ({
  id,
  title,
  unit,
  better,
  byCategory,
});

export const KPIS: Readonly<Record<KpiId, KpiDefinition>> = {
  sales_value: kpi('sales_value', 'Net sales (invoiced less credited)', 'money', 'higher', true),
  sales_volume: kpi('sales_volume', 'Net units sold (invoiced less returned)', 'units', 'higher', true),
  assortment: kpi('assortment', 'Products sold (distinct SKUs invoiced)', 'count', 'higher'),
  growth_previous: kpi('growth_previous', 'Sales growth on the previous period', 'bps', 'higher'),
  growth_last_year: kpi('growth_last_year', 'Sales growth on the same period last year', 'bps', 'higher'),
  on_time_payment: kpi('on_time_payment', 'Invoices due in the period settled by their due date', 'bps', 'higher'),
  dso: kpi('dso', 'Days sales outstanding', 'days', 'lower'),
  overdue_share: kpi('overdue_share', 'Share of receivables past due at period end', 'bps', 'lower'),
  return_rate: kpi('return_rate', 'Units returned per unit delivered', 'bps', 'lower'),
  review_pass_rate: kpi('review_pass_rate', 'Orders approved by automated review', 'bps', 'higher'),
  breaches: kpi('breaches', 'Agreement breaches by the dealer', 'count', 'lower'),
  response_time: kpi('response_time', 'Median time to answer the manufacturer in threads', 'minutes', 'lower'),
  forecast_accuracy: kpi('forecast_accuracy', 'Orders against the dealer’s own plan', 'bps', 'higher'),
};

/** One measured KPI of a dealer's period: null when there is nothing to measure (no invoice due, no plan filed...). */
export const Measurement = z.object({ kpi: KpiId, category: z.string().optional(), value: z.number().nullable() });
export type Measurement = z.infer<typeof Measurement>;

/** A measurement's key: the KPI, or the KPI and its category (`sales_value:pumps`). */
export const measurementKey = (kpi: KpiId, category?: string): string => (category === undefined ? kpi : `${kpi}:${category}`);

/** Days (one decimal) in tenths, so that every comparison and score stays in integers. */
export const scaled = (kpi: KpiId, value: number): bigint => BigInt(KPIS[kpi].unit === 'days' ? Math.round(value * 10) : value);
