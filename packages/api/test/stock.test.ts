import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const post = (caller: Caller, url: string, payload: object) => api.as(caller, { method: 'POST', url, payload });
const put = (caller: Caller, url: string, payload: object) => api.as(caller, { method: 'PUT', url, payload });
const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });

/** Polls a read until it satisfies `done`: the fulfilment process runs in the background after a command. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
};

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  await post('admin', '/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 100_00, currency: 'EUR' } });
  for (const partnerId of ['acme', 'bolt']) {
    await post('admin', '/partners', { partnerId, name: partnerId.toUpperCase(), region: 'north', tier: 'gold', creditLimit: eur(10_000_000) });
  }
});
afterAll(async () => {
  await api?.close();
});

describe('stock over HTTP', () => {
  it('registers a warehouse, receives stock and shows the level right after the write', async () => {
    expect((await post('admin', '/warehouses', { warehouseId: 'N1', name: 'Oslo DC', region: 'north' })).statusCode).toBe(201);
    const received = await post('admin', '/stock/receipts', { warehouseId: 'N1', sku: 'P1', quantity: 5, unitCost: eur(40_00), reference: 'ASN-1' });
    expect(received.statusCode).toBe(201);
    expect(received.headers.location).toBe('/stock/levels/N1/P1');
    const level = await get('admin', `/stock/levels/N1/P1?minPosition=${received.json().position}`);
    expect(level.json()).toMatchObject({ onHand: 5, available: 5, unitCost: eur(40_00), value: eur(200_00), region: 'north', warehouseName: 'Oslo DC' });
    const warehouses = await eventually(
      async () => (await get('admin', '/warehouses')).json(),
      (w) => w.sourcing.length > 0,
    );
    expect(warehouses).toMatchObject({ items: [{ warehouseId: 'N1', region: 'north' }], sourcing: [{ region: 'north', warehouseIds: ['N1'] }] });
  });

  it('reserves an approved dealer order, backorders what is short, and ships against the reservation', async () => {
    expect((await post('dealerAcme', '/orders', { orderId: 'acme-1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 2 }] })).statusCode).toBe(201);
    expect((await post('admin', '/orders/acme-1/approve', {})).statusCode).toBe(200);
    const acme = await eventually(
      async () => (await get('admin', '/orders/acme-1')).json(),
      (o) => o.status === 'confirmed',
    );
    expect(acme.status).toBe('confirmed');

    expect((await post('dealerBolt', '/orders', { orderId: 'bolt-1', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 4 }] })).statusCode).toBe(201);
    await post('admin', '/orders/bolt-1/approve', {});
    const backorders = await eventually(
      async () => (await get('admin', '/stock/backorders')).json(),
      (b) => b.items.length > 0,
    );
    expect(backorders.items).toEqual([expect.objectContaining({ orderId: 'bolt-1', partnerId: 'bolt', reserved: 3, backordered: 1, queuePosition: 1 })]);
    expect((await get('admin', '/orders/bolt-1')).json().status).toBe('approved');

    const shipped = await post('admin', '/orders/acme-1/shipments', { shipmentId: 'S1', lines: [{ lineNo: 1, quantity: 2 }] });
    expect(shipped.statusCode).toBe(200);
    const level = await eventually(
      async () => (await get('admin', '/stock/levels/N1/P1')).json(),
      (l) => l.onHand === 3,
    );
    expect(level).toMatchObject({ onHand: 3, reserved: 3, available: 0, backordered: 1, projected: -1, value: eur(120_00) });
    // The backordered part cannot ship yet.
    await post('admin', '/orders/bolt-1/confirm', {});
    const refused = await post('admin', '/orders/bolt-1/shipments', { lines: [{ lineNo: 1, quantity: 4 }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('NOT_RESERVED');
  });

  it("forecasts demand per SKU and region for staff, and only a dealer's own demand, without stock, for a dealer", async () => {
    const staff = (await get('admin', '/stock/forecast?asOf=2026-04&history=4&horizon=2')).json();
    expect(staff.items).toHaveLength(1);
    expect(staff.items[0]).toMatchObject({
      sku: 'P1',
      region: 'north',
      history: [
        { month: '2025-12', quantity: 0 },
        { month: '2026-01', quantity: 0 },
        { month: '2026-02', quantity: 0 },
        { month: '2026-03', quantity: 6 },
      ],
      stock: { projected: -1, leadTimeDays: null, advice: null },
    });
    expect(staff.items[0].forecast.map((f: { month: string }) => f.month)).toEqual(['2026-04', '2026-05']);
    const dealer = (await get('dealerAcme', '/stock/forecast?asOf=2026-04&history=4')).json();
    expect(dealer.items).toEqual([expect.objectContaining({ sku: 'P1', stock: null })]);
    expect(dealer.items[0].history.at(-1)).toEqual({ month: '2026-03', quantity: 2 });
    const bad = await get('admin', '/stock/forecast?asOf=2026-13&history=2');
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['querystring.asOf', 'querystring.history']);
  });

  it('scopes a dealer to its own orders in reservations, backorders and the ledger, and hides cost and value', async () => {
    const mine = (await get('dealerAcme', '/stock/reservations?partnerId=bolt')).json();
    expect(mine.items.map((r: { orderId: string }) => r.orderId)).toEqual(['acme-1']);
    expect((await get('dealerAcme', '/stock/backorders')).json().items).toEqual([]);
    expect((await get('dealerBolt', '/stock/backorders')).json().items).toEqual([expect.objectContaining({ orderId: 'bolt-1', queuePosition: 1 })]);

    const ledger = (await get('dealerAcme', '/stock/ledger?limit=100')).json();
    expect(ledger.items.length).toBeGreaterThan(0);
    expect(ledger.items.every((m: { partnerId: string }) => m.partnerId === 'acme')).toBe(true);
    expect(ledger.items.every((m: { unitCost: unknown; balance: { value: unknown } }) => m.unitCost === null && m.balance.value === null)).toBe(true);
    const staffLedger = (await get('admin', '/stock/ledger?limit=100')).json();
    expect(staffLedger.items.map((m: { kind: string }) => m.kind)).toContain('received');

    const level = (await get('dealerAcme', '/stock/levels?sku=P1')).json().items[0];
    expect(level).toMatchObject({ onHand: 3, available: 0, unitCost: null, value: null });
    expect((await get('dealerAcme', '/stock/valuation')).json().items.every((v: { value: unknown[] }) => v.value.length === 0)).toBe(true);
    expect((await get('admin', '/stock/valuation')).json().items).toContainEqual(expect.objectContaining({ region: null, value: [eur(120_00)] }));

    expect((await post('dealerAcme', '/stock/receipts', { warehouseId: 'N1', sku: 'P1', quantity: 1, unitCost: eur(1) })).statusCode).toBe(403);
    expect((await post('dealerAcme', '/stock/allocations', { orderId: 'acme-1' })).statusCode).toBe(403);
  });

  it('raises a low-stock alert with a reorder suggestion for staff, and none for dealers', async () => {
    const set = await put('admin', '/stock/reorder-policies/N1/P1', { min: 2, max: 20, packMultiple: 6, leadTimeDays: 14 });
    expect(set.statusCode).toBe(200);
    const alerts = (await get('admin', `/stock/alerts?minPosition=${set.json().position}`)).json();
    // projected -1: 21 units would reach max; whole packs of 6 within max: 18.
    expect(alerts.items).toEqual([expect.objectContaining({ warehouseId: 'N1', sku: 'P1', projected: -1, low: true, suggestedOrderQty: 18 })]);
    expect((await get('dealerAcme', '/stock/alerts')).json().items).toEqual([]);
  });

  it('fills the backorder from the next receipt and confirms the order', async () => {
    await post('admin', '/stock/receipts', { warehouseId: 'N1', sku: 'P1', quantity: 18, unitCost: eur(46_00) });
    const bolt = await eventually(
      async () => (await get('admin', '/stock/reservations?orderId=bolt-1')).json().items[0],
      (r) => r.backordered === 0,
    );
    expect(bolt).toMatchObject({ reserved: 4, backordered: 0 });
    expect((await get('admin', '/stock/alerts')).json().items).toEqual([]);
    expect((await get('admin', '/stock/rollup?by=total')).json().items).toEqual([
      expect.objectContaining({ sku: 'P1', onHand: 21, reserved: 4, available: 17, unitCost: eur(45_14) }),
    ]);
  });

  it('refuses bad input with a clear error naming what is wrong, and writes nothing', async () => {
    const head = await api.runtime.store.headPosition();
    const unknown = await post('admin', '/stock/receipts', { warehouseId: 'XX', sku: 'P1', quantity: 1, unitCost: eur(1) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'WAREHOUSE_NOT_FOUND', detail: 'There is no warehouse XX; register it first.' });
    const count = await post('admin', '/stock/adjustments', { warehouseId: 'N1', sku: 'P1', reason: 'count', quantityChange: 3 });
    expect(count.statusCode).toBe(400);
    expect(count.json().errors).toContainEqual(expect.objectContaining({ field: expect.stringContaining('countedQuantity') }));
    const future = await post('admin', '/stock/receipts', { warehouseId: 'N1', sku: 'P1', quantity: 1, unitCost: eur(1), businessDate: '2026-03-09' });
    expect(future.json()).toMatchObject({ status: 409, code: 'BUSINESS_DATE_IN_FUTURE' });
    const transfer = await post('admin', '/stock/transfers', { fromWarehouseId: 'N1', toWarehouseId: 'N1', sku: 'P1', quantity: 1 });
    expect(transfer.json().code).toBe('SAME_WAREHOUSE');
    const tooMuch = await post('admin', '/stock/adjustments', { warehouseId: 'N1', sku: 'P1', reason: 'damage', quantityChange: -20 });
    expect(tooMuch.json()).toMatchObject({ status: 409, code: 'ADJUSTMENT_BELOW_RESERVED' });
    expect((await put('admin', '/stock/reorder-policies/N1/P1', { min: 9, max: 3, leadTimeDays: 1 })).json().code).toBe('INVALID_REORDER_POLICY');
    expect((await get('admin', '/stock/ledger?cursor=nope')).statusCode).toBe(400);
    expect(await api.runtime.store.headPosition()).toBe(head);
  });
});
