import { type Actor, stockStream, threadStream } from '@dms/domain';
import { MemoryEventStore, newId } from '@dms/eventstore';
import { describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../src/command-bus';

/** Opening a thread checks its partner and its linked resource before the thread's decider runs; a refusal writes nothing. */
const anna: Actor = { id: 'anna', role: 'sales' };
const at = '2026-03-02T10:00:00Z';
let seq = 0;
const ctx = (commandId = `c-${++seq}`) => ({ commandId, actor: anna });
const codeOf = (r: CommandResult) => (r._tag === 'Left' ? r.left.code : 'accepted');

const setUp = async () => {
  const store = new MemoryEventStore();
  const bus = new CommandBus(store);
  const creditLimit = { amountMinor: 100_000, currency: 'EUR' };
  for (const partnerId of ['acme', 'bolt']) {
    const data = { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit, contacts: [], onboardedAt: at };
    expect(codeOf(await bus.execute({ type: 'OnboardPartner', data }, ctx()))).toBe('accepted');
  }
  // A stock item exists once its stream does; what it holds does not matter to a thread about it.
  const data = { warehouseId: 'wh-1', sku: 'PUMP-1', receiptId: 'r-1', quantity: 5, at };
  await store.appendToStream(stockStream('wh-1', 'PUMP-1'), [
    { eventId: newId(), type: 'StockReceived', data, metadata: { correlationId: 'seed', actor: anna, schemaVersion: 1 } },
  ]);
  return { store, bus };
};

const open = (threadId: string, partnerId: string, link?: { kind: 'order' | 'agreement' | 'settlement' | 'stock'; id: string }) => ({
  type: 'OpenThread',
  data: { threadId, partnerId, subject: 'Question', ...(link ? { link } : {}), by: anna, openedAt: at },
});

describe('opening a thread', () => {
  it('accepts a link to a stock item that exists, and refuses one that does not or is not <warehouse>.<sku>', async () => {
    const { bus, store } = await setUp();
    expect(codeOf(await bus.execute(open('t-1', 'acme', { kind: 'stock', id: 'wh-1.PUMP-1' }), ctx()))).toBe('accepted');
    expect(codeOf(await bus.execute(open('t-2', 'acme', { kind: 'stock', id: 'wh-1.VALVE-9' }), ctx()))).toBe('LINKED_RESOURCE_NOT_FOUND');
    expect(codeOf(await bus.execute(open('t-3', 'acme', { kind: 'stock', id: 'wh-1' }), ctx()))).toBe('LINKED_RESOURCE_NOT_FOUND');
    expect(codeOf(await bus.execute(open('t-4', 'acme', { kind: 'settlement', id: 'bolt.2026-Q1' }), ctx()))).toBe('LINKED_RESOURCE_NOT_FOUND');
    for (const id of ['t-2', 't-3', 't-4']) for await (const _ of store.readStream(threadStream(id))) throw new Error(`${id} was written`);
  });

  it('refuses a partner that does not exist or is terminated, but returns a repeated command as it was', async () => {
    const { bus } = await setUp();
    expect(codeOf(await bus.execute(open('t-1', 'nobody'), ctx()))).toBe('PARTNER_NOT_FOUND');
    const first = await bus.execute(open('t-5', 'bolt'), ctx('open-t-5'));
    expect(codeOf(first)).toBe('accepted');
    await bus.execute({ type: 'TerminatePartner', data: { partnerId: 'bolt', reason: 'ended', terminatedAt: at } }, ctx());
    expect(codeOf(await bus.execute(open('t-6', 'bolt'), ctx()))).toBe('PARTNER_TERMINATED');
    const again = await bus.execute(open('t-5', 'bolt'), ctx('open-t-5'));
    expect(again).toMatchObject({ _tag: 'Right', right: { replayed: true, streamVersion: 0 } });
    expect(codeOf(await bus.execute(open('t-5', 'bolt'), ctx()))).toBe('THREAD_ALREADY_EXISTS');
  });
});
