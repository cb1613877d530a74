import type { RecordedEvent } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from './schema';

/**
 * A read model built from events. `apply` receives a batch in global order inside the runner's transaction (the same one
 * that advances the checkpoint), so it must only write through the `db` it is given. Tables are created by
 * `createTables` in whatever schema `db` points at: `public` when live, a scratch schema during a rebuild.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the tables or the way events map to rows change: the runner then rebuilds from position 0. */
  readonly version: number;
  readonly eventTypes: readonly string[];
  readonly tables: readonly (keyof ReadModels & string)[];
  // biome-ignore lint/suspicious/noExplicitAny: DDL is schema-agnostic.
  createTables(db: Kysely<any>): Promise<void>;
  apply(db: Kysely<ReadModels>, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Effects outside the read-model database, such as commands sent by a process manager: run for each batch before the
   * checkpoint moves, outside its transaction. Must be idempotent: after a crash the batch is delivered again.
   * A projection with `react` is a reactor: it is never rebuilt, only resumed.
   */
  readonly react?: (events: readonly RecordedEvent[]) => Promise<void>;
}

/** Inserts or replaces rows by key in one statement per 500 rows: how projections write a whole batch at once. */
export const upsertRows = async <T extends keyof ReadModels & string>(
  db: Kysely<ReadModels>,
  table: T,
  key: readonly (keyof ReadModels[T] & string)[],
  rows: readonly ReadModels[T][],
) => {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!) as (keyof ReadModels[T] & string)[];
  const updates = columns.filter((c) => !key.includes(c));
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    // biome-ignore lint/suspicious/noExplicitAny: generic over the table; the row types are checked by each projection.
    await (db as Kysely<any>)
      .insertInto(table)
      .values(chunk.map((r) => Object.fromEntries(columns.map((c) => [c, toSqlValue(r[c])]))))
      .onConflict((oc) => oc.columns([...key]).doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)])) as never))
      .execute();
  }
};

const toSqlValue = (value: unknown): unknown => (value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value);

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
