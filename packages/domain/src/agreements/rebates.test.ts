import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money } from '../shared/money';
import { rebateFor, rebateProgress } from './rebates';
import type { RebateBand, RebateTerms } from './terms';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const bands: RebateBand[] = [
  { from: eur(0), rateBps: 0 },
  { from: eur(10_000_00), rateBps: 200 },
  { from: eur(25_000_00), rateBps: 300 },
];
const total: RebateTerms = { basis: 'band_total', bands };
const marginal: RebateTerms = { basis: 'band_marginal', bands };

describe('rebates by volume band', () => {
  it('band_total: the reached band pays its rate on the whole volume', () => {
    expect(rebateFor(eur(9_999_99), total)).toEqual({ amount: eur(0), band: 0, rateBps: 0 });
    expect(rebateFor(eur(10_000_00), total)).toEqual({ amount: eur(200_00), band: 1, rateBps: 200 });
    // 30,000.00 x 3 % = 900.00
    expect(rebateFor(eur(30_000_00), total)).toEqual({ amount: eur(900_00), band: 2, rateBps: 300 });
  });

  it('band_marginal: each band pays its rate on its own slice', () => {
    // 10,000.00 x 0 % + 15,000.00 x 2 % + 5,000.00 x 3 % = 300.00 + 150.00 = 450.00
    expect(rebateFor(eur(30_000_00), marginal)).toEqual({ amount: eur(450_00), band: 2, rateBps: 300 });
    expect(rebateFor(eur(10_000_00), marginal).amount).toEqual(eur(0));
  });

  it('rounds half up once, on the exact total', () => {
    // 10,000.25 x 2 % = 200.005 -> 200.01
    expect(rebateFor(eur(10_000_25), total).amount).toEqual(eur(200_01));
    // marginal: 0.25 x 2 % = 0.005 -> 0.01
    expect(rebateFor(eur(10_000_25), marginal).amount).toEqual(eur(1));
  });

  it('earns nothing on a volume of zero or less', () => {
    expect(rebateFor(eur(0), total).amount).toEqual(eur(0));
    expect(rebateFor(eur(-5_000_00), marginal).amount).toEqual(eur(0));
  });

  it('shows the way to the next band', () => {
    expect(rebateProgress(eur(8_000_00), total)).toMatchObject({
      band: 0,
      amount: eur(0),
      next: { band: 1, from: eur(10_000_00), rateBps: 200, remaining: eur(2_000_00), rebateAtStart: eur(200_00) },
    });
    expect(rebateProgress(eur(30_000_00), total).next).toBeNull();
  });

  const bandSets = fc
    .array(fc.record({ step: fc.integer({ min: 1, max: 5_000_000 }), rise: fc.integer({ min: 0, max: 800 }) }), { minLength: 0, maxLength: 6 })
    .chain((steps) =>
      fc.integer({ min: 0, max: 2_000 }).map((firstRate) => {
        const out: RebateBand[] = [{ from: eur(0), rateBps: firstRate }];
        for (const s of steps) {
          const last = out.at(-1)!;
          out.push({ from: eur(last.from.amountMinor + s.step), rateBps: Math.min(10_000, last.rateBps + s.rise) });
        }
        return out;
      }),
    );
  const volumes = fc.oneof(fc.integer({ min: -1_000_000, max: 40_000_000 }), fc.integer({ min: 0, max: 1_000_000_000_000 }));

  it('band_marginal never exceeds band_total for the same volume and bands', () => {
    fc.assert(
      fc.property(bandSets, volumes, (bs, v) => {
        const m = rebateFor(eur(v), { basis: 'band_marginal', bands: bs }).amount.amountMinor;
        const t = rebateFor(eur(v), { basis: 'band_total', bands: bs }).amount.amountMinor;
        expect(m).toBeLessThanOrEqual(t);
        expect(m).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('never falls as the volume grows, on either basis', () => {
    fc.assert(
      fc.property(bandSets, volumes, fc.nat({ max: 10_000_000 }), fc.constantFrom('band_total' as const, 'band_marginal' as const), (bs, v, more, basis) => {
        expect(rebateFor(eur(v + more), { basis, bands: bs }).amount.amountMinor).toBeGreaterThanOrEqual(
          rebateFor(eur(v), { basis, bands: bs }).amount.amountMinor,
        );
      }),
    );
  });
});
