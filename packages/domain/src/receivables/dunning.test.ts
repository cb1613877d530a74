import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DUNNING_LEVELS, DunningTerms, dunningLevelOf, dunningLevelsOf, MAX_DUNNING_LEVELS, nextDunningLevel } from './dunning';

describe('dunning levels', () => {
  it('reminds from 1 day past due, reminds again from 15, gives final notice from 30', () => {
    expect([-10, 0, 1, 14, 15, 29, 30, 400].map((d) => dunningLevelOf(d))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(DUNNING_LEVELS.map((l) => [l.level, l.fromDaysPastDue, l.name.en, l.tell])).toEqual([
      [1, 1, 'reminder', ['dealer']],
      [2, 15, 'second reminder', ['dealer', 'sales']],
      [3, 30, 'final notice', ['dealer', 'sales']],
    ]);
    expect(dunningLevelsOf(undefined)).toBe(DUNNING_LEVELS);
    expect([0, 1, 14, 29, 30].map((d) => nextDunningLevel(d)?.level)).toEqual([1, 2, 2, 3, undefined]);
  });

  it("numbers an agreement's levels from 1, names the unnamed ones, and reaches each at its own threshold", () => {
    const terms = DunningTerms.parse({
      levels: [
        { fromDaysPastDue: 7, tell: ['dealer'] },
        { fromDaysPastDue: 21, tell: ['sales', 'dealer'], name: { 'zh-CN': '催款函', en: 'demand letter' } },
        { fromDaysPastDue: 45, tell: ['sales'] },
      ],
    });
    const levels = dunningLevelsOf(terms);
    expect(levels.map((l) => [l.level, l.fromDaysPastDue, l.name.en, l.tell])).toEqual([
      [1, 7, 'reminder', ['dealer']],
      [2, 21, 'demand letter', ['dealer', 'sales']],
      [3, 45, 'final notice', ['sales']],
    ]);
    expect([1, 6, 7, 20, 21, 44, 45].map((d) => dunningLevelOf(d, levels))).toEqual([0, 0, 1, 1, 2, 2, 3]);
    expect(dunningLevelsOf(DunningTerms.parse({ levels: [{ fromDaysPastDue: 10, tell: ['dealer'] }] }))[0]!.name.en).toBe('reminder');
  });

  it('refuses levels that do not rise, too many, none, or an audience twice, naming the field', () => {
    const issues = (levels: unknown) => {
      const parsed = DunningTerms.safeParse({ levels });
      return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(
      issues([
        { fromDaysPastDue: 10, tell: ['dealer'] },
        { fromDaysPastDue: 10, tell: ['dealer'] },
      ]),
    ).toEqual([['levels.1.fromDaysPastDue', 'level 2 (from 10 days past due) must start after level 1 (from 10 days): levels rise']]);
    expect(issues(Array.from({ length: 6 }, (_, i) => ({ fromDaysPastDue: i + 1, tell: ['dealer'] })))).toEqual([['levels', 'give at most 5 levels']]);
    expect(issues([])).toEqual([['levels', 'give at least one level']]);
    expect(issues([{ fromDaysPastDue: 5, tell: ['dealer', 'dealer'] }])).toEqual([['levels.0.tell', 'level 1 names the same audience twice']]);
    expect(issues([{ fromDaysPastDue: 5, tell: [] }])).toEqual([['levels.0.tell', 'tell at least the dealer or the sales team']]);
    expect(issues([{ fromDaysPastDue: 0, tell: ['dealer'] }]).map(([path]) => path)).toEqual(['levels.0.fromDaysPastDue']);
    expect(issues([{ fromDaysPastDue: 5, tell: ['the board'] }]).map(([path]) => path)).toEqual(['levels.0.tell.0']);
  });

  it('accepts exactly the level lists that rise, one to five, and under them is 0 when not past due, never falls, and reaches each level at its threshold', () => {
    const level = fc.record({
      fromDaysPastDue: fc.integer({ min: 1, max: 365 }),
      tell: fc.constantFrom<('dealer' | 'sales')[]>(['dealer'], ['sales'], ['dealer', 'sales']),
    });
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 0, maxLength: 7 }),
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (given, days, more) => {
          const rising = given.every((l, i) => i === 0 || l.fromDaysPastDue > given[i - 1]!.fromDaysPastDue);
          const parsed = DunningTerms.safeParse({ levels: given });
          expect(parsed.success).toBe(rising && given.length >= 1 && given.length <= MAX_DUNNING_LEVELS);
          if (!parsed.success) return;
          const levels = dunningLevelsOf(parsed.data);
          const reached = dunningLevelOf(days, levels);
          expect(dunningLevelOf(days + more, levels)).toBeGreaterThanOrEqual(reached);
          if (days <= 0) expect(reached).toBe(0);
          if (reached > 0) expect(days).toBeGreaterThanOrEqual(levels[reached - 1]!.fromDaysPastDue);
          if (reached < levels.length) {
            expect(days).toBeLessThan(levels[reached]!.fromDaysPastDue);
            expect(nextDunningLevel(days, levels)).toBe(levels[reached]);
          } else expect(nextDunningLevel(days, levels)).toBeUndefined();
        },
      ),
    );
  });
});
