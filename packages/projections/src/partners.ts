import type { PartnerEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import { type Projection, upsertRows } from './projection';
import type { PartnersTable, ReadModels } from './schema';

const EVENT_TYPES = [
  'PartnerOnboarded',
  'PartnerSuspended',
  'PartnerReactivated',
  'PartnerTerminated',
  'PartnerTierChanged',
  'PartnerCreditLimitChanged',
] as const;

const evolve = (row: PartnersTable | undefined, recorded: RecordedEvent): PartnersTable | undefined => {
  const event = recorded as unknown as PartnerEvent & { streamVersion: number };
  if (event.type === 'PartnerOnboarded') {
    const d = event.data;
    return {
      partner_id: d.partnerId,
      name: d.name,
      region: d.region,
      tier: d.tier,
      status: 'active',
      status_reason: null,
      credit_limit_minor: d.creditLimit.amountMinor,
      currency: d.creditLimit.currency,
      contacts: d.contacts,
      onboarded_at: d.onboardedAt,
      updated_at: d.onboardedAt,
      version: recorded.streamVersion,
    };
  }
  if (!row) return row;
  const next = { ...row, version: recorded.streamVersion };
  switch (event.type) {
    case 'PartnerSuspended':
      return { ...next, status: 'suspended', status_reason: event.data.reason, updated_at: event.data.suspendedAt };
    case 'PartnerReactivated':
      return { ...next, status: 'active', status_reason: null, updated_at: event.data.reactivatedAt };
    case 'PartnerTerminated':
      return { ...next, status: 'terminated', status_reason: event.data.reason, updated_at: event.data.terminatedAt };
    case 'PartnerTierChanged':
      return { ...next, tier: event.data.to, updated_at: event.data.changedAt };
    case 'PartnerCreditLimitChanged':
      return { ...next, credit_limit_minor: event.data.to.amountMinor, updated_at: event.data.changedAt };
  }
};

/** `partners`: the dealer master, one row per partner. */
export const partnersProjection: Projection = {
  name: 'partners',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: ['partners'],
  async createTables(db) {
    await db.schema
      .createTable('partners')
      .ifNotExists()
      .addColumn('partner_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('credit_limit_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('contacts', 'jsonb', (c) => c.notNull())
      .addColumn('onboarded_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('partners_region_idx').ifNotExists().on('partners').columns(['region', 'name']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const ids = [...new Set(events.map((e) => e.streamId.slice('partner-'.length)))];
    const existing = await db.selectFrom('partners').selectAll().where('partner_id', 'in', ids).execute();
    const rows = new Map<string, PartnersTable | undefined>(existing.map((r) => [r.partner_id, r]));
    const changed = new Set<string>();
    for (const e of events) {
      const id = e.streamId.slice('partner-'.length);
      rows.set(id, evolve(rows.get(id), e));
      changed.add(id);
    }
    const toWrite = [...changed].map((id) => rows.get(id)).filter((r): r is PartnersTable => r !== undefined);
    await upsertRows(db, 'partners', ['partner_id'], toWrite);
  },
};
