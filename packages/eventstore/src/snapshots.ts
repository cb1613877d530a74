import { type Kysely, sql } from 'kysely';
import type { Snapshot, SnapshotStore } from './port';

/** Snapshot stores: in memory, and in PostgreSQL/PGlite beside the events. What a snapshot is: see `load.ts`. */
export class MemorySnapshotStore implements SnapshotStore {
  readonly #snapshots = new Map<string, Snapshot>();

  async read(streamId: string): Promise<Snapshot | null> {
    return this.#snapshots.get(streamId) ?? null;
  }

  async write(snapshot: Snapshot): Promise<void> {
    const kept = this.#snapshots.get(snapshot.streamId);
    if (kept && kept.schema === snapshot.schema && kept.version >= snapshot.version) return;
    // A copy through JSON, as a database would keep it: nothing shares state with the caller.
    this.#snapshots.set(snapshot.streamId, JSON.parse(JSON.stringify(snapshot)) as Snapshot);
  }

  async clear(): Promise<number> {
    const n = this.#snapshots.size;
    this.#snapshots.clear();
    return n;
  }
}

interface SnapshotRow {
  stream_id: string;
  schema: string;
  stream_version: number;
  hash: string;
  state: unknown;
}

/** Snapshots in `eventstore.snapshots` (PostgreSQL and PGlite), beside the events. */
export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly db: Kysely<unknown>) {}

  async read(streamId: string): Promise<Snapshot | null> {
    const { rows } = await sql<SnapshotRow>`
      select stream_id, schema, stream_version, hash, state from eventstore.snapshots where stream_id = ${streamId}`.execute(this.db);
    const row = rows[0];
    return row ? { streamId: row.stream_id, schema: row.schema, version: row.stream_version, hash: row.hash, state: row.state } : null;
  }

  async write(s: Snapshot): Promise<void> {
    await sql`
      insert into eventstore.snapshots (stream_id, schema, stream_version, hash, state, taken_at)
      values (${s.streamId}, ${s.schema}, ${s.version}, ${s.hash}, ${JSON.stringify(s.state)}::jsonb, now())
      on conflict (stream_id) do update
        set schema = excluded.schema, stream_version = excluded.stream_version, hash = excluded.hash, state = excluded.state, taken_at = excluded.taken_at
        where eventstore.snapshots.schema <> excluded.schema or eventstore.snapshots.stream_version < excluded.stream_version`.execute(this.db);
  }

  async clear(): Promise<number> {
    const { rows } = await sql<{ n: number }>`with gone as (delete from eventstore.snapshots returning 1) select count(*)::int as n from gone`.execute(this.db);
    return rows[0]?.n ?? 0;
  }
}
