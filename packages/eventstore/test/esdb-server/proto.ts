/**
 * The protocol definitions, taken from the official client package itself: `@eventstore/db-client` ships the
 * generated gRPC service definitions (`generated/*_grpc_pb.js`) and protobuf message classes (`generated/*_pb.js`).
 * Using them (rather than our own copy of the .proto files) means the server speaks exactly the wire format the
 * client was built against.
 *
 * They are CommonJS modules whose exports are attached at runtime (google-protobuf style), which ESM named-import
 * detection cannot see, so they are loaded with `require`. `google-protobuf` itself is a dependency of the client,
 * not of ours, so it is resolved from the client package.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Metadata, type ServerErrorResponse, type ServiceError, status } from '@grpc/grpc-js';

const requireCjs = createRequire(import.meta.url);
const requireFromClient = createRequire(requireCjs.resolve('@eventstore/db-client/package.json'));

export const streamsPb = requireCjs('@eventstore/db-client/generated/streams_pb') as typeof import('@eventstore/db-client/generated/streams_pb');
export const streamsGrpc = requireCjs('@eventstore/db-client/generated/streams_grpc_pb') as typeof import('@eventstore/db-client/generated/streams_grpc_pb');
export const sharedPb = requireCjs('@eventstore/db-client/generated/shared_pb') as typeof import('@eventstore/db-client/generated/shared_pb');
export const statusPb = requireCjs('@eventstore/db-client/generated/status_pb') as typeof import('@eventstore/db-client/generated/status_pb');
export const codePb = requireCjs('@eventstore/db-client/generated/code_pb') as typeof import('@eventstore/db-client/generated/code_pb');
export const serverFeaturesPb = requireCjs(
  '@eventstore/db-client/generated/serverfeatures_pb',
) as typeof import('@eventstore/db-client/generated/serverfeatures_pb');
export const serverFeaturesGrpc = requireCjs(
  '@eventstore/db-client/generated/serverfeatures_grpc_pb',
) as typeof import('@eventstore/db-client/generated/serverfeatures_grpc_pb');
export const gossipPb = requireCjs('@eventstore/db-client/generated/gossip_pb') as typeof import('@eventstore/db-client/generated/gossip_pb');
export const gossipGrpc = requireCjs('@eventstore/db-client/generated/gossip_grpc_pb') as typeof import('@eventstore/db-client/generated/gossip_grpc_pb');

type StatusMessage = InstanceType<typeof statusPb.Status>;
type AnyMessage = NonNullable<ReturnType<StatusMessage['getDetails']>>;
type GoogleEmpty = NonNullable<ReturnType<InstanceType<typeof streamsPb.BatchAppendResp.Success>['getNoStream']>>;

const AnyClass = (requireFromClient('google-protobuf/google/protobuf/any_pb') as { Any: new () => AnyMessage }).Any;
const GoogleEmptyClass = (requireFromClient('google-protobuf/google/protobuf/empty_pb') as { Empty: new () => GoogleEmpty }).Empty;

export const googleEmpty = (): GoogleEmpty => new GoogleEmptyClass();
export const empty = (): InstanceType<typeof sharedPb.Empty> => new sharedPb.Empty();

/** `google.protobuf.Any` carrying one of EventStoreDB's error detail messages (`event_store.client.<name>`). */
export const packAny = (typeName: string, message: { serializeBinary(): Uint8Array }): AnyMessage => {
  const any = new AnyClass();
  any.setTypeUrl(`type.googleapis.com/${typeName}`);
  any.setValue(message.serializeBinary());
  return any;
};

export const streamIdentifier = (streamName: string): InstanceType<typeof sharedPb.StreamIdentifier> =>
  new sharedPb.StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(streamName, 'utf8')));

export const streamNameOf = (identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string | undefined => {
  if (!identifier) return undefined;
  const raw = identifier.getStreamName();
  return typeof raw === 'string' ? Buffer.from(raw, 'base64').toString('utf8') : Buffer.from(raw).toString('utf8');
};

// ---------------------------------------------------------------------------------------------------------------
// UUIDs: the client may send either the string form or the "structured" form (two signed 64-bit halves).

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** Canonical (lower-case) string of a protobuf UUID, or undefined when absent or malformed. */
export const parseUuid = (uuid: InstanceType<typeof sharedPb.UUID> | undefined): string | undefined => {
  if (!uuid) return undefined;
  if (uuid.hasString()) {
    const text = uuid.getString().toLowerCase();
    return isUuid(text) ? text : undefined;
  }
  const structured = uuid.getStructured();
  if (!structured) return undefined;
  const hex = (half: string) => BigInt.asUintN(64, BigInt(half)).toString(16).padStart(16, '0');
  const all = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-${all.slice(12, 16)}-${all.slice(16, 20)}-${all.slice(20)}`;
};

export const makeUuid = (id: string, structured: boolean): InstanceType<typeof sharedPb.UUID> => {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replaceAll('-', '');
  const signed = (h: string) => BigInt.asIntN(64, BigInt(`0x${h}`)).toString(10);
  return uuid.setStructured(new sharedPb.UUID.Structured().setMostSignificantBits(signed(hex.slice(0, 16))).setLeastSignificantBits(signed(hex.slice(16))));
};

export const newUuid = (): string => randomUUID();

// ---------------------------------------------------------------------------------------------------------------
// Errors. EventStoreDB reports most failures as a gRPC status whose trailers carry an `exception` key that the
// client maps to a typed error (see the client's `convertToCommandError`).

export const rpcError = (code: status, details: string, trailers: Record<string, string> = {}): ServiceError => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
};

export const errors = {
  streamDeleted: (stream: string) =>
    rpcError(status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, { exception: 'stream-deleted', 'stream-name': stream }),
  wrongExpectedVersion: (operation: string, stream: string, expected: bigint, actual: bigint) =>
    rpcError(
      status.FAILED_PRECONDITION,
      `${operation} failed due to WrongExpectedVersion. Stream: ${stream}, Expected version: ${expected}, Actual version: ${actual}`,
      { exception: 'wrong-expected-version', 'stream-name': stream, 'expected-version': expected.toString(), 'actual-version': actual.toString() },
    ),
  maximumAppendSizeExceeded: (max: number) =>
    rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${max} Exceeded.`, {
      exception: 'maximum-append-size-exceeded',
      'maximum-append-size': String(max),
    }),
  requiredMetadataPropertyMissing: (property: string) =>
    rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type,content-type',
    }),
  invalidArgument: (details: string) => rpcError(status.INVALID_ARGUMENT, details),
  unimplemented: (details: string) => rpcError(status.UNIMPLEMENTED, details),
};

const isServiceError = (error: unknown): error is ServerErrorResponse => error instanceof Error && typeof (error as { code?: unknown }).code === 'number';

/** Anything thrown while serving a call, as the status to answer with (INTERNAL unless it already is one). */
export const toServiceError = (error: unknown): ServerErrorResponse =>
  isServiceError(error) ? error : Object.assign(new Error(String((error as Error)?.message ?? error)), { code: status.INTERNAL });

export const requireStreamName = (identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string => {
  const name = streamNameOf(identifier);
  if (!name) throw errors.invalidArgument('A stream identifier is required.');
  return name;
};

/** A uint64 (stream revision, log position) sent as a decimal string. */
export const parseRevision = (text: string): bigint => {
  if (!/^\d+$/.test(text)) throw errors.invalidArgument(`'${text}' is not a valid stream revision.`);
  return BigInt(text);
};

/** A `google.rpc.Status` as BatchAppend reports a failed write (the client unpacks `details`). */
export const rpcStatus = (code: number, message: string, details: AnyMessage): StatusMessage =>
  new statusPb.Status().setCode(code).setMessage(message).setDetails(details);

export type StatusCodeEnum = typeof codePb.Code;
