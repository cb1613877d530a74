import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  await api.as('admin', { method: 'POST', url: '/products', payload: { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00) } });
  await api.as('admin', {
    method: 'POST',
    url: '/partners',
    payload: { partnerId: 'acme', name: 'ACME', region: 'north', tier: 'gold', creditLimit: eur(10_000_000) },
  });
});
afterAll(async () => {
  await api?.close();
});

describe("an order's review, as its dealer sees it", () => {
  it('shows the automated review outcome with every reason on the order', async () => {
    const placed = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    // Automated review runs right after placement, in the background.
    let order = (await api.as('dealerAcme', { method: 'GET', url: `/orders/o-1?minPosition=${placed.json().position}` })).json();
    for (let i = 0; i < 200 && (order.review === null || order.review.status === 'pending'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      order = (await api.as('dealerAcme', { method: 'GET', url: '/orders/o-1' })).json();
    }
    // No agreement is in force for acme, so a person has to look at it.
    expect(order.review).toMatchObject({ status: 'queued', automatic: false, decidedAt: null });
    expect(order.review.reasons.map((r: { code: string }) => r.code)).toContain('NO_AGREEMENT_IN_FORCE');

    const decided = await api.as('sales', { method: 'POST', url: '/review-queue/o-1/approve', payload: { note: 'known customer' } });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = (await api.as('dealerAcme', { method: 'GET', url: `/orders/o-1?minPosition=${decided.json().position}` })).json();
    expect(after.review).toMatchObject({ status: 'approved', automatic: false, note: 'known customer' });
    expect(after.review.decidedAt).not.toBeNull();
  });
});
