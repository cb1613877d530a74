import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { Currency, Money } from '../shared/money';
import { PromotionBenefit, PromotionTarget } from './commands';

export const PromotionCreated = z.object({
  type: z.literal('PromotionCreated'),
  data: z.object({
    promotionId: Id,
    name: z.string(),
    validFrom: IsoDateTime,
    validTo: IsoDateTime,
    currency: Currency,
    target: PromotionTarget,
    benefit: PromotionBenefit,
    budget: Money,
    createdAt: IsoDateTime,
  }),
});
export const PromotionEnded = z.object({
  type: z.literal('PromotionEnded'),
  data: z.object({ promotionId: Id, reason: z.string(), endedAt: IsoDateTime }),
});
/** `consumed`: the budget used after this order's discount, over every order. */
export const PromotionBudgetConsumed = z.object({
  type: z.literal('PromotionBudgetConsumed'),
  data: z.object({ promotionId: Id, orderId: Id, amount: Money, consumed: Money, consumedAt: IsoDateTime }),
});
/** `amount`: what the order had taken; `consumed`: the budget used after giving it back. */
export const PromotionBudgetReleased = z.object({
  type: z.literal('PromotionBudgetReleased'),
  data: z.object({ promotionId: Id, orderId: Id, amount: Money, consumed: Money, reason: z.string(), releasedAt: IsoDateTime }),
});
export const PromotionEvent = z.discriminatedUnion('type', [PromotionCreated, PromotionEnded, PromotionBudgetConsumed, PromotionBudgetReleased]);
export type PromotionEvent = z.infer<typeof PromotionEvent>;

export const PromotionRegistered = z.object({
  type: z.literal('PromotionRegistered'),
  data: z.object({ promotionId: Id, validFrom: IsoDateTime, validTo: IsoDateTime, registeredAt: IsoDateTime }),
});
export const PromotionRegistryEvent = z.discriminatedUnion('type', [PromotionRegistered]);
export type PromotionRegistryEvent = z.infer<typeof PromotionRegistryEvent>;
