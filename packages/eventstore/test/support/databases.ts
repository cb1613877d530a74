import { describe, it } from 'vitest';
import { type Database, openDatabase } from '../../src/sql/database';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from './postgres';

export interface TestDatabase {
  readonly database: Database;
  teardown(): Promise<void>;
}

/**
 * Declares a database suite twice: on embedded PGlite, and on the PostgreSQL server in a fresh database named after
 * `label` (dropped at teardown); when the server is unreachable, a skipped suite says so in the test output.
 * `suite(name, open)` declares the tests; `open` gives each run its database.
 */
export const onEveryDatabase = async (label: string, suite: (name: string, open: () => Promise<TestDatabase>) => void): Promise<void> => {
  suite('PGlite (embedded)', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, teardown: () => database.close() };
  });
  if (await postgresAvailable()) {
    suite(`PostgreSQL server (${TEST_DATABASE_URL})`, async () => {
      const testDb = await createTestDatabase(label);
      const database = await openDatabase({ databaseUrl: testDb.url });
      return {
        database,
        teardown: async () => {
          await database.close();
          await testDb.drop();
        },
      };
    });
  } else {
    const why = process.env.DMS_TEST_EMBEDDED_ONLY === '1' ? 'DMS_TEST_EMBEDDED_ONLY=1' : `${TEST_DATABASE_URL} unreachable`;
    describe.skip(`${label} on PostgreSQL server (SKIPPED: ${why})`, () => {
      it('needs a PostgreSQL server', () => {});
    });
  }
};
