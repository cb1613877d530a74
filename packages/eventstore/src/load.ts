import type { Aggregate, Message } from '@dms/domain';
import { MalformedEvent } from './errors';
import type { EventStore, GlobalPosition, RecordedEvent, Snapshot } from './port';

/**
 * Snapshots: an aggregate's state as of one version of its stream, so that deciding reads only the events after it.
 *
 * A snapshot is a cache and nothing else. It is taken from a state folded from the stream itself, names the hash of the
 * event it stops at, and is used only when that event is still there with that hash and the aggregate's snapshot schema
 * is the one it was written with; otherwise the stream is folded from its start. Deleting every snapshot changes no
 * answer, only how much is read. The events stay the one source of truth: the hash chain, expected versions and
 * `dms audit verify` never look at snapshots. See docs/architecture.md ("Snapshots").
 */

/** A stream as read and folded. */
export interface Loaded<S> {
  readonly state: S;
  /** -1 when the stream does not exist. */
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

/** Folds one recorded event into a state, checking it against the aggregate's schema. */
export const evolveRecorded = <C extends Message, E extends Message, S>(aggregate: Aggregate<C, E, S>, state: S, recorded: RecordedEvent): S => {
  const parsed = aggregate.eventSchema.safeParse({ type: recorded.type, data: recorded.data });
  if (!parsed.success)
    throw new MalformedEvent(
      recorded.streamId,
      recorded.streamVersion,
      recorded.type,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return aggregate.decider.evolve(state, parsed.data);
};

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
    state = evolveRecorded(aggregate, state, recorded);
    version = recorded.streamVersion;
    events.push(recorded);
  }
  return { state, version, events };
};

/** Events read past a snapshot (or from a stream's start) before a new snapshot is written. */
export const SNAPSHOT_EVERY = 100;

export interface LoadedLatest<S> extends Loaded<S> {
  /**
   * True when `events` holds the whole stream. False when the state started from a snapshot: `events` then holds only
   * the events after it, so a command id not among them may still be in the stream (see `handleCommand`).
   */
  readonly complete: boolean;
  /** Global position of the stream's last event; 0 when the stream does not exist. */
  readonly position: GlobalPosition;
}

/**
 * Loads a stream for deciding: from the aggregate's snapshot when the store keeps snapshots and a usable one exists,
 * else from the start; writes a new snapshot when `SNAPSHOT_EVERY` or more events had to be folded. Aggregates without
 * a snapshot codec, stores without snapshots, and `whole: true` read the whole stream. A snapshot that cannot be read or
 * written is passed over: it is a cache.
 */
export const loadLatest = async <C extends Message, E extends Message, S>(
  store: EventStore,
  aggregate: Aggregate<C, E, S>,
  streamId: string,
  options: { readonly whole?: boolean } = {},
): Promise<LoadedLatest<S>> => {
  const codec = aggregate.snapshot;
  const snapshots = store.snapshots;
  if (!codec || !snapshots || options.whole) {
    const loaded = await loadAggregate(store, aggregate, streamId);
    return { ...loaded, complete: true, position: loaded.events.at(-1)?.globalPosition ?? 0n };
  }
  const snapshot = await snapshots.read(streamId).catch(() => null);
  const start = snapshot && snapshot.schema === codec.schema ? codec.fromJson(snapshot.state) : null;
  const after = snapshot && start !== null ? await foldAfter(store, aggregate, snapshot, start) : undefined;
  const loaded = after ?? { ...(await loadAggregate(store, aggregate, streamId)), anchor: 0n };
  if (loaded.events.length >= SNAPSHOT_EVERY) {
    const last = loaded.events.at(-1)!;
    await snapshots
      .write({ streamId, schema: codec.schema, version: last.streamVersion, hash: last.metadata.hash, state: codec.toJson(loaded.state) })
      .catch(() => undefined);
  }
  const { state, version, events, anchor } = loaded;
  return { state, version, events, complete: !after, position: events.at(-1)?.globalPosition ?? anchor };
};

/**
 * Folds the events after a snapshot into its state. Reads from the snapshot's own event, which must still be there with
 * the hash the snapshot names; undefined when it is not (the snapshot does not describe this stream, so it is not used).
 */
const foldAfter = async <C extends Message, E extends Message, S>(
  store: EventStore,
  aggregate: Aggregate<C, E, S>,
  snapshot: Snapshot,
  start: S,
): Promise<(Loaded<S> & { anchor: GlobalPosition }) | undefined> => {
  let state = start;
  let anchor: GlobalPosition | undefined;
  const events: RecordedEvent[] = [];
  for await (const recorded of store.readStream(snapshot.streamId, { from: snapshot.version })) {
    if (anchor === undefined) {
      if (recorded.streamVersion !== snapshot.version || recorded.metadata.hash !== snapshot.hash) return undefined;
      anchor = recorded.globalPosition;
      continue;
    }
    state = evolveRecorded(aggregate, state, recorded);
    events.push(recorded);
  }
  if (anchor === undefined) return undefined;
  return { state, version: events.at(-1)?.streamVersion ?? snapshot.version, events, anchor };
};
