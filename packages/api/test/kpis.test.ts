import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

/**
 * The KPI routes over HTTP with a hand-checked history: who sees what, the periods stated, CSV, and bad queries. The
 * figures themselves are checked against the events in packages/projections/test/kpis.test.ts.
 */
let api: TestApi;
let clock = new Date('2026-03-02T09:00:00.000Z');
let position = '0';
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

beforeAll(async () => {
  api = await startTestApi({ now: () => clock });
  const admin = async (url: string, payload: object, at?: string) => {
    if (at) clock = new Date(at);
    const res = await api.as('admin', { method: 'POST', url, payload });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
    position = res.json().position;
  };
  await admin('/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(10_000) });
  for (const [partnerId, region] of [
    ['acme', 'north'],
    ['bolt', 'south'],
  ]) {
    await admin('/partners', { partnerId, name: `${partnerId} Ltd`, region, tier: 'gold', creditLimit: eur(10_000_000) });
  }
  // acme: 3 pumps (300.00) wanted by 10 March; two go out on the 3rd, the last on the 5th; all delivered on the 12th
  // (two days late), invoiced that day, due 11 April; 100.00 paid on 20 April.
  await admin('/orders', { orderId: 'a-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 3 }], requestedDeliveryDate: '2026-03-10' });
  await admin('/orders/a-1/approve', {});
  await admin('/orders/a-1/confirm', {}, '2026-03-03T09:00:00.000Z');
  await admin('/orders/a-1/shipments', { shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 2 }] });
  await admin('/orders/a-1/shipments', { shipmentId: 's-2', lines: [{ lineNo: 1, quantity: 1 }] }, '2026-03-05T09:00:00.000Z');
  await admin('/orders/a-1/shipments/s-1/deliver', {}, '2026-03-12T09:00:00.000Z');
  await admin('/orders/a-1/shipments/s-2/deliver', {});
  await admin('/orders/a-1/invoice', { invoiceId: 'inv-1', dueDate: '2026-04-11' });
  await admin('/orders/a-1/payments', { amount: eur(10_000) }, '2026-04-20T09:00:00.000Z');
  // bolt: 1 pump (100.00), approved and confirmed on 2 March, never shipped: in the backlog.
  await admin('/orders', { orderId: 'b-1', partnerId: 'bolt', lines: [{ sku: 'PUMP-1', quantity: 1 }] }, '2026-03-02T10:00:00.000Z');
  await admin('/orders/b-1/approve', {});
  await admin('/orders/b-1/confirm', {});
  clock = new Date('2026-05-15T12:00:00.000Z');
});
afterAll(async () => {
  await api?.close();
});

const get = async (caller: Caller, url: string, headers: Record<string, string> = {}) => {
  const res = await api.as(caller, { method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}minPosition=${position}`, headers });
  return res;
};
const json = async (caller: Caller, url: string) => {
  const res = await get(caller, url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('GET /kpis', () => {
  it('states the ranges it compares and gives every KPI for each', async () => {
    const s = await json('finance', '/kpis?period=month&asOf=2026-04-30');
    expect(s).toMatchObject({
      asOf: '2026-04-30',
      period: 'month',
      complete: true,
      ranges: {
        current: { from: '2026-04-01', to: '2026-04-30' },
        previous: { from: '2026-03-01', to: '2026-03-31' },
        lastYear: { from: '2025-04-01', to: '2025-04-30' },
      },
    });
    expect(s.sales).toMatchObject([
      { currency: 'EUR', current: { orders: 0, net: eur(0) }, previous: { orders: 2, net: eur(40_000) }, lastYear: { orders: 0 }, growthBps: -10_000 },
    ]);
    // At the end of April bolt's order has waited 59 days; at the end of March 29.
    expect(s.backlog).toMatchObject([
      {
        currency: 'EUR',
        current: { orders: 1, value: eur(10_000), oldestAgeDays: 59, ageing: { over30: { orders: 1, value: eur(10_000) } } },
        previous: { orders: 1, oldestAgeDays: 29, ageing: { d15_30: { orders: 1 } } },
        lastYear: { orders: 0 },
      },
    ]);
    expect(s.fillRate.previous).toEqual({
      orders: 1,
      completeOrders: 0,
      lines: 1,
      completeLines: 0,
      orderedQty: 3,
      shippedQty: 2,
      orderFillBps: 0,
      lineFillBps: 0,
      unitFillBps: 6667,
    });
    expect(s.fillRate.current.orders).toBe(0);
    expect(s.onTimeDelivery.previous).toEqual({ delivered: 1, withRequestedDate: 1, onTime: 0, late: 1, onTimeBps: 0, averageDaysLate: 2 });
    expect(s.reviewAutomation.previous).toMatchObject({ decided: 2, automatic: 0, manual: 2, automationBps: 0 });
    // 200.00 still owed on 30 April, 19 days past due; on 31 March all 300.00, not yet due.
    expect(s.receivables).toMatchObject([
      {
        currency: 'EUR',
        current: { outstanding: eur(20_000), overdue: eur(20_000), overdueInvoices: 1, buckets: { d1_30: eur(20_000), current: eur(0) } },
        previous: { outstanding: eur(30_000), overdue: eur(0), buckets: { current: eur(30_000) } },
      },
    ]);
    expect(s.dso).toMatchObject([
      { currency: 'EUR', current: { receivables: eur(20_000), netSales: eur(0), dsoDays: null }, previous: { netSales: eur(30_000), days: 31, dsoDays: 31 } },
    ]);
    expect(s.stockAlerts).toEqual({ lowStock: 0, backorderedLines: 0, backorderedUnits: 0 });
  });

  it("reports the month to date by the API's clock when no period is given", async () => {
    const s = await json('sales', '/kpis');
    expect(s).toMatchObject({ asOf: '2026-05-15', period: 'month', complete: false, ranges: { previous: { from: '2026-04-01', to: '2026-04-15' } } });
    const custom = await json('sales', '/kpis?from=2026-03-01&to=2026-03-31');
    expect(custom).toMatchObject({
      period: 'custom',
      ranges: { previous: { from: '2026-01-29', to: '2026-02-28' }, lastYear: { from: '2025-03-01', to: '2025-03-31' } },
    });
  });

  it('shows a dealer only its own figures, whatever it asks for', async () => {
    const bolt = await json('dealerBolt', '/kpis?period=month&asOf=2026-03-31');
    expect(bolt.sales).toMatchObject([{ current: { orders: 1, net: eur(10_000) } }]);
    expect(bolt.receivables).toEqual([]);
    expect(bolt.fillRate.current.orders).toBe(0);
    expect(bolt.backlog).toMatchObject([{ current: { orders: 1 } }]);
    expect(bolt.stockAlerts.lowStock).toBeNull();
    const snooping = await json('dealerBolt', '/kpis?period=month&asOf=2026-03-31&partnerId=acme');
    expect(snooping.sales).toEqual([]);
    expect(snooping.onTimeDelivery.current.delivered).toBe(0);
    const acme = await json('dealerAcme', '/kpis/receivables?asOf=2026-04-30');
    expect(acme.rows.map((r: { group: string }) => r.group)).toEqual(['acme']);
    expect((await json('dealerBolt', '/kpis/receivables?asOf=2026-04-30')).rows).toEqual([]);
    expect((await json('dealerBolt', '/kpis/sales?by=partner&period=month&asOf=2026-03-31')).rows.map((r: { group: string }) => r.group)).toEqual(['bolt']);
    const series = await json('dealerAcme', '/kpis/series?metric=backlog&by=month&from=2026-03-01&to=2026-04-30');
    expect(series.points).toEqual([]);
  });

  it('answers the same figures as CSV, asked by format or by Accept', async () => {
    const res = await get('finance', '/kpis?period=month&asOf=2026-04-30&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="kpis-2026-04-30.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('kpi,currency,figure,current,previous,lastYear');
    expect(lines).toContain('range,,from,2026-04-01,2026-03-01,2025-04-01');
    expect(lines).toContain('receivables,EUR,buckets.d1_30.amountMinor,20000,0,0');
    expect(lines).toContain('fillRate,,unitFillBps,,6667,');
    const byAccept = await get('finance', '/kpis/series?metric=receivables&by=month&from=2026-03-01&to=2026-04-30', { accept: 'text/csv' });
    expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = byAccept.body.trimEnd().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]!.split(',').slice(0, 8)).toEqual([
      'period',
      'from',
      'to',
      'partial',
      'currency',
      'openInvoices',
      'outstanding.amountMinor',
      'buckets.current.amountMinor',
    ]);
    expect(rows[2]).toMatch(/^2026-04,2026-04-01,2026-04-30,false,EUR,1,20000,0,20000,/);
    const sales = await get('sales', '/kpis/sales?by=partner&from=2026-03-01&to=2026-03-31&format=csv');
    expect(sales.body.split('\r\n')[1]).toMatch(/^acme,acme Ltd,EUR,/);
    expect((await get('sales', '/kpis/stock?format=csv')).headers['content-type']).toBe('text/csv; charset=utf-8');
    expect((await get('sales', '/kpis?format=json', { accept: 'text/csv' })).headers['content-type']).toMatch(/^application\/json/);
  });

  it('breaks sales down by partner against the period before and last year', async () => {
    const b = await json('sales', '/kpis/sales?by=partner&period=month&asOf=2026-03-31');
    expect(b.rows).toMatchObject([
      { group: 'acme', name: 'acme Ltd', currency: 'EUR', current: { net: eur(30_000) }, previous: { net: eur(0) }, shareBps: 7500, growthBps: null },
      { group: 'bolt', name: 'bolt Ltd', current: { net: eur(10_000) }, shareBps: 2500 },
    ]);
  });

  it('gives a series every bucket, clipped to the range', async () => {
    const s = await json('sales', '/kpis/series?metric=fill-rate&by=week&from=2026-03-04&to=2026-03-17');
    expect(s.points.map((p: { period: string; from: string; to: string; partial: boolean }) => [p.period, p.from, p.to, p.partial])).toEqual([
      ['2026-W10', '2026-03-04', '2026-03-08', true],
      ['2026-W11', '2026-03-09', '2026-03-15', false],
      ['2026-W12', '2026-03-16', '2026-03-17', true],
    ]);
    const backlog = await json('sales', '/kpis/series?metric=backlog&by=month&from=2026-02-01&to=2026-04-30');
    expect(backlog.points.map((p: { period: string; orders: number }) => [p.period, p.orders])).toEqual([
      ['2026-02', 0],
      ['2026-03', 1],
      ['2026-04', 1],
    ]);
  });

  it('answers 400 naming the field for a query it cannot answer', async () => {
    const errors = async (url: string) => {
      const res = await get('admin', url);
      expect(res.statusCode, url).toBe(400);
      return res.json().errors as { field: string; message: string }[];
    };
    expect(await errors('/kpis?from=2026-03-01')).toEqual([{ field: 'querystring.to', message: 'from and to go together' }]);
    expect(await errors('/kpis?from=2026-03-01&to=2026-03-31&period=week')).toEqual([
      { field: 'querystring.period', message: 'give either period and asOf, or from and to' },
    ]);
    expect(await errors('/kpis?from=2026-03-31&to=2026-03-01')).toEqual([{ field: 'querystring.from', message: 'must not be after to (2026-03-01)' }]);
    expect((await errors('/kpis?period=fortnight')).map((e) => e.field)).toEqual(['querystring.period']);
    expect((await errors('/kpis/series?metric=profit')).map((e) => e.field)).toEqual(['querystring.metric']);
    expect(await errors('/kpis/series?metric=sales&by=day&from=2024-01-01&to=2026-01-01')).toEqual([
      { field: 'querystring.by', message: 'makes 732 day buckets from 2024-01-01 to 2026-01-01; at most 400' },
    ]);
    expect((await errors('/kpis/stock?from=0001-01-01')).map((e) => e.field)).toEqual(['querystring.by']);
    expect((await errors('/kpis/sales?period=month')).map((e) => e.field)).toEqual(['querystring.by']);
  });

  it('needs the reports permission (stock history: the stock permission)', async () => {
    expect((await api.as(null, { method: 'GET', url: '/kpis' })).statusCode).toBe(401);
    expect((await get('auditor', '/kpis/stock')).statusCode).toBe(200);
    expect((await get('dealerAcme', '/kpis/stock')).json().points).toEqual([]);
  });
});
