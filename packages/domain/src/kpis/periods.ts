import { addDays, dayNumber, daysBetween, daysInMonth, formatDate, fromDayNumber, parseDate } from '../shared/calendar';

/**
 * The periods KPIs are reported over. All dates are calendar dates (`YYYY-MM-DD`, UTC) and every range is inclusive at
 * both ends. Weeks are ISO weeks: Monday to Sunday, labelled `2026-W47` by their ISO week-numbering year.
 */
export const KPI_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

/** How a time series is cut: a day or any of the KPI periods. */
export const SERIES_GRAINS = ['day', ...KPI_PERIODS] as const;
export type SeriesGrain = (typeof SERIES_GRAINS)[number];

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** Days in an inclusive range. */
export const rangeDays = (r: DateRange): number => daysBetween(r.from, r.to) + 1;

/** Monday = 1 .. Sunday = 7. 1970-01-01 was a Thursday. */
const isoWeekday = (date: string): number => ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;

/** The ISO week-numbering year and week of a date: the week belongs to the year that holds its Thursday. */
export const isoWeek = (date: string): { year: number; week: number } => {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  return { year, week: Math.floor(daysBetween(formatDate(year, 1, 1), thursday) / 7) + 1 };
};

/** The period of the given grain that contains `date`. */
export const periodContaining = (grain: SeriesGrain, date: string): DateRange => {
  const [y, m] = parseDate(date);
  switch (grain) {
    case 'day':
      return { from: date, to: date };
    case 'week': {
      const monday = addDays(date, 1 - isoWeekday(date));
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'month':
      return { from: formatDate(y, m, 1), to: formatDate(y, m, daysInMonth(y, m)) };
    case 'quarter': {
      const first = m - ((m - 1) % 3);
      return { from: formatDate(y, first, 1), to: formatDate(y, first + 2, daysInMonth(y, first + 2)) };
    }
    case 'year':
      return { from: formatDate(y, 1, 1), to: formatDate(y, 12, 31) };
  }
};

/** The label of the period of `grain` that contains `date`: `2026-11-20`, `2026-W47`, `2026-11`, `2026-Q4`, `2026`. */
export const periodLabel = (grain: SeriesGrain, date: string): string => {
  const [y, m] = parseDate(date);
  switch (grain) {
    case 'day':
      return date;
    case 'week': {
      const w = isoWeek(date);
      return `${w.year}-W${String(w.week).padStart(2, '0')}`;
    }
    case 'month':
      return date.slice(0, 7);
    case 'quarter':
      return `${y}-Q${Math.ceil(m / 3)}`;
    case 'year':
      return String(y);
  }
};

/** The same calendar date a year earlier; 29 February becomes 28 February. */
export const sameDateLastYear = (date: string): string => {
  const [y, m, d] = parseDate(date);
  return formatDate(y - 1, m, Math.min(d, daysInMonth(y - 1, m)));
};

/** The date `n` days into a range (0 = its first day), but never past its end. */
const dayInto = (r: DateRange, n: number): string => fromDayNumber(Math.min(dayNumber(r.from) + n, dayNumber(r.to)));

export interface ComparisonRanges {
  /** The range reported on. */
  readonly current: DateRange;
  /** The period before: the calendar period before, or the preceding range of equal length for a custom range. */
  readonly previous: DateRange;
  /** The same period a year earlier. */
  readonly lastYear: DateRange;
  /** True when `current` is a whole calendar period (or a custom range); false for a period to date. */
  readonly complete: boolean;
}

/**
 * The ranges a KPI summary compares, for a calendar period to date or for a custom range:
 *
 * - `{ period, asOf }`: `current` runs from the start of the period that contains `asOf` to `asOf` (month to date,
 *   quarter to date...). When `asOf` is the period's last day the period is complete, and `previous` and `lastYear` are
 *   whole periods too: the calendar period before, and the same calendar period a year earlier. Otherwise both are cut
 *   to the same number of days from their start (never past their end), so that a part compares with a like part:
 *   1-20 November against 1-20 October and 1-20 November last year. A week compares with the week before and with the
 *   week 52 weeks earlier (the same weekdays); for a year, `previous` and `lastYear` are the same range.
 * - `{ from, to }`: `previous` is the range of equal length that ends the day before `from`, and `lastYear` runs from
 *   the same dates a year earlier.
 */
export const comparisonRanges = (query: { readonly period: KpiPeriod; readonly asOf: string } | DateRange): ComparisonRanges => {
  if ('from' in query) {
    const days = rangeDays(query);
    return {
      current: { from: query.from, to: query.to },
      previous: { from: addDays(query.from, -days), to: addDays(query.from, -1) },
      lastYear: { from: sameDateLastYear(query.from), to: sameDateLastYear(query.to) },
      complete: true,
    };
  }
  const { period, asOf } = query;
  const whole = periodContaining(period, asOf);
  const complete = asOf === whole.to;
  const elapsed = daysBetween(whole.from, asOf);
  const cut = (r: DateRange): DateRange => (complete ? r : { from: r.from, to: dayInto(r, elapsed) });
  const previous = periodContaining(period, addDays(whole.from, -1));
  const lastYear = period === 'week' ? periodContaining('week', addDays(whole.from, -364)) : periodContaining(period, sameDateLastYear(whole.from));
  return { current: { from: whole.from, to: asOf }, previous: cut(previous), lastYear: cut(lastYear), complete };
};

export interface SeriesBucket extends DateRange {
  /** The period's label, e.g. `2026-03` or `2026-W12`. */
  readonly period: string;
  /** True when the range cuts the period short: the bucket covers only part of it. */
  readonly partial: boolean;
}

/** The most buckets one series may have. */
export const MAX_SERIES_BUCKETS = 400;

/**
 * The periods of `grain` from the one holding `from` to the one holding `to`, each clipped to the range, in time order.
 * @example seriesBuckets('2026-01-15', '2026-03-31', 'month')
 * // [{ period: '2026-01', from: '2026-01-15', to: '2026-01-31', partial: true }, { period: '2026-02', ... }, ...]
 */
export const seriesBuckets = (from: string, to: string, grain: SeriesGrain): SeriesBucket[] => {
  const buckets: SeriesBucket[] = [];
  let start = from;
  while (start <= to) {
    const whole = periodContaining(grain, start);
    const end = whole.to < to ? whole.to : to;
    buckets.push({ period: periodLabel(grain, start), from: start, to: end, partial: start !== whole.from || end !== whole.to });
    start = addDays(end, 1);
  }
  return buckets;
};

/** How many buckets `seriesBuckets` would make, without making them. */
export const countSeriesBuckets = (from: string, to: string, grain: SeriesGrain): number => {
  if (from > to) return 0;
  const [fy, fm] = parseDate(from);
  const [ty, tm] = parseDate(to);
  switch (grain) {
    case 'day':
      return rangeDays({ from, to });
    case 'week':
      return (dayNumber(periodContaining('week', to).from) - dayNumber(periodContaining('week', from).from)) / 7 + 1;
    case 'month':
      return (ty - fy) * 12 + (tm - fm) + 1;
    case 'quarter':
      return (ty - fy) * 4 + (Math.ceil(tm / 3) - Math.ceil(fm / 3)) + 1;
    case 'year':
      return ty - fy + 1;
  }
};
