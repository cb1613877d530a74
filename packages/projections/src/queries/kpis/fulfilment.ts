import { decimalQuotient, type FillCounts, type FillRates, fillRates, ratioBps } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../../schema';
import { daysFromTo, type KeyedRange, type KpiFilter, type KpiPart, type KpiScope, orderConditions, rangesTable, runKpiPart } from './common';

export interface FillRateFigures extends FillCounts, FillRates {}

export interface OnTimeFigures {
  /** Orders whose last line was delivered in the range. */
  readonly delivered: number;
  /** Of those, the ones with a requested delivery date: only they can be on time or late. */
  readonly withRequestedDate: number;
  readonly onTime: number;
  readonly late: number;
  /** On time, of those with a requested date; basis points. */
  readonly onTimeBps: number | null;
  /** Average days late of the late ones, one decimal. */
  readonly averageDaysLate: number | null;
}

/**
 * Fill rate per range: orders whose first shipment went out in the range, and how much of each that shipment carried
 * (docs/kpis.md). Evaluated for every range in one query.
 */
export const fillRateByRange = (
  db: Kysely<ReadModels>,
  ranges: readonly KeyedRange[],
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<Map<string, FillRateFigures>> => runKpiPart(db, fillRatePart(ranges, filter, scope));

type FillRow = {
  key: string;
  orders: number;
  complete_orders: number;
  lines: number;
  complete_lines: number;
  ordered_qty: string;
  shipped_qty: string;
};

/** `fillRateByRange`'s statement and figures. */
export const fillRatePart = (ranges: readonly KeyedRange[], filter: KpiFilter, scope: KpiScope): KpiPart<Map<string, FillRateFigures>> => {
  const statement = sql<FillRow>`
    select b.key, count(*)::int as orders,
      (count(*) filter (where o.first_complete_lines = o.ordered_lines))::int as complete_orders,
      sum(o.ordered_lines)::int as lines, sum(o.first_complete_lines)::int as complete_lines,
      sum(o.ordered_qty)::text as ordered_qty, sum(o.first_shipped_qty)::text as shipped_qty
    from ${rangesTable(ranges)}
    join kpi_orders o on o.first_shipped_on >= b.from_date and o.first_shipped_on <= b.to_date
    where ${orderConditions(filter, scope)}
    group by b.key`;
  return {
    statements: { fill: statement },
    figures: ({ fill }) => {
      const found = new Map((fill as FillRow[]).map((r) => [r.key, r]));
      return new Map(
        ranges.map((range) => {
          const r = found.get(range.key);
          const counts: FillCounts = {
            orders: r?.orders ?? 0,
            completeOrders: r?.complete_orders ?? 0,
            lines: r?.lines ?? 0,
            completeLines: r?.complete_lines ?? 0,
            orderedQty: Number(r?.ordered_qty ?? 0),
            shippedQty: Number(r?.shipped_qty ?? 0),
          };
          return [range.key, { ...counts, ...fillRates(counts) }];
        }),
      );
    },
  };
};

/** On-time delivery per range: orders delivered in full in the range, against the delivery date the dealer requested. */
export const onTimeByRange = (
  db: Kysely<ReadModels>,
  ranges: readonly KeyedRange[],
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<Map<string, OnTimeFigures>> => runKpiPart(db, onTimePart(ranges, filter, scope));

type OnTimeRow = { key: string; delivered: number; with_date: number; on_time: number; late: number; days_late: string | null };

/** `onTimeByRange`'s statement and figures. */
export const onTimePart = (ranges: readonly KeyedRange[], filter: KpiFilter, scope: KpiScope): KpiPart<Map<string, OnTimeFigures>> => {
  const late = daysFromTo(sql`o.requested_on`, sql`o.delivered_on`);
  const statement = sql<OnTimeRow>`
    select b.key, count(*)::int as delivered,
      (count(*) filter (where o.requested_on is not null))::int as with_date,
      (count(*) filter (where o.delivered_on <= o.requested_on))::int as on_time,
      (count(*) filter (where o.delivered_on > o.requested_on))::int as late,
      (sum(${late}) filter (where o.delivered_on > o.requested_on))::text as days_late
    from ${rangesTable(ranges)}
    join kpi_orders o on o.delivered_on >= b.from_date and o.delivered_on <= b.to_date
    where ${orderConditions(filter, scope)}
    group by b.key`;
  return {
    statements: { onTime: statement },
    figures: ({ onTime }) => {
      const found = new Map((onTime as OnTimeRow[]).map((r) => [r.key, r]));
      return new Map(
        ranges.map((range) => {
          const r = found.get(range.key);
          const lateOrders = r?.late ?? 0;
          return [
            range.key,
            {
              delivered: r?.delivered ?? 0,
              withRequestedDate: r?.with_date ?? 0,
              onTime: r?.on_time ?? 0,
              late: lateOrders,
              onTimeBps: ratioBps(r?.on_time ?? 0, r?.with_date ?? 0),
              averageDaysLate: decimalQuotient(BigInt(r?.days_late ?? 0), lateOrders, 1),
            },
          ];
        }),
      );
    },
  };
};
