import type { SettlementBasis } from '../agreements/terms';
import type { OrderEvent } from '../orders/events';
import { add, divideRoundHalfUp, type Money, subtract, zero } from '../shared/money';
import type { RevenueSource } from './commands';

/** An order's billing up to and including one of its billing events. */
export interface BillingSoFar {
  /** What the invoices and credit notes say the dealer owes and is owed back, and what it paid: gross (tax included). */
  readonly invoiced: Money;
  readonly credited: Money;
  readonly paid: Money;
  /**
   * The net parts of `invoiced` and `credited` (tax excluded), where they differ: revenue is shared on net amounts, tax is
   * never revenue. Absent (the same as the gross) on untaxed orders.
   */
  readonly invoicedNet?: Money;
  readonly creditedNet?: Money;
  /**
   * Early-payment discounts allowed by the payments so far (gross): settled, as cash is, though no cash came. Absent when none.
   */
  readonly discounted?: Money;
  /**
   * The net part of those discounts on an order whose region's discounts reduce the taxable amount (the payments'
   * `discountTax` shares): revenue given up, as a credit note's net is. Absent where discounts are a finance cost (the
   * invoice's revenue stands) or none was allowed.
   */
  readonly discountedNet?: Money;
  /** When the source event happened. */
  readonly at: string;
}

const sourceOf = (event: OrderEvent): { kind: RevenueSource['kind']; id: string; at: string } | undefined => {
  switch (event.type) {
    case 'OrderInvoiced':
    case 'ShipmentInvoiced':
      return { kind: 'invoice', id: event.data.invoiceId, at: event.data.invoicedAt };
    case 'PaymentRecorded':
      return { kind: 'payment', id: event.data.paymentId, at: event.data.paidAt };
    case 'CreditNoteIssued':
      return { kind: 'credit_note', id: event.data.creditNoteId, at: event.data.issuedAt };
    default:
      return undefined;
  }
};

/**
 * Folds an order's events up to and including `source`, so that a split is computed from the billing as it stood at that
 * moment however late the split is recorded. Undefined when the order has no such billing event.
 */
export const billingThrough = (events: readonly OrderEvent[], currency: string, source: RevenueSource): BillingSoFar | undefined => {
  let invoiced = zero(currency);
  let credited = zero(currency);
  let paid = zero(currency);
  let invoicedNet = zero(currency);
  let creditedNet = zero(currency);
  let discounted = zero(currency);
  let discountedNet = zero(currency);
  let taxed = false;
  for (const event of events) {
    if (event.type === 'OrderInvoiced' || event.type === 'ShipmentInvoiced') {
      invoiced = add(invoiced, event.data.amount);
      invoicedNet = add(invoicedNet, event.data.net ?? event.data.amount);
      taxed ||= event.data.net !== undefined;
    }
    if (event.type === 'CreditNoteIssued') {
      credited = add(credited, event.data.amount);
      creditedNet = add(creditedNet, event.data.net ?? event.data.amount);
    }
    if (event.type === 'PaymentRecorded') {
      paid = add(paid, event.data.amount);
      for (const a of event.data.allocations ?? []) {
        if (a.discount) discounted = add(discounted, a.discount);
        for (const share of a.discountTax ?? []) discountedNet = add(discountedNet, share.net);
      }
    }
    const s = sourceOf(event);
    if (s && s.kind === source.kind && s.id === source.id)
      return {
        invoiced,
        credited,
        paid,
        ...(taxed ? { invoicedNet, creditedNet } : {}),
        ...(discounted.amountMinor !== 0 ? { discounted } : {}),
        ...(discountedNet.amountMinor !== 0 ? { discountedNet } : {}),
        at: s.at,
      };
  }
  return undefined;
};

/**
 * What an order has earned so far, always net of tax. `on_invoice`: invoiced less credited. `on_payment`: the net part of what
 * has been settled (a payment settles the gross invoice with its cash and any early-payment discount allowed; the net part
 * is `settled x net invoiced / gross invoiced`, rounded half up), but never more than invoiced less credited (a credit note
 * after payment is a refund, and reverses revenue). Where a discount reduces the taxable amount (docs/tax.md), its net part
 * is revenue given up under either basis; where it is a finance cost, the invoice's revenue stands once it is settled.
 */
export const recognizedRevenue = (basis: SettlementBasis, billing: BillingSoFar): Money => {
  const currency = billing.invoiced.currency;
  const givenUp = billing.discountedNet ?? zero(currency);
  const net = subtract(subtract(billing.invoicedNet ?? billing.invoiced, billing.creditedNet ?? billing.credited), givenUp);
  const settled = add(billing.paid, billing.discounted ?? zero(currency));
  const settledNet =
    billing.invoicedNet && billing.invoiced.amountMinor > 0
      ? {
          amountMinor: Number(divideRoundHalfUp(BigInt(settled.amountMinor) * BigInt(billing.invoicedNet.amountMinor), BigInt(billing.invoiced.amountMinor))),
          currency,
        }
      : settled;
  const paid = subtract(settledNet, givenUp);
  const earned = basis === 'on_invoice' ? net : paid.amountMinor < net.amountMinor ? paid : net;
  return earned.amountMinor > 0 ? earned : zero(currency);
};
