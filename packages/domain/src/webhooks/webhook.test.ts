import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../testing';
import {
  audienceWants,
  eventSubject,
  RegisterWebhook,
  type WebhookAudience,
  type WebhookCommand,
  type WebhookEvent,
  webhookDecider,
  webhookWants,
} from './webhook';

const at = '2026-11-01T10:00:00Z';
const webhookId = 'erp-sync';
const register = (eventTypes = ['OrderInvoiced', 'PaymentRecorded']): WebhookCommand => ({
  type: 'RegisterWebhook',
  data: { webhookId, url: 'https://erp.example.com/dms', eventTypes, registeredAt: at },
});
const registered = (eventTypes = ['OrderInvoiced', 'PaymentRecorded']): WebhookEvent => ({
  type: 'WebhookRegistered',
  data: { webhookId, url: 'https://erp.example.com/dms', eventTypes, secretVersion: 1, registeredAt: at },
});
const paused: WebhookEvent = { type: 'WebhookPaused', data: { webhookId, reason: 'ERP maintenance', pausedAt: at } };
const removed: WebhookEvent = { type: 'WebhookRemoved', data: { webhookId, reason: 'replaced', removedAt: at } };

describe('webhook subscriptions', () => {
  it('registers with secret version 1, each event type once', () => {
    given(webhookDecider)()
      .when(register(['OrderInvoiced', 'OrderInvoiced', '*']))
      .then(registered(['OrderInvoiced', '*']));
  });

  it('refuses to register the same id twice', () => {
    given(webhookDecider)(registered()).when(register()).thenRefuses('WEBHOOK_ALREADY_EXISTS');
  });

  it('pauses and resumes, refusing to do either twice', () => {
    given(webhookDecider)(registered())
      .when({ type: 'PauseWebhook', data: { webhookId, reason: 'ERP maintenance', pausedAt: at } })
      .then(paused);
    given(webhookDecider)(registered(), paused)
      .when({ type: 'PauseWebhook', data: { webhookId, reason: 'again', pausedAt: at } })
      .thenRefuses('WEBHOOK_ALREADY_PAUSED');
    given(webhookDecider)(registered(), paused)
      .when({ type: 'ResumeWebhook', data: { webhookId, resumedAt: at } })
      .then({ type: 'WebhookResumed', data: { webhookId, resumedAt: at } });
    given(webhookDecider)(registered())
      .when({ type: 'ResumeWebhook', data: { webhookId, resumedAt: at } })
      .thenRefuses('WEBHOOK_NOT_PAUSED');
  });

  it('rotates the secret to the next version', () => {
    const rotated: WebhookEvent = { type: 'WebhookSecretRotated', data: { webhookId, secretVersion: 2, rotatedAt: at } };
    given(webhookDecider)(registered())
      .when({ type: 'RotateWebhookSecret', data: { webhookId, rotatedAt: at } })
      .then(rotated);
    given(webhookDecider)(registered(), rotated)
      .when({ type: 'RotateWebhookSecret', data: { webhookId, rotatedAt: at } })
      .then({ type: 'WebhookSecretRotated', data: { webhookId, secretVersion: 3, rotatedAt: at } });
  });

  it('refuses everything on a webhook that does not exist or was removed', () => {
    given(webhookDecider)()
      .when({ type: 'ResumeWebhook', data: { webhookId, resumedAt: at } })
      .thenRefuses('WEBHOOK_NOT_FOUND');
    given(webhookDecider)(registered())
      .when({ type: 'RemoveWebhook', data: { webhookId, reason: 'replaced', removedAt: at } })
      .then(removed);
    given(webhookDecider)(registered(), removed)
      .when({ type: 'RotateWebhookSecret', data: { webhookId, rotatedAt: at } })
      .thenRefuses('WEBHOOK_REMOVED');
  });

  it('takes https anywhere, plain http only to this machine, no credentials in the URL, and event types by name', () => {
    const url = (u: string, eventTypes = ['OrderPlaced']) =>
      RegisterWebhook.safeParse({ type: 'RegisterWebhook', data: { webhookId, url: u, eventTypes, registeredAt: at } });
    expect(url('https://erp.example.com/hook').success).toBe(true);
    expect(url('http://127.0.0.1:9000/hook').success).toBe(true);
    expect(url('http://erp.example.com/hook').error?.issues[0]?.message).toBe('must be https (plain http only to localhost)');
    expect(url('https://user:pw@erp.example.com/hook').error?.issues[0]?.message).toContain('must not carry credentials');
    expect(url('ftp://erp.example.com/hook').success).toBe(false);
    expect(url('https://erp.example.com/hook', ['order placed']).error?.issues[0]?.path).toEqual(['data', 'eventTypes', 0]);
  });

  it('registers a DingTalk or WeCom robot only with its sealed credentials, and leaves its secret to the platform', () => {
    const robot = {
      credentials: 'v1.aXY.Y2lwaGVy.dGFn',
      credentialsFingerprint: '0123456789ab',
      language: 'zh-CN' as const,
      consoleUrl: 'https://dms.example.com',
    };
    const dingtalk: WebhookCommand = {
      type: 'RegisterWebhook',
      data: { webhookId, url: 'https://oapi.dingtalk.com/robot/send', eventTypes: ['OrderQueuedForReview'], kind: 'dingtalk', robot, registeredAt: at },
    };
    const registeredRobot: WebhookEvent = {
      type: 'WebhookRegistered',
      data: {
        webhookId,
        url: 'https://oapi.dingtalk.com/robot/send',
        eventTypes: ['OrderQueuedForReview'],
        kind: 'dingtalk',
        robot,
        secretVersion: 1,
        registeredAt: at,
      },
    };
    given(webhookDecider)().when(dingtalk).then(registeredRobot);
    given(webhookDecider)()
      .when({ ...dingtalk, data: { ...dingtalk.data, robot: undefined } } as WebhookCommand)
      .thenRefuses('WEBHOOK_ROBOT_SETTINGS_MISSING');
    given(webhookDecider)()
      .when({ ...dingtalk, data: { ...dingtalk.data, kind: 'signed' } } as WebhookCommand)
      .thenRefuses('WEBHOOK_ROBOT_SETTINGS_UNEXPECTED');
    given(webhookDecider)(registeredRobot)
      .when({ type: 'RotateWebhookSecret', data: { webhookId, rotatedAt: at } })
      .thenRefuses('WEBHOOK_SECRET_FROM_PLATFORM');
    const parsed = (credentials: string) => RegisterWebhook.safeParse({ ...dingtalk, data: { ...dingtalk.data, robot: { ...robot, credentials } } });
    expect(parsed('v1.aXY.Y2lwaGVy.dGFn').success).toBe(true);
    expect(parsed('access_token=abc').error?.issues[0]?.message).toContain('sealed robot credentials');
  });

  it('wants the event types it names, or every one for *', () => {
    expect(webhookWants(['OrderPlaced'], 'OrderPlaced')).toBe(true);
    expect(webhookWants(['OrderPlaced'], 'OrderApproved')).toBe(false);
    expect(webhookWants(['*'], 'StockReceived')).toBe(true);
  });

  it('registers an audience with each list sorted and without repeats, an empty list left out', () => {
    const command = register();
    given(webhookDecider)()
      .when({ ...command, data: { ...command.data, audience: { partnerIds: ['p-2', 'p-1', 'p-2'], regions: [] } } } as WebhookCommand)
      .then({ ...registered(), data: { ...registered().data, audience: { partnerIds: ['p-1', 'p-2'] } } } as WebhookEvent);
  });

  it('refuses an audience that names nobody, saying what to do instead', () => {
    const parse = (audience: unknown) =>
      RegisterWebhook.safeParse({
        type: 'RegisterWebhook',
        data: { webhookId, url: 'https://erp.example.com/h', eventTypes: ['*'], audience, registeredAt: at },
      });
    expect(parse({}).error?.issues[0]).toMatchObject({ path: ['data', 'audience'], message: expect.stringContaining('at least one dealer') });
    expect(parse({ partnerIds: [], regions: [] }).success).toBe(false);
    expect(parse({ regions: ['north'] }).success).toBe(true);
    expect(parse({ partnerIds: ['no such id!'] }).error?.issues[0]?.path).toEqual(['data', 'audience', 'partnerIds', 0]);
  });

  it('reads whom an event is about from its data, and a notification from whom it is addressed to', () => {
    expect(eventSubject('OrderPlaced', { orderId: 'SO-1', partnerId: 'p-1', region: 'north' })).toEqual({ partnerId: 'p-1', region: 'north' });
    expect(eventSubject('OrderApproved', { orderId: 'SO-1' })).toEqual({ partnerId: undefined, region: undefined });
    const raised = (audience: object) => ({ notificationId: 'n-1', topic: 'backorder_filled', audience, partnerId: 'ignored' });
    expect(eventSubject('NotificationRaised', raised({ kind: 'dealer', partnerId: 'p-1' }))).toEqual({ partnerId: 'p-1' });
    // Addressed to the sales team: about a region, never about a dealer (its text is for the manufacturer's people).
    expect(eventSubject('NotificationRaised', raised({ kind: 'role', role: 'sales', region: 'north' }))).toEqual({ region: 'north' });
    expect(eventSubject('NotificationRaised', raised({ kind: 'role', role: 'sales' }))).toEqual({ region: undefined });
  });

  it('sends an event to an audience only when its dealer or its region is named there; without an audience, always', () => {
    const id = fc.constantFrom('p-1', 'p-2', 'p-3', 'north', 'south', 'east');
    const list = fc.option(fc.uniqueArray(id, { maxLength: 4 }), { nil: undefined });
    const audience = fc.option(
      fc.record({ partnerIds: list, regions: list }).filter((a) => (a.partnerIds?.length ?? 0) + (a.regions?.length ?? 0) > 0),
      { nil: undefined },
    );
    const subject = fc.record({ partnerId: fc.option(id, { nil: undefined }), region: fc.option(id, { nil: undefined }) });
    fc.assert(
      fc.property(audience, subject, (a: WebhookAudience | undefined, s) => {
        const wanted = audienceWants(a, s);
        if (!a) return wanted;
        const partnerNamed = s.partnerId !== undefined && (a.partnerIds ?? []).includes(s.partnerId);
        const regionNamed = s.region !== undefined && (a.regions ?? []).includes(s.region);
        // Never an event about a dealer the audience excludes, in a region it excludes; nothing that names neither.
        if (!partnerNamed && !regionNamed) return !wanted;
        return wanted;
      }),
    );
  });
});
