import { type Money, subtract } from '../shared/money';
import type { ExistingOrder } from './state';

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

export const outstanding = (order: ExistingOrder): Money =>
  order.invoice ? subtract(subtract(order.invoice.amount, order.credited), order.paid) : { amountMinor: 0, currency: order.currency };

export const orderProgress = (order: ExistingOrder): OrderProgress => ({
  lifecycle: order.lifecycle,
  ordered: order.lines.reduce((a, l) => a + l.quantity, 0),
  shipped: order.lines.reduce((a, l) => a + l.shipped, 0),
  delivered: order.lines.reduce((a, l) => a + l.delivered, 0),
  invoiced: order.invoice !== undefined,
  outstandingMinor: outstanding(order).amountMinor,
});

export const orderStatus = (order: ExistingOrder): OrderStatus => deriveOrderStatus(orderProgress(order));
