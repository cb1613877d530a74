import type { OrderEvent } from '../orders/events';
import type { Policy } from '../shared/policy';
import type { ReviewOrder } from './intents';

/** Every placed order is reviewed automatically, as of the moment it was placed. */
export const orderReviewPolicy: Policy<OrderEvent, ReviewOrder> = {
  name: 'order_review',
  eventTypes: ['OrderPlaced'],
  react: (event) => (event.type === 'OrderPlaced' ? [{ type: 'ReviewOrder', data: { orderId: event.data.orderId, reviewedAt: event.data.placedAt } }] : []),
};
