import { raiseDueNotifications, readModelsOf } from '@dms/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

/**
 * The receivables routes over HTTP with a hand-checked history (docs/receivables.md): ageing, open invoices and DSO, who
 * sees what, CSV, bad queries. The figures are checked against the events in packages/projections/test/kpis.test.ts.
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
  // acme: 3 pumps (300.00) invoiced on 12 March as inv-1, due 11 April; 100.00 paid on 20 April.
  await admin('/orders', { orderId: 'a-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 3 }] });
  await admin('/orders/a-1/approve', {});
  await admin('/orders/a-1/confirm', {});
  await admin('/orders/a-1/shipments', { shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 3 }] }, '2026-03-05T09:00:00.000Z');
  await admin('/orders/a-1/shipments/s-1/deliver', {}, '2026-03-12T09:00:00.000Z');
  await admin('/orders/a-1/invoice', { invoiceId: 'inv-1', dueDate: '2026-04-11' });
  await admin('/orders/a-1/payments', { amount: eur(10_000) }, '2026-04-20T09:00:00.000Z');
  // bolt: 1 pump (100.00) invoiced on 12 March as inv-2, due 31 March, never paid.
  await admin('/orders', { orderId: 'b-1', partnerId: 'bolt', lines: [{ sku: 'PUMP-1', quantity: 1 }] }, '2026-03-02T10:00:00.000Z');
  await admin('/orders/b-1/approve', {});
  await admin('/orders/b-1/confirm', {});
  await admin('/orders/b-1/shipments', { shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 1 }] }, '2026-03-05T10:00:00.000Z');
  await admin('/orders/b-1/shipments/s-1/deliver', {}, '2026-03-12T10:00:00.000Z');
  await admin('/orders/b-1/invoice', { invoiceId: 'inv-2', dueDate: '2026-03-31' });
  clock = new Date('2026-05-15T12:00:00.000Z');
});
afterAll(async () => {
  await api?.close();
});

const get = (caller: Caller, url: string, headers: Record<string, string> = {}) =>
  api.as(caller, { method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}minPosition=${position}`, headers });
const json = async (caller: Caller, url: string) => {
  const res = await get(caller, url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('invoicing on the agreement’s terms, and paying a named invoice', () => {
  it('refuses an invoice without a due date, for the order or one shipment, when no agreement governs the order, and a payment naming an invoice the order does not have', async () => {
    const placed = await api.as('admin', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'z-1', partnerId: 'bolt', lines: [{ sku: 'PUMP-1', quantity: 1 }] },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const invoiced = await api.as('admin', { method: 'POST', url: '/orders/z-1/invoice', payload: {} });
    expect(invoiced.statusCode).toBe(409);
    expect(invoiced.json()).toMatchObject({ code: 'NO_PAYMENT_TERMS' });
    const shipment = await api.as('admin', { method: 'POST', url: '/orders/a-1/shipments/s-1/invoice', payload: {} });
    expect(shipment.statusCode).toBe(409);
    expect(shipment.json()).toMatchObject({ code: 'NO_PAYMENT_TERMS' });
    const dealer = await api.as('dealerAcme', { method: 'POST', url: '/orders/a-1/shipments/s-1/invoice', payload: {} });
    expect(dealer.statusCode).toBe(403);
    const paid = await api.as('admin', { method: 'POST', url: '/orders/a-1/payments', payload: { amount: eur(100), invoiceId: 'inv-x' } });
    expect(paid.statusCode).toBe(409);
    expect(paid.json()).toMatchObject({ code: 'INVOICE_NOT_OPEN' });
  });
});

describe('GET /receivables/ageing', () => {
  it('ages each dealer’s invoices on the day, most overdue first, with the totals', async () => {
    const body = await json('finance', '/receivables/ageing?asOf=2026-04-30');
    expect(body.rows.map((r: { group: string }) => r.group)).toEqual(['acme', 'bolt']);
    expect(body.rows[0]).toMatchObject({ name: 'acme Ltd', openInvoices: 1, buckets: { d1_30: eur(20_000) }, overdue: eur(20_000) });
    expect(body.rows[1]).toMatchObject({ buckets: { d1_30: eur(10_000) }, overdue: eur(10_000) });
    expect(body.totals).toMatchObject([{ outstanding: eur(30_000), overdue: eur(30_000), openInvoices: 2, overdueInvoices: 2 }]);
    const byRegion = await json('finance', '/receivables/ageing?asOf=2026-04-10&by=region');
    expect(byRegion.rows.map((r: { group: string; overdue: object; outstanding: object }) => [r.group, r.outstanding, r.overdue])).toEqual([
      ['south', eur(10_000), eur(10_000)],
      ['north', eur(30_000), eur(0)],
    ]);
  });

  it('shows a dealer only its own receivables, whatever it asks for', async () => {
    expect((await json('dealerBolt', '/receivables/ageing?asOf=2026-04-30')).rows.map((r: { group: string }) => r.group)).toEqual(['bolt']);
    expect((await json('dealerBolt', '/receivables/ageing?asOf=2026-04-30&partnerId=acme')).rows).toEqual([]);
    expect((await json('dealerBolt', '/receivables/open?asOf=2026-04-30&partnerId=acme')).invoices).toEqual([]);
    const own = await json('dealerAcme', '/receivables/open?asOf=2026-04-30');
    expect(own.invoices.map((i: { invoiceId: string }) => i.invoiceId)).toEqual(['inv-1']);
    expect((await json('dealerAcme', '/receivables/dso?from=2026-03-01&to=2026-03-31')).dso).toMatchObject([
      { receivables: eur(30_000), netSales: eur(30_000) },
    ]);
  });
});

describe('GET /receivables/open', () => {
  it('lists each invoice still owed with what was settled, its days past due and bucket, oldest due first', async () => {
    const body = await json('finance', '/receivables/open?asOf=2026-04-30');
    expect(body.invoices).toEqual([
      {
        invoiceId: 'inv-2',
        orderId: 'b-1',
        shipmentId: null,
        partnerId: 'bolt',
        name: 'bolt Ltd',
        region: 'south',
        invoicedOn: '2026-03-12',
        dueOn: '2026-03-31',
        invoiced: eur(10_000),
        settled: eur(0),
        owed: eur(10_000),
        overdue: eur(10_000),
        oldestDueOn: '2026-03-31',
        daysPastDue: 30,
        bucket: 'd1_30',
        nextDue: null,
        dueDates: [{ dueOn: '2026-03-31', amount: eur(10_000), owed: eur(10_000), daysPastDue: 30, bucket: 'd1_30' }],
      },
      {
        invoiceId: 'inv-1',
        orderId: 'a-1',
        shipmentId: null,
        partnerId: 'acme',
        name: 'acme Ltd',
        region: 'north',
        invoicedOn: '2026-03-12',
        dueOn: '2026-04-11',
        invoiced: eur(30_000),
        settled: eur(10_000),
        owed: eur(20_000),
        overdue: eur(20_000),
        oldestDueOn: '2026-04-11',
        daysPastDue: 19,
        bucket: 'd1_30',
        nextDue: null,
        dueDates: [{ dueOn: '2026-04-11', amount: eur(30_000), owed: eur(20_000), daysPastDue: 19, bucket: 'd1_30' }],
      },
    ]);
    expect((await json('finance', '/receivables/open?asOf=2026-03-11')).invoices).toEqual([]);
    expect((await json('finance', '/receivables/open?asOf=2026-04-30&region=north')).invoices.map((i: { invoiceId: string }) => i.invoiceId)).toEqual([
      'inv-1',
    ]);
  });

  it('answers CSV and defaults the day to the API clock', async () => {
    const csv = await get('finance', '/receivables/open?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('invoiceId');
    expect(csv.headers['content-disposition']).toContain('open-invoices-2026-05-15');
  });
});

describe('GET /receivables/dunning', () => {
  /** The daily date rules run on a day, once the receivables read models have caught up (as `dms serve` runs them). */
  const dunOn = async (asOf: string) => {
    const { runtime } = api;
    expect(await runtime.reads.waitForPosition((await runtime.store.headPosition()) ?? 0n, 5000, readModelsOf('kpis'))).toBe(true);
    await raiseDueNotifications(runtime.bus, runtime.runner.db, asOf, new Date(`${asOf}T06:00:00.000Z`));
    position = String((await runtime.store.headPosition()) ?? 0n);
  };
  type Row = { invoiceId: string; level: number; daysPastDue: number; sent: { level: number; sentAt: string; notificationId: string }[] };
  const rows = async (caller: Caller, url: string) =>
    ((await json(caller, url)).invoices as Row[]).map((i) => [
      i.invoiceId,
      i.daysPastDue,
      i.level,
      i.sent.map((s) => [s.level, s.sentAt.slice(0, 10), s.notificationId]),
    ]);

  it('lists each invoice past due with the level it has reached and when each level was sent; a dealer only its own', async () => {
    expect((await json('finance', '/receivables/dunning?asOf=2026-04-11')).invoices.map((i: Row) => i.invoiceId)).toEqual(['inv-2']);
    await dunOn('2026-04-14');
    await dunOn('2026-04-30');
    expect(await rows('finance', '/receivables/dunning?asOf=2026-04-30')).toEqual([
      // bolt's inv-2: a reminder on 14 April (14 days), the final notice on 30 April (30 days); the second was skipped.
      [
        'inv-2',
        30,
        3,
        [
          [1, '2026-04-14', 'dn1-inv-2'],
          [3, '2026-04-30', 'dn3-inv-2'],
        ],
      ],
      [
        'inv-1',
        19,
        2,
        [
          [1, '2026-04-14', 'dn1-inv-1'],
          [2, '2026-04-30', 'dn2-inv-1'],
        ],
      ],
    ]);
    expect(await rows('dealerAcme', '/receivables/dunning?asOf=2026-04-30')).toEqual([
      [
        'inv-1',
        19,
        2,
        [
          [1, '2026-04-14', 'dn1-inv-1'],
          [2, '2026-04-30', 'dn2-inv-1'],
        ],
      ],
    ]);
    expect(await rows('dealerAcme', '/receivables/dunning?asOf=2026-04-30&partnerId=bolt')).toEqual([]);
    expect((await rows('finance', '/receivables/dunning?asOf=2026-04-30&region=south')).map(([id]) => id)).toEqual(['inv-2']);
    // The dealer's inbox holds its own reminders, and not bolt's.
    const inbox = await json('dealerAcme', '/notifications');
    expect(inbox.items.map((n: { notificationId: string }) => n.notificationId).sort()).toEqual(['dn1-inv-1', 'dn2-inv-1']);
  });

  it('answers CSV, defaults the day to the API clock, and refuses a bad day naming it', async () => {
    const csv = await get('finance', '/receivables/dunning?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('level');
    expect(csv.headers['content-disposition']).toContain('dunning-2026-05-15');
    const bad = await get('finance', '/receivables/dunning?asOf=2026-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('querystring.asOf');
  });
});

describe('GET /receivables/dso', () => {
  it('works out DSO over a period to date or a range: receivables at its end ÷ net sales × days', async () => {
    expect(await json('finance', '/receivables/dso?period=month&asOf=2026-03-31')).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      dso: [{ currency: 'EUR', receivables: eur(40_000), netSales: eur(40_000), days: 31, dsoDays: 31 }],
    });
    // 300.00 owed on 30 April over 400.00 sold in 61 days: 45.75, one decimal.
    expect((await json('finance', '/receivables/dso?from=2026-03-01&to=2026-04-30')).dso).toEqual([
      { currency: 'EUR', receivables: eur(30_000), netSales: eur(40_000), days: 61, dsoDays: 45.8 },
    ]);
    // April had no sales: nothing to divide by.
    expect((await json('finance', '/receivables/dso?period=month&asOf=2026-04-30')).dso).toMatchObject([{ dsoDays: null }]);
  });

  it('refuses a bad query, naming the field', async () => {
    for (const [url, field] of [
      ['/receivables/dso?from=2026-03-01', 'querystring.to'],
      ['/receivables/dso?period=decade', 'querystring.period'],
      ['/receivables/ageing?by=dealer', 'querystring.by'],
      ['/receivables/open?asOf=2026-13-01', 'querystring.asOf'],
    ] as const) {
      const res = await get('finance', url);
      expect(res.statusCode, url).toBe(400);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        url,
      ).toContain(field);
    }
  });
});
