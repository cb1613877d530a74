import { CommandBus } from '@dms/app';
import {
  connectEventStoreDb,
  type Database,
  type EventStore,
  type GlobalPosition,
  type HoldingTransaction,
  oldestOpenTransaction,
  openDatabase,
  PostgresEventStore,
  redactUrl,
} from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { allProjections, allReactors } from './all';
import { type DmsConfig, loadConfig } from './config';
import { ReadModelVersions } from './read-model-versions';
import { type Logger, ProjectionRunner } from './runner';
import type { ReadModels } from './schema';
import { webhookOutbox } from './webhooks';

export { type DmsConfig, loadConfig };

/** A running DMS: the event store, the command bus, and the projection runner over the read models. */
export interface DmsRuntime {
  readonly config: DmsConfig;
  readonly database: Database;
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly runner: ProjectionRunner;
  /**
   * Where queries read the read models: a read replica (`DATABASE_READ_URL`) or, without one, the runner's database.
   * `waitForPosition` waits for the read models there (a replica's checkpoints arrive with its rows).
   */
  readonly reads: {
    readonly db: Kysely<ReadModels>;
    waitForPosition(position: GlobalPosition, timeoutMs: number, names?: readonly string[]): Promise<boolean>;
    /** The read models' checkpoints there, as a response cache keys on them (read-model-versions.ts). */
    readonly versions: ReadModelVersions;
  };
  /** One line for people: which mode, and where the data is. */
  readonly description: string;
  /**
   * Asks the event store and the read-model database whether they answer, within `timeoutMs`: resolves to the store's head
   * position, or rejects with why not (what health checks call).
   */
  probe(timeoutMs: number): Promise<GlobalPosition | null>;
  /**
   * Events in PostgreSQL on a server: the oldest open transaction on that server, which holds every projection back
   * until it ends (null when none is open). Undefined where no other session can hold readers back (PGlite, EventStoreDB).
   */
  readonly oldestOpenTransaction?: () => Promise<HoldingTransaction | null>;
  close(): Promise<void>;
}

export const openDms = async (config: DmsConfig = loadConfig(), options: { logger?: Logger; exclusive?: boolean } = {}): Promise<DmsRuntime> => {
  if (config.databaseReadUrl && !config.databaseUrl)
    throw new Error(
      'DATABASE_READ_URL names a read replica of a PostgreSQL server: set DATABASE_URL to that server too (an embedded data folder has no replicas).',
    );
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, exclusive: options.exclusive });
  let store: EventStore | undefined;
  let replica: Database | undefined;
  try {
    store = config.eventstoreConnectionString ? await connectEventStoreDb(config.eventstoreConnectionString) : await PostgresEventStore.create(database.db);
    const bus = new CommandBus(store);
    const runner = await ProjectionRunner.create(
      database.db,
      store,
      [...allProjections, webhookOutbox, ...allReactors(bus, options.logger)],
      options.logger ? { logger: options.logger } : {},
    );
    const readModels = database.kind === 'pglite' ? `embedded PostgreSQL (PGlite), data in ${database.location}` : `PostgreSQL server ${database.location}`;
    if (config.databaseReadUrl) replica = await openDatabase({ databaseUrl: config.databaseReadUrl });
    const readDb = (replica?.db ?? database.db) as Kysely<ReadModels>;
    const description = `${
      config.eventstoreConnectionString
        ? `events in EventStoreDB ${redactUrl(config.eventstoreConnectionString)}; read models in ${readModels}`
        : `${readModels} (events and read models)`
    }${replica ? `; queries read the replica ${replica.location}` : ''}`;
    return {
      config,
      database,
      store,
      bus,
      runner,
      reads: {
        db: readDb,
        waitForPosition: (position, timeoutMs, names) =>
          replica ? runner.waitForPosition(position, timeoutMs, names, readDb) : runner.waitForPosition(position, timeoutMs, names),
        versions: new ReadModelVersions(readDb),
      },
      description,
      probe: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the database did not answer in ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          const [head] = await Promise.race([Promise.all([store!.headPosition(), sql`select 1`.execute(database.db)]), timeout]);
          return head;
        } finally {
          clearTimeout(timer);
        }
      },
      ...(database.kind === 'postgres' && !config.eventstoreConnectionString ? { oldestOpenTransaction: () => oldestOpenTransaction(database.db) } : {}),
      close: async () => {
        await runner.stop();
        await store?.close();
        await replica?.close();
        await database.close();
      },
    };
  } catch (error) {
    await store?.close();
    await replica?.close();
    await database.close();
    throw error;
  }
};
