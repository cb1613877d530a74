import { aggregates, creditStream, orderStream } from '@dms/domain';
import { type EventStore, loadAggregate, MemoryEventStore, PostgresEventStore } from '@dms/eventstore';
import { type EsdbTestServer, EventStoreDbEventStore, onEveryDatabase, startEsdbTestServer, type TestDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../src/command-bus';
import { placeAndReview, setUpDealer } from './support/agreements';

/**
 * A command that spans streams commits all its events or none. Approving a queued order reserves the dealer's credit
 * (`credit-<partner>`) and approves the order (`order-<id>`): two streams. On stores with multi-stream transactions both
 * go in one; on EventStoreDB, one after the other with compensation. A failure is injected before every step of the
 * write, and after it, the streams must show both effects or neither, never one.
 */
const admin = { id: 'sam', role: 'sales' as const };
const approve = (bus: CommandBus, orderId: string, commandId: string, note?: string) =>
  bus.execute(
    { type: 'ApproveQueuedOrder', data: { orderId, approvedAt: '2025-03-01T10:00:00Z', overrideCreditLimit: true, ...(note === undefined ? {} : { note }) } },
    { commandId, actor: admin },
  );

/** The order's state and what its dealer's credit stream holds for it. */
const snapshot = async (store: EventStore, partnerId: string, orderId: string) => {
  const order = (await loadAggregate(store, aggregates.orders, orderStream(orderId))).state;
  const credit = (await loadAggregate(store, aggregates.credit, creditStream(partnerId))).state;
  return { lifecycle: order.exists ? order.lifecycle : 'none', held: credit.reservations.get(orderId)?.amountMinor ?? 0 };
};
const whole = (s: { lifecycle: string; held: number }) =>
  (s.lifecycle === 'approved' && s.held > 0) || (s.lifecycle === 'placed' && s.held === 0) ? 'whole' : `half: ${JSON.stringify(s)}`;

/** A store that fails its n-th append (counting both kinds), as a crash or a lost connection would at that point. */
const failingAt = (inner: EventStore, failAt: number, options: { atomic: boolean; alsoFailUndo?: boolean }) => {
  let appends = 0;
  let failed = false;
  const fail = () => {
    appends++;
    if (appends === failAt || (failed && options.alsoFailUndo)) {
      failed = true;
      throw new Error(`injected failure at append ${appends}`);
    }
  };
  const store: EventStore = {
    appendToStream: async (...args) => {
      fail();
      return inner.appendToStream(...args);
    },
    ...(options.atomic && inner.appendToStreams
      ? {
          appendToStreams: async (parts) => {
            fail();
            return inner.appendToStreams!(parts);
          },
        }
      : {}),
    readStream: (...args) => inner.readStream(...args),
    readAll: (...args) => inner.readAll(...args),
    subscribeToAll: (...args) => inner.subscribeToAll(...args),
    headPosition: () => inner.headPosition(),
    close: async () => {},
  };
  return store;
};

/** Places an order that waits for review (over its dealer's limit), then approves it through a store that fails at each step. */
const proveNoHalfState = (label: string, open: () => Promise<{ store: EventStore; atomic: boolean; close(): Promise<void> }>) =>
  describe(label, () => {
    let opened: Awaited<ReturnType<typeof open>>;
    let bus: CommandBus;
    let n = 0;
    beforeAll(async () => {
      opened = await open();
      bus = new CommandBus(opened.store);
      await setUpDealer(bus, 'tight', 100_00);
    });
    afterAll(async () => {
      await opened?.close();
    });
    const queuedOrder = async () => {
      const orderId = `q-${++n}`;
      await placeAndReview(bus, 'tight', orderId, [{ sku: 'PUMP', quantity: 3 }]);
      expect(await snapshot(opened.store, 'tight', orderId)).toEqual({ lifecycle: 'placed', held: 0 });
      return orderId;
    };

    it('writes the reservation and the approval together', async () => {
      const orderId = await queuedOrder();
      const approved = await approve(bus, orderId, `approve-${orderId}`);
      expect(approved._tag).toBe('Right');
      expect(await snapshot(opened.store, 'tight', orderId)).toEqual({ lifecycle: 'approved', held: 300_00 });
    });

    it('leaves neither effect when a write fails at any step, and completes on a retry with the same command id', async () => {
      // Sequential (EventStoreDB): append 1 the reservation, 2 the approval. Atomic: append 1 is the whole unit.
      for (const failAt of opened.atomic ? [1] : [1, 2]) {
        for (const alsoFailUndo of opened.atomic ? [false] : [false, true]) {
          const orderId = await queuedOrder();
          const faulty = new CommandBus(failingAt(opened.store, failAt, { atomic: opened.atomic, alsoFailUndo }));
          await expect(approve(faulty, orderId, `approve-${orderId}`)).rejects.toThrow(/injected failure/);
          const after = await snapshot(opened.store, 'tight', orderId);
          // A process that died before it could compensate (alsoFailUndo) leaves the reservation behind: the retry below,
          // which a client sends with the same Idempotency-Key (or a policy by redelivery), completes the unit.
          if (!alsoFailUndo) expect(whole(after), `fail at append ${failAt}`).toBe('whole');
          const retried = await approve(bus, orderId, `approve-${orderId}`);
          expect(retried._tag, `retry after a failure at append ${failAt}`).toBe('Right');
          expect(await snapshot(opened.store, 'tight', orderId)).toEqual({ lifecycle: 'approved', held: 300_00 });
          // Once: a second retry changes nothing.
          const head = await opened.store.headPosition();
          const again = await approve(bus, orderId, `approve-${orderId}`);
          expect(again._tag === 'Right' && again.right.replayed).toBe(true);
          expect(await opened.store.headPosition()).toBe(head);
        }
      }
    });

    it('validates everything before the first write: a refused note leaves the credit untouched', async () => {
      const orderId = await queuedOrder();
      const head = await opened.store.headPosition();
      const refused = await approve(bus, orderId, `approve-${orderId}`, 'note with \u0000');
      expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'INVALID_COMMAND' } });
      expect(await opened.store.headPosition()).toBe(head);
    });
  });

proveNoHalfState('memory (one transaction)', async () => ({ store: new MemoryEventStore(), atomic: true, close: async () => {} }));

await onEveryDatabase('unit_of_work', (name, open) => {
  let db: TestDatabase;
  proveNoHalfState(`${name} (one transaction)`, async () => {
    db = await open();
    return { store: await PostgresEventStore.create(db.database.db), atomic: true, close: () => db.teardown() };
  });
});

let server: EsdbTestServer;
proveNoHalfState('EventStoreDB (process with compensation)', async () => {
  server = await startEsdbTestServer();
  const store = await EventStoreDbEventStore.connect(server.connectionString);
  return {
    store,
    atomic: false,
    close: async () => {
      await store.close();
      await server.stop();
    },
  };
});
