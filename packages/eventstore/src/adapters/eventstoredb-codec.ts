/**
 * How DMS events are stored in EventStoreDB, and read back.
 *
 * - `data` is the event's JSON (content type `application/json`); our whole `metadata` (actor, correlationId,
 *   causationId, commandId, schemaVersion, any extra keys, and the chain link `prevHash`/`hash`) is the event's JSON
 *   custom metadata, unchanged. ESDB's own `$correlationId`/`$causationId` keys are not added, so metadata comes back
 *   exactly as appended.
 * - Global position = the event's `$all` **commit position**. For every event written through gRPC (no explicit
 *   transactions, which only the legacy TCP API offers) EventStoreDB reports commit == prepare, and reading the
 *   positions back from stream reads needs EventStoreDB 22.10+; both are checked on every event read, so a store that
 *   breaks either assumption fails loudly instead of yielding wrong positions. Mapping back, a position `p` is the ESDB
 *   position `{ commit: p, prepare: p }`. Positions are uint64 on both sides, so nothing is lost.
 * - Anything read back that is not such an event (binary or non-JSON data, non-JSON or incomplete metadata) is a
 *   `MalformedEvent`, never a crash and never a half-decoded event.
 */
import { type EventData, type JSONType, jsonEvent } from '@eventstore/db-client';
import { InvalidArgument, MalformedEvent } from '../errors';
import { contentHash, linkHash } from '../hash-chain';
import type { EventMetadata, GlobalPosition, NewEvent, RecordedEvent } from '../port';
import type { RecordedEventMessage } from './eventstoredb-wire';

const JSON_CONTENT_TYPE = 'application/json';
const TICKS_PER_MS = 10_000n;
/** What servers before 22.10 put in the position fields of stream reads (`ulong.MaxValue`), or 0 when unset. */
const UNKNOWN_POSITION = 2n ** 64n - 1n;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The identity of a stored event, readable even when its body is malformed. */
export interface StoredIdentity {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
}

export const identityOf = (message: RecordedEventMessage): StoredIdentity => {
  const streamId = Buffer.from(message.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
  const revision = BigInt(message.getStreamRevision() || '0');
  const id = message.getId();
  const structured = id?.getStructured();
  let eventId = id?.getString() ?? '';
  if (structured) {
    const hex = (half: string) => BigInt.asUintN(64, BigInt(half)).toString(16).padStart(16, '0');
    const all = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
    eventId = `${all.slice(0, 8)}-${all.slice(8, 12)}-${all.slice(12, 16)}-${all.slice(16, 20)}-${all.slice(20)}`;
  }
  // Stream versions are JS numbers in our port; 2^53 events in one stream is not a practical concern, but say so.
  const streamVersion = revision <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(revision) : Number.NaN;
  return { streamId, streamVersion, eventId: eventId.toLowerCase(), type: message.getMetadataMap().get('type') ?? '' };
};

/** The event's global position: its commit position, after checking that it is a real, unambiguous one. */
export const positionOf = (message: RecordedEventMessage): GlobalPosition => {
  const commit = BigInt(message.getCommitPosition() || '0');
  const prepare = BigInt(message.getPreparePosition() || '0');
  if (commit === UNKNOWN_POSITION || prepare === UNKNOWN_POSITION) {
    const { streamId, streamVersion, type } = identityOf(message);
    throw new MalformedEvent(streamId, streamVersion, type, 'the server did not report its $all position (stream reads carry it from EventStoreDB 22.10 on)');
  }
  if (commit !== prepare) {
    const { streamId, streamVersion, type } = identityOf(message);
    throw new MalformedEvent(
      streamId,
      streamVersion,
      type,
      `its commit position ${commit} differs from its prepare position ${prepare} (an explicit-transaction write), so it has no single global position`,
    );
  }
  return commit;
};

/** True for EventStoreDB's own events (`$`-prefixed streams or types): every read and subscription skips them. */
export const isSystemEvent = (streamId: string, type: string): boolean => streamId.startsWith('$') || type.startsWith('$');

const parseJson = (bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; problem: string } => {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const optionalText = (value: unknown) => value === undefined || value === null || typeof value === 'string';

/** What our metadata must hold; an empty list means it is well-formed. */
const metadataProblems = (metadata: Record<string, unknown>): string[] => {
  const problems: string[] = [];
  if (typeof metadata['correlationId'] !== 'string') problems.push('correlationId is missing or not a string');
  if (!optionalText(metadata['causationId'])) problems.push('causationId is not a string');
  if (!optionalText(metadata['commandId'])) problems.push('commandId is not a string');
  const actor = metadata['actor'];
  if (!isRecord(actor) || typeof actor['id'] !== 'string' || typeof actor['role'] !== 'string') problems.push('actor is missing or has no id and role');
  if (!Number.isInteger(metadata['schemaVersion'])) problems.push('schemaVersion is missing or not an integer');
  if (!('prevHash' in metadata) || !optionalText(metadata['prevHash'])) problems.push('prevHash is missing');
  if (typeof metadata['hash'] !== 'string') problems.push('hash is missing');
  return problems;
};

/** A stored event as our `RecordedEvent`, or a `MalformedEvent` saying what is wrong with it. */
export const decodeEvent = (message: RecordedEventMessage): RecordedEvent => {
  const { streamId, streamVersion, eventId, type } = identityOf(message);
  const malformed = (problem: string) => new MalformedEvent(streamId, streamVersion, type, problem);
  if (!Number.isSafeInteger(streamVersion)) throw malformed('its stream revision is beyond what a JavaScript number holds exactly');
  const globalPosition = positionOf(message);
  const contentType = message.getMetadataMap().get('content-type');
  if (contentType !== JSON_CONTENT_TYPE) throw malformed(`its data is not JSON (content type ${contentType ?? 'missing'})`);
  const data = parseJson(message.getData_asU8());
  if (!data.ok) throw malformed(`its data is not valid JSON: ${data.problem}`);
  const metadataBytes = message.getCustomMetadata_asU8();
  if (metadataBytes.length === 0) throw malformed('it has no metadata');
  const metadata = parseJson(metadataBytes);
  if (!metadata.ok) throw malformed(`its metadata is not valid JSON: ${metadata.problem}`);
  if (!isRecord(metadata.value)) throw malformed('its metadata is not a JSON object');
  const problems = metadataProblems(metadata.value);
  if (problems.length > 0) throw malformed(`its metadata is not DMS metadata: ${problems.join('; ')}`);
  const created = message.getMetadataMap().get('created');
  const recordedAt = new Date(created && /^\d+$/.test(created) ? Number(BigInt(created) / TICKS_PER_MS) : 0);
  return { streamId, streamVersion, globalPosition, eventId, type, data: data.value, metadata: metadata.value as unknown as EventMetadata, recordedAt };
};

/**
 * The events of one append as they will be stored, linked to the stream's actual last event (`prevHash` = its hash,
 * versions from `current + 1`). Data and metadata go through JSON first, so the hashes are over exactly what is stored
 * and what a reader gets back (a value that JSON changes, such as a `Date`, cannot break the chain).
 */
export const linkEvents = (
  streamId: string,
  current: number,
  prevHash: string | null,
  events: readonly NewEvent[],
): { eventId: string; event: EventData }[] => {
  let previous = prevHash;
  return events.map((e, i) => {
    const eventId = e.eventId.toLowerCase();
    let stored: { data: unknown; metadata: NewEvent['metadata'] };
    try {
      stored = JSON.parse(JSON.stringify({ data: e.data ?? null, metadata: e.metadata }));
    } catch (error) {
      throw new InvalidArgument(`Event ${i} of the append to ${streamId} is not JSON-serialisable: ${(error as Error).message}`);
    }
    const hash = linkHash(previous, streamId, current + 1 + i, contentHash({ eventId, type: e.type, data: stored.data, metadata: stored.metadata }));
    const metadata: EventMetadata = { ...stored.metadata, prevHash: previous, hash };
    previous = hash;
    // `data` may be any JSON value (a number, null...): the client serialises it with JSON.stringify whatever its type says.
    return { eventId, event: jsonEvent({ id: eventId, type: e.type, data: stored.data as JSONType, metadata }) };
  });
};
