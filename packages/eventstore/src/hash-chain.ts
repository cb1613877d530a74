import { createHash } from 'node:crypto';
import type { EventMetadataInput, RecordedEvent } from './port';

/** JSON with object keys sorted at every depth, so that equal values always serialise to the same bytes. */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash of what an event says: its id, type, data and metadata (without the chain link itself: prevHash, hash, hashVersion). */
export const contentHash = (event: { eventId: string; type: string; data: unknown; metadata: EventMetadataInput }): string => {
  const {
    prevHash: _p,
    hash: _h,
    hashVersion: _v,
    ...metadata
  } = event.metadata as EventMetadataInput & { prevHash?: unknown; hash?: unknown; hashVersion?: unknown };
  return sha256(canonicalJson({ eventId: event.eventId, type: event.type, data: event.data, metadata }));
};

/** The link version stores write now; events without `hashVersion` in their metadata were linked with version 1. */
export const HASH_VERSION = 2;

/**
 * The chain link: binds an event's content (id, type, data, metadata) to its stream, its version, the previous link and,
 * from version 2, the time it was recorded (`recordedAt` as ISO-8601 with milliseconds). Version 1 (without the time)
 * is how stores linked events before; they still verify by it. The PostgreSQL adapter computes the same formula in SQL
 * inside the append (`eventstore.append`), so the two must stay identical.
 */
export const linkHash = (prevHash: string | null, streamId: string, streamVersion: number, content: string, recordedAt?: Date): string =>
  recordedAt === undefined
    ? sha256(`${prevHash ?? ''}|${streamId}|${streamVersion}|${content}`)
    : sha256(`2|${prevHash ?? ''}|${streamId}|${streamVersion}|${content}|${recordedAt.toISOString()}`);

/** The link an event should carry, by the version it was linked with. */
export const expectedLink = (event: RecordedEvent): string =>
  linkHash(
    event.metadata.prevHash ?? null,
    event.streamId,
    event.streamVersion,
    contentHash(event),
    event.metadata.hashVersion === HASH_VERSION ? event.recordedAt : undefined,
  );

export type ChainProblem =
  | { readonly kind: 'version_gap'; readonly streamVersion: number; readonly expectedVersion: number }
  | { readonly kind: 'broken_link'; readonly streamVersion: number; readonly expectedPrevHash: string | null; readonly foundPrevHash: string | null }
  | { readonly kind: 'altered'; readonly streamVersion: number; readonly expectedHash: string; readonly foundHash: string };

export interface ChainVerification {
  readonly streamId: string;
  readonly events: number;
  readonly ok: boolean;
  readonly problems: readonly ChainProblem[];
  readonly lastHash: string | null;
}

/**
 * Checks one stream fed forwards from version 0, an event at a time: no gap, every link points at its predecessor, every
 * hash matches its content. Holds only the last link, so a whole store can be checked stream by stream in one pass.
 */
export class ChainVerifier {
  #expectedVersion = 0;
  #prev: string | null = null;
  #count = 0;
  readonly #problems: ChainProblem[] = [];

  /**
   * `from`: where a stream's part starts when only a part is at hand (an export of a period): its first version and the
   * link it must point at, taken on trust. By default the stream starts at version 0 with no link before it.
   */
  constructor(
    readonly streamId: string,
    from?: { readonly version: number; readonly prevHash: string | null },
  ) {
    if (from) {
      this.#expectedVersion = from.version;
      this.#prev = from.prevHash;
    }
  }

  /** Checks the next event; returns the problems it shows (none when it is sound). */
  push(event: RecordedEvent): readonly ChainProblem[] {
    const found: ChainProblem[] = [];
    this.#count++;
    if (event.streamVersion !== this.#expectedVersion)
      found.push({ kind: 'version_gap', streamVersion: event.streamVersion, expectedVersion: this.#expectedVersion });
    if (event.metadata.prevHash !== this.#prev) {
      found.push({ kind: 'broken_link', streamVersion: event.streamVersion, expectedPrevHash: this.#prev, foundPrevHash: event.metadata.prevHash ?? null });
    }
    const expectedHash = expectedLink({ ...event, streamId: this.streamId });
    if (expectedHash !== event.metadata.hash) found.push({ kind: 'altered', streamVersion: event.streamVersion, expectedHash, foundHash: event.metadata.hash });
    this.#prev = event.metadata.hash;
    this.#expectedVersion = event.streamVersion + 1;
    this.#problems.push(...found);
    return found;
  }

  result(): ChainVerification {
    return { streamId: this.streamId, events: this.#count, ok: this.#problems.length === 0, problems: this.#problems, lastHash: this.#prev };
  }
}

/** Checks a stream read forwards from version 0: no gap, every link points at its predecessor, every hash matches its content. */
export const verifyChain = (streamId: string, events: Iterable<RecordedEvent>): ChainVerification => {
  const verifier = new ChainVerifier(streamId);
  for (const event of events) verifier.push(event);
  return verifier.result();
};
