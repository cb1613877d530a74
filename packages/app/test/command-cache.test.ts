import { randomUUID } from 'node:crypto';
import type { Actor } from '@dms/domain';
import { AggregateCache, type EventStore, MemoryEventStore, type ReadStreamOptions } from '@dms/eventstore';
import { describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult, type DmsCommand } from '../src/command-bus';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = (commandId = randomUUID()) => ({ commandId, actor: admin });
const onboard = (partnerId: string): DmsCommand => ({
  type: 'OnboardPartner',
  data: {
    partnerId,
    name: partnerId,
    region: 'north',
    tier: 'gold',
    creditLimit: { amountMinor: 100_000, currency: 'EUR' },
    contacts: [],
    onboardedAt: '2026-01-01T00:00:00Z',
  },
});
const suspend = (partnerId: string): DmsCommand => ({ type: 'SuspendPartner', data: { partnerId, reason: 'overdue', suspendedAt: '2026-02-01T00:00:00Z' } });
const reactivate = (partnerId: string): DmsCommand => ({ type: 'ReactivatePartner', data: { partnerId, reactivatedAt: '2026-03-01T00:00:00Z' } });
const ok = (r: CommandResult) => {
  if (r._tag === 'Left') throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};

/** A store that counts stream reads, to see which commands were decided without one. */
const counting = (store: EventStore) => {
  const reads: string[] = [];
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === 'readStream')
        return (streamId: string, options?: ReadStreamOptions) => {
          reads.push(streamId);
          return target.readStream(streamId, options);
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, reads };
};

describe('the command handler with an aggregate cache', () => {
  it('decides a stream it wrote last without reading it again', async () => {
    const { store, reads } = counting(new MemoryEventStore());
    const bus = new CommandBus(store);
    ok(await bus.execute(onboard('acme'), ctx()));
    ok(await bus.execute(suspend('acme'), ctx()));
    const reactivated = ok(await bus.execute(reactivate('acme'), ctx()));
    expect(reactivated.streamVersion).toBe(2);
    expect(reads).toEqual(['partner-acme']);

    const uncached = counting(new MemoryEventStore());
    const plain = new CommandBus(uncached.store, { cache: null });
    for (const c of [onboard('acme'), suspend('acme'), reactivate('acme')]) ok(await plain.execute(c, ctx()));
    expect(uncached.reads).toHaveLength(3);
  });

  it('accepts a command another process made possible, rather than refusing it on what it remembers', async () => {
    const memory = new MemoryEventStore();
    const a = new CommandBus(memory);
    const b = new CommandBus(memory);
    ok(await a.execute(onboard('acme'), ctx()));
    ok(await b.execute(suspend('acme'), ctx()));
    // `a` remembers acme as active, where reactivating is refused; the stream says suspended.
    expect(ok(await a.execute(reactivate('acme'), ctx())).streamVersion).toBe(2);
  });

  it('refuses what the stream refuses, after reading it', async () => {
    const { store, reads } = counting(new MemoryEventStore());
    const bus = new CommandBus(store);
    ok(await bus.execute(onboard('acme'), ctx()));
    const refused = await bus.execute(reactivate('acme'), ctx());
    expect(refused._tag === 'Left' && refused.left.code).toBe('PARTNER_NOT_SUSPENDED');
    expect(reads).toEqual(['partner-acme', 'partner-acme']);
  });

  it('decides again on the stream as it is when another process wrote to it meanwhile', async () => {
    const memory = new MemoryEventStore();
    const a = new CommandBus(memory);
    const b = new CommandBus(memory);
    ok(await a.execute(onboard('acme'), ctx()));
    ok(await b.execute(suspend('acme'), ctx()));
    ok(await b.execute(reactivate('acme'), ctx()));
    // `a` remembers version 0 (active); suspending again must land after b's two events, not collide with them.
    const suspended = ok(await a.execute(suspend('acme'), ctx()));
    expect(suspended.streamVersion).toBe(3);
    const types: string[] = [];
    for await (const e of memory.readStream('partner-acme')) types.push(e.type);
    expect(types).toEqual(['PartnerOnboarded', 'PartnerSuspended', 'PartnerReactivated', 'PartnerSuspended']);
  });

  it('still recognises a repeated command id and returns its original events', async () => {
    const memory = new MemoryEventStore();
    const bus = new CommandBus(memory);
    ok(await bus.execute(onboard('acme'), ctx()));
    const commandId = randomUUID();
    const first = ok(await bus.execute(suspend('acme'), ctx(commandId)));
    const again = ok(await bus.execute(suspend('acme'), ctx(commandId)));
    expect(again).toMatchObject({ replayed: true, streamVersion: first.streamVersion });
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(await memory.headPosition()).toBe(first.position);
  });

  it('keeps the most recently used streams up to its capacity', async () => {
    const { store, reads } = counting(new MemoryEventStore());
    const cache = new AggregateCache(2);
    const bus = new CommandBus(store, { cache });
    for (const p of ['a1', 'a2', 'a3']) ok(await bus.execute(onboard(p), ctx()));
    expect(cache.size).toBe(2);
    reads.length = 0;
    ok(await bus.execute(suspend('a3'), ctx()));
    ok(await bus.execute(suspend('a1'), ctx()));
    expect(reads).toEqual(['partner-a1']);
    expect(() => new AggregateCache(0)).toThrow(/at least one stream/);
  });
});
