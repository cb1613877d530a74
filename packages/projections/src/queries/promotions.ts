import type { Money, PromotionBenefit, PromotionTarget } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { PromotionsTable, ReadModels } from '../schema';

export interface PromotionView {
  readonly promotionId: string;
  readonly name: string;
  readonly validFrom: string;
  /** Exclusive: the promotion's stated end. */
  readonly validTo: string;
  /** When it was ended early, with why; null otherwise. */
  readonly endedAt: string | null;
  readonly endReason: string | null;
  readonly currency: string;
  readonly target: PromotionTarget;
  readonly benefit: PromotionBenefit;
  readonly budget: Money;
  readonly consumed: Money;
  readonly remaining: Money;
  readonly createdAt: string;
}

export interface PromotionDetail extends PromotionView {
  /** The orders holding part of the budget, oldest first. */
  readonly orders: { readonly orderId: string; readonly amount: Money; readonly consumedAt: string }[];
}

const money = (amountMinor: number | string | bigint, currency: string): Money => ({ amountMinor: Number(amountMinor), currency });

const view = (p: PromotionsTable): PromotionView => ({
  promotionId: p.promotion_id,
  name: p.name,
  validFrom: p.valid_from,
  validTo: p.valid_to,
  endedAt: p.ended_at,
  endReason: p.end_reason,
  currency: p.currency,
  target: p.target as PromotionTarget,
  benefit: p.benefit as PromotionBenefit,
  budget: money(p.budget_minor, p.currency),
  consumed: money(p.consumed_minor, p.currency),
  remaining: money(Number(p.budget_minor) - Number(p.consumed_minor), p.currency),
  createdAt: p.created_at,
});

const end = (p: PromotionsTable) => (p.ended_at !== null && Date.parse(p.ended_at) < Date.parse(p.valid_to) ? p.ended_at : p.valid_to);

/**
 * The promotions, newest start first; with `active`, only those in force at that instant (started, not yet ended).
 *
 * @example
 *   await listPromotions(db, { active: '2026-03-10T09:00:00Z' });
 */
export const listPromotions = async (db: Kysely<ReadModels>, filter: { readonly active?: string | undefined } = {}): Promise<PromotionView[]> => {
  const rows = await db.selectFrom('promotions').selectAll().orderBy('valid_from', 'desc').orderBy('promotion_id').execute();
  const at = filter.active === undefined ? undefined : Date.parse(filter.active);
  return (at === undefined ? rows : rows.filter((p) => Date.parse(p.valid_from) <= at && at < Date.parse(end(p)))).map(view);
};

/** One promotion with the orders holding its budget; undefined when there is none. */
export const getPromotion = async (db: Kysely<ReadModels>, promotionId: string): Promise<PromotionDetail | undefined> => {
  const row = await db.selectFrom('promotions').selectAll().where('promotion_id', '=', promotionId).executeTakeFirst();
  if (!row) return undefined;
  const orders = await db
    .selectFrom('promotion_orders')
    .selectAll()
    .where('promotion_id', '=', promotionId)
    .orderBy('consumed_at')
    .orderBy('order_id')
    .execute();
  return { ...view(row), orders: orders.map((o) => ({ orderId: o.order_id, amount: money(o.amount_minor, row.currency), consumedAt: o.consumed_at })) };
};
