/**
 * The EventStoreDB (KurrentDB) adapter of the EventStore port, over the official `@eventstore/db-client` 6.x.
 *
 * - Storage format and the `$all` position mapping (global position = commit position): `eventstoredb-codec.ts`.
 * - Appends (hash-chain link against the stream's actual last event, expected versions, idempotency by a
 *   read-before-write check, and its trade-offs): `eventstoredb-append.ts`.
 * - Reads (exclusive `$all` positions, filters, system events skipped, resuming after a dropped connection):
 *   `eventstoredb-read.ts`, over the raw calls of `eventstoredb-wire.ts`.
 * - `subscribeToAll` (ordering, caught-up positions, reconnecting): `eventstoredb-subscription.ts`.
 *
 * EventStoreDB's own events (`$`-prefixed streams and event types) are never returned. Requires EventStoreDB 22.10+
 * (`$all` positions on stream reads); `caughtUp` needs 23.10+ (the first to send caught-up messages).
 */
import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import { InvalidArgument } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../port';
import { appendToEventStoreDb, RecentEventIds } from './eventstoredb-append';
import { decodeEvent } from './eventstoredb-codec';
import { DEFAULT_RETRY, type RetryPolicy, readAllEntries, readStreamMessages } from './eventstoredb-read';
import { subscribeToEventStoreDb } from './eventstoredb-subscription';
import { checkAppend, checkMaxCount, checkStreamId } from './validate';

export interface EventStoreDbEventStoreOptions {
  /**
   * Attempts of one append: an append with `any`/`stream_exists` that keeps losing the race for the stream's tail
   * (needed to link the hash chain) is retried this many times, as is one that meets a dropped connection. Default 10.
   */
  readonly maxAppendAttempts?: number;
  /** Backoff between attempts of a call that met a dropped connection (reads, appends). */
  readonly retry?: Partial<RetryPolicy>;
  /** Resubscribing after a dropped subscription: consecutive attempts before giving up, and backoff. Default 30 attempts, 50 ms to 5 s. */
  readonly reconnect?: Partial<RetryPolicy>;
  /** How many recently appended or read event ids this process remembers, to refuse their reuse in another stream. Default 10 000. */
  readonly recentEventIds?: number;
  /** Probe the server when connecting (default true), so that a wrong connection string fails at once. */
  readonly probe?: boolean;
}

const UINT64_MAX = 2n ** 64n - 1n;

const checkPosition = (position: GlobalPosition | undefined): void => {
  if (position !== undefined && (typeof position !== 'bigint' || position < 0n || position > UINT64_MAX)) {
    throw new InvalidArgument(`A global position is an unsigned 64-bit integer (bigint), not ${String(position)}.`);
  }
};

export class EventStoreDbEventStore implements EventStore {
  readonly #recent: RecentEventIds;
  readonly #retry: RetryPolicy;
  readonly #reconnect: RetryPolicy;
  readonly #maxAppendAttempts: number;
  readonly #subscriptions = new Set<Subscription>();

  private constructor(
    /** The underlying official client, e.g. for operations the port does not cover. */
    readonly client: EventStoreDBClient,
    private readonly ownsClient: boolean,
    options: EventStoreDbEventStoreOptions,
  ) {
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#reconnect = { maxAttempts: 30, initialDelayMs: 50, maxDelayMs: 5_000, ...options.reconnect };
    this.#maxAppendAttempts = options.maxAppendAttempts ?? 10;
    this.#recent = new RecentEventIds(options.recentEventIds ?? 10_000);
  }

  /** Connects with an `esdb://` / `esdb+discover://` connection string (`EVENTSTORE_CONNECTION_STRING`). */
  static async connect(connectionString: string, options: EventStoreDbEventStoreOptions = {}): Promise<EventStoreDbEventStore> {
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), true, options);
    if (options.probe ?? true) {
      try {
        // Read to its end: leaving the client's ReadStream early would leave its call open (and `dispose()` waiting).
        for await (const _ of store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
        }
      } catch (error) {
        await store.client.dispose();
        throw error;
      }
    }
    return store;
  }

  /** A store over a client the caller owns (and disposes of: `close()` leaves it open). */
  static fromClient(client: EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(client, false, options);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const expected = checkAppend(streamId, events, options);
    return appendToEventStoreDb(
      { client: this.client, recent: this.#recent, maxAttempts: this.#maxAppendAttempts, retry: this.#retry },
      streamId,
      events,
      expected,
    );
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    checkStreamId(streamId);
    const maxCount = checkMaxCount(options.maxCount);
    const direction = options.direction ?? 'forwards';
    if (options.from !== undefined && !Number.isSafeInteger(options.from)) throw new InvalidArgument(`from must be a stream version, not ${options.from}.`);
    // Versions below 0 do not exist: forwards that is the start, backwards there is nothing.
    if (options.from !== undefined && options.from < 0 && direction === 'backwards') return;
    const from = options.from !== undefined && options.from < 0 ? 0 : options.from;
    for await (const message of readStreamMessages(this.client, streamId, { direction, from, maxCount }, this.#retry)) {
      const event = decodeEvent(message);
      this.#recent.remember([event]);
      yield event;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const maxCount = checkMaxCount(options.maxCount);
    checkPosition(options.from);
    const entries = readAllEntries(
      this.client,
      { direction: options.direction ?? 'forwards', from: options.from, maxCount, filter: options.filter },
      this.#retry,
    );
    for await (const entry of entries) yield decodeEvent(entry.message);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    checkPosition(options.from);
    const inner = subscribeToEventStoreDb(
      { client: this.client, reconnect: this.#reconnect, readRetry: this.#retry, headPosition: () => this.headPosition() },
      options,
    );
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
      close: async () => {
        this.#subscriptions.delete(subscription);
        await inner.close();
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** Position of the last event in `$all` that is not EventStoreDB's own (those come and go: statistics, users...). */
  async headPosition(): Promise<GlobalPosition | null> {
    for await (const entry of readAllEntries(this.client, { direction: 'backwards', maxCount: 1 }, this.#retry)) return entry.position;
    return null;
  }

  /** Ends open subscriptions, then disposes of the client if `connect` created it. */
  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    if (this.ownsClient) await this.client.dispose();
  }
}
