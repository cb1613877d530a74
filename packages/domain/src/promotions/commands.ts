import { z } from 'zod';
import { RegionId, TierId } from '../partners/commands';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { Currency, PositiveMoney } from '../shared/money';
import { NonEmptyText } from '../shared/text';

const Ids = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1).max(200).optional();

/**
 * Who and what a promotion is for. Every dimension given must match (an absent one matches everything): the dealer's tier,
 * region and id, and the line's product category and SKU. An order-value threshold counts only the lines its category and
 * SKU lists match.
 */
export const PromotionTarget = z.strictObject({
  tiers: Ids(TierId),
  regions: Ids(RegionId),
  partnerIds: Ids(Id),
  categories: Ids(Id),
  skus: Ids(Sku),
});
export type PromotionTarget = z.infer<typeof PromotionTarget>;

/**
 * What a promotion gives:
 * - `percent_off`: `bps` basis points off a line's net amount;
 * - `amount_off`: `amountPerUnit` off each unit of a line (never more than the line's net amount);
 * - `buy_n_get_m`: of every `buy + free` units on a line, `free` are free (their share of the line's net amount is taken off);
 * - `order_threshold`: once the matching lines of an order come to `minimum` (after line promotions), `bps` basis points or
 *   `amount` off their value, shared among them in proportion to their value.
 */
export const PromotionBenefit = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent_off'), bps: z.number().int().min(1).max(10_000) }),
  z.strictObject({ kind: z.literal('amount_off'), amountPerUnit: PositiveMoney }),
  z.strictObject({ kind: z.literal('buy_n_get_m'), buy: z.number().int().min(1).max(1000), free: z.number().int().min(1).max(1000) }),
  z
    .strictObject({
      kind: z.literal('order_threshold'),
      minimum: PositiveMoney,
      bps: z.number().int().min(1).max(10_000).optional(),
      amount: PositiveMoney.optional(),
    })
    .refine((b) => (b.bps === undefined) !== (b.amount === undefined), 'an order threshold gives either bps or amount off, exactly one'),
]);
export type PromotionBenefit = z.infer<typeof PromotionBenefit>;

export const CreatePromotion = z.strictObject({
  type: z.literal('CreatePromotion'),
  data: z.strictObject({
    promotionId: Id,
    name: NonEmptyText(120),
    validFrom: IsoDateTime,
    validTo: IsoDateTime,
    currency: Currency,
    target: PromotionTarget,
    benefit: PromotionBenefit,
    /** The most this promotion may give away, over every order, in `currency`. */
    budget: PositiveMoney,
    createdAt: IsoDateTime,
  }),
});

/** Ends a promotion early: from `endedAt` no new order gets it; what orders already received stays theirs. */
export const EndPromotion = z.strictObject({
  type: z.literal('EndPromotion'),
  data: z.strictObject({ promotionId: Id, reason: NonEmptyText(500), endedAt: IsoDateTime }),
});

/** Takes an order's discount out of the promotion's budget (sent by placing the order, in the same unit of work). */
export const ConsumePromotionBudget = z.strictObject({
  type: z.literal('ConsumePromotionBudget'),
  data: z.strictObject({ promotionId: Id, orderId: Id, amount: PositiveMoney, consumedAt: IsoDateTime }),
});

/** Gives an order's discount back to the budget (the order was rejected or cancelled). */
export const ReleasePromotionBudget = z.strictObject({
  type: z.literal('ReleasePromotionBudget'),
  data: z.strictObject({ promotionId: Id, orderId: Id, reason: NonEmptyText(500), releasedAt: IsoDateTime }),
});

export const PromotionCommand = z.discriminatedUnion('type', [CreatePromotion, EndPromotion, ConsumePromotionBudget, ReleasePromotionBudget]);
export type PromotionCommand = z.infer<typeof PromotionCommand>;
export type CreatePromotion = z.infer<typeof CreatePromotion>;

/** Lists a promotion where placing an order finds it (`promotionregistry-manufacturer`). */
export const RegisterPromotion = z.strictObject({
  type: z.literal('RegisterPromotion'),
  data: z.strictObject({ promotionId: Id, validFrom: IsoDateTime, validTo: IsoDateTime, registeredAt: IsoDateTime }),
});
export const PromotionRegistryCommand = z.discriminatedUnion('type', [RegisterPromotion]);
export type PromotionRegistryCommand = z.infer<typeof PromotionRegistryCommand>;

/** Releases what a rejected or cancelled order took from the budgets of its promotions (an intent: it reads the order). */
export const ReleaseOrderPromotions = z.strictObject({
  type: z.literal('ReleaseOrderPromotions'),
  data: z.strictObject({ orderId: Id, reason: NonEmptyText(500), releasedAt: IsoDateTime }),
});
export type ReleaseOrderPromotions = z.infer<typeof ReleaseOrderPromotions>;
