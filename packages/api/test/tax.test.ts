import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

/** Tax over HTTP (docs/tax.md), with the clock fixed at 2026-03-02 10:00 UTC. */
let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const now = '2026-03-02T10:00:00Z';

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z') });
  const admin = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
  await admin('/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00) });
  await admin('/products', { sku: 'BOOK-1', name: 'Manual', category: 'manuals', unit: 'each', listPrice: eur(12_50), taxCategory: 'reduced' });
  for (const partnerId of ['acme', 'bolt'])
    await admin('/partners', { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(1_000_000_00) });
});
afterAll(async () => {
  await api?.close();
});

describe('tax over HTTP', () => {
  it('lets finance and admin publish rates, not sales or dealers, and refuses an overlap', async () => {
    const rate = { rateId: 'north-std-19', category: 'standard', rateBps: 1_900, validFrom: now, name: 'VAT 19 %' };
    expect((await api.as('sales', { method: 'POST', url: '/tax/rates/north', payload: rate })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'POST', url: '/tax/rates/north', payload: rate })).statusCode).toBe(403);
    const published = await api.as('finance', { method: 'POST', url: '/tax/rates/north', payload: rate });
    expect(published.statusCode, published.body).toBe(201);
    const overlap = await api.as('admin', {
      method: 'POST',
      url: '/tax/rates/north',
      payload: { ...rate, rateId: 'north-std-20', validTo: '2026-06-01T00:00:00Z' },
    });
    expect(overlap.json()).toMatchObject({ status: 409, code: 'TAX_RATE_OVERLAP' });
    const backdated = await api.as('admin', {
      method: 'POST',
      url: '/tax/rates/north',
      payload: { ...rate, rateId: 'old', validFrom: '2026-01-01T00:00:00Z' },
    });
    expect(backdated.json()).toMatchObject({ code: 'TAX_RATE_BACKDATED' });
    const listed = await api.as('dealerBolt', { method: 'GET', url: `/tax/rates?region=north&minPosition=${published.json().position}` });
    expect(listed.json().items).toMatchObject([{ region: 'north', rateId: 'north-std-19', category: 'standard', rateBps: 1_900, validTo: null }]);
  });

  it('refuses an order with a reduced-rate line while the region has no reduced rate, then taxes each line once it has', async () => {
    const refused = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-0', partnerId: 'acme', lines: [{ sku: 'BOOK-1', quantity: 1 }] },
    });
    expect(refused.json()).toMatchObject({ code: 'TAX_RATE_NOT_FOUND' });
    const reduced = await api.as('finance', {
      method: 'POST',
      url: '/tax/rates/north',
      payload: { rateId: 'north-red-7', category: 'reduced', rateBps: 700, validFrom: now },
    });
    expect(reduced.statusCode, reduced.body).toBe(201);

    const placed = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: {
        orderId: 'o-1',
        partnerId: 'acme',
        lines: [
          { sku: 'PUMP-1', quantity: 3 },
          { sku: 'BOOK-1', quantity: 2 },
        ],
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = (await api.as('dealerAcme', { method: 'GET', url: `/orders/o-1?minPosition=${placed.json().position}` })).json();
    expect(order).toMatchObject({ total: eur(325_00), tax: eur(58_75), gross: eur(383_75) });
    expect(order.lines[0]).toMatchObject({
      netAmount: eur(300_00),
      tax: { category: 'standard', rateBps: 1_900, rateId: 'north-std-19', pricesInclude: 'net', amount: eur(57_00), gross: eur(357_00) },
    });
    expect(order.lines[1]).toMatchObject({ netAmount: eur(25_00), tax: { category: 'reduced', rateBps: 700, amount: eur(1_75), gross: eur(26_75) } });
  });

  it('invoices the gross, credits a return its share of the tax, keeps outstanding gross, and reports tax by period and rate', async () => {
    const post = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
    for (const [url, payload] of [
      ['/orders/o-1/approve', {}],
      ['/orders/o-1/confirm', {}],
      [
        '/orders/o-1/shipments',
        {
          shipmentId: 's-1',
          lines: [
            { lineNo: 1, quantity: 3 },
            { lineNo: 2, quantity: 2 },
          ],
        },
      ],
      ['/orders/o-1/shipments/s-1/deliver', {}],
      ['/orders/o-1/invoice', { invoiceId: 'inv-1', dueDate: '2026-04-01' }],
      ['/orders/o-1/returns', { returnId: 'r-1', creditNoteId: 'cn-1', lines: [{ lineNo: 1, quantity: 1 }], reason: 'damaged' }],
    ] as const) {
      const r = await post(url, payload);
      expect(r.statusCode, `${url}: ${r.body}`).toBeLessThan(300);
    }
    const last = await post('/orders/o-1/payments', { amount: eur(100_00) });
    expect(last.statusCode, last.body).toBe(200);
    const order = (await api.as('finance', { method: 'GET', url: `/orders/o-1?minPosition=${last.json().position}` })).json();
    expect(order.invoice).toMatchObject({ invoiceId: 'inv-1', amount: eur(383_75), tax: eur(58_75) });
    expect(order).toMatchObject({ credited: eur(119_00), creditedTax: eur(19_00), paid: eur(100_00), outstanding: eur(164_75) });
    expect(order.lines[0]).toMatchObject({ credited: eur(100_00), creditedTax: eur(19_00) });

    const report = await api.as('finance', { method: 'GET', url: `/reports/tax?period=2026-03&minPosition=${last.json().position}` });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({
      period: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
      rows: [
        {
          region: 'north',
          category: 'standard',
          rateBps: 1_900,
          invoiced: { net: eur(300_00), tax: eur(57_00), gross: eur(357_00) },
          credited: { net: eur(100_00), tax: eur(19_00), gross: eur(119_00) },
          net: eur(200_00),
          tax: eur(38_00),
          gross: eur(238_00),
          documents: 2,
        },
        { region: 'north', category: 'reduced', rateBps: 700, net: eur(25_00), tax: eur(1_75), gross: eur(26_75), documents: 1 },
      ],
      totals: [{ currency: 'EUR', net: eur(225_00), tax: eur(39_75), gross: eur(264_75) }],
    });
    expect((await api.as('dealerAcme', { method: 'GET', url: '/reports/tax?period=2026-Q1' })).json().totals).toEqual([
      { currency: 'EUR', net: eur(225_00), tax: eur(39_75), gross: eur(264_75) },
    ]);
    expect((await api.as('dealerBolt', { method: 'GET', url: '/reports/tax?period=2026-03' })).json().rows).toEqual([]);
    expect((await api.as('finance', { method: 'GET', url: '/reports/tax?period=2026-04' })).json().rows).toEqual([]);
    expect((await api.as('finance', { method: 'GET', url: '/reports/tax?period=2026-13' })).statusCode).toBe(400);
  });

  it("changes a product's tax category for orders placed from then on, and ends a rate no earlier than now", async () => {
    expect((await api.as('finance', { method: 'PUT', url: '/products/PUMP-1/tax-category', payload: { taxCategory: 'exempt' } })).statusCode).toBe(403);
    const changed = await api.as('sales', { method: 'PUT', url: '/products/PUMP-1/tax-category', payload: { taxCategory: 'exempt' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().events.map((e: { type: string }) => e.type)).toEqual(['ProductTaxCategoryChanged']);
    const placed = await api.as('dealerBolt', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-2', partnerId: 'bolt', lines: [{ sku: 'PUMP-1', quantity: 1 }] },
    });
    const order = (await api.as('dealerBolt', { method: 'GET', url: `/orders/o-2?minPosition=${placed.json().position}` })).json();
    expect(order).toMatchObject({ total: eur(100_00), tax: eur(0), gross: eur(100_00) });
    expect(order.lines[0].tax).toMatchObject({ category: 'exempt', rateBps: 0 });
    const early = await api.as('finance', { method: 'POST', url: '/tax/rates/north/north-std-19/end', payload: { validTo: '2026-03-01T00:00:00Z' } });
    expect(early.json()).toMatchObject({ code: 'TAX_RATE_BACKDATED' });
    const ended = await api.as('finance', { method: 'POST', url: '/tax/rates/north/north-std-19/end', payload: { validTo: '2026-07-01T00:00:00Z' } });
    expect(ended.statusCode, ended.body).toBe(200);
  });

  it('lets finance set how a region taxes early-payment discounts, from now or later, and lists it', async () => {
    const body = { treatment: 'reducesTaxableAmount', validFrom: '2026-04-01T00:00:00Z' };
    expect((await api.as('sales', { method: 'POST', url: '/tax/treatments/north', payload: body })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'POST', url: '/tax/treatments/north', payload: body })).statusCode).toBe(403);
    const backdated = await api.as('finance', { method: 'POST', url: '/tax/treatments/north', payload: { ...body, validFrom: '2026-03-01T00:00:00Z' } });
    expect(backdated.json()).toMatchObject({ status: 409, code: 'TAX_TREATMENT_BACKDATED' });
    const unknown = await api.as('finance', { method: 'POST', url: '/tax/treatments/north', payload: { treatment: 'ignored' } });
    expect(unknown.statusCode).toBe(400);
    expect((await api.as('finance', { method: 'POST', url: '/tax/treatments/north', payload: { treatment: 'financeCost' } })).json()).toMatchObject({
      code: 'TAX_TREATMENT_UNCHANGED',
    });
    const set = await api.as('finance', { method: 'POST', url: '/tax/treatments/north', payload: body });
    expect(set.statusCode, set.body).toBe(201);
    expect(set.headers.location).toBe('/tax/treatments?region=north');
    const listed = await api.as('dealerAcme', { method: 'GET', url: `/tax/treatments?region=north&minPosition=${set.json().position}` });
    expect(listed.json().items).toEqual([
      { region: 'north', treatment: 'reducesTaxableAmount', validFrom: '2026-04-01T00:00:00Z', setAt: '2026-03-02T10:00:00.000Z' },
    ]);
    expect((await api.as('finance', { method: 'GET', url: '/tax/treatments?region=south' })).json().items).toEqual([]);
  });
});
