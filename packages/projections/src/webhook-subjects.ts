/**
 * Whom an event is about, for the webhook outbox's audiences: what the event says itself (`eventSubject`), completed with
 * the dealer of its stream (from the stream's first event) and the dealer's region (from `PartnerOnboarded`), which the
 * outbox learns as it goes and keeps in `webhook_stream_partners` and `webhook_partner_regions`.
 */
import { type EventSubject, eventSubject } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from './schema';

/** The streams that belong to one dealer: an order, the dealer itself, its agreements, credit, account, statements, reviews, threads. */
const DEALER_STREAMS = [
  'order-',
  'partner-',
  'agreement-',
  'agreementregistry-',
  'credit-',
  'account-',
  'settlement-',
  'evaluation-',
  'dealerprices-',
  'thread-',
];
const isDealerStream = (streamId: string) => DEALER_STREAMS.some((prefix) => streamId.startsWith(prefix));

export const registersAudience = (e: RecordedEvent) => e.type === 'WebhookRegistered' && (e.data as { audience?: unknown }).audience !== undefined;

/**
 * Whom each event of a batch is about: what it says itself, completed from the dealer of its stream and the dealer's
 * region. Learns from every event (a subscription with an audience may be registered later); looks up what it learned
 * before only while some subscription has an audience.
 */
export class SubjectMemory {
  readonly #streamPartners = new Map<string, string>();
  readonly #partnerRegions = new Map<string, string>();
  readonly #newStreams: { stream_id: string; partner_id: string }[] = [];
  readonly #newPartners: { partner_id: string; region: string }[] = [];

  static async load(db: Kysely<ReadModels>, events: readonly RecordedEvent[], lookUp: boolean): Promise<SubjectMemory> {
    const memory = new SubjectMemory();
    if (!lookUp) return memory;
    const streams = [...new Set(events.map((e) => e.streamId))];
    for (let i = 0; i < streams.length; i += 1000) {
      const rows = await db
        .selectFrom('webhook_stream_partners')
        .selectAll()
        .where('stream_id', 'in', streams.slice(i, i + 1000))
        .execute();
      for (const r of rows) memory.#streamPartners.set(r.stream_id, r.partner_id);
    }
    const partners = new Set(memory.#streamPartners.values());
    for (const e of events) {
      const own = eventSubject(e.type, e.data).partnerId;
      if (own) partners.add(own);
    }
    const ids = [...partners];
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db
        .selectFrom('webhook_partner_regions')
        .selectAll()
        .where('partner_id', 'in', ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) memory.#partnerRegions.set(r.partner_id, r.region);
    }
    return memory;
  }

  /** Records what `e` teaches, and answers (when asked) whom it is about. */
  learn(e: RecordedEvent): () => EventSubject {
    const own = eventSubject(e.type, e.data);
    // The first event of a dealer's own stream names the dealer (OrderPlaced, PartnerOnboarded, ...). A stream shared by
    // dealers (a warehouse's stock of a SKU, whose first event may be one dealer's backorder) is about no dealer, whatever
    // dealers its events name; those that name one say so themselves. A notification is about whom it addresses.
    if (e.streamVersion === 0 && own.partnerId && isDealerStream(e.streamId) && !this.#streamPartners.has(e.streamId)) {
      this.#streamPartners.set(e.streamId, own.partnerId);
      this.#newStreams.push({ stream_id: e.streamId, partner_id: own.partnerId });
    }
    if (e.type === 'PartnerOnboarded' && own.partnerId && own.region && !this.#partnerRegions.has(own.partnerId)) {
      this.#partnerRegions.set(own.partnerId, own.region);
      this.#newPartners.push({ partner_id: own.partnerId, region: own.region });
    }
    return () => {
      const partnerId = own.partnerId ?? (e.type === 'NotificationRaised' ? undefined : this.#streamPartners.get(e.streamId));
      return { partnerId, region: own.region ?? (partnerId === undefined ? undefined : this.#partnerRegions.get(partnerId)) };
    };
  }

  async save(db: Kysely<ReadModels>): Promise<void> {
    for (let i = 0; i < this.#newStreams.length; i += 1000)
      await db
        .insertInto('webhook_stream_partners')
        .values(this.#newStreams.slice(i, i + 1000))
        .onConflict((oc) => oc.column('stream_id').doNothing())
        .execute();
    for (let i = 0; i < this.#newPartners.length; i += 1000)
      await db
        .insertInto('webhook_partner_regions')
        .values(this.#newPartners.slice(i, i + 1000))
        .onConflict((oc) => oc.column('partner_id').doNothing())
        .execute();
  }
}

/**
 * An installation upgraded to outbox version 3 has orders and dealers the outbox saw before it learned from them: taken
 * once from the read models that have them (a fresh database has neither table yet, or empty ones, and learns from events).
 */
// biome-ignore lint/suspicious/noExplicitAny: DDL time, schema-agnostic like createTables.
export const seedWebhookSubjects = async (db: Kysely<any>): Promise<void> => {
  await sql`do $$ begin
    if to_regclass('orders') is not null and not exists (select 1 from webhook_stream_partners) then
      insert into webhook_stream_partners (stream_id, partner_id) select 'order-' || order_id, partner_id from orders on conflict do nothing;
    end if;
    if to_regclass('partners') is not null and not exists (select 1 from webhook_partner_regions) then
      insert into webhook_partner_regions (partner_id, region) select partner_id, region from partners on conflict do nothing;
    end if;
  end $$`.execute(db);
};
