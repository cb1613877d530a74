import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { eventSchemas } from '@dms/domain';
import { z } from 'zod';
import { chainDetail } from './audit';
import { type AuditTotals, TotalsCalculator } from './audit-totals';
import { type ChainProblem, ChainVerifier, canonicalJson } from './hash-chain';
import type { RecordedEvent } from './port';

/**
 * An audit bundle: the events of a selection as JSON Lines, which an auditor verifies on a machine with no database and
 * no access to the installation (`dms audit verify-export`).
 *
 * Line 1 is the header: `{ format, manifest, signature }`. The manifest says what was selected, how many events of which
 * types, the first and last global positions, every stream's part (first and last version, the link before its first
 * event, its head hash, the global position of each event), the order and settlement totals, the DMS version and the
 * event schemas as JSON Schema, and the SHA-256 of the event lines. The signature is Ed25519 over the manifest's canonical
 * JSON, with the installation's key (`dms audit public-key`). Every other line is one event with every stored field, in
 * `$all` order, as canonical JSON (keys sorted): `globalPosition`, `streamId`, `streamVersion`, `eventId`, `type`, `data`,
 * `metadata` (with `prevHash`, `hash`, `hashVersion`), `recordedAt`.
 */
export const BUNDLE_FORMAT = 'dms-audit-export/1';

export interface BundleEvent {
  readonly globalPosition: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: RecordedEvent['metadata'];
  readonly recordedAt: string;
}

/** What was exported: one stream, streams under a prefix, a dealer's streams, events recorded in a period (any together). */
export interface ExportSelection {
  readonly streamId?: string;
  readonly prefix?: string;
  readonly partnerId?: string;
  /** Events recorded at or after this instant (ISO-8601). */
  readonly from?: string;
  /** Events recorded at or before this instant (ISO-8601). */
  readonly to?: string;
}

export interface BundleStream {
  readonly fromVersion: number;
  readonly toVersion: number;
  /** The link the stream's first exported event points at: null when the part starts at version 0. */
  readonly firstPrevHash: string | null;
  readonly headHash: string;
  /** The global position of each exported event of the stream, in order (positions are not covered by the hash chain). */
  readonly positions: readonly string[];
}

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly createdAt: string;
  readonly dmsVersion: string;
  readonly selection: ExportSelection;
  /** The store's head when the export began: nothing after it is in the bundle. */
  readonly upToPosition: string | null;
  readonly counts: { readonly events: number; readonly streams: number; readonly byType: Readonly<Record<string, number>> };
  readonly positions: { readonly first: string | null; readonly last: string | null };
  /** SHA-256 over the event lines, each with its newline. */
  readonly eventsSha256: string;
  readonly streams: Readonly<Record<string, BundleStream>>;
  readonly totals: AuditTotals;
  /** JSON Schema (draft 2020-12) of every event type in the bundle, as `{ type, data }`. */
  readonly schemas: Readonly<Record<string, unknown>>;
}

export interface BundleSignature {
  readonly algorithm: 'Ed25519';
  /** The public key, SPKI DER in base64. */
  readonly publicKey: string;
  /** SHA-256 of the public key's DER, hex: compare it with what `dms audit public-key` prints at the installation. */
  readonly keyId: string;
  /** Ed25519 over the UTF-8 bytes of the manifest's canonical JSON, base64. */
  readonly value: string;
}

export interface BundleHeader {
  readonly format: typeof BUNDLE_FORMAT;
  readonly manifest: BundleManifest;
  readonly signature: BundleSignature;
}

/** The installation's signing key pair (Ed25519). */
export interface BundleKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** The fingerprint of a public key: SHA-256 of its SPKI DER, hex. */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

/** One event as its bundle line (canonical JSON and a newline). */
export const bundleLine = (e: RecordedEvent): string =>
  `${canonicalJson({
    globalPosition: e.globalPosition.toString(),
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt.toISOString(),
  })}\n`;

const recordedOf = (e: BundleEvent): RecordedEvent => ({ ...e, globalPosition: BigInt(e.globalPosition), recordedAt: new Date(e.recordedAt) });

/** The JSON Schema of an event type, `{ type, data }`, as zod gives it. */
export const eventJsonSchema = (type: string): unknown => {
  const schema = eventSchemas.get(type);
  return schema ? z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) : null;
};

/** Builds a manifest from the event lines as they are written. */
export class ManifestBuilder {
  readonly #hash = createHash('sha256');
  readonly #streams = new Map<string, { fromVersion: number; toVersion: number; firstPrevHash: string | null; headHash: string; positions: string[] }>();
  readonly #byType = new Map<string, number>();
  readonly #totals = new TotalsCalculator();
  #events = 0;
  #first: string | null = null;
  #last: string | null = null;

  push(event: RecordedEvent, line: string): void {
    this.#hash.update(line, 'utf8');
    this.#events++;
    const position = event.globalPosition.toString();
    this.#first ??= position;
    this.#last = position;
    this.#byType.set(event.type, (this.#byType.get(event.type) ?? 0) + 1);
    const stream = this.#streams.get(event.streamId);
    if (stream) {
      stream.toVersion = event.streamVersion;
      stream.headHash = event.metadata.hash;
      stream.positions.push(position);
    } else
      this.#streams.set(event.streamId, {
        fromVersion: event.streamVersion,
        toVersion: event.streamVersion,
        firstPrevHash: event.metadata.prevHash ?? null,
        headHash: event.metadata.hash,
        positions: [position],
      });
    this.#totals.push(event);
  }

  finish(options: { createdAt: Date; dmsVersion: string; selection: ExportSelection; upToPosition: string | null }): BundleManifest {
    const types = [...this.#byType.keys()].sort();
    return {
      format: BUNDLE_FORMAT,
      createdAt: options.createdAt.toISOString(),
      dmsVersion: options.dmsVersion,
      selection: options.selection,
      upToPosition: options.upToPosition,
      counts: { events: this.#events, streams: this.#streams.size, byType: Object.fromEntries(types.map((t) => [t, this.#byType.get(t)!])) },
      positions: { first: this.#first, last: this.#last },
      eventsSha256: this.#hash.digest('hex'),
      streams: Object.fromEntries([...this.#streams.keys()].sort().map((id) => [id, this.#streams.get(id)!])),
      totals: this.#totals.totals(),
      schemas: Object.fromEntries(types.map((t) => [t, eventJsonSchema(t)])),
    };
  }
}

/** Signs a manifest: the header line of a bundle. */
export const headerLine = (manifest: BundleManifest, keys: BundleKeys): string => {
  const signature: BundleSignature = {
    algorithm: 'Ed25519',
    publicKey: keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    keyId: keyIdOf(keys.publicKey),
    value: sign(null, Buffer.from(canonicalJson(manifest), 'utf8'), keys.privateKey).toString('base64'),
  };
  return `${JSON.stringify({ format: BUNDLE_FORMAT, manifest, signature } satisfies BundleHeader)}\n`;
};

// ---------------------------------------------------------------------------------------------------------------------
// Verifying

export interface BundleProblem {
  /** The bundle line (1 is the header). */
  readonly line: number | null;
  readonly streamId: string | null;
  readonly streamVersion: number | null;
  readonly eventId: string | null;
  readonly kind:
    | 'header'
    | 'signature'
    | 'untrusted_key'
    | 'unparsable'
    | 'not_canonical'
    | 'undecodable'
    | ChainProblem['kind']
    | 'not_in_manifest'
    | 'position'
    | 'missing'
    | 'events_hash'
    | 'counts'
    | 'totals'
    | 'schema_changed';
  readonly detail: string;
}

export interface BundleVerification {
  readonly ok: boolean;
  readonly manifest: BundleManifest | null;
  /** The signing key's fingerprint, and whether it is the one the auditor was given (null: none was given). */
  readonly keyId: string | null;
  readonly keyTrusted: boolean | null;
  readonly events: number;
  readonly streams: number;
  /** Every problem found; `problems` holds the first `maxProblems` of them. */
  readonly problemCount: number;
  readonly problems: readonly BundleProblem[];
  /** The totals recomputed from the events with the domain's evolve. */
  readonly totals: AuditTotals | null;
}

const eventIdIn = (text: string) => /"eventId":"([0-9a-fA-F-]{36})"/.exec(text)?.[1] ?? null;
const streamIdIn = (text: string) => /"streamId":"([^"]{1,300})"/.exec(text)?.[1] ?? null;
const versionIn = (text: string) => {
  const v = /"streamVersion":(\d{1,9})/.exec(text)?.[1];
  return v === undefined ? null : Number(v);
};

/** Reads a public key given as PEM, or as base64 SPKI DER (what `dms audit public-key` prints). */
export const readPublicKey = (text: string): KeyObject =>
  text.includes('BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'spki' });

const BundleEventShape = z.object({
  globalPosition: z.string().regex(/^\d{1,20}$/),
  streamId: z.string().min(1),
  streamVersion: z.number().int().min(0),
  eventId: z.string(),
  type: z.string(),
  data: z.unknown(),
  metadata: z.object({ hash: z.string(), prevHash: z.string().nullable() }).passthrough(),
  recordedAt: z.iso.datetime({ offset: false }),
});

/**
 * Verifies a bundle, line by line, with nothing but the bundle (and, to trust the signature, the installation's public
 * key): the signature over the manifest; every line is canonical JSON of an event; every event against the schema of its
 * type; every stream's hash chain from the link the manifest names; every global position and stream head against the
 * manifest; the SHA-256 of the event lines; and the order and settlement totals recomputed with the domain's evolve.
 * Each problem names the line and the event. Memory grows with the number of streams.
 */
export const verifyBundle = async (
  lines: AsyncIterable<string> | Iterable<string>,
  options: { readonly publicKey?: KeyObject; readonly maxProblems?: number; readonly onEvent?: (event: BundleEvent) => void } = {},
): Promise<BundleVerification> => {
  const max = options.maxProblems ?? 1000;
  const problems: BundleProblem[] = [];
  let problemCount = 0;
  const report = (p: BundleProblem) => {
    problemCount++;
    if (problems.length < max) problems.push(p);
  };
  let lineNo = 0;
  let header: BundleHeader | null = null;
  let keyId: string | null = null;
  let keyTrusted: boolean | null = null;
  const hash = createHash('sha256');
  const chains = new Map<string, ChainVerifier>();
  const seen = new Map<string, { count: number; lastVersion: number; lastHash: string }>();
  const byType = new Map<string, number>();
  const totals = new TotalsCalculator();
  let events = 0;

  for await (const text of lines) {
    lineNo++;
    if (lineNo === 1) {
      header = readHeader(text, report);
      if (header) ({ keyId, keyTrusted } = checkSignature(header, options.publicKey, report));
      continue;
    }
    if (text === '') continue;
    hash.update(`${text}\n`, 'utf8');
    events++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const streamId = streamIdIn(text);
      const version = versionIn(text);
      report({
        line: lineNo,
        streamId,
        streamVersion: version,
        eventId: eventIdIn(text),
        kind: 'unparsable',
        detail: `line ${lineNo} is not JSON${streamId ? ` (by its text: ${streamId} v${version ?? '?'})` : ''}`,
      });
      continue;
    }
    const shape = BundleEventShape.safeParse(parsed);
    if (!shape.success) {
      const issue = shape.error.issues[0]!;
      const raw = parsed as Partial<BundleEvent>;
      report({
        line: lineNo,
        streamId: typeof raw?.streamId === 'string' ? raw.streamId : streamIdIn(text),
        streamVersion: typeof raw?.streamVersion === 'number' ? raw.streamVersion : versionIn(text),
        eventId: typeof raw?.eventId === 'string' ? raw.eventId : eventIdIn(text),
        kind: 'unparsable',
        detail: `line ${lineNo} is not a bundle event: ${issue.path.join('.') || '(line)'}: ${issue.message}`,
      });
      continue;
    }
    const event = shape.data as BundleEvent;
    const at = { line: lineNo, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId };
    if (canonicalJson(parsed) !== text) report({ ...at, kind: 'not_canonical', detail: 'the line is not the canonical JSON of its event: it was edited' });
    byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
    const schema = eventSchemas.get(event.type);
    const decoded = schema?.safeParse({ type: event.type, data: event.data });
    if (!decoded?.success) {
      const issue = decoded?.error.issues[0];
      report({
        ...at,
        kind: 'undecodable',
        detail: schema
          ? `${event.type} does not match its schema: ${issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'invalid'}`
          : `no event type ${event.type} exists`,
      });
    }
    const part = header?.manifest.streams[event.streamId];
    if (header && !part) report({ ...at, kind: 'not_in_manifest', detail: `the manifest lists no stream ${event.streamId}` });
    let chain = chains.get(event.streamId);
    if (!chain) {
      chain = new ChainVerifier(event.streamId, part ? { version: part.fromVersion, prevHash: part.firstPrevHash } : undefined);
      chains.set(event.streamId, chain);
    }
    const recorded = recordedOf(event);
    for (const p of chain.push(recorded)) report({ ...at, kind: p.kind, detail: chainDetail(p) });
    const s = seen.get(event.streamId) ?? { count: 0, lastVersion: -1, lastHash: '' };
    if (part) {
      const expected = part.positions[s.count];
      if (expected !== event.globalPosition)
        report({ ...at, kind: 'position', detail: `global position ${event.globalPosition}; the manifest has ${expected ?? 'no further event'} here` });
    }
    seen.set(event.streamId, { count: s.count + 1, lastVersion: event.streamVersion, lastHash: event.metadata.hash });
    for (const f of totals.push(event)) report({ ...at, kind: 'totals', detail: `${event.type} ${f.detail}` });
    options.onEvent?.(event);
  }

  if (lineNo === 0) report({ line: null, streamId: null, streamVersion: null, eventId: null, kind: 'header', detail: 'the bundle is empty' });
  const recomputed = totals.totals();
  if (header) {
    const m = header.manifest;
    const none = { line: null, streamId: null, streamVersion: null, eventId: null } as const;
    for (const [streamId, part] of Object.entries(m.streams)) {
      const s = seen.get(streamId);
      if (!s || s.count < part.positions.length || s.lastVersion !== part.toVersion || s.lastHash !== part.headHash)
        report({
          ...none,
          streamId,
          streamVersion: s ? s.lastVersion : null,
          kind: 'missing',
          detail: `the manifest has ${part.positions.length} events up to v${part.toVersion} (head ${part.headHash.slice(0, 12)}); the bundle ${s ? `has ${s.count}, last v${s.lastVersion}` : 'has none'}`,
        });
    }
    const digest = hash.digest('hex');
    if (digest !== m.eventsSha256)
      report({ ...none, kind: 'events_hash', detail: `the event lines hash to ${digest.slice(0, 16)}; the manifest says ${m.eventsSha256.slice(0, 16)}` });
    if (events !== m.counts.events || chains.size !== m.counts.streams)
      report({ ...none, kind: 'counts', detail: `${events} events in ${chains.size} streams; the manifest says ${m.counts.events} in ${m.counts.streams}` });
    for (const [type, n] of Object.entries(m.counts.byType))
      if ((byType.get(type) ?? 0) !== n) report({ ...none, kind: 'counts', detail: `${byType.get(type) ?? 0} ${type} events; the manifest says ${n}` });
    if (canonicalJson(recomputed) !== canonicalJson(m.totals))
      report({
        ...none,
        kind: 'totals',
        detail: `the totals recomputed from the events (${canonicalJson(recomputed)}) differ from the manifest's (${canonicalJson(m.totals)})`,
      });
    for (const [type, schema] of Object.entries(m.schemas))
      if (canonicalJson(schema) !== canonicalJson(eventJsonSchema(type)))
        report({
          ...none,
          kind: 'schema_changed',
          detail: `the schema of ${type} in the bundle (DMS ${m.dmsVersion}) is not this verifier's: events were checked against this verifier's`,
        });
  }
  return {
    ok: problemCount === 0,
    manifest: header?.manifest ?? null,
    keyId,
    keyTrusted,
    events,
    streams: chains.size,
    problemCount,
    problems,
    totals: recomputed,
  };
};

const readHeader = (text: string, report: (p: BundleProblem) => void): BundleHeader | null => {
  const none = { line: 1, streamId: null, streamVersion: null, eventId: null } as const;
  let header: BundleHeader;
  try {
    header = JSON.parse(text) as BundleHeader;
  } catch {
    report({ ...none, kind: 'header', detail: 'line 1 (the manifest and its signature) is not JSON' });
    return null;
  }
  if (header?.format !== BUNDLE_FORMAT || typeof header.manifest !== 'object' || header.manifest === null || typeof header.signature !== 'object') {
    report({ ...none, kind: 'header', detail: `line 1 is not a ${BUNDLE_FORMAT} header` });
    return null;
  }
  return header;
};

const checkSignature = (header: BundleHeader, trusted: KeyObject | undefined, report: (p: BundleProblem) => void) => {
  const none = { line: 1, streamId: null, streamVersion: null, eventId: null } as const;
  let key: KeyObject;
  try {
    key = readPublicKey(header.signature.publicKey);
  } catch {
    report({ ...none, kind: 'signature', detail: 'the public key in the header cannot be read' });
    return { keyId: null, keyTrusted: null };
  }
  const keyId = keyIdOf(key);
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(header.manifest), 'utf8'), key, Buffer.from(header.signature.value, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid)
    report({ ...none, kind: 'signature', detail: `the signature over the manifest does not verify with key ${keyId.slice(0, 16)}: the manifest was changed` });
  const keyTrusted = trusted === undefined ? null : keyIdOf(trusted) === keyId;
  if (keyTrusted === false)
    report({ ...none, kind: 'untrusted_key', detail: `signed with key ${keyId.slice(0, 16)}, not with the key given (${keyIdOf(trusted!).slice(0, 16)})` });
  return { keyId, keyTrusted };
};
