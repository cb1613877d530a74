/**
 * Calendar dates (`YYYY-MM-DD`) as plain values, with integer arithmetic only: the domain reads no clock and builds no
 * `Date`, so the same input always gives the same answer on every machine and in every time zone. Timestamps are UTC.
 */

/** The calendar date (UTC) of an ISO-8601 timestamp such as `2026-03-01T09:00:00Z`. */
export const dateOf = (isoDateTime: string): string => isoDateTime.slice(0, 10);

const parse = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
};

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export const daysInMonth = (year: number, month: number): number => (month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const formatDate = (year: number, month: number, day: number): string => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** Days since 1970-01-01 (proleptic Gregorian), by the days-from-civil algorithm. */
export const dayNumber = (date: string): number => {
  const [y0, m, d] = parse(date);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
};

/** The inverse of `dayNumber`. */
export const fromDayNumber = (n: number): string => {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return formatDate(m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d);
};

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

export const minDate = (a: string, b: string): string => (a <= b ? a : b);
export const maxDate = (a: string, b: string): string => (a >= b ? a : b);

/** Whether the inclusive ranges [aFrom, aUntil] and [bFrom, bUntil] share at least one day. */
export const rangesOverlap = (aFrom: string, aUntil: string, bFrom: string, bUntil: string): boolean => aFrom <= bUntil && bFrom <= aUntil;

export { parse as parseDate };
