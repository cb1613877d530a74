import type { EventStoreDbEventStore, EventStoreDbEventStoreOptions } from './eventstoredb';

/**
 * Connects to EventStoreDB/KurrentDB. The adapter, its gRPC client and generated protocol code load here, on first use,
 * so that every process that does not use EventStoreDB (each `dms` command on PostgreSQL or PGlite) starts without them.
 */
export const connectEventStoreDb = async (connectionString: string, options?: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> => {
  const { EventStoreDbEventStore } = await import('./eventstoredb');
  return EventStoreDbEventStore.connect(connectionString, options);
};
