import { describe, it } from 'vitest';
import { PostgresEventStore } from '../src/adapters/postgres';
import { openDatabase } from '../src/sql/database';
import { runConformanceSuite } from './conformance';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from './support/postgres';

runConformanceSuite('PGlite (embedded)', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 20 });
  return { store, teardown: () => database.close() };
});

if (await postgresAvailable()) {
  runConformanceSuite(`PostgreSQL server (${TEST_DATABASE_URL})`, async () => {
    const testDb = await createTestDatabase('conformance');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 12 });
    const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 20 });
    return {
      store,
      teardown: async () => {
        await database.close();
        await testDb.drop();
      },
    };
  });
} else {
  describe.skip(`EventStore conformance: PostgreSQL server (SKIPPED: ${TEST_DATABASE_URL} unreachable)`, () => {
    it('needs a PostgreSQL server', () => {});
  });
}
