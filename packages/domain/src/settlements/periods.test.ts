import { describe, expect, it } from 'vitest';
import { nextPeriod, periodEnd, periodOf, periodStart, previousPeriod, samePeriodLastYear } from './periods';

describe('settlement periods', () => {
  it('names months and quarters', () => {
    expect(periodOf('2026-03-31', 'month')).toBe('2026-03');
    expect(periodOf('2026-03-31', 'quarter')).toBe('2026-Q1');
    expect(periodOf('2026-04-01', 'quarter')).toBe('2026-Q2');
  });

  it('knows where each starts and ends, and what comes next', () => {
    expect([periodStart('2024-02'), periodEnd('2024-02')]).toEqual(['2024-02-01', '2024-02-29']);
    expect([periodStart('2026-Q4'), periodEnd('2026-Q4')]).toEqual(['2026-10-01', '2026-12-31']);
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(nextPeriod('2026-Q4')).toBe('2027-Q1');
    expect(nextPeriod('2026-Q2')).toBe('2026-Q3');
  });

  it('knows the period before and the same period a year earlier', () => {
    expect([previousPeriod('2026-01'), previousPeriod('2026-07'), previousPeriod('2026-Q1'), previousPeriod('2026-Q3')]).toEqual([
      '2025-12',
      '2026-06',
      '2025-Q4',
      '2026-Q2',
    ]);
    expect([samePeriodLastYear('2026-03'), samePeriodLastYear('2026-Q4')]).toEqual(['2025-03', '2025-Q4']);
    for (const p of ['2024-01', '2025-12', '2026-Q1', '2026-Q4']) expect(previousPeriod(nextPeriod(p))).toBe(p);
  });
});
