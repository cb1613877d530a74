/**
 * Demand forecasting: monthly quantities in, the next months' expected quantities out, by whichever of a few classic
 * methods forecast this very series best in a backtest. Pure: the caller supplies the history and its dates.
 *
 * Quantities are units, not money: forecasts are estimates and carry fractions; they are rounded where they are shown or
 * turned into an order.
 */

export type ForecastMethod = 'naive' | 'moving_average_3' | 'exponential_smoothing' | 'damped_trend' | 'seasonal_naive' | 'intermittent';

export interface DemandForecast {
  readonly method: ForecastMethod;
  /** Expected quantity of each month after the history, `horizon` of them. Never negative. */
  readonly forecast: readonly number[];
  /**
   * Mean absolute error of the chosen method's one-step-ahead forecasts over the backtest months: how far off a month's
   * forecast typically was. Null when the history is too short to backtest (fewer than 4 months).
   */
  readonly meanAbsoluteError: number | null;
  /** The months the backtest covered (the most recent ones of the history). */
  readonly backtestMonths: number;
  /** Every method tried, with its backtest error: why this one was chosen. */
  readonly candidates: readonly { readonly method: ForecastMethod; readonly meanAbsoluteError: number }[];
}

export interface ForecastOptions {
  /** Months to forecast. Default 3. */
  readonly horizon?: number;
  /** Most recent months used to compare the methods. Default 6 (fewer when the history is short). */
  readonly backtestMonths?: number;
}

/** A method: from the history so far, the forecasts of the next `horizon` months. */
type Method = (history: readonly number[], horizon: number) => number[];

const repeat = (value: number, horizon: number) => Array.from({ length: horizon }, () => value);
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const naive: Method = (h, n) => repeat(h.at(-1) ?? 0, n);

const movingAverage3: Method = (h, n) => repeat(mean(h.slice(-3)), n);

/** Simple exponential smoothing; the smoothing constant is fitted to the history (least squared one-step error). */
const exponentialSmoothing: Method = (h, n) => {
  let best = { sse: Number.POSITIVE_INFINITY, level: h[0] ?? 0 };
  for (const alpha of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    let level = h[0] ?? 0;
    let sse = 0;
    for (const x of h.slice(1)) {
      sse += (x - level) ** 2;
      level = alpha * x + (1 - alpha) * level;
    }
    if (sse < best.sse) best = { sse, level };
  }
  return repeat(best.level, n);
};

/** Holt's linear trend, damped (phi 0.9) so that a trend flattens out instead of running away; constants fitted. */
const dampedTrend: Method = (h, n) => {
  const phi = 0.9;
  if (h.length < 2) return naive(h, n);
  let best = { sse: Number.POSITIVE_INFINITY, level: 0, trend: 0 };
  for (const alpha of [0.2, 0.4, 0.6, 0.8]) {
    for (const beta of [0.05, 0.1, 0.2, 0.3]) {
      let level = h[0]!;
      let trend = h[1]! - h[0]!;
      let sse = 0;
      for (const x of h.slice(1)) {
        const expected = level + phi * trend;
        sse += (x - expected) ** 2;
        const previous = level;
        level = alpha * x + (1 - alpha) * expected;
        trend = beta * (level - previous) + (1 - beta) * phi * trend;
      }
      if (sse < best.sse) best = { sse, level, trend };
    }
  }
  const out: number[] = [];
  let damping = 0;
  for (let i = 1; i <= n; i++) {
    damping += phi ** i;
    out.push(best.level + damping * best.trend);
  }
  return out;
};

/**
 * For intermittent demand (months without orders between lumpy ones): Croston's method with the Syntetos-Boylan
 * correction smooths the size of the orders and the gap between them apart, and forecasts size / gap per month.
 */
const intermittent: Method = (h, n) => {
  const alpha = 0.2;
  let size: number | null = null;
  let gap = 0;
  let since = 0;
  for (const x of h) {
    since++;
    if (x <= 0) continue;
    if (size === null) {
      size = x;
      gap = since;
    } else {
      size = alpha * x + (1 - alpha) * size;
      gap = alpha * since + (1 - alpha) * gap;
    }
    since = 0;
  }
  return repeat(size === null ? 0 : ((1 - alpha / 2) * size) / gap, n);
};

/** The same month a year earlier: for demand with a yearly pattern. */
const seasonalNaive: Method = (h, n) => Array.from({ length: n }, (_, i) => h[h.length - 12 + (i % 12)] ?? 0);

/** Demand is intermittent when at least a third of the months had none (and some had some). */
const isIntermittent = (h: readonly number[]) => h.some((x) => x > 0) && h.filter((x) => x === 0).length * 3 >= h.length;

const METHODS: readonly {
  readonly method: ForecastMethod;
  readonly run: Method;
  readonly minHistory: number;
  /** Whether the method suits this series at all. */
  readonly suits?: (history: readonly number[]) => boolean;
}[] = [
  { method: 'naive', run: naive, minHistory: 1 },
  { method: 'moving_average_3', run: movingAverage3, minHistory: 3 },
  { method: 'exponential_smoothing', run: exponentialSmoothing, minHistory: 3 },
  { method: 'damped_trend', run: dampedTrend, minHistory: 4 },
  { method: 'intermittent', run: intermittent, minHistory: 4, suits: isIntermittent },
  { method: 'seasonal_naive', run: seasonalNaive, minHistory: 12 },
];

/**
 * Forecasts the next `horizon` months of a monthly demand series (oldest first; a month without demand is 0).
 *
 * Every method that has enough history (and suits the series: Croston's only for intermittent demand, where at least a
 * third of the months had none) forecasts each of the last `backtestMonths` months from the months before it
 * (rolling origin, one step ahead); the one with the smallest mean absolute error forecasts the future, ties going to the
 * simpler method. With fewer than 4 months there is nothing to compare: the mean of what there is.
 *
 * @example
 *   forecastDemand([10, 12, 11, 13, 12, 14, 13, 15], { horizon: 2 }).forecast // two months of about 14 to 15
 */
export const forecastDemand = (history: readonly number[], options: ForecastOptions = {}): DemandForecast => {
  const horizon = options.horizon ?? 3;
  if (!Number.isSafeInteger(horizon) || horizon < 1 || horizon > 24) throw new RangeError(`A forecast covers 1 to 24 months, not ${horizon}.`);
  for (const [i, x] of history.entries()) {
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`Month ${i} of the demand history is ${x}: demand is a quantity of 0 or more.`);
  }
  if (history.length < 4) {
    return {
      method: history.length === 0 ? 'naive' : 'moving_average_3',
      forecast: repeat(history.length === 0 ? 0 : mean(history), horizon),
      meanAbsoluteError: null,
      backtestMonths: 0,
      candidates: [],
    };
  }
  const backtest = Math.max(1, Math.min(options.backtestMonths ?? 6, history.length - 3));
  const candidates = METHODS.filter((m) => history.length - backtest >= m.minHistory && (m.suits?.(history) ?? true)).map((m) => {
    let error = 0;
    for (let t = history.length - backtest; t < history.length; t++) error += Math.abs(history[t]! - m.run(history.slice(0, t), 1)[0]!);
    return { method: m.method, run: m.run, meanAbsoluteError: error / backtest };
  });
  // Relative tolerance, so that rounding noise never decides, and scaling the demand never changes the choice.
  const chosen = candidates.reduce((best, c) => (c.meanAbsoluteError < best.meanAbsoluteError * (1 - 1e-9) ? c : best));
  return {
    method: chosen.method,
    forecast: chosen.run(history, horizon).map((x) => Math.max(0, x)),
    meanAbsoluteError: chosen.meanAbsoluteError,
    backtestMonths: backtest,
    candidates: candidates.map(({ method, meanAbsoluteError }) => ({ method, meanAbsoluteError })),
  };
};

export interface ReplenishmentAdvice {
  /** Expected demand between now and the arrival of an order placed today. */
  readonly leadTimeDemand: number;
  /** Extra units against forecast error: z (1.65, about 95 % of months) x 1.25 MAE x sqrt(lead time in months). */
  readonly safetyStock: number;
  /** Days the projected stock lasts at the forecast rate; null when no demand is forecast. */
  readonly daysOfCover: number | null;
  /** Projected stock does not cover lead-time demand plus safety stock: order now or run out before it arrives. */
  readonly atRisk: boolean;
  /** Whole packs that lift projected stock to cover the lead time, safety stock and one month after: 0 when not at risk. */
  readonly suggestedQuantity: number;
}

const DAYS_PER_MONTH = 365.25 / 12;
const SERVICE_Z = 1.65;

/**
 * What a forecast means for one stock position: does projected stock (on hand + incoming - reserved - backordered) last
 * until an order placed today would arrive, and if not, how much to order.
 */
export const replenishmentAdvice = (
  forecast: DemandForecast,
  position: { readonly projected: number; readonly leadTimeDays: number; readonly packMultiple?: number },
): ReplenishmentAdvice => {
  const monthly = forecast.forecast[0] ?? 0;
  const daily = monthly / DAYS_PER_MONTH;
  const leadMonths = position.leadTimeDays / DAYS_PER_MONTH;
  const leadTimeDemand = daily * position.leadTimeDays;
  const safetyStock = SERVICE_Z * 1.25 * (forecast.meanAbsoluteError ?? 0) * Math.sqrt(leadMonths);
  const needed = leadTimeDemand + safetyStock;
  const atRisk = needed > 0 && position.projected < needed;
  const pack = Math.max(1, position.packMultiple ?? 1);
  const gap = needed + monthly - position.projected;
  return {
    leadTimeDemand,
    safetyStock,
    daysOfCover: daily > 0 ? Math.max(0, position.projected) / daily : null,
    atRisk,
    suggestedQuantity: atRisk ? Math.ceil(gap / pack) * pack : 0,
  };
};
