import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../src/adapters/postgres';
import { contentHash } from '../src/hash-chain';
import type { GlobalPosition, RecordedEvent } from '../src/port';
import { type Database, openDatabase } from '../src/sql/database';
import { newEvent, readSubscription } from './conformance';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from './support/postgres';

/**
 * Global positions are taken before commit, so transactions commit out of position order. These tests hold
 * transactions open on their own connections to force exactly that, and check that subscribers neither skip nor repeat.
 */
const available = await postgresAvailable();

describe.skipIf(!available)(`late commits on a PostgreSQL server (${available ? TEST_DATABASE_URL : 'SKIPPED: server unreachable'})`, () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let store: PostgresEventStore;

  beforeAll(async () => {
    testDb = await createTestDatabase('late_commit');
    database = await openDatabase({ databaseUrl: testDb.url, poolSize: 20 });
    store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  /** Appends inside an explicit transaction on its own connection and leaves it open until `commit()`. */
  const openAppend = async (streamId: string, type: string) => {
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    await client.query('begin');
    const event = newEvent(type);
    const payload = JSON.stringify([{ ...event, contentHash: contentHash(event) }]);
    const { rows } = await client.query('select global_position from eventstore.append($1, -2, $2::jsonb)', [streamId, payload]);
    return {
      position: BigInt(rows[0].global_position as string),
      commit: async () => {
        await client.query('commit');
        await client.end();
      },
    };
  };

  it('holds back events committed after an earlier-positioned transaction that is still open, then delivers both in order', async () => {
    const prefix = `late-${randomUUID().slice(0, 8)}-`;
    const from = (await store.headPosition()) ?? undefined;
    const held = await openAppend(`${prefix}slow`, 'Slow');
    const fast = await store.appendToStream(`${prefix}fast`, [newEvent('Fast')]);
    expect(fast.position > held.position).toBe(true);

    const subscription = store.subscribeToAll({ ...(from === undefined ? {} : { from }), filter: { streamPrefixes: [prefix] } });
    const before = await readSubscription(subscription, (_, caughtUp) => caughtUp.length > 0);
    // The fast event is committed, but delivering it now would let a checkpoint pass the slow one.
    expect(before.events).toEqual([]);

    await held.commit();
    const after = await readSubscription(subscription, (events) => events.length >= 2);
    expect(after.events.map((e) => e.type)).toEqual(['Slow', 'Fast']);
    await subscription.close();
  });

  it('never skips or repeats an event under many concurrent writers committing out of order, across restarts', async () => {
    const prefix = `hammer-${randomUUID().slice(0, 8)}-`;
    const from = (await store.headPosition()) ?? undefined;
    const writers = 12;
    const perWriter = 25;
    const expected = writers * perWriter;
    const seen: RecordedEvent[] = [];
    let checkpoint: GlobalPosition | undefined = from;
    let writing = true;

    // A subscriber that restarts from its checkpoint every 40 events, as a projection worker would after a crash.
    const subscriber = (async () => {
      while (seen.length < expected) {
        const subscription = store.subscribeToAll({ ...(checkpoint === undefined ? {} : { from: checkpoint }), filter: { streamPrefixes: [prefix] } });
        const got = await readSubscription(
          subscription,
          (events) => events.length >= 40 || seen.length + events.length >= expected || (!writing && events.length > 0),
          60_000,
        );
        await subscription.close();
        seen.push(...got.events);
        checkpoint = got.events.at(-1)?.globalPosition ?? checkpoint;
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const client = new pg.Client({ connectionString: testDb.url });
        await client.connect();
        for (let i = 0; i < perWriter; i++) {
          const event = newEvent('E', { w, i });
          const payload = JSON.stringify([{ ...event, contentHash: contentHash(event) }]);
          await client.query('begin');
          await client.query('select * from eventstore.append($1, -2, $2::jsonb)', [`${prefix}${w % 4}`, payload]);
          // Random hold before commit: transactions finish in a different order than their positions.
          await client.query('select pg_sleep($1)', [Math.random() * 0.01]);
          await client.query('commit');
        }
        await client.end();
      }),
    );
    writing = false;
    await subscriber;

    expect(seen).toHaveLength(expected);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(expected);
    expect(seen.every((e, i) => i === 0 || e.globalPosition > seen[i - 1]!.globalPosition)).toBe(true);
    for (let s = 0; s < 4; s++) {
      const versions = seen.filter((e) => e.streamId === `${prefix}${s}`).map((e) => e.streamVersion);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i));
    }
  });
});
