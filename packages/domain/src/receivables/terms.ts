import { z } from 'zod';
import { NonNegativeMoney } from '../shared/money';

/**
 * When an agreement holds a dealer's new orders for a person because of what it owes (docs/receivables.md): more than
 * `daysOverdueAbove` days past due on any open invoice, or more than `overdueAmountAbove` overdue in all. Either or both.
 */
export const CreditHoldTerms = z
  .strictObject({
    daysOverdueAbove: z.number().int().min(0).max(365).optional(),
    overdueAmountAbove: NonNegativeMoney.optional(),
  })
  .refine((t) => t.daysOverdueAbove !== undefined || t.overdueAmountAbove !== undefined, 'give daysOverdueAbove, overdueAmountAbove or both');
export type CreditHoldTerms = z.infer<typeof CreditHoldTerms>;
