import { FactLog, scorecardInputs } from '@dms/app';
import { evaluationDecider } from '@dms/domain';
import { canonicalJson, type EventStore } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import { scorecardRow } from './performance';
import type { ScorecardsTable } from './performance-schema';
import type { ReadModels } from './schema';

export interface ScorecardProblem {
  readonly partnerId: string;
  readonly period: string;
  /** `differs`: the stored scorecard is not what the events give; `missing`: a closed period without one; `unreproducible`. */
  readonly kind: 'differs' | 'missing' | 'unreproducible';
  readonly detail: string;
}

export interface ScorecardVerification {
  readonly checked: number;
  readonly problems: ScorecardProblem[];
}

const COLUMNS: readonly (keyof ScorecardsTable)[] = [
  'region',
  'tier',
  'currency',
  'agreement_id',
  'agreement_version',
  'template_name',
  'template_version',
  'cutoff_position',
  'score_bps',
  'grade',
  'sales_attainment_bps',
  'measurements',
  'goals',
  'criteria',
];

/**
 * Recomputes every stored scorecard from the events, independently of the process that recorded it: the facts are read
 * afresh from position 0, everything else as it stood before the period's closing event, and the scorecard decided again.
 * Each must equal the stored one, column by column; every closed dealer statement must have one.
 */
export const verifyScorecards = async (
  store: EventStore,
  db: Kysely<ReadModels>,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<ScorecardVerification> => {
  const stored = await db.selectFrom('scorecards').selectAll().orderBy('partner_id').orderBy('period').execute();
  const closed = await db.selectFrom('settlement_statements').select(['partner_id', 'period']).where('status', '!=', 'open').execute();
  const problems: ScorecardProblem[] = [];
  const have = new Set(stored.map((s) => `${s.partner_id}.${s.period}`));
  for (const s of closed)
    if (!have.has(`${s.partner_id}.${s.period}`))
      problems.push({ partnerId: s.partner_id, period: s.period, kind: 'missing', detail: 'the period is closed but has no scorecard' });
  const facts = new FactLog(store);
  let done = 0;
  for (const row of stored) {
    const inputs = await scorecardInputs(store, row.partner_id, row.period, row.recorded_at, (p, cutoff) => facts.factsBefore(p, cutoff));
    const decided = inputs.ok ? evaluationDecider.decide(inputs.command, evaluationDecider.initialState) : undefined;
    const event = decided?._tag === 'Right' ? decided.right[0] : undefined;
    if (!inputs.ok || event?.type !== 'ScorecardRecorded') {
      const why = !inputs.ok ? inputs.message : decided?._tag === 'Left' ? decided.left.message : 'no scorecard decided';
      problems.push({ partnerId: row.partner_id, period: row.period, kind: 'unreproducible', detail: why });
    } else {
      const expected = scorecardRow(event.data);
      const differing = COLUMNS.filter((c) => canonicalJson(expected[c] ?? null) !== canonicalJson(row[c] ?? null));
      if (differing.length > 0)
        problems.push({
          partnerId: row.partner_id,
          period: row.period,
          kind: 'differs',
          detail: differing.map((c) => `${c}: stored ${canonicalJson(row[c] ?? null)}, from the events ${canonicalJson(expected[c] ?? null)}`).join('; '),
        });
    }
    options.onProgress?.(++done, stored.length);
  }
  return { checked: stored.length, problems };
};
