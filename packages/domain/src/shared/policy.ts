import type { Message } from './decider';

/** What a policy sees of an event: its payload and where it was recorded. */
export type PolicyEvent<E extends Message = Message> = E & {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
};

/**
 * A process manager as a pure function: an event in, the commands it causes out (e.g. `OrderApproved` -> reserve stock
 * for each line). The projection runner delivers the commands through the command bus with ids derived from the policy
 * name, the event id and the command's index, so a redelivered or replayed event never doubles an effect.
 * A command that needs more than the event to be decided (stock levels, agreements) is an intent the command bus
 * resolves by reading the streams it needs, as `placeOrder` does.
 */
export interface Policy<E extends Message = Message, C extends Message = Message> {
  readonly name: string;
  readonly eventTypes: readonly E['type'][];
  react(event: PolicyEvent<E>): readonly C[];
}

/**
 * The command id a policy's `index`-th command for an event is sent with. A service that carries a process on at once
 * (rather than waiting for the policy) sends the very command the policy would, under this id, so that the policy later
 * finds it done.
 */
export const policyCommandId = (policy: Pick<Policy, 'name'>, eventId: string, index: number): string => `${policy.name}:${eventId}:${index}`;
