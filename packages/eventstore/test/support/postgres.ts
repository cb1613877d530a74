import pg from 'pg';

/** The server database tests run against. CI sets DMS_REQUIRE_POSTGRES=1 so that an unreachable server fails the run. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_REQUIRED = process.env.DMS_REQUIRE_POSTGRES === '1';

let availability: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers; prints once, loudly, when it does not. Throws if it is required. */
export const postgresAvailable = (): Promise<boolean> => {
  availability ??= (async () => {
    // The shifted-clock runs in .ci/run test the clock, not the storage: they run on embedded PGlite only.
    if (process.env.DMS_TEST_EMBEDDED_ONLY === '1') return false;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (POSTGRES_REQUIRED) throw new Error(`DMS_REQUIRE_POSTGRES=1 but PostgreSQL at ${TEST_DATABASE_URL} is unreachable: ${(error as Error).message}`);
      console.warn(`\n[dms] SKIPPING PostgreSQL server tests: ${TEST_DATABASE_URL} is unreachable (${(error as Error).message}). Set TEST_DATABASE_URL.\n`);
      return false;
    }
  })();
  return availability;
};

let counter = 0;

/** A fresh, empty database on the test server, dropped by `drop()`. Each test file gets its own, so files can run in parallel. */
export const createTestDatabase = async (label = 'dms'): Promise<{ url: string; drop(): Promise<void> }> => {
  const name = `${label}_t${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
};

/**
 * Ends every connection to the database `url` names (`pg_terminate_backend`), as an operator or a failover would; only that
 * database's, so other tests on a shared server are untouched. Returns how many were ended.
 */
export const terminateBackends = async (url: string): Promise<number> => {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
};

/**
 * Another database on the test server kept busy, as other tests and other applications keep a shared server: a writer
 * that holds a transaction (with an id) open for `holdMs` of every `holdMs + gapMs`, over and over, until `stop()`. While
 * one is open, the cluster-wide snapshot xmin stays behind it, so readers of `$all` in every database see nothing newer.
 */
export const startBusyDatabase = async (holdMs = 150, gapMs = 20): Promise<{ transactions(): number; stop(): Promise<void> }> => {
  const busy = await createTestDatabase('busy');
  const client = new pg.Client({ connectionString: busy.url });
  await client.connect();
  await client.query('create table writes (at timestamptz not null default clock_timestamp())');
  let running = true;
  let transactions = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const loop = (async () => {
    while (running) {
      await client.query('begin');
      await client.query('insert into writes default values');
      await sleep(holdMs);
      await client.query('commit');
      transactions++;
      await sleep(gapMs);
    }
  })();
  return {
    transactions: () => transactions,
    stop: async () => {
      running = false;
      await loop;
      await client.end();
      await busy.drop();
    },
  };
};

/**
 * A transaction left open in a database of its own on the test server, having written (so holding a transaction id), as
 * a forgotten `psql` session would: `end()` commits it and drops the database.
 */
export const holdTransactionOpen = async (
  applicationName: string,
): Promise<{ pid: number; database: string; startedAt: Date; lastStatement: string; end(): Promise<void> }> => {
  const other = await createTestDatabase('held_open');
  const client = new pg.Client({ connectionString: other.url, application_name: applicationName });
  await client.connect();
  await client.query('create table t (n int)');
  await client.query('begin');
  const { rows } = await client.query<{ pid: number; started: Date }>(
    'select pg_backend_pid() as pid, xact_start as started from pg_stat_activity where pid = pg_backend_pid()',
  );
  const lastStatement = 'insert into t values (1)';
  await client.query(lastStatement);
  return {
    pid: rows[0]!.pid,
    database: new URL(other.url).pathname.slice(1),
    startedAt: rows[0]!.started,
    lastStatement,
    end: async () => {
      await client.query('commit');
      await client.end();
      await other.drop();
    },
  };
};
