/**
 * Streams.Append (client-streaming: options, then one proposed message per event), Streams.BatchAppend (one duplex
 * stream carrying many appends, each identified by a correlation id and completed by an `is_final` message),
 * Streams.Delete (soft delete) and Streams.Tombstone (hard delete).
 *
 * Wrong expected versions are answered as EventStoreDB 21.10+ does: inside AppendResp for Append, as a
 * `google.rpc.Status` with `event_store.client.WrongExpectedVersion` details for BatchAppend, and as a gRPC error with
 * `exception: wrong-expected-version` trailers for Delete and Tombstone.
 */
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { ServerDuplexStream, ServerErrorResponse } from '@grpc/grpc-js';
import type { AppendOutcome, EventLog, ExpectedRevision, ProposedEvent } from './log';
import {
  codePb,
  empty,
  errors,
  googleEmpty,
  packAny,
  parseRevision,
  parseUuid,
  requireStreamName,
  rpcStatus,
  sharedPb,
  streamIdentifier,
  streamNameOf,
  streamsPb,
  toServiceError,
} from './proto';

export interface WriteOptions {
  /** Largest append (sum of event sizes) accepted; EventStoreDB's default is 1 MiB. */
  readonly maxAppendSize: number;
}

/** ExpectedVersion as the server's internal numbers (used in error trailers). */
const expectedNumber = (expected: ExpectedRevision): bigint =>
  expected.kind === 'any' ? -2n : expected.kind === 'no_stream' ? -1n : expected.kind === 'stream_exists' ? -4n : expected.revision;

const parseProposed = (
  id: InstanceType<typeof sharedPb.UUID> | undefined,
  metadata: { get(key: string): string | undefined },
  data: Uint8Array,
  customMetadata: Uint8Array,
): ProposedEvent => {
  const eventId = parseUuid(id);
  if (!eventId) throw errors.invalidArgument('Every proposed message needs a valid UUID id.');
  const type = metadata.get('type');
  if (type === undefined) throw errors.requiredMetadataPropertyMissing('type');
  const contentType = metadata.get('content-type');
  if (contentType === undefined) throw errors.requiredMetadataPropertyMissing('content-type');
  return { eventId, type, contentType, data, customMetadata };
};

/** What EventStoreDB counts towards the maximum append size (`Event.SizeOnDisk`, roughly). */
const sizeOnDisk = (e: ProposedEvent): number => e.data.length + e.customMetadata.length + Buffer.byteLength(e.type);

const expectedFromCase = (caseNumber: number, revision: () => string): ExpectedRevision => {
  // The expected-revision oneofs number their cases the same way in AppendReq, BatchAppendReq, DeleteReq and TombstoneReq.
  switch (caseNumber) {
    case 2:
      return { kind: 'exact', revision: parseRevision(revision()) };
    case 3:
      return { kind: 'no_stream' };
    case 4:
      return { kind: 'any' };
    case 5:
      return { kind: 'stream_exists' };
    default:
      throw errors.invalidArgument('An expected stream revision is required.');
  }
};

export const createWriteHandlers = (log: EventLog, options: WriteOptions): Pick<IStreamsServer, 'append' | 'batchAppend' | 'delete' | 'tombstone'> => {
  const appendResponse = (outcome: Exclude<AppendOutcome, { kind: 'stream_deleted' }>, expected: ExpectedRevision): AppendResp => {
    if (outcome.kind === 'wrong_expected_version') {
      const wev = new streamsPb.AppendResp.WrongExpectedVersion();
      if (outcome.currentRevision < 0n) wev.setCurrentNoStream(empty());
      else wev.setCurrentRevision(outcome.currentRevision.toString());
      if (expected.kind === 'exact') wev.setExpectedRevision(expected.revision.toString());
      else if (expected.kind === 'any') wev.setExpectedAny(empty());
      else if (expected.kind === 'stream_exists') wev.setExpectedStreamExists(empty());
      else wev.setExpectedNoStream(empty());
      return new streamsPb.AppendResp().setWrongExpectedVersion(wev);
    }
    const success = new streamsPb.AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === null) success.setNoPosition(empty());
    else
      success.setPosition(new streamsPb.AppendResp.Position().setCommitPosition(outcome.position.toString()).setPreparePosition(outcome.position.toString()));
    return new streamsPb.AppendResp().setSuccess(success);
  };

  const batchAppendFailure = (outcome: AppendOutcome, expected: ExpectedRevision, stream: string) => {
    if (outcome.kind === 'stream_deleted') {
      const details = new sharedPb.StreamDeleted().setStreamIdentifier(streamIdentifier(stream));
      return rpcStatus(codePb.Code.NOT_FOUND, 'StreamDeleted', packAny('event_store.client.StreamDeleted', details));
    }
    if (outcome.kind !== 'wrong_expected_version') return undefined;
    const details = new sharedPb.WrongExpectedVersion();
    if (outcome.currentRevision < 0n) details.setCurrentNoStream(googleEmpty());
    else details.setCurrentStreamRevision(outcome.currentRevision.toString());
    if (expected.kind === 'exact') details.setExpectedStreamPosition(expected.revision.toString());
    else if (expected.kind === 'any') details.setExpectedAny(googleEmpty());
    else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(googleEmpty());
    else details.setExpectedNoStream(googleEmpty());
    return rpcStatus(codePb.Code.ALREADY_EXISTS, 'WrongExpectedVersion', packAny('event_store.client.WrongExpectedVersion', details));
  };

  return {
    append: (call, callback) => {
      let stream: string | undefined;
      let expected: ExpectedRevision | undefined;
      const events: ProposedEvent[] = [];
      let size = 0;
      let done = false;
      const finish = (error: ServerErrorResponse | null, response?: AppendResp) => {
        if (done) return;
        done = true;
        callback(error, response);
      };
      call.on('data', (request: AppendReq) => {
        if (done) return;
        try {
          if (stream === undefined) {
            const o = request.getOptions();
            if (!o) throw errors.invalidArgument('The first append message must carry the options.');
            stream = requireStreamName(o.getStreamIdentifier());
            expected = expectedFromCase(o.getExpectedStreamRevisionCase(), () => o.getRevision());
            return;
          }
          const message = request.getProposedMessage();
          if (!message) throw errors.invalidArgument('Expected a proposed message.');
          const event = parseProposed(message.getId(), message.getMetadataMap(), message.getData_asU8(), message.getCustomMetadata_asU8());
          size += sizeOnDisk(event);
          if (size > options.maxAppendSize) throw errors.maximumAppendSizeExceeded(options.maxAppendSize);
          events.push(event);
        } catch (error) {
          finish(toServiceError(error));
        }
      });
      call.on('end', () => {
        if (done) return;
        if (stream === undefined || expected === undefined) return finish(errors.invalidArgument('Append options are required.'));
        const outcome = log.append(stream, expected, events);
        if (outcome.kind === 'stream_deleted') return finish(errors.streamDeleted(stream));
        finish(null, appendResponse(outcome, expected));
      });
      call.on('error', () => {
        done = true;
      });
    },

    batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
      const pending = new Map<string, { stream: string; expected: ExpectedRevision; events: ProposedEvent[]; size: number }>();
      const respond = (
        correlation: InstanceType<typeof sharedPb.UUID> | undefined,
        stream: string | undefined,
        result: { error: ReturnType<typeof rpcStatus> } | { success: InstanceType<typeof streamsPb.BatchAppendResp.Success> },
      ) => {
        if (call.cancelled || call.writableEnded) return;
        const response = new streamsPb.BatchAppendResp().setCorrelationId(correlation);
        if (stream !== undefined) response.setStreamIdentifier(streamIdentifier(stream));
        if ('error' in result) response.setError(result.error);
        else response.setSuccess(result.success);
        call.write(response);
      };
      const badRequest = (message: string) =>
        rpcStatus(codePb.Code.INVALID_ARGUMENT, 'BadRequest', packAny('event_store.client.BadRequest', new sharedPb.BadRequest().setMessage(message)));

      call.on('data', (request: BatchAppendReq) => {
        const correlation = request.getCorrelationId();
        const correlationId = parseUuid(correlation);
        if (!correlationId) return respond(correlation, undefined, { error: badRequest('A correlation id is required.') });
        const o = request.getOptions();
        try {
          if (o && !pending.has(correlationId)) {
            const stream = requireStreamName(o.getStreamIdentifier());
            const expected = expectedFromCase(o.getExpectedStreamPositionCase(), () => o.getStreamPosition());
            pending.set(correlationId, { stream, expected, events: [], size: 0 });
          }
        } catch (error) {
          return respond(correlation, streamNameOf(o?.getStreamIdentifier()), { error: badRequest(toServiceError(error).details ?? 'Bad request') });
        }
        const write = pending.get(correlationId);
        if (!write) return;
        try {
          for (const message of request.getProposedMessagesList()) {
            const event = parseProposed(message.getId(), message.getMetadataMap(), message.getData_asU8(), message.getCustomMetadata_asU8());
            write.size += sizeOnDisk(event);
            write.events.push(event);
          }
        } catch (error) {
          pending.delete(correlationId);
          return respond(correlation, write.stream, { error: badRequest(toServiceError(error).details ?? 'Bad request') });
        }
        if (write.size > options.maxAppendSize) {
          pending.delete(correlationId);
          const details = new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(options.maxAppendSize);
          return respond(correlation, write.stream, {
            error: rpcStatus(codePb.Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', packAny('event_store.client.MaximumAppendSizeExceeded', details)),
          });
        }
        if (!request.getIsFinal()) return;
        pending.delete(correlationId);
        const outcome = log.append(write.stream, write.expected, write.events);
        const failure = batchAppendFailure(outcome, write.expected, write.stream);
        if (failure) return respond(correlation, write.stream, { error: failure });
        if (outcome.kind !== 'written' && outcome.kind !== 'idempotent') return;
        const success = new streamsPb.BatchAppendResp.Success();
        if (outcome.currentRevision < 0n) success.setNoStream(googleEmpty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        if (outcome.position === null) success.setNoPosition(googleEmpty());
        else
          success.setPosition(new sharedPb.AllStreamPosition().setCommitPosition(outcome.position.toString()).setPreparePosition(outcome.position.toString()));
        respond(correlation, write.stream, { success });
      });
      call.on('end', () => {
        if (!call.cancelled && !call.writableEnded) call.end();
      });
      call.on('error', () => {});
    },

    delete: (call, callback) => {
      try {
        const o = call.request.getOptions();
        if (!o) throw errors.invalidArgument('Delete options are required.');
        const stream = requireStreamName(o.getStreamIdentifier());
        const expected = expectedFromCase(o.getExpectedStreamRevisionCase(), () => o.getRevision());
        const outcome = log.softDelete(stream, expected);
        if (outcome.kind === 'stream_deleted') throw errors.streamDeleted(stream);
        if (outcome.kind === 'wrong_expected_version') throw errors.wrongExpectedVersion('Delete', stream, expectedNumber(expected), outcome.currentRevision);
        const position = new streamsPb.DeleteResp.Position().setCommitPosition(outcome.position.toString()).setPreparePosition(outcome.position.toString());
        callback(null, new streamsPb.DeleteResp().setPosition(position));
      } catch (error) {
        callback(toServiceError(error));
      }
    },

    tombstone: (call, callback) => {
      try {
        const o = call.request.getOptions();
        if (!o) throw errors.invalidArgument('Tombstone options are required.');
        const stream = requireStreamName(o.getStreamIdentifier());
        const expected = expectedFromCase(o.getExpectedStreamRevisionCase(), () => o.getRevision());
        const outcome = log.tombstone(stream, expected);
        if (outcome.kind === 'stream_deleted') throw errors.streamDeleted(stream);
        if (outcome.kind === 'wrong_expected_version') throw errors.wrongExpectedVersion('Delete', stream, expectedNumber(expected), outcome.currentRevision);
        const position = new streamsPb.TombstoneResp.Position().setCommitPosition(outcome.position.toString()).setPreparePosition(outcome.position.toString());
        callback(null, new streamsPb.TombstoneResp().setPosition(position));
      } catch (error) {
        callback(toServiceError(error));
      }
    },
  };
};
