import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
let position = '0';
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const write = async (caller: Caller, method: 'POST' | 'PUT', url: string, payload: object) => {
  const response = await api.as(caller, { method, url, payload });
  expect(response.statusCode, response.body).toBeLessThan(300);
  position = response.json().position;
};
const availability = (caller: Caller, query = '') => api.as(caller, { method: 'GET', url: `/catalogue/availability?minPosition=${position}${query}` });

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  for (const sku of ['P1', 'P2', 'P3']) {
    await write('admin', 'POST', '/products', { sku, name: sku, category: 'pumps', unit: 'each', listPrice: eur(100_00) });
  }
  await write('admin', 'POST', '/partners', { partnerId: 'acme', name: 'ACME', region: 'north', tier: 'gold', creditLimit: eur(10_000_000) });
  await write('admin', 'POST', '/warehouses', { warehouseId: 'N1', name: 'Oslo DC', region: 'north' });
  await write('admin', 'POST', '/warehouses', { warehouseId: 'S1', name: 'Milan DC', region: 'south' });
  await write('admin', 'POST', '/stock/receipts', { warehouseId: 'S1', sku: 'P1', quantity: 5, unitCost: eur(40_00) });
  await write('admin', 'PUT', '/stock/reorder-policies/N1/P2', { min: 5, max: 20, leadTimeDays: 7 });
  await write('admin', 'PUT', '/stock/reorder-policies/S1/P2', { min: 5, max: 20, leadTimeDays: 3 });
});
afterAll(async () => {
  await api?.close();
});

describe('catalogue availability', () => {
  it("tells a dealer, for its own region, what is in stock anywhere and when the rest ships (its region's lead time), never quantities", async () => {
    const response = await availability('dealerAcme');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      region: 'north',
      items: [
        { sku: 'P1', status: 'in_stock', shipsInDays: null },
        { sku: 'P2', status: 'ships_later', shipsInDays: 7 },
      ],
    });
  });

  it('ignores the region a dealer names: it always gets its own', async () => {
    expect((await availability('dealerAcme', '&region=south')).json().region).toBe('north');
  });

  it('lets staff choose the region, and asks them to name one', async () => {
    expect((await availability('sales', '&region=south')).json().items).toContainEqual({ sku: 'P2', status: 'ships_later', shipsInDays: 3 });
    const unnamed = await availability('sales');
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().code).toBe('REGION_REQUIRED');
  });

  it('answers 404 for a dealer key whose partner does not exist', async () => {
    expect((await availability('dealerBolt')).json().code).toBe('PARTNER_NOT_FOUND');
  });
});
