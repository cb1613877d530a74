import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from './schema';

/**
 * A read model built from events. `apply` receives a batch in global order inside the runner's transaction (the same one
 * that advances the checkpoint), so it must only write through the `db` it is given. Tables are created by
 * `createTables` (and `createIndexes`) in whatever schema `db` points at: `public` when live, a scratch schema during a
 * rebuild.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the tables or the way events map to rows change: the runner then rebuilds from position 0. */
  readonly version: number;
  readonly eventTypes: readonly string[];
  readonly tables: readonly (keyof ReadModels & string)[];
  // biome-ignore lint/suspicious/noExplicitAny: DDL is schema-agnostic.
  createTables(db: Kysely<any>): Promise<void>;
  /**
   * Secondary indexes that serve queries, never `apply`'s own look-ups: created right after the tables when live, but
   * only after the catch-up of a rebuild, which writes faster into tables without them and then builds each in one pass.
   */
  // biome-ignore lint/suspicious/noExplicitAny: DDL is schema-agnostic.
  createIndexes?(db: Kysely<any>): Promise<void>;
  apply(db: Kysely<ReadModels>, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Effects outside the read-model database, such as commands sent by a process manager: run for each batch before the
   * checkpoint moves, outside its transaction. Must be idempotent: after a crash the batch is delivered again.
   * A projection with `react` is a reactor: it is never rebuilt, only resumed.
   */
  readonly react?: (events: readonly RecordedEvent[]) => Promise<void>;
  /**
   * False for a projection whose rows record what was done once (an outbox of deliveries): it is never rebuilt or
   * verified against a replay, only resumed, and a version change migrates its tables in place.
   */
  readonly replayable?: false;
}

/**
 * Inserts or replaces rows by key. The rows travel as one json parameter that `json_populate_recordset` turns into the
 * table's row type: one statement per 1000 rows, and no per-cell bind parameters to encode (measured 36 ms against 54 ms
 * for a 500-row upsert of `orders`). As `json`, not `jsonb`: the server parses the text straight into the rows instead of
 * first building a jsonb document of the whole batch (the `orders` upserts of a rebuild took ~35 % less time, and the
 * rebuild ~10 % less PostgreSQL CPU). `withSchema` reaches the row type too, so rebuilds into scratch tables work.
 */
export const upsertRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
) => writeRows(db, table, key, rows, 'replace');

/**
 * Inserts rows whose key is not there yet, as `upsertRows` does (one json parameter per 1000 rows), and leaves a row
 * already there as it is (`on conflict do nothing`): for rows written once, which a replayed event must not change.
 */
export const insertNewRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
) => writeRows(db, table, key, rows, 'keep');

const writeRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
  existing: 'replace' | 'keep',
) => {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!) as (keyof ReadModels[T] & string)[];
  const updates = columns.filter((c) => !key.includes(c));
  for (let i = 0; i < rows.length; i += 1000) {
    const json = toJson(rows.slice(i, i + 1000));
    // biome-ignore lint/suspicious/noExplicitAny: generic over the table; the row types are checked by each projection.
    await (db as Kysely<any>)
      .insertInto(table)
      .columns(columns)
      .expression((eb) =>
        eb.selectFrom(sql`json_populate_recordset(null::${sql.table(table)}, ${json}::json)`.as('r')).select(columns.map((c) => sql.ref(`r.${c}`).as(c))),
      )
      .onConflict((oc) =>
        existing === 'keep' || updates.length === 0
          ? oc.columns([...key]).doNothing()
          : oc.columns([...key]).doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)])) as never),
      )
      .execute();
  }
};

/**
 * The rows as JSON, bigints as strings. Without a replacer first: JSON.stringify's fast path then does the work, and a
 * replacer called for every value made it the costliest part of an upsert. Only a batch holding an int8 beyond 2^53 (which
 * the driver reads as a bigint, and JSON.stringify refuses) pays for the replacer.
 */
const toJson = (rows: readonly unknown[]): string => {
  try {
    return JSON.stringify(rows);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
};

/**
 * `column = any($1::text[])`: a batch's keys as one array parameter, where `column in ($1, $2, ...)` bound, sent and
 * parsed one parameter per key (up to the rebuild's 5000-event batches), and made a different statement text for every count.
 */
export const amongKeys = (column: string, keys: readonly string[]) => sql<boolean>`${sql.ref(column)} = any(${[...keys]}::text[])`;

/**
 * The keys whose rows a batch must read back: every key of its events, except those whose first event in the batch creates
 * their rows (a stream's first event, such as `OrderPlaced`), which have none to read yet. In a rebuild's large batches
 * that spares most look-ups of the entities the batch itself begins.
 */
export const keysToRead = (events: readonly RecordedEvent[], keyOf: (e: RecordedEvent) => string, creates: (e: RecordedEvent) => boolean): string[] => {
  const seen = new Set<string>();
  const keys: string[] = [];
  for (const e of events) {
    const key = keyOf(e);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!creates(e)) keys.push(key);
  }
  return keys;
};

/** Groups a batch's events by a key, keeping order within each group. */
export const groupBy = <K>(events: readonly RecordedEvent[], keyOf: (e: RecordedEvent) => K): Map<K, RecordedEvent[]> => {
  const groups = new Map<K, RecordedEvent[]>();
  for (const e of events) {
    const k = keyOf(e);
    const list = groups.get(k);
    if (list) list.push(e);
    else groups.set(k, [e]);
  }
  return groups;
};
