import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
let clock = new Date('2026-03-02T10:00:00.000Z');
const hoursLater = (hours: number) => {
  clock = new Date(clock.getTime() + hours * 3_600_000);
};

beforeAll(async () => {
  api = await startTestApi({ now: () => clock });
  const admin = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
  await admin('/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 1000, currency: 'EUR' } });
  for (const partnerId of ['acme', 'bolt']) {
    await admin('/partners', {
      partnerId,
      name: `${partnerId.toUpperCase()} Ltd`,
      region: 'north',
      tier: 'gold',
      creditLimit: { amountMinor: 1_000_000, currency: 'EUR' },
    });
  }
  await admin('/orders', { orderId: 'acme-1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] });
  await admin('/orders', { orderId: 'bolt-1', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] });
});
afterAll(async () => {
  await api?.close();
});

const post = (caller: Caller, url: string, payload: object = {}) => api.as(caller, { method: 'POST', url, payload });
const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });

describe('the collaboration space over HTTP', () => {
  it('opens a thread about an order with a first message, replies from both sides, edits, retracts, reads, closes and reopens', async () => {
    const opened = await post('dealerAcme', '/threads', {
      threadId: 'acme-delivery',
      partnerId: 'acme',
      subject: 'When does acme-1 ship?',
      link: { kind: 'order', id: 'acme-1' },
      body: 'We need it on site by Friday.',
      attachments: [{ name: 'Site plan.pdf', url: 'https://files.acme.example/site-plan.pdf', contentType: 'application/pdf', sizeBytes: 48_213 }],
    });
    expect(opened.statusCode).toBe(201);
    expect(opened.headers.location).toBe('/threads/acme-delivery');
    expect(opened.json().events.map((e: { type: string }) => e.type)).toEqual(['ThreadOpened', 'MessagePosted']);

    const reply = await post('sales', '/threads/acme-delivery/messages', { messageId: 'r1', body: 'It ships Wednesday.' });
    expect(reply.statusCode).toBe(201);
    hoursLater(1);
    expect(
      (await api.as('sales', { method: 'PATCH', url: '/threads/acme-delivery/messages/r1', payload: { body: 'It ships Wednesday morning.' } })).statusCode,
    ).toBe(200);
    await post('finance', '/threads/acme-delivery/messages', { messageId: 'f1', body: 'Invoice follows on delivery.' });
    expect((await post('finance', '/threads/acme-delivery/messages/f1/retract', { reason: 'not for this thread' })).statusCode).toBe(200);

    let position = (await post('dealerAcme', '/threads/acme-delivery/read', {})).json().position;
    const thread = (await get('dealerAcme', `/threads/acme-delivery?minPosition=${position}`)).json();
    expect(thread).toMatchObject({
      partnerId: 'acme',
      partnerName: 'ACME Ltd',
      link: { kind: 'order', id: 'acme-1' },
      status: 'open',
      messageCount: 2,
      unreadCount: 0,
      readUpTo: 3,
    });
    expect(thread.messages.map((m: { body: string | null; edited: boolean; retracted: boolean }) => [m.body, m.edited, m.retracted])).toEqual([
      ['We need it on site by Friday.', false, false],
      ['It ships Wednesday morning.', true, false],
      [null, false, true],
    ]);
    expect(thread.messages[0].attachments[0]).toMatchObject({ name: 'Site plan.pdf', sizeBytes: 48_213 });
    expect(thread.messages[0].author).toMatchObject({ role: 'dealer', partnerId: 'acme' });

    // Staff have not read the dealer's message: one unread for sales, who wrote the other visible one.
    const forSales = (await get('sales', '/threads?unread=true')).json();
    expect(forSales.items).toEqual([expect.objectContaining({ threadId: 'acme-delivery', unreadCount: 1 })]);

    expect((await post('dealerAcme', '/threads/acme-delivery/close', { reason: 'answered' })).statusCode).toBe(200);
    const refused = await post('sales', '/threads/acme-delivery/messages', { body: 'One more thing' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'THREAD_CLOSED' });
    expect((await post('sales', '/threads/acme-delivery/reopen')).statusCode).toBe(200);
    position = (await post('sales', '/threads/acme-delivery/messages', { body: 'One more thing' })).json().position;
    expect(
      (await get('admin', `/threads?partnerId=acme&status=open&minPosition=${position}`)).json().items.map((t: { threadId: string }) => t.threadId),
    ).toEqual(['acme-delivery']);

    const history = (await get('auditor', '/threads/acme-delivery/history')).json();
    expect(history.verified).toBe(true);
    // The retracted text and the original of the edit stay in the history.
    expect(history.entries.map((e: { type: string }) => e.type)).toContain('MessageRetracted');
    expect(JSON.stringify(history.entries)).toContain('Invoice follows on delivery.');
    expect(JSON.stringify(history.entries)).toContain('"It ships Wednesday."');
    expect(history.entries[0].actor).toMatchObject({ role: 'dealer', partnerId: 'acme', id: expect.stringMatching(/^key:/) });
  });

  it("refuses edits of someone else's message and after 24 hours, naming the rule", async () => {
    const opened = await post('sales', '/threads', { threadId: 'acme-rebate', partnerId: 'acme', subject: 'Q1 rebate', body: 'Your Q1 rebate is 2%.' });
    const thread = (await get('sales', `/threads/acme-rebate?minPosition=${opened.json().position}`)).json();
    const messageId = thread.messages[0].messageId;
    const patch = (caller: Caller, body: string) => api.as(caller, { method: 'PATCH', url: `/threads/acme-rebate/messages/${messageId}`, payload: { body } });
    expect((await patch('finance', 'x')).json()).toMatchObject({ status: 409, code: 'NOT_MESSAGE_AUTHOR' });
    hoursLater(25);
    expect((await patch('sales', 'Your Q1 rebate is 2.5%.')).json()).toMatchObject({ status: 409, code: 'EDIT_WINDOW_PASSED' });
    expect((await post('sales', `/threads/acme-rebate/messages/${messageId}/retract`)).statusCode).toBe(200);
  });

  it('rejects bad input naming the field', async () => {
    const tooLong = await post('sales', '/threads/acme-rebate/messages', { body: 'x'.repeat(10_001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('body.body');
    const badUrl = await post('sales', '/threads/acme-rebate/messages', { body: 'see file', attachments: [{ name: 'x', url: 'file:///etc/passwd' }] });
    expect(badUrl.json().errors[0].field).toBe('body.attachments.0.url');
    const unknown = await post('sales', '/threads', { partnerId: 'acme', subject: 's', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    const link = await post('sales', '/threads', { partnerId: 'acme', subject: 's', link: { kind: 'invoice', id: 'x' } });
    expect(link.json().errors[0].field).toBe('body.link.kind');
  });
});

describe('dealer scoping', () => {
  it("answers 404 for another dealer's thread, on every route", async () => {
    await post('sales', '/threads', { threadId: 'bolt-terms', partnerId: 'bolt', subject: 'Agreement renewal', body: 'Shall we renew on the same terms?' });
    const position = (await post('dealerBolt', '/threads/bolt-terms/messages', { messageId: 'b1', body: 'Yes please.' })).json().position;
    expect((await get('dealerBolt', `/threads/bolt-terms?minPosition=${position}`)).statusCode).toBe(200);
    const head = await api.runtime.store.headPosition();
    for (const [method, url, payload] of [
      ['GET', '/threads/bolt-terms', undefined],
      ['GET', '/threads/bolt-terms/history', undefined],
      ['POST', '/threads/bolt-terms/messages', { body: 'mischief' }],
      ['PATCH', '/threads/bolt-terms/messages/b1', { body: 'mischief' }],
      ['POST', '/threads/bolt-terms/messages/b1/retract', {}],
      ['POST', '/threads/bolt-terms/read', {}],
      ['POST', '/threads/bolt-terms/read', { upToMessageId: 'b1' }],
      ['POST', '/threads/bolt-terms/close', {}],
      ['POST', '/threads/bolt-terms/reopen', {}],
    ] as const) {
      const res = await api.as('dealerAcme', { method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('THREAD_NOT_FOUND');
    }
    expect(await api.runtime.store.headPosition()).toBe(head);
    const mine = (await get('dealerAcme', `/threads?minPosition=${position}`)).json().items.map((t: { partnerId: string }) => t.partnerId);
    expect(new Set(mine)).toEqual(new Set(['acme']));
    expect((await get('dealerAcme', '/threads?partnerId=bolt')).json().items).toEqual([]);
  });

  it('lets a dealer open threads only with its own partner, and never about another partner’s resource', async () => {
    const head = await api.runtime.store.headPosition();
    const other = await post('dealerAcme', '/threads', { partnerId: 'bolt', subject: 'Hello neighbour' });
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('PARTNER_NOT_FOUND');
    // Another dealer's order looks exactly like one that does not exist.
    const foreign = await post('dealerAcme', '/threads', { partnerId: 'acme', subject: 'x', link: { kind: 'order', id: 'bolt-1' } });
    const missing = await post('dealerAcme', '/threads', { partnerId: 'acme', subject: 'x', link: { kind: 'order', id: 'nope-1' } });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'LINKED_RESOURCE_NOT_FOUND']);
    expect(missing.json().detail).toBe(foreign.json().detail.replace('bolt-1', 'nope-1'));
    expect(await api.runtime.store.headPosition()).toBe(head);
  });

  it('lets an auditor read every thread and its history but write nothing', async () => {
    const head = await api.runtime.store.headPosition();
    expect((await get('auditor', '/threads')).json().items.length).toBeGreaterThanOrEqual(3);
    expect((await get('auditor', '/threads/bolt-terms')).statusCode).toBe(200);
    expect((await post('auditor', '/threads/bolt-terms/messages', { body: 'noted' })).statusCode).toBe(403);
    expect((await post('auditor', '/threads/bolt-terms/read')).statusCode).toBe(403);
    expect(await api.runtime.store.headPosition()).toBe(head);
  });
});
