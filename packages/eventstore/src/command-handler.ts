import type { Actor, Aggregate, DomainError, Message } from '@dms/domain';
import { type Either, left, right } from 'fp-ts/Either';
import type { z } from 'zod';
import { IdempotencyConflict, WrongExpectedVersion } from './errors';
import { eventIdFor } from './ids';
import { type Loaded, loadAggregate, loadLatest } from './load';
import type { EventStore, GlobalPosition, RecordedEvent } from './port';

export { type Loaded, loadAggregate };

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

/** A command that failed its schema, as the domain error every service returns for it (each issue named by its path). */
export const invalidCommand = (type: string, error: z.ZodError): Either<DomainError, never> =>
  left({
    code: 'INVALID_COMMAND',
    message: `${type} is invalid: ${error.issues.map((i) => `${['data', ...i.path.slice(1)].join('.')}: ${i.message}`).join('; ')}.`,
    details: { issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });

/** What every event of a command carries about it. */
export const metadataFor = (context: CommandContext) => ({
  correlationId: context.correlationId ?? context.commandId,
  causationId: context.causationId ?? null,
  commandId: context.commandId,
  actor: context.actor,
  schemaVersion: 1,
});

export interface HandleOptions {
  /** Attempts after a concurrent write to the same stream. Default 5. */
  readonly maxRetries?: number;
  /**
   * Decided states kept between commands, so that a stream this process wrote last need not be read again. The
   * `CommandBus` keeps one by default; `null` turns it off.
   */
  readonly cache?: AggregateCache | null;
}

interface CachedStream {
  readonly aggregate: string;
  readonly state: unknown;
  readonly version: number;
  readonly position: GlobalPosition;
  /** Every command id in the stream, so that a repeated command is still recognised (and then read in full). */
  readonly commandIds: Set<string>;
}

/**
 * The states this process last decided, per stream, least recently used first out. Safe beside other writers: an entry
 * that another process made stale carries an old version, so the append fails on its expected version and the handler
 * reads the stream afresh. Memory: one state and the stream's command ids per entry.
 */
export class AggregateCache {
  readonly #entries = new Map<string, CachedStream>();

  constructor(readonly capacity = 10_000) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`An aggregate cache holds at least one stream, not ${capacity}.`);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** @internal */
  get(streamId: string, aggregate: string): CachedStream | undefined {
    const entry = this.#entries.get(streamId);
    if (!entry || entry.aggregate !== aggregate) return undefined;
    this.#entries.delete(streamId);
    this.#entries.set(streamId, entry);
    return entry;
  }

  /** @internal */
  set(streamId: string, entry: CachedStream): void {
    this.#entries.delete(streamId);
    this.#entries.set(streamId, entry);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  forget(streamId: string): void {
    this.#entries.delete(streamId);
  }
}

/**
 * The one command handler: load the stream, fold, decide, append with the expected version; on a concurrent write,
 * reload and decide again (bounded). Idempotent by `commandId`: if the stream already holds events of this command,
 * they are returned and nothing is appended. A refused command returns `Left` and writes nothing. With a cache, the load
 * is skipped when this process holds the stream's last decided state; the append's expected version still guards it,
 * and a refusal or no-op is only given after reading the stream.
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
  const cache = options.cache;
  // Set once a decision made on part of the stream (a remembered state, or a snapshot and the events after it) needs
  // confirming on the whole stream.
  let readWhole = false;
  // Set when the first attempt took a stream this process does not hold to be new: its failure is not a retry.
  let guessedNew = false;
  for (let attempt = 0; ; attempt++) {
    // First attempt: the state this process last decided, if it has it and the command is not a repeat. A stream it does
    // not hold is taken to be new, as most streams a command finds nowhere in the cache are (an order being placed, a
    // partner onboarded): decided on the initial state and appended with `no_stream`, without reading it. If it exists
    // after all, that append fails on its expected version (or a command it cannot serve is refused or a no-op) and the
    // stream is read; a repeat of a command that made the stream finds its own events by their ids. Any doubt (a retry
    // after a conflict, a command id already in the stream): read the stream, from a snapshot where there is one.
    const cached = attempt === 0 ? cache?.get(streamId, aggregate.name) : undefined;
    if (attempt === 0) guessedNew = !!cache && !cached;
    const fresh =
      cached && !cached.commandIds.has(context.commandId)
        ? cached
        : attempt === 0 && guessedNew
          ? { state: aggregate.decider.initialState, version: -1, position: 0n, commandIds: new Set<string>() }
          : undefined;
    let state: S;
    let version: number;
    let position: GlobalPosition;
    let commandIds: Set<string>;
    let partial = false;
    if (fresh) {
      ({ version, position, commandIds } = fresh);
      state = fresh.state as S;
      partial = true;
    } else {
      const loaded = await loadLatest(store, aggregate, streamId, { whole: readWhole });
      const earlier = loaded.events.filter((e) => e.metadata.commandId === context.commandId);
      if (earlier.length > 0) {
        const last = earlier.at(-1)!;
        return right({ streamId, streamVersion: last.streamVersion, position: last.globalPosition, events: earlier, replayed: true });
      }
      ({ state, version } = loaded);
      position = loaded.position;
      partial = !loaded.complete;
      commandIds = new Set(loaded.events.flatMap((e) => (e.metadata.commandId ? [e.metadata.commandId] : [])));
      cache?.set(streamId, { aggregate: aggregate.name, state, version, position, commandIds });
    }
    const decision = aggregate.decider.decide(parsed.data, state);
    // A refusal or a no-op decided on a remembered state may come from a write this process has not seen, and one
    // decided after a snapshot may be the repeat of a command from before it: decide again on the whole stream before
    // saying no. An accepted decision needs no such check: its events' ids derive from the command id, so a repeat's
    // append fails with `IdempotencyConflict` (below) instead of writing twice.
    if (partial && (decision._tag === 'Left' || decision.right.length === 0)) {
      cache?.forget(streamId);
      readWhole = !fresh;
      continue;
    }
    if (decision._tag === 'Left') return decision;
    if (decision.right.length === 0) return right({ streamId, streamVersion: version, position, events: [], replayed: false });
    const metadata = metadataFor(context);
    try {
      const appended = await store.appendToStream(
        streamId,
        decision.right.map((e, i) => ({ eventId: eventIdFor(context.commandId, i), type: e.type, data: e.data, metadata })),
        { expectedVersion: version === -1 ? 'no_stream' : version },
      );
      // The store found these very events in the stream already: a repeat of a command from before the part this was
      // decided on. Answer as a whole-stream read does, with the command's original events.
      if (partial && !readWhole && appended.streamVersion <= version) {
        cache?.forget(streamId);
        readWhole = true;
        continue;
      }
      // A repeat's events may not be the stream's last: what follows them is not known here.
      if (appended.repeated) cache?.forget(streamId);
      else
        cache?.set(streamId, {
          aggregate: aggregate.name,
          state: decision.right.reduce(aggregate.decider.evolve, state),
          version: appended.streamVersion,
          position: appended.position,
          commandIds: commandIds.add(context.commandId),
        });
      // A concurrent run of the same command may have stored the very same events first: then this one is a repeat too.
      return right({
        streamId,
        streamVersion: appended.streamVersion,
        position: appended.position,
        events: appended.events,
        replayed: appended.repeated === true,
      });
    } catch (error) {
      cache?.forget(streamId);
      if (error instanceof WrongExpectedVersion && attempt < maxRetries + (guessedNew ? 1 : 0)) continue;
      if (error instanceof IdempotencyConflict && partial && !readWhole) {
        readWhole = true;
        continue;
      }
      throw error;
    }
  }
};
