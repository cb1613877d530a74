import { preparedStatement } from '@dms/eventstore';
import { CompiledQuery, type Kysely } from 'kysely';
import type { ReadModels } from './schema';

/**
 * Every read model's checkpoint row as one string each: position, projection version and when the row last moved. A
 * batch applied, a rebuild swapped in or a version changed all rewrite the row in the transaction that changes the
 * tables, so while a read model's string is unchanged its tables are too. One row, one json column, prepared once per
 * connection.
 */
const VERSIONS_SQL = preparedStatement(
  `select coalesce(json_object_agg(name, coalesce(position::text, '-') || '/' || version || '/' || (extract(epoch from updated_at) * 1000000)::bigint), '{}'::json) as versions from projections.checkpoints`,
);

/** The state of each read model, by projection name (an opaque string: equal strings, equal tables). */
export type ReadModelVersionMap = Readonly<Record<string, string>>;

/**
 * What a response cache keys on to know that the read models behind a route have not moved: their checkpoint rows, read
 * from the database the queries read (a read replica's own checkpoints when queries read one), so writes committed by any
 * process (a worker, another API process started with `--no-projections`) are seen, with no message between processes.
 *
 * Concurrent callers share reads: at most one read is in flight, and a caller that arrives while one is in flight waits
 * for the next, which starts after it arrived. So every answer reflects the checkpoints as they were at some moment after
 * the call began, never before: a cached response chosen by it is what a query issued at that moment would have read.
 */
export class ReadModelVersions {
  readonly #db: Kysely<ReadModels>;
  #inflight: Promise<ReadModelVersionMap> | null = null;
  #queued: Promise<ReadModelVersionMap> | null = null;
  /** How many reads reached the database (tests and benchmarks count them). */
  reads = 0;

  constructor(db: Kysely<ReadModels>) {
    this.#db = db;
  }

  /** The read models' versions as of a moment after this call began. */
  current(): Promise<ReadModelVersionMap> {
    if (this.#inflight === null) return this.#start();
    if (this.#queued === null) {
      const after = this.#inflight;
      this.#queued = after
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          this.#queued = null;
          return this.#start();
        });
    }
    return this.#queued;
  }

  #start(): Promise<ReadModelVersionMap> {
    this.reads++;
    const read = this.#db.executeQuery<{ versions: Record<string, string> }>(CompiledQuery.raw(VERSIONS_SQL, [])).then((r) => r.rows[0]?.versions ?? {});
    this.#inflight = read;
    const clear = () => {
      if (this.#inflight === read) this.#inflight = null;
    };
    read.then(clear, clear);
    return read;
  }
}
