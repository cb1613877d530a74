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
