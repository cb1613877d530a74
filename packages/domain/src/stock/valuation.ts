import { divideRoundHalfUp, type Money } from '../shared/money';

/**
 * Moving-average valuation kept as a total, never as a rounded unit cost: the stock holds `onHand` units worth `value`
 * minor units. Goods coming in add their exact cost; goods going out take their share `value x quantity / onHand`,
 * rounded half up once, and the last unit out takes whatever value is left. So the value is always exactly the sum of
 * the movements at cost, it is zero when nothing is on hand, and `value / onHand` is the moving-average unit cost.
 *
 * Costs follow the order in which movements are recorded, not their business dates: a movement entered late (back-dated)
 * is costed at the average when it is recorded, and never reprices goods that moved before it was entered.
 */

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** The value of `quantity` units leaving a stock of `onHand` units worth `value`. Requires 0 < quantity <= onHand. */
export const costOfIssue = (onHand: number, value: number, quantity: number): number => {
  if (quantity <= 0 || quantity > onHand) throw new RangeError(`cannot issue ${quantity} of ${onHand} on hand`);
  if (quantity === onHand) return value;
  return Number(divideRoundHalfUp(BigInt(value) * BigInt(quantity), BigInt(onHand)));
};

/** `unitCost x quantity` exactly, or undefined when it cannot be represented. */
export const costOfReceipt = (unitCost: Money, quantity: number): number | undefined => {
  const v = BigInt(unitCost.amountMinor) * BigInt(quantity);
  return v > MAX ? undefined : Number(v);
};

/** Adds values, or undefined when the sum cannot be represented exactly. */
export const addValues = (...values: number[]): number | undefined => {
  const v = values.reduce((a, x) => a + BigInt(x), 0n);
  return v > MAX || v < -MAX ? undefined : Number(v);
};

/** Moving-average unit cost in minor units, rounded half up for display; null when nothing is on hand. */
export const averageUnitCost = (onHand: number, value: number): number | null => (onHand > 0 ? Number(divideRoundHalfUp(BigInt(value), BigInt(onHand))) : null);

/**
 * The value of the next `quantity` units received of a transfer of `total` units worth `value`, of which `receivedSoFar`
 * have arrived: cumulative shares, so however the transfer is received in parts, the parts add up to exactly its value.
 */
export const transferShare = (value: number, total: number, receivedSoFar: number, quantity: number): number => {
  const upTo = (n: number) => divideRoundHalfUp(BigInt(value) * BigInt(n), BigInt(total));
  return Number(upTo(receivedSoFar + quantity) - upTo(receivedSoFar));
};
