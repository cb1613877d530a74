import { addDays, type DateRange } from '@dms/domain';
import { type RawBuilder, sql } from 'kysely';

/** Who and what a KPI covers: a region and a partner, both optional. */
export interface KpiFilter {
  readonly region?: string | undefined;
  readonly partnerId?: string | undefined;
}

/** The partner a dealer is confined to; applied in SQL on top of the filter. */
export interface KpiScope {
  readonly partnerId?: string | undefined;
}

/** A range to evaluate a KPI over, with the key its figures come back under (`current`, `2026-03`, ...). */
export interface KeyedRange extends DateRange {
  readonly key: string;
}

/** A day to evaluate a point-in-time KPI on (backlog, receivables): at the end of `asOf`. */
export interface KeyedDay {
  readonly key: string;
  readonly asOf: string;
}

/** `o.partner_id = ...` and friends over a table aliased `o` that has `partner_id` and `region`. */
export const orderConditions = (filter: KpiFilter, scope: KpiScope): RawBuilder<boolean> => {
  const conditions: RawBuilder<boolean>[] = [sql`true`];
  if (filter.region !== undefined) conditions.push(sql`o.region = ${filter.region}`);
  if (filter.partnerId !== undefined) conditions.push(sql`o.partner_id = ${filter.partnerId}`);
  if (scope.partnerId !== undefined) conditions.push(sql`o.partner_id = ${scope.partnerId}`);
  return sql<boolean>`${sql.join(conditions, sql` and `)}`;
};

/**
 * The ranges as a table `b(key, from_date, to_date, before_date)` in one parameter: one query evaluates a KPI over every
 * range (the three of a summary, or a series' buckets). `before_date` is the day after `to_date`, to compare timestamps.
 */
export const rangesTable = (ranges: readonly KeyedRange[]): RawBuilder<unknown> =>
  sql`jsonb_to_recordset(${JSON.stringify(ranges.map((r) => ({ key: r.key, from_date: r.from, to_date: r.to, before_date: addDays(r.to, 1) })))}::jsonb) as b(key text, from_date text, to_date text, before_date text)`;

/** The days as a table `b(key, as_of)` in one parameter. */
export const daysTable = (days: readonly KeyedDay[]): RawBuilder<unknown> =>
  sql`jsonb_to_recordset(${JSON.stringify(days.map((d) => ({ key: d.key, as_of: d.asOf })))}::jsonb) as b(key text, as_of text)`;

/** Whole days from the date column `from` to the date column `to` (both `YYYY-MM-DD` text). */
export const daysFromTo = (from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<number> => sql<number>`(${to}::date - ${from}::date)`;

/** Bigint text from the database as a number of minor units; amounts stay far inside the safe range (see Money). */
export const minor = (value: string | number | null | undefined): number => Number(value ?? 0);

/** Groups rows by `key`, one list per key. */
export const byKey = <T extends { key: string }>(rows: readonly T[]): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.key);
    if (list) list.push(r);
    else map.set(r.key, [r]);
  }
  return map;
};
