import type { Actor, Aggregate, DomainError, Message } from '@dms/domain';
import { type Either, left, right } from 'fp-ts/Either';
import { MalformedEvent, WrongExpectedVersion } from './errors';
import { eventIdFor } from './ids';
import type { EventStore, GlobalPosition, RecordedEvent } from './port';

/** Who sends a command, and why: recorded in the metadata of every event it produces. */
export interface CommandContext {
  /** Unique per intent. Sending the same command id twice yields its events once. */
  readonly commandId: string;
  readonly actor: Actor;
  /** Groups everything one business process caused; defaults to the command id. */
  readonly correlationId?: string;
  /** The event or command that caused this one, if any. */
  readonly causationId?: string;
}

export interface CommandAccepted {
  readonly streamId: string;
  /** The stream's version after the command. */
  readonly streamVersion: number;
  /** Global position of the command's last event: pass it as `minPosition` to read your own write. */
  readonly position: GlobalPosition;
  readonly events: readonly RecordedEvent[];
  /** True when this command id had already been handled and its original events are returned. */
  readonly replayed: boolean;
}

export interface Loaded<S> {
  readonly state: S;
  /** -1 when the stream does not exist. */
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

/** Reads a stream and folds it, checking each event against the aggregate's schema. */
export const loadAggregate = async <C extends Message, E extends Message, S>(
  store: EventStore,
  aggregate: Aggregate<C, E, S>,
  streamId: string,
): Promise<Loaded<S>> => {
  let state = aggregate.decider.initialState;
  let version = -1;
  const events: RecordedEvent[] = [];
  for await (const recorded of store.readStream(streamId)) {
    const parsed = aggregate.eventSchema.safeParse({ type: recorded.type, data: recorded.data });
    if (!parsed.success)
      throw new MalformedEvent(streamId, recorded.streamVersion, recorded.type, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    state = aggregate.decider.evolve(state, parsed.data);
    version = recorded.streamVersion;
    events.push(recorded);
  }
  return { state, version, events };
};

export interface HandleOptions {
  /** Attempts after a concurrent write to the same stream. Default 5. */
  readonly maxRetries?: number;
}

/**
 * The one command handler: load the stream, fold, decide, append with the expected version; on a concurrent write,
 * reload and decide again (bounded). Idempotent by `commandId`: if the stream already holds events of this command,
 * they are returned and nothing is appended. A refused command returns `Left` and writes nothing.
 */
export const handleCommand = async <C extends Message, E extends Message, S>(
  store: EventStore,
  aggregate: Aggregate<C, E, S>,
  command: C,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<Either<DomainError, CommandAccepted>> => {
  const parsed = aggregate.commandSchema.safeParse(command);
  if (!parsed.success) {
    return left({
      code: 'INVALID_COMMAND',
      message: `${command.type} is invalid: ${parsed.error.issues.map((i) => `${['data', ...i.path.slice(1)].join('.')}: ${i.message}`).join('; ')}.`,
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const streamId = aggregate.streamOf(parsed.data);
  const maxRetries = options.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const { state, version, events: history } = await loadAggregate(store, aggregate, streamId);
    const earlier = history.filter((e) => e.metadata.commandId === context.commandId);
    if (earlier.length > 0) {
      const last = earlier.at(-1)!;
      return right({ streamId, streamVersion: last.streamVersion, position: last.globalPosition, events: earlier, replayed: true });
    }
    const decision = aggregate.decider.decide(parsed.data, state);
    if (decision._tag === 'Left') return decision;
    if (decision.right.length === 0) {
      return right({ streamId, streamVersion: version, position: history.at(-1)?.globalPosition ?? 0n, events: [], replayed: false });
    }
    const metadata = {
      correlationId: context.correlationId ?? context.commandId,
      causationId: context.causationId ?? null,
      commandId: context.commandId,
      actor: context.actor,
      schemaVersion: 1,
    };
    try {
      const appended = await store.appendToStream(
        streamId,
        decision.right.map((e, i) => ({ eventId: eventIdFor(context.commandId, i), type: e.type, data: e.data, metadata })),
        { expectedVersion: version === -1 ? 'no_stream' : version },
      );
      return right({ streamId, streamVersion: appended.streamVersion, position: appended.position, events: appended.events, replayed: false });
    } catch (error) {
      if (error instanceof WrongExpectedVersion && attempt < maxRetries) continue;
      throw error;
    }
  }
};
