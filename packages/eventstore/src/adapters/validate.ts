import { isStorableText, UNSTORABLE_TEXT } from '@dms/domain';
import { InvalidArgument } from '../errors';
import type { AppendOptions, ExpectedVersion, NewEvent, StreamAppend } from '../port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Argument checks every adapter applies before touching storage, so bad input fails the same way everywhere. */
export const checkAppend = (streamId: string, events: readonly NewEvent[], options: AppendOptions | undefined): ExpectedVersion => {
  checkStreamId(streamId);
  if (events.length === 0) throw new InvalidArgument(`An append to ${streamId} needs at least one event.`);
  if (events.length > 10_000) throw new InvalidArgument(`An append to ${streamId} may hold at most 10000 events, not ${events.length}.`);
  const ids = new Set<string>();
  for (const [i, e] of events.entries()) {
    if (!UUID.test(e.eventId)) throw new InvalidArgument(`Event ${i} of the append to ${streamId} has eventId "${e.eventId}", which is not a UUID.`);
    if (ids.has(e.eventId.toLowerCase())) throw new InvalidArgument(`Event id ${e.eventId} appears twice in one append to ${streamId}.`);
    ids.add(e.eventId.toLowerCase());
    if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 200)
      throw new InvalidArgument(`Event ${i} of the append to ${streamId} has no valid type.`);
    if (e.type.startsWith('$')) throw new InvalidArgument(`Event type ${e.type} is reserved: types starting with "$" belong to the store.`);
    // A walk without paths first; the path is built only for a refusal (checkAppend of an OrderPlaced 4.0 -> 1.7 µs).
    if (storable(e.data) && storable(e.metadata)) continue;
    const unstorable = unstorablePath(e.data, 'data') ?? unstorablePath(e.metadata, 'metadata');
    if (unstorable) throw new InvalidArgument(`Event ${i} of the append to ${streamId}: ${unstorable} ${UNSTORABLE_TEXT}.`);
  }
  const expected = options?.expectedVersion ?? 'any';
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidArgument(`expectedVersion must be a version (0 or more), 'no_stream', 'stream_exists' or 'any', not ${expected}.`);
  }
  return expected;
};

/** Whether every string and key in a JSON value is text PostgreSQL can store. */
const storable = (value: unknown): boolean => {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) {
    for (const item of value) if (!storable(item)) return false;
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (!isStorableText(key) || !storable((value as Record<string, unknown>)[key])) return false;
    }
  }
  return true;
};

/** Where in a JSON value a string (or key) holds text PostgreSQL cannot store; the same refusal on every adapter. */
const unstorablePath = (value: unknown, path: string): string | undefined => {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorablePath(item, `${path}.${i}`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return `${path} (a key)`;
      const found = unstorablePath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
};

/** Checks every part of a multi-stream append before anything is written; returns each part's expected version. */
export const checkUnit = (appends: readonly StreamAppend[]): ExpectedVersion[] => {
  if (appends.length === 0) throw new InvalidArgument('A multi-stream append needs at least one stream.');
  const streams = new Set<string>();
  const ids = new Set<string>();
  return appends.map((a) => {
    if (streams.has(a.streamId)) throw new InvalidArgument(`Stream ${a.streamId} appears twice in one multi-stream append: send its events as one part.`);
    streams.add(a.streamId);
    for (const e of a.events) {
      if (ids.has(e.eventId.toLowerCase())) throw new InvalidArgument(`Event id ${e.eventId} appears twice in one multi-stream append.`);
      ids.add(e.eventId.toLowerCase());
    }
    return checkAppend(a.streamId, a.events, a);
  });
};

export const checkStreamId = (streamId: string): void => {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 256 || streamId.startsWith('$') || !isStorableText(streamId)) {
    throw new InvalidArgument(`"${streamId}" is not a valid stream id: 1-256 characters, not starting with "$", ${UNSTORABLE_TEXT}.`);
  }
};

export const checkMaxCount = (maxCount: number | undefined): number => {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new InvalidArgument(`maxCount must be a whole number of 0 or more, not ${maxCount}.`);
  return maxCount;
};

/** True when a stream at `current` (-1: none) satisfies `expected`. */
export const versionMatches = (expected: ExpectedVersion, current: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current !== -1;
    default:
      return current === expected;
  }
};
