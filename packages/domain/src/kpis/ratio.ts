/** Rounds `numerator / denominator` half away from zero, in integers (bigint): no float ever touches the figure. */
const roundedQuotient = (numerator: bigint, denominator: bigint): bigint => {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
};

/**
 * `part / whole` in basis points (10000 = 100 %), rounded half away from zero; null when `whole` is zero (nothing to
 * compare with). Integers in, an integer out.
 * @example ratioBps(1, 3) // 3333
 */
export const ratioBps = (part: bigint | number, whole: bigint | number): number | null => {
  const w = BigInt(whole);
  if (w === 0n) return null;
  return Number(roundedQuotient(BigInt(part) * 10_000n, w));
};

/** Growth from `previous` to `current` in basis points: +2500 is 25 % more; null when `previous` is zero. */
export const growthBps = (current: bigint | number, previous: bigint | number): number | null => ratioBps(BigInt(current) - BigInt(previous), previous);

/**
 * `numerator / denominator` with `decimals` decimal places (half away from zero), for figures such as days that read
 * best as a decimal; null when `denominator` is zero.
 * @example decimalQuotient(10, 3, 1) // 3.3
 */
export const decimalQuotient = (numerator: bigint | number, denominator: bigint | number, decimals: number): number | null => {
  const d = BigInt(denominator);
  if (d === 0n) return null;
  const scale = 10n ** BigInt(decimals);
  return Number(roundedQuotient(BigInt(numerator) * scale, d)) / Number(scale);
};
