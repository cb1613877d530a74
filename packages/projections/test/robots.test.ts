import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandBus, type DmsCommand } from '@dms/app';
import type { Actor, RobotSettings } from '@dms/domain';
import { type Database, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  notificationsReactor,
  ProjectionRunner,
  type RobotCredentials,
  robotCredentialsFingerprint,
  sealRobotCredentials,
  splitRobotUrl,
  WebhookDispatcher,
  webhookOutbox,
  webhookSigningKey,
} from '../src';
import { ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const system: Actor = { id: 'system', role: 'system' };
const t = '2026-11-01T10:00:00Z';

type Answer = { errcode: number; errmsg: string };
interface Received {
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly answer: Answer;
}

/** Serves POSTs with `check(query, body)`: what the platform answers (after any answers queued by the test). */
const platform = async (check: (query: URLSearchParams, body: Record<string, unknown>) => Answer) => {
  const received: Received[] = [];
  const queued: Answer[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const query = new URL(req.url ?? '/', 'http://platform').searchParams;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {}
      const verdict = check(query, body);
      const answer = verdict.errcode === 0 ? (queued.shift() ?? verdict) : verdict;
      received.push({ query, body, answer });
      // Both platforms answer 200 whatever happened, saying what happened in the body.
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, queued, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/**
 * DingTalk's custom robot with 加签 (signing): the access token must be one it issued, the timestamp within an hour of its
 * clock, and `sign` the base64 HMAC-SHA256 of "timestamp\nsecret" under the secret (percent-decoded from the query).
 */
const dingtalkRobot = (accessToken: string, secret: string, now: () => Date) =>
  platform((query, body) => {
    if (query.get('access_token') !== accessToken) return { errcode: 300001, errmsg: 'token is not exist' };
    const timestamp = Number(query.get('timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(now().getTime() - timestamp) > 3600_000)
      return { errcode: 310000, errmsg: 'invalid timestamp, more: [https://open.dingtalk.com/document/robots/customize-robot-security-settings]' };
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    if (query.get('sign') !== expected) return { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' };
    if (body.msgtype === 'actionCard') {
      // A whole-card ActionCard: title, markdown text, one button (singleTitle, singleURL).
      const card = body.actionCard as Record<string, unknown> | undefined;
      const fields = ['title', 'text', 'singleTitle', 'singleURL'];
      if (!card || fields.some((f) => typeof card[f] !== 'string' || card[f] === '')) return { errcode: 40035, errmsg: '缺少参数 json' };
      return { errcode: 0, errmsg: 'ok' };
    }
    const markdown = body.markdown as { title?: unknown; text?: unknown } | undefined;
    if (body.msgtype !== 'markdown' || typeof markdown?.title !== 'string' || typeof markdown.text !== 'string')
      return { errcode: 40035, errmsg: '缺少参数 json' };
    return { errcode: 0, errmsg: 'ok' };
  });

/**
 * A WeCom group robot: the key in the address is the only credential; markdown content at most 4096 bytes; a text-notice
 * template card needs a main title or second-level text, and a card action of type 1 (open a URL) with its URL.
 */
const wecomRobot = (key: string) =>
  platform((query, body) => {
    if (query.get('key') !== key)
      return { errcode: 93000, errmsg: 'invalid webhook url, hint: [1733211000_1], more info at https://open.work.weixin.qq.com/devtool/query?e=93000' };
    if (body.msgtype === 'template_card') {
      const card = body.template_card as
        | { card_type?: unknown; main_title?: { title?: unknown }; sub_title_text?: unknown; card_action?: { type?: unknown; url?: unknown } }
        | undefined;
      if (card?.card_type !== 'text_notice') return { errcode: 40008, errmsg: 'invalid message type' };
      if (typeof card.main_title?.title !== 'string' && typeof card.sub_title_text !== 'string')
        return { errcode: 40058, errmsg: 'template_card.main_title.title or sub_title_text required' };
      if (card.card_action?.type !== 1 || typeof card.card_action.url !== 'string') return { errcode: 40058, errmsg: 'template_card.card_action.url required' };
      return { errcode: 0, errmsg: 'ok' };
    }
    const markdown = body.markdown as { content?: unknown } | undefined;
    if (body.msgtype !== 'markdown' || typeof markdown?.content !== 'string') return { errcode: 40008, errmsg: 'invalid message type' };
    if (Buffer.byteLength(markdown.content) > 4096) return { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' };
    return { errcode: 0, errmsg: 'ok' };
  });

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`DingTalk and WeCom robots on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    let key: string;
    // Ahead of the real clock, which stamps the events (and so when their deliveries are first due).
    let clock = new Date(Date.now() + 10 * 60_000);
    let dispatcher: WebhookDispatcher;
    let ding: Awaited<ReturnType<typeof platform>>;
    let wecom: Awaited<ReturnType<typeof platform>>;
    const run = async (command: DmsCommand, actor: Actor = admin) => ok(await bus.execute(command, { commandId: randomUUID(), actor }));
    const deliveries = async (webhookId: string) =>
      (
        await sql<{ event_type: string; status: string; attempts: number; last_error: string | null }>`
        select event_type, status, attempts, last_error from webhook_deliveries where webhook_id = ${webhookId} order by position`.execute(runner.db)
      ).rows;
    /** What an admin does through `POST /webhooks` or `dms webhooks create`: the robot's address as the platform shows it. */
    const registerRobot = async (
      webhookId: string,
      kind: 'dingtalk' | 'wecom',
      url: string,
      secret: string | undefined,
      language: 'zh-CN' | 'en',
      eventTypes = ['OrderQueuedForReview', 'OrderRejected'],
      format?: 'card',
    ) => {
      const split = splitRobotUrl(kind, url, secret);
      if ('error' in split) throw new Error(split.error);
      const robot: RobotSettings = {
        credentials: sealRobotCredentials(key, webhookId, split.credentials),
        credentialsFingerprint: robotCredentialsFingerprint(split.credentials as RobotCredentials),
        language,
        consoleUrl: 'https://dms.example.com/',
        ...(format ? { format } : {}),
      };
      await run({
        type: 'RegisterWebhook',
        data: { webhookId, url: split.url, eventTypes, kind, robot, registeredAt: t },
      });
    };
    const queueForReview = async (orderId: string) => {
      ok(await bus.placeOrder({ orderId, partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 2 }], placedAt: t }, { commandId: randomUUID(), actor: admin }));
      await run(
        {
          type: 'QueueOrderForReview',
          data: { orderId, reasons: [{ code: 'OVER_CREDIT_LIMIT', message: 'Over the credit limit by EUR 120.00.' }], queuedAt: t },
        },
        system,
      );
      await runner.catchUp();
    };

    beforeAll(async () => {
      ({ database, teardown } = await open());
      const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      // With the notifications process manager, whose NotificationRaised a robot may be subscribed to (the last test).
      runner = await ProjectionRunner.create(database.db, store, [webhookOutbox, notificationsReactor(bus)]);
      key = await webhookSigningKey(runner.db, {});
      dispatcher = new WebhookDispatcher(runner.db, { signingKey: key, now: () => clock, backoffMs: (n) => n * 60_000, maxAttempts: 5 });
      ding = await dingtalkRobot('ding-token-1', 'SECc0ffee', () => clock);
      wecom = await wecomRobot('5f1c2b9a-0000-4000-8000-00000000wcom');
      await run({
        type: 'RegisterProduct',
        data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 10_000, currency: 'EUR' }, registeredAt: t },
      });
      await run({
        type: 'OnboardPartner',
        data: {
          partnerId: 'acme',
          name: 'ACME',
          region: 'north',
          tier: 'gold',
          creditLimit: { amountMinor: 100, currency: 'EUR' },
          contacts: [],
          onboardedAt: t,
        },
      });
      await registerRobot('sales-north', 'dingtalk', `${ding.base}/robot/send?access_token=ding-token-1`, 'SECc0ffee', 'zh-CN');
      await registerRobot('ops-wecom', 'wecom', `${wecom.base}/cgi-bin/webhook/send?key=5f1c2b9a-0000-4000-8000-00000000wcom`, undefined, 'en');
    });
    afterAll(async () => {
      await ding?.close();
      await wecom?.close();
      await teardown?.();
    });
    beforeEach(() => {
      ding.received.length = 0;
      wecom.received.length = 0;
    });

    it('posts an order waiting for review to both robots, signed and addressed as each platform checks, linking back to the order', async () => {
      await queueForReview('SO-1');
      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 2, delivered: 2, retrying: 0, failed: 0 });

      const [d] = ding.received;
      expect(d!.answer).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(d!.query.get('timestamp')).toBe(String(clock.getTime()));
      expect(d!.body).toEqual({ msgtype: 'markdown', markdown: { title: 'DMS 订单 SO-1 等待人工审核', text: expect.any(String) } });
      const text = (d!.body.markdown as { text: string }).text;
      expect(text).toContain('原因:Over the credit limit by EUR 120.00.');
      expect(text).toContain('[在 DMS 控制台查看](https://dms.example.com/console/orders/SO-1)');

      const [w] = wecom.received;
      expect(w!.answer).toEqual({ errcode: 0, errmsg: 'ok' });
      const content = (w!.body.markdown as { content: string }).content;
      expect(content.split('\n')[0]).toBe('### DMS Order SO-1 is waiting for review');
      expect(content).toContain('[Open in the DMS console](https://dms.example.com/console/orders/SO-1)');
      // The credentials never reach the read models in the clear.
      const stored = JSON.stringify((await sql`select url, robot from webhooks`.execute(runner.db)).rows);
      expect(stored).not.toContain('ding-token-1');
      expect(stored).not.toContain('SECc0ffee');
      expect(stored).not.toContain('00000000wcom');
    });

    it("retries a platform's rate-limit answer with backoff, and delivers when it lets the message through", async () => {
      ding.queued.push({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
      wecom.queued.push({ errcode: 45009, errmsg: 'api freq out of limit' });
      await queueForReview('SO-2');
      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 2, delivered: 0, retrying: 2, failed: 0 });
      expect((await deliveries('sales-north')).at(-1)).toEqual({
        event_type: 'OrderQueuedForReview',
        status: 'pending',
        attempts: 1,
        last_error: 'dingtalk errcode 130101: send too fast, exceed 20 times per minute',
      });
      expect((await deliveries('ops-wecom')).at(-1)?.last_error).toBe('wecom errcode 45009: api freq out of limit');
      // Not again before its backoff.
      expect((await dispatcher.dispatchDue()).attempted).toBe(0);
      clock = new Date(clock.getTime() + 61_000);
      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 2, delivered: 2, retrying: 0, failed: 0 });
      // Each attempt signed afresh with the time it was sent.
      expect(ding.received.map((r) => r.query.get('timestamp'))).toEqual([String(clock.getTime() - 61_000), String(clock.getTime())]);
    });

    it('records a message a platform rejects (wrong secret, unknown key) as failed at once, without retrying it', async () => {
      await registerRobot('wrong-secret', 'dingtalk', `${ding.base}/robot/send?access_token=ding-token-1`, 'SECnot-the-one', 'en');
      await registerRobot('old-key', 'wecom', `${wecom.base}/cgi-bin/webhook/send?key=revoked`, undefined, 'zh-CN');
      await queueForReview('SO-3');
      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 4, delivered: 2, retrying: 0, failed: 2 });
      expect(await deliveries('wrong-secret')).toEqual([
        { event_type: 'OrderQueuedForReview', status: 'failed', attempts: 1, last_error: expect.stringMatching(/^dingtalk errcode 310000: sign not match/) },
      ]);
      expect(await deliveries('old-key')).toEqual([
        { event_type: 'OrderQueuedForReview', status: 'failed', attempts: 1, last_error: expect.stringMatching(/^wecom errcode 93000: invalid webhook url/) },
      ]);
      clock = new Date(clock.getTime() + 24 * 3600_000);
      expect((await dispatcher.dispatchDue()).attempted).toBe(0);
      await run({ type: 'RemoveWebhook', data: { webhookId: 'wrong-secret', reason: 'test done', removedAt: t } });
      await run({ type: 'RemoveWebhook', data: { webhookId: 'old-key', reason: 'test done', removedAt: t } });
    });

    it('never lets text typed into DMS put a link or a tag of its own into a group', async () => {
      ok(
        await bus.placeOrder(
          { orderId: 'SO-4', partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 1 }], placedAt: t },
          { commandId: randomUUID(), actor: admin },
        ),
      );
      await run({ type: 'RejectOrder', data: { orderId: 'SO-4', reason: 'see [here](https://evil.example) <font color="warning">now</font>', rejectedAt: t } });
      await runner.catchUp();
      expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 2, delivered: 2 });
      const all = [
        ...ding.received.map((r) => (r.body.markdown as { text: string }).text),
        ...wecom.received.map((r) => (r.body.markdown as { content: string }).content),
      ];
      for (const text of all) {
        expect(text).not.toContain('](https://evil.example)');
        expect(text).not.toContain('<font');
        expect(text).toContain('see ［here］(https://evil.example) ＜font color="warning"＞now＜/font＞');
      }
    });

    it('posts a notification to a robot subscribed to NotificationRaised: signed, once, linking to what it is about', async () => {
      await registerRobot('notify-north', 'dingtalk', `${ding.base}/robot/send?access_token=ding-token-1`, 'SECc0ffee', 'en', ['NotificationRaised']);
      await queueForReview('SO-5');
      // The process manager raised the notification in the catch-up above; the outbox takes it in the next.
      await runner.catchUp();
      await runner.catchUp();
      expect(await deliveries('notify-north')).toEqual([{ event_type: 'NotificationRaised', status: 'pending', attempts: 0, last_error: null }]);
      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 3, delivered: 3, retrying: 0, failed: 0 });
      const notified = ding.received.filter((r) => (r.body.markdown as { title: string }).title.startsWith('DMS Notification:'));
      expect(notified).toHaveLength(1);
      expect(notified[0]!.answer).toEqual({ errcode: 0, errmsg: 'ok' });
      expect((notified[0]!.body.markdown as { title: string }).title).toContain('SO-5');
      const text = (notified[0]!.body.markdown as { text: string }).text;
      expect(text).toContain('For: sales · north');
      expect(text).toContain('[Open in the DMS console](https://dms.example.com/console/orders/SO-5)');
      // Caught up again and dispatched again: nothing raised or sent twice.
      await runner.catchUp();
      expect(await deliveries('notify-north')).toHaveLength(1);
      expect((await dispatcher.dispatchDue()).attempted).toBe(0);
    });

    it('posts cards whose button opens the console to robots registered for cards: a DingTalk ActionCard, a WeCom template card', async () => {
      const wecomUrl = `${wecom.base}/cgi-bin/webhook/send?key=5f1c2b9a-0000-4000-8000-00000000wcom`;
      await registerRobot('card-ding', 'dingtalk', `${ding.base}/robot/send?access_token=ding-token-1`, 'SECc0ffee', 'en', ['OrderQueuedForReview'], 'card');
      await registerRobot('card-wecom', 'wecom', wecomUrl, undefined, 'zh-CN', ['OrderQueuedForReview'], 'card');
      await queueForReview('SO-6');
      await dispatcher.dispatchDue();
      const link = 'https://dms.example.com/console/orders/SO-6';
      const cards = ding.received.filter((r) => r.body.msgtype === 'actionCard');
      expect(cards).toHaveLength(1);
      expect(cards[0]!.answer).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(cards[0]!.body).toEqual({
        msgtype: 'actionCard',
        actionCard: {
          title: 'DMS Order SO-6 is waiting for review',
          text: '### DMS Order SO-6 is waiting for review\n\n- Reason: Over the credit limit by EUR 120.00.',
          singleTitle: 'Open in the DMS console',
          singleURL: link,
        },
      });
      const templates = wecom.received.filter((r) => r.body.msgtype === 'template_card');
      expect(templates).toHaveLength(1);
      expect(templates[0]!.answer).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(templates[0]!.body).toEqual({
        msgtype: 'template_card',
        template_card: {
          card_type: 'text_notice',
          main_title: { title: 'DMS 订单 SO-6 等待人工审核' },
          sub_title_text: '原因:Over the credit limit by EUR 120.00.',
          jump_list: [{ type: 1, title: '在 DMS 控制台查看', url: link }],
          card_action: { type: 1, url: link },
        },
      });
      for (const webhookId of ['card-ding', 'card-wecom'])
        expect(await deliveries(webhookId)).toEqual([{ event_type: 'OrderQueuedForReview', status: 'delivered', attempts: 1, last_error: null }]);
      // The robots registered for markdown still get markdown.
      expect(ding.received.filter((r) => r.body.msgtype === 'markdown').length).toBeGreaterThan(0);
    });
  });

await onEveryDatabase('robots', suite);
