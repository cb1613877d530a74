import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

/** Dated price lists over HTTP, with the clock fixed at 2026-03-02 10:00 UTC. */
let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z') });
  const admin = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
  await admin('/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(120_00) });
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

const goldVersion = {
  versionId: 'gold-2026',
  validFrom: '2026-03-02T10:00:00Z',
  currency: 'EUR',
  prices: [{ sku: 'PUMP-1', unitPrice: eur(110_00), breaks: [{ minQuantity: 10, unitPrice: eur(100_00) }] }],
};

describe('tier price-list versions over HTTP', () => {
  it('publishes a version, prices an order placed while it is in force by its quantity break, and shows the source on the line', async () => {
    const published = await api.as('sales', { method: 'POST', url: '/price-lists/gold/versions', payload: goldVersion });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json().events.map((e: { type: string }) => e.type)).toEqual(['PriceListVersionPublished']);

    const placed = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 12 }] },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = await api.as('dealerAcme', { method: 'GET', url: `/orders/o-1?minPosition=${placed.json().position}` });
    expect(order.json().lines[0]).toMatchObject({
      unitPrice: eur(100_00),
      netAmount: eur(1_200_00),
      priceSource: { kind: 'tier_price_list', tier: 'gold', versionId: 'gold-2026', minQuantity: 10 },
    });

    const versions = await api.as('dealerAcme', {
      method: 'GET',
      url: `/price-lists/gold/versions?minPosition=${published.json().position}&at=2026-04-01T00:00:00Z`,
    });
    expect(versions.json().items).toMatchObject([{ versionId: 'gold-2026', validTo: null, prices: [{ sku: 'PUMP-1', breaks: [{ minQuantity: 10 }] }] }]);
  });

  it('refuses a back-dated or overlapping version with a conflict that names the reason', async () => {
    const backdated = await api.as('admin', {
      method: 'POST',
      url: '/price-lists/gold/versions',
      payload: { ...goldVersion, versionId: 'old', validFrom: '2026-01-01T00:00:00Z' },
    });
    expect(backdated.statusCode).toBe(409);
    expect(backdated.json().code).toBe('PRICE_VERSION_BACKDATED');
    const overlap = await api.as('admin', {
      method: 'POST',
      url: '/price-lists/gold/versions',
      payload: { ...goldVersion, versionId: 'april', validFrom: '2026-04-01T00:00:00Z', validTo: '2026-05-01T00:00:00Z' },
    });
    expect(overlap.json()).toMatchObject({ status: 409, code: 'PRICE_VERSION_OVERLAP', details: { overlaps: 'gold-2026' } });
  });

  it('ends a version, and refuses to end it in the past', async () => {
    const past = await api.as('admin', { method: 'POST', url: '/price-lists/gold/versions/gold-2026/end', payload: { validTo: '2026-03-01T00:00:00Z' } });
    expect(past.json().code).toBe('PRICE_VERSION_BACKDATED');
    const ended = await api.as('admin', { method: 'POST', url: '/price-lists/gold/versions/gold-2026/end', payload: { validTo: '2026-06-01T00:00:00Z' } });
    expect(ended.statusCode, ended.body).toBe(200);
    const versions = await api.as('admin', { method: 'GET', url: `/price-lists/gold/versions?minPosition=${ended.json().position}` });
    expect(versions.json().items[0]).toMatchObject({ validTo: '2026-06-01T00:00:00Z', endedAt: '2026-03-02T10:00:00.000Z' });
  });

  it("answers 404 to a dealer asking for another tier's list or another dealer's own prices", async () => {
    expect((await api.as('dealerBolt', { method: 'GET', url: '/price-lists/gold/versions' })).statusCode).toBe(404);
    expect((await api.as('dealerBolt', { method: 'GET', url: '/price-lists/silver/versions' })).statusCode).toBe(200);
    expect((await api.as('dealerBolt', { method: 'GET', url: '/partners/acme/price-list/versions' })).statusCode).toBe(404);
    expect((await api.as('dealerBolt', { method: 'GET', url: '/partners/bolt/price-list/versions' })).statusCode).toBe(200);
  });

  it('lets only catalogue writers publish, and validates breaks and dates in the body', async () => {
    expect((await api.as('finance', { method: 'POST', url: '/price-lists/gold/versions', payload: goldVersion })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'POST', url: '/partners/acme/price-list/versions', payload: goldVersion })).statusCode).toBe(403);
    const bad = await api.as('admin', { method: 'POST', url: '/price-lists/gold/versions', payload: { ...goldVersion, versionId: 'x', validFrom: 'soon' } });
    expect(bad.statusCode).toBe(400);
    const rising = await api.as('admin', {
      method: 'POST',
      url: '/partners/acme/price-list/versions',
      payload: { ...goldVersion, versionId: 'x', prices: [{ sku: 'PUMP-1', unitPrice: eur(100_00), breaks: [{ minQuantity: 5, unitPrice: eur(101_00) }] }] },
    });
    expect(rising.json()).toMatchObject({ status: 409, code: 'PRICE_BREAKS_INVALID' });
  });
});
