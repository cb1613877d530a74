import { aggregates, creditStream, orderStream } from '@dms/domain';
import { type Database, loadAggregate, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../src/command-bus';
import { placeAndReview, setUpDealer } from './support/agreements';

/**
 * Credit exposure under concurrency, on a real server with a pool of connections: a dealer with room for five orders
 * places twelve at once, and every review runs at the same time. Exactly five may be approved; a naive read-then-approve
 * would let several squeeze under the limit together.
 */
const available = await postgresAvailable();

describe.skipIf(!available)(`credit exposure under concurrent orders on a PostgreSQL server (${available ? TEST_DATABASE_URL : 'SKIPPED'})`, () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let bus: CommandBus;

  beforeAll(async () => {
    testDb = await createTestDatabase('credit');
    database = await openDatabase({ databaseUrl: testDb.url, poolSize: 20 });
    bus = new CommandBus(await PostgresEventStore.create(database.db, { pollIntervalMs: 10 }));
    await setUpDealer(bus, 'rush', 500_00);
  });
  afterAll(async () => {
    await database?.close();
    // Let the pool's sockets finish closing: dropping the database with (force) would otherwise kill them mid-close.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await testDb?.drop();
  });

  it('approves exactly as many concurrent orders as the credit limit allows, and queues the rest with the reason', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `c-${i}`);
    const results = await Promise.all(ids.map((id) => placeAndReview(bus, 'rush', id, [{ sku: 'PUMP', quantity: 1 }])));
    expect(results.every((r) => r._tag === 'Right')).toBe(true);

    const states = await Promise.all(ids.map(async (id) => (await loadAggregate(bus.store, aggregates.orders, orderStream(id))).state));
    const approved = states.filter((s) => s.exists && s.lifecycle === 'approved');
    const queued = states.filter((s) => s.exists && s.review);
    expect(approved).toHaveLength(5);
    expect(queued).toHaveLength(7);
    for (const q of queued) expect(q.exists && q.review?.reasons.map((r) => r.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);

    const credit = await loadAggregate(bus.store, aggregates.credit, creditStream('rush'));
    expect(credit.state.exposure).toEqual({ amountMinor: 500_00, currency: 'EUR' });
    expect(credit.events.map((e) => e.type)).toEqual(Array(5).fill('CreditReserved'));
    // Each reservation saw every one before it: exposures 100, 200, ... 500, never beyond the limit.
    expect(credit.events.map((e) => (e.data as { exposure: { amountMinor: number } }).exposure.amountMinor)).toEqual([100_00, 200_00, 300_00, 400_00, 500_00]);
  });

  it('refuses every concurrent manual approval beyond the limit unless overridden', async () => {
    const queued = Array.from({ length: 12 }, (_, i) => `c-${i}`);
    const results = await Promise.all(
      queued.map((orderId, i) =>
        bus.execute(
          { type: 'ApproveQueuedOrder', data: { orderId, approvedAt: '2025-03-02T09:00:00Z' } },
          { commandId: `approve-${i}`, actor: { id: 'finance', role: 'finance' } },
        ),
      ),
    );
    const codes = results.map((r) => (r._tag === 'Left' ? r.left.code : 'approved'));
    expect(codes.filter((c) => c === 'approved')).toHaveLength(0);
    expect(codes.filter((c) => c === 'CREDIT_LIMIT_EXCEEDED')).toHaveLength(7);
    expect(codes.filter((c) => c === 'INVALID_ORDER_TRANSITION')).toHaveLength(5);
    expect((await loadAggregate(bus.store, aggregates.credit, creditStream('rush'))).state.exposure?.amountMinor).toBe(500_00);
  });
});
