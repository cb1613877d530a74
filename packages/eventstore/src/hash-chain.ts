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

/** The hash of what an event says: its id, type, data and metadata (without the chain link itself). */
export const contentHash = (event: { eventId: string; type: string; data: unknown; metadata: EventMetadataInput }): string => {
  const { prevHash: _p, hash: _h, ...metadata } = event.metadata as EventMetadataInput & { prevHash?: unknown; hash?: unknown };
  return sha256(canonicalJson({ eventId: event.eventId, type: event.type, data: event.data, metadata }));
};

/**
 * The chain link: binds an event's content to its stream, its version and the previous link. The PostgreSQL adapter
 * computes the same formula in SQL inside the append (see `dms_append`), so the two must stay identical.
 */
export const linkHash = (prevHash: string | null, streamId: string, streamVersion: number, content: string): string =>
  sha256(`${prevHash ?? ''}|${streamId}|${streamVersion}|${content}`);

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

/** Checks a stream read forwards from version 0: no gap, every link points at its predecessor, every hash matches its content. */
export const verifyChain = (streamId: string, events: Iterable<RecordedEvent>): ChainVerification => {
  const problems: ChainProblem[] = [];
  let expectedVersion = 0;
  let prev: string | null = null;
  let count = 0;
  for (const event of events) {
    count++;
    if (event.streamVersion !== expectedVersion) problems.push({ kind: 'version_gap', streamVersion: event.streamVersion, expectedVersion });
    if (event.metadata.prevHash !== prev) {
      problems.push({ kind: 'broken_link', streamVersion: event.streamVersion, expectedPrevHash: prev, foundPrevHash: event.metadata.prevHash ?? null });
    }
    const expectedHash = linkHash(event.metadata.prevHash ?? null, streamId, event.streamVersion, contentHash(event));
    if (expectedHash !== event.metadata.hash)
      problems.push({ kind: 'altered', streamVersion: event.streamVersion, expectedHash, foundHash: event.metadata.hash });
    prev = event.metadata.hash;
    expectedVersion = event.streamVersion + 1;
  }
  return { streamId, events: count, ok: problems.length === 0, problems, lastHash: prev };
};
