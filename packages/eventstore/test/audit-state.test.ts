import { type Actor, fold, orderDecider, orderStatus } from '@dms/domain';
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../src/adapters/memory';
import { parseAsOfPosition, parseAsOfTime, stateAsJson, stateAsOf, stateSteps } from '../src/audit-state';
import { InvalidArgument } from '../src/errors';
import { orderLife, recordOrder } from './support/orders';

/**
 * Time travel: an order's state as of a recording time or a global position is what the domain's own evolve folds from
 * the events recorded by then, and each step of its history shows the state right after that step.
 */
const sales: Actor = { id: 'sales-1', role: 'sales' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const at = '2026-06-01T09:00:00Z';
const orderId = 'SO-1';
const commands = orderLife(orderId, {
  at,
  dueDate: '2026-07-01',
  payments: [
    { paymentId: 'p1', amountMinor: 20_00 },
    { paymentId: 'p2', amountMinor: 23_32 },
  ],
});

/** An order's life, one command a day from 1 June 2026 on, each recorded at noon of its day. */
const seed = async () => {
  let day = 0;
  const store = new MemoryEventStore(() => new Date(Date.UTC(2026, 5, 1 + day, 12)));
  const events = await recordOrder(store, orderId, commands, sales, () => day++);
  return { store, events };
};

describe('the state of an order as of a moment', () => {
  it('at each step of its history is the fold of the events up to that step, with the status shown then', async () => {
    const { store, events } = await seed();
    const steps = await stateSteps(store, `order-${orderId}`);
    expect(steps.map((s) => s.entry.type)).toEqual(events.map((e) => e.type));
    expect(steps.map((s) => s.status)).toEqual([
      'placed',
      'approved',
      'confirmed',
      'partially_shipped',
      'shipped',
      'shipped',
      'delivered',
      'invoiced',
      'invoiced',
      'paid',
      'paid',
    ]);
    for (const [i, step] of steps.entries()) {
      const expected = fold(orderDecider, events.slice(0, i + 1));
      expect(step.state).toEqual(stateAsJson(expected));
      // The same state, asked for by the step's global position.
      const asOf = await stateAsOf(store, `order-${orderId}`, { position: BigInt(step.entry.globalPosition) });
      expect(asOf.version).toBe(i);
      expect(asOf.state).toEqual(step.state);
      expect(asOf.entries.map((e) => e.globalPosition)).toEqual(steps.slice(0, i + 1).map((s) => s.entry.globalPosition));
      expect(asOf.verification.ok).toBe(true);
      if (expected.exists) expect(asOf.status).toBe(orderStatus(expected));
    }
    // Maps and sets come out as JSON: shipments by id, payments as a list.
    const last = steps.at(-1)!.state as { shipments: Record<string, unknown>; paymentIds: string[]; paid: unknown };
    expect(Object.keys(last.shipments)).toEqual(['s1', 's2']);
    expect(last.paymentIds).toEqual(['p1', 'p2']);
    expect(last.paid).toEqual(eur(43_32));
  });

  it('as of a recording time folds what was recorded by then, and nothing before the stream began', async () => {
    const { store } = await seed();
    // Day 4 (5 June) recorded the first shipment; a moment before noon that day it had not happened yet.
    const before = await stateAsOf(store, `order-${orderId}`, { at: new Date('2026-06-04T11:59:59.999Z') });
    expect(before).toMatchObject({ aggregate: 'order', version: 2, status: 'confirmed', eventsInStream: 11 });
    const after = await stateAsOf(store, `order-${orderId}`, { at: parseAsOfTime('2026-06-04') });
    expect(after).toMatchObject({ version: 3, status: 'partially_shipped', asOf: { at: '2026-06-04T23:59:59.999Z', position: null } });
    const both = await stateAsOf(store, `order-${orderId}`, { at: new Date('2026-06-30T00:00:00Z'), position: 2n });
    expect(both.version).toBe(1);
    const none = await stateAsOf(store, `order-${orderId}`, { at: new Date('2026-05-31T00:00:00Z') });
    expect(none).toMatchObject({ version: -1, state: { exists: false }, status: null, entries: [] });
    const now = await stateAsOf(store, `order-${orderId}`);
    expect(now).toMatchObject({ version: 10, status: 'paid', asOf: { at: null, position: null } });
  });

  it('refuses a stream no aggregate keeps, and times or positions it cannot read, naming them', async () => {
    const store = new MemoryEventStore();
    await expect(stateAsOf(store, 'nothing-1')).rejects.toThrow(/No aggregate keeps streams like nothing-1/);
    await expect(stateAsOf(store, 'order')).rejects.toBeInstanceOf(InvalidArgument);
    for (const bad of ['yesterday', '2026-06-31', '2026-06-30T25:00:00Z', '2026-06-30T10:00:00', '1719792000']) {
      expect(() => parseAsOfTime(bad), bad).toThrow(`"${bad}" is not a time`);
    }
    expect(parseAsOfTime('2026-06-30T23:59:59+02:00').toISOString()).toBe('2026-06-30T21:59:59.000Z');
    expect(() => parseAsOfPosition('-1')).toThrow('"-1" is not a global position');
    expect(() => parseAsOfPosition('12.5')).toThrow(/not a global position/);
    expect(parseAsOfPosition('18250')).toBe(18250n);
  });
});
