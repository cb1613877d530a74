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
    // Onboarding made the stream: it was taken to be new, not read.
    expect(reads).toEqual([]);

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
    expect(reads).toEqual(['partner-acme']);
  });

  it('makes a stream without reading it, and reads one it took to be new that exists after all', async () => {
    const memory = new MemoryEventStore();
    const a = counting(memory);
    const b = counting(memory);
    const busA = new CommandBus(a.store);
    const busB = new CommandBus(b.store);
    ok(await busA.execute(onboard('acme'), ctx()));
    expect(a.reads).toEqual([]);
    // b does not hold acme: its onboarding is decided as if the stream were new, fails on its expected version, and is
    // then refused on the stream as it is.
    const again = await busB.execute(onboard('acme'), ctx());
    expect(again._tag === 'Left' && again.left.code).toBe('PARTNER_ALREADY_EXISTS');
    expect(b.reads).toEqual(['partner-acme']);
    // b holds acme now; a third bus does not: its suspension is refused on the initial state, then decided on the stream.
    const c = counting(memory);
    expect(ok(await new CommandBus(c.store).execute(suspend('acme'), ctx())).streamVersion).toBe(1);
    expect(c.reads).toEqual(['partner-acme']);
    const types: string[] = [];
    for await (const e of memory.readStream('partner-acme')) types.push(e.type);
    expect(types).toEqual(['PartnerOnboarded', 'PartnerSuspended']);
  });

  it('answers a repeat of the command that made a stream with its original events, however far the stream has gone', async () => {
    const memory = new MemoryEventStore();
    const commandId = randomUUID();
    const first = ok(await new CommandBus(memory).execute(onboard('acme'), ctx(commandId)));
    ok(await new CommandBus(memory).execute(suspend('acme'), ctx()));
    // A bus that holds nothing (another server, or this one after a restart) gets the same command again.
    const bus = new CommandBus(memory);
    const again = ok(await bus.execute(onboard('acme'), ctx(commandId)));
    expect(again).toMatchObject({ replayed: true, streamVersion: 0, position: first.position });
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    // It remembers nothing from the repeat (the stream has gone on since): the next command lands after the suspension.
    expect(ok(await bus.execute(reactivate('acme'), ctx())).streamVersion).toBe(2);
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
