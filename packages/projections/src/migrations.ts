import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Migrations of the projection infrastructure (schema `projections`). The read-model tables themselves are not migrated
 * in place: a projection that changes bumps its `version`, and the runner rebuilds it from the events into fresh tables.
 */
const migrations: Record<string, Migration> = {
  '0001_checkpoints': {
    async up(db) {
      await db.schema
        .withSchema('projections')
        .createTable('checkpoints')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('position', sql`numeric(20, 0)`)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};

/** The names of the migrations, in order: what the set-up hash of the migrations covers (they never change once written). */
export const READ_MODEL_MIGRATIONS: readonly string[] = Object.keys(migrations);

// biome-ignore lint/suspicious/noExplicitAny: migrations run before any typed table exists.
export const migrateReadModels = async (db: Kysely<any>): Promise<void> => {
  await sql`create schema if not exists projections`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: 'projections',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Read-model migration ${failed} failed: ${(error as Error).message}`);
  }
};
