/**
 * The in-memory transaction log behind the test server: one append-only `$all` sequence of records, indexed by stream.
 *
 * It follows EventStoreDB's write rules (the server's `IndexWriter.CheckCommit`):
 * - expected revision `any` / `no_stream` / `stream_exists` / exact revision;
 * - idempotent writes: re-sending the same event ids at the same expected revision succeeds without writing, and a
 *   batch of which only a prefix was already written is a wrong expected version ("corrupted idempotency");
 *   with `any` / `stream_exists` the check looks the ids up by id (the real server uses a bounded cache of recent ids,
 *   this log remembers every id, so it is never "best effort" here);
 * - one append is atomic and contiguous in `$all`;
 * - soft delete (stream metadata `$tb` = max) hides a stream until it is written again, hard delete (tombstone)
 *   forbids it forever.
 *
 * Positions model byte offsets in the log: each record gets the writer checkpoint as its position, and the
 * checkpoint advances by the record's (approximate) size. So positions strictly increase but are not contiguous,
 * like on a real server. Commit position = prepare position for every event (true on a real server for appends
 * that are not explicit transactions).
 */

import { randomUUID } from 'node:crypto';

/** `long.MaxValue`: the event number of a tombstone, and `$tb` of a soft-deleted stream. */
export const DELETED_STREAM = 9223372036854775807n;

export interface StoredEvent {
  readonly streamName: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** Log position; used as both commit and prepare position. */
  readonly position: bigint;
  /** 100 ns ticks since the Unix epoch (what the server puts in the `created` metadata entry). */
  readonly createdTicks: bigint;
}

export interface ProposedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'exact'; readonly revision: bigint };

/** Stream version as the server's index reports it: -1 when the stream has no event. */
export type Version = bigint;

export type AppendOutcome =
  | { readonly kind: 'written'; readonly currentRevision: Version; readonly position: bigint | null; readonly events: readonly StoredEvent[] }
  /** Nothing written: every event id was already there. `currentRevision` is the revision of the last of them. */
  | { readonly kind: 'idempotent'; readonly currentRevision: Version; readonly position: bigint | null }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: Version }
  | { readonly kind: 'stream_deleted' };

export type DeleteOutcome =
  | { readonly kind: 'deleted'; readonly position: bigint }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: Version }
  | { readonly kind: 'stream_deleted' };

export type StreamReadStart = 'start' | 'end' | bigint;
export type AllReadStart = 'start' | 'end' | { readonly commit: bigint; readonly prepare: bigint };

export type StreamView =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'deleted' }
  /** `events[i].revision === BigInt(i)`; events below `firstVisible` are truncated (`$tb`) or hidden. */
  | { readonly kind: 'ok'; readonly events: readonly StoredEvent[]; readonly firstVisible: number };

interface StreamState {
  /** Index = revision. */
  readonly events: StoredEvent[];
  tombstoned: boolean;
}

/** Rough size of a log record, so that positions advance like byte offsets. */
const RECORD_OVERHEAD = 94;
const recordSize = (e: ProposedEvent, streamName: string): bigint =>
  BigInt(RECORD_OVERHEAD + Buffer.byteLength(streamName) + Buffer.byteLength(e.type) + e.data.length + e.customMetadata.length);

const metadataStreamOf = (stream: string): string => `$$${stream}`;
const jsonBytes = (value: unknown): Uint8Array => Uint8Array.from(Buffer.from(JSON.stringify(value), 'utf8'));
const nowTicks = (): bigint => BigInt(Date.now()) * 10_000n;

/** A JSON number (possibly beyond 2^53, parsed imprecisely) or numeric string as a bigint. */
const asBigInt = (value: unknown): bigint | undefined => {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
};
/** `$tb` at or beyond this (including long.MaxValue read back through a JS number) means soft-deleted. */
const SOFT_DELETED_THRESHOLD = DELETED_STREAM;

export interface LogOptions {
  /**
   * Write a few system events (`$`-prefixed streams and types) first, as a fresh EventStoreDB node does (users,
   * settings, ...). `$all` readers then have to skip or filter them, like against a real server. Default true.
   */
  readonly systemEvents?: boolean;
}

export class EventLog {
  readonly #all: StoredEvent[] = [];
  readonly #streams = new Map<string, StreamState>();
  /** The idempotency index: event id -> where it was last written. */
  readonly #byEventId = new Map<string, { readonly stream: string; readonly revision: bigint }>();
  readonly #listeners = new Set<() => void>();
  #writer = 0n;
  #writes = 0;

  constructor(options: LogOptions = {}) {
    if (options.systemEvents ?? true) this.#seedSystemEvents();
  }

  /** Every record, in `$all` order. Treat as read-only. */
  get all(): readonly StoredEvent[] {
    return this.#all;
  }

  /** Position of the next record (the writer checkpoint). */
  get writerCheckpoint(): bigint {
    return this.#writer;
  }

  /** How many writes (appends, deletes) the log has seen; lets a waiter tell whether it missed one. */
  get writeCount(): number {
    return this.#writes;
  }

  /** Called (synchronously) after every write; returns an unsubscribe function. */
  onWrite(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ------------------------------------------------------------------------------------------------- writes

  append(streamName: string, expected: ExpectedRevision, proposed: readonly ProposedEvent[]): AppendOutcome {
    const check = this.#check(
      streamName,
      expected,
      proposed.map((e) => e.eventId),
    );
    switch (check.kind) {
      case 'deleted':
        return { kind: 'stream_deleted' };
      case 'wrong_expected_version':
        return { kind: 'wrong_expected_version', currentRevision: check.current };
      case 'idempotent':
        return { kind: 'idempotent', currentRevision: check.end, position: this.#eventAt(streamName, check.end)?.position ?? null };
      case 'ok': {
        if (proposed.length === 0) return { kind: 'written', currentRevision: check.current, position: null, events: [] };
        const events = this.#write(streamName, proposed);
        if (check.softDeleted) this.#writeMetadata(streamName, check.current + 1n);
        this.#notify();
        const last = events[events.length - 1]!;
        return { kind: 'written', currentRevision: last.revision, position: last.position, events };
      }
    }
  }

  /** Soft delete: the stream reads as not found until it is written again (it then continues at the next revision). */
  softDelete(streamName: string, expected: ExpectedRevision): DeleteOutcome {
    const check = this.#check(streamName, expected, []);
    if (check.kind === 'deleted') return { kind: 'stream_deleted' };
    if (check.kind === 'wrong_expected_version') return { kind: 'wrong_expected_version', currentRevision: check.current };
    const record = this.#writeMetadata(streamName, DELETED_STREAM);
    this.#notify();
    return { kind: 'deleted', position: record.position };
  }

  /** Hard delete: a `$streamDeleted` record; the stream can never be read or written again. */
  tombstone(streamName: string, expected: ExpectedRevision): DeleteOutcome {
    const check = this.#check(streamName, expected, []);
    if (check.kind === 'deleted') return { kind: 'stream_deleted' };
    if (check.kind === 'wrong_expected_version') return { kind: 'wrong_expected_version', currentRevision: check.current };
    const state = this.#state(streamName);
    const record = this.#record(streamName, DELETED_STREAM, {
      eventId: randomUUID(),
      type: '$streamDeleted',
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      customMetadata: new Uint8Array(),
    });
    state.tombstoned = true;
    this.#notify();
    return { kind: 'deleted', position: record.position };
  }

  // -------------------------------------------------------------------------------------------------- reads

  /** Current version of a stream: -1 when it has no event. */
  versionOf(streamName: string): Version {
    return BigInt((this.#streams.get(streamName)?.events.length ?? 0) - 1);
  }

  isTombstoned(streamName: string): boolean {
    return this.#streams.get(streamName)?.tombstoned ?? false;
  }

  /** What a stream read sees: metadata (`$tb`, `$maxCount`) applied. */
  viewStream(streamName: string): StreamView {
    const state = this.#streams.get(streamName);
    if (state?.tombstoned) return { kind: 'deleted' };
    if (!state || state.events.length === 0) return { kind: 'not_found' };
    const meta = this.#metadataOf(streamName);
    const tb = asBigInt(meta['$tb']) ?? 0n;
    if (tb >= SOFT_DELETED_THRESHOLD) return { kind: 'not_found' };
    let firstVisible = Number(tb < 0n ? 0n : tb);
    const maxCount = meta['$maxCount'];
    if (typeof maxCount === 'number' && maxCount > 0) firstVisible = Math.max(firstVisible, state.events.length - maxCount);
    return { kind: 'ok', events: state.events, firstVisible: Math.min(firstVisible, state.events.length) };
  }

  /** Index in `all` of the first record at or after `position` (all.length when none). */
  indexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.#all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#all[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ------------------------------------------------------------------------------------------------ private

  #state(streamName: string): StreamState {
    let state = this.#streams.get(streamName);
    if (!state) {
      state = { events: [], tombstoned: false };
      this.#streams.set(streamName, state);
    }
    return state;
  }

  #eventAt(streamName: string, revision: bigint): StoredEvent | undefined {
    return this.#streams.get(streamName)?.events[Number(revision)];
  }

  #metadataOf(streamName: string): Record<string, unknown> {
    const metaEvents = this.#streams.get(metadataStreamOf(streamName))?.events;
    const last = metaEvents?.[metaEvents.length - 1];
    if (!last) return {};
    try {
      const parsed: unknown = JSON.parse(Buffer.from(last.data).toString('utf8'));
      return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  #isSoftDeleted(streamName: string): boolean {
    return (asBigInt(this.#metadataOf(streamName)['$tb']) ?? 0n) >= SOFT_DELETED_THRESHOLD;
  }

  /** EventStoreDB's commit check, for one stream. */
  #check(
    streamName: string,
    expected: ExpectedRevision,
    eventIds: readonly string[],
  ):
    | { readonly kind: 'ok'; readonly current: Version; readonly softDeleted: boolean }
    | { readonly kind: 'idempotent'; readonly end: bigint }
    | { readonly kind: 'wrong_expected_version'; readonly current: Version }
    | { readonly kind: 'deleted' } {
    if (this.isTombstoned(streamName)) return { kind: 'deleted' };
    const current = this.versionOf(streamName);
    const softDeleted = this.#isSoftDeleted(streamName);

    if (expected.kind === 'stream_exists') {
      if (softDeleted) return { kind: 'deleted' };
      if (current < 0n && this.versionOf(metadataStreamOf(streamName)) < 0n) return { kind: 'wrong_expected_version', current };
    }

    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      let start: bigint | null = null;
      let end = -1n;
      for (const id of eventIds) {
        const seen = this.#byEventId.get(id);
        if (!seen || seen.stream !== streamName) {
          return start === null ? { kind: 'ok', current, softDeleted } : { kind: 'wrong_expected_version', current };
        }
        start ??= seen.revision;
        end = seen.revision;
      }
      return start === null ? { kind: 'ok', current, softDeleted } : { kind: 'idempotent', end };
    }

    const expectedVersion = expected.kind === 'no_stream' ? -1n : expected.revision;
    if (expectedVersion < current) {
      let eventNumber = expectedVersion;
      for (const id of eventIds) {
        eventNumber += 1n;
        if (this.#eventAt(streamName, eventNumber)?.eventId === id) continue;
        if (eventNumber !== expectedVersion + 1n) return { kind: 'wrong_expected_version', current };
        if (expected.kind === 'no_stream' && softDeleted) return { kind: 'ok', current, softDeleted };
        return { kind: 'wrong_expected_version', current };
      }
      if (eventNumber === expectedVersion) return { kind: 'wrong_expected_version', current };
      return { kind: 'idempotent', end: eventNumber };
    }
    if (expectedVersion > current) return { kind: 'wrong_expected_version', current };
    return { kind: 'ok', current, softDeleted };
  }

  #write(streamName: string, proposed: readonly ProposedEvent[]): StoredEvent[] {
    const state = this.#state(streamName);
    return proposed.map((e) => this.#record(streamName, BigInt(state.events.length), e, state));
  }

  /** A new `$metadata` event in `$$stream`: the current metadata with `$tb` (truncate before) set. */
  #writeMetadata(streamName: string, truncateBefore: bigint): StoredEvent {
    const metaStream = metadataStreamOf(streamName);
    const state = this.#state(metaStream);
    const { $tb: _previous, ...rest } = this.#metadataOf(streamName);
    // Written by hand so that long.MaxValue keeps all its digits, as the server writes it.
    const others = JSON.stringify(rest).slice(1, -1);
    const data = Uint8Array.from(Buffer.from(`{${others}${others ? ',' : ''}"$tb":${truncateBefore}}`, 'utf8'));
    return this.#record(
      metaStream,
      BigInt(state.events.length),
      { eventId: randomUUID(), type: '$metadata', contentType: 'application/json', data, customMetadata: new Uint8Array() },
      state,
    );
  }

  #record(streamName: string, revision: bigint, e: ProposedEvent, state?: StreamState): StoredEvent {
    const stored: StoredEvent = {
      streamName,
      revision,
      eventId: e.eventId,
      type: e.type,
      contentType: e.contentType,
      data: e.data,
      customMetadata: e.customMetadata,
      position: this.#writer,
      createdTicks: nowTicks(),
    };
    this.#writer += recordSize(e, streamName);
    this.#all.push(stored);
    if (state) {
      state.events.push(stored);
      this.#byEventId.set(e.eventId, { stream: streamName, revision });
    }
    return stored;
  }

  #notify(): void {
    this.#writes++;
    for (const listener of [...this.#listeners]) listener();
  }

  #seedSystemEvents(): void {
    const system = (stream: string, type: string, data: unknown) =>
      this.#write(stream, [{ eventId: randomUUID(), type, contentType: 'application/json', data: jsonBytes(data), customMetadata: new Uint8Array() }]);
    // A little of what a fresh node writes before any user event.
    system('$$$scavenges', '$metadata', { $maxAge: 2592000 });
    system('$users', '$User', 'admin');
    system('$user-admin', '$UserCreated', { loginName: 'admin', fullName: 'Event Store Administrator', groups: ['$admins'] });
    system('$users', '$User', 'ops');
    system('$user-ops', '$UserCreated', { loginName: 'ops', fullName: 'Event Store Operations', groups: ['$ops'] });
    system('$settings', '$settings', { $userStreamAcl: { $r: '$all', $w: '$all', $d: '$all', $mr: '$all', $mw: '$all' } });
  }
}
