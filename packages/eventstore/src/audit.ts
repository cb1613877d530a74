import { createHash } from 'node:crypto';
import { EVENT_FAMILIES } from '@dms/domain';
import type { z } from 'zod';
import { InvalidArgument } from './errors';
import { type ChainProblem, type ChainVerification, ChainVerifier, verifyChain } from './hash-chain';
import type { EventStore, GlobalPosition, RecordedEvent } from './port';

/** One line of an audit trail: what happened, when, who did it and why. */
export interface HistoryEntry {
  readonly streamVersion: number;
  readonly globalPosition: string;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: string;
  readonly actor: RecordedEvent['metadata']['actor'];
  readonly commandId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly hash: string;
}

export interface StreamHistory {
  readonly streamId: string;
  readonly entries: readonly HistoryEntry[];
  readonly verification: ChainVerification;
}

/** One recorded event as a line of an audit trail. */
export const historyEntry = (e: RecordedEvent): HistoryEntry => ({
  streamVersion: e.streamVersion,
  globalPosition: e.globalPosition.toString(),
  type: e.type,
  data: e.data,
  recordedAt: e.recordedAt.toISOString(),
  actor: e.metadata.actor,
  commandId: e.metadata.commandId ?? null,
  correlationId: e.metadata.correlationId,
  causationId: e.metadata.causationId ?? null,
  hash: e.metadata.hash,
});

/** The full history of a stream with its hash chain verified: what an auditor reads. */
export const streamHistory = async (store: EventStore, streamId: string): Promise<StreamHistory> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) events.push(e);
  return { streamId, entries: events.map(historyEntry), verification: verifyChain(streamId, events) };
};

/** What a whole-store verification found wrong, stream by stream. */
export interface StoreProblem {
  readonly streamId: string;
  /**
   * `version_gap`, `broken_link`, `altered`: the stream's hash chain does not hold. `undecodable`: an event that no schema
   * of its stream's family accepts. Against an anchor: `stream_missing` (a stream the anchor saw is gone), `truncated`
   * (it has fewer events than then), `rewritten` (the event at the anchored head is no longer the same one).
   */
  readonly kind: ChainProblem['kind'] | 'undecodable' | 'stream_missing' | 'truncated' | 'rewritten';
  readonly streamVersion: number | null;
  readonly detail: string;
}

/**
 * A digest of the store as one verification saw it: every stream's head (version and chain hash) and one root hash over
 * them. Kept outside the store (a file, a ticket, a signed e-mail), it lets a later verification prove that nothing
 * present then was removed, cut short or rewritten since, which a hash chain alone cannot show for a stream's last events.
 */
export interface StoreAnchor {
  readonly format: 'dms-audit-anchor/1';
  readonly takenAt: string;
  readonly streamPrefix: string | null;
  /** The last global position read (text, a 64-bit unsigned integer). */
  readonly position: string | null;
  readonly streams: number;
  readonly events: number;
  /** SHA-256 over the sorted lines `<streamId> <version> <hash>`, one per stream. */
  readonly rootHash: string;
  readonly heads: Readonly<Record<string, { readonly version: number; readonly hash: string }>>;
}

export interface StoreVerification {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  /** Every problem found; `problems` holds the first `maxProblems` of them. */
  readonly problemCount: number;
  readonly problems: readonly StoreProblem[];
  /** Streams, events and problems per stream category (the stream id up to its first '-'). */
  readonly categories: readonly { readonly category: string; readonly streams: number; readonly events: number; readonly problems: number }[];
  /** The digest of what was read: save it to verify against later. */
  readonly anchor: StoreAnchor;
  /** The anchor checked against, when one was given. */
  readonly against: { readonly takenAt: string; readonly rootHash: string; readonly streams: number } | null;
}

export interface VerifyStoreOptions {
  /** Only streams whose id starts with this (`order-`, `stock-`...). */
  readonly streamPrefix?: string;
  /** A previous verification's anchor: every stream it saw must still be there, at least as long, with the same head. */
  readonly against?: StoreAnchor;
  /** Check every event against the schemas of its stream's family (default true). */
  readonly schemas?: boolean;
  readonly maxProblems?: number;
  /** When the anchor is taken: the caller's clock (the store has none of its own). */
  readonly now?: Date;
  readonly onProgress?: (progress: { readonly events: number; readonly fraction: number }) => void;
}

const categoryOf = (streamId: string) => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};

/** Finds the event family of a stream id from the catalogue's stream patterns (`order-<orderId>`, `territoryregistry-manufacturer`). */
const familyOf = (() => {
  const families = EVENT_FAMILIES.map((f) => {
    const open = f.stream.indexOf('<');
    return { exact: open < 0, prefix: open < 0 ? f.stream : f.stream.slice(0, open), union: f.union as z.ZodType };
  }).sort((a, b) => b.prefix.length - a.prefix.length);
  return (streamId: string) => families.find((f) => (f.exact ? streamId === f.prefix : streamId.startsWith(f.prefix)));
})();

const undecodable = (event: RecordedEvent): string | null => {
  const family = familyOf(event.streamId);
  if (!family) return `no event family keeps streams like ${event.streamId}`;
  const parsed = family.union.safeParse({ type: event.type, data: event.data });
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return `${event.type} does not match its schema: ${issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'invalid'}`;
};

/** A chain problem in a sentence. */
export const chainDetail = (p: ChainProblem): string => {
  switch (p.kind) {
    case 'version_gap':
      return `version ${p.streamVersion} where ${p.expectedVersion} was due: events missing or reordered`;
    case 'broken_link':
      return `prevHash ${p.foundPrevHash?.slice(0, 12) ?? '(none)'} does not point at the previous event (${p.expectedPrevHash?.slice(0, 12) ?? '(none)'})`;
    case 'altered':
      return `content does not match its hash ${p.foundHash.slice(0, 12)}: altered after it was written`;
  }
};

/**
 * Reads the store (or the streams under a prefix) once, forwards through `$all`, and verifies every stream's hash chain,
 * every event against its schema and, given an anchor, that nothing the anchor saw was removed, cut short or rewritten.
 * Memory grows with the number of streams (one head each), not with the number of events.
 */
export const verifyStore = async (store: EventStore, options: VerifyStoreOptions = {}): Promise<StoreVerification> => {
  const prefix = options.streamPrefix ?? null;
  const against = options.against;
  if (against && against.format !== 'dms-audit-anchor/1') throw new InvalidArgument(`Not a DMS audit anchor: format "${String(against.format)}".`);
  if (against && against.streamPrefix !== prefix) {
    throw new InvalidArgument(
      `The anchor covers ${against.streamPrefix === null ? 'the whole store' : `streams under "${against.streamPrefix}"`}; verify the same streams against it.`,
    );
  }
  const maxProblems = options.maxProblems ?? 1000;
  const problems: StoreProblem[] = [];
  let problemCount = 0;
  const perCategory = new Map<string, { streams: number; events: number; problems: number }>();
  const report = (p: StoreProblem) => {
    problemCount++;
    if (problems.length < maxProblems) problems.push(p);
    const c = perCategory.get(categoryOf(p.streamId));
    if (c) c.problems++;
    else perCategory.set(categoryOf(p.streamId), { streams: 0, events: 0, problems: 1 });
  };

  const filter = prefix === null ? undefined : { streamPrefixes: [prefix] };
  let first: GlobalPosition | null = null;
  for await (const e of store.readAll({ maxCount: 1, ...(filter ? { filter } : {}) })) first = e.globalPosition;
  const head = await store.headPosition();
  const fraction = (pos: GlobalPosition) => (head === null || first === null || head <= first ? 1 : Math.min(1, Number(pos - first) / Number(head - first)));

  const streams = new Map<string, ChainVerifier>();
  const anchoredSeen = new Set<string>();
  let events = 0;
  let position: GlobalPosition | null = null;
  for await (const event of store.readAll(filter ? { filter } : {})) {
    events++;
    position = event.globalPosition;
    let verifier = streams.get(event.streamId);
    if (!verifier) {
      verifier = new ChainVerifier(event.streamId);
      streams.set(event.streamId, verifier);
      const c = perCategory.get(categoryOf(event.streamId));
      if (c) c.streams++;
      else perCategory.set(categoryOf(event.streamId), { streams: 1, events: 0, problems: 0 });
    }
    perCategory.get(categoryOf(event.streamId))!.events++;
    for (const p of verifier.push(event)) report({ streamId: event.streamId, kind: p.kind, streamVersion: p.streamVersion, detail: chainDetail(p) });
    if (options.schemas !== false) {
      const why = undecodable(event);
      if (why) report({ streamId: event.streamId, kind: 'undecodable', streamVersion: event.streamVersion, detail: why });
    }
    const anchored = against?.heads[event.streamId];
    if (anchored && anchored.version === event.streamVersion) {
      anchoredSeen.add(event.streamId);
      if (anchored.hash !== event.metadata.hash) {
        report({
          streamId: event.streamId,
          kind: 'rewritten',
          streamVersion: event.streamVersion,
          detail: `the anchor of ${against!.takenAt} saw hash ${anchored.hash.slice(0, 12)} here, now ${event.metadata.hash.slice(0, 12)}`,
        });
      }
    }
    if (events % 1000 === 0) options.onProgress?.({ events, fraction: fraction(event.globalPosition) });
  }
  if (against) {
    for (const [streamId, anchored] of Object.entries(against.heads)) {
      if (anchoredSeen.has(streamId)) continue;
      const now = streams.get(streamId)?.result();
      if (!now)
        report({
          streamId,
          kind: 'stream_missing',
          streamVersion: null,
          detail: `the anchor of ${against.takenAt} saw ${anchored.version + 1} events; none are left`,
        });
      else
        report({
          streamId,
          kind: 'truncated',
          streamVersion: now.events - 1,
          detail: `the anchor of ${against.takenAt} saw ${anchored.version + 1} events; ${now.events} are left`,
        });
    }
  }
  options.onProgress?.({ events, fraction: 1 });

  const heads: Record<string, { version: number; hash: string }> = {};
  const lines: string[] = [];
  for (const streamId of [...streams.keys()].sort()) {
    const r = streams.get(streamId)!.result();
    heads[streamId] = { version: r.events - 1, hash: r.lastHash ?? '' };
    lines.push(`${streamId} ${r.events - 1} ${r.lastHash ?? ''}\n`);
  }
  const root = createHash('sha256');
  for (const line of lines) root.update(line, 'utf8');
  return {
    ok: problemCount === 0,
    streams: streams.size,
    events,
    problemCount,
    problems,
    categories: [...perCategory.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([category, c]) => ({ category, ...c })),
    anchor: {
      format: 'dms-audit-anchor/1',
      takenAt: (options.now ?? new Date()).toISOString(),
      streamPrefix: prefix,
      position: position === null ? null : position.toString(),
      streams: streams.size,
      events,
      rootHash: root.digest('hex'),
      heads,
    },
    against: against ? { takenAt: against.takenAt, rootHash: against.rootHash, streams: Object.keys(against.heads).length } : null,
  };
};
