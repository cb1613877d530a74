import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

/** Promotions over HTTP, with the clock fixed at 2026-03-02 10:00 UTC. */
let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z') });
  const admin = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
  await admin('/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00) });
  for (const [partnerId, tier] of [
    ['acme', 'gold'],
    ['bolt', 'silver'],
  ] as const) {
    await admin('/partners', { partnerId, name: partnerId, region: 'north', tier, creditLimit: eur(1_000_000_00) });
  }
});
afterAll(async () => {
  await api?.close();
});

const spring = {
  promotionId: 'spring',
  name: 'Spring pumps',
  validFrom: '2026-03-01T00:00:00Z',
  validTo: '2026-04-01T00:00:00Z',
  currency: 'EUR',
  target: { tiers: ['gold'], categories: ['pumps'] },
  benefit: { kind: 'percent_off', bps: 500 },
  budget: eur(1_000_00),
};

describe('promotions over HTTP', () => {
  it('creates a promotion, applies it to an order placed while it runs, shows it on the line, and counts it against the budget', async () => {
    const created = await api.as('sales', { method: 'POST', url: '/promotions', payload: spring });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe('/promotions/spring');
    expect(created.json().events.map((e: { type: string }) => e.type)).toEqual(['PromotionCreated', 'PromotionRegistered']);

    const placed = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 4 }] },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = await api.as('dealerAcme', { method: 'GET', url: `/orders/o-1?minPosition=${placed.json().position}` });
    expect(order.json().lines[0]).toMatchObject({
      netAmount: eur(380_00),
      promotions: [{ promotionId: 'spring', kind: 'line', discount: eur(20_00) }],
    });
    expect(order.json().total).toEqual(eur(380_00));

    const shown = await api.as('sales', { method: 'GET', url: `/promotions/spring?minPosition=${placed.json().position}` });
    expect(shown.json()).toMatchObject({ consumed: eur(20_00), remaining: eur(980_00), orders: [{ orderId: 'o-1', amount: eur(20_00) }] });
    const mine = await api.as('dealerAcme', { method: 'GET', url: '/promotions/spring' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().orders).toEqual([]);
    const active = await api.as('dealerAcme', { method: 'GET', url: '/promotions?active=2026-03-15T00:00:00Z' });
    expect(active.json().items.map((p: { promotionId: string }) => p.promotionId)).toEqual(['spring']);
  });

  it("hides a promotion from a dealer it does not target, and gives that dealer's orders none of it", async () => {
    expect((await api.as('dealerBolt', { method: 'GET', url: '/promotions/spring' })).statusCode).toBe(404);
    expect((await api.as('dealerBolt', { method: 'GET', url: '/promotions' })).json().items).toEqual([]);
    const placed = await api.as('dealerBolt', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-2', partnerId: 'bolt', lines: [{ sku: 'PUMP-1', quantity: 4 }] },
    });
    const order = await api.as('dealerBolt', { method: 'GET', url: `/orders/o-2?minPosition=${placed.json().position}` });
    expect(order.json().lines[0].promotions).toEqual([]);
  });

  it('ends a promotion: orders placed afterwards do not get it, and ending it twice is a conflict', async () => {
    const ended = await api.as('admin', { method: 'POST', url: '/promotions/spring/end', payload: { reason: 'budget moved to summer' } });
    expect(ended.statusCode, ended.body).toBe(200);
    const again = await api.as('admin', { method: 'POST', url: '/promotions/spring/end', payload: { reason: 'again' } });
    expect(again.json()).toMatchObject({ status: 409, code: 'PROMOTION_ALREADY_ENDED' });
    const placed = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-3', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 4 }] },
    });
    const order = await api.as('dealerAcme', { method: 'GET', url: `/orders/o-3?minPosition=${placed.json().position}` });
    expect(order.json().lines[0].promotions).toEqual([]);
    const shown = await api.as('sales', { method: 'GET', url: `/promotions/spring?minPosition=${placed.json().position}` });
    expect(shown.json()).toMatchObject({ endedAt: '2026-03-02T10:00:00.000Z', endReason: 'budget moved to summer' });
    expect((await api.as('sales', { method: 'GET', url: '/promotions?active=2026-03-15T00:00:00Z' })).json().items).toEqual([]);
  });

  it('lets only catalogue writers create or end promotions, and validates the body', async () => {
    expect((await api.as('finance', { method: 'POST', url: '/promotions', payload: { ...spring, promotionId: 'x' } })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'POST', url: '/promotions/spring/end', payload: { reason: 'mine' } })).statusCode).toBe(403);
    const both = await api.as('admin', {
      method: 'POST',
      url: '/promotions',
      payload: { ...spring, promotionId: 'x', benefit: { kind: 'order_threshold', minimum: eur(100_00), bps: 100, amount: eur(5_00) } },
    });
    expect(both.statusCode).toBe(400);
    const usd = await api.as('admin', {
      method: 'POST',
      url: '/promotions',
      payload: { ...spring, promotionId: 'y', budget: { amountMinor: 100, currency: 'USD' } },
    });
    expect(usd.json()).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    expect((await api.as('sales', { method: 'GET', url: '/promotions/nope' })).statusCode).toBe(404);
  });
});
