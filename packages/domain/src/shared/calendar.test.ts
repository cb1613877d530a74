import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, daysBetween, fromDayNumber } from './calendar';

describe('calendar dates', () => {
  it('counts days across months, leap years and centuries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
  });

  it('round-trips every day number', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        expect(dayNumber(fromDayNumber(n))).toBe(n);
        expect(fromDayNumber(n + 1) > fromDayNumber(n)).toBe(true);
      }),
    );
  });
});
