import type { Money } from '../api/client';

/**
 * A line's net amount as the API prices it (quantity x unit price, less the discount, rounded half up to the minor unit),
 * for the cart's estimate before the order is placed; the placed order's own figures are what counts.
 */
export const lineNet = (unitPrice: Money, quantity: number, discountBps: number): Money => {
  const scaled = BigInt(unitPrice.amountMinor) * BigInt(quantity) * BigInt(10_000 - discountBps);
  const net = (scaled * 2n + 10_000n) / 20_000n;
  return { amountMinor: Number(net), currency: unitPrice.currency };
};

/** Sums amounts of one currency; an empty list sums to zero of `currency`. */
export const sum = (amounts: readonly Money[], currency: string): Money => ({
  amountMinor: amounts.reduce((total, m) => total + m.amountMinor, 0),
  currency,
});
