import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { Text } from '../shared/text';

/** Intent, run by the command bus: reviews a placed order automatically (sent by the `order_review` policy). */
export const ReviewOrder = z.strictObject({
  type: z.literal('ReviewOrder'),
  data: z.strictObject({ orderId: Id, reviewedAt: IsoDateTime }),
});
export type ReviewOrder = z.infer<typeof ReviewOrder>;

/**
 * Intent, run by the command bus: a person approves an order waiting for review. The order takes its share of the
 * dealer's credit first; beyond the limit only with `overrideCreditLimit`.
 */
export const ApproveQueuedOrder = z.strictObject({
  type: z.literal('ApproveQueuedOrder'),
  data: z.strictObject({
    orderId: Id,
    note: Text(500).optional(),
    overrideCreditLimit: z.boolean().default(false),
    approvedAt: IsoDateTime,
  }),
});
export type ApproveQueuedOrder = z.infer<typeof ApproveQueuedOrder>;
