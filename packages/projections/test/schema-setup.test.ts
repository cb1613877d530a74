import { PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Projection, ProjectionRunner } from '../src';

/**
 * Set-up runs once (eventstore/src/sql/schema-hash.ts): a process whose schema hashes are all stored sends no DDL; a changed
 * statement or version sets up again.
 */
// biome-ignore lint/suspicious/noExplicitAny: a toy table.
const toy = (version: number, index: string): Projection & { createIndexes(db: Kysely<any>): Promise<void> } => ({
  name: 'toy',
  version,
  eventTypes: ['ToyHappened'],
  tables: ['toys' as never],
  async createTables(db) {
    await db.schema
      .createTable('toys')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('n', 'integer')
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex(index).ifNotExists().on('toys').column('n').execute();
  },
  async apply() {},
});

const indexes = async (db: Kysely<unknown>) =>
  (await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'toys' and indexname <> 'toys_pkey' order by 1`.execute(db)).rows.map(
    (r) => r.indexname,
  );

await onEveryDatabase('schema_setup', (name, open) => {
  describe(`read-model set-up on ${name}`, () => {
    it('is skipped while its hashes are stored, and runs again when a statement or a version changes', async () => {
      const { database, teardown } = await open();
      try {
        const db = database.db as Kysely<unknown>;
        const store = await PostgresEventStore.create(database.db);
        await ProjectionRunner.create(database.db, store, [toy(1, 'toys_n')]);
        expect(await indexes(db)).toEqual(['toys_n']);
        const stored = await sql<{ name: string }>`select name from projections.schema_hashes order by 1`.execute(db);
        expect(stored.rows.map((r) => r.name)).toEqual(['(migrations)', 'toy']);
        expect((await sql<{ name: string }>`select name from eventstore.schema_hashes`.execute(db)).rows).toEqual([{ name: 'eventstore' }]);

        // Same code: nothing is sent, so an index dropped behind its back stays dropped.
        await sql`drop index toys_n`.execute(db);
        await ProjectionRunner.create(database.db, await PostgresEventStore.create(database.db), [toy(1, 'toys_n')]);
        expect(await indexes(db)).toEqual([]);

        // Another statement (a new index): set up again.
        await ProjectionRunner.create(database.db, store, [toy(1, 'toys_by_n')]);
        expect(await indexes(db)).toEqual(['toys_by_n']);

        // Another version: set up again, and the projection rebuilt to it.
        await ProjectionRunner.create(database.db, store, [toy(2, 'toys_by_n')]);
        const checkpoint = await sql<{ version: number }>`select version from projections.checkpoints where name = 'toy'`.execute(db);
        expect(checkpoint.rows).toEqual([{ version: 2 }]);

        // The hashes gone (or never stored): the whole set-up runs, the event store's too.
        await sql`drop index toys_by_n`.execute(db);
        await sql`delete from projections.schema_hashes`.execute(db);
        await sql`drop table eventstore.schema_hashes`.execute(db);
        await ProjectionRunner.create(database.db, await PostgresEventStore.create(database.db), [toy(2, 'toys_by_n')]);
        expect(await indexes(db)).toEqual(['toys_by_n']);
        expect((await sql<{ name: string }>`select name from eventstore.schema_hashes`.execute(db)).rows).toEqual([{ name: 'eventstore' }]);
      } finally {
        await teardown();
      }
    });
  });
});
