import { ratioBps } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import { QUEUE_LEFT_ON } from '../../kpi-orders';
import type { ReadModels } from '../../schema';
import { daysTable, type KeyedRange, type KpiFilter, type KpiPart, type KpiScope, orderConditions, rangesTable, runKpiPart } from './common';

export interface ReviewAutomationFigures {
  /** Orders approved or rejected in the range. */
  readonly decided: number;
  /** Decided by the automated review. */
  readonly automatic: number;
  /** Decided by a person. */
  readonly manual: number;
  readonly approvedAutomatically: number;
  readonly approvedManually: number;
  readonly rejectedAutomatically: number;
  readonly rejectedManually: number;
  /** Decided automatically, of all decided; basis points. */
  readonly automationBps: number | null;
  /** Orders queued for a person and still undecided at the end of the range. */
  readonly waitingAtEnd: number;
}

/** Review automation per range: how the orders decided in it were decided, and the queue left at its end. */
export const reviewAutomationByRange = (
  db: Kysely<ReadModels>,
  ranges: readonly KeyedRange[],
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<Map<string, ReviewAutomationFigures>> => runKpiPart(db, reviewAutomationPart(ranges, filter, scope));

type DecidedRow = { key: string; approved_auto: number; approved_manual: number; rejected_auto: number; rejected_manual: number };

/** `reviewAutomationByRange`'s statements and figures. */
export const reviewAutomationPart = (ranges: readonly KeyedRange[], filter: KpiFilter, scope: KpiScope): KpiPart<Map<string, ReviewAutomationFigures>> => {
  const where = orderConditions(filter, scope);
  const decided = sql<DecidedRow>`
      select b.key,
        (count(*) filter (where o.decision = 'approved' and o.decided_automatically))::int as approved_auto,
        (count(*) filter (where o.decision = 'approved' and not o.decided_automatically))::int as approved_manual,
        (count(*) filter (where o.decision = 'rejected' and o.decided_automatically))::int as rejected_auto,
        (count(*) filter (where o.decision = 'rejected' and not o.decided_automatically))::int as rejected_manual
      from ${rangesTable(ranges)}
      join kpi_orders o on o.decided_on >= b.from_date and o.decided_on <= b.to_date
      where ${where}
      group by b.key`;
  const waiting = sql<{ key: string; waiting: number }>`
      select b.key, count(*)::int as waiting
      from ${daysTable(ranges.map((r) => ({ key: r.key, asOf: r.to })))}
      join kpi_orders o on ${QUEUE_LEFT_ON} > b.as_of and o.queued_on <= b.as_of
      where ${where}
      group by b.key`;
  return {
    statements: { decided, waiting },
    figures: (rows) => {
      const found = new Map((rows.decided as DecidedRow[]).map((r) => [r.key, r]));
      const queue = new Map((rows.waiting as { key: string; waiting: number }[]).map((r) => [r.key, r.waiting]));
      return new Map(
        ranges.map((range) => {
          const r = found.get(range.key) ?? { approved_auto: 0, approved_manual: 0, rejected_auto: 0, rejected_manual: 0 };
          const automatic = r.approved_auto + r.rejected_auto;
          const manual = r.approved_manual + r.rejected_manual;
          return [
            range.key,
            {
              decided: automatic + manual,
              automatic,
              manual,
              approvedAutomatically: r.approved_auto,
              approvedManually: r.approved_manual,
              rejectedAutomatically: r.rejected_auto,
              rejectedManually: r.rejected_manual,
              automationBps: ratioBps(automatic, automatic + manual),
              waitingAtEnd: queue.get(range.key) ?? 0,
            },
          ];
        }),
      );
    },
  };
};
