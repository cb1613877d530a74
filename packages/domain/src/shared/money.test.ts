import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, allocate, divideRoundHalfUp, formatMoney, lineNet, type Money, money, negate, proportion, subtract, sum, trySum } from './money';

const eur = (amountMinor: number): Money => money(amountMinor, 'EUR');
const big = (n: number) => BigInt(n);
const abs = (n: bigint) => (n < 0n ? -n : n);

const anyTotal = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.maxSafeInteger());
const weights = fc
  .array(fc.oneof(fc.nat({ max: 10 }), fc.nat({ max: 1_000_000 }), fc.maxSafeNat()), { minLength: 1, maxLength: 12 })
  .filter((ws) => ws.some((w) => w > 0));

describe('allocate (largest remainder)', () => {
  it('splits 100.00 three ways as 33.34, 33.33, 33.33: the leftover cent goes to the first of equal claims', () => {
    expect(allocate(eur(100_00), [1, 1, 1]).map((m) => m.amountMinor)).toEqual([33_34, 33_33, 33_33]);
  });

  it('mirrors a negative total', () => {
    expect(allocate(eur(-100_00), [1, 1, 1]).map((m) => m.amountMinor)).toEqual([-33_34, -33_33, -33_33]);
  });

  it('gives nothing to a zero weight', () => {
    expect(allocate(eur(10), [0, 3, 0, 1]).map((m) => m.amountMinor)).toEqual([0, 8, 0, 2]);
  });

  it('refuses weights it cannot split by', () => {
    expect(() => allocate(eur(10), [])).toThrow(RangeError);
    expect(() => allocate(eur(10), [0, 0])).toThrow(RangeError);
    expect(() => allocate(eur(10), [1, -1])).toThrow(RangeError);
    expect(() => allocate(eur(10), [1.5])).toThrow(RangeError);
  });

  it('always sums exactly to the total, in its currency', () => {
    fc.assert(
      fc.property(anyTotal, weights, (total, ws) => {
        const parts = allocate(eur(total), ws);
        expect(parts).toHaveLength(ws.length);
        expect(sum('EUR', parts)).toEqual(eur(total));
      }),
    );
  });

  it('gives every part its exact share to within one minor unit', () => {
    fc.assert(
      fc.property(anyTotal, weights, (total, ws) => {
        const weightSum = ws.reduce((a, w) => a + big(w), 0n);
        allocate(eur(total), ws).forEach((part, i) => {
          // |part - total * w / weightSum| < 1, in integers
          expect(abs(big(part.amountMinor) * weightSum - big(total) * big(ws[i] as number)) < weightSum).toBe(true);
        });
      }),
    );
  });

  it('breaks ties deterministically: equal weights get parts that differ by at most one unit, the larger first', () => {
    fc.assert(
      fc.property(anyTotal, weights, (total, ws) => {
        const parts = allocate(eur(total), ws).map((m) => Math.abs(m.amountMinor));
        for (let i = 0; i < ws.length; i++) {
          for (let j = i + 1; j < ws.length; j++) {
            if (ws[i] !== ws[j]) continue;
            expect((parts[i] as number) - (parts[j] as number)).toBeGreaterThanOrEqual(0);
            expect((parts[i] as number) - (parts[j] as number)).toBeLessThanOrEqual(1);
          }
        }
        expect(allocate(eur(total), ws)).toEqual(allocate(eur(total), [...ws]));
      }),
    );
  });

  it('splits a negative total as the mirror image of its absolute value', () => {
    fc.assert(
      fc.property(anyTotal, weights, (total, ws) => {
        expect(allocate(eur(-total), ws)).toEqual(allocate(eur(total), ws).map(negate));
      }),
    );
  });
});

describe('lineNet', () => {
  const unitPrice = fc.nat({ max: 100_000_000 });
  const quantity = fc.integer({ min: 1, max: 1_000_000 });
  const discount = fc.oneof(fc.constantFrom(0, 1, 5_000, 9_999, 10_000), fc.integer({ min: 0, max: 10_000 }));

  it('never exceeds the gross amount and is never negative', () => {
    fc.assert(
      fc.property(unitPrice, quantity, discount, (price, q, bps) => {
        const net = lineNet(eur(price), q, bps).amountMinor;
        expect(net).toBeLessThanOrEqual(price * q);
        expect(net).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('is the exact discounted amount rounded half up, once', () => {
    fc.assert(
      fc.property(unitPrice, quantity, discount, (price, q, bps) => {
        const net = big(lineNet(eur(price), q, bps).amountMinor);
        const exactTimes10k = big(price) * big(q) * big(10_000 - bps);
        // net - 1/2 <= exact < net + 1/2
        expect(2n * exactTimes10k >= (2n * net - 1n) * 10_000n && 2n * exactTimes10k < (2n * net + 1n) * 10_000n).toBe(true);
      }),
    );
  });

  it('is the gross amount without a discount, and zero at 100 %', () => {
    fc.assert(
      fc.property(unitPrice, quantity, (price, q) => {
        expect(lineNet(eur(price), q, 0)).toEqual(eur(price * q));
        expect(lineNet(eur(price), q, 10_000)).toEqual(eur(0));
      }),
    );
  });

  it('throws rather than lose precision on an amount too large to represent', () => {
    expect(() => lineNet(eur(Number.MAX_SAFE_INTEGER), 2, 0)).toThrow(RangeError);
  });
});

describe('proportion', () => {
  /** A whole of some units cut into slices of at least one unit each. */
  const slices = fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 20 });

  it('cumulative slices add up to exactly the total, whatever the cut', () => {
    fc.assert(
      fc.property(anyTotal, slices, (total, cut) => {
        const whole = cut.reduce((a, s) => a + s, 0);
        let done = 0;
        const shares = cut.map((slice) => {
          const share = subtract(proportion(eur(total), done + slice, whole), proportion(eur(total), done, whole));
          done += slice;
          return share;
        });
        expect(sum('EUR', shares)).toEqual(eur(total));
      }),
    );
  });

  it('gives each slice its exact share to within one minor unit', () => {
    fc.assert(
      fc.property(anyTotal, slices, (total, cut) => {
        const whole = cut.reduce((a, s) => a + s, 0);
        let done = 0;
        for (const slice of cut) {
          const share = big(subtract(proportion(eur(total), done + slice, whole), proportion(eur(total), done, whole)).amountMinor);
          expect(abs(share * big(whole) - big(total) * big(slice)) < big(whole)).toBe(true);
          done += slice;
        }
      }),
    );
  });

  it('rounds half up, and the whole is the total', () => {
    expect(proportion(eur(1_00), 1, 8)).toEqual(eur(13)); // 12.5 -> 13
    expect(proportion(eur(33_32), 1, 3)).toEqual(eur(11_11));
    expect(proportion(eur(33_32), 3, 3)).toEqual(eur(33_32));
    expect(() => proportion(eur(1_00), 1, 0)).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and sums in one currency, and refuses to mix currencies', () => {
    expect(add(eur(1_50), eur(2_25))).toEqual(eur(3_75));
    expect(subtract(eur(1_50), eur(2_25))).toEqual(eur(-75));
    expect(sum('EUR', [])).toEqual(eur(0));
    expect(() => add(eur(1), money(1, 'USD'))).toThrow(RangeError);
    expect(() => sum('EUR', [eur(1), money(1, 'USD')])).toThrow(RangeError);
  });

  it('never produces an amount it cannot represent exactly', () => {
    expect(() => add(eur(Number.MAX_SAFE_INTEGER), eur(1))).toThrow(RangeError);
    expect(trySum('EUR', [eur(Number.MAX_SAFE_INTEGER), eur(1)])).toMatchObject({ left: { code: 'AMOUNT_TOO_LARGE' } });
    expect(trySum('EUR', [eur(1), money(1, 'USD')])).toMatchObject({ left: { code: 'CURRENCY_MISMATCH' } });
    expect(trySum('EUR', [eur(1), eur(2)])).toEqual({ _tag: 'Right', right: eur(3) });
  });

  it('negates without producing a negative zero', () => {
    expect(Object.is(negate(eur(0)).amountMinor, 0)).toBe(true);
    expect(negate(eur(5))).toEqual(eur(-5));
  });

  it('rounds a rational half away from zero', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('formats minor units with a thousands separator', () => {
    expect(formatMoney(eur(1_234_567_89))).toBe('1,234,567.89 EUR');
    expect(formatMoney(eur(-5))).toBe('-0.05 EUR');
    expect(formatMoney(money(1_500, 'JPY'), 0)).toBe('1,500 JPY');
  });
});
