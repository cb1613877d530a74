import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';

/** One reason an order could not be approved automatically: a stable code, a sentence for the reviewer, and the figures. */
export const ReviewReason = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string().min(1).max(1000),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ReviewReason = z.infer<typeof ReviewReason>;

/** Automated review could not approve the order: it waits for a person, with every failed check listed. */
export const QueueOrderForReview = z.strictObject({
  type: z.literal('QueueOrderForReview'),
  data: z.strictObject({ orderId: Id, reasons: z.array(ReviewReason).min(1).max(20), queuedAt: IsoDateTime }),
});

export const OrderQueuedForReview = z.object({
  type: z.literal('OrderQueuedForReview'),
  data: z.object({ orderId: Id, reasons: z.array(ReviewReason), queuedAt: IsoDateTime }),
});
