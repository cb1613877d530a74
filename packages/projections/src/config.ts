import { resolve } from 'node:path';

/**
 * Where DMS keeps its data, from the environment. The one config loader: the API and the CLI both use it. A module of its
 * own, light (`@dms/projections/config`), so that `dms` can check the embedded data folder's lock before it loads the rest.
 */
export interface DmsConfig {
  /** `postgres://...`: events and read models on a PostgreSQL server. */
  readonly databaseUrl?: string | undefined;
  /** Embedded PGlite data folder when there is no `databaseUrl`. */
  readonly dataDir: string;
  /** `esdb://...` or `kurrentdb://...`: events in EventStoreDB/KurrentDB; read models stay in PostgreSQL. */
  readonly eventstoreConnectionString?: string | undefined;
  /**
   * `postgres://...` of a read replica of `databaseUrl` (streaming replication, or a managed cluster's reader endpoint): the
   * API's queries read the read models there; commands, projections and `?minPosition=` checks of the primary stay on
   * `databaseUrl`, and a `?minPosition=` read waits for the replica's own checkpoints.
   */
  readonly databaseReadUrl?: string | undefined;
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): DmsConfig => ({
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir: env.DMS_DATA_DIR || '.dms-data',
  eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
  databaseReadUrl: env.DATABASE_READ_URL || undefined,
});

/** The embedded data folder this config opens (absolute), or null for a server or an in-memory database. */
export const embeddedFolder = (config: DmsConfig): string | null =>
  config.databaseUrl || config.dataDir.startsWith('memory://') ? null : resolve(config.dataDir);
