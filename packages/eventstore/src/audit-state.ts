import { type Aggregate, aggregates, type Message, type OrderState, orderStatus } from '@dms/domain';
import { type HistoryEntry, historyEntry } from './audit';
import { InvalidArgument } from './errors';
import { type ChainVerification, verifyChain } from './hash-chain';
import { evolveRecorded } from './load';
import type { EventStore, GlobalPosition, RecordedEvent } from './port';

/**
 * Time travel for auditors: an aggregate's state as of a moment, folded from its own events by the domain's own `evolve`
 * (never read from a table or a snapshot), beside the events that led to it.
 *
 * "As of" cuts a stream on what the store itself recorded, both bound into the hash chain: the time an event was recorded
 * (`recordedAt`, covered by link version 2) and its global position. The state is folded from the longest prefix of the
 * stream recorded by then, so a later event never shows through a gap.
 */

type AnyAggregate = Aggregate<Message, Message, unknown>;

const BY_CATEGORY: ReadonlyMap<string, AnyAggregate> = new Map(
  Object.values(aggregates as Record<string, unknown>)
    .filter((a): a is AnyAggregate => typeof a === 'object' && a !== null && 'decider' in a && 'name' in a)
    .map((a) => [a.name, a]),
);

/** The aggregate that keeps streams like this id: the category before the first '-' names it (`order-SO-1` -> order). */
export const aggregateOfStream = (streamId: string): AnyAggregate | undefined => {
  const dash = streamId.indexOf('-');
  return dash <= 0 ? undefined : BY_CATEGORY.get(streamId.slice(0, dash));
};

/** Where to cut a stream: events recorded at or before `at`, and at or below global position `position` (both when both). */
export interface AsOf {
  readonly at?: Date;
  readonly position?: GlobalPosition;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Reads an "as of" time: an ISO-8601 instant with its offset (`2026-06-30T23:59:59Z`), or a bare date, which means the
 * end of that day in UTC (`2026-06-30` = `2026-06-30T23:59:59.999Z`). Anything else is refused, naming the value.
 */
export const parseAsOfTime = (text: string): Date => {
  const match = INSTANT.exec(text);
  const date = match ? new Date(match[2] ? text : `${match[1]}T23:59:59.999Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || (match && date.toISOString().slice(0, 10) !== match[1] && !match[2]))
    throw new InvalidArgument(`"${text}" is not a time: give an ISO-8601 instant with its offset (2026-06-30T23:59:59Z) or a date (2026-06-30).`);
  return date;
};

/** Reads a global position: a whole number, as histories print them. */
export const parseAsOfPosition = (text: string): GlobalPosition => {
  if (!/^\d{1,19}$/.test(text)) throw new InvalidArgument(`"${text}" is not a global position: give a whole number, as a history prints it.`);
  return BigInt(text);
};

/** True while an event lies within the cut. */
export const withinCut = (event: RecordedEvent, asOf: AsOf): boolean =>
  (asOf.at === undefined || event.recordedAt.getTime() <= asOf.at.getTime()) && (asOf.position === undefined || event.globalPosition <= asOf.position);

/**
 * A state as plain JSON, for people and files: maps become objects (or `[key, value]` pairs when a key is not text), sets
 * become arrays, big integers decimal text. Insertion order is kept, as `evolve` built it.
 */
export const stateAsJson = (value: unknown): unknown => {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Set) return [...value].map(stateAsJson);
  if (value instanceof Map) {
    const entries = [...value.entries()];
    return entries.every(([k]) => typeof k === 'string')
      ? Object.fromEntries(entries.map(([k, v]) => [k, stateAsJson(v)]))
      : entries.map(([k, v]) => [stateAsJson(k), stateAsJson(v)]);
  }
  if (Array.isArray(value)) return value.map(stateAsJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, stateAsJson(v)]])));
  return value;
};

/** What a person reads off an order beside its state: the status DMS shows for it (orders only; null for other aggregates). */
const statusOf = (aggregate: AnyAggregate, state: unknown): string | null =>
  aggregate.name === 'order' && (state as OrderState).exists ? orderStatus(state as OrderState & { exists: true }) : null;

export interface StateAsOf {
  readonly streamId: string;
  /** The aggregate whose `evolve` folded the events (order, stock, agreement, credit, settlement...). */
  readonly aggregate: string;
  readonly asOf: { readonly at: string | null; readonly position: string | null };
  /** The stream version the state stands at; -1 when nothing was recorded in the stream by then. */
  readonly version: number;
  /** Every event the stream holds now, including those after the cut. */
  readonly eventsInStream: number;
  /** The state as JSON (`stateAsJson`). */
  readonly state: unknown;
  /** An order's displayed status at that moment; null for other aggregates or before the order existed. */
  readonly status: string | null;
  /** The events that led to the state, oldest first. */
  readonly entries: readonly HistoryEntry[];
  /** The whole stream's hash chain, verified: the events folded are a prefix of it. */
  readonly verification: ChainVerification;
}

/** One step of a stream's history: the event, and the state right after it. */
export interface StateStep {
  readonly entry: HistoryEntry;
  readonly state: unknown;
  readonly status: string | null;
}

const requireAggregate = (streamId: string): AnyAggregate => {
  const aggregate = aggregateOfStream(streamId);
  if (!aggregate)
    throw new InvalidArgument(
      `No aggregate keeps streams like ${streamId}: a stream id is <category>-<id>, with category one of ${[...BY_CATEGORY.keys()].sort().join(', ')}.`,
    );
  return aggregate;
};

const readWhole = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) events.push(e);
  return events;
};

/**
 * The state of any aggregate's stream as of a moment (`asOf` empty: now), folded by its decider's `evolve` from the events
 * recorded by then, each checked against its schema first (an undecodable event throws `MalformedEvent`).
 *
 * @example
 *   const june = await stateAsOf(store, 'order-SO-00042', { at: new Date('2026-06-30T23:59:59Z') });
 *   june.status; // 'shipped'
 */
export const stateAsOf = async (store: EventStore, streamId: string, asOf: AsOf = {}): Promise<StateAsOf> => {
  const aggregate = requireAggregate(streamId);
  const events = await readWhole(store, streamId);
  let state = aggregate.decider.initialState;
  const folded: RecordedEvent[] = [];
  for (const event of events) {
    if (!withinCut(event, asOf)) break;
    state = evolveRecorded(aggregate, state, event);
    folded.push(event);
  }
  return {
    streamId,
    aggregate: aggregate.name,
    asOf: { at: asOf.at?.toISOString() ?? null, position: asOf.position?.toString() ?? null },
    version: folded.at(-1)?.streamVersion ?? -1,
    eventsInStream: events.length,
    state: stateAsJson(state),
    status: statusOf(aggregate, state),
    entries: folded.map(historyEntry),
    verification: verifyChain(streamId, events),
  };
};

/** Folds recorded events of one stream step by step: the state after each of them (what `dms audit sample` prints). */
export const foldSteps = (streamId: string, events: readonly RecordedEvent[]): StateStep[] => {
  const aggregate = requireAggregate(streamId);
  let state = aggregate.decider.initialState;
  return events.map((event) => {
    state = evolveRecorded(aggregate, state, event);
    return { entry: historyEntry(event), state: stateAsJson(state), status: statusOf(aggregate, state) };
  });
};

/** Every step of a stream: each event with the state right after it, folded from the start. */
export const stateSteps = async (store: EventStore, streamId: string): Promise<StateStep[]> => foldSteps(streamId, await readWhole(store, streamId));
