import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DUNNING_LEVELS, dunningLevelOf } from './dunning';

describe('dunning levels', () => {
  it('reminds from 1 day past due, reminds again from 15, gives final notice from 30', () => {
    expect([-10, 0, 1, 14, 15, 29, 30, 400].map(dunningLevelOf)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(DUNNING_LEVELS.map((l) => [l.level, l.fromDaysPastDue, l.name.en])).toEqual([
      [1, 1, 'reminder'],
      [2, 15, 'second reminder'],
      [3, 30, 'final notice'],
    ]);
  });

  it('is 0 when not past due, never falls as the days go on, and reaches each level at its threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (days, more) => {
        expect(dunningLevelOf(days + more)).toBeGreaterThanOrEqual(dunningLevelOf(days));
        if (days <= 0) expect(dunningLevelOf(days)).toBe(0);
        const level = dunningLevelOf(days);
        if (level > 0) expect(days).toBeGreaterThanOrEqual(DUNNING_LEVELS[level - 1]!.fromDaysPastDue);
        if (level < DUNNING_LEVELS.length) expect(days).toBeLessThan(DUNNING_LEVELS[level]!.fromDaysPastDue);
      }),
    );
  });
});
