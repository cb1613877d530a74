import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

/**
 * A dealer's payments across orders and its credit over HTTP (docs/receivables.md, "A dealer's payments and its
 * credit"): finance records one transfer paying two orders' invoices with the rest kept as credit; who may pay and who
 * may read; bad input named by field. The figures end to end, on PGlite and PostgreSQL: packages/projections/test/dealer-payments.test.ts.
 */
let api: TestApi;
let clock = new Date('2026-03-02T09:00:00.000Z');
let position = '0';
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const post = async (caller: 'admin' | 'finance', url: string, payload: object, at?: string) => {
  if (at) clock = new Date(at);
  const res = await api.as(caller, { method: 'POST', url, payload });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
  position = res.json().position;
  return res.json();
};

beforeAll(async () => {
  api = await startTestApi({ now: () => clock });
  await post('admin', '/products', { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(10_000) });
  for (const partnerId of ['acme', 'bolt'])
    await post('admin', '/partners', { partnerId, name: `${partnerId} Ltd`, region: 'north', tier: 'gold', creditLimit: eur(10_000_000) });
  // Two orders of acme, invoiced on 12 March: a-1 300.00 due 11 April, a-2 100.00 due 31 March.
  for (const [orderId, quantity, invoiceId, dueDate] of [
    ['a-1', 3, 'inv-1', '2026-04-11'],
    ['a-2', 1, 'inv-2', '2026-03-31'],
  ] as const) {
    await post('admin', '/orders', { orderId, partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity }] }, '2026-03-02T09:00:00.000Z');
    await post('admin', `/orders/${orderId}/approve`, {});
    await post('admin', `/orders/${orderId}/confirm`, {});
    await post('admin', `/orders/${orderId}/shipments`, { shipmentId: 's-1', lines: [{ lineNo: 1, quantity }] }, '2026-03-05T09:00:00.000Z');
    await post('admin', `/orders/${orderId}/shipments/s-1/deliver`, {}, '2026-03-12T09:00:00.000Z');
    await post('admin', `/orders/${orderId}/invoice`, { invoiceId, dueDate });
  }
  // The approvals' credit reservations (the order_credit policy) tell the account which orders may be open.
  await api.runtime.runner.waitForPosition(BigInt(position), 5000);
  clock = new Date('2026-04-20T12:00:00.000Z');
});
afterAll(async () => {
  await api?.close();
});

describe('POST /partners/{partnerId}/payments', () => {
  it('pays the oldest due first across orders and keeps the rest as credit, which the dealer reads as its own', async () => {
    const accepted = await post('finance', '/partners/acme/payments', {
      paymentId: 'p-1',
      amount: eur(45_000),
      receivedOn: '2026-04-18',
      reference: 'BANK-7781',
    });
    expect(accepted.events.map((e: { type: string; streamId: string }) => `${e.streamId} ${e.type}`)).toEqual([
      'account-acme DealerPaymentReceived',
      'order-a-2 PaymentRecorded',
      'order-a-2 OrderPaid',
      'order-a-1 PaymentRecorded',
      'order-a-1 OrderPaid',
    ]);
    const account = await api.as('dealerAcme', { method: 'GET', url: '/partners/acme/credit' });
    expect(account.statusCode, account.body).toBe(200);
    expect(account.json()).toMatchObject({
      partnerId: 'acme',
      credit: eur(5_000),
      entries: [
        {
          kind: 'payment',
          id: 'p-1',
          at: '2026-04-18T00:00:00.000Z',
          amount: eur(45_000),
          allocations: [
            { orderId: 'a-2', invoiceId: 'inv-2', amount: eur(10_000) },
            { orderId: 'a-1', invoiceId: 'inv-1', amount: eur(30_000) },
          ],
          unapplied: eur(5_000),
          creditAfter: eur(5_000),
          reference: 'BANK-7781',
        },
      ],
    });
    const open = await api.as('finance', { method: 'GET', url: `/receivables/open?asOf=2026-04-20&partnerId=acme&minPosition=${position}` });
    expect(open.json().invoices).toEqual([]);
  });

  it('answers another dealer 404, and lets neither dealers nor auditors pay', async () => {
    expect((await api.as('dealerBolt', { method: 'GET', url: '/partners/acme/credit' })).statusCode).toBe(404);
    expect((await api.as('dealerBolt', { method: 'GET', url: '/partners/bolt/credit' })).json()).toEqual({ partnerId: 'bolt', credit: null, entries: [] });
    for (const caller of ['dealerAcme', 'auditor'] as const)
      expect((await api.as(caller, { method: 'POST', url: '/partners/acme/payments', payload: { amount: eur(100) } })).statusCode).toBe(403);
  });

  it('names the field of bad input and writes nothing', async () => {
    const head = await api.runtime.store.headPosition();
    const future = await api.as('finance', { method: 'POST', url: '/partners/acme/payments', payload: { amount: eur(100), receivedOn: '2026-04-21' } });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([{ field: 'body.receivedOn', message: '2026-04-21 is in the future' }]);
    const negative = await api.as('finance', { method: 'POST', url: '/partners/acme/payments', payload: { amount: eur(-1) } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('body.amount.amountMinor');
    const notOpen = await api.as('finance', {
      method: 'POST',
      url: '/partners/acme/payments',
      payload: { amount: eur(100), invoices: [{ invoiceId: 'inv-1' }] },
    });
    expect(notOpen.statusCode).toBe(409);
    expect(notOpen.json()).toMatchObject({ code: 'INVOICE_NOT_OPEN' });
    const dollars = await api.as('finance', { method: 'POST', url: '/partners/acme/payments', payload: { amount: { amountMinor: 100, currency: 'USD' } } });
    expect(dollars.json()).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    const nobody = await api.as('finance', { method: 'POST', url: '/partners/nobody/payments', payload: { amount: eur(100) } });
    expect(nobody.json()).toMatchObject({ code: 'PARTNER_NOT_FOUND' });
    const tooMuch = await api.as('finance', { method: 'POST', url: '/partners/acme/credit/refunds', payload: { amount: eur(5_001) } });
    expect(tooMuch.json()).toMatchObject({ code: 'CREDIT_EXCEEDED' });
    expect(await api.runtime.store.headPosition()).toBe(head);
  });

  it('refunds credit, and applying what is left finds no open invoice', async () => {
    const applied = await api.as('finance', { method: 'POST', url: '/partners/acme/credit/apply', payload: {} });
    expect(applied.json()).toMatchObject({ code: 'NOTHING_TO_APPLY' });
    await post('finance', '/partners/acme/credit/refunds', { amount: eur(5_000), reference: 'BANK-OUT-1' });
    const account = (await api.as('finance', { method: 'GET', url: '/partners/acme/credit' })).json();
    expect(account.credit).toEqual(eur(0));
    expect(account.entries.map((e: { kind: string }) => e.kind)).toEqual(['payment', 'refund']);
  });
});
