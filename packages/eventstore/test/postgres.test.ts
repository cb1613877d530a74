import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../src/adapters/postgres';
import { METADATA_LEFT_OUT, type NewEvent, type RecordedEvent } from '../src/port';
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

/** A fresh event of no particular meaning, for the tests below that only need something appended. */
const noted = (): NewEvent => ({
  eventId: randomUUID(),
  type: 'Noted',
  data: {},
  metadata: { correlationId: randomUUID(), causationId: null, commandId: null, actor: { id: 'tester', role: 'admin' }, schemaVersion: 1 },
});
describe.runIf(serverUp)('appends on a PostgreSQL server', () => {
  it('send the append as a named statement, prepared once per connection', async () => {
    const testDb = await createTestDatabase('prepared');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 1 });
    try {
      const store = await PostgresEventStore.create(database.db);
      for (const stream of ['prepared-a', 'prepared-b']) await store.appendToStream(stream, [noted()]);
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

/**
 * Positions within one transaction: the transaction's first append starts at `xid << 20`; a later one continues after
 * the largest position the transaction wrote (see NEXT_POSITION in postgres-schema.ts). Appends in one transaction take
 * consecutive positions; a savepoint rolled back gives its positions back with its rows; the next transaction starts
 * afresh. Both functions, the one for several events and the one for a single event, share that rule.
 */
const appendSql = (stream: string, one: boolean) => {
  const e = noted();
  return one
    ? sql<{ status: string; global_position: string }>`select * from eventstore.append_one(${stream}, ${-1}::int, ${e.eventId}::uuid, ${e.type},
        ${JSON.stringify(e.data)}::jsonb, ${JSON.stringify(e.metadata)}::jsonb, ${'c'.repeat(64)})`
    : sql<{ status: string; global_position: string }>`select * from eventstore.append(${stream}, ${-1}::int, ${JSON.stringify([
        { ...e, contentHash: 'c'.repeat(64) },
      ])}::jsonb)`;
};
const positionsInOneTransaction = (name: string, open: () => Promise<{ db: Kysely<unknown>; close: () => Promise<void> }>) =>
  describe(`positions within one transaction (${name})`, () => {
    it('are consecutive, given back by a rolled-back savepoint, and start afresh in the next transaction', async () => {
      const database = await open();
      try {
        await PostgresEventStore.create(database.db);
        const at = async (db: Kysely<unknown>, stream: string, one = false) => {
          const { rows } = await appendSql(stream, one).execute(db);
          expect(rows.map((r) => r.status)).toEqual(['event']);
          return BigInt(rows[0]!.global_position);
        };
        const run = `tx-${randomUUID()}`;
        const first = await database.db.transaction().execute(async (trx) => {
          const a = await at(trx, `${run}-a`);
          const b = await at(trx, `${run}-b`, true);
          await sql`savepoint undo`.execute(trx);
          const gone = await at(trx, `${run}-gone`, true);
          await sql`rollback to savepoint undo`.execute(trx);
          const c = await at(trx, `${run}-c`);
          return { a, b, gone, c };
        });
        expect(first.b).toBe(first.a + 1n);
        expect(first.gone).toBe(first.b + 1n);
        // The position the rolled-back append took is free again: no gap, no duplicate key.
        expect(first.c).toBe(first.b + 1n);
        const next = await database.db.transaction().execute((trx) => at(trx, `${run}-d`, true));
        expect(next).toBeGreaterThan(first.c);
        expect(next & 0xfffffn).toBe(0n);
        const { rows } = await sql<{ stream_id: string }>`
          select stream_id from eventstore.events where starts_with(stream_id, ${run}) order by global_position`.execute(database.db);
        expect(rows.map((r) => r.stream_id)).toEqual(['a', 'b', 'c', 'd'].map((x) => `${run}-${x}`));
      } finally {
        await database.close();
      }
    });
  });

positionsInOneTransaction('PGlite', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  return { db: database.db, close: () => database.close() };
});
if (serverUp) {
  positionsInOneTransaction('PostgreSQL server', async () => {
    const testDb = await createTestDatabase('positions');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 2 });
    return {
      db: database.db,
      close: async () => {
        await database.close();
        await testDb.drop();
      },
    };
  });
}

/**
 * Live subscriptions and appends made elsewhere (another process, another connection: here a second store on the same
 * database, whose appends this store's subscriptions are not told of): the store's one probe of the stable head wakes
 * them, however many wait, instead of each polling on its own (docs/benchmarks.md, "An idle server").
 */
const liveAcrossStores = (name: string, open: () => Promise<{ db: Kysely<unknown>; close: () => Promise<void> }>) =>
  describe(`live subscriptions, appends by another store (${name})`, () => {
    it('see the other store’s events, and while idle cost one query an interval, not one per subscription', async () => {
      const database = await open();
      let queries = 0;
      const counted = database.db.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const reader = await PostgresEventStore.create(counted, { pollIntervalMs: 50 });
      const writer = await PostgresEventStore.create(database.db);
      const prefix = `elsewhere-${randomUUID()}-`;
      const subscriptions = Array.from({ length: 30 }, () => reader.subscribeToAll({ filter: { streamPrefixes: [prefix] } }));
      try {
        const firsts = subscriptions.map(async (s) => {
          for await (const item of s) if (item.kind === 'event') return item.event.streamId;
          return undefined;
        });
        // Every subscription caught up and waiting; then nothing happens for a while.
        await new Promise((r) => setTimeout(r, 300));
        queries = 0;
        const idleFrom = Date.now();
        await new Promise((r) => setTimeout(r, 1_000));
        const idleQueries = queries;
        const intervals = (Date.now() - idleFrom) / 50;
        expect(idleQueries).toBeGreaterThan(0);
        expect(idleQueries).toBeLessThanOrEqual(Math.ceil(intervals) + 2);

        await writer.appendToStream(`${prefix}1`, [noted()]);
        expect(await Promise.all(firsts)).toEqual(subscriptions.map(() => `${prefix}1`));
      } finally {
        await Promise.all(subscriptions.map((s) => s.close()));
        await database.close();
      }
    });
  });

liveAcrossStores('PGlite', async () => openDatabase({ dataDir: 'memory://' }));
if (serverUp)
  liveAcrossStores('PostgreSQL server', async () => {
    const testDb = await createTestDatabase('elsewhere');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 4 });
    return {
      db: database.db,
      close: async () => {
        await database.close();
        await testDb.drop();
      },
    };
  });

/**
 * Subscriptions and filtered reads decode their rows more cheaply than `readStream` (the recording time from epoch
 * milliseconds: `fromScanRow` in adapters/postgres.ts), as text by the raw path or as the driver parsed them through kysely.
 * They must deliver the very same events, either way.
 */
/** The first `count` events a subscription to `$all` delivers from streams starting with `prefix`; then it is closed. */
const subscribedEvents = async (store: PostgresEventStore, prefix: string, count: number, metadata?: false): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, ...(metadata === false ? { metadata } : {}) });
  for await (const item of subscription) {
    if (item.kind === 'event') events.push(item.event);
    if (events.length === count) break;
  }
  await subscription.close();
  return events;
};

const sameEventsEveryWay = (name: string, open: () => Promise<{ db: Kysely<unknown>; close: () => Promise<void> }>) =>
  describe(`events read through a subscription (${name})`, () => {
    it('equal those read from their stream: metadata, and the recording time to the millisecond (microseconds truncated)', async () => {
      // Given events in a stream, one recorded at a moment with microseconds, one just before 1 second turns over
      const database = await open();
      try {
        const store = await PostgresEventStore.create(database.db);
        const stream = `decoded-${randomUUID()}`;
        const metadata = (i: number) => ({
          correlationId: `c-${i}`,
          causationId: null,
          commandId: `cmd-${i}`,
          actor: { id: 'tester', role: 'admin' as const, partnerId: 'p-1' },
          schemaVersion: 1,
        });
        await store.appendToStream(
          stream,
          [0, 1, 2].map((i) => ({ eventId: randomUUID(), type: 'Noted', data: { i, nested: { list: [i, 'x'] } }, metadata: metadata(i) })),
        );
        await sql`update eventstore.events set recorded_at = case stream_version
            when 1 then '2026-01-02 03:04:05.678999+00'::timestamptz
            when 2 then '2026-01-02 03:04:05.999999+00'::timestamptz
            else recorded_at end
          where stream_id = ${stream}`.execute(database.db);

        // When they are read from the stream, through a filtered read of $all and through a subscription
        const fromStream: unknown[] = [];
        for await (const e of store.readStream(stream)) fromStream.push(e);
        // (the subscription first: it waits until the events are below the stable bound, which another database's open
        // transaction on the same server can hold back a while; the filtered read after it then sees them too)
        const subscribed = await subscribedEvents(store, stream, 3);
        const filtered: RecordedEvent[] = [];
        for await (const e of store.readAll({ filter: { streamPrefixes: [stream] } })) filtered.push(e);
        // (and through kysely: a store over an instance with a plugin has no raw path; the same statement, parsed rows)
        const throughKysely = await PostgresEventStore.create(
          database.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result }),
        );
        const kyselyFiltered: RecordedEvent[] = [];
        for await (const e of throughKysely.readAll({ filter: { streamPrefixes: [stream], eventTypes: ['Noted'] } })) kyselyFiltered.push(e);
        const kyselySubscribed = await subscribedEvents(throughKysely, stream, 3);
        // (and by subscribers that said they would not read the metadata, either way)
        const withoutMetadata = [await subscribedEvents(store, stream, 3, false), await subscribedEvents(throughKysely, stream, 3, false)];

        // Then every way gives the same events, spread or serialised alike
        expect(fromStream).toHaveLength(3);
        expect(filtered).toEqual(fromStream);
        expect(subscribed).toEqual(fromStream);
        expect(kyselyFiltered).toEqual(fromStream);
        expect(kyselySubscribed).toEqual(fromStream);
        expect(subscribed.map((e) => ({ ...e }))).toEqual(fromStream);
        for (const read of [subscribed, kyselyFiltered, kyselySubscribed])
          expect(read.map((e) => JSON.stringify({ ...e, globalPosition: String(e.globalPosition) }))).toEqual(
            (fromStream as RecordedEvent[]).map((e) => JSON.stringify({ ...e, globalPosition: String(e.globalPosition) })),
          );
        expect(subscribed.map((e) => e.recordedAt.toISOString()).slice(1)).toEqual(['2026-01-02T03:04:05.678Z', '2026-01-02T03:04:05.999Z']);
        expect(subscribed.map((e) => e.metadata.commandId)).toEqual(['cmd-0', 'cmd-1', 'cmd-2']);
        // And without their metadata, the same events but for them, whose every field throws when read
        const allBut = (events: readonly RecordedEvent[]) => events.map(({ metadata: _, ...rest }) => rest);
        for (const read of withoutMetadata) {
          expect(allBut(read)).toEqual(allBut(fromStream as RecordedEvent[]));
          expect(read.every((e) => e.metadata === METADATA_LEFT_OUT)).toBe(true);
          expect(() => read[0]!.metadata.commandId).toThrow(/left out .*"commandId"/);
        }
      } finally {
        await database.close();
      }
    });
  });

sameEventsEveryWay('PGlite', async () => openDatabase({ dataDir: 'memory://' }));
if (serverUp)
  sameEventsEveryWay('PostgreSQL server', async () => {
    const testDb = await createTestDatabase('decoded');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 4 });
    return {
      db: database.db,
      close: async () => {
        await database.close();
        await testDb.drop();
      },
    };
  });

describe('a store opened over the append function of before 2026-12 (returning metadata and recorded_at)', () => {
  it('replaces it, and appends link and record the events as a reader sees them', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      await sql`create schema eventstore`.execute(database.db);
      await sql`
        create function eventstore.append(p_stream text, p_expected integer, p_events jsonb)
        returns table (status text, stream_version integer, global_position text, event_id uuid, metadata jsonb, recorded_at timestamptz)
        language sql as $fn$ select 'conflict'::text, null::integer, null::text, null::uuid, null::jsonb, null::timestamptz $fn$`.execute(database.db);
      const store = await PostgresEventStore.create(database.db);
      const metadata = { correlationId: randomUUID(), causationId: null, commandId: null, actor: { id: 't', role: 'admin' as const }, schemaVersion: 1 };
      const first = await store.appendToStream('upgraded-1', [{ eventId: randomUUID(), type: 'Noted', data: { n: 1 }, metadata }]);
      const second = await store.appendToStream('upgraded-1', [{ eventId: randomUUID(), type: 'Noted', data: { n: 2 }, metadata }], { expectedVersion: 0 });
      const read: RecordedEvent[] = [];
      for await (const e of store.readStream('upgraded-1')) read.push(e);
      expect(read).toStrictEqual([...first.events, ...second.events]);
      expect(read[1]!.metadata.prevHash).toBe(read[0]!.metadata.hash);
    } finally {
      await database.close();
    }
  });
});
