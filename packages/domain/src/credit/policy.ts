import type { OrderEvent } from '../orders/events';
import type { ExistingOrder } from '../orders/state';
import { type Money, subtract, zero } from '../shared/money';
import type { Policy } from '../shared/policy';
import type { SyncOrderCredit } from './commands';

/**
 * What an order should hold of its dealer's credit: while approved or confirmed, its gross total (what the dealer will owe) less credit notes, payments and early-payment discounts
 * (an unbilled open order, then an unpaid invoice); nothing once rejected, cancelled or paid, or before it is approved.
 */
export const creditTarget = (order: ExistingOrder): Money => {
  if (order.lifecycle !== 'approved' && order.lifecycle !== 'confirmed') return zero(order.currency);
  const open = subtract(subtract(subtract(order.gross, order.credited), order.paid), order.discounted);
  return open.amountMinor > 0 ? open : zero(order.currency);
};

/** Why and when an order event changes what the order should hold, or undefined for events that do not. */
const trigger = (event: OrderEvent): { reason: string; at: string } | undefined => {
  switch (event.type) {
    case 'OrderApproved':
      return { reason: 'order approved', at: event.data.approvedAt };
    case 'OrderRejected':
      return { reason: 'order rejected', at: event.data.rejectedAt };
    case 'OrderCancelled':
      return { reason: 'order cancelled', at: event.data.cancelledAt };
    case 'PaymentRecorded':
      return { reason: `payment ${event.data.paymentId} received`, at: event.data.paidAt };
    case 'CreditNoteIssued':
      return { reason: `credit note ${event.data.creditNoteId} issued`, at: event.data.issuedAt };
    default:
      return undefined;
  }
};

/** Keeps every dealer's credit exposure in step with its orders: each of these events re-syncs the order's reservation. */
export const orderCreditPolicy: Policy<OrderEvent, SyncOrderCredit> = {
  name: 'order_credit',
  eventTypes: ['OrderApproved', 'OrderRejected', 'OrderCancelled', 'PaymentRecorded', 'CreditNoteIssued'],
  react: (event) => {
    const t = trigger(event);
    return t ? [{ type: 'SyncOrderCredit', data: { orderId: event.data.orderId, ...t } }] : [];
  },
};
