import type { DmsRuntime } from '@dms/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { startTestApi, type TestApi } from './support';

let api: TestApi;
let runtime: DmsRuntime;

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z') });
  ({ runtime } = api);
});
afterAll(async () => {
  await api?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  api.as('admin', { method: 'POST', url, payload: payload as object, headers });
const get = (url: string) => api.as('admin', { method: 'GET', url });

describe('the dealer ordering flow over HTTP', () => {
  it('onboards, prices, places, approves, ships, invoices and pays an order, readable right after each write', async () => {
    expect(
      (await post('/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 12_500, currency: 'EUR' } }))
        .statusCode,
    ).toBe(201);
    expect((await api.as('admin', { method: 'PUT', url: '/price-lists/gold/discount', payload: { discountBps: 500 } })).statusCode).toBe(200);
    const onboard = await post('/partners', {
      partnerId: 'acme',
      name: 'ACME Ltd',
      region: 'north',
      tier: 'gold',
      creditLimit: { amountMinor: 5_000_000, currency: 'EUR' },
    });
    expect(onboard.statusCode).toBe(201);
    expect(onboard.headers.location).toBe('/partners/acme');

    const placed = await post('/orders', { orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 4 }] });
    expect(placed.statusCode).toBe(201);
    const { position } = placed.json();
    expect(position).toMatch(/^\d+$/);
    const order = await get(`/orders/o-1?minPosition=${position}`);
    expect(order.statusCode).toBe(200);
    // 4 x 125.00 less 5 % = 475.00
    expect(order.json()).toMatchObject({ status: 'placed', partnerName: 'ACME Ltd', total: { amountMinor: 47_500, currency: 'EUR' } });

    const approved = await post('/orders/o-1/approve', {});
    expect(approved.statusCode).toBe(200);
    // Each event in the answer names its own stream (a command may write to several: approving can reserve credit).
    expect(approved.json().events).toEqual([expect.objectContaining({ type: 'OrderApproved', streamId: 'order-o-1' })]);
    expect((await post('/orders/o-1/confirm', {})).statusCode).toBe(200);
    expect((await post('/orders/o-1/shipments', { shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 4 }], carrier: 'DHL' })).statusCode).toBe(200);
    expect((await post('/orders/o-1/shipments/s-1/deliver', { receivedBy: 'J. Doe' })).statusCode).toBe(200);
    expect((await post('/orders/o-1/invoice', { invoiceId: 'inv-1', dueDate: '2026-04-01' })).statusCode).toBe(200);
    const paid = await post('/orders/o-1/payments', { amount: { amountMinor: 47_500, currency: 'EUR' } });
    expect(paid.statusCode).toBe(200);
    const after = await get(`/orders/o-1?minPosition=${paid.json().position}`);
    expect(after.json()).toMatchObject({ status: 'paid', outstanding: { amountMinor: 0 }, invoice: { invoiceId: 'inv-1' } });

    const list = await get(`/orders?partnerId=acme&minPosition=${paid.json().position}`);
    expect(list.json().items.map((o: { orderId: string; status: string }) => [o.orderId, o.status])).toEqual([['o-1', 'paid']]);

    const history = await get('/orders/o-1/history');
    expect(history.statusCode).toBe(200);
    expect(history.json().verified).toBe(true);
    expect(history.json().entries.map((e: { type: string }) => e.type)).toEqual([
      'OrderPlaced',
      // acme has no agreement in force: automated review queued the order (read above, after minPosition) before a person approved it.
      'OrderQueuedForReview',
      'OrderApproved',
      'OrderConfirmed',
      'OrderShipped',
      'ShipmentDelivered',
      'OrderInvoiced',
      'PaymentRecorded',
      'OrderPaid',
    ]);
    expect(history.json().entries[0].actor).toEqual({ id: expect.stringMatching(/^key:/), role: 'admin' });
  });

  it("prices the catalogue at a dealer's own tier, whatever tier it asks for; staff choose the tier", async () => {
    const set = await api.as('admin', {
      method: 'PUT',
      url: '/price-lists/standard/prices/PUMP-1',
      payload: { unitPrice: { amountMinor: 13_000, currency: 'EUR' } },
    });
    expect(set.statusCode).toBe(200);
    const products = async (caller: 'admin' | 'dealerAcme', query: string) =>
      (await api.as(caller, { method: 'GET', url: `/products?minPosition=${set.json().position}${query}` })).json().items;
    const gold = { unitPrice: { amountMinor: 12_500, currency: 'EUR' }, discountBps: 500 };
    expect(await products('admin', '&tier=standard')).toMatchObject([{ sku: 'PUMP-1', tierPrice: { unitPrice: { amountMinor: 13_000 }, discountBps: 0 } }]);
    // acme is gold: asking for another tier's prices (or none) still answers gold's.
    expect(await products('dealerAcme', '&tier=standard')).toMatchObject([{ sku: 'PUMP-1', tierPrice: gold }]);
    expect(await products('dealerAcme', '')).toMatchObject([{ sku: 'PUMP-1', tierPrice: gold }]);
  });

  it('yields the events once for a repeated Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'place-o-2' };
    const first = await post('/orders', { orderId: 'o-2', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 1 }] }, headers);
    const again = await post('/orders', { orderId: 'o-2', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 1 }] }, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, position: first.json().position });
  });
});

describe('errors are problem details', () => {
  it('names every invalid field with 400', async () => {
    const res = await post('/orders', { partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 0 }], surprise: true });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.lines.0.quantity']));
    expect(JSON.stringify(body)).toMatch(/surprise/);
  });

  it('answers 404 for unknown ids and routes', async () => {
    expect((await get('/orders/nope')).json()).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect((await get('/partners/nope')).statusCode).toBe(404);
    expect((await post('/orders/nope/approve', {})).json()).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect((await get('/orders/nope/history')).statusCode).toBe(404);
    expect((await get('/no/such/route')).json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('answers 409 with the domain code for a refused transition, and writes nothing', async () => {
    const head = await runtime.store.headPosition();
    const res = await post('/orders/o-1/cancel', { reason: 'changed my mind' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ALREADY_SHIPPED', status: 409 });
    expect(await runtime.store.headPosition()).toBe(head);
  });

  it('refuses an order from a suspended dealer', async () => {
    await post('/partners', { partnerId: 'zed', name: 'Zed', region: 'south', tier: 'gold', creditLimit: { amountMinor: 0, currency: 'EUR' } });
    expect((await post('/partners/zed/suspend', { reason: 'audit' })).statusCode).toBe(200);
    const res = await post('/orders', { partnerId: 'zed', lines: [{ sku: 'PUMP-1', quantity: 1 }] });
    expect(res.json()).toMatchObject({ status: 409, code: 'PARTNER_NOT_ACTIVE' });
  });

  it('answers 400 for malformed JSON and a bad cursor, 413 for a huge body, 415 for anything but JSON', async () => {
    const bad = await api.as('admin', { method: 'POST', url: '/orders', payload: '{"partnerId":', headers: { 'content-type': 'application/json' } });
    expect(bad.json()).toMatchObject({ status: 400 });
    expect((await get('/orders?cursor=garbage')).json()).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    const huge = await post('/orders', { partnerId: 'acme', lines: [{ sku: 'x'.repeat(300_000), quantity: 1 }] });
    expect(huge.statusCode).toBe(413);
    const text = await api.as('admin', { method: 'POST', url: '/orders', payload: '{"partnerId":"acme"}', headers: { 'content-type': 'text/plain' } });
    expect(text.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 503 when a read cannot reach the requested position in time, logged as the expected answer it is', async () => {
    const res = await get('/orders?minPosition=99999999999999999999');
    expect(res.statusCode).toBe(400);
    const logged: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => logged.push(JSON.parse(line)) };
    const slow = await buildApp({ runtime, readYourWritesTimeoutMs: 50, logger: { level: 'info', stream } });
    const far = await slow.inject({ method: 'GET', url: '/orders?minPosition=9999999999999999999', headers: { authorization: `Bearer ${api.tokens.admin}` } });
    expect(far.statusCode).toBe(503);
    expect(far.headers['retry-after']).toBe('1');
    await slow.close();
    // One info line with the code and the position asked for; nothing at warn or above, and no stack trace anywhere.
    expect(logged.filter((l) => l.code === 'READ_MODEL_BEHIND')).toEqual([
      expect.objectContaining({ level: 30, status: 503, details: { minPosition: '9999999999999999999' } }),
    ]);
    expect(logged.filter((l) => (l.level as number) >= 40)).toEqual([]);
    expect(JSON.stringify(logged)).not.toContain('stack');
  });
});

describe('documentation', () => {
  it('serves the OpenAPI document and the docs page', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{orderId}', '/orders/{orderId}/history', '/partners', '/products']));
    expect((await get('/docs/')).statusCode).toBe(200);
  });
});
