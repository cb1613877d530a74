/**
 * Appends for the EventStoreDB adapter: the hash-chain link, expected versions, and idempotency.
 *
 * **Chain link.** EventStoreDB cannot compute `prevHash`/`hash` server-side, so every append reads the stream's tail,
 * computes the links against its actual last event, and appends with that event's exact revision as the expected
 * revision. A concurrent append to the same stream then makes ours fail with a wrong expected version instead of
 * forking the chain. With `any`/`stream_exists` we re-read and retry transparently (bounded, with jittered backoff);
 * with an exact version (or `no_stream`) from the caller, the retry only re-evaluates the caller's condition, which then
 * fails as `WrongExpectedVersion` (or turns out to be an idempotent repeat), so the caller's semantics are kept.
 *
 * **Idempotency (read before write).** The same tail read serves to find the batch's event ids. EventStoreDB's own
 * idempotency cannot be relied on here: we always append at an exact revision (for the chain), and at the stream's
 * current revision the server does not look for the ids at all. So, before writing:
 * - ids already in the stream, consecutively and in order -> the earlier append's result, nothing written;
 * - some ids present (a partial repeat, or out of order), or an id known to be in another stream -> `IdempotencyConflict`,
 *   nothing written.
 * The trade-off: EventStoreDB has no index by event id, so the search is bounded. It sees (a) the stream's last
 * `batch + TAIL_WINDOW` events, (b) for an exact expected version, the events right after it (where a retried append
 * would be), and (c) a per-process cache of the ids this store instance appended or read recently, which is what
 * catches an id reused in *another* stream. An id reused elsewhere by another process, or deep in a stream, is not
 * detected: an exact cross-stream check would need one index stream per event id (twice the writes, and still not
 * atomic with the append), which is not worth it for what is a caller bug. EventStoreDB's own idempotency is bounded
 * the same way. Cost: one read before and one read after each append (the read-back gives each event's position and
 * server timestamp, which the append response does not).
 */
import { type EventStoreDBClient, NO_STREAM, WrongExpectedVersionError } from '@eventstore/db-client';
import { IdempotencyConflict, WrongExpectedVersion } from '../errors';
import type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from '../port';
import { decodeEvent, identityOf, linkEvents } from './eventstoredb-codec';
import { backoff, isTransient, type RetryPolicy, readStreamMessages } from './eventstoredb-read';
import type { RecordedEventMessage } from './eventstoredb-wire';
import { versionMatches } from './validate';

/** Events beyond the batch size read from the stream's tail to look for repeated ids. */
const TAIL_WINDOW = 32;

/** Event id -> where this process last saw it written, most recent last; bounded (least recently seen dropped first). */
export class RecentEventIds {
  readonly #ids = new Map<string, { readonly streamId: string; readonly streamVersion: number }>();
  constructor(private readonly capacity: number) {}

  remember(events: Iterable<{ readonly eventId: string; readonly streamId: string; readonly streamVersion: number }>): void {
    if (this.capacity <= 0) return;
    for (const e of events) {
      this.#ids.delete(e.eventId);
      this.#ids.set(e.eventId, { streamId: e.streamId, streamVersion: e.streamVersion });
    }
    for (const oldest of this.#ids.keys()) {
      if (this.#ids.size <= this.capacity) break;
      this.#ids.delete(oldest);
    }
  }

  get(eventId: string) {
    return this.#ids.get(eventId);
  }

  forget(eventId: string): void {
    this.#ids.delete(eventId);
  }
}

export interface AppendContext {
  readonly client: EventStoreDBClient;
  readonly recent: RecentEventIds;
  /** Attempts for an append that keeps losing races (`any`/`stream_exists`) or meeting a dropped connection. */
  readonly maxAttempts: number;
  readonly retry: RetryPolicy;
}

const toWrongExpectedVersion = (error: WrongExpectedVersionError, streamId: string, expected: ExpectedVersion) =>
  new WrongExpectedVersion(streamId, expected, typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1);

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const resultOf = (events: readonly RecordedEvent[]): AppendResult => {
  const last = events.at(-1)!;
  return { streamVersion: last.streamVersion, position: last.globalPosition, events };
};

export const appendToEventStoreDb = async (
  ctx: AppendContext,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): Promise<AppendResult> => {
  // Reads inside an attempt do not retry on their own: a failed attempt is retried as a whole (re-reading the tail).
  const once: RetryPolicy = { ...ctx.retry, maxAttempts: 1 };
  const read = (from: number, maxCount: number) => collect(readStreamMessages(ctx.client, streamId, { direction: 'forwards', from, maxCount }, once));
  for (let attempt = 1; ; attempt++) {
    try {
      // Newest first.
      const tail = await collect(readStreamMessages(ctx.client, streamId, { direction: 'backwards', maxCount: events.length + TAIL_WINDOW }, once));
      const current = tail[0] ? identityOf(tail[0]).streamVersion : -1;
      const earlier = await findEarlierAppend(ctx, streamId, events, expected, current, tail, read);
      if (earlier) return { ...resultOf(earlier), repeated: true };
      if (!versionMatches(expected, current)) throw new WrongExpectedVersion(streamId, expected, current);

      const prevHash = tail[0] ? decodeEvent(tail[0]).metadata.hash : null;
      const linked = linkEvents(streamId, current, prevHash, events);
      const result = await ctx.client.appendToStream(
        streamId,
        linked.map((l) => l.event),
        { expectedRevision: current < 0 ? NO_STREAM : BigInt(current) },
      );
      const written = (await read(current + 1, events.length)).map(decodeEvent);
      const expectedIds = linked.map((l) => l.eventId);
      if (result.nextExpectedRevision !== BigInt(current + events.length) || written.map((e) => e.eventId).join() !== expectedIds.join()) {
        throw new Error(
          `EventStoreDB stored the append to ${streamId} at revision ${result.nextExpectedRevision}, not ${current + events.length}: was the stream deleted or truncated?`,
        );
      }
      ctx.recent.remember(written);
      return resultOf(written);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        // Someone appended between our read and our write. Re-read: the caller's own expectation is re-checked there.
        if (attempt >= ctx.maxAttempts) throw toWrongExpectedVersion(error, streamId, expected);
        if (expected === 'any' || expected === 'stream_exists') await backoff(ctx.retry, attempt);
        continue;
      }
      // A dropped connection may or may not have written the append; the next attempt's id check tells which.
      if (isTransient(error) && attempt < ctx.maxAttempts) {
        await backoff(ctx.retry, attempt);
        continue;
      }
      throw error;
    }
  }
};

/**
 * The events an earlier append of the same ids stored, if the whole batch is already in this stream, consecutively
 * and in order; null if none of its ids is known; `IdempotencyConflict` for anything in between.
 */
const findEarlierAppend = async (
  ctx: AppendContext,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
  current: number,
  tail: readonly RecordedEventMessage[],
  read: (from: number, maxCount: number) => Promise<RecordedEventMessage[]>,
): Promise<RecordedEvent[] | null> => {
  const ids = events.map((e) => e.eventId.toLowerCase());
  const wantedIds = new Set(ids);
  const found = new Map<string, RecordedEventMessage>();
  const consider = (messages: readonly RecordedEventMessage[]) => {
    for (const m of messages) {
      const id = identityOf(m).eventId;
      if (wantedIds.has(id)) found.set(id, m);
    }
  };
  consider(tail);
  // A retried append with an exact expected version would have put its events right after that version.
  const oldestInTail = tail.length > 0 ? identityOf(tail[tail.length - 1]!).streamVersion : 0;
  const after = expected === 'no_stream' ? -1 : typeof expected === 'number' ? expected : undefined;
  if (after !== undefined && current > after && after + 1 < oldestInTail) consider(await read(after + 1, ids.length));
  // Ids this process saw elsewhere, or further back in this stream.
  const versions: number[] = [];
  for (const id of ids) {
    if (found.has(id)) continue;
    const seen = ctx.recent.get(id);
    if (!seen) continue;
    if (seen.streamId !== streamId) throw new IdempotencyConflict(streamId, ids);
    versions.push(seen.streamVersion);
  }
  if (versions.length > 0) {
    const first = Math.min(...versions);
    const span = Math.max(...versions) - first + 1;
    if (span > ids.length) throw new IdempotencyConflict(streamId, ids);
    const stored = await read(first, span);
    consider(stored);
    for (const id of ids) if (!found.has(id) && ctx.recent.get(id)?.streamId === streamId) ctx.recent.forget(id);
  }
  if (found.size === 0) return null;
  const messages = ids.map((id) => found.get(id));
  const stored = messages.map((m) => (m ? identityOf(m).streamVersion : Number.NaN));
  const consecutive = stored.every((v, i) => v === stored[0]! + i);
  if (!consecutive) throw new IdempotencyConflict(streamId, ids);
  const recorded = (messages as RecordedEventMessage[]).map(decodeEvent);
  ctx.recent.remember(recorded);
  return recorded;
};
