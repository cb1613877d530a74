import { owedByDueDate } from '../kpis/receivables';
import type { PayableInvoice } from '../receivables/payment-terms';
import { dateOf } from '../shared/calendar';
import { type Money, subtract, sum } from '../shared/money';
import type { ExistingOrder, InvoiceState } from './state';

/**
 * The status a person sees, derived from the lifecycle and from fulfilment and billing progress together:
 * `placed`, `approved`, `rejected`, `cancelled`, `confirmed`, `partially_shipped`, `shipped`, `delivered`, `invoiced`, `paid`.
 */
export type OrderStatus = 'placed' | 'approved' | 'rejected' | 'cancelled' | 'confirmed' | 'partially_shipped' | 'shipped' | 'delivered' | 'invoiced' | 'paid';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'placed',
  'approved',
  'rejected',
  'cancelled',
  'confirmed',
  'partially_shipped',
  'shipped',
  'delivered',
  'invoiced',
  'paid',
];

export interface OrderProgress {
  readonly lifecycle: ExistingOrder['lifecycle'];
  readonly ordered: number;
  readonly shipped: number;
  readonly delivered: number;
  readonly invoiced: boolean;
  /** Invoice amount less credits less payments; zero or less means nothing is owed. */
  readonly outstandingMinor: number;
}

/** Pure status rule shared by the aggregate and the read model, so both always agree. */
export const deriveOrderStatus = (p: OrderProgress): OrderStatus => {
  if (p.lifecycle !== 'confirmed') return p.lifecycle;
  if (p.invoiced) return p.outstandingMinor <= 0 ? 'paid' : 'invoiced';
  if (p.delivered >= p.ordered) return 'delivered';
  if (p.shipped >= p.ordered) return 'shipped';
  if (p.shipped > 0) return 'partially_shipped';
  return 'confirmed';
};

/** Everything invoiced, less credit notes, payments and early-payment discounts; zero before the first invoice. */
export const outstanding = (order: ExistingOrder): Money => {
  if (order.invoices.size === 0) return { amountMinor: 0, currency: order.currency };
  const invoiced = sum(
    order.currency,
    [...order.invoices.values()].map((i) => i.amount),
  );
  return subtract(subtract(subtract(invoiced, order.credited), order.paid), order.discounted);
};

/**
 * What is open on one invoice of the order: on the whole-order invoice, the order's outstanding (every credit note counts
 * against it, as before invoicing per shipment); on a shipment's invoice, its amount less what was paid, allowed and
 * credited against it.
 */
export const invoiceOpen = (order: ExistingOrder, invoice: InvoiceState): Money =>
  order.invoice?.invoiceId === invoice.invoiceId
    ? outstanding(order)
    : subtract(subtract(subtract(invoice.amount, invoice.paid), invoice.discounted), invoice.credited);

const invoiceDates = (i: InvoiceState) => ({ dueOn: i.dueDate, invoicedMinor: i.amount.amountMinor });

/**
 * The order's invoices with something open on them, as payment allocation sees them (`allocatePayment`): what is open,
 * and the early-payment discount while the invoice is untouched (nothing paid, allowed or credited on it yet).
 */
export const payableInvoices = (order: ExistingOrder): PayableInvoice[] =>
  [...order.invoices.values()].flatMap((i): PayableInvoice[] => {
    const open = invoiceOpen(order, i);
    if (open.amountMinor <= 0) return [];
    const untouched = i.paid.amountMinor === 0 && i.discounted.amountMinor === 0 && open.amountMinor === i.amount.amountMinor;
    return [
      {
        invoiceId: i.invoiceId,
        invoicedOn: dateOf(i.invoicedAt),
        // With instalments, its oldest instalment still owed (what is settled pays them oldest first): paid first among invoices.
        dueOn:
          owedByDueDate(
            i.instalments
              ? { ...invoiceDates(i), instalments: i.instalments.map((x) => ({ dueOn: x.dueOn, amountMinor: x.amount.amountMinor })) }
              : invoiceDates(i),
            open.amountMinor,
          )[0]?.dueOn ?? i.dueDate,
        open,
        ...(i.earlyPayment && untouched ? { earlyPayment: i.earlyPayment } : {}),
      },
    ];
  });

/** Whether the order has been invoiced in full: its one invoice, or every line's whole quantity by shipment invoices. */
export const fullyInvoiced = (order: ExistingOrder): boolean =>
  order.invoice !== undefined || (order.invoices.size > 0 && order.lines.every((l) => l.invoiced === l.quantity));

export const orderProgress = (order: ExistingOrder): OrderProgress => ({
  lifecycle: order.lifecycle,
  ordered: order.lines.reduce((a, l) => a + l.quantity, 0),
  shipped: order.lines.reduce((a, l) => a + l.shipped, 0),
  delivered: order.lines.reduce((a, l) => a + l.delivered, 0),
  invoiced: fullyInvoiced(order),
  outstandingMinor: outstanding(order).amountMinor,
});

export const orderStatus = (order: ExistingOrder): OrderStatus => deriveOrderStatus(orderProgress(order));
