/**
 * Stream and `$all` reads for the EventStoreDB adapter, in our port's terms: exclusive `$all` positions, system events
 * skipped, our filters (types AND stream prefixes) applied, and a read that meets a dropped connection resumes after
 * the last event it yielded (bounded retries), so a caller never sees a gap or a repeat.
 */
import {
  CancelledError,
  DeadlineExceededError,
  type EventStoreDBClient,
  eventTypeFilter,
  type Filter,
  NotLeaderError,
  streamNameFilter,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { type Direction, type EventFilter, matchesFilter } from '../port';
import { identityOf, isSystemEvent, positionOf, type StoredIdentity } from './eventstoredb-codec';
import {
  allReadRequest,
  EXCLUDE_SYSTEM_EVENTS,
  NEVER_MATCHES,
  type RecordedEventMessage,
  readResponses,
  type ServerFilter,
  streamReadRequest,
} from './eventstoredb-wire';

export interface RetryPolicy {
  /** Consecutive failed attempts before the error reaches the caller. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 2_000 };

/** Errors after which the same call may succeed: the connection or the node went away, or a leader changed. */
export const isTransient = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  error instanceof CancelledError ||
  error instanceof DeadlineExceededError ||
  error instanceof TimeoutError ||
  error instanceof NotLeaderError ||
  (error as { code?: unknown })?.code === 'ERR_STREAM_PREMATURE_CLOSE';

/** Exponential backoff with jitter, capped; resolves early (without throwing) when `signal` aborts. */
export const backoff = (policy: RetryPolicy, failures: number, signal?: AbortSignal): Promise<void> => {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
  const ms = ceiling / 2 + Math.random() * (ceiling / 2);
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
};

/**
 * Our filter as EventStoreDB's server-side filter. The server filters on one dimension only: stream prefixes when we
 * have them, else event types (as prefixes; the exact match is checked here), else "no system events". Whatever the
 * server cannot express is checked on our side with `matchesFilter`.
 */
export const toServerFilter = (filter: EventFilter | undefined): ServerFilter => {
  if (filter?.streamPrefixes)
    return filter.streamPrefixes.length > 0 ? { on: 'stream', prefixes: filter.streamPrefixes } : { on: 'stream', regex: NEVER_MATCHES };
  if (filter?.eventTypes) return filter.eventTypes.length > 0 ? { on: 'type', prefixes: filter.eventTypes } : { on: 'type', regex: NEVER_MATCHES };
  return EXCLUDE_SYSTEM_EVENTS;
};

/** The same filter in the client's form, for `subscribeToAll`. */
export const toClientFilter = (filter: ServerFilter, checkpointReached: Filter['checkpointReached']): Filter => {
  const make = filter.on === 'stream' ? streamNameFilter : eventTypeFilter;
  return filter.regex !== undefined ? make({ regex: filter.regex, checkpointReached }) : make({ prefixes: [...(filter.prefixes ?? [])], checkpointReached });
};

/** What passes our side of a filter: never a system event, and both dimensions of our filter. */
export const wanted = (filter: EventFilter | undefined, streamId: string, type: string): boolean =>
  !isSystemEvent(streamId, type) && matchesFilter(filter, streamId, type);

/**
 * Reads a call's remaining responses, ignoring them, so that it ends on the server's side rather than by a cancel. A
 * failure now is ignored too: the call already gave what it was asked for.
 */
const drain = async (responses: AsyncIterable<unknown>): Promise<void> => {
  try {
    for await (const _ of responses) {
      // Not needed.
    }
  } catch {
    // Nothing asked for is lost.
  }
};

/** Events of one stream, raw, from a revision (inclusive) in either direction; a missing stream yields nothing. */
export async function* readStreamMessages(
  client: EventStoreDBClient,
  streamId: string,
  options: { readonly direction: Direction; readonly from?: number; readonly maxCount: number },
  retry: RetryPolicy,
): AsyncGenerator<RecordedEventMessage> {
  const backwards = options.direction === 'backwards';
  let remaining = options.maxCount;
  let from = options.from;
  let failures = 0;
  while (remaining > 0) {
    try {
      // The server ends the call itself after "stream not found" or the last event asked for: read on to that end
      // rather than return early. An early return cancels the call (an HTTP/2 RST_STREAM), and a server that sees many
      // resets on one connection closes it as a "rapid reset" attack, failing every call in flight (Node's HTTP/2
      // server does so after about a thousand).
      // The same holds for a caller that stops at the last event asked for: the call is read to its end before that
      // event is handed over (only the call's end can follow it).
      const responses = readResponses(client, streamReadRequest(streamId, { direction: options.direction, from, maxCount: remaining }));
      for await (const response of responses) {
        if (response.hasStreamNotFound() || remaining <= 0 || from === -1) continue;
        const message = response.getEvent()?.getEvent();
        if (!message) continue;
        failures = 0;
        const { streamVersion } = identityOf(message);
        if (remaining === 1) {
          await drain(responses);
          yield message;
          return;
        }
        yield message;
        remaining--;
        from = backwards ? streamVersion - 1 : streamVersion + 1;
      }
      return;
    } catch (error) {
      if (!isTransient(error) || ++failures >= retry.maxAttempts) throw error;
      await backoff(retry, failures);
    }
  }
}

export interface AllEntry extends StoredIdentity {
  readonly message: RecordedEventMessage;
  readonly position: bigint;
}

/**
 * `$all` in our terms: `from` is exclusive in both directions, system events and events outside `filter` are skipped,
 * `maxCount` counts what is yielded. EventStoreDB reads forwards *including* the event at `from`, so it is asked for one
 * more and the event at `from` is dropped here. Pages continue from the last position seen until `maxCount` is reached
 * or `$all` ends; a dropped connection resumes from there too.
 *
 * The last entry of a bounded read is yielded only once its call has ended: the server has at most one more event to
 * send (the one asked for in case the event at `from` came back), so the call is read to its end first. A caller that
 * stops at that entry (`headPosition`, `maxCount: 1`) then leaves no call to cancel; a cancel is an HTTP/2 RST_STREAM,
 * and Node's HTTP/2 server ends a connection after about a thousand of them (see `readStreamMessages`).
 */
export async function* readAllEntries(
  client: EventStoreDBClient,
  options: { readonly direction: Direction; readonly from?: bigint; readonly maxCount: number; readonly filter?: EventFilter; readonly signal?: AbortSignal },
  retry: RetryPolicy,
): AsyncGenerator<AllEntry> {
  const backwards = options.direction === 'backwards';
  const serverFilter = toServerFilter(options.filter);
  let remaining = options.maxCount;
  let cursor = options.from;
  let failures = 0;
  while (remaining > 0) {
    // Without a cursor nothing comes back to be dropped, so nothing more than `remaining` is asked for.
    const asked = Number.isFinite(remaining) ? remaining + (cursor === undefined ? 0 : 1) : Number.POSITIVE_INFINITY;
    let received = 0;
    try {
      const request = allReadRequest({ direction: options.direction, from: cursor, maxCount: asked, filter: serverFilter });
      const responses = readResponses(client, request);
      for await (const response of responses) {
        const message = response.getEvent()?.getEvent();
        if (!message) continue;
        received++;
        failures = 0;
        const position = positionOf(message);
        if (cursor !== undefined && (backwards ? position >= cursor : position <= cursor)) continue;
        const identity = identityOf(message);
        if (!wanted(options.filter, identity.streamId, identity.type)) {
          cursor = position;
          continue;
        }
        if (remaining === 1) {
          // The last entry asked for: let the server end the call (at most one more event, not needed) first.
          await drain(responses);
          yield { ...identity, message, position };
          return;
        }
        cursor = position;
        yield { ...identity, message, position };
        remaining--;
      }
      if (received < asked) return;
    } catch (error) {
      if (!isTransient(error) || ++failures >= retry.maxAttempts || options.signal?.aborted) throw error;
      await backoff(retry, failures, options.signal);
    }
  }
}
