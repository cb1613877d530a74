import type { OrderEvent } from '../orders/events';
import type { Policy } from '../shared/policy';
import type { ReleaseOrderPromotions } from './commands';

/** A rejected or cancelled order gives back what it took from the budgets of its promotions. */
export const promotionBudgetPolicy: Policy<OrderEvent, ReleaseOrderPromotions> = {
  name: 'promotion-budget',
  eventTypes: ['OrderRejected', 'OrderCancelled'],
  react(event) {
    switch (event.type) {
      case 'OrderRejected':
        return [
          {
            type: 'ReleaseOrderPromotions',
            data: { orderId: event.data.orderId, reason: `order rejected: ${event.data.reason}`.slice(0, 500), releasedAt: event.data.rejectedAt },
          },
        ];
      case 'OrderCancelled':
        return [
          {
            type: 'ReleaseOrderPromotions',
            data: { orderId: event.data.orderId, reason: `order cancelled: ${event.data.reason}`.slice(0, 500), releasedAt: event.data.cancelledAt },
          },
        ];
      default:
        return [];
    }
  },
};
