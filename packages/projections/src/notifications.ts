import type { CommandBus } from '@dms/app';
import {
  aggregates,
  agreementExpiringNotification,
  type Contact,
  NOTIFYING_EVENT_TYPES,
  type NotificationContext,
  type NotificationEvent,
  notificationsFor,
  orderStream,
  overdueActionNotification,
  overdueInvoiceNotifications,
  partnerStream,
  type RaiseNotificationData,
  type ResourceState,
} from '@dms/domain';
import { evolveRecorded, loadAggregate, type RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import type { Projection } from './projection';
import { orderDunning } from './queries/dunning';
import { openInvoices } from './queries/kpis/receivables';
import type { Logger } from './runner';
import type { ReadModels } from './schema';

/** The inbox read model: notifications and who has read them, from `notification-<id>` events. Replayable. */
export const notificationsProjection: Projection = {
  name: 'notifications',
  // 2: the `dealers` audience (a resource's targeting: target_tiers, target_regions, target_partners).
  version: 2,
  eventTypes: ['NotificationRaised', 'NotificationRead'],
  tables: ['notifications', 'notification_reads'],
  async createTables(db) {
    let t = db.schema
      .createTable('notifications')
      .ifNotExists()
      .addColumn('notification_id', 'text', (c) => c.primaryKey());
    for (const col of ['topic', 'audience_kind', 'title_zh', 'title_en', 'subject_stream', 'link', 'raised_at'])
      t = t.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['role', 'region', 'partner_id', 'label']) t = t.addColumn(col, 'text');
    for (const col of ['target_tiers', 'target_regions', 'target_partners']) t = t.addColumn(col, 'jsonb');
    await t.addColumn('position', 'numeric(20, 0)', (c) => c.notNull()).execute();
    await db.schema
      .createTable('notification_reads')
      .ifNotExists()
      .addColumn('notification_id', 'text', (c) => c.notNull())
      .addColumn('reader_id', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('notification_reads_pkey', ['notification_id', 'reader_id'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('notifications_partner_idx').ifNotExists().on('notifications').columns(['partner_id', 'position']).execute();
    await db.schema.createIndex('notifications_role_idx').ifNotExists().on('notifications').columns(['role', 'position']).execute();
    // A dealer's inbox: its own by the partner index, OR the resource notifications by this one (a BitmapOr), each of those
    // then tested against its tier and region; without it, every notification is (docs/notifications.md, bench/inbox.ts).
    await db.schema
      .createIndex('notifications_dealers_idx')
      .ifNotExists()
      .on('notifications')
      .column('position')
      .where(sql<boolean>`audience_kind = 'dealers'`)
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    for (const e of events) {
      const event = e as unknown as NotificationEvent;
      if (event.type === 'NotificationRaised') {
        const d = event.data;
        await db
          .insertInto('notifications')
          .values({
            notification_id: d.notificationId,
            topic: d.topic,
            audience_kind: d.audience.kind,
            role: d.audience.role ?? null,
            region: d.audience.region ?? null,
            partner_id: d.audience.partnerId ?? null,
            label: d.audience.label ?? null,
            target_tiers: d.audience.targeting ? JSON.stringify(d.audience.targeting.tiers) : null,
            target_regions: d.audience.targeting ? JSON.stringify(d.audience.targeting.regions) : null,
            target_partners: d.audience.targeting ? JSON.stringify(d.audience.targeting.partnerIds) : null,
            title_zh: d.title['zh-CN'],
            title_en: d.title.en,
            subject_stream: d.subject.streamId,
            link: d.subject.link,
            raised_at: d.raisedAt,
            position: e.globalPosition.toString(),
          })
          .onConflict((oc) => oc.column('notification_id').doNothing())
          .execute();
      } else {
        await db
          .insertInto('notification_reads')
          .values({ notification_id: event.data.notificationId, reader_id: event.data.readerId, read_at: event.data.readAt })
          .onConflict((oc) => oc.columns(['notification_id', 'reader_id']).doNothing())
          .execute();
      }
    }
  },
};

const raise = async (bus: CommandBus, data: RaiseNotificationData, commandId: string, causation: RecordedEvent | undefined, logger?: Logger) => {
  const result = await bus.execute(
    { type: 'RaiseNotification', data },
    {
      commandId,
      actor: { id: 'process:notifications', role: 'system' },
      ...(causation ? { causationId: causation.eventId, correlationId: causation.metadata.correlationId } : {}),
    },
  );
  // A command id that ran before is answered with what it wrote then (replayed): nothing raised now.
  if (result._tag === 'Right') return !result.right.replayed;
  // Raised already (by an earlier run): exactly once is the point.
  if (result.left.code !== 'NOTIFICATION_ALREADY_RAISED')
    logger?.warn('notification refused', { notificationId: data.notificationId, code: result.left.code, message: result.left.message });
  return false;
};

/**
 * The notifications process manager: for each event a rule reacts to, reads what the rule needs from the event store
 * (the order's dealer and region, the dealer's contacts; never a read model that may lag behind) and raises the
 * notifications with ids and command ids derived from the event, so that a redelivered event raises nothing twice.
 */
export const notificationsReactor = (bus: CommandBus, logger?: Logger): Projection => ({
  name: 'process_notifications',
  version: 1,
  eventTypes: [...NOTIFYING_EVENT_TYPES],
  tables: [],
  createTables: async () => {},
  apply: async () => {},
  react: async (events: readonly RecordedEvent[]) => {
    for (const event of events) {
      const d = event.data as { orderId?: string; partnerId?: string; fromBackorder?: boolean };
      if (event.type === 'StockReserved' && d.fromBackorder !== true) continue;
      const context: { -readonly [K in keyof NotificationContext]: NotificationContext[K] } = {};
      if (event.type === 'OrderQueuedForReview' && d.orderId) {
        const { state } = await loadAggregate(bus.store, aggregates.orders, orderStream(d.orderId));
        if (state.exists) context.order = { partnerId: state.partnerId, region: state.region };
      }
      if (event.type === 'ResourcePublished' || event.type === 'ResourceVersionAdded') {
        // The resource as of this event, not as of now: a later withdrawal or change of targeting does not alter what
        // this event told, and a replay raises the same notification.
        let state: ResourceState = aggregates.resources.decider.initialState;
        for await (const e of bus.store.readStream(event.streamId, { maxCount: event.streamVersion + 1 }))
          state = evolveRecorded(aggregates.resources, state, e);
        if (state.exists) context.resource = { title: state.title, targeting: state.targeting, status: state.status };
      }
      if (event.type === 'SettlementStatementApproved' && d.partnerId) {
        const { state } = await loadAggregate(bus.store, aggregates.partners, partnerStream(d.partnerId));
        if (state.exists) context.partner = { name: state.name, contacts: state.contacts };
      }
      const notifications = notificationsFor(
        { type: event.type, data: event.data, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId },
        context,
        event.recordedAt.toISOString(),
      );
      for (const [index, n] of notifications.entries()) await raise(bus, n, `notify:${event.eventId}:${index}`, event, logger);
    }
  },
});

/**
 * The rules that depend on the date, run once a day (and by `dms notifications due`): agreements in force whose last day
 * is within 30 days tell the channel managers; open improvement actions past their due date tell their owners; invoices
 * still owed past their due date remind their dealer (and the region's sales team) at their dunning level, by the levels
 * of the agreement governing the order (`orderDunning`) or the defaults.
 * Each notification's id is derived from the agreement and its last day, the action, or the invoice and its level, so
 * running this any number of times raises each once. Reads the agreements, performance and receivables read models as
 * they are, and each dunned dealer's contacts from its stream.
 */
export const raiseDueNotifications = async (
  bus: CommandBus,
  db: Kysely<ReadModels>,
  asOf: string,
  now: Date,
  logger?: Logger,
): Promise<{ raised: number; considered: number }> => {
  const at = now.toISOString();
  const agreements = await db
    .selectFrom('agreements as a')
    .leftJoin('partners as p', 'p.partner_id', 'a.partner_id')
    .select(['a.agreement_id', 'a.partner_id', 'a.expires_on', 'p.region'])
    .where('a.status', '=', 'active')
    .where('a.expires_on', 'is not', null)
    .execute();
  const actions = await db
    .selectFrom('improvement_actions')
    .select(['partner_id', 'period', 'action_id', 'title', 'owner_name', 'owner_party', 'due_on'])
    .where('status', 'in', ['open', 'in_progress'])
    .where('due_on', '<', asOf)
    .execute();
  const overdue = (await openInvoices(db, { asOf })).filter((i) => i.daysPastDue > 0);
  const contacts = new Map<string, readonly Contact[]>();
  for (const partnerId of new Set(overdue.map((i) => i.partnerId))) {
    const { state } = await loadAggregate(bus.store, aggregates.partners, partnerStream(partnerId));
    if (state.exists) contacts.set(partnerId, state.contacts);
  }
  const dunning = await orderDunning(
    db,
    overdue.map((i) => i.orderId),
  );
  const due = [
    // An invoice with instalments is reminded from its oldest instalment still owed.
    ...overdue.flatMap((i) =>
      overdueInvoiceNotifications({ ...i, dueOn: i.oldestDueOn, contacts: contacts.get(i.partnerId), levels: dunning.get(i.orderId)?.levels }, asOf, at),
    ),
    ...agreements.map((a) =>
      agreementExpiringNotification(
        { agreementId: a.agreement_id, partnerId: a.partner_id, expiresOn: String(a.expires_on), region: a.region ?? undefined },
        asOf,
        at,
      ),
    ),
    ...actions.map((a) =>
      overdueActionNotification(
        {
          partnerId: a.partner_id,
          period: a.period,
          actionId: a.action_id,
          title: a.title,
          owner: { name: a.owner_name, party: a.owner_party },
          dueOn: a.due_on,
        },
        asOf,
        at,
      ),
    ),
  ].filter((n) => n !== undefined);
  let raised = 0;
  for (const n of due) if (await raise(bus, n, `notify:${n.notificationId}`, undefined, logger)) raised += 1;
  return { raised, considered: due.length };
};
