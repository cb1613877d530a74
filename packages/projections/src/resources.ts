import type { ResourceEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import { type Projection, upsertRows } from './projection';
import type { ResourceAcknowledgementsTable, ResourcesTable, ResourceVersionsTable } from './resources-schema';
import type { ReadModels } from './schema';

const EVENT_TYPES = [
  'ResourceCreated',
  'ResourceVersionAdded',
  'ResourceTargetingChanged',
  'ResourcePublished',
  'ResourceWithdrawn',
  'ResourceAcknowledged',
] as const;

const resourceIdOf = (e: RecordedEvent) => e.streamId.slice('resource-'.length);

/**
 * `resources`, `resource_versions` and `resource_acknowledgements`: the library as the manufacturer manages it and dealers
 * read it. A batch reads the resources it touches, folds its events in memory and upserts the changed rows; versions and
 * acknowledgements are only ever added.
 */
export const resourcesProjection: Projection = {
  name: 'resources',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: ['resources', 'resource_versions', 'resource_acknowledgements'],
  async createTables(db) {
    await db.schema
      .createTable('resources')
      .ifNotExists()
      .addColumn('resource_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tiers', 'jsonb', (c) => c.notNull())
      .addColumn('regions', 'jsonb', (c) => c.notNull())
      .addColumn('partner_ids', 'jsonb', (c) => c.notNull())
      .addColumn('requires_acknowledgement', 'boolean', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('content', 'jsonb')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('withdrawn_at', 'text')
      .addColumn('withdraw_reason', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('resource_versions')
      .ifNotExists()
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content', 'jsonb', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_versions_pk', ['resource_id', 'version'])
      .execute();
    await db.schema
      .createTable('resource_acknowledgements')
      .ifNotExists()
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_acknowledgements_pk', ['resource_id', 'version', 'partner_id'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('resources_status_idx').ifNotExists().on('resources').columns(['status', 'updated_at']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const ids = [...new Set(events.map(resourceIdOf))];
    const rows = await db.selectFrom('resources').selectAll().where('resource_id', 'in', ids).execute();
    const resources = new Map(rows.map((r) => [r.resource_id, r]));
    const changed = new Set<string>();
    const versions: ResourceVersionsTable[] = [];
    const acks: ResourceAcknowledgementsTable[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as ResourceEvent;
      const resourceId = resourceIdOf(recorded);
      const update = (change: Partial<ResourcesTable>) => {
        const row = resources.get(resourceId);
        if (!row) return;
        resources.set(resourceId, { ...row, ...change, version: recorded.streamVersion });
        changed.add(resourceId);
      };
      switch (event.type) {
        case 'ResourceCreated': {
          const d = event.data;
          resources.set(resourceId, {
            resource_id: resourceId,
            kind: d.kind,
            title: d.title,
            description: d.description ?? null,
            status: 'draft',
            tiers: d.targeting.tiers,
            regions: d.targeting.regions,
            partner_ids: d.targeting.partnerIds,
            requires_acknowledgement: d.requiresAcknowledgement,
            current_version: 0,
            content: null,
            created_by: d.createdBy.id,
            created_at: d.createdAt,
            published_at: null,
            withdrawn_at: null,
            withdraw_reason: null,
            updated_at: d.createdAt,
            version: recorded.streamVersion,
          });
          changed.add(resourceId);
          break;
        }
        case 'ResourceVersionAdded': {
          const d = event.data;
          versions.push({ resource_id: resourceId, version: d.version, content: d.content, note: d.note ?? null, added_by: d.addedBy.id, added_at: d.addedAt });
          update({ current_version: d.version, content: d.content, updated_at: d.addedAt });
          break;
        }
        case 'ResourceTargetingChanged':
          update({ tiers: event.data.to.tiers, regions: event.data.to.regions, partner_ids: event.data.to.partnerIds, updated_at: event.data.changedAt });
          break;
        case 'ResourcePublished':
          update({ status: 'published', published_at: event.data.publishedAt, withdrawn_at: null, withdraw_reason: null, updated_at: event.data.publishedAt });
          break;
        case 'ResourceWithdrawn':
          update({ status: 'withdrawn', withdrawn_at: event.data.withdrawnAt, withdraw_reason: event.data.reason ?? null, updated_at: event.data.withdrawnAt });
          break;
        case 'ResourceAcknowledged': {
          const d = event.data;
          acks.push({
            resource_id: resourceId,
            version: d.version,
            partner_id: d.partnerId,
            acknowledged_by: d.acknowledgedBy.id,
            acknowledged_at: d.acknowledgedAt,
          });
          break;
        }
      }
    }
    await upsertRows(
      db,
      'resources',
      ['resource_id'],
      [...changed].map((id) => resources.get(id)!),
    );
    await upsertRows(db, 'resource_versions', ['resource_id', 'version'], versions);
    await upsertRows(db, 'resource_acknowledgements', ['resource_id', 'version', 'partner_id'], acks);
  },
};
