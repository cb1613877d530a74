import type { ApiKeyEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { Projection } from './projection';
import type { ReadModels } from './schema';

/** `api_keys`: who may call the API. Few events: written one by one. */
export const accessProjection: Projection = {
  name: 'access',
  version: 1,
  eventTypes: ['ApiKeyIssued', 'ApiKeyRevoked'],
  tables: ['api_keys'],
  async createTables(db) {
    await db.schema
      .createTable('api_keys')
      .ifNotExists()
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text')
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    for (const recorded of events) {
      const event = recorded as unknown as ApiKeyEvent;
      if (event.type === 'ApiKeyIssued') {
        const d = event.data;
        const row = {
          key_id: d.keyId,
          name: d.name,
          role: d.role,
          partner_id: d.partnerId ?? null,
          secret_hash: d.secretHash,
          issued_at: d.issuedAt,
          revoked_at: null,
        };
        await db
          .insertInto('api_keys')
          .values(row)
          .onConflict((oc) => oc.column('key_id').doUpdateSet(row))
          .execute();
      } else {
        await db.updateTable('api_keys').set({ revoked_at: event.data.revokedAt }).where('key_id', '=', event.data.keyId).execute();
      }
    }
  },
};
