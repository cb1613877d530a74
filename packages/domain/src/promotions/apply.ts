import { allocate, divideRoundHalfUp, lineNet, type Money, subtract, sum } from '../shared/money';
import type { PromotionTarget } from './commands';
import { type ExistingPromotion, promotionInForce, remainingBudget } from './promotion';

/** A promotion applied to an order line: `kind` `line` (the line's promotion) or `order` (its share of an order threshold). */
export interface AppliedPromotion {
  readonly promotionId: string;
  readonly kind: 'line' | 'order';
  readonly discount: Money;
}

export interface PromotableLine {
  readonly lineNo: number;
  readonly sku: string;
  readonly category: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly discountBps: number;
}

export interface PromotionOrder {
  readonly partnerId: string;
  readonly tier: string;
  readonly region: string;
  readonly currency: string;
  readonly placedAt: string;
}

export interface PromotionOutcome {
  /** The promotions of each line, by line number (lines without any are absent). */
  readonly lines: ReadonlyMap<number, readonly AppliedPromotion[]>;
  /** What the order takes from each promotion's budget. */
  readonly consumed: ReadonlyMap<string, Money>;
}

const matches = (list: readonly string[] | undefined, value: string) => list === undefined || list.includes(value);

const forDealer = (t: PromotionTarget, o: PromotionOrder) => matches(t.tiers, o.tier) && matches(t.regions, o.region) && matches(t.partnerIds, o.partnerId);
const forLine = (t: PromotionTarget, l: PromotableLine) => matches(t.categories, l.category) && matches(t.skus, l.sku);

const money = (amountMinor: bigint, currency: string): Money => ({ amountMinor: Number(amountMinor), currency });

/** The discount a line promotion gives on a line worth `base` (its net amount before promotions); zero when none. */
export const lineDiscount = (p: ExistingPromotion, line: PromotableLine, base: Money): Money => {
  const b = BigInt(base.amountMinor);
  switch (p.benefit.kind) {
    case 'percent_off':
      return money(divideRoundHalfUp(b * BigInt(p.benefit.bps), 10_000n), base.currency);
    case 'amount_off': {
      const off = BigInt(p.benefit.amountPerUnit.amountMinor) * BigInt(line.quantity);
      return money(off < b ? off : b, base.currency);
    }
    case 'buy_n_get_m': {
      const { buy, free } = p.benefit;
      const freeUnits = Math.floor(line.quantity / (buy + free)) * free;
      return money(divideRoundHalfUp(b * BigInt(freeUnits), BigInt(line.quantity)), base.currency);
    }
    case 'order_threshold':
      return money(0n, base.currency);
  }
};

/** The better of two candidates for the dealer: the larger discount; on a tie, the promotion whose id sorts first. */
const better = (a: AppliedPromotion | undefined, b: AppliedPromotion): AppliedPromotion =>
  !a || b.discount.amountMinor > a.discount.amountMinor || (b.discount.amountMinor === a.discount.amountMinor && b.promotionId < a.promotionId) ? b : a;

/**
 * Applies promotions to an order's lines. The combination rule (docs/pricing.md):
 *
 * 1. **Line promotions** (percent off, amount off, buy N get M): each line gets at most one, the one that takes the most off
 *    its net amount (ties: the lower promotion id), among those in force at `placedAt`, in the order's currency, targeting
 *    the dealer and the line, whose remaining budget covers that line's whole discount (lines are taken in line order, each
 *    using what the lines before it left of a budget).
 * 2. **Order thresholds**: then at most one for the order, the one that takes the most off, among those whose matching lines
 *    come to at least `minimum` after line promotions and whose remaining budget covers the discount. Its discount (bps of
 *    the matching lines' value rounded half up, or the amount, capped at that value) is shared among the matching lines in
 *    proportion to their value by the largest-remainder method, so the shares add up exactly.
 *
 * A promotion that would take nothing off is not applied. Every amount is integer minor units.
 */
export const applyPromotions = (order: PromotionOrder, lines: readonly PromotableLine[], promotions: readonly ExistingPromotion[]): PromotionOutcome => {
  const usable = promotions.filter((p) => p.currency === order.currency && promotionInForce(p, order.placedAt) && forDealer(p.target, order));
  const left = new Map(usable.map((p) => [p.promotionId, BigInt(remainingBudget(p).amountMinor)]));
  const applied = new Map<number, AppliedPromotion[]>();
  const after = new Map<number, Money>();
  for (const line of lines) {
    const base = lineNet(line.unitPrice, line.quantity, line.discountBps);
    let best: AppliedPromotion | undefined;
    for (const p of usable) {
      if (p.benefit.kind === 'order_threshold' || !forLine(p.target, line)) continue;
      const discount = lineDiscount(p, line, base);
      if (discount.amountMinor <= 0 || BigInt(discount.amountMinor) > (left.get(p.promotionId) ?? 0n)) continue;
      best = better(best, { promotionId: p.promotionId, kind: 'line', discount });
    }
    if (best) {
      left.set(best.promotionId, (left.get(best.promotionId) ?? 0n) - BigInt(best.discount.amountMinor));
      applied.set(line.lineNo, [best]);
    }
    after.set(line.lineNo, best ? subtract(base, best.discount) : base);
  }
  let threshold: { promotion: ExistingPromotion; discount: Money; matching: PromotableLine[] } | undefined;
  for (const p of usable) {
    if (p.benefit.kind !== 'order_threshold') continue;
    const matching = lines.filter((l) => forLine(p.target, l) && (after.get(l.lineNo)?.amountMinor ?? 0) > 0);
    if (matching.length === 0) continue;
    const value = sum(
      order.currency,
      matching.map((l) => after.get(l.lineNo)!),
    );
    if (value.amountMinor < p.benefit.minimum.amountMinor) continue;
    const v = BigInt(value.amountMinor);
    const off = p.benefit.bps !== undefined ? divideRoundHalfUp(v * BigInt(p.benefit.bps), 10_000n) : BigInt(p.benefit.amount!.amountMinor);
    const discount = off < v ? off : v;
    if (discount <= 0n || discount > (left.get(p.promotionId) ?? 0n)) continue;
    const candidate = { promotionId: p.promotionId, kind: 'order' as const, discount: money(discount, order.currency) };
    if (!threshold || better({ promotionId: threshold.promotion.promotionId, kind: 'order', discount: threshold.discount }, candidate) === candidate)
      threshold = { promotion: p, discount: candidate.discount, matching };
  }
  const consumed = new Map<string, Money>();
  const take = (a: AppliedPromotion) => {
    const before = consumed.get(a.promotionId);
    consumed.set(a.promotionId, money(BigInt(before?.amountMinor ?? 0) + BigInt(a.discount.amountMinor), order.currency));
  };
  for (const list of applied.values()) for (const a of list) take(a);
  if (threshold) {
    const { promotion, discount, matching } = threshold;
    const shares = allocate(
      discount,
      matching.map((l) => after.get(l.lineNo)!.amountMinor),
    );
    for (const [i, l] of matching.entries()) {
      const share = shares[i]!;
      if (share.amountMinor === 0) continue;
      const a: AppliedPromotion = { promotionId: promotion.promotionId, kind: 'order', discount: share };
      applied.set(l.lineNo, [...(applied.get(l.lineNo) ?? []), a]);
    }
    take({ promotionId: promotion.promotionId, kind: 'order', discount });
  }
  return { lines: applied, consumed };
};

/** What an order's lines take from each promotion's budget: the sum of their discounts per promotion, in promotion id order. */
export const promotionConsumption = (
  currency: string,
  lines: readonly { readonly promotions?: readonly { readonly promotionId: string; readonly discount: Money }[] }[],
): Array<[string, Money]> => {
  const totals = new Map<string, bigint>();
  for (const l of lines) for (const p of l.promotions ?? []) totals.set(p.promotionId, (totals.get(p.promotionId) ?? 0n) + BigInt(p.discount.amountMinor));
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, amount]) => [id, money(amount, currency)]);
};
