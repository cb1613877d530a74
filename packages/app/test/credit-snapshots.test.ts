import { type Actor, aggregates, type CreditCommand, creditStream, orderStream } from '@dms/domain';
import {
  AggregateCache,
  type EventStore,
  type HandleOptions,
  handleCommand,
  loadAggregate,
  loadLatest,
  MemoryEventStore,
  PostgresEventStore,
  SNAPSHOT_EVERY,
  verifyChain,
} from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../src/command-bus';
import { placeAndReview, setUpDealer } from './support/agreements';

/**
 * Credit snapshots are a cache: every command decided on a store that keeps snapshots (and drops them half way) gets the
 * very answer the same command gets where the whole stream is read (a store without snapshots, as on EventStoreDB),
 * while deciding reads only the events after the snapshot. Repeats of commands from before the snapshot still replay.
 */
const system: Actor = { id: 'policy:test', role: 'system' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const at = '2025-03-01T09:00:00Z';

const reserve = (partnerId: string, orderId: string, amountMinor: number, limitMinor = 1_000_000_00): CreditCommand => ({
  type: 'ReserveCredit',
  data: { partnerId, orderId, amount: eur(amountMinor), limit: eur(limitMinor), allowOverLimit: false, reason: 'approved', reservedAt: at },
});
const release = (partnerId: string, orderId: string, remainingMinor: number): CreditCommand => ({
  type: 'ReleaseCredit',
  data: { partnerId, orderId, remaining: eur(remainingMinor), reason: 'paid', releasedAt: at },
});

/** The same store, seen as one that keeps no snapshots (EventStoreDB's case): every load folds the whole stream. */
const withoutSnapshots = (store: EventStore): EventStore => ({
  appendToStream: (...a) => store.appendToStream(...a),
  readStream: (...a) => store.readStream(...a),
  readAll: (...a) => store.readAll(...a),
  subscribeToAll: (...a) => store.subscribeToAll(...a),
  headPosition: () => store.headPosition(),
  close: () => store.close(),
});

/** A dealer's history: 150 orders reserved, all but every tenth paid. */
const history = (partnerId: string): Array<[string, CreditCommand]> =>
  Array.from({ length: 150 }, (_, i) => [
    [`${i}-reserve`, reserve(partnerId, `o${i}`, 100_00 + i)] as [string, CreditCommand],
    ...(i % 10 === 0 ? [] : [[`${i}-paid`, release(partnerId, `o${i}`, 0)] as [string, CreditCommand]]),
  ]).flat();

/** What is decided next: new orders, one over the limit, releases, and repeats of commands from long before. */
const probes = (partnerId: string): Array<[string, CreditCommand]> => [
  ['new-1', reserve(partnerId, 'n1', 50_00)],
  ['over', reserve(partnerId, 'n2', 50_00, 100_00)],
  ['noop', reserve(partnerId, 'o10', 100_10)],
  ['release-open', release(partnerId, 'o20', 0)],
  // Repeats of commands from the start of the history: the first would now be a no-op, the second would reserve again.
  ['5-reserve', reserve(partnerId, 'o5', 100_05)],
  ['1-reserve', reserve(partnerId, 'o1', 100_01)],
  ['3-paid', release(partnerId, 'o3', 0)],
  ['new-2', reserve(partnerId, 'n3', 70_00)],
  ['new-1', reserve(partnerId, 'n1', 50_00)],
];

/** An answer with what names the dealer or the command taken out, so that two dealers' answers compare. */
const answer = (r: Awaited<ReturnType<typeof handleCommand>>) =>
  r._tag === 'Left'
    ? { refused: r.left.code }
    : {
        replayed: r.right.replayed,
        streamVersion: r.right.streamVersion,
        events: r.right.events.map((e) => ({ type: e.type, version: e.streamVersion, data: { ...(e.data as object), partnerId: '-' } })),
      };

const scenario = (name: string, open: () => Promise<{ store: EventStore; close: () => Promise<void> }>) =>
  describe(name, () => {
    let store: EventStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(() => close?.());

    const run = (s: EventStore, partnerId: string, [id, command]: [string, CreditCommand], options?: HandleOptions) =>
      handleCommand(s, aggregates.credit, command, { commandId: `${partnerId}:${id}`, actor: system }, options);

    it('decides every command as a whole-stream read does, reading only what follows the snapshot', async () => {
      expect(store.snapshots).toBeDefined();
      const plain = withoutSnapshots(store);
      for (const step of history('snap')) await run(store, 'snap', step, { cache: null });
      for (const step of history('whole')) await run(plain, 'whole', step, { cache: null });

      const snapshot = await store.snapshots!.read(creditStream('snap'));
      expect(snapshot?.version).toBeGreaterThan(SNAPSHOT_EVERY);
      const latest = await loadLatest(store, aggregates.credit, creditStream('snap'));
      const whole = await loadAggregate(store, aggregates.credit, creditStream('snap'));
      expect(latest.complete).toBe(false);
      expect(latest.events.length).toBeLessThan(SNAPSHOT_EVERY);
      expect(latest.version).toBe(whole.version);
      expect(latest.position).toBe(whole.events.at(-1)!.globalPosition);
      expect(latest.state).toEqual(whole.state);
      // Only the 30 orders never paid are in the state, however long the history.
      expect(latest.state.reservations.size).toBe(15);

      for (const [i, step] of probes('snap').entries()) {
        // Half way, every snapshot goes: the answers must not change.
        if (i === 4) expect(await store.snapshots!.clear()).toBeGreaterThan(0);
        const expected = answer(await run(plain, 'whole', probes('whole')[i]!, { cache: null }));
        expect(answer(await run(store, 'snap', step, { cache: null })), step[0]).toEqual(expected);
      }
      // Commands from long before the snapshot, repeated on a state remembered from the snapshot (which knows only the
      // command ids after it): each is recognised and replays its original events, whether it would now change nothing
      // (3-paid) or reserve again (5-reserve, 1-reserve).
      for (const step of history('snap').slice(0, 200)) await run(store, 'snap', step, { cache: null });
      const cache = new AggregateCache();
      await run(store, 'snap', ['fill', reserve('snap', 'n9', 1_00)], { cache });
      expect((await loadLatest(store, aggregates.credit, creditStream('snap'))).complete).toBe(false);
      for (const step of probes('snap').filter(([id]) => /^\d/.test(id))) {
        const replay = await run(store, 'snap', step, { cache });
        expect(replay._tag === 'Right' && replay.right.replayed, step[0]).toBe(true);
        expect(replay._tag === 'Right' && replay.right.events.map((e) => e.metadata.commandId), step[0]).toEqual([`snap:${step[0]}`]);
      }

      // The stream itself is untouched by snapshots: its chain verifies.
      const events = [];
      for await (const e of store.readStream(creditStream('snap'))) events.push(e);
      expect(verifyChain(creditStream('snap'), events)).toMatchObject({ ok: true, events: events.length });
    });

    it('passes over a snapshot whose event is not in the stream as it names it, or of another schema', async () => {
      const streamId = creditStream('snap');
      const whole = await loadAggregate(store, aggregates.credit, streamId);
      const good = await store.snapshots!.read(streamId);
      const fake = { streamId, version: whole.version - 1, state: { currency: 'EUR', exposure: eur(1), reservations: [] } };
      for (const snapshot of [
        { ...fake, schema: aggregates.credit.snapshot!.schema, hash: 'not-the-hash' },
        { ...fake, schema: 'credit/0', hash: whole.events.at(-2)!.metadata.hash },
      ]) {
        await store.snapshots!.clear();
        await store.snapshots!.write(snapshot);
        const latest = await loadLatest(store, aggregates.credit, streamId);
        expect(latest.complete).toBe(true);
        expect(latest.state).toEqual(whole.state);
      }
      expect(good).not.toBeNull();
    });
  });

describe('automated review on a dealer with a long credit history', () => {
  it('approves and queues exactly as when the whole credit stream is read', async () => {
    const store = new MemoryEventStore();
    const outcomes = async (bus: CommandBus, partnerId: string) => {
      await setUpDealer(bus, partnerId, 450_00);
      for (const step of history(partnerId)) await handleCommand(store, aggregates.credit, step[1], { commandId: `${partnerId}:${step[0]}`, actor: system });
      const seen = [];
      // The 15 past orders still open hold the whole limit: the first three are queued; once the limit is raised, the
      // next three are approved, their credit reserved on the state from the snapshot.
      for (let i = 0; i < 6; i++) {
        if (i === 3) {
          const raised = await bus.execute(
            { type: 'ChangeCreditLimit', data: { partnerId, creditLimit: eur(100_000_00), changedAt: at } },
            { commandId: `${partnerId}:raise`, actor: { id: 'anna', role: 'admin' } },
          );
          expect(raised._tag === 'Left' ? raised.left.code : 'ok').toBe('ok');
        }
        const r = await placeAndReview(bus, partnerId, `${partnerId}-new-${i}`, [{ sku: 'PUMP', quantity: 1 }]);
        expect(r._tag).toBe('Right');
        const order = (await loadAggregate(store, aggregates.orders, orderStream(`${partnerId}-new-${i}`))).state;
        seen.push(order.exists ? [order.lifecycle, order.review?.reasons.map((x) => x.code) ?? []] : null);
      }
      const credit = await loadAggregate(store, aggregates.credit, creditStream(partnerId));
      return { seen, exposure: credit.state.exposure };
    };
    const fromSnapshots = await outcomes(new CommandBus(store), 'snap');
    expect(await store.snapshots.read(creditStream('snap'))).not.toBeNull();
    const fromWholeStreams = await outcomes(new CommandBus(withoutSnapshots(store)), 'whole');
    expect(fromSnapshots).toEqual(fromWholeStreams);
    expect(fromSnapshots.seen.map((s) => s?.[0])).toEqual(['placed', 'placed', 'placed', 'approved', 'approved', 'approved']);
  });
});

scenario('memory', async () => {
  const store = new MemoryEventStore();
  return { store, close: () => store.close() };
});

await onEveryDatabase('credit_snapshots', (name, open) =>
  scenario(name, async () => {
    const { database, teardown } = await open();
    return { store: await PostgresEventStore.create(database.db, { pollIntervalMs: 10 }), close: teardown };
  }),
);
