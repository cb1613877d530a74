import { z } from 'zod';
import { Id, IsoDateTime } from '../shared/ids';
import { Money, PositiveMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';

export const PaymentMethod = z.enum(['bank_transfer', 'card', 'cheque', 'cash']);

const Allocations = z
  .array(z.strictObject({ orderId: Id, invoiceId: Id, amount: PositiveMoney, discount: Money.optional() }))
  .max(500, 'at most 500 invoices at once');

/**
 * Records a payment received from a dealer with the allocations decided for it (by `allocatePayment`, over the dealer's
 * open invoices as its orders' streams stand). Sent by the `ReceiveDealerPayment` service, in one unit with the payments
 * it records on those orders; what the allocations do not take becomes the dealer's credit.
 */
export const RecordDealerPayment = z.strictObject({
  type: z.literal('RecordDealerPayment'),
  data: z.strictObject({
    partnerId: Id,
    paymentId: Id,
    amount: PositiveMoney,
    receivedAt: IsoDateTime,
    method: PaymentMethod.default('bank_transfer'),
    reference: Text(80).optional(),
    allocations: Allocations,
  }),
});

/** Records part of the dealer's credit applied to its invoices (sent by `ApplyDealerCredit`, in one unit with the orders' payments). */
export const RecordDealerCreditApplication = z.strictObject({
  type: z.literal('RecordDealerCreditApplication'),
  data: z.strictObject({
    partnerId: Id,
    applicationId: Id,
    appliedAt: IsoDateTime,
    allocations: Allocations.min(1),
    reason: Text(200).optional(),
  }),
});

/** Pays part of the dealer's credit back to it. Refused when it is more than the credit. */
export const RefundDealerCredit = z.strictObject({
  type: z.literal('RefundDealerCredit'),
  data: z.strictObject({
    partnerId: Id,
    refundId: Id,
    amount: PositiveMoney,
    refundedAt: IsoDateTime,
    method: PaymentMethod.default('bank_transfer'),
    reference: Text(80).optional(),
  }),
});

/**
 * Gives one order's share of a recorded payment or application (`entryId`) back to the dealer's credit, because the order
 * refused it (`reason`). Sent by the dealer account's services only, when the account was written before its orders
 * (EventStoreDB) and an order then refused; a share already returned is left as it is, with nothing written.
 */
export const ReturnDealerAllocation = z.strictObject({
  type: z.literal('ReturnDealerAllocation'),
  /** `returnedAt`: the entry's own date (the share never left the credit). */
  data: z.strictObject({ partnerId: Id, entryId: Id, orderId: Id, returnedAt: IsoDateTime, reason: NonEmptyText(300) }),
});

export const DealerAccountCommand = z.discriminatedUnion('type', [
  RecordDealerPayment,
  RecordDealerCreditApplication,
  RefundDealerCredit,
  ReturnDealerAllocation,
]);
export type DealerAccountCommand = z.infer<typeof DealerAccountCommand>;

/** The payer's instruction: these invoices, in this order, each with the amount given or as much as is open on it. */
const NamedInvoiceList = z
  .array(z.strictObject({ invoiceId: Id, amount: PositiveMoney.optional() }))
  .min(1)
  .max(100);

/**
 * Intent, run by the command bus: money received from a dealer. It pays the dealer's open invoices across its orders,
 * oldest due first or the `invoices` named, by `allocatePayment`; each order records its share as a payment
 * (`PaymentRecorded`, with the dealer payment's id), and what is left is kept as the dealer's credit. One unit: all or nothing.
 */
export const ReceiveDealerPayment = z.strictObject({
  type: z.literal('ReceiveDealerPayment'),
  data: z.strictObject({
    partnerId: Id,
    paymentId: Id,
    amount: PositiveMoney,
    receivedAt: IsoDateTime,
    method: PaymentMethod.default('bank_transfer'),
    reference: Text(80).optional(),
    invoices: NamedInvoiceList.optional(),
  }),
});
export type ReceiveDealerPayment = z.infer<typeof ReceiveDealerPayment>;

/**
 * Intent, run by the command bus: applies the dealer's credit (all of it, or `amount`) to its open invoices, oldest due
 * first or the `invoices` named. With `whenAvailable` (how the `dealer_credit` policy sends it as a new invoice is cut),
 * a dealer with no credit or no open invoice is left as it is, with nothing written; without it, that is refused.
 */
export const ApplyDealerCredit = z.strictObject({
  type: z.literal('ApplyDealerCredit'),
  data: z
    .strictObject({
      partnerId: Id.optional(),
      /** The policy names the order whose invoice was cut; the dealer is that order's. */
      orderId: Id.optional(),
      applicationId: Id,
      appliedAt: IsoDateTime,
      amount: PositiveMoney.optional(),
      invoices: NamedInvoiceList.optional(),
      reason: NonEmptyText(200).optional(),
      whenAvailable: z.boolean().optional(),
    })
    .refine((d) => d.partnerId !== undefined || d.orderId !== undefined, { message: 'give partnerId or orderId', path: ['partnerId'] }),
});
export type ApplyDealerCredit = z.infer<typeof ApplyDealerCredit>;

/**
 * Intent, sent by the `dealer_allocation` policy for every payment and application the account records: completes the
 * unit that recorded it (`entryId`) should it have stopped after the account (EventStoreDB, a crash between the
 * appends): each order that has not recorded its share records it now, under the same event ids, or, when it refuses,
 * the share goes back to the credit (`ReturnDealerAllocation`). A complete unit (always, on PostgreSQL) writes nothing.
 */
export const CompleteDealerAllocation = z.strictObject({
  type: z.literal('CompleteDealerAllocation'),
  data: z.strictObject({ partnerId: Id, entryId: Id }),
});
export type CompleteDealerAllocation = z.infer<typeof CompleteDealerAllocation>;
