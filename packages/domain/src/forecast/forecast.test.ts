import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastDemand, replenishmentAdvice } from './forecast';

describe('forecastDemand', () => {
  it('forecasts steady demand as itself, with no error', () => {
    const f = forecastDemand([20, 20, 20, 20, 20, 20, 20, 20]);
    expect(f.forecast).toEqual([20, 20, 20]);
    expect(f.meanAbsoluteError).toBe(0);
    // Every method is exact here; the simplest wins the tie.
    expect(f.method).toBe('naive');
  });

  it('follows a rising trend, flattening it out', () => {
    const f = forecastDemand([10, 12, 14, 16, 18, 20, 22, 24, 26, 28], { horizon: 3 });
    expect(f.method).toBe('damped_trend');
    const [m1, m2, m3] = f.forecast as [number, number, number];
    expect(m1).toBeGreaterThan(28);
    expect(m2).toBeGreaterThan(m1);
    expect(m3 - m2).toBeLessThan(m2 - m1 + 1e-9);
  });

  it('repeats last year when demand has a yearly pattern', () => {
    const year = [5, 5, 8, 20, 40, 60, 60, 40, 20, 8, 5, 5];
    const f = forecastDemand([...year, ...year, ...year], { horizon: 4 });
    expect(f.method).toBe('seasonal_naive');
    expect(f.forecast).toEqual([5, 5, 8, 20]);
    expect(f.meanAbsoluteError).toBe(0);
  });

  it('smooths noisy demand around a level rather than chasing the last month', () => {
    const f = forecastDemand([30, 10, 28, 12, 31, 9, 29, 11, 30, 10, 29, 12], { horizon: 1 });
    expect(['moving_average_3', 'exponential_smoothing']).toContain(f.method);
    expect(f.forecast[0]).toBeGreaterThan(15);
    expect(f.forecast[0]).toBeLessThan(25);
    expect(f.candidates.find((c) => c.method === 'naive')!.meanAbsoluteError).toBeGreaterThan(f.meanAbsoluteError!);
  });

  it('forecasts lumpy, intermittent demand as an average rate rather than the last month', () => {
    const f = forecastDemand([0, 0, 12, 0, 0, 12, 0, 0, 12, 0, 0, 12, 0, 0, 12], { horizon: 2 });
    expect(f.method).toBe('intermittent');
    // Orders of 12 every third month: 4 a month, less the Syntetos-Boylan correction of 10 %.
    expect(f.forecast[0]).toBeCloseTo(3.6, 6);
  });

  it('takes the mean of a history too short to compare methods, and says it could not backtest', () => {
    expect(forecastDemand([4, 8], { horizon: 2 })).toMatchObject({ forecast: [6, 6], meanAbsoluteError: null, backtestMonths: 0 });
    expect(forecastDemand([]).forecast).toEqual([0, 0, 0]);
  });

  it('refuses a negative or non-finite month, and a horizon out of range, naming them', () => {
    expect(() => forecastDemand([1, -2, 3])).toThrow('Month 1 of the demand history is -2');
    expect(() => forecastDemand([1, Number.NaN])).toThrow('Month 1');
    expect(() => forecastDemand([1, 2], { horizon: 0 })).toThrow('1 to 24 months, not 0');
  });

  it('never forecasts negative demand, always gives the horizon asked, and chooses the method that backtested best', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 0, maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (history, horizon) => {
        const f = forecastDemand(history, { horizon });
        expect(f.forecast).toHaveLength(horizon);
        for (const x of f.forecast) {
          expect(Number.isFinite(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
        }
        if (f.meanAbsoluteError !== null) for (const c of f.candidates) expect(f.meanAbsoluteError).toBeLessThanOrEqual(c.meanAbsoluteError + 1e-9);
        expect(forecastDemand(history, { horizon })).toEqual(f);
      }),
    );
  });

  it('scales with the demand: twice the history, twice the forecast', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 4, maxLength: 30 }), (history) => {
        const once = forecastDemand(history);
        const twice = forecastDemand(history.map((x) => 2 * x));
        expect(twice.method).toBe(once.method);
        for (const [i, x] of twice.forecast.entries()) expect(x).toBeCloseTo(2 * once.forecast[i]!, 6);
      }),
    );
  });
});

describe('replenishmentAdvice', () => {
  const steady = forecastDemand([30, 30, 30, 30, 30, 30]);

  it('says how long projected stock lasts, and raises nothing while it covers the lead time', () => {
    const advice = replenishmentAdvice(steady, { projected: 40, leadTimeDays: 14 });
    expect(advice.daysOfCover).toBeCloseTo(40.6, 1);
    expect(advice.leadTimeDemand).toBeCloseTo(13.8, 1);
    expect(advice).toMatchObject({ atRisk: false, suggestedQuantity: 0, safetyStock: 0 });
  });

  it('advises whole packs that cover the lead time, the safety stock and a month more when stock will run out first', () => {
    // 10 projected, 30 a month, 21 days lead time: 20.7 needed before it arrives; order 20.7 + 30 - 10 = 40.7, in packs of 12.
    const advice = replenishmentAdvice(steady, { projected: 10, leadTimeDays: 21, packMultiple: 12 });
    expect(advice.atRisk).toBe(true);
    expect(advice.suggestedQuantity).toBe(48);
  });

  it('adds safety stock for a forecast that has been wrong', () => {
    const noisy = forecastDemand([20, 40, 20, 40, 20, 40, 20, 40]);
    const advice = replenishmentAdvice(noisy, { projected: 0, leadTimeDays: 30 });
    expect(advice.safetyStock).toBeGreaterThan(0);
    expect(advice.suggestedQuantity).toBeGreaterThanOrEqual(Math.ceil(advice.leadTimeDemand + advice.safetyStock));
  });

  it('has no days of cover to give without demand, and is never at risk then', () => {
    expect(replenishmentAdvice(forecastDemand([0, 0, 0, 0, 0]), { projected: -3, leadTimeDays: 10 })).toMatchObject({
      daysOfCover: null,
      atRisk: false,
      suggestedQuantity: 0,
    });
  });
});
