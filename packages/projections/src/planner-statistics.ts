import { type Kysely, sql } from 'kysely';

/**
 * Refreshes the query planner's statistics of every table (`analyze`). Embedded PGlite has no autovacuum to do it, so
 * read models filled in bulk (a demo, a rebuild, a year of orders) kept the planner's guesses of an empty table: on the
 * demo, the dashboard's demand forecast took 140 ms with them and 25-55 ms after one `analyze` (docs/benchmarks.md).
 * Run at the end of `dms demo` and once a day with the agreement calendar (`dms serve`, `dms worker`); a PostgreSQL
 * server's autovacuum does the same on its own, and an extra run there costs a sample of each table.
 */
export const refreshPlannerStatistics = async <DB>(db: Kysely<DB>): Promise<void> => {
  await sql`analyze`.execute(db);
};
