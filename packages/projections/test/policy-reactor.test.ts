import { CommandBus } from '@dms/app';
import type { OrderEvent, Policy } from '@dms/domain';
import { openDatabase, PostgresEventStore } from '@dms/eventstore';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ProjectionRunner, policyReactor } from '../src';

/** A toy policy: every placed order is approved at once. */
const autoApprove: Policy<OrderEvent> = {
  name: 'auto_approve',
  eventTypes: ['OrderPlaced'],
  react: (event) => (event.type === 'OrderPlaced' ? [{ type: 'ApproveOrder', data: { orderId: event.data.orderId, approvedAt: event.data.placedAt } }] : []),
};

describe('a policy run as a reactor', () => {
  it('sends each command once, with causation, even when several workers and a restart redeliver the events', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    const store = await PostgresEventStore.create(database.db);
    const bus = new CommandBus(store);
    const admin = { id: 'a', role: 'admin' } as const;
    await bus.execute(
      {
        type: 'RegisterProduct',
        data: { sku: 'P', name: 'P', category: 'c', unit: 'each', listPrice: { amountMinor: 100, currency: 'EUR' }, registeredAt: '2026-01-01T00:00:00Z' },
      },
      { commandId: 'p', actor: admin },
    );
    await bus.execute(
      {
        type: 'OnboardPartner',
        data: {
          partnerId: 'd',
          name: 'D',
          region: 'r',
          tier: 't',
          creditLimit: { amountMinor: 0, currency: 'EUR' },
          contacts: [],
          onboardedAt: '2026-01-01T00:00:00Z',
        },
      },
      { commandId: 'd', actor: admin },
    );
    for (let i = 0; i < 5; i++)
      await bus.placeOrder(
        { orderId: `o${i}`, partnerId: 'd', lines: [{ sku: 'P', quantity: 1 }], placedAt: '2026-01-02T00:00:00Z' },
        { commandId: `o${i}`, actor: admin },
      );

    const reactor = policyReactor(autoApprove, bus);
    const [a, b] = await Promise.all([1, 2].map(() => ProjectionRunner.create(database.db, store, [reactor])));
    await Promise.all([a!.catchUp(), b!.catchUp()]);
    // Simulate a crash before the checkpoint moved: rewind it and deliver everything again.
    await sql`update projections.checkpoints set position = null where name = ${reactor.name}`.execute(database.db);
    await a!.catchUp();

    const approvals = [];
    for await (const e of store.readAll({ filter: { eventTypes: ['OrderApproved'] } })) approvals.push(e);
    expect(approvals.map((e) => e.streamId).sort()).toEqual(['order-o0', 'order-o1', 'order-o2', 'order-o3', 'order-o4']);
    expect(approvals[0]!.metadata).toMatchObject({ actor: { id: 'policy:auto_approve', role: 'system' }, commandId: expect.stringMatching(/^auto_approve:/) });
    const placed = [];
    for await (const e of store.readStream('order-o0')) placed.push(e);
    expect(placed[1]!.metadata.causationId).toBe(placed[0]!.eventId);
    await expect(a!.rebuild(reactor.name)).rejects.toThrow(/never rebuilt/);
    await database.close();
  });
});
