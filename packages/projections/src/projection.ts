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
   * The key that parts a rebuild's batch: events of different keys write different rows, except through sums added in
   * place (`addToRows`, whose rows are locked in key order), so a rebuild applies a batch's parts on connections of
   * their own at once (`RunnerOptions.rebuildParts`). Without it, a batch is applied in one transaction. Live batches
   * are always one transaction, with the checkpoint.
   */
  readonly partOf?: (event: RecordedEvent) => string;
  /**
   * False for a projection whose `apply` never reads an event's metadata: its rebuilds (and verifies) read the log
   * without them (`SubscribeOptions.metadata`), and a read of one throws. Live batches come whole.
   */
  readonly readsMetadata?: false;
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
 * Inserts or replaces rows by key, one statement per 1000 rows with no per-cell bind parameters: each column travels as
 * one array literal (`unnest($1::text[], $2::bigint[], ...)`, the types asked of the table once per process). Before,
 * the rows travelled as one `json` parameter to `json_populate_recordset` (measured 36 ms against 54 ms of per-cell
 * parameters for a 500-row upsert of `orders`), which is still the path for a table with an array column; but taking
 * every JSON object apart into a row cost the server ~20 µs per row, more than the insert itself: the arrays halve the
 * PostgreSQL CPU of applying the `orders` rebuild's batches (docs/benchmarks.md, "(d) rebuild", 2026-12-04 night), and
 * the rows stored are the same (a test compares them with what `json_populate_recordset` makes of the rows' JSON).
 * `withSchema` reaches the type lookup and the table, so rebuilds into scratch tables work.
 */
export const upsertRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
) => writeRows(db, table, key, rows, 'replace');

/**
 * Inserts rows whose key is not there yet, as `upsertRows` does (one statement per 1000 rows), and leaves a row
 * already there as it is (`on conflict do nothing`): for rows written once, which a replayed event must not change.
 */
export const insertNewRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
) => writeRows(db, table, key, rows, 'keep');

/**
 * Adds each row's other columns (all numbers) to those of the row already there by key, or inserts it, as `upsertRows`
 * does otherwise. The rows are written in key order, so that transactions adding to the same rows at once (a rebuild's
 * parts, `Projection.partOf`) lock them in one order and wait for each other rather than deadlock.
 */
export const addToRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
) => {
  const compare = (a: ReadModels[T], b: ReadModels[T]) => {
    for (const k of key) {
      const x = String(a[k]);
      const y = String(b[k]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  return writeRows(db, table, key, [...rows].sort(compare), 'add');
};

const writeRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
  existing: 'replace' | 'keep' | 'add',
) => {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!) as (keyof ReadModels[T] & string)[];
  const updates = columns.filter((c) => !key.includes(c));
  const types = await columnTypes(db, table, columns);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    // One array per column, in the insert's column order; or the rows as JSON where `unnest` cannot stand in for it.
    const source = types
      ? sql`select * from unnest(${sql.join(columns.map((c, k) => sql`${arrayLiteral(chunk, c, types[k]!)}::${sql.raw(types[k]!)}[]`))})`
      : // biome-ignore lint/suspicious/noExplicitAny: generic over the table; the row types are checked by each projection.
        (eb: any) =>
          eb
            .selectFrom(sql`json_populate_recordset(null::${sql.table(table)}, ${toJson(chunk)}::json)`.as('r'))
            .select(columns.map((c) => sql.ref(`r.${c}`).as(c)));
    // biome-ignore lint/suspicious/noExplicitAny: generic over the table.
    await (db as Kysely<any>)
      .insertInto(table)
      .columns(columns)
      .expression(source)
      .onConflict((oc) =>
        existing === 'keep' || updates.length === 0
          ? oc.columns([...key]).doNothing()
          : oc
              .columns([...key])
              .doUpdateSet(
                Object.fromEntries(
                  updates.map((c) => [c, existing === 'add' ? sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}` : sql.ref(`excluded.${c}`)]),
                ) as never,
              ),
      )
      .execute();
  }
};

/**
 * Column types that `unnest` of one array per column handles as `json_populate_recordset` does: a value per row, never
 * an array (a PostgreSQL array column would flatten). A table with any other type is written through the JSON path.
 */
const SIMPLE_TYPES = new Set([
  'text',
  'integer',
  'bigint',
  'smallint',
  'numeric',
  'boolean',
  'double precision',
  'real',
  'date',
  'timestamp with time zone',
  'timestamp without time zone',
  'uuid',
  'character varying',
  'json',
  'jsonb',
]);

/**
 * The columns' types, per table and column list, asked of the database once per process (the same in every schema:
 * `public`, and the scratch schemas of rebuilds and verifies, are made by the same `createTables`). Null when a column's
 * type is not in SIMPLE_TYPES.
 */
const COLUMN_TYPES = new Map<string, Promise<string[] | null>>();
const columnTypes = (db: Kysely<ReadModels>, table: string, columns: readonly string[]): Promise<string[] | null> => {
  const id = `${table}(${columns.join(',')})`;
  let types = COLUMN_TYPES.get(id);
  if (!types) {
    types = sql<Record<string, string>>`select ${sql.join(columns.map((c) => sql`pg_typeof(r.${sql.ref(c)})::text as ${sql.ref(c)}`))}
      from json_populate_record(null::${sql.table(table)}, '{}') r`
      .execute(db)
      .then(({ rows }) => {
        const found = columns.map((c) => rows[0]![c]!);
        return found.every((t) => SIMPLE_TYPES.has(t)) ? found : null;
      });
    COLUMN_TYPES.set(id, types);
    // A failure (the table not there yet) is not remembered.
    types.catch(() => COLUMN_TYPES.delete(id));
  }
  return types;
};

/**
 * One column of the rows as a PostgreSQL array literal, each value as `json_populate_recordset` would read it from the
 * rows' JSON: JSON text for json and jsonb columns, a Date as its ISO time, null, undefined and non-finite numbers as NULL.
 */
const arrayLiteral = (rows: readonly unknown[], column: string, type: string): string => {
  const json = type === 'jsonb' || type === 'json';
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Record<string, unknown>)[column];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (json) {
      // What the JSON path reads as SQL NULL: a value JSON.stringify leaves out or writes as null.
      const text = toJson(v) as string | undefined;
      out += text === undefined || text === 'null' ? 'NULL' : quoted(text);
    } else if (typeof v === 'number') out += Number.isFinite(v) ? v : 'NULL';
    else if (typeof v === 'string') out += quoted(v);
    else if (typeof v === 'boolean' || typeof v === 'bigint') out += v;
    else if (v instanceof Date) out += quoted(v.toISOString());
    else out += quoted(toJson(v));
  }
  return `${out}}`;
};

const NEEDS_ESCAPE = /["\\]/;
const quoted = (s: string): string => (NEEDS_ESCAPE.test(s) ? `"${s.replace(/["\\]/g, '\\$&')}"` : `"${s}"`);

/**
 * Rows (or one value) as JSON, bigints as strings. Without a replacer first: JSON.stringify's fast path then does the work, and a
 * replacer called for every value made it the costliest part of an upsert. Only a batch holding an int8 beyond 2^53 (which
 * the driver reads as a bigint, and JSON.stringify refuses) pays for the replacer.
 */
const toJson = (value: unknown): string => {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
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
