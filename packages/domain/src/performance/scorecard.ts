import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { ratioBps } from '../kpis';
import { type DomainError, refuse } from '../shared/errors';
import { Id } from '../shared/ids';
import { divideRoundHalfUp } from '../shared/money';
import { NonEmptyText } from '../shared/text';
import { type Goal, goalKey, targetFor } from './goals';
import { KPIS, KpiId, type Measurement, measurementKey, scaled } from './kpis';

/**
 * How a criterion turns a KPI into a score from 0 to 100 (in basis points, 10000 = 100.00):
 *
 * - `goal`: against the agreement's goal for the KPI: the score is the attainment, at most 100;
 * - `norm`: against the template's own norm: full marks at `target`, none at `floor`, in a straight line between (so a
 *   KPI where lower is better has its floor above its target).
 */
export const CriterionScoring = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('goal') }),
  z.strictObject({ kind: z.literal('norm'), target: z.number(), floor: z.number() }),
]);
export type CriterionScoring = z.infer<typeof CriterionScoring>;

export const Criterion = z.strictObject({
  criterionId: Id,
  kpi: KpiId,
  category: Id.optional(),
  /** Share of the score, in basis points; the weights of a template add up to 10000. */
  weightBps: z.number().int().min(1).max(10_000),
  scoring: CriterionScoring,
});
export type Criterion = z.infer<typeof Criterion>;

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export const Grade = z.enum(GRADES);
export type Grade = z.infer<typeof Grade>;

/** The lowest score (basis points) that earns A, B and C; anything below C is D. */
export const GradeThresholds = z.strictObject({
  A: z.number().int().min(1).max(10_000),
  B: z.number().int().min(1).max(10_000),
  C: z.number().int().min(1).max(10_000),
});
export type GradeThresholds = z.infer<typeof GradeThresholds>;

export const ScorecardTemplate = z.strictObject({
  name: NonEmptyText(120),
  criteria: z.array(Criterion).min(1).max(20),
  grades: GradeThresholds,
});
export type ScorecardTemplate = z.infer<typeof ScorecardTemplate>;

/**
 * The template a tier without one of its own is scored by: the dealer's sales goal carries a third of the score, payment
 * discipline a quarter, and the rest goes to returns, automated review, breaches, answering in threads and planning.
 */
export const DEFAULT_SCORECARD_TEMPLATE: ScorecardTemplate = {
  name: 'Standard dealer scorecard',
  criteria: [
    { criterionId: 'sales', kpi: 'sales_value', weightBps: 3_500, scoring: { kind: 'goal' } },
    { criterionId: 'on-time-payment', kpi: 'on_time_payment', weightBps: 1_500, scoring: { kind: 'norm', target: 9_500, floor: 5_000 } },
    { criterionId: 'dso', kpi: 'dso', weightBps: 1_000, scoring: { kind: 'norm', target: 30, floor: 75 } },
    { criterionId: 'returns', kpi: 'return_rate', weightBps: 1_000, scoring: { kind: 'norm', target: 100, floor: 1_000 } },
    { criterionId: 'review', kpi: 'review_pass_rate', weightBps: 1_000, scoring: { kind: 'norm', target: 9_000, floor: 5_000 } },
    { criterionId: 'breaches', kpi: 'breaches', weightBps: 1_000, scoring: { kind: 'norm', target: 0, floor: 2 } },
    { criterionId: 'response', kpi: 'response_time', weightBps: 500, scoring: { kind: 'norm', target: 240, floor: 2_880 } },
    { criterionId: 'planning', kpi: 'forecast_accuracy', weightBps: 500, scoring: { kind: 'norm', target: 9_000, floor: 5_000 } },
  ],
  grades: { A: 8_500, B: 7_000, C: 5_000 },
};

/**
 * A template's rules beyond its shape: weights add up to exactly 100 %; each KPI (and category) once; a category only for
 * a KPI measured per category; a norm's target and floor differ, in the KPI's unit, and money KPIs are scored against
 * goals (a norm has no currency); grades fall strictly from A to C.
 */
export const validateTemplate = (template: ScorecardTemplate): Either<DomainError, ScorecardTemplate> => {
  const total = template.criteria.reduce((a, c) => a + c.weightBps, 0);
  if (total !== 10_000)
    return refuse('WEIGHTS_NOT_100', `The criteria's weights add up to ${(total / 100).toFixed(2)} %; they must add up to exactly 100 %.`, { totalBps: total });
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const c of template.criteria) {
    const key = measurementKey(c.kpi, c.category);
    if (ids.has(c.criterionId) || keys.has(key))
      return refuse('DUPLICATE_CRITERION', `Criterion ${c.criterionId} (${key}) appears twice; score each KPI once.`, { criterionId: c.criterionId, kpi: key });
    ids.add(c.criterionId);
    keys.add(key);
    const def = KPIS[c.kpi];
    if (c.category !== undefined && !def.byCategory)
      return refuse('CRITERION_INVALID', `${c.kpi} is not measured per category; criterion ${c.criterionId} cannot name one.`, { criterionId: c.criterionId });
    if (c.scoring.kind === 'norm') {
      const { target, floor } = c.scoring;
      const step = (v: number) => (def.unit === 'days' ? v * 10 : v);
      if (def.unit === 'money')
        return refuse('CRITERION_INVALID', `${c.kpi} is money: criterion ${c.criterionId} must be scored against the agreement's goal.`, {
          criterionId: c.criterionId,
        });
      if (target === floor || [target, floor].some((v) => Math.abs(step(v) - Math.round(step(v))) > 1e-9))
        return refuse(
          'CRITERION_INVALID',
          `Criterion ${c.criterionId} needs a target and a floor that differ, in whole ${def.unit}${def.unit === 'days' ? ' (one decimal)' : ''}.`,
          { criterionId: c.criterionId, target, floor },
        );
      if ((def.better === 'higher') !== target > floor)
        return refuse(
          'CRITERION_INVALID',
          `For ${c.kpi} ${def.better} is better, so criterion ${c.criterionId}'s target must be ${def.better === 'higher' ? 'above' : 'below'} its floor.`,
          { criterionId: c.criterionId, target, floor },
        );
    }
  }
  const { A, B, C } = template.grades;
  if (!(A > B && B > C)) return refuse('GRADES_INVALID', `Grade thresholds must fall from A to C (A ${A} > B ${B} > C ${C}, in basis points).`, { A, B, C });
  return right(template);
};

export interface ScoredGoal {
  readonly kpi: KpiId;
  readonly category?: string;
  readonly target: number;
  readonly actual: number | null;
  /** How much of the target was reached (10000 = 100 %); for a KPI where lower is better, 100 % once at or below it. */
  readonly attainmentBps: number | null;
}

export interface ScoredCriterion {
  readonly criterionId: string;
  readonly kpi: KpiId;
  readonly category?: string;
  readonly weightBps: number;
  readonly scoring: 'goal' | 'norm';
  readonly target: number | null;
  readonly floor: number | null;
  readonly actual: number | null;
  /** 0..10000; null when the criterion could not be scored (see `note`), and its weight went to the others. */
  readonly scoreBps: number | null;
  readonly note?: string;
}

export interface Scorecard {
  readonly goals: readonly ScoredGoal[];
  readonly criteria: readonly ScoredCriterion[];
  /** Weighted score of the criteria that could be scored, 0..10000; null when none could. */
  readonly scoreBps: number | null;
  readonly grade: Grade | null;
}

const clamp = (v: number) => Math.max(0, Math.min(10_000, v));

/** Attainment of `actual` against `target`, for a KPI where higher or lower is better. */
export const attainment = (kpi: KpiId, actual: number, target: number): number => {
  const [a, t] = [scaled(kpi, actual), scaled(kpi, target)];
  if (KPIS[kpi].better === 'lower') return a <= t ? 10_000 : (ratioBps(t > 0n ? t : 0n, a) ?? 0);
  if (t <= 0n) return a >= t ? 10_000 : 0;
  return ratioBps(a, t) ?? 0;
};

/** Full marks at `target`, none at `floor`, in a straight line between. */
export const normScore = (kpi: KpiId, actual: number, target: number, floor: number): number => {
  const [a, t, f] = [scaled(kpi, actual), scaled(kpi, target), scaled(kpi, floor)];
  const num = (a - f) * 10_000n;
  const den = t - f;
  return clamp(Number(den > 0n ? divideRoundHalfUp(num, den) : divideRoundHalfUp(-num, -den)));
};

export const gradeOf = (scoreBps: number, grades: GradeThresholds): Grade =>
  scoreBps >= grades.A ? 'A' : scoreBps >= grades.B ? 'B' : scoreBps >= grades.C ? 'C' : 'D';

/**
 * Scores a dealer's period: each goal of the agreement with its attainment, and each criterion of the template with its
 * score. Criteria that cannot be scored (no goal for the KPI, or nothing to measure in the period) are left out and the
 * others' weights scaled up to 100 %; the weighted score is rounded half up once.
 */
export const computeScorecard = (input: {
  readonly template: ScorecardTemplate;
  readonly goals: readonly Goal[];
  readonly measurements: readonly Measurement[];
  readonly period: string;
}): Scorecard => {
  const actuals = new Map(input.measurements.map((m) => [measurementKey(m.kpi, m.category), m.value]));
  const actualOf = (kpi: KpiId, category?: string) => actuals.get(measurementKey(kpi, category)) ?? null;
  const goals: ScoredGoal[] = input.goals.map((g) => {
    const target = targetFor(g, input.period);
    const actual = actualOf(g.kpi, g.category);
    return {
      kpi: g.kpi,
      ...(g.category !== undefined ? { category: g.category } : {}),
      target,
      actual,
      attainmentBps: actual === null ? null : attainment(g.kpi, actual, target),
    };
  });
  const goalFor = new Map(goals.map((g) => [goalKey(g), g]));
  const criteria: ScoredCriterion[] = input.template.criteria.map((c) => {
    const actual = actualOf(c.kpi, c.category);
    const base = {
      criterionId: c.criterionId,
      kpi: c.kpi,
      ...(c.category !== undefined ? { category: c.category } : {}),
      weightBps: c.weightBps,
      scoring: c.scoring.kind,
      actual,
    };
    if (c.scoring.kind === 'goal') {
      const goal = goalFor.get(measurementKey(c.kpi, c.category));
      if (!goal) return { ...base, target: null, floor: null, scoreBps: null, note: 'the agreement sets no goal for it' };
      if (goal.attainmentBps === null) return { ...base, target: goal.target, floor: null, scoreBps: null, note: 'nothing to measure in the period' };
      return { ...base, target: goal.target, floor: null, scoreBps: clamp(goal.attainmentBps) };
    }
    const { target, floor } = c.scoring;
    if (actual === null) return { ...base, target, floor, scoreBps: null, note: 'nothing to measure in the period' };
    return { ...base, target, floor, scoreBps: normScore(c.kpi, actual, target, floor) };
  });
  const scored = criteria.filter((c) => c.scoreBps !== null);
  const weights = scored.reduce((a, c) => a + BigInt(c.weightBps), 0n);
  const scoreBps =
    weights === 0n
      ? null
      : Number(
          divideRoundHalfUp(
            scored.reduce((a, c) => a + BigInt(c.weightBps) * BigInt(c.scoreBps!), 0n),
            weights,
          ),
        );
  return { goals, criteria, scoreBps, grade: scoreBps === null ? null : gradeOf(scoreBps, input.template.grades) };
};
