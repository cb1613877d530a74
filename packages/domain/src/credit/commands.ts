import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { NonNegativeMoney } from '../shared/money';
import { NonEmptyText } from '../shared/text';

/**
 * Raises what an order holds of its dealer's credit to `amount`. Refused when the dealer's exposure would then exceed
 * `limit`, unless `allowOverLimit` (a person approved the order knowingly, or it was approved before it was reserved).
 */
export const ReserveCredit = z.strictObject({
  type: z.literal('ReserveCredit'),
  data: z.strictObject({
    partnerId: Id,
    orderId: Id,
    amount: NonNegativeMoney,
    limit: NonNegativeMoney,
    allowOverLimit: z.boolean(),
    reason: NonEmptyText(200),
    reservedAt: IsoDateTime,
  }),
});

/** Lowers what an order holds to `remaining`: it was paid, credited, rejected or cancelled. */
export const ReleaseCredit = z.strictObject({
  type: z.literal('ReleaseCredit'),
  data: z.strictObject({ partnerId: Id, orderId: Id, remaining: NonNegativeMoney, reason: NonEmptyText(200), releasedAt: IsoDateTime }),
});

export const CreditCommand = z.discriminatedUnion('type', [ReserveCredit, ReleaseCredit]);
export type CreditCommand = z.infer<typeof CreditCommand>;

/**
 * Intent, run by the command bus: brings an order's reservation in line with the order as it stands now (approved and
 * not yet paid: its total less credits and payments; otherwise nothing). Sent by the `order_credit` policy.
 */
export const SyncOrderCredit = z.strictObject({
  type: z.literal('SyncOrderCredit'),
  data: z.strictObject({ orderId: Id, reason: NonEmptyText(200), at: IsoDateTime }),
});
export type SyncOrderCredit = z.infer<typeof SyncOrderCredit>;
