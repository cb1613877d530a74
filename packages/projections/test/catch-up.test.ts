import { type Database, type EventStore, MemoryEventStore, PostgresEventStore } from '@dms/eventstore';
import { holdTransactionOpen, newEvent, onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Projection, ProjectionRunner } from '../src';

/**
 * `catchUp` reads each projection's events up to the store's head in bounded pages when everything up to it can be read,
 * and moves the checkpoint to the head; while a transaction below the head is still open (on a shared server, in any
 * database) it waits, through a subscription, rather than step over what that transaction will commit.
 */
const counting = (name: string): Projection => ({
  name,
  version: 1,
  eventTypes: ['Counted'],
  tables: [],
  createTables: async (db) => {
    await sql`create table if not exists ${sql.table(name)} (id int primary key, n int not null)`.execute(db);
    await sql`insert into ${sql.table(name)} values (1, 0) on conflict do nothing`.execute(db);
  },
  apply: async (db, events) => {
    await sql`update ${sql.table(name)} set n = n + ${events.length}`.execute(db);
  },
});

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>, server: boolean, memory = false) =>
  describe(`catching up on ${name}${memory ? ', events in the memory adapter' : ''}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let runner: ProjectionRunner;
    const counted = async () => (await sql<{ n: number }>`select n from counted_events`.execute(database.db)).rows[0]!.n;
    const checkpoint = async () =>
      (await sql<{ position: string }>`select position::text as position from projections.checkpoints where name = 'counted_events'`.execute(database.db))
        .rows[0]?.position;

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = memory ? new MemoryEventStore() : await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      // Pages of 2 events: five take three reads.
      runner = await ProjectionRunner.create(database.db, store, [counting('counted_events')], { batchSize: 2 });
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('reads every matching event up to the head, page by page, and checkpoints the head', async () => {
      // Given five counted events among others, the last event of the log not one of them
      for (let i = 0; i < 5; i++) await store.appendToStream(`count-${i}`, [newEvent('Counted'), newEvent('Ignored')]);
      const head = await store.headPosition();
      // When the runner catches up, twice
      await runner.catchUp();
      await runner.catchUp();
      // Then each was applied once, and the checkpoint is the head, past the last counted event
      expect(await counted()).toBe(5);
      expect(await checkpoint()).toBe(head!.toString());
    });

    it.runIf(server)('waits for a transaction still open below the head rather than step over what it will commit', async () => {
      // Given an event appended while another database's transaction, begun before it, is open
      const held = await holdTransactionOpen('dms-catch-up-test');
      let ended = false;
      try {
        await store.appendToStream('count-held', [newEvent('Counted')]);
        const head = await store.headPosition();
        // When the runner catches up, the transaction ending only later
        let settled = false;
        const caughtUp = runner.catchUp().then(() => {
          settled = true;
        });
        await new Promise((r) => setTimeout(r, 300));
        // Then it has not returned while the transaction was open, and once it ends, has applied the event
        expect(settled).toBe(false);
        await held.end();
        ended = true;
        await caughtUp;
        expect(await counted()).toBe(6);
        expect(BigInt((await checkpoint())!)).toBeGreaterThanOrEqual(head!);
      } finally {
        if (!ended) await held.end();
      }
    });
  });

await onEveryDatabase('catch_up', (name, open) => suite(name, open, name.startsWith('PostgreSQL')));
await onEveryDatabase('catch_up_memory', (name, open) => name.startsWith('PGlite') && suite(name, open, false, true));
