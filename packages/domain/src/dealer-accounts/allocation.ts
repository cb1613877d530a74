import { type Either, right } from 'fp-ts/Either';
import type { ExistingOrder } from '../orders/state';
import { payableInvoices } from '../orders/status';
import { allocatePayment, type NamedInvoices } from '../receivables/payment-terms';
import type { DomainError } from '../shared/errors';
import { type Money, sum } from '../shared/money';
import type { AccountAllocation } from './events';

export interface DealerAllocation {
  readonly allocations: readonly AccountAllocation[];
  /** What no invoice took: the dealer's credit grows by it. */
  readonly unapplied: Money;
}

/**
 * Allocates `amount` (a payment received on `on`, or credit applied then) to the open invoices of a dealer's `orders`, by
 * `allocatePayment`: oldest due first across every order, or the invoices `named` in the payer's order. Each allocation
 * names its order. Refused as `allocatePayment` refuses (an invoice named twice or not open, more stated than is open or
 * than the amount), and nothing is allocated then.
 */
export const allocateAcrossOrders = (
  amount: Money,
  on: string,
  orders: readonly ExistingOrder[],
  named?: NamedInvoices,
): Either<DomainError, DealerAllocation> => {
  const orderOf = new Map<string, string>();
  const payable = orders.flatMap((order) =>
    payableInvoices(order).map((invoice) => {
      orderOf.set(invoice.invoiceId, order.orderId);
      return invoice;
    }),
  );
  const allocated = allocatePayment(amount, on, payable, named);
  if (allocated._tag === 'Left') return allocated;
  return right({
    allocations: allocated.right.allocations.map((a) => ({ orderId: orderOf.get(a.invoiceId)!, ...a })),
    unapplied: allocated.right.unapplied,
  });
};

/** One order's share of a dealer's payment or credit: the cash it records, and the invoices it pays with how much each. */
export interface OrderShare {
  readonly orderId: string;
  readonly amount: Money;
  readonly invoices: readonly { readonly invoiceId: string; readonly amount: Money }[];
}

/** The allocations grouped by order, in the order the allocations first name each: what each order records as a payment. */
export const sharesByOrder = (allocations: readonly AccountAllocation[]): OrderShare[] => {
  const byOrder = new Map<string, AccountAllocation[]>();
  for (const a of allocations) byOrder.set(a.orderId, [...(byOrder.get(a.orderId) ?? []), a]);
  return [...byOrder].map(([orderId, list]) => ({
    orderId,
    amount: sum(
      list[0]!.amount.currency,
      list.map((a) => a.amount),
    ),
    invoices: list.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
  }));
};
