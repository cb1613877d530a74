/**
 * `event_store.client.streams.Streams` over the in-memory {@link EventLog}: reads and subscriptions in
 * `streams-read.ts`, appends and deletes in `streams-write.ts`.
 */
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { EventLog } from './log';
import { createReadHandler } from './streams-read';
import { createWriteHandlers, type WriteOptions } from './streams-write';

export type StreamsServiceOptions = WriteOptions;

export const createStreamsService = (log: EventLog, options: StreamsServiceOptions): IStreamsServer => ({
  read: createReadHandler(log),
  ...createWriteHandlers(log, options),
});
