import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { cadenceOf, PeriodId, type SettlementCadence } from '../settlements/periods';
import { type DomainError, refuse } from '../shared/errors';
import { Id } from '../shared/ids';
import { NonNegativeMoney } from '../shared/money';
import { KPIS, KpiId, measurementKey } from './kpis';

/** What a goal aims at: money for a money KPI (`sales_value`), otherwise a number in the KPI's unit (see `KPIS`). */
export const GoalTarget = z.union([NonNegativeMoney, z.number().min(-1_000_000).max(1_000_000_000_000)]);
export type GoalTarget = z.infer<typeof GoalTarget>;

/**
 * A target the dealer agreed to, per settlement period of its agreement (a month or a quarter), in total or for one
 * product category. Part of the agreement's terms, so versioned with it: an amendment may set new goals from its date.
 */
export const Goal = z.strictObject({
  kpi: KpiId,
  category: Id.optional().describe('Only for sales_value and sales_volume: the goal for one product category'),
  target: GoalTarget,
  /** Targets for particular periods (a seasonal plan), in place of `target` there. */
  periodTargets: z
    .array(z.strictObject({ period: PeriodId, target: GoalTarget }))
    .max(24)
    .optional(),
});
export type Goal = z.infer<typeof Goal>;

export const goalKey = (goal: Pick<Goal, 'kpi' | 'category'>): string => measurementKey(goal.kpi, goal.category);

/** The target of a goal for one period, as a number in the KPI's unit (minor units for money). */
export const targetFor = (goal: Goal, period: string): number => {
  const target = goal.periodTargets?.find((t) => t.period === period)?.target ?? goal.target;
  return typeof target === 'number' ? target : target.amountMinor;
};

const checkTarget = (goal: Goal, target: GoalTarget, currency: string): DomainError | undefined => {
  const def = KPIS[goal.kpi];
  const bad = (why: string): DomainError => ({
    code: 'GOAL_TARGET_INVALID',
    message: `The ${goal.kpi}${goal.category ? ` (${goal.category})` : ''} goal ${why}.`,
    details: { kpi: goal.kpi, category: goal.category },
  });
  if (def.unit === 'money') {
    if (typeof target === 'number') return bad(`needs an amount of money in ${currency}, not a number`);
    if (target.currency !== currency) return bad(`must be in the agreement's currency, ${currency}, not ${target.currency}`);
    return undefined;
  }
  if (typeof target !== 'number') return bad(`is measured in ${def.unit}, not in money`);
  const steps = def.unit === 'days' ? target * 10 : target;
  if (Math.abs(steps - Math.round(steps)) > 1e-9)
    return bad(def.unit === 'days' ? 'takes days with at most one decimal' : `takes a whole number of ${def.unit}`);
  const canBeNegative = goal.kpi === 'growth_previous' || goal.kpi === 'growth_last_year';
  if (target < 0 && !canBeNegative) return bad('cannot be negative');
  if (def.unit === 'bps' && target > 10_000 && !canBeNegative) return bad('cannot be above 10000 basis points (100 %)');
  return undefined;
};

/**
 * The rules goals follow beyond their shape: one goal per KPI and category; a category only for sales goals and only one
 * the agreement covers; targets in the KPI's unit (money in the agreement's currency); period targets for periods of the
 * agreement's settlement cadence, each once.
 */
export const validateGoals = (
  goals: readonly Goal[],
  agreement: { readonly currency: string; readonly categories: readonly string[]; readonly cadence: SettlementCadence },
): Either<DomainError, readonly Goal[]> => {
  const seen = new Set<string>();
  for (const goal of goals) {
    const key = goalKey(goal);
    if (seen.has(key)) return refuse('DUPLICATE_GOAL', `There are two goals for ${key}; give each KPI (and category) one goal.`, { goal: key });
    seen.add(key);
    if (goal.category !== undefined) {
      if (!KPIS[goal.kpi].byCategory)
        return refuse('GOAL_CATEGORY_INVALID', `A ${goal.kpi} goal cannot be set per category; only sales_value and sales_volume can.`, { kpi: goal.kpi });
      if (!agreement.categories.includes(goal.category))
        return refuse('GOAL_CATEGORY_INVALID', `The agreement does not cover category ${goal.category}, so it cannot carry a goal for it.`, {
          kpi: goal.kpi,
          category: goal.category,
        });
    }
    for (const target of [goal.target, ...(goal.periodTargets ?? []).map((t) => t.target)]) {
      const problem = checkTarget(goal, target, agreement.currency);
      if (problem) return refuse(problem.code, problem.message, problem.details as Record<string, unknown>);
    }
    const periods = (goal.periodTargets ?? []).map((t) => t.period);
    const twice = periods.find((p, i) => periods.indexOf(p) !== i);
    if (twice) return refuse('GOAL_PERIOD_INVALID', `The ${key} goal names period ${twice} twice.`, { goal: key, period: twice });
    const wrong = periods.find((p) => cadenceOf(p) !== agreement.cadence);
    if (wrong)
      return refuse('GOAL_PERIOD_INVALID', `The agreement settles by ${agreement.cadence}, so the ${key} goal cannot name period ${wrong}.`, {
        goal: key,
        period: wrong,
        cadence: agreement.cadence,
      });
  }
  return right(goals);
};
