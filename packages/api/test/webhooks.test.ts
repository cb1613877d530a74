import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeader, WebhookDispatcher, webhookSigningKey } from '@dms/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

let api: TestApi;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.statusCode = 200;
    res.end('ok');
  });
});
let url = '';

beforeAll(async () => {
  api = await startTestApi({ auth: { requestsPerMinute: 100_000 } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dms`;
});
afterAll(async () => {
  await api?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('webhooks over HTTP', () => {
  it('registers a webhook for an admin, shows its secret once, and delivers signed events', async () => {
    const created = await api.as('admin', { method: 'POST', url: '/webhooks', payload: { webhookId: 'erp', url, eventTypes: ['PartnerOnboarded'] } });
    expect(created.statusCode).toBe(201);
    const { secret, secretVersion, secretFingerprint } = created.json();
    expect(secret).toMatch(/^whsec_/);
    expect([secretVersion, secretFingerprint.length]).toEqual([1, 12]);

    const onboarded = await api.as('admin', {
      method: 'POST',
      url: '/partners',
      payload: { partnerId: 'acme', name: 'ACME', region: 'north', tier: 'gold', creditLimit: { amountMinor: 1000_00, currency: 'EUR' } },
    });
    expect(onboarded.statusCode).toBe(201);
    await api.runtime.runner.catchUp();
    const dispatcher = new WebhookDispatcher(api.runtime.runner.db, { signingKey: await webhookSigningKey(api.runtime.runner.db) });
    expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 1, delivered: 1 });
    const [sent] = received;
    expect(JSON.parse(sent!.body)).toMatchObject({ type: 'PartnerOnboarded', streamId: 'partner-acme', data: { partnerId: 'acme' } });
    const stamp = Number(/t=(\d+)/.exec(String(sent!.headers['dms-signature']))![1]);
    expect(sent!.headers['dms-signature']).toBe(signatureHeader(secret, sent!.body, stamp));

    const list = (await api.as('auditor', { method: 'GET', url: '/webhooks' })).json();
    expect(list.items).toEqual([
      expect.objectContaining({ webhookId: 'erp', status: 'active', deliveries: { pending: 0, delivered: 1, failed: 0, cancelled: 0 } }),
    ]);
    expect(JSON.stringify(list)).not.toContain(secret);
    const deliveries = (await api.as('auditor', { method: 'GET', url: '/webhooks/erp/deliveries' })).json();
    expect(deliveries.items).toEqual([expect.objectContaining({ eventType: 'PartnerOnboarded', status: 'delivered', attempts: 1, lastStatus: 200 })]);

    const rotated = (await api.as('admin', { method: 'POST', url: '/webhooks/erp/rotate-secret', payload: {} })).json();
    expect(rotated).toMatchObject({ secretVersion: 2 });
    expect(rotated.secret).not.toBe(secret);
  });

  it('refuses what it cannot deliver, naming the field, and lets only admins change webhooks', async () => {
    const bad = await api.as('admin', {
      method: 'POST',
      url: '/webhooks',
      payload: { url: 'http://erp.example.com/dms', eventTypes: ['OrderPlaced', 'OrderTeleported'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'body.url', message: 'must be https (plain http only to localhost)' },
        { field: 'body.eventTypes.1', message: 'not an event type DMS records (see docs/events.md), nor *' },
      ]),
    );
    expect((await api.as('sales', { method: 'POST', url: '/webhooks', payload: { url, eventTypes: ['*'] } })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'GET', url: '/webhooks' })).statusCode).toBe(403);
    expect((await api.as('admin', { method: 'GET', url: '/webhooks/nope/deliveries' })).statusCode).toBe(404);
    expect((await api.as('admin', { method: 'POST', url: '/webhooks/nope/pause', payload: { reason: 'x' } })).json().code).toBe('WEBHOOK_NOT_FOUND');
    const retry = await api.as('admin', { method: 'POST', url: '/webhooks/erp/deliveries/00000000-0000-4000-8000-000000000000/retry', payload: {} });
    expect(retry.json().code).toBe('DELIVERY_NOT_RETRYABLE');
  });

  it('registers a DingTalk robot from the address the platform shows, keeps its token and secret sealed, and refuses what is missing', async () => {
    const robotUrl = `${url.replace('/dms', '')}/robot/send?access_token=tok-123`;
    const created = await api.as('admin', {
      method: 'POST',
      url: '/webhooks',
      payload: {
        webhookId: 'ding',
        kind: 'dingtalk',
        url: robotUrl,
        secret: 'SECabc',
        language: 'en',
        consoleUrl: 'https://dms.example.com',
        eventTypes: ['OrderQueuedForReview'],
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ webhookId: 'ding', kind: 'dingtalk', credentialsFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(created.json().secret).toBeUndefined();
    const list = await api.as('auditor', { method: 'GET', url: '/webhooks' });
    const ding = list.json().items.find((w: { webhookId: string }) => w.webhookId === 'ding');
    expect(ding).toMatchObject({
      kind: 'dingtalk',
      url: robotUrl.replace('?access_token=tok-123', ''),
      robot: { language: 'en', consoleUrl: 'https://dms.example.com', format: 'markdown' },
    });
    expect(list.body).not.toContain('tok-123');
    expect(list.body).not.toContain('SECabc');
    expect((await api.as('admin', { method: 'POST', url: '/webhooks/ding/rotate-secret', payload: {} })).json().code).toBe('WEBHOOK_SECRET_FROM_PLATFORM');

    const refused = async (payload: object) => {
      const res = await api.as('admin', {
        method: 'POST',
        url: '/webhooks',
        payload: { eventTypes: ['OrderPlaced'], consoleUrl: 'https://dms.example.com', ...payload },
      });
      expect(res.statusCode).toBe(400);
      return res.json().errors[0].field;
    };
    expect(await refused({ kind: 'dingtalk', url: robotUrl })).toBe('body.secret');
    expect(await refused({ kind: 'dingtalk', url: robotUrl.replace('access_token', 'token'), secret: 'SECabc' })).toBe('body.url');
    expect(await refused({ kind: 'wecom', url: `${url}?key=k1`, secret: 'SECabc' })).toBe('body.secret');
    expect(await refused({ kind: 'wecom', url: `${url}?key=k1`, consoleUrl: undefined })).toBe('body.consoleUrl');
    expect(await refused({ url, secret: 'SECabc' })).toBe('body.secret');
    expect(await refused({ kind: 'feishu', url })).toBe('body.kind');
    // Cards are a robot's way of writing: refused for a signed webhook, and any other format named.
    expect(await refused({ url, format: 'card', consoleUrl: undefined })).toBe('body.format');
    expect(await refused({ kind: 'wecom', url: `${url}?key=k1`, format: 'html' })).toBe('body.format');
    const card = await api.as('admin', {
      method: 'POST',
      url: '/webhooks',
      payload: {
        webhookId: 'wecom-cards',
        kind: 'wecom',
        url: `${url}?key=k2`,
        format: 'card',
        consoleUrl: 'https://dms.example.com',
        eventTypes: ['OrderPlaced'],
      },
    });
    expect(card.statusCode).toBe(201);
    const listed = (await api.as('admin', { method: 'GET', url: '/webhooks' })).json().items.find((w: { webhookId: string }) => w.webhookId === 'wecom-cards');
    expect(listed.robot).toMatchObject({ language: 'zh-CN', format: 'card' });
  });

  it('registers a webhook for some dealers or regions only, lists whom it is for, and refuses an empty audience or an unknown dealer', async () => {
    const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
    await api.as('admin', {
      method: 'POST',
      url: '/partners',
      payload: { partnerId: 'nordic', name: 'Nordic', region: 'north', tier: 'gold', creditLimit: eur(1_000_00) },
    });
    const create = (webhookId: string, audience: unknown) =>
      api.as('admin', { method: 'POST', url: '/webhooks', payload: { webhookId, url, eventTypes: ['NotificationRaised', 'OrderPlaced'], audience } });
    expect((await create('north-team', { regions: ['north', 'east', 'north'] })).statusCode).toBe(201);
    expect((await create('nordic-erp', { partnerIds: ['nordic'] })).statusCode).toBe(201);

    const empty = await create('nobody', { partnerIds: [], regions: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toEqual([
      { field: 'body.audience', message: 'name at least one dealer (partnerIds) or region (regions); leave audience out to receive every event' },
    ]);
    const unknown = await create('ghost', { partnerIds: ['nordic', 'ghost-dealer'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ field: 'body.audience.partnerIds.1', message: 'no partner ghost-dealer has been onboarded' }]);

    const items = (await api.as('auditor', { method: 'GET', url: '/webhooks' })).json().items as { webhookId: string; audience: unknown }[];
    const audiences = Object.fromEntries(items.map((w) => [w.webhookId, w.audience]));
    expect(audiences['north-team']).toEqual({ partnerIds: [], regions: ['east', 'north'] });
    expect(audiences['nordic-erp']).toEqual({ partnerIds: ['nordic'], regions: [] });
    expect(audiences.erp).toBeNull();
    expect(audiences).not.toHaveProperty('ghost');
  });
});
