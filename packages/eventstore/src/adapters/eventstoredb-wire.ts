/**
 * Raw `Streams.Read` calls for the EventStoreDB adapter, made over the official client's own gRPC channel.
 *
 * Why not only the client's `readStream` / `readAll`: the 6.x client's `readAll` has no filter option (server-side
 * filters are only exposed on `subscribeToAll`), and its event conversion hides what we need to report a malformed
 * event exactly (a JSON event whose body does not parse comes back as a plain string, indistinguishable from a JSON
 * string value). So reads build the request with the protobuf classes the client package ships and send it through the
 * client's protected `GRPCStreamCreator`/`callArguments`: the same channel, TLS, credentials, discovery and
 * reconnect-on-UNAVAILABLE handling as every other call the client makes. Only this file touches those internals.
 */
import { createRequire } from 'node:module';
import { convertToCommandError, type EventStoreDBClient } from '@eventstore/db-client';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { CallOptions, ClientReadableStream, Metadata } from '@grpc/grpc-js';
import type { Direction } from '../port';

const requireCjs = createRequire(import.meta.url);
// CommonJS modules whose exports are attached at runtime (google-protobuf style): ESM named imports cannot see them.
const streamsPb = requireCjs('@eventstore/db-client/generated/streams_pb') as typeof import('@eventstore/db-client/generated/streams_pb');
const streamsGrpc = requireCjs('@eventstore/db-client/generated/streams_grpc_pb') as typeof import('@eventstore/db-client/generated/streams_grpc_pb');
const sharedPb = requireCjs('@eventstore/db-client/generated/shared_pb') as typeof import('@eventstore/db-client/generated/shared_pb');

export type ReadEventMessage = InstanceType<typeof streamsPb.ReadResp.ReadEvent>;
export type RecordedEventMessage = InstanceType<typeof streamsPb.ReadResp.ReadEvent.RecordedEvent>;
type StreamsClient = InstanceType<typeof streamsGrpc.StreamsClient>;

/** The protected members of the client that a raw call needs (instance properties at runtime). */
interface ClientInternals {
  GRPCStreamCreator<C, T>(client: new (...args: never[]) => C, debugName: string, creator: (client: C) => T | Promise<T>): () => Promise<T>;
  callArguments(options: object, callOptions?: CallOptions): [Metadata, CallOptions];
}

/** A server-side `$all` filter: EventStoreDB filters on one dimension only, by prefixes or by a regex. */
export interface ServerFilter {
  readonly on: 'stream' | 'type';
  readonly prefixes?: readonly string[];
  readonly regex?: string;
}

/** A regex that matches nothing (an empty prefix list is not accepted by every server version). */
export const NEVER_MATCHES = '(?!)';
/** What the client's `excludeSystemEvents()` sends. */
export const EXCLUDE_SYSTEM_EVENTS: ServerFilter = { on: 'type', regex: '^[^$].*' };

const MAX_COUNT = BigInt(Number.MAX_SAFE_INTEGER);
const empty = () => new sharedPb.Empty();
const uuidAsString = () => new streamsPb.ReadReq.Options.UUIDOption().setString(empty());
const count = (n: number): string => (Number.isFinite(n) ? BigInt(Math.max(0, Math.floor(n))) : MAX_COUNT).toString();
const direction = (d: Direction) => (d === 'backwards' ? streamsPb.ReadReq.Options.ReadDirection.BACKWARDS : streamsPb.ReadReq.Options.ReadDirection.FORWARDS);

const filterOptions = (filter: ServerFilter) => {
  const expression = new streamsPb.ReadReq.Options.FilterOptions.Expression().setPrefixList([...(filter.prefixes ?? [])]).setRegex(filter.regex ?? '');
  const options = new streamsPb.ReadReq.Options.FilterOptions().setCount(empty()).setCheckpointintervalmultiplier(1);
  return filter.on === 'stream' ? options.setStreamIdentifier(expression) : options.setEventType(expression);
};

/** A read of one stream from a revision (inclusive), or from its start/end. */
export const streamReadRequest = (streamId: string, o: { direction: Direction; from?: number; maxCount: number }) => {
  const stream = new streamsPb.ReadReq.Options.StreamOptions().setStreamIdentifier(
    new sharedPb.StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(streamId, 'utf8'))),
  );
  if (o.from !== undefined) stream.setRevision(BigInt(o.from).toString());
  else if (o.direction === 'backwards') stream.setEnd(empty());
  else stream.setStart(empty());
  const options = new streamsPb.ReadReq.Options()
    .setStream(stream)
    .setReadDirection(direction(o.direction))
    .setResolveLinks(false)
    .setCount(count(o.maxCount))
    .setUuidOption(uuidAsString())
    .setNoFilter(empty());
  return new streamsPb.ReadReq().setOptions(options);
};

/** A read of `$all` from a position (forwards: inclusive; backwards: exclusive, as EventStoreDB does), server-filtered. */
export const allReadRequest = (o: { direction: Direction; from?: bigint; maxCount: number; filter: ServerFilter }) => {
  const all = new streamsPb.ReadReq.Options.AllOptions();
  if (o.from !== undefined)
    all.setPosition(new streamsPb.ReadReq.Options.Position().setCommitPosition(o.from.toString()).setPreparePosition(o.from.toString()));
  else if (o.direction === 'backwards') all.setEnd(empty());
  else all.setStart(empty());
  const options = new streamsPb.ReadReq.Options()
    .setAll(all)
    .setReadDirection(direction(o.direction))
    .setResolveLinks(false)
    .setCount(count(o.maxCount))
    .setUuidOption(uuidAsString())
    .setFilter(filterOptions(o.filter));
  return new streamsPb.ReadReq().setOptions(options);
};

/**
 * Sends one read and streams its responses (with the call's flow control). Leaving early cancels the call; a gRPC
 * failure is rethrown as the client's typed error (`UnavailableError`, `StreamDeletedError`, ...).
 */
export async function* readResponses(client: EventStoreDBClient, request: ReturnType<typeof streamReadRequest>): AsyncGenerator<ReadResp> {
  const internals = client as unknown as ClientInternals;
  if (typeof internals.GRPCStreamCreator !== 'function' || typeof internals.callArguments !== 'function') {
    throw new Error('This version of @eventstore/db-client does not expose GRPCStreamCreator/callArguments; the EventStoreDB adapter needs 6.x.');
  }
  let call: ClientReadableStream<ReadResp>;
  try {
    call = await internals.GRPCStreamCreator(streamsGrpc.StreamsClient, 'dms.read', (c: StreamsClient) =>
      c.read(request, ...internals.callArguments({}, { deadline: Infinity })),
    )();
  } catch (error) {
    throw convertToCommandError(error as Error);
  }
  // Errors surface through the iterator below; this listener only keeps a late one (after a cancel) from going unhandled.
  call.on('error', () => {});
  let finished = false;
  try {
    // Not destroyed on an early exit: cancelled below instead, as the client does, so that the client's own
    // bookkeeping of open calls (which `dispose()` waits for) sees the call finish.
    for await (const response of call.iterator({ destroyOnReturn: false }) as AsyncIterable<ReadResp>) yield response;
    finished = true;
  } catch (error) {
    finished = true;
    throw convertToCommandError(error as Error);
  } finally {
    if (!finished) call.cancel();
  }
}

/** The EventStoreDB `Position` for one of our global positions (see `eventstoredb-codec.ts` for the mapping). */
export const esdbPosition = (position: bigint) => ({ commit: position, prepare: position });
