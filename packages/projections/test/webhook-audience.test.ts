import { randomUUID } from 'node:crypto';
import { CommandBus, type DmsCommand } from '@dms/app';
import type { Actor, WebhookAudience } from '@dms/domain';
import { type Database, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWebhooks, notificationsReactor, ordersProjection, ProjectionRunner, partnersProjection, webhookOutbox } from '../src';
import { ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const system: Actor = { id: 'system', role: 'system' };
const t = '2026-11-01T10:00:00Z';

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`webhook audiences on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: DmsCommand, actor: Actor = admin) => ok(await bus.execute(command, { commandId: randomUUID(), actor }));
    /** What the outbox queued for a webhook: each event's type and what it is about. */
    const queued = async (webhookId: string) =>
      (
        await sql<{ event_type: string; about: string }>`
        select event_type, coalesce(payload->'data'->>'orderId', (payload->'data'->>'topic') || ' ' || (payload->'data'->'subject'->>'streamId'), stream_id) as about
        from webhook_deliveries where webhook_id = ${webhookId} order by position`.execute(runner.db)
      ).rows.map((r) => `${r.event_type} ${r.about}`);
    const register = (webhookId: string, eventTypes: string[], audience?: WebhookAudience) =>
      run({
        type: 'RegisterWebhook',
        data: { webhookId, url: `https://hooks.example.com/${webhookId}`, eventTypes, ...(audience ? { audience } : {}), registeredAt: t },
      });
    const onboard = (partnerId: string, region: string) =>
      run({
        type: 'OnboardPartner',
        data: { partnerId, name: partnerId, region, tier: 'gold', creditLimit: { amountMinor: 100, currency: 'EUR' }, contacts: [], onboardedAt: t },
      });
    const queueForReview = async (orderId: string, partnerId: string) => {
      ok(await bus.placeOrder({ orderId, partnerId, lines: [{ sku: 'PUMP', quantity: 2 }], placedAt: t }, { commandId: randomUUID(), actor: admin }));
      await run(
        { type: 'QueueOrderForReview', data: { orderId, reasons: [{ code: 'OVER_CREDIT_LIMIT', message: 'Over the credit limit.' }], queuedAt: t } },
        system,
      );
    };
    /** A notification for a dealer, as the notifications process manager raises one when its backorder is filled. */
    const backorderFilled = (orderId: string, partnerId: string) =>
      run(
        {
          type: 'RaiseNotification',
          data: {
            notificationId: `bf-${orderId}`,
            topic: 'backorder_filled',
            audience: { kind: 'dealer', partnerId },
            title: { 'zh-CN': `订单 ${orderId} 的缺货已补`, en: `Backorder filled on order ${orderId}` },
            subject: { streamId: `order-${orderId}`, link: `/portal/orders/${orderId}` },
            raisedAt: t,
          },
        },
        system,
      );

    beforeAll(async () => {
      ({ database, teardown } = await open());
      const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [ordersProjection, partnersProjection, webhookOutbox, notificationsReactor(bus)]);
      await run({
        type: 'RegisterProduct',
        data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 10_000, currency: 'EUR' }, registeredAt: t },
      });
      await onboard('acme', 'north');
      await onboard('boreal', 'south');
      // Registered after the dealers were onboarded: the outbox knows their regions from the events it saw before.
      await register('sales-north', ['NotificationRaised'], { regions: ['north'] });
      await register('dealer-acme', ['NotificationRaised', 'OrderPlaced', 'OrderApproved', 'OrderRejected'], { partnerIds: ['acme'] });
      await register('erp', ['NotificationRaised', 'OrderApproved']);
      await queueForReview('SO-N', 'acme');
      await queueForReview('SO-S', 'boreal');
      await runner.catchUp();
      // The process manager raised the notifications in the catch-up above; the outbox takes them in the next.
      await runner.catchUp();
      await run({ type: 'ApproveOrder', data: { orderId: 'SO-N', approvedAt: t } });
      await run({ type: 'RejectOrder', data: { orderId: 'SO-S', reason: 'no credit', rejectedAt: t } });
      await backorderFilled('SO-N', 'acme');
      await backorderFilled('SO-S', 'boreal');
      await runner.catchUp();
    });
    afterAll(async () => {
      await teardown?.();
    });

    it("sends a region's robot the notifications about its region and not another's", async () => {
      expect(await queued('sales-north')).toEqual([
        'NotificationRaised order_waiting_for_review order-SO-N',
        // The dealer's own notification is about a north dealer too: the region's team may see it.
        'NotificationRaised backorder_filled order-SO-N',
      ]);
    });

    it("sends a dealer's integration its own orders and notifications only, its order's later events included", async () => {
      expect(await queued('dealer-acme')).toEqual(['OrderPlaced SO-N', 'OrderApproved SO-N', 'NotificationRaised backorder_filled order-SO-N']);
    });

    it('sends a webhook without an audience everything it subscribed to, as before', async () => {
      expect(await queued('erp')).toHaveLength(5);
    });

    it('lists each webhook with whom it is for', async () => {
      const views = await listWebhooks(runner.db);
      expect(Object.fromEntries(views.map((v) => [v.webhookId, v.audience]))).toEqual({
        'dealer-acme': { partnerIds: ['acme'], regions: [] },
        erp: null,
        'sales-north': { partnerIds: [], regions: ['north'] },
      });
    });

    it('learns, on an upgrade, the orders and dealers it saw before from the read models', async () => {
      await sql`delete from webhook_stream_partners`.execute(runner.db);
      await sql`delete from webhook_partner_regions`.execute(runner.db);
      await webhookOutbox.createTables(runner.db);
      const streams = await sql<{ stream_id: string; partner_id: string }>`select * from webhook_stream_partners order by stream_id`.execute(runner.db);
      expect(streams.rows).toEqual([
        { stream_id: 'order-SO-N', partner_id: 'acme' },
        { stream_id: 'order-SO-S', partner_id: 'boreal' },
      ]);
      const regions = await sql<{ partner_id: string; region: string }>`select * from webhook_partner_regions order by partner_id`.execute(runner.db);
      expect(regions.rows).toEqual([
        { partner_id: 'acme', region: 'north' },
        { partner_id: 'boreal', region: 'south' },
      ]);
    });
  });

await onEveryDatabase('webhook-audience', suite);
