import type { Either } from 'fp-ts/Either';
import type { DomainError } from './errors';

/**
 * The shape every aggregate follows. `decide` is total: a refused command is a `Left`, never a throw.
 * Time, ids and the acting principal come in the command; a decider never reads a clock or makes an id.
 *
 * @example
 *   const state = events.reduce(orderDecider.evolve, orderDecider.initialState);
 *   const result = orderDecider.decide({ type: 'ApproveOrder', data: { ... } }, state);
 */
export interface Decider<C extends Message, E extends Message, S> {
  readonly initialState: S;
  decide(command: C, state: S): Either<DomainError, readonly E[]>;
  evolve(state: S, event: E): S;
}

/**
 * How an aggregate's state is kept as a snapshot: plain JSON, and back. `schema` names the JSON's shape and the
 * `evolve` that produced it; a snapshot of another schema is never used. `fromJson` answers null for JSON it does not
 * recognise, and the state is then folded from the events. A snapshot is a cache: deleting it changes no decision.
 */
export interface SnapshotCodec<S> {
  readonly schema: string;
  toJson(state: S): unknown;
  fromJson(json: unknown): S | null;
}

/** A command or an event: a type name and a JSON payload. */
export interface Message<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

export const fold = <E extends Message, S>(decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>, events: Iterable<E>): S => {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
