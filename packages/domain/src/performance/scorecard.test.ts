import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTerms } from '../agreements/terms';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import { type ScorecardConfigEvent, scorecardConfigDecider, templateFor } from './config';
import type { Goal } from './goals';
import { KPI_IDS, KPIS, type Measurement } from './kpis';
import { recommend } from './recommend';
import {
  attainment,
  type Criterion,
  computeScorecard,
  DEFAULT_SCORECARD_TEMPLATE,
  GRADES,
  gradeOf,
  normScore,
  type ScorecardTemplate,
  validateTemplate,
} from './scorecard';

const eur = (major: number) => money(major * 100, 'EUR');
const at = '2026-01-05T09:00:00Z';

/** Criteria that are valid but for their weights. */
const criteria = (weights: readonly number[]): Criterion[] =>
  weights.map((weightBps, i) => ({
    criterionId: `c${i}`,
    kpi: KPI_IDS[i % KPI_IDS.length]!,
    ...(i >= KPI_IDS.length ? { category: `cat${i}` } : {}),
    weightBps,
    scoring: { kind: 'goal' },
  }));

describe('scorecard templates', () => {
  it('are accepted only when the weights add up to exactly 100 %', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: KPI_IDS.length }), (weights) => {
        const template: ScorecardTemplate = { name: 't', criteria: criteria(weights), grades: { A: 8_500, B: 7_000, C: 5_000 } };
        const total = weights.reduce((a, w) => a + w, 0);
        const result = validateTemplate(template);
        expect(result._tag === 'Right').toBe(total === 10_000);
        if (result._tag === 'Left') expect(result.left.code).toBe('WEIGHTS_NOT_100');
      }),
    );
    expect(validateTemplate(DEFAULT_SCORECARD_TEMPLATE)._tag).toBe('Right');
  });

  it('refuse a KPI twice, a norm the wrong way round or on money, and grades that do not fall from A to C', () => {
    const one = (c: Partial<Criterion>, grades = { A: 8_500, B: 7_000, C: 5_000 }): string | undefined => {
      const t: ScorecardTemplate = {
        name: 't',
        criteria: [
          { criterionId: 'x', kpi: 'dso', weightBps: 5_000, scoring: { kind: 'norm', target: 30, floor: 60 }, ...c },
          ...criteria([5_000]).map((x) => ({ ...x, kpi: 'sales_value' as const })),
        ],
        grades,
      };
      const r = validateTemplate(t);
      return r._tag === 'Left' ? r.left.code : undefined;
    };
    expect(one({})).toBeUndefined();
    expect(one({ kpi: 'sales_value', scoring: { kind: 'goal' } })).toBe('DUPLICATE_CRITERION');
    expect(one({ scoring: { kind: 'norm', target: 60, floor: 30 } })).toBe('CRITERION_INVALID');
    expect(one({ scoring: { kind: 'norm', target: 30.25, floor: 60 } })).toBe('CRITERION_INVALID');
    expect(one({ kpi: 'sales_volume', category: 'pumps', scoring: { kind: 'norm', target: 100, floor: 0 } })).toBeUndefined();
    expect(one({ kpi: 'dso', category: 'pumps' })).toBe('CRITERION_INVALID');
    expect(one({}, { A: 7_000, B: 7_000, C: 5_000 })).toBe('GRADES_INVALID');
  });

  it('are versioned per tier; a tier without one is scored by the default, and without a default by the built-in template', () => {
    const set = (tier?: string): ScorecardConfigEvent => ({
      type: 'ScorecardTemplateSet',
      data: { ...(tier ? { tier } : {}), version: 1, template: DEFAULT_SCORECARD_TEMPLATE, setAt: at },
    });
    given(scorecardConfigDecider)(set('gold'))
      .when({ type: 'SetScorecardTemplate', data: { tier: 'gold', template: DEFAULT_SCORECARD_TEMPLATE, setAt: at } })
      .then({ type: 'ScorecardTemplateSet', data: { tier: 'gold', version: 2, template: DEFAULT_SCORECARD_TEMPLATE, setAt: at } });
    given(scorecardConfigDecider)()
      .when({ type: 'SetScorecardTemplate', data: { template: { ...DEFAULT_SCORECARD_TEMPLATE, criteria: criteria([9_999]) }, setAt: at } })
      .thenRefuses('WEIGHTS_NOT_100');
    given(scorecardConfigDecider)()
      .when({ type: 'SetTierLadder', data: { tiers: ['silver', 'gold', 'silver'], setAt: at } })
      .thenRefuses('TIER_LADDER_INVALID');
    expect(templateFor(fold(scorecardConfigDecider, []), 'gold')).toMatchObject({ version: 0 });
    expect(templateFor(fold(scorecardConfigDecider, [set()]), 'gold')).toMatchObject({ version: 1 });
    expect(templateFor(fold(scorecardConfigDecider, [set(), set('gold')]), 'gold')).toMatchObject({ tier: 'gold', version: 1 });
  });
});

describe('scoring', () => {
  it('scores a norm in a straight line from floor to target, either way round, and caps at 0 and 100', () => {
    expect([
      normScore('on_time_payment', 7_250, 9_500, 5_000),
      normScore('on_time_payment', 9_900, 9_500, 5_000),
      normScore('on_time_payment', 100, 9_500, 5_000),
    ]).toEqual([5_000, 10_000, 0]);
    expect([normScore('dso', 52.5, 30, 75), normScore('dso', 20, 30, 75)]).toEqual([5_000, 10_000]);
  });

  it('takes attainment as actual over target, or, where lower is better, 100 % at or below the target', () => {
    expect([
      attainment('sales_value', 30_000, 20_000),
      attainment('dso', 25, 30),
      attainment('dso', 40, 30),
      attainment('breaches', 0, 0),
      attainment('breaches', 2, 0),
    ]).toEqual([15_000, 10_000, 7_500, 10_000, 0]);
  });

  const measurements = fc.array(fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }), { minLength: KPI_IDS.length, maxLength: KPI_IDS.length });
  const goals: Goal[] = KPI_IDS.map((kpi) => ({ kpi, target: KPIS[kpi].unit === 'money' ? eur(100) : 100 }));

  it('is the weighted average of the criteria that could be scored, between 0 and 100, graded by the thresholds', () => {
    fc.assert(
      fc.property(measurements, (values) => {
        const m: Measurement[] = KPI_IDS.map((kpi, i) => ({ kpi, value: values[i]! }));
        const card = computeScorecard({ template: DEFAULT_SCORECARD_TEMPLATE, goals, measurements: m, period: '2026-01' });
        const scored = card.criteria.filter((c) => c.scoreBps !== null);
        if (scored.length === 0) return expect([card.scoreBps, card.grade]).toEqual([null, null]);
        const weights = scored.reduce((a, c) => a + c.weightBps, 0);
        const exact = scored.reduce((a, c) => a + c.weightBps * c.scoreBps!, 0) / weights;
        expect(Math.abs(card.scoreBps! - exact)).toBeLessThanOrEqual(0.5);
        expect(card.scoreBps).toBeGreaterThanOrEqual(Math.min(...scored.map((c) => c.scoreBps!)));
        expect(card.scoreBps).toBeLessThanOrEqual(Math.max(...scored.map((c) => c.scoreBps!)));
        expect(card.grade).toBe(gradeOf(card.scoreBps!, DEFAULT_SCORECARD_TEMPLATE.grades));
      }),
    );
  });

  it('never gives a lower grade to a higher score', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        const grades = DEFAULT_SCORECARD_TEMPLATE.grades;
        if (a <= b) expect(GRADES.indexOf(gradeOf(a, grades))).toBeGreaterThanOrEqual(GRADES.indexOf(gradeOf(b, grades)));
      }),
    );
  });

  it('leaves out a criterion without a goal or without anything to measure, saying why', () => {
    const card = computeScorecard({
      template: DEFAULT_SCORECARD_TEMPLATE,
      goals: [],
      measurements: [
        { kpi: 'sales_value', value: 100 },
        { kpi: 'breaches', value: 0 },
      ],
      period: '2026-01',
    });
    expect(card.criteria.find((c) => c.criterionId === 'sales')).toMatchObject({ scoreBps: null, note: 'the agreement sets no goal for it' });
    expect(card.criteria.find((c) => c.criterionId === 'dso')).toMatchObject({ scoreBps: null, note: 'nothing to measure in the period' });
    expect([card.scoreBps, card.grade]).toEqual([10_000, 'A']);
  });
});

describe('recommendations', () => {
  const ladder = ['standard', 'silver', 'gold', 'platinum'];
  const rec = (grade: 'A' | 'B' | 'C' | 'D' | null, before: 'A' | 'B' | 'C' | 'D' | null | undefined, tier = 'silver') =>
    recommend({ period: '2026-05', grade, previous: before === undefined ? undefined : { period: '2026-04', grade: before }, tier, ladder });

  it('promotes after A twice, demotes after D twice, watches a D or a repeated C, and keeps the tier otherwise', () => {
    expect(rec('A', 'A')).toEqual({
      kind: 'promote',
      fromTier: 'silver',
      toTier: 'gold',
      reason: 'Promote from silver to gold: grade A in 2026-05 after A in 2026-04.',
    });
    expect(rec('D', 'D')).toMatchObject({ kind: 'demote', toTier: 'standard' });
    expect(rec('D', 'D', 'standard')).toMatchObject({ kind: 'do_not_renew' });
    expect(rec('D', 'B')).toMatchObject({ kind: 'watch_list' });
    expect(rec('C', 'C')).toMatchObject({ kind: 'watch_list' });
    expect(rec('C', 'B')).toMatchObject({ kind: 'keep_tier' });
    expect(rec('A', undefined)).toMatchObject({ kind: 'keep_tier', reason: 'Keep tier silver: grade A in 2026-05.' });
    expect(rec('A', 'A', 'platinum')).toMatchObject({ kind: 'keep_tier', reason: expect.stringContaining('platinum is the top tier') });
    expect(rec(null, 'A')).toBeUndefined();
  });
});

describe('goals in the agreement', () => {
  const terms = (goals: Goal[]) => ({
    currency: 'EUR',
    scope: { productCategories: ['pumps', 'valves'], regions: ['north'], exclusive: false },
    responsibilities: [],
    pricingTier: 'silver',
    revenueSplit: [
      { partyId: 'manufacturer', role: 'manufacturer' as const, shareBps: 9_000 },
      { partyId: 'acme', role: 'dealer' as const, shareBps: 1_000 },
    ],
    rebate: { basis: 'band_total' as const, bands: [{ from: eur(0), rateBps: 0 }] },
    jointMarketing: [{ partyId: 'manufacturer', role: 'manufacturer' as const, shareBps: 10_000 }],
    settlement: { basis: 'on_invoice' as const, period: 'month' as const },
    paymentTerms: { netDays: 30 },
    ipClause: 'IP',
    breachClauses: [],
    goals,
  });
  const code = (goals: Goal[]) => {
    const r = validateTerms(terms(goals), 'acme');
    return r._tag === 'Left' ? r.left.code : 'ok';
  };

  it('carry one target per KPI and category, in the KPI’s unit, for categories and periods the agreement covers', () => {
    expect(
      code([
        { kpi: 'sales_value', target: eur(20_000), periodTargets: [{ period: '2026-12', target: eur(30_000) }] },
        { kpi: 'dso', target: 30.5 },
      ]),
    ).toBe('ok');
    expect(
      code([
        { kpi: 'sales_value', target: eur(1) },
        { kpi: 'sales_value', target: eur(2) },
      ]),
    ).toBe('DUPLICATE_GOAL');
    expect(code([{ kpi: 'sales_value', category: 'filters', target: eur(1) }])).toBe('GOAL_CATEGORY_INVALID');
    expect(code([{ kpi: 'dso', category: 'pumps', target: 30 }])).toBe('GOAL_CATEGORY_INVALID');
    expect(code([{ kpi: 'sales_value', target: money(100, 'USD') }])).toBe('GOAL_TARGET_INVALID');
    expect(code([{ kpi: 'sales_value', target: 100 }])).toBe('GOAL_TARGET_INVALID');
    expect(code([{ kpi: 'return_rate', target: 10_001 }])).toBe('GOAL_TARGET_INVALID');
    expect(code([{ kpi: 'breaches', target: 0.5 }])).toBe('GOAL_TARGET_INVALID');
    expect(code([{ kpi: 'growth_previous', target: -500 }])).toBe('ok');
    expect(code([{ kpi: 'sales_value', target: eur(1), periodTargets: [{ period: '2026-Q4', target: eur(2) }] }])).toBe('GOAL_PERIOD_INVALID');
  });
});
