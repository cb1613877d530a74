import { type Actor, aggregates, orderStream, promotionBudgetPolicy, promotionStream } from '@dms/domain';
import { type Database, loadAggregate, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../src/command-bus';
import { setUpDealer } from './support/agreements';

/**
 * A promotion's budget under concurrent orders, on embedded PostgreSQL (PGlite, one connection) and on a real server with a
 * pool of connections: fifty orders placed at once against a budget that covers five discounts. Exactly five get the
 * promotion and the budget is never overspent; a naive read-then-write would let many price against the same budget.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
let seq = 0;
const ctx = () => ({ commandId: `p-${++seq}`, actor: admin });
const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};

type Harness = { bus: CommandBus; close: () => Promise<void> };

const raceSuite = (label: string, open: () => Promise<Harness>) =>
  describe(`a promotion's budget under 50 concurrent orders (${label})`, () => {
    let harness: Harness;
    let bus: CommandBus;

    beforeAll(async () => {
      harness = await open();
      bus = harness.bus;
      await setUpDealer(bus, 'acme', 1_000_000_00, false);
      // 10 % off a 100.00 pump is 10.00 an order: a budget of 55.00 covers five orders, not six.
      ok(
        await bus.execute(
          {
            type: 'CreatePromotion',
            data: {
              promotionId: 'race',
              name: 'Pump race',
              validFrom: '2025-02-01T00:00:00Z',
              validTo: '2025-04-01T00:00:00Z',
              currency: 'EUR',
              target: { categories: ['pumps'] },
              benefit: { kind: 'percent_off', bps: 1_000 },
              budget: eur(55_00),
              createdAt: '2025-01-15T00:00:00Z',
            },
          },
          ctx(),
        ),
      );
    });
    afterAll(async () => harness?.close());

    const promoted = async (ids: readonly string[]) => {
      const states = await Promise.all(ids.map(async (id) => (await loadAggregate(bus.store, aggregates.orders, orderStream(id))).state));
      return states.filter((s) => s.exists && s.lines.some((l) => l.promotions?.length)).map((s) => (s.exists ? s.orderId : ''));
    };

    it('gives the promotion to exactly as many orders as the budget covers, and never overspends it', async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `r-${i}`);
      const results = await Promise.all(
        ids.map((orderId) => bus.placeOrder({ orderId, partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 1 }], placedAt: '2025-03-01T09:00:00Z' }, ctx())),
      );
      for (const r of results) ok(r);
      const winners = await promoted(ids);
      expect(winners).toHaveLength(5);
      for (const id of ids) {
        const order = (await loadAggregate(bus.store, aggregates.orders, orderStream(id))).state;
        if (!order.exists) throw new Error(`order ${id} missing`);
        expect(order.total).toEqual(winners.includes(id) ? eur(90_00) : eur(100_00));
      }
      const promotion = await loadAggregate(bus.store, aggregates.promotions, promotionStream('race'));
      if (!promotion.state.exists) throw new Error('promotion missing');
      expect(promotion.state.consumed).toEqual(eur(50_00));
      expect(promotion.events.filter((e) => e.type === 'PromotionBudgetConsumed')).toHaveLength(5);
      // Each consumption saw every one before it: 10.00, 20.00, ... 50.00, never beyond the budget.
      expect(
        promotion.events.filter((e) => e.type === 'PromotionBudgetConsumed').map((e) => (e.data as { consumed: { amountMinor: number } }).consumed.amountMinor),
      ).toEqual([10_00, 20_00, 30_00, 40_00, 50_00]);
      expect([...promotion.state.orders.keys()].sort()).toEqual([...winners].sort());
    });

    it("gives a cancelled order's discount back to the budget, for the next order to use", async () => {
      const [cancelled] = await promoted(Array.from({ length: 50 }, (_, i) => `r-${i}`));
      const cancel = ok(
        await bus.execute({ type: 'CancelOrder', data: { orderId: cancelled!, reason: 'changed plans', cancelledAt: '2025-03-02T09:00:00Z' } }, ctx()),
      );
      const event = cancel.events.find((e) => e.type === 'OrderCancelled')!;
      const [release] = promotionBudgetPolicy.react({
        type: 'OrderCancelled',
        data: event.data as { orderId: string; reason: string; cancelledAt: string },
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        eventId: event.eventId,
      });
      ok(await bus.execute(release!, ctx()));
      const after = (await loadAggregate(bus.store, aggregates.promotions, promotionStream('race'))).state;
      expect(after.exists && after.consumed).toEqual(eur(40_00));
      const late = { orderId: 'r-late', partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 1 }], placedAt: '2025-03-03T09:00:00Z' };
      const lateContext = ctx();
      ok(await bus.placeOrder(late, lateContext));
      expect(await promoted(['r-late'])).toEqual(['r-late']);
      const last = (await loadAggregate(bus.store, aggregates.promotions, promotionStream('race'))).state;
      expect(last.exists && last.consumed).toEqual(eur(50_00));
      // The same request again (a retry with the same command id) is answered as the first, and takes nothing more.
      expect(ok(await bus.placeOrder(late, lateContext)).replayed).toBe(true);
      const again = await loadAggregate(bus.store, aggregates.promotions, promotionStream('race'));
      expect(again.state.exists && again.state.consumed).toEqual(eur(50_00));
      expect(again.events).toHaveLength(last.exists ? 1 + 5 + 1 + 1 : 0);
    });
  });

raceSuite('embedded PostgreSQL', async () => {
  const database: Database = await openDatabase({ dataDir: 'memory://' });
  const bus = new CommandBus(await PostgresEventStore.create(database.db, { pollIntervalMs: 10 }));
  return { bus, close: () => database.close() };
});

const available = await postgresAvailable();
describe.skipIf(!available)(`on a PostgreSQL server (${available ? TEST_DATABASE_URL : 'SKIPPED'})`, () => {
  raceSuite('PostgreSQL server, pool of 20', async () => {
    const testDb = await createTestDatabase('promotions');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 20 });
    const bus = new CommandBus(await PostgresEventStore.create(database.db, { pollIntervalMs: 10 }));
    return {
      bus,
      close: async () => {
        await database.close();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await testDb.drop();
      },
    };
  });
});
