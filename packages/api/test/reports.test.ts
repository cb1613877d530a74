import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
let position = '0';

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z') });
  const admin = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await api.as('admin', { method, url, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.body}`);
    return res.json();
  };
  await admin('POST', '/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 10_000, currency: 'EUR' } });
  for (const [partnerId, region] of [
    ['acme', 'north'],
    ['bolt', 'south'],
  ]) {
    await admin('POST', '/partners', { partnerId, name: `${partnerId} Ltd`, region, tier: 'gold', creditLimit: { amountMinor: 10_000_000, currency: 'EUR' } });
  }
  // acme: 3 pumps, invoiced; bolt: 1 pump, placed.
  await admin('POST', '/orders', { orderId: 'a-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 3 }] });
  await admin('POST', '/orders/a-1/approve', {});
  await admin('POST', '/orders/a-1/confirm', {});
  await admin('POST', '/orders/a-1/shipments', { shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 3 }] });
  await admin('POST', '/orders/a-1/shipments/s-1/deliver', {});
  await admin('POST', '/orders/a-1/invoice', { invoiceId: 'inv-1', dueDate: '2026-04-01' });
  position = (await admin('POST', '/orders', { orderId: 'b-1', partnerId: 'bolt', lines: [{ sku: 'PUMP-1', quantity: 1 }] })).position;
});
afterAll(async () => {
  await api?.close();
});

const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });

describe('GET /reports/sales', () => {
  it('groups sales by region and month, with totals and shares', async () => {
    const res = await get('sales', `/reports/sales?groupBy=region,month&from=2026-03-01&to=2026-03-31&minPosition=${position}`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.rows.map((r: { group: object; ordered: object; shareBps: number }) => [r.group, r.ordered, r.shareBps])).toEqual([
      [{ region: 'north', month: '2026-03' }, { amountMinor: 30_000, currency: 'EUR' }, 7500],
      [{ region: 'south', month: '2026-03' }, { amountMinor: 10_000, currency: 'EUR' }, 2500],
    ]);
    expect(report.totals).toMatchObject([{ currency: 'EUR', orders: 2, orderedQty: 4, invoiced: { amountMinor: 30_000 }, previous: { orders: 0 } }]);
    expect(report.previousRange).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('answers 400 naming the bad field', async () => {
    const problem = async (query: string) => {
      const res = await get('admin', `/reports/sales?${query}`);
      expect(res.statusCode, query).toBe(400);
      return res.json().errors as { field: string; message: string }[];
    };
    expect(await problem('groupBy=colour')).toEqual([{ field: 'querystring.groupBy', message: expect.stringContaining('unknown dimension "colour"') }]);
    expect(await problem('groupBy=region,month,partner')).toEqual([{ field: 'querystring.groupBy', message: 'must name one or two dimensions, not 3' }]);
    expect(await problem('groupBy=month,quarter')).toEqual([{ field: 'querystring.groupBy', message: 'may hold only one of month, quarter, year' }]);
    expect(await problem('groupBy=region&from=2026-03-02&to=2026-03-01')).toEqual([
      { field: 'querystring.from', message: 'must not be after to (2026-03-01)' },
    ]);
    expect((await problem('groupBy=region&to=yesterday')).map((e) => e.field)).toEqual(['querystring.to']);
    expect((await problem('groupBy=region&measure=profit')).map((e) => e.field)).toEqual(['querystring.measure']);
    expect(await problem('groupBy=region&colour=red')).toEqual([{ field: 'querystring', message: expect.stringContaining('colour') }]);
    expect((await problem('from=2026-01-01')).map((e) => e.field)).toEqual(['querystring.groupBy']);
  });

  it('shows a dealer only its own purchases, in every report', async () => {
    const sales = (await get('dealerBolt', '/reports/sales?groupBy=partner')).json();
    expect(sales.rows.map((r: { group: { partner: string } }) => r.group.partner)).toEqual(['bolt']);
    expect(sales.totals).toMatchObject([{ orders: 1, ordered: { amountMinor: 10_000 } }]);
    // Asking for another partner finds nothing rather than that partner's figures.
    expect((await get('dealerBolt', '/reports/sales?groupBy=region&partnerId=acme')).json().rows).toEqual([]);

    const byStatus = (await get('dealerBolt', '/reports/orders-by-status')).json();
    expect(byStatus.rows.map((r: { region: string; orders: number }) => [r.region, r.orders])).toEqual([['south', 1]]);
    expect((await get('dealerBolt', '/reports/revenue-by-month')).json().rows).toEqual([]);
    expect((await get('dealerAcme', '/reports/revenue-by-month')).json().rows).toMatchObject([{ month: '2026-03', revenue: { amountMinor: 30_000 } }]);
    expect((await get('finance', '/reports/orders-by-status')).json().rows).toHaveLength(2);
  });
});
