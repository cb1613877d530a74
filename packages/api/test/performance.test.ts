import type { Actor, Message } from '@dms/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

/**
 * Dealer performance and agent commissions over HTTP, with the process managers running in the background as under
 * `dms serve`: March 2025 is closed for acme and bolt, which scores both and opens their reviews. The API's clock stands
 * on 5 April 2025.
 */
let api: TestApi;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const post = (caller: Caller, url: string, payload: object) => api.as(caller, { method: 'POST', url, payload });
const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });
const system: Actor = { id: 'test-setup', role: 'admin' };
let seq = 0;
const run = async (command: Message) => {
  const result = await api.runtime.bus.execute(command, { commandId: `perf-api-${++seq}`, actor: system });
  if (result._tag === 'Left') throw new Error(`${result.left.code}: ${result.left.message}`);
};
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
};

const terms = (partnerId: string) => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false },
  responsibilities: [],
  pricingTier: 'gold',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer' as const, shareBps: 8_500 },
    { partyId: partnerId, role: 'dealer' as const, shareBps: 1_000 },
    { partyId: 'agent-li', role: 'sales_agent' as const, shareBps: 500 },
  ],
  rebate: { basis: 'band_total' as const, bands: [{ from: eur(0), rateBps: 0 }] },
  jointMarketing: [
    { partyId: 'manufacturer', role: 'manufacturer' as const, shareBps: 5_000 },
    { partyId: partnerId, role: 'dealer' as const, shareBps: 5_000 },
  ],
  settlement: { basis: 'on_invoice' as const, period: 'month' as const },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [{ clauseId: 'B1', title: 'Late payment', text: 'Paid late.', penalty: eur(50_00) }],
  goals: [{ kpi: 'sales_value' as const, target: eur(1_000_00) }],
});

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2025-04-05T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  await run({
    type: 'RegisterProduct',
    data: { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: '2024-11-01T00:00:00Z' },
  });
  for (const [partnerId, quantity, returned] of [
    ['acme', 12, 2],
    ['bolt', 5, 0],
  ] as const) {
    await run({
      type: 'OnboardPartner',
      data: {
        partnerId,
        name: partnerId.toUpperCase(),
        region: 'north',
        tier: 'gold',
        creditLimit: eur(100_000_00),
        contacts: [],
        onboardedAt: '2024-11-01T00:00:00Z',
      },
    });
    const agreementId = `agr-${partnerId}`;
    await run({
      type: 'DraftAgreement',
      data: {
        agreementId,
        partnerId,
        title: partnerId,
        terms: terms(partnerId),
        effectiveFrom: '2025-01-01',
        expiresOn: '2025-12-31',
        draftedAt: '2024-12-01T00:00:00Z',
      },
    });
    await run({ type: 'ProposeAgreement', data: { agreementId, proposedAt: '2024-12-02T00:00:00Z' } });
    await run({ type: 'SignAgreement', data: { agreementId, party: 'manufacturer', signedBy: 'Jonas', signedAt: '2024-12-20T00:00:00Z' } });
    await run({ type: 'SignAgreement', data: { agreementId, party: 'dealer', signedBy: 'Mei', signedAt: '2025-01-02T09:00:00Z' } });
    await eventually(
      async () => (await get('admin', `/agreements/${agreementId}`)).json().status,
      (s) => s === 'active',
    );
    const orderId = `${partnerId}-1`;
    const placed = await api.runtime.bus.placeOrder(
      { orderId, partnerId, lines: [{ sku: 'P1', quantity }], placedAt: '2025-03-03T09:00:00Z' },
      { commandId: `perf-api-${++seq}`, actor: system },
    );
    if (placed._tag === 'Left') throw new Error(placed.left.message);
    await eventually(
      async () => (await get('admin', `/orders/${orderId}`)).json().status,
      (s) => s === 'approved',
    );
    await run({ type: 'ConfirmOrder', data: { orderId, confirmedAt: '2025-03-04T09:00:00Z' } });
    await run({ type: 'ShipOrder', data: { orderId, shipmentId: 's', lines: [{ lineNo: 1, quantity }], shippedAt: '2025-03-05T09:00:00Z' } });
    await run({ type: 'DeliverShipment', data: { orderId, shipmentId: 's', deliveredAt: '2025-03-06T09:00:00Z' } });
    await run({ type: 'InvoiceOrder', data: { orderId, invoiceId: `inv-${orderId}`, invoicedAt: '2025-03-07T09:00:00Z', dueDate: '2025-04-06' } });
    if (returned > 0)
      await run({
        type: 'ReturnGoods',
        data: {
          orderId,
          returnId: 'r',
          creditNoteId: `cn-${orderId}`,
          lines: [{ lineNo: 1, quantity: returned }],
          reason: 'damaged',
          returnedAt: '2025-03-20T09:00:00Z',
        },
      });
  }
  // Every split and statement line of March posted before March is closed.
  await eventually(
    async () => (await get('finance', '/settlements?period=2025-03')).json().items.map((s: { lineCount: number }) => s.lineCount),
    (counts) => counts.length === 2 && counts.every((n: number) => n > 0),
  );
  await eventually(
    async () => (await get('finance', '/commissions/agent-li/2025-03')).json().lineCount,
    (n) => n === 3,
  );
  for (const partnerId of ['acme', 'bolt']) expect((await post('finance', `/settlements/${partnerId}/2025-03/close`, {})).statusCode).toBe(200);
  await eventually(
    async () => (await get('admin', '/performance/scorecards?period=2025-03')).json().items.length,
    (n) => n === 2,
  );
}, 120_000);
afterAll(async () => {
  await api?.close();
});

describe('performance over HTTP', () => {
  it('ranks scorecards for staff; a dealer reads only its own scorecards and reviews', async () => {
    const all = (await get('sales', '/performance/scorecards?period=2025-03')).json();
    expect(
      all.items.map((c: { partnerId: string; rankInRegion: number; salesAttainmentBps: number }) => [c.partnerId, c.rankInRegion, c.salesAttainmentBps]),
    ).toEqual([
      ['acme', 1, 10_000],
      ['bolt', 2, 5_000],
    ]);
    const own = (await get('dealerAcme', '/performance/scorecards')).json();
    expect(own.items.map((c: { partnerId: string; rankInRegion: number }) => [c.partnerId, c.rankInRegion])).toEqual([['acme', 1]]);
    // Asking for another dealer's gives its own: the dealer's partner is a condition of every query.
    expect((await get('dealerAcme', '/performance/scorecards?partnerId=bolt')).json().items.map((c: { partnerId: string }) => c.partnerId)).toEqual(['acme']);
    expect((await get('dealerAcme', '/performance/scorecards/bolt/2025-03')).statusCode).toBe(404);
    expect((await get('dealerAcme', '/performance/reviews/bolt/2025-03')).statusCode).toBe(404);
    expect((await get('dealerAcme', '/performance/reviews')).json().items.map((r: { partnerId: string }) => r.partnerId)).toEqual(['acme']);
    expect((await get('dealerAcme', '/performance/reviews/acme/2025-03')).json()).toMatchObject({
      partnerId: 'acme',
      scorecard: { grade: expect.any(String) },
    });
    expect((await get('dealerAcme', '/commissions')).statusCode).toBe(403);
    expect((await get('sales', '/performance/scorecards/acme/2025-13')).statusCode).toBe(400);
  });

  it('runs a review: assessment by staff, feedback by the dealer itself, actions the dealer owns, the overdue queue, the decision', async () => {
    const review = '/performance/reviews/acme/2025-03';
    expect((await post('dealerAcme', `${review}/assessment`, { summary: 'We did great' })).statusCode).toBe(403);
    expect((await post('sales', `${review}/assessment`, { summary: 'On target; returns too high', strengths: 'Volume' })).statusCode).toBe(200);
    expect((await post('sales', `${review}/feedback`, { text: 'Staff cannot give the dealer’s word' })).json().code).toBe('FEEDBACK_NOT_FROM_DEALER');
    expect((await post('dealerBolt', `${review}/feedback`, { text: 'Not my review' })).statusCode).toBe(404);
    expect((await post('dealerAcme', `${review}/feedback`, { feedbackId: 'f-1', text: 'Two pumps arrived damaged' })).statusCode).toBe(200);
    expect(
      (
        await post('sales', `${review}/actions`, {
          actionId: 'pack',
          title: 'Check packaging with the carrier',
          owner: { name: 'Acme logistics', party: 'dealer' },
          dueOn: '2025-04-20',
        })
      ).statusCode,
    ).toBe(200);
    expect((await post('sales', `${review}/actions`, { title: 'x', owner: { name: 'y', party: 'dealer' }, dueOn: '2025-04-01' })).json().code).toBe(
      'DUE_DATE_IN_PAST',
    );
    expect(
      (await post('sales', `${review}/meetings`, { heldOn: '2025-04-04', attendees: ['Anna (sales)', 'Acme MD'], minutes: 'Went through the scorecard' }))
        .statusCode,
    ).toBe(200);
    expect((await post('dealerAcme', `${review}/actions/pack`, { status: 'in_progress', note: 'Carrier contacted' })).statusCode).toBe(200);
    expect((await post('sales', `${review}/recommendation`, { decision: 'reject' })).json().code).toBe('REASON_REQUIRED');
    expect((await post('sales', `${review}/recommendation`, { decision: 'accept' })).statusCode).toBe(200);

    const detail = await eventually(
      async () => (await get('dealerAcme', review)).json(),
      (r) => r.meetings?.length === 1 && r.actions?.[0]?.status === 'in_progress' && r.decision !== null,
    );
    expect(detail).toMatchObject({
      assessment: { summary: 'On target; returns too high', strengths: 'Volume' },
      feedback: [{ feedbackId: 'f-1', text: 'Two pumps arrived damaged', by: { role: 'dealer', partnerId: 'acme', id: expect.stringMatching(/^key:/) } }],
      meetings: [{ heldOn: '2025-04-04', attendees: ['Anna (sales)', 'Acme MD'] }],
      recommendation: { kind: 'keep_tier', fromTier: 'gold' },
      decision: { outcome: 'accepted' },
      actions: [{ actionId: 'pack', status: 'in_progress', updates: [{ from: 'open', status: 'in_progress', note: 'Carrier contacted' }] }],
    });
    const queue = (await get('sales', '/performance/actions/overdue?asOf=2025-04-21')).json();
    expect(queue.items.map((a: { partnerId: string; actionId: string }) => [a.partnerId, a.actionId])).toEqual([['acme', 'pack']]);
    expect((await get('dealerBolt', '/performance/actions/overdue?asOf=2025-04-21')).json().items).toEqual([]);
    expect((await get('sales', '/performance/actions/overdue')).json()).toMatchObject({ asOf: '2025-04-05', items: [] });
  });

  it('closes, approves (four eyes) and pays an agent’s commission statement, which reconciles with the splits of its orders', async () => {
    const url = '/commissions/agent-li/2025-03';
    const open = (await get('finance', url)).json();
    // 5 % of acme's 1,200.00 invoice and of bolt's 500.00, less 5 % of acme's 200.00 credit note.
    expect(open).toMatchObject({
      status: 'open',
      totals: { commission: eur(85_00), clawbacks: eur(-10_00), total: eur(75_00) },
      reconciliation: { splits: eur(75_00), difference: eur(0), unmatched: 0 },
    });
    expect(open.lines.map((l: { source: { kind: string }; amount: { amountMinor: number } }) => [l.source.kind, l.amount.amountMinor]).sort()).toEqual([
      ['credit_note', -10_00],
      ['invoice', 25_00],
      ['invoice', 60_00],
    ]);
    expect((await post('sales', `${url}/close`, {})).statusCode).toBe(403);
    expect((await post('finance', `${url}/close`, {})).statusCode).toBe(200);
    expect((await post('finance', `${url}/approve`, {})).json().code).toBe('SAME_PERSON_APPROVAL');
    expect((await post('admin', `${url}/approve`, { note: 'Checked against the ledger' })).statusCode).toBe(200);
    expect((await post('finance', `${url}/payments`, { paymentReference: 'COM-1', amount: eur(70_00) })).json().code).toBe('SETTLEMENT_AMOUNT_MISMATCH');
    expect((await post('finance', `${url}/payments`, { paymentReference: 'COM-1', amount: eur(75_00) })).statusCode).toBe(200);
    const paid = await eventually(
      async () => (await get('auditor', url)).json(),
      (s) => s.status === 'paid',
    );
    expect(paid).toMatchObject({ status: 'paid', paid: { reference: 'COM-1', payer: 'manufacturer' }, closed: { by: expect.stringMatching(/^key:/) } });
    expect((await get('finance', '/commissions?status=paid')).json().items.map((s: { agentId: string }) => s.agentId)).toEqual(['agent-li']);
  });
});
