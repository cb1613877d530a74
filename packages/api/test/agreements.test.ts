import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { type Caller, startTestApi, type TestApi } from './support';

/**
 * Agreements, automated review, splits, rebates and settlements over HTTP, with the process managers running in the
 * background as under `dms serve`. The API's clock stands on 2026-03-02; a second app on the same data stands on
 * 2026-04-02, after the March period, to close its statement.
 */
let api: TestApi;
let april: FastifyInstance;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const post = (caller: Caller, url: string, payload: object) => api.as(caller, { method: 'POST', url, payload });
const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });
const inApril = (caller: Caller, method: 'GET' | 'POST', url: string, payload?: object) =>
  april.inject({ method, url, ...(payload ? { payload } : {}), headers: { authorization: `Bearer ${api.tokens[caller]}` } });

/** Polls a read until it satisfies `done`: the process managers run in the background after a command. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
};

const terms = (partnerId: string) => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps'], regions: ['north'], exclusive: true },
  pricingTier: 'gold',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500 },
    { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
    { partyId: 'agent-li', role: 'sales_agent', shareBps: 500 },
  ],
  rebate: {
    basis: 'band_total',
    bands: [
      { from: eur(0), rateBps: 0 },
      { from: eur(500_00), rateBps: 200 },
      { from: eur(5_000_00), rateBps: 300 },
    ],
  },
  jointMarketing: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 5_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 5_000 },
  ],
  settlement: { basis: 'on_invoice', period: 'month' },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [{ clauseId: 'B1', title: 'Late payment', text: 'Paid over 30 days late.', penalty: eur(100_00) }],
});

/** acme's dunning levels: a reminder from 7 days past due, the final notice to the dealer and its sales team from 21. */
const dunning = {
  levels: [
    { fromDaysPastDue: 7, tell: ['dealer'] },
    { fromDaysPastDue: 21, tell: ['dealer', 'sales'] },
  ],
};

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-03-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  april = await buildApp({ runtime: api.runtime, now: () => new Date('2026-04-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 } });
  await post('admin', '/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00) });
  for (const [partnerId, limit] of [
    ['acme', 1_000_00],
    ['bolt', 10_000_00],
  ] as const) {
    await post('admin', '/partners', { partnerId, name: partnerId.toUpperCase(), region: 'north', tier: 'gold', creditLimit: eur(limit) });
  }
});
afterAll(async () => {
  await april?.close();
  await api?.close();
});

describe('agreements over HTTP', () => {
  it('drafts, proposes, signs and activates an agreement; the registry shows it with its expiry', async () => {
    const drafted = await post('sales', '/agreements', {
      agreementId: 'agr-acme',
      partnerId: 'acme',
      title: 'Acme pumps, north',
      terms: { ...terms('acme'), dunning },
      effectiveFrom: '2026-03-01',
      expiresOn: '2026-04-30',
    });
    expect(drafted.statusCode).toBe(201);
    expect(drafted.headers.location).toBe('/agreements/agr-acme');
    expect((await post('sales', '/agreements/agr-acme/propose', {})).statusCode).toBe(200);
    expect((await post('sales', '/agreements/agr-acme/sign', { party: 'manufacturer', signedBy: 'Jonas Berg' })).statusCode).toBe(200);
    // Signed by both on or after the effective date: in force at once (the activation policy).
    const signed = await post('sales', '/agreements/agr-acme/sign', { party: 'dealer', signedBy: 'Mei Lin' });
    expect(signed.statusCode).toBe(200);
    const agreement = await eventually(
      async () => (await get('admin', '/agreements/agr-acme')).json(),
      (a) => a.status === 'active',
    );
    expect(agreement).toMatchObject({ status: 'active', currentVersion: 1, signedBy: { manufacturer: 'Jonas Berg', dealer: 'Mei Lin' }, daysToExpiry: 59 });
    expect(agreement.versions).toMatchObject([
      { version: 1, effectiveFrom: '2026-03-01', effectiveUntil: '2026-04-30', terms: { pricingTier: 'gold', dunning } },
    ]);
    expect((await get('admin', '/agreements?expiringWithinDays=60')).json().items.map((a: { agreementId: string }) => a.agreementId)).toEqual(['agr-acme']);
    expect((await get('admin', '/agreements?expiringWithinDays=30')).json().items).toEqual([]);
    const history = (await get('auditor', '/agreements/agr-acme/history')).json();
    expect(history.verified).toBe(true);
    expect(history.entries.map((e: { type: string }) => e.type)).toEqual([
      'AgreementDrafted',
      'AgreementProposed',
      'AgreementSigned',
      'AgreementSigned',
      'AgreementActivated',
    ]);
    expect(history.entries.at(-1).actor).toEqual({ id: 'policy:agreement_activation', role: 'system' });
  });

  it('refuses bad terms with a clear reason, and writes nothing', async () => {
    const head = await api.runtime.store.headPosition();
    const wrongSplit = {
      ...terms('bolt'),
      revenueSplit: [
        { partyId: 'manufacturer', role: 'manufacturer', shareBps: 9_000 },
        { partyId: 'bolt', role: 'dealer', shareBps: 500 },
      ],
    };
    const refused = await post('sales', '/agreements', {
      partnerId: 'bolt',
      title: 'x',
      terms: wrongSplit,
      effectiveFrom: '2026-03-01',
      expiresOn: '2026-12-31',
    });
    expect(refused.json()).toMatchObject({
      status: 409,
      code: 'SPLIT_SHARES_NOT_100',
      detail: 'The revenue-split shares add up to 95.00 %; they must add up to exactly 100 %.',
    });
    const invalid = await post('sales', '/agreements', {
      partnerId: 'bolt',
      title: 'x',
      terms: { ...terms('bolt'), currency: 'euro' },
      effectiveFrom: '2026-03-01',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.terms.currency', 'body.expiresOn']));
    // Dunning levels must rise, at most five; each error names its field.
    const levels = (n: number, days: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ fromDaysPastDue: days(i), tell: ['dealer'] }));
    for (const [levelsGiven, field, message] of [
      [
        levels(2, () => 10),
        'body.terms.dunning.levels.1.fromDaysPastDue',
        'level 2 (from 10 days past due) must start after level 1 (from 10 days): levels rise',
      ],
      [levels(6, (i) => i + 1), 'body.terms.dunning.levels', 'give at most 5 levels'],
      [[{ fromDaysPastDue: 5, tell: [] }], 'body.terms.dunning.levels.0.tell', 'tell at least the dealer or the sales team'],
    ] as const) {
      const refusedLevels = await post('sales', '/agreements', {
        partnerId: 'bolt',
        title: 'x',
        terms: { ...terms('bolt'), dunning: { levels: levelsGiven } },
        effectiveFrom: '2026-03-01',
        expiresOn: '2026-12-31',
      });
      expect(refusedLevels.statusCode).toBe(400);
      expect(refusedLevels.json().errors).toEqual([{ field, message }]);
    }
    expect(await api.runtime.store.headPosition()).toBe(head);
  });

  it('approves a covered order automatically and queues the others for a person', async () => {
    expect((await post('dealerAcme', '/orders', { orderId: 'a-1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 6 }] })).statusCode).toBe(201);
    expect((await post('dealerBolt', '/orders', { orderId: 'b-1', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] })).statusCode).toBe(201);
    expect((await post('dealerAcme', '/orders', { orderId: 'a-2', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 5 }] })).statusCode).toBe(201);
    const queue = await eventually(
      async () => (await get('sales', '/review-queue')).json(),
      (q) => q.items.length === 2,
    );
    // Oldest first (the API's clock stands still, so by order id): 600.00 already holds acme's credit, and 500.00 more
    // would pass its 1,000.00 limit; bolt has no agreement.
    expect(queue.items.map((i: { orderId: string; reasons: { code: string }[] }) => [i.orderId, i.reasons.map((r) => r.code)])).toEqual([
      ['a-2', ['CREDIT_LIMIT_EXCEEDED']],
      ['b-1', ['NO_AGREEMENT_IN_FORCE']],
    ]);
    expect((await get('admin', '/orders/a-1')).json()).toMatchObject({ status: 'approved' });
    expect((await get('dealerBolt', '/orders/b-1')).json().statusReason).toMatch(/^Waiting for review: Dealer bolt has no agreement in force/);
    expect((await get('dealerAcme', '/review-queue')).statusCode).toBe(403);

    const refused = await post('sales', '/review-queue/a-2/approve', {});
    expect(refused.json()).toMatchObject({ status: 409, code: 'CREDIT_LIMIT_EXCEEDED' });
    expect((await post('sales', '/review-queue/a-2/reject', { reason: 'Over the credit limit' })).statusCode).toBe(200);
    expect((await post('sales', '/review-queue/b-1/approve', { note: 'Agreement being drafted' })).statusCode).toBe(200);
    const decided = await eventually(
      async () => (await get('sales', '/review-queue?status=approved')).json(),
      (q) => q.items.length === 2,
    );
    expect(decided.items.map((i: { orderId: string; automatic: boolean }) => [i.orderId, i.automatic])).toEqual([
      ['a-1', true],
      ['b-1', false],
    ]);
  });

  it('splits the invoice between the parties and shows each dealer only its own splits', async () => {
    for (const [path, body] of [
      ['confirm', {}],
      ['shipments', { shipmentId: 's1', lines: [{ lineNo: 1, quantity: 6 }] }],
      ['shipments/s1/deliver', {}],
      ['invoice', { invoiceId: 'INV-1', dueDate: '2026-04-01' }],
    ] as const)
      expect((await post('admin', `/orders/a-1/${path}`, body)).statusCode).toBe(200);
    const ledger = await eventually(
      async () => (await get('finance', '/splits?partnerId=acme')).json(),
      (l) => l.items.length === 3,
    );
    // 600.00 invoiced: 85 % 510.00, 10 % 60.00, 5 % 30.00.
    expect(ledger.totals.map((t: { partyId: string; revenue: { amountMinor: number } }) => [t.partyId, t.revenue.amountMinor])).toEqual([
      ['acme', 60_00],
      ['agent-li', 30_00],
      ['manufacturer', 510_00],
    ]);
    expect((await get('dealerAcme', '/splits')).json().items).toHaveLength(3);
    expect((await get('dealerBolt', '/splits?partnerId=acme')).json().items).toEqual([]);
    const progress = (await get('dealerAcme', '/rebates/progress')).json();
    expect(progress.items).toMatchObject([
      { agreementId: 'agr-acme', period: '2026-03', volume: eur(600_00), band: 1, amount: eur(12_00), next: { remaining: eur(4_400_00) } },
    ]);
  });

  it('closes, approves and pays the statement, which reconciles to the invoice; a dealer sees only its own', async () => {
    const statement = await eventually(
      async () => get('dealerAcme', '/settlements/acme/2026-03'),
      (r) => r.statusCode === 200,
    );
    expect(statement.json()).toMatchObject({ status: 'open', lineCount: 1, total: eur(60_00) });
    expect((await get('dealerBolt', '/settlements/acme/2026-03')).statusCode).toBe(404);
    expect((await get('dealerBolt', '/settlements')).json().items).toEqual([]);
    expect((await post('finance', '/settlements/acme/2026-03/close', {})).json()).toMatchObject({ status: 409, code: 'PERIOD_NOT_ENDED' });

    const closed = await inApril('finance', 'POST', '/settlements/acme/2026-03/close', {});
    expect(closed.statusCode).toBe(200);
    const after = (await inApril('finance', 'GET', `/settlements/acme/2026-03?minPosition=${closed.json().position}`)).json();
    // Revenue share 60.00 + rebate 2 % of 600.00 = 12.00: 72.00, owed by the manufacturer.
    expect(after).toMatchObject({ status: 'closed', revenueShare: eur(60_00), rebates: eur(12_00), total: eur(72_00) });
    expect(after.reconciliation).toEqual({
      invoices: { count: 1, onStatement: eur(600_00), perOrders: eur(600_00) },
      creditNotes: { count: 0, amount: eur(0) },
      payments: { count: 0, amount: eur(0) },
      linesTotal: eur(72_00),
      reconciled: true,
    });
    // Four eyes: whoever closed it cannot approve it; a second person in finance can, and the statement names both.
    expect((await inApril('finance', 'POST', '/settlements/acme/2026-03/approve', {})).json()).toMatchObject({ status: 409, code: 'SAME_PERSON_APPROVAL' });
    const approved = await inApril('controller', 'POST', '/settlements/acme/2026-03/approve', {});
    expect(approved.statusCode).toBe(200);
    const reviewed = (await inApril('finance', 'GET', `/settlements/acme/2026-03?minPosition=${approved.json().position}`)).json();
    expect(reviewed).toMatchObject({ status: 'approved', closedBy: after.closedBy, approvedBy: expect.stringMatching(/^key:/) });
    expect(after.closedBy).toMatch(/^key:/);
    expect(reviewed.approvedBy).not.toBe(reviewed.closedBy);
    expect((await inApril('finance', 'POST', '/settlements/acme/2026-03/payments', { paymentReference: 'BT-1', amount: eur(71_99) })).json()).toMatchObject({
      code: 'SETTLEMENT_AMOUNT_MISMATCH',
    });
    const paid = await inApril('finance', 'POST', '/settlements/acme/2026-03/payments', { paymentReference: 'BT-1', amount: eur(72_00) });
    expect(paid.statusCode).toBe(200);
    expect((await inApril('dealerAcme', 'GET', `/settlements?minPosition=${paid.json().position}`)).json().items).toMatchObject([
      { period: '2026-03', status: 'paid', payer: 'manufacturer', total: eur(72_00) },
    ]);
  });

  it('scopes a dealer to its own agreement', async () => {
    expect((await get('dealerBolt', '/agreements/agr-acme')).statusCode).toBe(404);
    expect((await get('dealerBolt', '/agreements/agr-acme/history')).statusCode).toBe(404);
    expect((await get('dealerBolt', '/agreements?partnerId=acme')).json().items).toEqual([]);
    expect((await get('dealerAcme', '/agreements')).json().items.map((a: { agreementId: string }) => a.agreementId)).toEqual(['agr-acme']);
    expect((await post('dealerAcme', '/agreements/agr-acme/terminate', { reason: 'no' })).statusCode).toBe(403);
  });

  it('runs the calendar: expires what has ended', async () => {
    const run = await post('admin', '/agreements/calendar', { asOf: '2026-05-01' });
    expect(run.json()).toEqual({ asOf: '2026-05-01', activated: [], expired: ['agr-acme'], refused: [] });
    expect((await post('admin', '/agreements/calendar', { asOf: 'soon' })).statusCode).toBe(400);
  });

  it("refuses another dealer's agreement where an exclusive one was in force, as a 409 problem naming the conflict", async () => {
    // acme held pumps in the north exclusively from 1 March to 30 April; bolt's agreement would start on 1 March.
    const body = { agreementId: 'agr-bolt', partnerId: 'bolt', title: 'Bolt pumps, north', effectiveFrom: '2026-03-01', expiresOn: '2026-12-31' };
    const open = { ...terms('bolt'), scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false } };
    expect((await post('sales', '/agreements', { ...body, terms: open })).statusCode).toBe(201);
    expect((await post('sales', '/agreements/agr-bolt/propose', {})).statusCode).toBe(200);
    expect((await post('sales', '/agreements/agr-bolt/sign', { party: 'manufacturer', signedBy: 'Jonas Berg' })).statusCode).toBe(200);
    expect((await post('sales', '/agreements/agr-bolt/sign', { party: 'dealer', signedBy: 'Bo Lt' })).statusCode).toBe(200);
    const refused = await post('sales', '/agreements/agr-bolt/activate', {});
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      status: 409,
      code: 'EXCLUSIVE_TERRITORY_TAKEN',
      detail: expect.stringMatching(
        /^Dealer acme holds pumps in north from 2026-03-01 to 2026-04-30 exclusively under agreement agr-acme; agreement agr-bolt of dealer bolt/,
      ),
      details: { conflictingPartnerId: 'acme', conflictingAgreementId: 'agr-acme', categories: ['pumps'], regions: ['north'] },
    });
    expect((await get('admin', '/agreements/agr-bolt')).json()).toMatchObject({ status: 'signed' });
  });
});
