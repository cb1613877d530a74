import { IdempotencyConflict, WrongExpectedVersion } from '../errors';
import { contentHash, HASH_VERSION, linkHash } from '../hash-chain';
import { ChangeSignal, pollingSubscription } from '../polling-subscription';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  matchesFilter,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import { MemorySnapshotStore } from '../snapshots';
import { checkAppend, checkMaxCount, checkStreamId, checkUnit, versionMatches } from './validate';

/** In-memory store: for tests and for embedding the domain where durability is not needed. Same semantics as the others. */
export class MemoryEventStore implements EventStore {
  readonly #all: RecordedEvent[] = [];
  readonly #streams = new Map<string, RecordedEvent[]>();
  readonly #byEventId = new Map<string, RecordedEvent>();
  readonly #changes = new ChangeSignal();
  readonly snapshots = new MemorySnapshotStore();
  /** Injected so tests can pin recording times; the store itself is the only place that reads a clock. */
  constructor(private readonly now: () => Date = () => new Date()) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const expected = checkAppend(streamId, events, options);
    return this.#commit([this.#prepare(streamId, events, expected)])[0]!;
  }

  /** Every part is checked before any is stored, and nothing awaits in between: all or none. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> {
    const expected = checkUnit(appends);
    return this.#commit(appends.map((a, i) => this.#prepare(a.streamId, a.events, expected[i]!)));
  }

  /** Checks one stream's append against the store as it is, without changing anything. */
  #prepare(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): AppendResult | { streamId: string; events: Omit<RecordedEvent, 'globalPosition'>[] } {
    const stream = this.#streams.get(streamId) ?? [];
    const known = events.map((e) => this.#byEventId.get(e.eventId.toLowerCase()));
    if (known.some((k) => k !== undefined)) return this.#replay(streamId, events, known);
    const current = stream.length - 1;
    if (!versionMatches(expected, current)) throw new WrongExpectedVersion(streamId, expected, current);
    const recordedAt = this.now();
    const recorded: Omit<RecordedEvent, 'globalPosition'>[] = [];
    let prevHash = stream.at(-1)?.metadata.hash ?? null;
    for (const [i, e] of events.entries()) {
      const streamVersion = current + 1 + i;
      const eventId = e.eventId.toLowerCase();
      const hash = linkHash(prevHash, streamId, streamVersion, contentHash({ ...e, eventId }), recordedAt);
      recorded.push({
        streamId,
        streamVersion,
        eventId,
        type: e.type,
        data: structuredClone(e.data),
        metadata: { ...structuredClone(e.metadata), prevHash, hash, hashVersion: HASH_VERSION },
        recordedAt,
      });
      prevHash = hash;
    }
    return { streamId, events: recorded };
  }

  #commit(prepared: readonly (AppendResult | { streamId: string; events: Omit<RecordedEvent, 'globalPosition'>[] })[]): AppendResult[] {
    const results = prepared.map((p): AppendResult => {
      if (!('streamId' in p)) return p;
      const recorded = p.events.map((e, i): RecordedEvent => ({ ...e, globalPosition: BigInt(this.#all.length + 1 + i) }));
      this.#all.push(...recorded);
      this.#streams.set(p.streamId, [...(this.#streams.get(p.streamId) ?? []), ...recorded]);
      for (const r of recorded) this.#byEventId.set(r.eventId, r);
      const last = recorded.at(-1)!;
      return { streamVersion: last.streamVersion, position: last.globalPosition, events: recorded };
    });
    if (prepared.some((p) => 'streamId' in p)) this.#changes.notify();
    return results;
  }

  #replay(streamId: string, events: readonly NewEvent[], known: readonly (RecordedEvent | undefined)[]): AppendResult {
    const consecutive = known.every((k, i) => k !== undefined && k.streamId === streamId && k.streamVersion === known[0]!.streamVersion + i);
    if (!consecutive)
      throw new IdempotencyConflict(
        streamId,
        events.map((e) => e.eventId),
      );
    const recorded = known as RecordedEvent[];
    const last = recorded.at(-1)!;
    return { streamVersion: last.streamVersion, position: last.globalPosition, events: recorded, repeated: true };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    checkStreamId(streamId);
    const max = checkMaxCount(options.maxCount);
    const stream = this.#streams.get(streamId) ?? [];
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...stream].reverse() : stream;
    let n = 0;
    for (const e of ordered) {
      if (n >= max) return;
      if (options.from !== undefined && (backwards ? e.streamVersion > options.from : e.streamVersion < options.from)) continue;
      n++;
      yield e;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const max = checkMaxCount(options.maxCount);
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...this.#all].reverse() : [...this.#all];
    let n = 0;
    for (const e of ordered) {
      if (n >= max) return;
      if (options.from !== undefined && (backwards ? e.globalPosition >= options.from : e.globalPosition <= options.from)) continue;
      if (!matchesFilter(options.filter, e.streamId, e.type)) continue;
      n++;
      yield e;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return pollingSubscription(
      {
        fetch: async (after, limit, filter) => {
          const start = after === undefined ? 0 : Number(after);
          const scanned = this.#all.slice(start, start + limit);
          return {
            events: scanned.filter((e) => matchesFilter(filter, e.streamId, e.type)),
            scannedTo: scanned.at(-1)?.globalPosition ?? null,
            exhausted: scanned.length < limit,
          };
        },
        waitForChange: (ms, signal, since) => this.#changes.wait(ms, signal, since),
        changeEpoch: () => this.#changes.epoch,
      },
      options,
    );
  }

  async headPosition(): Promise<GlobalPosition | null> {
    return this.#all.at(-1)?.globalPosition ?? null;
  }

  async close(): Promise<void> {}
}
