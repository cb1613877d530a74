import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

/**
 * Idempotency-Key is scoped to the caller and the operation, as payment APIs scope theirs: a retry answers as the first
 * attempt did (with the id it generated), `replayed` is true for every repeat, also concurrent ones, and a key someone
 * else used, or used on another operation, is simply another request that leaks nothing.
 */
let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const post = (caller: Caller, url: string, payload: object, key?: string) =>
  api.as(caller, { method: 'POST', url, payload, headers: key ? { 'idempotency-key': key } : {} });
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z') });
  await post('admin', '/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00) });
  for (const partnerId of ['acme', 'bolt'])
    await post('admin', '/partners', { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(1_000_000_00) });
});
afterAll(async () => {
  await api?.close();
});

describe('Idempotency-Key', () => {
  it('is not shared between callers and operations: a sales user cancelling with the key a dealer placed with cancels', async () => {
    const placed = await post('dealerAcme', '/orders', { orderId: 'k-1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] }, 'K');
    expect(placed.statusCode).toBe(201);
    const cancelled = await post('sales', '/orders/k-1/cancel', { reason: 'duplicate order' }, 'K');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ replayed: false, events: [{ type: 'OrderCancelled' }] });
    // The same caller too: the key of its placement, sent with another operation, is another command.
    const again = await post('dealerAcme', '/orders', { orderId: 'k-2', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] }, 'K-2');
    expect((await post('dealerAcme', '/orders/k-2/cancel', { reason: 'changed plans' }, 'K-2')).json()).toMatchObject({
      replayed: false,
      events: [{ type: 'OrderCancelled' }],
    });
    expect(again.statusCode).toBe(201);
    // Another dealer with the same key places its own order.
    const bolt = await post('dealerBolt', '/orders', { orderId: 'k-3', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] }, 'K');
    expect(bolt.statusCode).toBe(201);
    expect(bolt.json().replayed).toBe(false);
  });

  it('answers a retry of a create as the first attempt did, with the id it generated', async () => {
    const body = { partnerId: 'acme', lines: [{ sku: 'P1', quantity: 2 }] };
    const first = await post('dealerAcme', '/orders', body, 'create-1');
    const retry = await post('dealerAcme', '/orders', body, 'create-1');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.json()).toMatchObject({ ...first.json(), replayed: true });
    const orderId = first.json().streamId.replace(/^order-/, '');
    expect(first.headers.location).toBe(`/orders/${orderId}`);

    // Things created inside an order: a shipment without a client-chosen id.
    const shipTo = 'k-ship';
    await post('admin', '/orders', { orderId: shipTo, partnerId: 'acme', lines: [{ sku: 'P1', quantity: 2 }] });
    await post('admin', `/orders/${shipTo}/approve`, {});
    await post('admin', `/orders/${shipTo}/confirm`, {});
    const shipment = { lines: [{ lineNo: 1, quantity: 1 }] };
    const shipped = await post('admin', `/orders/${shipTo}/shipments`, shipment, 'ship-1');
    const shippedAgain = await post('admin', `/orders/${shipTo}/shipments`, shipment, 'ship-1');
    expect(shipped.json().replayed).toBe(false);
    expect(shippedAgain.json()).toEqual({ ...shipped.json(), replayed: true });
  });

  it('says replayed for every repeat, also when the repeats run at the same time', async () => {
    const body = { partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] };
    const head = await api.runtime.store.headPosition();
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('dealerBolt', '/orders', body, 'burst')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(answers.filter((a) => a.json().replayed === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json().streamId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.json().position)).size).toBe(1);
    // One order placed (its review may follow in the background, under other command ids).
    const placed = [];
    for await (const e of api.runtime.store.readAll({ ...(head === null ? {} : { from: head }), filter: { eventTypes: ['OrderPlaced'] } })) placed.push(e);
    expect(placed).toHaveLength(1);
  });

  it('answers a key reused for a different request of the same caller and operation with 409, naming no event ids', async () => {
    await post('dealerAcme', '/orders', { orderId: 'k-4', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] }, 'reused');
    const head = await api.runtime.store.headPosition();
    const reused = await post('dealerAcme', '/orders', { orderId: 'k-5', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] }, 'reused');
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(reused.body).not.toMatch(UUID);
    expect(await api.runtime.store.headPosition()).toBe(head);
  });
});
