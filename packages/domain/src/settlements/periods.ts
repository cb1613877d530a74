import { z } from 'zod';
import { daysInMonth, formatDate, parseDate } from '../shared/calendar';

/** How often an agreement settles: calendar months or calendar quarters. */
export const SettlementCadence = z.enum(['month', 'quarter']);
export type SettlementCadence = z.infer<typeof SettlementCadence>;

/** A settlement period: `2026-03` (a month) or `2026-Q1` (a quarter). */
export const PeriodId = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be a month (YYYY-MM) or a quarter (YYYY-Qn)');
export type PeriodId = z.infer<typeof PeriodId>;

export const cadenceOf = (period: string): SettlementCadence => (period.includes('Q') ? 'quarter' : 'month');

/** The period of the given cadence that contains `date` (YYYY-MM-DD). */
export const periodOf = (date: string, cadence: SettlementCadence): string => {
  const [y, m] = parseDate(date);
  return cadence === 'month' ? `${y}-${String(m).padStart(2, '0')}` : `${y}-Q${Math.ceil(m / 3)}`;
};

const bounds = (period: string): { year: number; firstMonth: number; lastMonth: number } => {
  const year = Number(period.slice(0, 4));
  if (period[5] === 'Q') {
    const q = Number(period.slice(6));
    return { year, firstMonth: q * 3 - 2, lastMonth: q * 3 };
  }
  const month = Number(period.slice(5));
  return { year, firstMonth: month, lastMonth: month };
};

/** First day of the period. */
export const periodStart = (period: string): string => {
  const { year, firstMonth } = bounds(period);
  return formatDate(year, firstMonth, 1);
};

/** Last day of the period (inclusive). */
export const periodEnd = (period: string): string => {
  const { year, lastMonth } = bounds(period);
  return formatDate(year, lastMonth, daysInMonth(year, lastMonth));
};

/** The period right after this one, of the same cadence. */
export const nextPeriod = (period: string): string => {
  const { year, lastMonth } = bounds(period);
  const next = lastMonth === 12 ? formatDate(year + 1, 1, 1) : formatDate(year, lastMonth + 1, 1);
  return periodOf(next, cadenceOf(period));
};

/** The period right before this one, of the same cadence. */
export const previousPeriod = (period: string): string => {
  const { year, firstMonth } = bounds(period);
  const before = firstMonth === 1 ? formatDate(year - 1, 12, 1) : formatDate(year, firstMonth - 1, 1);
  return periodOf(before, cadenceOf(period));
};

/** The same period a year earlier: `2026-03` -> `2025-03`, `2026-Q1` -> `2025-Q1`. */
export const samePeriodLastYear = (period: string): string => `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`;
