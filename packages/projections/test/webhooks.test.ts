import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandBus, type DmsCommand } from '@dms/app';
import type { Actor } from '@dms/domain';
import { type Database, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProjectionRunner, signatureHeader, WebhookDispatcher, webhookOutbox, webhookSecret, webhookSigningKey } from '../src';
import { ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = () => ({ commandId: randomUUID(), actor: admin });
const t = '2026-11-01T10:00:00Z';
const onboard = (partnerId: string): DmsCommand => ({
  type: 'OnboardPartner',
  data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: { amountMinor: 1_000_00, currency: 'EUR' }, contacts: [], onboardedAt: t },
});

/** A subscriber on this machine: records what it receives and answers with the statuses queued for it. */
const subscriber = async () => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/dms`;
  return { url, received, answers, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`webhooks on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    let hook: Awaited<ReturnType<typeof subscriber>>;
    let key: string;
    // Ahead of the real clock, which stamps the events (and so when their deliveries are first due).
    let clock = new Date(Date.now() + 10 * 60_000);
    let dispatcher: WebhookDispatcher;
    const run = async (command: DmsCommand) => ok(await bus.execute(command, ctx()));
    const deliveries = async () =>
      (
        await sql<{ event_type: string; status: string; attempts: number; last_error: string | null }>`
        select event_type, status, attempts, last_error from webhook_deliveries order by position, webhook_id`.execute(runner.db)
      ).rows;

    beforeAll(async () => {
      ({ database, teardown } = await open());
      const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [webhookOutbox]);
      hook = await subscriber();
      key = await webhookSigningKey(runner.db, {});
      dispatcher = new WebhookDispatcher(runner.db, { signingKey: key, now: () => clock, backoffMs: (n) => n * 60_000, maxAttempts: 3 });
    });
    afterAll(async () => {
      await hook?.close();
      await teardown?.();
    });
    beforeEach(() => {
      hook.received.length = 0;
    });

    it('delivers each wanted event after registration once, signed with the webhook secret', async () => {
      await run(onboard('before'));
      await run({ type: 'RegisterWebhook', data: { webhookId: 'erp', url: hook.url, eventTypes: ['PartnerOnboarded', 'PartnerSuspended'], registeredAt: t } });
      await run(onboard('acme'));
      await run({ type: 'SuspendPartner', data: { partnerId: 'acme', reason: 'overdue', suspendedAt: t } });
      await run({ type: 'ChangePartnerTier', data: { partnerId: 'before', tier: 'silver', changedAt: t } });
      await runner.catchUp();
      await runner.catchUp();
      expect(await deliveries()).toEqual([
        { event_type: 'PartnerOnboarded', status: 'pending', attempts: 0, last_error: null },
        { event_type: 'PartnerSuspended', status: 'pending', attempts: 0, last_error: null },
      ]);

      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 2, delivered: 2, retrying: 0, failed: 0 });
      expect(hook.received.map((r) => JSON.parse(r.body).type).sort()).toEqual(['PartnerOnboarded', 'PartnerSuspended']);
      const first = hook.received.find((r) => JSON.parse(r.body).type === 'PartnerOnboarded')!;
      const body = JSON.parse(first.body);
      expect(body).toMatchObject({ streamId: 'partner-acme', streamVersion: 0, data: { partnerId: 'acme' }, actor: admin });
      expect(first.headers).toMatchObject({
        'content-type': 'application/json',
        'dms-webhook-id': 'erp',
        'dms-event-id': body.id,
        'dms-delivery-attempt': '1',
      });
      // What a subscriber does: recompute the signature with the secret it was given.
      const secret = webhookSecret(key, 'erp', 1);
      const stamp = Math.floor(clock.getTime() / 1000);
      expect(first.headers['dms-signature']).toBe(signatureHeader(secret, first.body, stamp));
      expect(first.headers['dms-signature']).toBe(`t=${stamp},v1=${createHmac('sha256', secret).update(`${stamp}.${first.body}`).digest('hex')}`);
      expect((await deliveries()).every((d) => d.status === 'delivered')).toBe(true);
      expect(await dispatcher.dispatchDue()).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    });

    it('retries a failing subscriber with backoff, then gives up and records why', async () => {
      await run(onboard('bolt'));
      await runner.catchUp();
      hook.answers.push(500, 503);
      expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 1, retrying: 1 });
      // Not due again before its backoff (1 minute after the first failure).
      expect((await dispatcher.dispatchDue()).attempted).toBe(0);
      clock = new Date(clock.getTime() + 61_000);
      expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 1, retrying: 1 });
      clock = new Date(clock.getTime() + 121_000);
      hook.answers.push(500);
      expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 1, failed: 1 });
      expect((await deliveries()).at(-1)).toEqual({ event_type: 'PartnerOnboarded', status: 'failed', attempts: 3, last_error: 'HTTP 500' });
      expect(hook.received.map((r) => r.headers['dms-delivery-attempt'])).toEqual(['1', '2', '3']);
    });

    it('holds deliveries while paused, sends them on resume with a rotated secret, and cancels them on removal', async () => {
      await run({ type: 'PauseWebhook', data: { webhookId: 'erp', reason: 'ERP upgrade', pausedAt: t } });
      await run(onboard('crux'));
      await runner.catchUp();
      expect((await dispatcher.dispatchDue()).attempted).toBe(0);
      await run({ type: 'RotateWebhookSecret', data: { webhookId: 'erp', rotatedAt: t } });
      await run({ type: 'ResumeWebhook', data: { webhookId: 'erp', resumedAt: t } });
      await runner.catchUp();
      expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 1, delivered: 1 });
      const sent = hook.received[0]!;
      expect(sent.headers['dms-signature']).toBe(signatureHeader(webhookSecret(key, 'erp', 2), sent.body, Math.floor(clock.getTime() / 1000)));

      await run({ type: 'PauseWebhook', data: { webhookId: 'erp', reason: 'moving', pausedAt: t } });
      await run(onboard('dune'));
      await run({ type: 'RemoveWebhook', data: { webhookId: 'erp', reason: 'replaced by the new ERP', removedAt: t } });
      await run(onboard('echo'));
      await runner.catchUp();
      expect((await deliveries()).at(-1)).toEqual({ event_type: 'PartnerOnboarded', status: 'cancelled', attempts: 0, last_error: 'webhook removed' });
      expect((await deliveries()).filter((d) => d.status === 'pending')).toEqual([]);
    });

    it('sends again what a worker claimed but never finished, once its lease is over', async () => {
      await run({ type: 'RegisterWebhook', data: { webhookId: 'bi', url: hook.url, eventTypes: ['*'], registeredAt: t } });
      await run(onboard('fox'));
      await runner.catchUp();
      // A worker that claims and dies: its fetch never returns.
      const dying = new WebhookDispatcher(runner.db, { signingKey: key, now: () => clock, leaseMs: 30_000, fetch: () => new Promise(() => {}) });
      void dying.dispatchDue();
      await new Promise((r) => setTimeout(r, 200));
      expect((await dispatcher.dispatchDue()).attempted).toBe(0);
      clock = new Date(clock.getTime() + 31_000);
      // `*` wants every event, its own registration included.
      expect(await dispatcher.dispatchDue()).toMatchObject({ attempted: 2, delivered: 2 });
      expect(hook.received.map((r) => [JSON.parse(r.body).type, r.headers['dms-delivery-attempt']]).sort()).toEqual([
        ['PartnerOnboarded', '2'],
        ['WebhookRegistered', '2'],
      ]);
    });

    it('is resumed, never rebuilt: a replay would send everything again', async () => {
      await expect(runner.rebuild('webhook_outbox')).rejects.toThrow('never rebuilt or replayed');
      await expect(runner.verify('webhook_outbox')).rejects.toThrow('never rebuilt or replayed');
      expect(webhookSecret(key, 'erp', 1)).not.toBe(webhookSecret(key, 'erp', 2));
      expect(await webhookSigningKey(runner.db, {})).toBe(key);
      await expect(webhookSigningKey(runner.db, { DMS_WEBHOOK_KEY: 'short' })).rejects.toThrow('at least 32 characters');
    });
  });

await onEveryDatabase('webhooks', suite);
