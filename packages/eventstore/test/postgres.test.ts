import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../src/adapters/postgres';
import { openDatabase } from '../src/sql/database';
import { runConformanceSuite } from './conformance';
import { createTestDatabase, postgresAvailable, startBusyDatabase, TEST_DATABASE_URL } from './support/postgres';

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
  // The same suite while another database on the server nearly always has a transaction open: readers stop at the
  // cluster-wide snapshot xmin, so a test that read `$all` right after writing, assuming an idle server, would fail here.
  runConformanceSuite('PostgreSQL server, another database busy', async () => {
    const testDb = await createTestDatabase('conformance_busy');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 12 });
    const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 20 });
    const busy = await startBusyDatabase();
    return {
      store,
      teardown: async () => {
        const transactions = busy.transactions();
        await busy.stop();
        await database.close();
        await testDb.drop();
        // The writer really ran alongside the suite.
        expect(transactions).toBeGreaterThan(0);
      },
    };
  });
} else {
  describe.skip(`EventStore conformance: PostgreSQL server (SKIPPED: ${TEST_DATABASE_URL} unreachable)`, () => {
    it('needs a PostgreSQL server', () => {});
  });
}

const serverUp = await postgresAvailable();
describe.runIf(serverUp)('appends on a PostgreSQL server', () => {
  it('send the append as a named statement, prepared once per connection', async () => {
    const testDb = await createTestDatabase('prepared');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 1 });
    try {
      const store = await PostgresEventStore.create(database.db);
      for (const stream of ['prepared-a', 'prepared-b'])
        await store.appendToStream(stream, [
          {
            eventId: randomUUID(),
            type: 'Noted',
            data: {},
            metadata: { correlationId: randomUUID(), causationId: null, commandId: null, actor: { id: 't', role: 'admin' }, schemaVersion: 1 },
          },
        ]);
      // One connection: the session that ran the appends is the one asked.
      const { rows } = await sql<{ statement: string; calls: string }>`
        select statement from pg_prepared_statements where statement like '%eventstore.append%'`.execute(database.db);
      expect(rows).toHaveLength(1);
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});
