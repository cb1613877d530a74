/** The reorder policy of one warehouse and SKU. */
export interface ReorderPolicy {
  /** Reorder point: projected stock at or below it raises a low-stock alert. */
  readonly min: number;
  /** Order up to this level. */
  readonly max: number;
  readonly packMultiple: number;
  readonly leadTimeDays: number;
}

export interface StockQuantities {
  readonly onHand: number;
  readonly reserved: number;
  readonly backordered: number;
  readonly incoming: number;
}

/** `onHand - reserved`: what can still be promised. Never below zero. */
export const availableQuantity = (q: StockQuantities): number => q.onHand - q.reserved;

/**
 * `onHand + incoming - reserved - backordered`: what will be left for new demand once everything on its way has arrived
 * and every order already taken (reserved or waiting on a backorder) has been served. Negative when backorders exceed
 * what is on hand and on its way.
 */
export const projectedQuantity = (q: StockQuantities): number => q.onHand + q.incoming - q.reserved - q.backordered;

export interface ReorderSuggestion {
  /** Projected stock is at or below the reorder point. */
  readonly low: boolean;
  /** Units to order now: 0 when not low. */
  readonly quantity: number;
}

/**
 * When projected stock is at or below `min`, order enough whole packs to bring it up to `max`: the largest number of
 * packs that does not overshoot `max`, unless that would leave projected stock still at or below `min` (packs larger than
 * the gap between min and max); then the fewest packs that lift it above `min`. Always at least one pack.
 *
 * @example
 *   suggestReorder(3, { min: 5, max: 20, packMultiple: 6, leadTimeDays: 7 }) // { low: true, quantity: 12 }: 3 + 12 = 15 <= 20
 *   suggestReorder(5, { min: 5, max: 8, packMultiple: 10, leadTimeDays: 7 }) // { low: true, quantity: 10 }: one pack, above min
 */
export const suggestReorder = (projected: number, policy: ReorderPolicy): ReorderSuggestion => {
  if (projected > policy.min) return { low: false, quantity: 0 };
  const pack = policy.packMultiple;
  const upToMax = Math.floor((policy.max - projected) / pack) * pack;
  if (upToMax > 0 && projected + upToMax > policy.min) return { low: true, quantity: upToMax };
  const aboveMin = Math.ceil((policy.min + 1 - projected) / pack) * pack;
  return { low: true, quantity: Math.max(pack, aboveMin) };
};
