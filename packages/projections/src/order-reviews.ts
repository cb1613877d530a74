import type { CreditEvent, OrderEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import type { CreditExposureTable, CreditReservationsTable } from './agreements-schema';
import { amongKeys, keysToRead, type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';

const EVENT_TYPES = ['OrderPlaced', 'OrderQueuedForReview', 'OrderApproved', 'OrderRejected', 'OrderCancelled', 'CreditReserved', 'CreditReleased'] as const;

const actorOf = (e: RecordedEvent) => `${e.metadata.actor.id} (${e.metadata.actor.role})`;

/**
 * `order_reviews`: how automated review treated every order, and the queue of orders waiting for a person, with every
 * reason. `credit_exposure`, `credit_reservations`: each dealer's credit in use, from its credit stream.
 */
export const orderReviewsProjection: Projection = {
  name: 'order_reviews',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: ['order_reviews', 'credit_exposure', 'credit_reservations'],
  async createTables(db) {
    await db.schema
      .createTable('order_reviews')
      .ifNotExists()
      .addColumn('order_id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'text', (c) => c.notNull())
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('automatic', 'boolean', (c) => c.notNull())
      .addColumn('reasons', 'jsonb', (c) => c.notNull())
      .addColumn('queued_at', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema
      .createTable('credit_exposure')
      .ifNotExists()
      .addColumn('partner_id', 'text', (c) => c.primaryKey())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('exposure_minor', 'bigint', (c) => c.notNull())
      .addColumn('limit_minor', 'bigint', (c) => c.notNull())
      .addColumn('orders_holding', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('credit_reservations')
      .ifNotExists()
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('reserved_minor', 'bigint', (c) => c.notNull())
      .addColumn('over_limit', 'boolean', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('credit_reservations_pkey', ['partner_id', 'order_id'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('order_reviews_status_idx').ifNotExists().on('order_reviews').columns(['status', 'placed_at']).execute();
    await db.schema.createIndex('order_reviews_partner_idx').ifNotExists().on('order_reviews').columns(['partner_id', 'placed_at']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    // No read for an order placed in the batch: its placement makes its row afresh (as the fold below does), as in `orders`.
    const orderIds = keysToRead(
      events.filter((e) => e.streamId.startsWith('order-')),
      (e) => e.streamId.slice('order-'.length),
      (e) => e.type === 'OrderPlaced',
    );
    const partnerIds = [...new Set(events.filter((e) => e.streamId.startsWith('credit-')).map((e) => e.streamId.slice('credit-'.length)))];
    const [reviews, exposures, reservations] = await Promise.all([
      orderIds.length ? db.selectFrom('order_reviews').selectAll().where(amongKeys('order_id', orderIds)).execute() : [],
      partnerIds.length ? db.selectFrom('credit_exposure').selectAll().where(amongKeys('partner_id', partnerIds)).execute() : [],
      partnerIds.length ? db.selectFrom('credit_reservations').selectAll().where(amongKeys('partner_id', partnerIds)).execute() : [],
    ]);
    const byOrder = new Map(reviews.map((r) => [r.order_id, r]));
    const byPartner = new Map(exposures.map((r) => [r.partner_id, r]));
    const held = new Map(reservations.map((r) => [`${r.partner_id}/${r.order_id}`, r]));
    const changedReviews = new Set<string>();
    const changedPartners = new Set<string>();
    const changedHolds = new Set<string>();

    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as OrderEvent | CreditEvent;
      if (event.type === 'CreditReserved' || event.type === 'CreditReleased') {
        const d = event.data;
        const key = `${d.partnerId}/${d.orderId}`;
        const at = event.type === 'CreditReserved' ? event.data.reservedAt : event.data.releasedAt;
        const hold: CreditReservationsTable = {
          partner_id: d.partnerId,
          order_id: d.orderId,
          reserved_minor: d.orderReserved.amountMinor,
          over_limit: event.type === 'CreditReserved' ? event.data.overLimit : (held.get(key)?.over_limit ?? false),
          updated_at: at,
        };
        held.set(key, hold);
        changedHolds.add(key);
        const previous = byPartner.get(d.partnerId);
        const exposure: CreditExposureTable = {
          partner_id: d.partnerId,
          currency: d.exposure.currency,
          exposure_minor: d.exposure.amountMinor,
          limit_minor: event.type === 'CreditReserved' ? event.data.limit.amountMinor : Number(previous?.limit_minor ?? 0),
          orders_holding: [...held.values()].filter((h) => h.partner_id === d.partnerId && Number(h.reserved_minor) > 0).length,
          updated_at: at,
        };
        byPartner.set(d.partnerId, exposure);
        changedPartners.add(d.partnerId);
        continue;
      }
      const orderId = recorded.streamId.slice('order-'.length);
      let review = byOrder.get(orderId);
      if (event.type === 'OrderPlaced') {
        const d = event.data;
        review = {
          order_id: d.orderId,
          partner_id: d.partnerId,
          region: d.region,
          placed_at: d.placedAt,
          total_minor: d.total.amountMinor,
          currency: d.currency,
          status: 'pending',
          automatic: false,
          reasons: [],
          queued_at: null,
          decided_at: null,
          decided_by: null,
          note: null,
        };
      }
      if (!review) continue;
      switch (event.type) {
        case 'OrderQueuedForReview':
          review = { ...review, status: 'queued', reasons: event.data.reasons, queued_at: event.data.queuedAt };
          break;
        case 'OrderApproved':
          review = {
            ...review,
            status: 'approved',
            automatic: recorded.metadata.actor.role === 'system',
            decided_at: event.data.approvedAt,
            decided_by: actorOf(recorded),
            note: event.data.note ?? null,
          };
          break;
        case 'OrderRejected':
          review = { ...review, status: 'rejected', decided_at: event.data.rejectedAt, decided_by: actorOf(recorded), note: event.data.reason };
          break;
        case 'OrderCancelled':
          // A cancellation after approval does not undo the review's outcome.
          if (review.status === 'pending' || review.status === 'queued')
            review = { ...review, status: 'cancelled', decided_at: event.data.cancelledAt, decided_by: actorOf(recorded), note: event.data.reason };
          break;
        default:
          break;
      }
      byOrder.set(orderId, review);
      changedReviews.add(orderId);
    }
    await upsertRows(
      db,
      'order_reviews',
      ['order_id'],
      [...changedReviews].map((id) => byOrder.get(id)!),
    );
    await upsertRows(
      db,
      'credit_reservations',
      ['partner_id', 'order_id'],
      [...changedHolds].map((k) => held.get(k)!),
    );
    await upsertRows(
      db,
      'credit_exposure',
      ['partner_id'],
      [...changedPartners].map((id) => byPartner.get(id)!),
    );
  },
};
