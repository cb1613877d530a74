import { daysSalesOutstanding, growthBps, outstandingOn, type Receivable, ratioBps } from '../kpis';
import { cadenceOf, nextPeriod, periodEnd, periodOf, periodStart, previousPeriod, samePeriodLastYear } from '../settlements/periods';
import { daysBetween } from '../shared/calendar';
import { divideRoundHalfUp } from '../shared/money';
import type { PerformanceFact } from './facts';
import { KPI_IDS, KPIS, type KpiId, type Measurement } from './kpis';

export interface MeasureInput {
  readonly partnerId: string;
  /** `2026-03` or `2026-Q1`: the settlement period being closed. */
  readonly period: string;
  /** Position of the event that closed the period: facts recorded from there on count towards later periods. */
  readonly cutoff: bigint;
  /** The agreement's currency: money facts in another currency are left out. */
  readonly currency: string;
  /** The dealer's facts, in any order; those of other dealers and those at or after `cutoff` are ignored. */
  readonly facts: readonly PerformanceFact[];
  /** The order value (minor units) the dealer planned for the period, when it filed a plan. */
  readonly planned?: number | undefined;
  /** Categories to measure `sales_value` and `sales_volume` for, besides the totals. */
  readonly categories?: readonly string[];
}

/** Periods a late fact may move forward through; a dealer's statements are closed in order, so one or two at most in practice. */
const MAX_PERIODS_AHEAD = 120;

/**
 * The period a fact counts towards, as `SettlementLineAdded` does with a late line: the period of its date, unless that
 * period was already closed when the fact was recorded; then the next one that was not. `closes` maps each closed period
 * (of this cadence) to the position of the event that closed it.
 */
export const effectivePeriod = (
  fact: Pick<PerformanceFact, 'date' | 'position'>,
  cadence: 'month' | 'quarter',
  closes: ReadonlyMap<string, bigint>,
): string => {
  let period = periodOf(fact.date, cadence);
  for (let i = 0; i < MAX_PERIODS_AHEAD; i++) {
    const closedAt = closes.get(period);
    if (closedAt === undefined || closedAt > fact.position) return period;
    period = nextPeriod(period);
  }
  return period;
};

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Number(divideRoundHalfUp(BigInt(sorted[mid - 1]!) + BigInt(sorted[mid]!), 2n));
};

/**
 * Every KPI of a dealer's period, from the facts recorded before the period was closed (formulas in docs/performance.md):
 *
 * - `sales_value` = invoiced − credited; `sales_volume` = units invoiced − units returned (per category: the lines of
 *   that category); `assortment` = distinct SKUs invoiced;
 * - `growth_previous`, `growth_last_year` = sales value against the period before and the same period a year earlier
 *   (null when that was zero or less);
 * - `on_time_payment` = invoices due in the period whose credits and payments dated by the due date cover them, over the
 *   invoices due in the period (null when none fell due);
 * - `dso` = receivables at the period's end × days in the period / sales value (null without positive sales);
 * - `overdue_share` = receivables past due at the period's end / receivables at the period's end (0 when nothing is owed);
 * - `return_rate` = units returned / units delivered (null when nothing was delivered);
 * - `review_pass_rate` = orders approved by automated review / orders reviewed (null when none was);
 * - `breaches` = breaches by the dealer; `response_time` = median minutes the dealer took to answer in threads;
 * - `forecast_accuracy` = 1 − |ordered − planned| / planned, never below 0 (null without a plan).
 *
 * Flows (sales, units, deliveries, reviews, breaches, replies, orders) count in the period they belong to by
 * `effectivePeriod`; balances (receivables) are taken at the period's last day from every fact recorded before the cutoff.
 */
export const measurePeriod = (input: MeasureInput): Measurement[] => {
  const cadence = cadenceOf(input.period);
  const facts = input.facts.filter((f) => f.partnerId === input.partnerId && f.position < input.cutoff);
  const closes = new Map<string, bigint>();
  for (const f of facts) if (f.kind === 'closed' && f.ref && cadenceOf(f.ref) === cadence) closes.set(f.ref, f.position);
  const inCurrency = (f: PerformanceFact) => f.currency === undefined || f.currency === input.currency;
  const byPeriod = new Map<string, PerformanceFact[]>();
  for (const f of facts) {
    if (f.kind === 'closed' || !inCurrency(f)) continue;
    const p = effectivePeriod(f, cadence, closes);
    const list = byPeriod.get(p);
    if (list) list.push(f);
    else byPeriod.set(p, [f]);
  }
  const of = (period: string) => byPeriod.get(period) ?? [];
  const total = (list: readonly PerformanceFact[], kind: PerformanceFact['kind'], field: 'amountMinor' | 'quantity', category?: string) =>
    list.reduce((a, f) => (f.kind === kind && (category === undefined || f.category === category) ? a + BigInt(f[field] ?? 0) : a), 0n);
  const salesValue = (list: readonly PerformanceFact[], category?: string) =>
    category === undefined
      ? total(list, 'invoiced', 'amountMinor') - total(list, 'credited', 'amountMinor')
      : total(list, 'invoiced_line', 'amountMinor', category) - total(list, 'returned_line', 'amountMinor', category);
  const salesVolume = (list: readonly PerformanceFact[], category?: string) =>
    total(list, 'invoiced_line', 'quantity', category) - total(list, 'returned_line', 'quantity', category);
  const growth = (current: bigint, before: bigint) => (before > 0n ? growthBps(current, before) : null);

  const here = of(input.period);
  const sales = salesValue(here);

  // Balances at the period's end: each invoice and what was set against it by then.
  const end = periodEnd(input.period);
  const receivables = new Map<string, Receivable & { settlements: { on: string; amountMinor: number }[] }>();
  for (const f of facts) {
    if (f.kind === 'invoiced' && f.orderId && inCurrency(f))
      receivables.set(f.orderId, {
        currency: input.currency,
        invoicedOn: f.date,
        dueOn: f.dueOn ?? f.date,
        invoicedMinor: f.amountMinor ?? 0,
        settlements: [],
      });
  }
  for (const f of facts) {
    if ((f.kind === 'credited' || f.kind === 'paid') && f.orderId && inCurrency(f))
      receivables.get(f.orderId)?.settlements.push({ on: f.date, amountMinor: f.amountMinor ?? 0 });
  }
  let owed = 0n;
  let overdue = 0n;
  let due = 0;
  let dueOnTime = 0;
  for (const r of receivables.values()) {
    const atEnd = outstandingOn(r, end);
    if (atEnd !== null && atEnd > 0) {
      owed += BigInt(atEnd);
      if (r.dueOn < end) overdue += BigInt(atEnd);
    }
    if (r.dueOn >= periodStart(input.period) && r.dueOn <= end) {
      due += 1;
      if ((outstandingOn(r, r.dueOn) ?? 0) <= 0) dueOnTime += 1;
    }
  }

  const reviews = here.filter((f) => f.kind === 'reviewed');
  const ordered = total(here, 'ordered', 'amountMinor');
  const values: Record<KpiId, number | null> = {
    sales_value: Number(sales),
    sales_volume: Number(salesVolume(here)),
    assortment: new Set(here.filter((f) => f.kind === 'invoiced_line').map((f) => f.sku)).size,
    growth_previous: growth(sales, salesValue(of(previousPeriod(input.period)))),
    growth_last_year: growth(sales, salesValue(of(samePeriodLastYear(input.period)))),
    on_time_payment: ratioBps(dueOnTime, due),
    dso: daysSalesOutstanding({
      receivables: { amountMinor: Number(owed), currency: input.currency },
      netSales: { amountMinor: Number(sales), currency: input.currency },
      days: daysBetween(periodStart(input.period), end) + 1,
    }),
    overdue_share: owed > 0n ? ratioBps(overdue, owed) : 0,
    return_rate: ratioBps(total(here, 'returned_line', 'quantity'), total(here, 'delivered', 'quantity')),
    review_pass_rate: ratioBps(reviews.filter((f) => f.automatic).length, reviews.length),
    breaches: here.filter((f) => f.kind === 'breach').length,
    response_time: median(here.filter((f) => f.kind === 'reply').map((f) => f.minutes ?? 0)),
    forecast_accuracy:
      input.planned === undefined || input.planned <= 0
        ? null
        : Math.max(
            0,
            10_000 -
              Number(
                divideRoundHalfUp(
                  (ordered > BigInt(input.planned) ? ordered - BigInt(input.planned) : BigInt(input.planned) - ordered) * 10_000n,
                  BigInt(input.planned),
                ),
              ),
          ),
  };
  const measurements: Measurement[] = KPI_IDS.map((kpi) => ({ kpi, value: values[kpi] }));
  for (const category of [...new Set(input.categories ?? [])].sort()) {
    for (const kpi of KPI_IDS.filter((k) => KPIS[k].byCategory)) {
      const value = kpi === 'sales_value' ? salesValue(here, category) : salesVolume(here, category);
      measurements.push({ kpi, category, value: Number(value) });
    }
  }
  return measurements;
};
