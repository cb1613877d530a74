import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { Money } from '../shared/money';

export const CreditReserved = z.object({
  type: z.literal('CreditReserved'),
  data: z.object({
    partnerId: Id,
    orderId: Id,
    /** The increase. */
    amount: Money,
    /** What the order holds after it. */
    orderReserved: Money,
    /** The dealer's exposure (unpaid invoices + unbilled open orders) after it. */
    exposure: Money,
    limit: Money,
    /** True when the exposure now exceeds the limit: a person approved it knowingly. */
    overLimit: z.boolean(),
    reason: z.string(),
    reservedAt: IsoDateTime,
  }),
});

export const CreditReleased = z.object({
  type: z.literal('CreditReleased'),
  data: z.object({ partnerId: Id, orderId: Id, amount: Money, orderReserved: Money, exposure: Money, reason: z.string(), releasedAt: IsoDateTime }),
});

export const CreditEvent = z.discriminatedUnion('type', [CreditReserved, CreditReleased]);
export type CreditEvent = z.infer<typeof CreditEvent>;
