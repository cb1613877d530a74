import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../src/adapters/postgres';
import { type Database, openDatabase } from '../src/sql/database';
import { oldestOpenTransaction } from '../src/sql/held-back';
import { newEvent } from './conformance';
import { createTestDatabase, holdTransactionOpen, postgresAvailable, TEST_DATABASE_URL } from './support/postgres';

const available = await postgresAvailable();

describe.skipIf(!available)(`the transaction holding readers back (${available ? TEST_DATABASE_URL : 'SKIPPED: server unreachable'})`, () => {
  let events: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let store: PostgresEventStore;

  beforeAll(async () => {
    events = await createTestDatabase('held_back');
    database = await openDatabase({ databaseUrl: events.url, poolSize: 2 });
    store = await PostgresEventStore.create(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await events?.drop();
  });

  it('names a transaction left open in another database, its age and the events waiting behind it', async () => {
    const held = await holdTransactionOpen('dms-held-back-test');
    try {
      await store.appendToStream('held-a', [newEvent('A'), newEvent('B')]);
      await new Promise((r) => setTimeout(r, 300));
      const holder = await oldestOpenTransaction(database.db);
      expect(holder).not.toBeNull();
      // On a shared server an even older transaction may be open elsewhere: then that one is named.
      expect(holder!.startedAt.getTime()).toBeLessThanOrEqual(held.startedAt.getTime());
      expect(holder!.eventsHeldBack).toBeGreaterThanOrEqual(2);
      if (holder!.pid === held.pid) {
        expect(holder).toMatchObject({
          application: 'dms-held-back-test',
          database: held.database,
          user: 'postgres',
          state: 'idle in transaction',
          query: held.lastStatement,
          preparedAs: null,
        });
        expect(holder!.ageSeconds).toBeGreaterThanOrEqual(0.3);
      }
    } finally {
      await held.end();
    }
    // Once it ends, it is no longer named (another transaction may still be, on a shared server).
    const after = await oldestOpenTransaction(database.db);
    expect(after?.application).not.toBe('dms-held-back-test');
  });
});
