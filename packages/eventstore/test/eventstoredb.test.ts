/**
 * The EventStoreDB adapter: the conformance suite against the in-process wire server (and against a real server when
 * EVENTSTORE_CONNECTION_STRING is set), then the faults a real deployment meets: dropped connections, version
 * conflicts, and events written by someone else that are not DMS events.
 */
import { randomUUID } from 'node:crypto';
import { binaryEvent, EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventStoreDbEventStore } from '../src/adapters/eventstoredb';
import { IdempotencyConflict, MalformedEvent, WrongExpectedVersion } from '../src/errors';
import { verifyChain } from '../src/hash-chain';
import type { GlobalPosition, RecordedEvent, Subscription, SubscriptionItem } from '../src/port';
import { collect, newEvent, readSubscription, runConformanceSuite } from './conformance';
import { type EsdbTestServer, startEsdbTestServer } from './esdb-server';

const REAL_SERVER = process.env['EVENTSTORE_CONNECTION_STRING'];
const redact = (connectionString: string) => connectionString.replace(/\/\/[^@/]*@/, '//***@');

runConformanceSuite('EventStoreDB via the official client (in-process wire server)', async () => {
  const server = await startEsdbTestServer();
  const store = await EventStoreDbEventStore.connect(server.connectionString);
  return {
    store,
    teardown: async () => {
      await store.close();
      await server.stop();
    },
  };
});

if (REAL_SERVER) {
  runConformanceSuite(`EventStoreDB server (${redact(REAL_SERVER)})`, async () => {
    const store = await EventStoreDbEventStore.connect(REAL_SERVER);
    return { store, teardown: () => store.close() };
  });
} else {
  console.warn('EventStoreDB conformance against a real server SKIPPED: EVENTSTORE_CONNECTION_STRING is not set.');
  describe.skip('EventStore conformance: EventStoreDB server (SKIPPED: EVENTSTORE_CONNECTION_STRING is not set)', () => {
    it('needs a real EventStoreDB server', () => {});
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Faults, against the in-process server (whose connections can be cut).

const prefixed = () => `f${randomUUID().replace(/-/g, '').slice(0, 10)}-`;

/** Pulls items one by one (a subscription must not be iterated with for-await by two readers). */
const puller = (subscription: Subscription) => {
  const iterator = subscription[Symbol.asyncIterator]();
  const items: SubscriptionItem[] = [];
  const events = () => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
  return {
    items,
    events,
    /** Reads until `enough`, failing after a timeout instead of hanging. */
    async until(enough: () => boolean, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!enough()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`subscription stalled after ${events().length} events`);
        let timer: NodeJS.Timeout | undefined;
        const next = await Promise.race([
          iterator.next(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`subscription stalled after ${events().length} events`)), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (next.done) return;
        items.push(next.value);
      }
    },
  };
};

const expectExactlyOnceInOrder = (events: readonly RecordedEvent[], expectedIds: readonly string[]) => {
  expect(events.map((e) => e.eventId)).toEqual(expectedIds);
  const positions = events.map((e) => e.globalPosition);
  expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
};

describe('EventStoreDB adapter: faults and edge cases (in-process wire server)', () => {
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;
  /** A second client writing directly, as another tool or service would. */
  let raw: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEsdbTestServer();
    store = await EventStoreDbEventStore.connect(server.connectionString, {
      reconnect: { initialDelayMs: 5, maxDelayMs: 100 },
      retry: { initialDelayMs: 5, maxDelayMs: 100 },
    });
    raw = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterAll(async () => {
    await store?.close();
    await raw?.dispose();
    await server?.stop();
  });

  describe('dropped connections', () => {
    it('a subscriber receives every event exactly once, in order, when connections drop during catch-up and while live', async () => {
      const p = prefixed();
      const start = (await store.headPosition()) ?? undefined;
      const before: string[] = [];
      for (let i = 0; i < 40; i++) {
        const result = await store.appendToStream(`${p}s${i % 4}`, [newEvent('Old', { i, k: 0 }), newEvent('Old', { i, k: 1 })]);
        before.push(...result.events.map((e) => e.eventId));
      }
      // Noise the server-side filter has to skip, also across the drops.
      await store.appendToStream(`${prefixed()}noise`, [newEvent('Noise'), newEvent('Noise')]);
      const subscription = store.subscribeToAll({ ...(start === undefined ? {} : { from: start }), filter: { streamPrefixes: [p] } });
      const reader = puller(subscription);
      const readsBefore = server.calls.get('Streams.Read') ?? 0;

      // Mid catch-up: the consumer has taken 25 of 80 events, the rest is still to come from the server.
      await reader.until(() => reader.events().length >= 25);
      server.dropConnections();
      await reader.until(() => reader.items.some((i) => i.kind === 'caughtUp'));
      expectExactlyOnceInOrder(reader.events(), before);

      // Live: drop again, and write while the subscriber is away (the appends meet the dead connection too).
      server.dropConnections();
      const during: string[] = [];
      for (let i = 0; i < 10; i++) during.push(...(await store.appendToStream(`${p}s${i % 3}`, [newEvent('New', { i })])).events.map((e) => e.eventId));
      await reader.until(() => reader.events().length >= before.length + during.length);
      server.dropConnections();
      const after = (await store.appendToStream(`${p}s9`, [newEvent('Last')])).events.map((e) => e.eventId);
      await reader.until(() => reader.events().length >= before.length + during.length + after.length);
      await subscription.close();

      expectExactlyOnceInOrder(reader.events(), [...before, ...during, ...after]);
      for (let s = 0; s < 4; s++) {
        const versions = reader
          .events()
          .filter((e) => e.streamId === `${p}s${s}`)
          .map((e) => e.streamVersion);
        expect(versions).toEqual(versions.map((_, i) => i));
      }
      // It did resubscribe (every subscription and read is a Streams.Read call).
      expect(server.calls.get('Streams.Read')! - readsBefore).toBeGreaterThan(3);
    });

    it('retries an append that meets a dropped connection, writing it once', async () => {
      const p = prefixed();
      await store.appendToStream(`${p}a`, [newEvent('A')]);
      server.dropConnections();
      const result = await store.appendToStream(`${p}a`, [newEvent('B'), newEvent('C')], { expectedVersion: 0 });
      expect(result.streamVersion).toBe(2);
      const events = await collect(store.readStream(`${p}a`));
      expect(events.map((e) => e.type)).toEqual(['A', 'B', 'C']);
      expect(verifyChain(`${p}a`, events).ok).toBe(true);
    });

    it('resumes a long read after a drop without gaps or repeats', async () => {
      const p = prefixed();
      const ids: string[] = [];
      for (let i = 0; i < 20; i++)
        ids.push(...(await store.appendToStream(`${p}r`, [newEvent('R', { i }), newEvent('R', { i })])).events.map((e) => e.eventId));
      const seen: string[] = [];
      for await (const e of store.readStream(`${p}r`)) {
        seen.push(e.eventId);
        if (seen.length === 7) server.dropConnections();
      }
      expect(seen).toEqual(ids);
    });
  });

  describe('version conflicts', () => {
    it('refuses an append whose exact expected version another writer got first, with the actual version, writing nothing', async () => {
      const p = prefixed();
      await store.appendToStream(`${p}a`, [newEvent('A')], { expectedVersion: 'no_stream' });
      // Another service appends directly through its own client.
      await raw.appendToStream(`${p}a`, jsonEvent({ type: 'Foreign', data: {} }), { expectedRevision: 0n });
      const refused = await store.appendToStream(`${p}a`, [newEvent('B')], { expectedVersion: 0 }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WrongExpectedVersion);
      expect(refused).toMatchObject({ streamId: `${p}a`, expected: 0, actual: 1, code: 'WRONG_EXPECTED_VERSION' });
      await expect(store.appendToStream(`${p}b`, [newEvent('B')], { expectedVersion: 3 })).rejects.toMatchObject({ actual: -1 });
      expect(await collect(raw.readStream(`${p}a`))).toHaveLength(2);
    });

    it('retries `any` appends that race for the same stream, so none fails and the chain never forks', async () => {
      const p = prefixed();
      const second = await EventStoreDbEventStore.connect(server.connectionString);
      try {
        const writers = [store, second, store, second, store, second];
        await Promise.all(
          writers.map(async (s, w) => {
            for (let i = 0; i < 5; i++) await s.appendToStream(`${p}hot`, [newEvent('Hot', { w, i }), newEvent('Hot', { w, i, k: 1 })]);
          }),
        );
        const events = await collect(store.readStream(`${p}hot`));
        expect(events).toHaveLength(60);
        expect(verifyChain(`${p}hot`, events)).toMatchObject({ ok: true, events: 60 });
      } finally {
        await second.close();
      }
    });

    it('keeps refusing an id reused in another stream, and a repeat returns the original events', async () => {
      const p = prefixed();
      const original = await store.appendToStream(`${p}a`, [newEvent('A'), newEvent('B')]);
      const [a, b] = original.events;
      const again = await store.appendToStream(
        `${p}a`,
        [a!, b!].map((e) => ({ eventId: e.eventId.toUpperCase(), type: e.type, data: e.data, metadata: e.metadata })),
        { expectedVersion: 'no_stream' },
      );
      expect(again.events).toEqual(original.events);
      await expect(
        store.appendToStream(`${p}b`, [{ eventId: a!.eventId, type: 'A', data: {}, metadata: a!.metadata }], { expectedVersion: 'no_stream' }),
      ).rejects.toBeInstanceOf(IdempotencyConflict);
      await expect(store.appendToStream(`${p}a`, [newEvent('C'), { ...newEvent('B'), eventId: b!.eventId }])).rejects.toBeInstanceOf(IdempotencyConflict);
      expect(await collect(store.readStream(`${p}b`))).toEqual([]);
    });
  });

  describe('events that are not DMS events', () => {
    const expectMalformed = async (promise: Promise<unknown>, problem: RegExp) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MalformedEvent);
      expect((error as MalformedEvent).problem).toMatch(problem);
      return error as MalformedEvent;
    };

    it('reports a foreign event appended through the client as MalformedEvent, from readStream, readAll and a subscription', async () => {
      const p = prefixed();
      const start = (await store.headPosition()) ?? undefined;
      await store.appendToStream(`${p}ok`, [newEvent('Fine')]);
      await raw.appendToStream(`${p}bin`, binaryEvent({ type: 'Blob', data: Buffer.from('not json at all') }));
      await raw.appendToStream(`${p}json`, jsonEvent({ type: 'Foreign', data: { a: 1 }, metadata: { correlationId: 'c-1' } }));
      await raw.appendToStream(`${p}nometa`, jsonEvent({ type: 'Foreign', data: { a: 1 } }));
      await raw.appendToStream(`${p}badmeta`, binaryEvent({ type: 'Foreign', data: Buffer.from('{}'), metadata: Buffer.from('{oops') }));

      const bin = await expectMalformed(collect(store.readStream(`${p}bin`)), /not JSON \(content type application\/octet-stream\)/);
      expect(bin).toMatchObject({ streamId: `${p}bin`, streamVersion: 0, eventType: 'Blob', code: 'MALFORMED_EVENT' });
      await expectMalformed(collect(store.readStream(`${p}json`)), /actor is missing.*schemaVersion.*prevHash is missing; hash is missing/);
      await expectMalformed(collect(store.readStream(`${p}nometa`)), /no metadata/);
      await expectMalformed(collect(store.readStream(`${p}badmeta`)), /not JSON/);
      await expectMalformed(collect(store.readAll({ ...(start === undefined ? {} : { from: start }), filter: { streamPrefixes: [p] } })), /not JSON/);

      // The subscription delivers what precedes the foreign event, then fails with the same typed error.
      const subscription = store.subscribeToAll({ ...(start === undefined ? {} : { from: start }), filter: { streamPrefixes: [p] } });
      const reader = puller(subscription);
      const failure = await reader.until(() => false).catch((e: unknown) => e);
      expect(reader.events().map((e) => e.type)).toEqual(['Fine']);
      expect(failure).toBeInstanceOf(MalformedEvent);
      expect(failure).toMatchObject({ streamId: `${p}bin`, eventType: 'Blob' });
      await subscription.close();
    });

    it('reports a JSON-typed event whose body does not parse (written by a non-JS client) as MalformedEvent', async () => {
      const p = prefixed();
      // The Node client always serialises JSON itself, so write the broken bytes the way another client could.
      server.log.append(`${p}broken`, { kind: 'any' }, [
        {
          eventId: randomUUID(),
          type: 'Broken',
          contentType: 'application/json',
          data: Uint8Array.from(Buffer.from('{"amount": 12', 'utf8')),
          customMetadata: Uint8Array.from(Buffer.from(JSON.stringify(newEvent('x').metadata), 'utf8')),
        },
      ]);
      await expectMalformed(collect(store.readStream(`${p}broken`)), /data is not valid JSON/);
    });

    it('refuses to append after a foreign last event, since the chain cannot be linked to it', async () => {
      const p = prefixed();
      await raw.appendToStream(`${p}a`, jsonEvent({ type: 'Foreign', data: {} }));
      await expectMalformed(store.appendToStream(`${p}a`, [newEvent('A')]), /no metadata/);
      expect(await collect(raw.readStream(`${p}a`))).toHaveLength(1);
    });
  });

  describe('positions, filters and system events', () => {
    it('uses the $all commit position as the global position, and maps it back for `from`', async () => {
      const p = prefixed();
      const result = await store.appendToStream(`${p}a`, [newEvent('A'), newEvent('B'), newEvent('C')]);
      const onServer = [];
      for await (const resolved of raw.readStream(`${p}a`)) onServer.push(resolved.event!.position!);
      expect(onServer.map((pos) => pos.commit)).toEqual(result.events.map((e) => e.globalPosition));
      expect(onServer.every((pos) => pos.commit === pos.prepare)).toBe(true);
      const afterFirst = await collect(store.readAll({ from: result.events[0]!.globalPosition, filter: { streamPrefixes: [p] } }));
      expect(afterFirst.map((e) => e.type)).toEqual(['B', 'C']);
      const beforeLast = await collect(store.readAll({ direction: 'backwards', from: result.position, filter: { streamPrefixes: [p] } }));
      expect(beforeLast.map((e) => e.type)).toEqual(['B', 'A']);
    });

    it('matches event types exactly, though the server filters them by prefix', async () => {
      const p = prefixed();
      const start = (await store.headPosition()) ?? undefined;
      await store.appendToStream(`${p}a`, [newEvent('Placed'), newEvent('PlacedLate'), newEvent('Placed')]);
      const from = start === undefined ? {} : { from: start };
      const read = await collect(store.readAll({ ...from, filter: { eventTypes: ['Placed'] } }));
      expect(read.filter((e) => e.streamId === `${p}a`).map((e) => e.streamVersion)).toEqual([0, 2]);
      const subscription = store.subscribeToAll({ ...from, filter: { eventTypes: ['Placed'], streamPrefixes: [p] } });
      const got = await readSubscription(subscription, (events, caughtUp) => caughtUp.length > 0 && events.length >= 2);
      await subscription.close();
      expect(got.events.map((e) => e.streamVersion)).toEqual([0, 2]);
    });

    it("never returns the server's own `$` events: a fresh node reads as empty", async () => {
      const fresh = await startEsdbTestServer();
      const empty = await EventStoreDbEventStore.connect(fresh.connectionString);
      try {
        expect(fresh.log.all.length).toBeGreaterThan(0);
        expect(await empty.headPosition()).toBeNull();
        expect(await collect(empty.readAll())).toEqual([]);
        expect(await collect(empty.readAll({ direction: 'backwards' }))).toEqual([]);
        const subscription = empty.subscribeToAll();
        const got = await readSubscription(subscription, (_, caughtUp) => caughtUp.length > 0);
        expect(got).toEqual({ events: [], caughtUp: [null] });
        await subscription.close();
      } finally {
        await empty.close();
        await fresh.stop();
      }
    });

    it('only says it is caught up at a position once every matching event up to it was delivered, under concurrent writes', async () => {
      const p = prefixed();
      const start = (await store.headPosition()) ?? undefined;
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing && i < 200; i++) {
          await store.appendToStream(`${p}${i % 2 === 0 ? 'wanted' : 'noise'}-${i % 5}`, [newEvent('E', { i })]);
        }
      })();
      const items: SubscriptionItem[] = [];
      for (let round = 0; round < 4; round++) {
        const subscription = store.subscribeToAll({ ...(start === undefined ? {} : { from: start }), filter: { streamPrefixes: [`${p}wanted`] } });
        const reader = puller(subscription);
        await reader.until(() => reader.items.some((i) => i.kind === 'caughtUp'));
        await subscription.close();
        items.push(...reader.items, { kind: 'caughtUp', position: -1n });
      }
      writing = false;
      await writer;
      const all = await collect(store.readAll({ ...(start === undefined ? {} : { from: start }), filter: { streamPrefixes: [`${p}wanted`] } }));
      // Each round: for each caughtUp(position), every wanted event at or before it was delivered before it.
      let delivered = new Set<string>();
      for (const item of items) {
        if (item.kind === 'event') delivered.add(item.event.eventId);
        else if (item.position === -1n) delivered = new Set();
        else if (item.position !== null) {
          const owed = all.filter((e) => e.globalPosition <= (item.position as GlobalPosition) && !delivered.has(e.eventId));
          expect(owed).toEqual([]);
        }
      }
    });

    it('ends open subscriptions when the store is closed', async () => {
      const other = await EventStoreDbEventStore.connect(server.connectionString);
      const subscription = other.subscribeToAll({ filter: { streamPrefixes: [prefixed()] } });
      const done = collect(subscription);
      await new Promise((r) => setTimeout(r, 50));
      await other.close();
      await expect(done).resolves.toEqual(expect.any(Array));
    });
  });

  describe('HTTP/2 stream resets', () => {
    // Every call a client cancels is an RST_STREAM frame, and Node's HTTP/2 server (the wire server's) ends a connection
    // after about a thousand of them in a burst: "Session closed with error code 2" on every call in flight. A read that
    // gets all it asked for must end without one, however its caller stops; only ending a subscription takes one.
    it('ends reads that get what they asked for without a reset, wherever the caller stops; closing a subscription sends one', async () => {
      const fresh = await startEsdbTestServer();
      const own = await EventStoreDbEventStore.connect(fresh.connectionString);
      try {
        const p = prefixed();
        const { events } = await own.appendToStream(`${p}a`, [newEvent('A'), newEvent('B'), newEvent('C')]);
        const [a, b, c] = events.map((e) => e.eventId);
        for (let i = 0; i < 20; i++) expect(await own.headPosition()).toBe(events[2]!.globalPosition);
        const first = async <T>(read: AsyncIterable<T>): Promise<T | undefined> => {
          for await (const item of read) return item;
          return undefined;
        };
        expect((await first(own.readAll({ maxCount: 1 })))?.eventId).toBe(a);
        expect((await first(own.readAll({ from: events[0]!.globalPosition, maxCount: 1 })))?.eventId).toBe(b);
        expect((await first(own.readAll({ direction: 'backwards', from: events[2]!.globalPosition, maxCount: 1 })))?.eventId).toBe(b);
        expect((await first(own.readStream(`${p}a`, { maxCount: 1 })))?.eventId).toBe(a);
        expect((await first(own.readStream(`${p}a`, { direction: 'backwards', maxCount: 1 })))?.eventId).toBe(c);
        expect(await collect(own.readStream(`${p}a`, { from: 1, maxCount: 2 }))).toHaveLength(2);
        expect(await collect(own.readStream(`${p}missing`))).toEqual([]);
        const subscription = own.subscribeToAll({ filter: { streamPrefixes: [p] } });
        // Its caught-up position is resolved with reads of the head and of what lies before it: no resets either.
        expect((await readSubscription(subscription, (_, caughtUp) => caughtUp.length > 0)).events).toHaveLength(3);
        expect(fresh.resets).toBe(0);
        await subscription.close();
        await vi.waitFor(() => expect(fresh.resets).toBe(1), { timeout: 10_000 });
      } finally {
        await own.close();
        await fresh.stop();
      }
    });
  });
});
