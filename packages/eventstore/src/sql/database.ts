import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { DataFolderInUse, dataFolderHolder, lockDataFolder, STOP_FIRST } from './data-folder-lock';
import { PGliteDialect, SessionTurns } from './pglite-dialect';
import { shareOverSocket } from './pglite-share';
import { type RawQuery, textRows } from './raw-query';

/**
 * One PostgreSQL, wherever it runs: a server reached over `pg` (`DATABASE_URL`), or embedded PGlite in a local folder.
 * Both are used through kysely, so every query in DMS runs unchanged on either.
 */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  // biome-ignore lint/suspicious/noExplicitAny: each package narrows this to its own tables with `withTables`.
  readonly db: Kysely<any>;
  /** Where the data lives, for people: a redacted URL or a folder. */
  readonly location: string;
  /** Connections this database can serve at once (1 for PGlite). */
  readonly maxConnections: number;
  /**
   * An embedded data folder this process holds: serves it to other processes on a Unix socket until closed, and records
   * the socket in the folder's lock, so that `dms` commands run meanwhile go through this process. Returns the socket.
   */
  share?(): Promise<string>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** `postgres://...`: a server. Otherwise embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory. Default `.dms-data` in the working directory. */
  readonly dataDir?: string | undefined;
  /** Pool size for a server. Default 10. */
  readonly poolSize?: number | undefined;
  /**
   * An embedded data folder held by another process that shares it (`dms serve`) is reached through that process, unless
   * this is set: then it is refused, as it always is when the holder does not share it.
   */
  readonly exclusive?: boolean | undefined;
}

let pgDriver: Promise<typeof pg> | undefined;
/**
 * The `pg` driver, imported when first needed (a server, or a folder shared over its socket): a process on embedded PGlite
 * alone never loads it, nor a process on a server PGlite.
 */
const loadPg = (): Promise<typeof pg> =>
  (pgDriver ??= import('pg').then(({ default: driver }) => {
    // int8 as a number when it is exactly representable, else a bigint: what PGlite does, so both drivers return the same.
    // numeric stays text (never a float).
    driver.types.setTypeParser(20, (v) => {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : BigInt(v);
    });
    driver.types.setTypeParser(1700, (v) => v);
    return driver;
  }));

const PREPARED = new Map<string, string>();
const PATCHED = Symbol('dms.prepared');

const RAW = new WeakMap<object, RawQuery>();

/**
 * The raw path (`RawQuery`) of a database's own kysely instance, from `openDatabase`; undefined for anything else, a
 * transaction, a kysely with a plugin or another schema, whose statements must go through that instance.
 */
// biome-ignore lint/suspicious/noExplicitAny: any kysely instance, whatever its tables.
export const rawQueryOf = (db: Kysely<any>): RawQuery | undefined => RAW.get(db);

/**
 * Marks a statement (its exact SQL text, as kysely compiles it) as hot: on a server, each connection prepares it once
 * under a name and then only binds and executes it, sparing the parse and plan of every call. For the few statements that
 * run on every command, such as the append; dynamic SQL stays unnamed. Returns the text.
 */
export const preparedStatement = (text: string): string => {
  if (!PREPARED.has(text)) PREPARED.set(text, `dms_${PREPARED.size + 1}`);
  return text;
};

/**
 * The pool kysely uses, with `preparedStatement` texts sent as named statements. Every client also gets an `error`
 * listener: the pool listens only to idle clients, and a connection the server drops while it is checked out (between
 * the statements of a transaction, say) would otherwise emit an unhandled `error` and end the process. The failure reaches
 * whoever uses the client at their next statement, and the pool discards the broken client when it is released.
 */
const preparing = (pool: pg.Pool) => ({
  connect: async (): Promise<pg.PoolClient> => {
    const client = (await pool.connect()) as pg.PoolClient & { [PATCHED]?: true };
    if (!client[PATCHED]) {
      client.on('error', () => {});
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((text: unknown, values?: unknown) => {
        const name = typeof text === 'string' ? PREPARED.get(text) : undefined;
        return name ? query({ name, text, values }) : query(text, values);
      }) as typeof client.query;
      client[PATCHED] = true;
    }
    return client;
  },
  end: () => pool.end(),
});

export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

export const openDatabase = async (config: DatabaseConfig = {}): Promise<Database> => {
  if (config.databaseUrl) {
    const maxConnections = config.poolSize ?? 10;
    const pg = await loadPg();
    // keepAlive: a server that vanished without closing its connections (a host down, a dropped route) is noticed.
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: maxConnections, keepAlive: true });
    // An idle connection the server closes (restart, failover, terminated backend) must not crash the process:
    // the pool drops it and the next query opens a new one. Checked-out connections: see `preparing`.
    pool.on('error', () => {});
    // A server that refuses us should fail here, clearly, rather than at the first query.
    const client = await pool.connect().catch(async (error: Error) => {
      await pool.end();
      throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(config.databaseUrl!)}: ${error.message}`);
    });
    client.release();
    const pooled = preparing(pool);
    const db = new Kysely({ dialect: new PostgresDialect({ pool: pooled }) });
    RAW.set(db, async (text, values) => {
      const client = await pooled.connect();
      try {
        return await textRows(client, PREPARED.get(text) ?? '', text, values);
      } finally {
        client.release();
      }
    });
    return { kind: 'postgres', db, location: redactUrl(config.databaseUrl), maxConnections, close: () => db.destroy() };
  }
  const dataDir = config.dataDir ?? '.dms-data';
  if (dataDir.startsWith('memory://')) return openPglite(dataDir, dataDir);
  const folder = resolve(dataDir);
  mkdirSync(folder, { recursive: true });
  const holder = dataFolderHolder(folder);
  if (holder?.socket && !config.exclusive) return openShared(folder, holder.socket, holder.pid);
  if (holder?.socket) throw new DataFolderInUse(folder, holder, STOP_FIRST);
  const lock = lockDataFolder(folder);
  try {
    const database = await openPglite(folder, folder);
    let stopSharing: (() => Promise<void>) | undefined;
    return {
      ...database,
      share: async () => {
        const shared = await shareOverSocket(database.pglite, database.turns, folder);
        stopSharing = shared.close;
        lock.advertise(shared.socket);
        return shared.socket;
      },
      close: async () => {
        try {
          await stopSharing?.();
          await database.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
};

/** PGlite parses these types by default (the rest it gives as text): `RawQuery` callers parse them themselves. */
const PGLITE_AS_TEXT = Object.fromEntries([16, 17, 20, 21, 23, 26, 114, 700, 701, 1082, 1114, 1184, 3802].map((oid) => [oid, (value: string) => value]));

const openPglite = async (dataDir: string, location: string): Promise<Database & { pglite: PGlite; turns: SessionTurns }> => {
  // Imported here, not at the top: half a megabyte of JavaScript that a process on a PostgreSQL server never needs.
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(dataDir);
  const turns = new SessionTurns();
  const db = new Kysely({ dialect: new PGliteDialect(pglite, turns) });
  RAW.set(db, async (text, values) => {
    const release = await turns.take();
    try {
      return (await pglite.query<(string | null)[]>(text, [...values], { rowMode: 'array', parsers: PGLITE_AS_TEXT })).rows;
    } finally {
      release();
    }
  });
  return {
    kind: 'pglite',
    db,
    location,
    maxConnections: 1,
    pglite,
    turns,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
};

/**
 * The folder's database through the process holding it (`dms serve`), over its socket: one connection, no named
 * statements. The socket serves one client at a time, so a command started while another is connected waits its turn.
 */
const openShared = async (folder: string, socket: string, pid: number, waitMs = 30_000): Promise<Database> => {
  const pg = await loadPg();
  const pool = new pg.Pool({ host: dirname(socket), port: 5432, user: 'postgres', database: 'postgres', max: 1 });
  pool.on('error', () => {});
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const client = await pool.connect();
      client.release();
      break;
    } catch (error) {
      if (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      await pool.end();
      throw new Error(
        `The embedded data folder ${folder} is held by pid ${pid}, which shares it on ${socket}, but it did not let this process in within ${waitMs / 1000} s (another dms command connected?): ${(error as Error).message}`,
      );
    }
  }
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'pglite', db, location: `${folder}, through the dms serve of pid ${pid}`, maxConnections: 1, close: () => db.destroy() };
};
