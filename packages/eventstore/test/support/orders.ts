import { randomUUID } from 'node:crypto';
import { type Actor, fold, type OrderCommand, type OrderEvent, orderDecider } from '@dms/domain';
import type { EventStore } from '../../src/port';

/**
 * Records an order's life in a store as the command path would: each command decided by the domain's order decider on
 * the events so far, appended to `order-<id>` by `actor`. Returns the events; `afterEach` runs after each command's append
 * (to move a test clock on, for example).
 */
export const recordOrder = async (
  store: EventStore,
  orderId: string,
  commands: readonly OrderCommand[],
  actor: Actor,
  afterEach: () => void = () => {},
): Promise<OrderEvent[]> => {
  const events: OrderEvent[] = [];
  for (const command of commands) {
    const decided = orderDecider.decide(command, fold(orderDecider, events));
    if (decided._tag === 'Left') throw new Error(`${command.type}: ${decided.left.message}`);
    await store.appendToStream(
      `order-${orderId}`,
      decided.right.map((e) => ({
        eventId: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: { correlationId: randomUUID(), actor, schemaVersion: 1 },
      })),
    );
    events.push(...decided.right);
    afterEach();
  }
  return events;
};
