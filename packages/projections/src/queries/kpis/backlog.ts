import { BACKLOG_AGE_BUCKETS, type BacklogAgeBucket, decimalQuotient, type Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../../schema';
import { byKey, daysFromTo, daysTable, type KeyedDay, type KpiFilter, type KpiPart, type KpiScope, minor, orderConditions, runKpiPart } from './common';

export interface BacklogFigures {
  readonly currency: string;
  /** Approved orders not yet shipped in full nor cancelled at the end of the day. */
  readonly orders: number;
  /** Of those, the ones that have shipped some of their lines. */
  readonly partiallyShipped: number;
  /** Their net value as ordered (the whole order, shipped part included). */
  readonly value: Money;
  /** Average whole days since approval, one decimal. */
  readonly averageAgeDays: number | null;
  readonly oldestAgeDays: number | null;
  readonly ageing: Readonly<Record<BacklogAgeBucket, { readonly orders: number; readonly value: Money }>>;
}

type BacklogRow = Record<string, string | number> & { key: string; currency: string };

/** The condition for age bucket `i` over the age expression. */
const inAgeBucket = (age: ReturnType<typeof daysFromTo>, i: number) => {
  const bucket = BACKLOG_AGE_BUCKETS[i]!;
  const above = i === 0 ? sql`true` : sql`${age} > ${BACKLOG_AGE_BUCKETS[i - 1]!.maxDays}`;
  return bucket.maxDays === null ? above : sql`${above} and ${age} <= ${bucket.maxDays}`;
};

/**
 * The order backlog at the end of each day, per currency: orders approved by then and neither shipped in full nor
 * cancelled by then (the domain's `inBacklogOn`), with their value and age since approval.
 */
export const backlogOn = (
  db: Kysely<ReadModels>,
  days: readonly KeyedDay[],
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<Map<string, BacklogFigures[]>> => runKpiPart(db, backlogPart(days, filter, scope));

/** `backlogOn`'s statement and figures. */
export const backlogPart = (days: readonly KeyedDay[], filter: KpiFilter, scope: KpiScope): KpiPart<Map<string, BacklogFigures[]>> => {
  const age = daysFromTo(sql`o.approved_on`, sql`b.as_of`);
  const buckets = BACKLOG_AGE_BUCKETS.flatMap((b, i) => [
    sql`(count(*) filter (where ${inAgeBucket(age, i)}))::int`.as(`${b.bucket}_orders`),
    sql`coalesce(sum(o.total_minor) filter (where ${inAgeBucket(age, i)}), 0)::text`.as(`${b.bucket}_value`),
  ]);
  const statement = sql<BacklogRow>`
    select b.key, o.currency, count(*)::int as orders,
      (count(*) filter (where o.first_shipped_on <= b.as_of))::int as partially_shipped,
      sum(o.total_minor)::text as value, sum(${age})::text as age_sum, max(${age})::int as oldest,
      ${sql.join(buckets)}
    from ${daysTable(days)}
    join kpi_orders o on o.approved_on <= b.as_of
      and (o.fully_shipped_on is null or o.fully_shipped_on > b.as_of) and (o.cancelled_on is null or o.cancelled_on > b.as_of)
    where ${orderConditions(filter, scope)}
    group by b.key, o.currency
    order by b.key, o.currency`;
  return {
    statements: { backlog: statement },
    figures: ({ backlog }) => {
      const grouped = byKey(backlog as BacklogRow[]);
      return new Map(
        days.map((d) => [
          d.key,
          (grouped.get(d.key) ?? []).map((r) => {
            const money = (v: string | number | undefined): Money => ({ amountMinor: minor(v), currency: r.currency });
            const orders = Number(r.orders);
            return {
              currency: r.currency,
              orders,
              partiallyShipped: Number(r.partially_shipped),
              value: money(r.value),
              averageAgeDays: decimalQuotient(BigInt(r.age_sum ?? 0), orders, 1),
              oldestAgeDays: r.oldest === null ? null : Number(r.oldest),
              ageing: Object.fromEntries(
                BACKLOG_AGE_BUCKETS.map((b) => [b.bucket, { orders: Number(r[`${b.bucket}_orders`]), value: money(r[`${b.bucket}_value`]) }]),
              ) as BacklogFigures['ageing'],
            };
          }),
        ]),
      );
    },
  };
};
