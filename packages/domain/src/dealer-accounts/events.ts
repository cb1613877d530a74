import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { Money } from '../shared/money';

/** One invoice's share of a dealer's payment or credit: the order and invoice, the cash, and any early-payment discount it allowed. */
export const AccountAllocation = z.object({
  orderId: Id,
  invoiceId: Id,
  amount: Money,
  discount: Money.optional(),
});
export type AccountAllocation = z.infer<typeof AccountAllocation>;

/**
 * Money received from a dealer (one bank transfer, say), allocated to its open invoices across its orders; what no invoice
 * took (`unapplied`) is kept as the dealer's credit. `credit` is the dealer's credit after it.
 */
export const DealerPaymentReceived = z.object({
  type: z.literal('DealerPaymentReceived'),
  data: z.object({
    partnerId: Id,
    paymentId: Id,
    amount: Money,
    receivedAt: IsoDateTime,
    method: z.string(),
    reference: z.string().optional(),
    allocations: z.array(AccountAllocation),
    unapplied: Money,
    credit: Money,
  }),
});

/** Part of a dealer's credit applied to its open invoices; `amount` is what the allocations took, `credit` what is left. */
export const DealerCreditApplied = z.object({
  type: z.literal('DealerCreditApplied'),
  data: z.object({
    partnerId: Id,
    applicationId: Id,
    appliedAt: IsoDateTime,
    amount: Money,
    allocations: z.array(AccountAllocation),
    credit: Money,
    reason: z.string().optional(),
  }),
});

/** Part of a dealer's credit paid back to it; `credit` is what is left. */
export const DealerCreditRefunded = z.object({
  type: z.literal('DealerCreditRefunded'),
  data: z.object({
    partnerId: Id,
    refundId: Id,
    amount: Money,
    refundedAt: IsoDateTime,
    method: z.string(),
    reference: z.string().optional(),
    credit: Money,
  }),
});

/**
 * One order's share of a payment or an application (`entryId`) that the order refused after the account had recorded it
 * (on EventStoreDB the account is written before the orders: the order was paid by hand in between, say): the share
 * goes back to the dealer's credit, `allocations` are the invoices it would have paid (they stay open), `amount` their
 * cash, `reason` the order's refusal. Recorded at most once per entry and order; `returnedAt` is the entry's own date.
 */
export const DealerAllocationReturned = z.object({
  type: z.literal('DealerAllocationReturned'),
  data: z.object({
    partnerId: Id,
    entryId: Id,
    orderId: Id,
    returnedAt: IsoDateTime,
    amount: Money,
    allocations: z.array(AccountAllocation),
    reason: z.string(),
    credit: Money,
  }),
});

export const DealerAccountEvent = z.discriminatedUnion('type', [DealerPaymentReceived, DealerCreditApplied, DealerCreditRefunded, DealerAllocationReturned]);
export type DealerAccountEvent = z.infer<typeof DealerAccountEvent>;
