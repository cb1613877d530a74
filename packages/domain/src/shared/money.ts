import { type Either, left, right } from 'fp-ts/Either';
import { z } from 'zod';
import { type DomainError, domainError } from './errors';

/** ISO-4217 alphabetic code. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as EUR');
export type Currency = z.infer<typeof Currency>;

/** Money is an integer amount of minor units (cents) and a currency. Never a float. */
export const Money = z.object({
  amountMinor: z.number().int().refine(Number.isSafeInteger, 'must be a safe integer'),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

/** Money that must be zero or more. */
export const NonNegativeMoney = Money.refine((m) => m.amountMinor >= 0, { message: 'must not be negative', path: ['amountMinor'] });
/** Money that must be more than zero. */
export const PositiveMoney = Money.refine((m) => m.amountMinor > 0, { message: 'must be more than zero', path: ['amountMinor'] });

/** Basis points: 1 bp = 0.01 %, 10000 = 100 %. */
export const BasisPoints = z.number().int().min(0).max(10_000);
export type BasisPoints = z.infer<typeof BasisPoints>;

export const money = (amountMinor: number, currency: Currency): Money => ({ amountMinor, currency });
export const zero = (currency: Currency): Money => ({ amountMinor: 0, currency });

const toSafe = (value: bigint, what: string): number => {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} exceeds the largest amount DMS can represent exactly (${Number.MAX_SAFE_INTEGER} minor units)`);
  }
  return Number(value);
};

const sameCurrency = (a: Money, b: Money): void => {
  if (a.currency !== b.currency) throw new RangeError(`cannot combine ${a.currency} with ${b.currency}`);
};

/** Sum of amounts in one currency. Throws on mixed currencies (a programming error once inputs are validated). */
export const add = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return { amountMinor: toSafe(BigInt(a.amountMinor) + BigInt(b.amountMinor), 'sum'), currency: a.currency };
};

export const subtract = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return { amountMinor: toSafe(BigInt(a.amountMinor) - BigInt(b.amountMinor), 'difference'), currency: a.currency };
};

export const negate = (a: Money): Money => ({ amountMinor: a.amountMinor === 0 ? 0 : -a.amountMinor, currency: a.currency });

export const sum = (currency: Currency, amounts: Iterable<Money>): Money => {
  let total = 0n;
  for (const m of amounts) {
    if (m.currency !== currency) throw new RangeError(`cannot combine ${currency} with ${m.currency}`);
    total += BigInt(m.amountMinor);
  }
  return { amountMinor: toSafe(total, 'sum'), currency };
};

/** Checked variant of `sum` for untrusted input: a value, not a throw. */
export const trySum = (currency: Currency, amounts: readonly Money[]): Either<DomainError, Money> => {
  const foreign = amounts.find((m) => m.currency !== currency);
  if (foreign) {
    return left(
      domainError('CURRENCY_MISMATCH', `All amounts must be in ${currency}; found ${foreign.currency}.`, { expected: currency, found: foreign.currency }),
    );
  }
  try {
    return right(sum(currency, amounts));
  } catch (error) {
    return left(domainError('AMOUNT_TOO_LARGE', (error as Error).message));
  }
};

/** Rounds a non-negative rational n/d half up, exactly. */
export const divideRoundHalfUp = (numerator: bigint, denominator: bigint): bigint => {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (n * 2n + denominator) / (2n * denominator);
  return negative ? -q : q;
};

/**
 * Net amount of `quantity` units at `unitPrice` less a discount in basis points, rounded half up to the minor unit once,
 * on the line total (never per unit, which would lose cents on large quantities).
 */
export const lineNet = (unitPrice: Money, quantity: number, discountBps: number): Money => {
  const gross = BigInt(unitPrice.amountMinor) * BigInt(quantity);
  const net = divideRoundHalfUp(gross * BigInt(10_000 - discountBps), 10_000n);
  return { amountMinor: toSafe(net, 'line amount'), currency: unitPrice.currency };
};

/**
 * The part of `total` that corresponds to `part` out of `whole` units, so that the parts of successive slices add up to
 * exactly `total` when computed cumulatively: `proportion(t, a+b, w) - proportion(t, a, w)` is the share of slice b.
 */
export const proportion = (total: Money, part: number, whole: number): Money => {
  if (whole <= 0) throw new RangeError('whole must be positive');
  return { amountMinor: toSafe(divideRoundHalfUp(BigInt(total.amountMinor) * BigInt(part), BigInt(whole)), 'share'), currency: total.currency };
};

/**
 * Splits `total` into parts proportional to non-negative integer `weights`, with the largest-remainder method: every part
 * is the floor of its exact share, and the minor units left over go to the largest remainders, ties to the lower index.
 * The parts always sum exactly to `total`. A negative total is split as the mirror image of its absolute value.
 */
export const allocate = (total: Money, weights: readonly number[]): Money[] => {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative safe integers');
  const weightSum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (weightSum === 0n) throw new RangeError('at least one weight must be positive');
  const negative = total.amountMinor < 0;
  const amount = BigInt(Math.abs(total.amountMinor));
  const floors = weights.map((w) => (amount * BigInt(w)) / weightSum);
  const remainders = weights.map((w, i) => ({ i, r: (amount * BigInt(w)) % weightSum }));
  let leftover = amount - floors.reduce((a, f) => a + f, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (leftover === 0n) break;
    floors[i] = (floors[i] as bigint) + 1n;
    leftover -= 1n;
  }
  return floors.map((f) => ({ amountMinor: toSafe(negative ? -f : f, 'share') || 0, currency: total.currency }));
};

export const formatMoney = (m: Money, minorDigits = 2): string => {
  const negative = m.amountMinor < 0;
  const abs = BigInt(Math.abs(m.amountMinor));
  const unit = 10n ** BigInt(minorDigits);
  const major = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const minor = minorDigits > 0 ? `.${(abs % unit).toString().padStart(minorDigits, '0')}` : '';
  return `${negative ? '-' : ''}${major}${minor} ${m.currency}`;
};
