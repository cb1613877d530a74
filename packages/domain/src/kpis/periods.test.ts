import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber } from '../shared/calendar';
import { comparisonRanges, countSeriesBuckets, isoWeek, periodContaining, periodLabel, rangeDays, SERIES_GRAINS, seriesBuckets } from './periods';

const date = fc.integer({ min: 0, max: 40_000 }).map(fromDayNumber);

describe('KPI periods', () => {
  it('compares a month to date with the same days of the month before and of the same month last year', () => {
    expect(comparisonRanges({ period: 'month', asOf: '2026-11-20' })).toEqual({
      current: { from: '2026-11-01', to: '2026-11-20' },
      previous: { from: '2026-10-01', to: '2026-10-20' },
      lastYear: { from: '2025-11-01', to: '2025-11-20' },
      complete: false,
    });
    // Day 30 of March: February has no 30th, so it compares with all of February.
    expect(comparisonRanges({ period: 'month', asOf: '2026-03-30' }).previous).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('compares a whole period with whole periods', () => {
    expect(comparisonRanges({ period: 'month', asOf: '2026-02-28' })).toEqual({
      current: { from: '2026-02-01', to: '2026-02-28' },
      previous: { from: '2026-01-01', to: '2026-01-31' },
      lastYear: { from: '2025-02-01', to: '2025-02-28' },
      complete: true,
    });
    expect(comparisonRanges({ period: 'quarter', asOf: '2025-03-31' }).lastYear).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(comparisonRanges({ period: 'quarter', asOf: '2026-11-20' })).toMatchObject({
      current: { from: '2026-10-01', to: '2026-11-20' },
      previous: { from: '2026-07-01', to: '2026-08-20' },
      lastYear: { from: '2025-10-01', to: '2025-11-20' },
    });
    const year = comparisonRanges({ period: 'year', asOf: '2026-12-31' });
    expect(year.previous).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(year.lastYear).toEqual(year.previous);
  });

  it('compares an ISO week with the week before and the same weekdays 52 weeks earlier', () => {
    // 2026-11-20 is a Friday in ISO week 47.
    expect(comparisonRanges({ period: 'week', asOf: '2026-11-20' })).toEqual({
      current: { from: '2026-11-16', to: '2026-11-20' },
      previous: { from: '2026-11-09', to: '2026-11-13' },
      lastYear: { from: '2025-11-17', to: '2025-11-21' },
      complete: false,
    });
    expect(periodLabel('week', '2026-11-20')).toBe('2026-W47');
    // ISO weeks that belong to the neighbouring year.
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
  });

  it('compares a custom range with the range of equal length before it and the same dates a year earlier', () => {
    expect(comparisonRanges({ from: '2024-02-01', to: '2024-02-29' })).toEqual({
      current: { from: '2024-02-01', to: '2024-02-29' },
      previous: { from: '2024-01-03', to: '2024-01-31' },
      lastYear: { from: '2023-02-01', to: '2023-02-28' },
      complete: true,
    });
  });

  it('keeps every comparison range inside its period, no longer than the current one unless whole', () => {
    fc.assert(
      fc.property(fc.constantFrom('week', 'month', 'quarter', 'year' as const), date, (period, asOf) => {
        const r = comparisonRanges({ period, asOf });
        expect(r.current.to).toBe(asOf);
        for (const range of [r.previous, r.lastYear]) {
          expect(range.from <= range.to).toBe(true);
          expect(range.to < r.current.from).toBe(true);
          const whole = periodContaining(period, range.from);
          expect(range.from).toBe(whole.from);
          expect(range.to <= whole.to).toBe(true);
          if (r.complete) expect(range.to).toBe(whole.to);
          else expect(rangeDays(range) <= rangeDays(r.current)).toBe(true);
        }
      }),
    );
  });

  it('cuts a range into contiguous buckets, clipped at both ends', () => {
    expect(seriesBuckets('2026-01-15', '2026-03-10', 'month')).toEqual([
      { period: '2026-01', from: '2026-01-15', to: '2026-01-31', partial: true },
      { period: '2026-02', from: '2026-02-01', to: '2026-02-28', partial: false },
      { period: '2026-03', from: '2026-03-01', to: '2026-03-10', partial: true },
    ]);
    expect(seriesBuckets('2026-12-28', '2027-01-10', 'week').map((b) => b.period)).toEqual(['2026-W53', '2027-W01']);
    fc.assert(
      fc.property(fc.constantFrom(...SERIES_GRAINS), date, fc.integer({ min: 0, max: 800 }), (grain, from, length) => {
        const to = addDays(from, length);
        const buckets = seriesBuckets(from, to, grain);
        expect(buckets.length).toBe(countSeriesBuckets(from, to, grain));
        expect(buckets[0]!.from).toBe(from);
        expect(buckets.at(-1)!.to).toBe(to);
        buckets.forEach((b, i) => {
          expect(b.period).toBe(periodLabel(grain, b.from));
          expect(periodLabel(grain, b.to)).toBe(b.period);
          if (i > 0) expect(b.from).toBe(addDays(buckets[i - 1]!.to, 1));
        });
      }),
    );
  });
});
