import { type Kysely, sql } from 'kysely';

/**
 * The transaction that holds `$all` readers back on a PostgreSQL server: the oldest one still running that has taken a
 * transaction id, in any database of the server. Readers stop below the cluster-wide snapshot xmin (architecture.md,
 * "Global order without gaps"), so until it ends no event appended after it began reaches a projection, in any database.
 */
export interface HoldingTransaction {
  readonly pid: number;
  /** A prepared (two-phase) transaction has no session: its global id instead. */
  readonly preparedAs: string | null;
  readonly database: string | null;
  readonly user: string | null;
  readonly application: string | null;
  /** `active`, `idle in transaction`, ... (`prepared` for a two-phase transaction). */
  readonly state: string | null;
  readonly startedAt: Date;
  readonly ageSeconds: number;
  /** The session's current or last statement, shortened. */
  readonly query: string | null;
  /** Events of this store appended but not yet readable because of it (and any later transaction still open). */
  readonly eventsHeldBack: number;
}

interface Row {
  pid: number | null;
  prepared_as: string | null;
  database: string | null;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  started_at: Date;
  age_seconds: number | string;
  query: string | null;
  held_back: number;
}

/** The oldest open transaction holding readers back, or null when none is open. PostgreSQL servers only, not PGlite. */
export const oldestOpenTransaction = async (db: Kysely<unknown>): Promise<HoldingTransaction | null> => {
  const { rows } = await sql<Row>`
    with holders as (
      select pid, null::text as prepared_as, datname::text as database, usename::text, application_name, state,
             xact_start as started_at, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) as query, backend_xid as xid
      from pg_stat_activity where backend_xid is not null and pid <> pg_backend_pid()
      union all
      select null, gid, database::text, owner::text, null, 'prepared', prepared, null, transaction
      from pg_prepared_xacts
    )
    select pid, prepared_as, database, usename, application_name, state, started_at,
           extract(epoch from clock_timestamp() - started_at)::float8 as age_seconds, query,
           (select count(*)::int from eventstore.events where global_position >= eventstore.stable_bound()) as held_back
    from holders order by age(xid) desc limit 1`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    pid: row.pid ?? 0,
    preparedAs: row.prepared_as,
    database: row.database,
    user: row.usename,
    application: row.application_name || null,
    state: row.state,
    startedAt: row.started_at,
    ageSeconds: Math.max(0, Number(row.age_seconds)),
    query: row.query,
    eventsHeldBack: row.held_back,
  };
};
