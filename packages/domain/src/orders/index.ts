import type { Decider } from '../shared/decider';
import type { OrderCommand } from './commands';
import { decideOrder } from './decide';
import type { OrderEvent } from './events';
import { evolveOrder, initialOrderState, type OrderState } from './state';

export * from './commands';
export { decideOrder } from './decide';
export * from './events';
export * from './pricing';
export * from './review';
export * from './state';
export * from './status';
export { fullyReserved, unallocatedLines } from './stock';

export const orderStream = (orderId: string): string => `order-${orderId}`;

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
};
