import pg from 'pg';

/** The server database tests run against. CI sets DMS_REQUIRE_POSTGRES=1 so that an unreachable server fails the run. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_REQUIRED = process.env.DMS_REQUIRE_POSTGRES === '1';

let availability: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers; prints once, loudly, when it does not. Throws if it is required. */
export const postgresAvailable = (): Promise<boolean> => {
  availability ??= (async () => {
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
