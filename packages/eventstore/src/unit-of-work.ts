import type { Aggregate, DomainError, Message } from '@dms/domain';
import { type Either, right } from 'fp-ts/Either';
import type { CommandAccepted, CommandContext, Loaded } from './command-handler';
import { invalidCommand, metadataFor } from './command-handler';
import { WrongExpectedVersion } from './errors';
import { eventIdFor } from './ids';
import type { AppendResult, EventStore, StreamAppend } from './port';

/**
 * A command that spans streams (approving an order reserves its dealer's credit) commits all its events or none.
 *
 * Every part is decided first, on streams read before anything is written: a refusal anywhere writes nothing. Then:
 * - stores that append to several streams in one transaction (memory, PostgreSQL, PGlite: `appendToStreams`) commit
 *   every part at once, each against its own expected version;
 * - on EventStoreDB, which cannot, the parts run as a process with compensation: one stream after another, and when a
 *   part fails, the parts already written are undone, latest first, by their `undo` (a command that re-decides on the
 *   stream as it is then, such as releasing the credit reserved). Every part's events carry ids derived from the command
 *   id, so a retry of the same command (the same Idempotency-Key, or a policy's redelivery after a crash) finds the parts
 *   already written, skips them, and completes the rest. See docs/eventstoredb.md.
 */
export interface UnitPart extends StreamAppend {
  /** Undoes this part once written, should a later part fail (process with compensation; never used on PostgreSQL). */
  readonly undo?: () => Promise<unknown>;
  /** Set when the part has nothing to write: its command already wrote to the stream (replayed), or decided no events. */
  readonly done?: CommandAccepted;
}

/** Writes every part of a unit, all or none (see above); each part's result in order. */
export const commitUnitOfWork = async (store: EventStore, parts: readonly UnitPart[]): Promise<AppendResult[]> => {
  const pending = parts.filter((p) => !p.done);
  const written = new Map<UnitPart, AppendResult>();
  if (store.appendToStreams) {
    if (pending.length > 0) for (const [i, r] of (await store.appendToStreams(pending)).entries()) written.set(pending[i]!, r);
  } else {
    const undoable: UnitPart[] = [];
    try {
      for (const part of pending) {
        written.set(part, await store.appendToStream(part.streamId, part.events, part));
        undoable.push(part);
      }
    } catch (error) {
      for (const part of undoable.reverse()) {
        // A compensation that fails too is left to the retry (see above); the caller hears of the first failure.
        await part.undo?.().catch(() => undefined);
      }
      throw error;
    }
  }
  return parts.map((p) => written.get(p) ?? asAppendResult(p.done!));
};

const asAppendResult = (done: CommandAccepted): AppendResult => ({ streamVersion: done.streamVersion, position: done.position, events: done.events });

/** A part's outcome as a command result. */
export const partAccepted = (part: UnitPart, result: AppendResult): CommandAccepted =>
  part.done ?? {
    streamId: part.streamId,
    streamVersion: result.streamVersion,
    position: result.position,
    events: result.events,
    replayed: result.repeated === true,
  };

/**
 * Decides one part of a unit: the command against a stream as loaded. Right(part) with the events to append, or with
 * `done` set when this command id already wrote to the stream; Left when the domain refuses.
 */
export const decidePart = <C extends Message, E extends Message, S>(
  aggregate: Aggregate<C, E, S>,
  loaded: Loaded<S>,
  command: C,
  context: CommandContext,
  undo?: () => Promise<unknown>,
): Either<DomainError, UnitPart> => {
  const parsed = aggregate.commandSchema.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const streamId = aggregate.streamOf(parsed.data);
  const earlier = loaded.events.filter((e) => e.metadata.commandId === context.commandId);
  const last = earlier.at(-1);
  if (last)
    return right({
      streamId,
      events: [],
      done: { streamId, streamVersion: last.streamVersion, position: last.globalPosition, events: earlier, replayed: true },
    });
  const decision = aggregate.decider.decide(parsed.data, loaded.state);
  if (decision._tag === 'Left') return decision;
  // Nothing to change in this stream: the part is complete as it stands.
  if (decision.right.length === 0)
    return right({
      streamId,
      events: [],
      done: { streamId, streamVersion: loaded.version, position: loaded.events.at(-1)?.globalPosition ?? 0n, events: [], replayed: false },
    });
  const metadata = metadataFor(context);
  return right({
    streamId,
    events: decision.right.map((e, i) => ({ eventId: eventIdFor(context.commandId, i), type: e.type, data: e.data, metadata })),
    expectedVersion: loaded.version === -1 ? 'no_stream' : loaded.version,
    ...(undo ? { undo } : {}),
  });
};

/**
 * Runs `attempt` (read every stream, decide every part, commit the unit) again when another writer moved one of its
 * streams in between, a bounded number of times.
 */
export const retryUnit = async <T>(attempt: () => Promise<Either<DomainError, T>>, attempts = 10): Promise<Either<DomainError, T>> => {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || n >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 4 * 2 ** n)));
    }
  }
};
