import type { Actor } from '@dms/domain';

/**
 * The EventStore port. Every adapter (memory, PostgreSQL/PGlite, EventStoreDB) implements exactly this and passes the
 * conformance suite in `test/conformance.ts`.
 *
 * Stream versions are 0-based: the first event of a stream has version 0, and a stream that does not exist is at -1.
 * Global positions are unsigned 64-bit integers, strictly increasing in `$all` order, not necessarily contiguous.
 */
export interface EventStore {
  /** Appends atomically: all events or none. Re-appending the same event ids at the same place is a no-op that succeeds. */
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams as one unit: every append or none, each checked against its own expected version, in one
   * transaction. Results come back in the order of `appends`. A stream may appear once per unit. Adapters whose storage
   * cannot append to several streams atomically (EventStoreDB) leave this out; `commitUnitOfWork` then runs the appends
   * as a process with compensation (see `unit-of-work.ts`).
   */
  appendToStreams?(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]>;
  /** The events of one stream, streamed. A stream that does not exist reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Every event in global order (`$all`), streamed. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Catch-up, then live. Delivers every matching event exactly once and in order, including events whose transaction
   * commits after later-positioned ones; signals `caughtUp` whenever it has delivered everything committed so far.
   */
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /**
   * Where this store keeps aggregate snapshots (a cache for deciding; see `snapshots.ts`). Absent: every stream is folded
   * from its start.
   */
  readonly snapshots?: SnapshotStore;
  /** Position of the last event in `$all`, or null when the store is empty. */
  headPosition(): Promise<GlobalPosition | null>;
  /**
   * The event types present in what subscriptions can read of `$all` so far, each with its number of events and the
   * position of its last one, and the position of the last event of all (null when empty), in one read: a reader whose
   * filter matches none of these types has nothing to read up to that position, and one past the last of its types has
   * nothing more. Lets a rebuild of several read models skip those with no events in one scan instead of a filtered scan
   * each, stop reading where their types end, and start the largest first. Optional: adapters that cannot answer cheaply
   * leave it out.
   */
  typesInLog?(): Promise<{ readonly types: ReadonlyMap<string, LoggedType>; readonly position: GlobalPosition | null }>;
  close(): Promise<void>;
}

export type GlobalPosition = bigint;

/** What `EventStore.typesInLog` tells of one event type: how many events of it the log holds, and where the last one is. */
export interface LoggedType {
  readonly events: number;
  readonly last: GlobalPosition;
}

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check; a number: its exact current version. */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend extends AppendOptions {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

/** What a caller attaches to every event; the store adds the hash-chain link (`prevHash`, `hash`). */
export interface EventMetadataInput {
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly commandId?: string | null;
  readonly actor: Actor;
  readonly schemaVersion: number;
  readonly [key: string]: unknown;
}

export interface EventMetadata extends EventMetadataInput {
  /** Hash of the previous event of the same stream, or null for its first event. */
  readonly prevHash: string | null;
  /** sha256 over prevHash, stream id, version, the event's content hash and (version 2) its recording time. See `hash-chain.ts`. */
  readonly hash: string;
  /** 2 when the link covers `recordedAt`; absent on events linked before (version 1). */
  readonly hashVersion?: number;
}

export interface NewEvent<T extends string = string, D = unknown> {
  /** A UUID. Appending an event id that is already in the stream is idempotent. */
  readonly eventId: string;
  readonly type: T;
  readonly data: D;
  readonly metadata: EventMetadataInput;
}

export interface RecordedEvent<T extends string = string, D = unknown> {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: GlobalPosition;
  readonly eventId: string;
  readonly type: T;
  readonly data: D;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

export interface AppendResult {
  /** The stream's version after the append (the version of its last event). */
  readonly streamVersion: number;
  /** Global position of the last appended event. */
  readonly position: GlobalPosition;
  readonly events: readonly RecordedEvent[];
  /** True when every event was already stored there (an idempotent repeat, perhaps a concurrent one): nothing was written. */
  readonly repeated?: boolean;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive start version; defaults to the first event forwards and the last event backwards. */
  readonly from?: number;
  readonly direction?: Direction;
  readonly maxCount?: number;
}

export interface EventFilter {
  /** Only events of these types. */
  readonly eventTypes?: readonly string[];
  /** Only events of streams whose id starts with one of these prefixes, e.g. `order-`. */
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Forwards: start after this position (exclusive). Backwards: start before it (exclusive). Default: the start, or the end. */
  readonly from?: GlobalPosition;
  readonly direction?: Direction;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Deliver events after this position (exclusive); default: from the very start. */
  readonly from?: GlobalPosition;
  readonly filter?: EventFilter;
  /**
   * False: the subscriber never reads the events' metadata, so the store may leave them out. The PostgreSQL store then
   * neither sends nor parses them (a rebuild of `orders` spends ~16 % less time: docs/benchmarks.md (d)); such an
   * event's `metadata` is `METADATA_LEFT_OUT`, which throws on a read of any field. Other stores give them all the same.
   */
  readonly metadata?: false;
}

/**
 * The metadata of an event read without them (`SubscribeOptions.metadata: false`): reading any of its fields throws, so
 * that a subscriber that said it would not read them, and does, fails at once instead of reading nothing.
 */
export const METADATA_LEFT_OUT: EventMetadata = new Proxy(Object.freeze({}) as EventMetadata, {
  get(target, key) {
    // Symbols (inspection, coercion) and `then` (an await's probe) are not the metadata's fields.
    if (typeof key === 'symbol' || key === 'then') return Reflect.get(target, key);
    throw new Error(`The metadata of this event were left out (subscribed with metadata: false): "${key}" cannot be read.`);
  },
});

export type SubscriptionItem =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /**
   * Everything matching the filter up to `position` has been delivered and nothing more is committed yet. With a filter,
   * `position` may be beyond the last delivered event; a subscriber can checkpoint it.
   */
  | { readonly kind: 'caughtUp'; readonly position: GlobalPosition | null };

export interface Subscription extends AsyncIterable<SubscriptionItem> {
  close(): Promise<void>;
}

export const matchesFilter = (filter: EventFilter | undefined, streamId: string, type: string): boolean =>
  (!filter?.eventTypes || filter.eventTypes.includes(type)) && (!filter?.streamPrefixes || filter.streamPrefixes.some((p) => streamId.startsWith(p)));

export interface Snapshot {
  readonly streamId: string;
  /** The aggregate's `SnapshotCodec.schema` when it was written. */
  readonly schema: string;
  /** The version of the last event folded into `state`. */
  readonly version: number;
  /** That event's hash-chain hash: the snapshot is bound to the stream exactly as it was. */
  readonly hash: string;
  readonly state: unknown;
}

/** Where an event store keeps snapshots. Adapters without one (EventStoreDB) fold every stream from its start. */
export interface SnapshotStore {
  read(streamId: string): Promise<Snapshot | null>;
  /** Keeps the snapshot unless one of the same schema at a later version is kept already. */
  write(snapshot: Snapshot): Promise<void>;
  /** Deletes every snapshot (they are rebuilt as streams are read); returns how many there were. */
  clear(): Promise<number>;
}
