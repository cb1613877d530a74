import { type ChainVerification, verifyChain } from './hash-chain';
import type { EventStore, RecordedEvent } from './port';

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

/** The full history of a stream with its hash chain verified: what an auditor reads. */
export const streamHistory = async (store: EventStore, streamId: string): Promise<StreamHistory> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) events.push(e);
  return {
    streamId,
    entries: events.map((e) => ({
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
    })),
    verification: verifyChain(streamId, events),
  };
};
