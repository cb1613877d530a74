import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const post = (caller: Caller, url: string, payload: object) => api.as(caller, { method: 'POST', url, payload });
const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });

/** Polls a read until it satisfies `done`: process managers run in the background after a command. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
};
type Inbox = { items: { notificationId: string; topic: string; title: { en: string }; link: string; read: boolean }[]; unread: number };
const inbox = async (caller: Caller, query = '') => (await get(caller, `/notifications${query}`)).json() as Inbox;

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  await post('admin', '/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 100_00, currency: 'EUR' } });
  for (const partnerId of ['acme', 'bolt']) {
    await post('admin', '/partners', { partnerId, name: partnerId.toUpperCase(), region: 'north', tier: 'gold', creditLimit: eur(10_000_000) });
  }
  await post('admin', '/warehouses', { warehouseId: 'N1', name: 'Oslo DC', region: 'north' });
});
afterAll(async () => {
  await api?.close();
});

describe('notifications over HTTP', () => {
  it("tells a dealer that its backorder was filled, and nothing about any other dealer's", async () => {
    expect((await post('dealerBolt', '/orders', { orderId: 'bolt-1', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 4 }] })).statusCode).toBe(201);
    await post('admin', '/orders/bolt-1/approve', {});
    await eventually(
      async () => (await get('admin', '/stock/backorders')).json().items as unknown[],
      (items) => items.length > 0,
    );
    await post('admin', '/stock/receipts', { warehouseId: 'N1', sku: 'P1', quantity: 10, unitCost: eur(40_00) });

    const bolt = await eventually(
      () => inbox('dealerBolt'),
      (i) => i.items.length > 0,
    );
    expect(bolt.unread).toBe(1);
    expect(bolt.items).toEqual([
      expect.objectContaining({
        topic: 'backorder_filled',
        link: '/portal/orders/bolt-1',
        read: false,
        title: expect.objectContaining({ en: 'Backorder filled on order bolt-1: P1 × 4' }),
      }),
    ]);
    // Another dealer's inbox says nothing of it, and its notification does not exist for them.
    const acme = await inbox('dealerAcme');
    expect(acme).toEqual({ items: [], nextCursor: null, unread: 0 });
    const id = bolt.items[0]!.notificationId;
    expect((await post('dealerAcme', `/notifications/${id}/read`, {})).statusCode).toBe(404);
    // The manufacturer's roles do not get a dealer's notifications in their inbox either.
    expect(JSON.stringify(await inbox('sales'))).not.toContain(id);

    expect((await post('dealerBolt', `/notifications/${id}/read`, {})).statusCode).toBe(200);
    // Reading again changes nothing.
    expect((await post('dealerBolt', `/notifications/${id}/read`, {})).json().events).toEqual([]);
    const after = await eventually(
      () => inbox('dealerBolt'),
      (i) => i.unread === 0,
    );
    expect(after.items[0]).toMatchObject({ read: true });
    expect((await inbox('dealerBolt', '?unread=true')).items).toEqual([]);
  });

  it('tells the sales team of the region that an order waits for review, once', async () => {
    await post('admin', '/partners', { partnerId: 'cask', name: 'CASK', region: 'south', tier: 'gold', creditLimit: eur(1_00) });
    expect((await post('admin', '/orders', { orderId: 'cask-1', partnerId: 'cask', lines: [{ sku: 'P1', quantity: 3 }] })).statusCode).toBe(201);
    const sales = await eventually(
      () => inbox('sales'),
      (i) => i.items.some((n) => n.link === '/console/orders/cask-1'),
    );
    const review = sales.items.filter((n) => n.link === '/console/orders/cask-1');
    expect(review).toEqual([
      expect.objectContaining({
        topic: 'order_waiting_for_review',
        region: 'south',
        title: expect.objectContaining({ en: 'Order cask-1 from cask is waiting for review' }),
      }),
    ]);
    expect((await inbox('admin')).items.map((n) => n.notificationId)).toContain(review[0]!.notificationId);
    expect((await inbox('finance')).items).toEqual([]);
    expect((await inbox('dealerAcme')).items).toEqual([]);
    expect((await post('admin', '/notifications/nope/read', {})).statusCode).toBe(404);
  });
});
