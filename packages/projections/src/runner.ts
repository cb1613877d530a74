import {
  type EventStore,
  type GlobalPosition,
  isDatabaseUnavailable,
  type LoggedType,
  type RecordedEvent,
  recordSchemaHashes,
  type Subscription,
  schemaHashes,
  schemaIsCurrent,
} from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { migrateReadModels, READ_MODEL_MIGRATIONS } from './migrations';
import type { Projection } from './projection';
import type { ReadModels } from './schema';

/** The event types in the log and its last position, as `EventStore.typesInLog` tells them. */
type LogTypes = { readonly types: ReadonlyMap<string, LoggedType>; readonly position: GlobalPosition | null };

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** Last global position applied (text, a 64-bit unsigned integer), null before the first. */
  readonly position: string | null;
  readonly headPosition: string | null;
  /** Matching events not yet applied; counted up to `BEHIND_CAP`. */
  readonly behind: number;
  readonly behindCapped: boolean;
  readonly updatedAt: Date | null;
  readonly state: 'live' | 'stopped' | 'failing';
  readonly lastError: string | null;
}

export interface RebuildProgress {
  readonly projection: string;
  readonly events: number;
  readonly position: GlobalPosition | null;
  /** 0..1, estimated from positions. */
  readonly fraction: number;
}

/** What `rebuildMany` reports of each projection it rebuilt. */
export interface RebuiltProjection {
  readonly name: string;
  readonly events: number;
  readonly position: GlobalPosition | null;
  readonly seconds: number;
}

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface RunnerOptions {
  /** Events per transaction when live. Default 1000. */
  readonly batchSize?: number;
  /**
   * Events per transaction when rebuilding: larger batches amortise each statement over more rows, and fold more of a
   * row's events into one write of it. Default 20,000 (docs/benchmarks.md, "(d) rebuild": against 10,000, ~17 % less
   * PostgreSQL CPU and ~10 % less WAL per event for `orders`, as 10,000 gave against 5,000; memory stays bounded by two
   * batches per projection: peak RSS +25-35 MiB against 10,000).
   */
  readonly rebuildBatchSize?: number;
  /**
   * Projections `rebuildMany` replays at once, each on connections of its own. Default 2: a replay keeps one core busy
   * at most (Node decodes while PostgreSQL applies), and each holds at most two batches in memory.
   */
  readonly rebuildConcurrency?: number;
  /**
   * Transactions, on connections of their own, that apply each batch of a rebuild at once, for a projection that says
   * how its events part (`Projection.partOf`, `orders`). Default 2: one projection's rebuild then keeps both cores of
   * a two-core machine busy, where one transaction at a time left PostgreSQL waiting on Node and Node on PostgreSQL
   * (docs/benchmarks.md, "(d) rebuild"). 1 applies each batch in one transaction.
   */
  readonly rebuildParts?: number;
  readonly logger?: Logger;
}

const BEHIND_CAP = 10_000;
/** Advisory lock key serialising read-model setup across workers ("dms-projections-setup"). */
const SETUP_LOCK = 0x646d735f70726f6an;
const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };
/** Longest wait between attempts while the database cannot be reached: a failed connection costs little, and resuming soon matters. */
const UNAVAILABLE_BACKOFF_CAP_MS = 2000;
/** Longest wait between attempts of a projection that fails for any other reason. */
const FAILURE_BACKOFF_CAP_MS = 30_000;

/** Another worker moved the checkpoint first: this batch was not applied, and the worker resumes from the stored one. */
class CheckpointMoved extends Error {}

/**
 * Runs projections: each batch of events is applied in one transaction together with a compare-and-set of the
 * projection's checkpoint, so a batch takes effect exactly once even with several workers or after a crash.
 */
export class ProjectionRunner {
  readonly #db: Kysely<ReadModels>;
  readonly #batchSize: number;
  readonly #rebuildBatchSize: number;
  readonly #rebuildConcurrency: number;
  readonly #rebuildParts: number;
  readonly #log: Logger;
  readonly #live = new Map<string, { abort: AbortController; done: Promise<void>; lastError: string | null }>();
  readonly #progress = new EventTarget();
  /** Since when the database has been unreachable (Date.now()), or null: an outage is logged once, and its end once. */
  #unavailableSince: number | null = null;

  private constructor(
    // biome-ignore lint/suspicious/noExplicitAny: the runner owns DDL for every projection.
    db: Kysely<any>,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    options: RunnerOptions,
  ) {
    this.#db = db;
    this.#batchSize = options.batchSize ?? 1000;
    this.#rebuildBatchSize = options.rebuildBatchSize ?? 20_000;
    this.#rebuildConcurrency = Math.max(1, options.rebuildConcurrency ?? 2);
    this.#rebuildParts = options.rebuildParts ?? 2;
    if (!Number.isInteger(this.#rebuildParts) || this.#rebuildParts < 1)
      throw new Error(`rebuildParts must be a whole number of at least 1, not ${options.rebuildParts}.`);
    this.#log = options.logger ?? silent;
  }

  /** Migrates the read-model schema, creates missing tables, and rebuilds any projection whose version changed. */
  static async create(
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    db: Kysely<any>,
    store: EventStore,
    projections: readonly Projection[],
    options: RunnerOptions = {},
  ): Promise<ProjectionRunner> {
    const runner = new ProjectionRunner(db, store, projections, options);
    // Nothing to set up when every projection's tables, indexes and version are as this code would make them, and the
    // migrations too (eventstore/src/sql/schema-hash.ts): a `dms` command then sends no DDL at all.
    const hashes = await schemaHashes([
      { name: '(migrations)', extra: READ_MODEL_MIGRATIONS.join('\n') },
      ...projections.map((p) => ({
        name: p.name,
        extra: `version ${p.version}`,
        setup: async (dry: Kysely<unknown>) => {
          await p.createTables(dry);
          await p.createIndexes?.(dry);
        },
      })),
    ]);
    if (await schemaIsCurrent(db, 'projections', hashes)) return runner;
    // Workers starting together would race on DDL ("create table if not exists" is not concurrency-safe in PostgreSQL):
    // set up under one session-level advisory lock, on one connection.
    const stale = await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${SETUP_LOCK})`.execute(conn);
      try {
        await migrateReadModels(conn);
        const needRebuild: Projection[] = [];
        for (const p of projections) {
          await p.createTables(conn);
          await p.createIndexes?.(conn);
          await conn
            .insertInto('projections.checkpoints')
            .values({ name: p.name, position: null, version: p.version })
            .onConflict((oc) => oc.column('name').doNothing())
            .execute();
          const stored = await conn.selectFrom('projections.checkpoints').select('version').where('name', '=', p.name).executeTakeFirstOrThrow();
          if (stored.version !== p.version) needRebuild.push(p);
        }
        return needRebuild;
      } finally {
        await sql`select pg_advisory_unlock(${SETUP_LOCK})`.execute(conn);
      }
    });
    const toRebuild: string[] = [];
    for (const p of stale) {
      if (p.replayable === false) {
        // Its tables were migrated in place by createTables; what it recorded stays, and it resumes from its checkpoint.
        runner.#log.warn('projection version changed: resumed, not rebuilt (not replayable)', { projection: p.name, to: p.version });
        await db.updateTable('projections.checkpoints').set({ version: p.version }).where('name', '=', p.name).execute();
        continue;
      }
      runner.#log.warn('projection version changed: rebuilding', { projection: p.name, to: p.version });
      toRebuild.push(p.name);
    }
    await runner.rebuildMany(toRebuild);
    // Only now, every projection at its version: a crash before this sets up (and rebuilds) again at the next start.
    await recordSchemaHashes(db, 'projections', hashes);
    return runner;
  }

  get db(): Kysely<ReadModels> {
    return this.#db;
  }

  #projection(name: string): Projection {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`There is no projection called ${name}; there are ${this.projections.map((x) => x.name).join(', ')}.`);
    return p;
  }

  async #checkpoint(name: string): Promise<{ position: string | null; version: number; updatedAt: Date | null }> {
    const row = await this.#db
      .selectFrom('projections.checkpoints')
      .select([sql<string | null>`position::text`.as('position'), 'version', 'updated_at'])
      .where('name', '=', name)
      .executeTakeFirst();
    return { position: row?.position ?? null, version: row?.version ?? 0, updatedAt: row?.updated_at ?? null };
  }

  /** Applies events and moves the checkpoint from `from` to `to` in one transaction; throws CheckpointMoved if `from` is stale. */
  async #commit(p: Projection, from: string | null, to: GlobalPosition, events: readonly RecordedEvent[]): Promise<void> {
    if (p.react && events.length > 0) await p.react(events);
    await this.#db.transaction().execute(async (tx) => {
      // First statement: take the checkpoint row, so every writer of this projection locks in the same order.
      const moved = await tx
        .updateTable('projections.checkpoints')
        .set({ position: to.toString(), updated_at: new Date() })
        .where('name', '=', p.name)
        .where(sql<boolean>`position is not distinct from ${from}::numeric`)
        .executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) throw new CheckpointMoved();
      if (events.length > 0) await p.apply(tx, events);
    });
    this.#progress.dispatchEvent(new Event('advanced'));
  }

  /**
   * Feeds a projection from its checkpoint: batches of events, flushed at `batchSize` and whenever the subscription has
   * caught up. With `until`, returns at the first catch-up at or past that position (null: at the first catch-up);
   * otherwise runs until `signal` aborts.
   */
  async #feed(p: Projection, options: { until?: GlobalPosition | null; signal?: AbortSignal; onAlive?: () => void }): Promise<void> {
    let position = (await this.#checkpoint(p.name)).position;
    const subscription = this.store.subscribeToAll({ ...(position === null ? {} : { from: BigInt(position) }), filter: { eventTypes: p.eventTypes } });
    // Closing only ends the iteration; anything it throws is the loop's to report, not an unhandled rejection.
    const stop = () => void subscription.close().catch(() => undefined);
    options.signal?.addEventListener('abort', stop, { once: true });
    // stop() may have come while the checkpoint was read, before the listener existed: it must not be missed.
    if (options.signal?.aborted) stop();
    let batch: RecordedEvent[] = [];
    const flush = async (to: GlobalPosition | null) => {
      if (to === null || (batch.length === 0 && position !== null && BigInt(position) >= to)) return;
      await this.#commit(p, position, to, batch);
      position = to.toString();
      batch = [];
    };
    let alive = false;
    try {
      for await (const item of subscription) {
        if (!alive) {
          alive = true;
          options.onAlive?.();
        }
        if (item.kind === 'event') {
          batch.push(item.event);
          if (batch.length >= this.#batchSize) await flush(item.event.globalPosition);
        } else {
          await flush(item.position);
          if (options.until !== undefined && (options.until === null || (item.position !== null && item.position >= options.until))) return;
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await subscription.close();
    }
  }

  /**
   * Brings every projection up to the events committed now, then returns. "Now" is the head of the store when it is
   * called: a subscription may first report itself caught up below it, while a transaction that began earlier (on a
   * shared server, in any database) is still open, and catching up waits until that is over. With `names`, only those
   * projections.
   *
   * Once everything up to the head can be read (the last readable event is at or past it, which on PostgreSQL means no
   * transaction below it is still open), each projection reads its events up to the head in bounded pages and its
   * checkpoint moves to the head; only otherwise does it subscribe, and wait through the subscription. A read that gets
   * what it asked for ends by itself, where closing a subscription cancels a call: on EventStoreDB an HTTP/2 RST_STREAM
   * per projection and round (docs/eventstoredb.md).
   */
  async catchUp(names?: readonly string[]): Promise<void> {
    const head = await this.store.headPosition();
    let readable = false;
    if (head !== null) for await (const last of this.store.readAll({ direction: 'backwards', maxCount: 1 })) readable = last.globalPosition >= head;
    for (const p of names ? names.map((name) => this.#projection(name)) : this.projections) await this.#catchUpOne(p, head, readable);
  }

  /** `readable`: everything up to `until` can be read now (see `catchUp`); without it, through a subscription. */
  async #catchUpOne(p: Projection, until: GlobalPosition | null, readable = false): Promise<void> {
    for (;;) {
      try {
        if (!readable) return await this.#feed(p, { until });
        // Bounded reads from the checkpoint; each page is read to its end (leaving a read early cancels its call).
        let position = (await this.#checkpoint(p.name)).position;
        if (until === null || (position !== null && BigInt(position) >= until)) return;
        for (;;) {
          const page: RecordedEvent[] = [];
          const from = position === null ? {} : { from: BigInt(position) };
          for await (const e of this.store.readAll({ ...from, maxCount: this.#batchSize, filter: { eventTypes: p.eventTypes } })) page.push(e);
          const batch = page.filter((e) => e.globalPosition <= until);
          // A full page, all of it up to the head: there may be more to read after it.
          const more = batch.length === page.length && page.length === this.#batchSize;
          const to = more ? batch.at(-1)!.globalPosition : until;
          await this.#commit(p, position, to, batch);
          position = to.toString();
          if (!more) return;
        }
      } catch (error) {
        if (!(error instanceof CheckpointMoved)) throw error;
      }
    }
  }

  /**
   * Runs every projection live, in the background, until `stop()`. Failures are retried with backoff; while the database
   * cannot be reached (a restart, dropped connections) every projection waits and resumes from its checkpoint by itself.
   * With `names`, only those projections: a worker can run a share of them.
   */
  start(names?: readonly string[]): void {
    for (const p of names ? names.map((name) => this.#projection(name)) : this.projections) {
      if (this.#live.has(p.name)) continue;
      const abort = new AbortController();
      const entry = { abort, done: Promise.resolve(), lastError: null as string | null };
      entry.done = (async () => {
        let backoff = 100;
        const onAlive = () => {
          backoff = 100;
          entry.lastError = null;
          this.#databaseReachable();
        };
        while (!abort.signal.aborted) {
          try {
            await this.#feed(p, { signal: abort.signal, onAlive });
          } catch (error) {
            if (abort.signal.aborted) break;
            if (error instanceof CheckpointMoved) continue;
            entry.lastError = (error as Error).message;
            const unavailable = isDatabaseUnavailable(error);
            if (unavailable) this.#databaseUnreachable(entry.lastError);
            else this.#log.error('projection failed; retrying', { projection: p.name, error: entry.lastError, retryInMs: backoff });
            await new Promise((r) => setTimeout(r, backoff));
            backoff = Math.min(backoff * 2, unavailable ? UNAVAILABLE_BACKOFF_CAP_MS : FAILURE_BACKOFF_CAP_MS);
            continue;
          }
          backoff = 100;
          entry.lastError = null;
        }
      })();
      this.#live.set(p.name, entry);
    }
  }

  #databaseUnreachable(error: string): void {
    if (this.#unavailableSince !== null) return;
    this.#unavailableSince = Date.now();
    this.#log.warn('database unavailable: projections wait and retry', { error, retryAtMostEveryMs: UNAVAILABLE_BACKOFF_CAP_MS });
  }

  #databaseReachable(): void {
    if (this.#unavailableSince === null) return;
    this.#log.info('database reachable again: projections resumed', { unavailableForMs: Date.now() - this.#unavailableSince });
    this.#unavailableSince = null;
  }

  /** Stops every live projection, or those named; resolves once none of them runs a batch any more. */
  async stop(names?: readonly string[]): Promise<void> {
    const running = names ? names.flatMap((n) => this.#live.get(n) ?? []) : [...this.#live.values()];
    if (names) for (const n of names) this.#live.delete(n);
    else this.#live.clear();
    for (const r of running) r.abort.abort();
    await Promise.all(running.map((r) => r.done));
  }

  /**
   * Waits until every projection (or those named) has applied everything up to `position`, for at most `timeoutMs`.
   * Returns whether it got there: how the API lets a client read its own writes. An unknown name throws. `on`: the
   * checkpoints of another copy of the read models (a read replica), which this process's batches do not signal: polled.
   */
  async waitForPosition(position: GlobalPosition, timeoutMs: number, names?: readonly string[], on: Kysely<ReadModels> = this.#db): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const wanted = names ?? this.projections.map((p) => p.name);
    for (const name of wanted) this.#projection(name);
    for (;;) {
      const rows = await on
        .selectFrom('projections.checkpoints')
        .select(['name', sql<string | null>`position::text`.as('position')])
        .where('name', 'in', wanted)
        .execute();
      if (rows.length === wanted.length && rows.every((r) => r.position !== null && BigInt(r.position) >= position)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#progress.removeEventListener('advanced', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 50));
        this.#progress.addEventListener('advanced', done, { once: true });
      });
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const out: ProjectionStatus[] = [];
    for (const p of this.projections) {
      const cp = await this.#checkpoint(p.name);
      let behind = 0;
      for await (const _ of this.store.readAll({
        ...(cp.position === null ? {} : { from: BigInt(cp.position) }),
        filter: { eventTypes: p.eventTypes },
        maxCount: BEHIND_CAP + 1,
      })) {
        behind++;
      }
      const live = this.#live.get(p.name);
      out.push({
        name: p.name,
        version: p.version,
        position: cp.position,
        headPosition: head === null ? null : head.toString(),
        behind: Math.min(behind, BEHIND_CAP),
        behindCapped: behind > BEHIND_CAP,
        updatedAt: cp.updatedAt,
        state: !live ? 'stopped' : live.lastError ? 'failing' : 'live',
        lastError: live?.lastError ?? null,
      });
    }
    return out;
  }

  /** Replays a projection from position 0 into fresh tables in `scratch` (a schema it creates), until caught up. */
  async #replay(
    p: Projection,
    scratch: string,
    onProgress?: (progress: RebuildProgress) => void,
    log?: LogTypes,
  ): Promise<{ events: number; position: GlobalPosition | null }> {
    if (p.react) throw new Error(`${p.name} is a process manager: it is resumed from its checkpoint, never rebuilt (that would send its commands again).`);
    if (p.replayable === false) throw new Error(`${p.name} records what was done once: it is resumed from its checkpoint, never rebuilt or replayed.`);
    await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(this.#db);
    await sql`create schema ${sql.id(scratch)}`.execute(this.#db);
    await p.createTables(this.#db.withSchema(scratch));

    // Progress is measured over the whole log: finding the projection's own first event would cost a filtered scan of the
    // log, which for a projection with few or no events is most of its rebuild.
    let first: GlobalPosition | null = null;
    for await (const e of this.store.readAll({ maxCount: 1 })) first = e.globalPosition;
    const head = await this.store.headPosition();
    const fraction = (pos: GlobalPosition | null) =>
      pos === null || head === null || first === null || head <= first ? 1 : Math.min(1, Number(pos - first) / Number(head - first));

    // The log was scanned for its types (`rebuildMany`) up to what was committed when this replay began: with none of its
    // types there, nothing to read; else nothing past the last of them, where reading stops instead of filtering the rest
    // of the log (for `partners` or `catalogue`, whose events come early, most of it).
    let stopAt: { readonly last: GlobalPosition; readonly position: GlobalPosition | null } | null = null;
    if (log && (head === null || (log.position !== null && log.position >= head))) {
      const last = p.eventTypes.reduce<GlobalPosition | null>((m, t) => {
        const l = log.types.get(t)?.last;
        return l !== undefined && (m === null || l > m) ? l : m;
      }, null);
      if (last === null) return { events: 0, position: log.position };
      stopAt = { last, position: log.position };
    }

    // Reading and applying overlap: a batch is applied while the subscription fetches the next one, so that Node and
    // PostgreSQL work at once. Batches still apply one after another, in order (a batch's parts at once, each in its own
    // transaction: nobody reads the scratch tables before the swap); the first failure stops the replay.
    let position: GlobalPosition | null = null;
    let events = 0;
    let batch: RecordedEvent[] = [];
    let applying: Promise<void> = Promise.resolve();
    const flush = async () => {
      await applying;
      if (batch.length === 0) return;
      const toApply = batch;
      const reached = position;
      batch = [];
      const parts = p.partOf && this.#rebuildParts > 1 ? partition(toApply, p.partOf, this.#rebuildParts) : [toApply];
      applying = Promise.allSettled(parts.map((part) => this.#db.transaction().execute((tx) => p.apply(tx.withSchema(scratch), part)))).then((settled) => {
        // Every part has finished before a failure is told, so that none is left writing to tables about to be dropped.
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        events += toApply.length;
        onProgress?.({ projection: p.name, events, position: reached, fraction: fraction(reached) });
      });
      // Surfaces at the next flush; until then it must not count as unhandled.
      applying.catch(() => undefined);
    };
    const subscription: Subscription = this.store.subscribeToAll({
      filter: { eventTypes: p.eventTypes },
      ...(p.readsMetadata === false ? { metadata: false as const } : {}),
    });
    try {
      for await (const item of subscription) {
        if (item.kind === 'event') {
          batch.push(item.event);
          position = item.event.globalPosition;
          if (stopAt && position >= stopAt.last) {
            await flush();
            await applying;
            position = stopAt.position;
            break;
          }
          if (batch.length >= this.#rebuildBatchSize) await flush();
        } else {
          // Caught up, but perhaps below what was committed when the replay began (see `catchUp`): go on until past it.
          if (head !== null && (item.position === null || item.position < head)) continue;
          await flush();
          await applying;
          if (item.position !== null) position = item.position;
          break;
        }
      }
    } finally {
      await applying.catch(() => undefined);
      await subscription.close();
    }
    await applying;
    return { events, position };
  }

  /**
   * Rebuilds one projection from position 0 into fresh tables in a scratch schema, builds their query indexes, then swaps
   * them in, in one transaction, with the checkpoint they reached. Readers see the old tables until the swap.
   */
  async rebuild(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<{ events: number; position: GlobalPosition | null }> {
    return this.#rebuild(name, onProgress);
  }

  async #rebuild(name: string, onProgress?: (progress: RebuildProgress) => void, log?: LogTypes): Promise<{ events: number; position: GlobalPosition | null }> {
    const p = this.#projection(name);
    const scratch = `rebuild_${p.name}`;
    const { events, position } = await this.#replay(p, scratch, onProgress, log);
    await p.createIndexes?.(this.#db.withSchema(scratch));

    await this.#db.transaction().execute(async (tx) => {
      await sql`select 1 from projections.checkpoints where name = ${p.name} for update`.execute(tx);
      for (const table of p.tables) {
        await sql`drop table if exists ${sql.id('public', table)}`.execute(tx);
        await sql`alter table ${sql.id(scratch, table)} set schema public`.execute(tx);
      }
      await sql`drop schema ${sql.id(scratch)} cascade`.execute(tx);
      await tx
        .updateTable('projections.checkpoints')
        .set({ position: position === null ? null : position.toString(), version: p.version, updated_at: new Date() })
        .where('name', '=', p.name)
        .execute();
    });
    onProgress?.({ projection: p.name, events, position, fraction: 1 });
    this.#progress.dispatchEvent(new Event('advanced'));
    this.#log.info('projection rebuilt', { projection: p.name, events, position: position?.toString() ?? null });
    return { events, position };
  }

  /**
   * Rebuilds several projections, `rebuildConcurrency` at a time (or `options.concurrency`; each as `rebuild` does, on
   * connections of its own), so that one projection's reads overlap another's writes. Projections sharing a table never
   * run at once. `options.onDone` hears of each projection as it is swapped in. The first failure
   * starts no further rebuild; those already running finish (each swaps in only its own complete replay), then it is thrown.
   */
  async rebuildMany(
    names: readonly string[],
    onProgress?: (progress: RebuildProgress) => void,
    options: { readonly concurrency?: number | undefined; readonly onDone?: (result: RebuiltProjection) => void } = {},
  ): Promise<RebuiltProjection[]> {
    const concurrency = options.concurrency ?? this.#rebuildConcurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`Rebuild concurrency must be a whole number of at least 1, not ${concurrency}.`);
    const queue = names.map((n) => this.#projection(n));
    const results = new Map<string, RebuiltProjection>();
    const running = new Map<Projection, Promise<void>>();
    let failure: { error: unknown } | null = null;
    const clashes = (p: Projection) => [...running.keys()].some((r) => r.tables.some((t) => p.tables.includes(t)));
    // One pass over the log for the types it holds, instead of a filtered scan of all of it for each read model that has
    // no events (docs/benchmarks.md, "(d) rebuild"). Not for one read model alone: its own scan costs no more.
    const log = queue.length > 1 ? await this.store.typesInLog?.() : undefined;
    // The largest first (by the events of its types), so that no long replay starts last and runs alone at the end while
    // the other connections idle: "rebuild all" spent its last ~5 s of 36 on `kpi_orders` alone (docs/benchmarks.md (d)).
    if (log) {
      const size = (p: Projection) => p.eventTypes.reduce((n, t) => n + (log.types.get(t)?.events ?? 0), 0);
      queue.sort((a, b) => size(b) - size(a));
    }
    while ((queue.length > 0 && !failure) || running.size > 0) {
      const next = failure || running.size >= concurrency ? -1 : queue.findIndex((p) => !clashes(p));
      if (next === -1) {
        await Promise.race(running.values());
        continue;
      }
      const [p] = queue.splice(next, 1) as [Projection];
      const started = performance.now();
      const job = this.#rebuild(p.name, onProgress, log).then(
        (r) => {
          const result = { name: p.name, ...r, seconds: (performance.now() - started) / 1000 };
          results.set(p.name, result);
          options.onDone?.(result);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      running.set(
        p,
        job.finally(() => running.delete(p)),
      );
    }
    if (failure) throw (failure as { error: unknown }).error;
    return names.map((n) => results.get(n)!);
  }

  /**
   * Proves a read model is what its events say: replays the projection from position 0 into scratch tables, brings them to
   * exactly the live checkpoint (holding it, so no batch lands meanwhile), and compares every row of every table. Changes
   * nothing live; the scratch tables are dropped at the end.
   */
  async verify(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<ProjectionVerification> {
    const p = this.#projection(name);
    const scratch = `verify_${p.name}`;
    let { events, position } = await this.#replay(p, scratch, onProgress);
    const same = (live: string | null) => (live === null ? position === null : position !== null && BigInt(live) === position);
    try {
      for (;;) {
        const live = (await this.#checkpoint(p.name)).position;
        if (live === null ? position !== null : position !== null && BigInt(live) < position) {
          // The live projection is behind the replay: bring it up to date first.
          await this.#catchUpOne(p, await this.store.headPosition());
          continue;
        }
        if (!same(live)) {
          // The live projection went on while the replay ran: replay what it applied since, up to its checkpoint.
          const more: RecordedEvent[] = [];
          for await (const e of this.store.readAll({ ...(position === null ? {} : { from: position }), filter: { eventTypes: p.eventTypes } })) {
            if (e.globalPosition > BigInt(live!)) break;
            more.push(e);
          }
          if (more.length > 0) await this.#db.transaction().execute((tx) => p.apply(tx.withSchema(scratch), more));
          events += more.length;
          position = BigInt(live!);
          continue;
        }
        const result = await this.#db.transaction().execute(async (tx): Promise<ProjectionVerification | null> => {
          // Holding the checkpoint row, so that no live batch lands while the tables are compared; if one landed just
          // before, go round again.
          const row = await sql<{ position: string | null }>`
            select position::text as position from projections.checkpoints where name = ${p.name} for update`.execute(tx);
          if (!same(row.rows[0]?.position ?? null)) return null;
          const tables: TableComparison[] = [];
          for (const table of p.tables) tables.push(await compareTables(tx, table, scratch));
          return { projection: p.name, position: position?.toString() ?? null, events, ok: tables.every((t) => t.missing === 0 && t.unexpected === 0), tables };
        });
        if (result) return result;
      }
    } finally {
      await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(this.#db);
    }
  }
}

/** How a live table compares with its replay: rows the replay has that the live table lacks, and the reverse. */
export interface TableComparison {
  readonly table: string;
  /** Rows of the replay. */
  readonly rows: number;
  /** Rows of the replay missing from (or different in) the live table. */
  readonly missing: number;
  /** Rows of the live table that the replay does not have (or has differently). */
  readonly unexpected: number;
  /** A few of each, as JSON, to show what differs. */
  readonly samples: { readonly missing: readonly unknown[]; readonly unexpected: readonly unknown[] };
}

export interface ProjectionVerification {
  readonly projection: string;
  /** The checkpoint at which live tables and replay were compared. */
  readonly position: string | null;
  readonly events: number;
  readonly ok: boolean;
  readonly tables: readonly TableComparison[];
}

const SAMPLES = 5;

// biome-ignore lint/suspicious/noExplicitAny: compares any read-model table by its catalogued columns.
const compareTables = async (db: Kysely<any>, table: string, scratch: string): Promise<TableComparison> => {
  const { rows: cols } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns where table_schema = ${scratch} and table_name = ${table} order by ordinal_position`.execute(db);
  const columns = sql.join(cols.map((c) => sql.id(c.column_name)));
  const replayed = sql`select ${columns} from ${sql.id(scratch, table)}`;
  const live = sql`select ${columns} from ${sql.id('public', table)}`;
  const diff = async (a: typeof live, b: typeof live) => {
    const { rows } = await sql<{ n: number; samples: unknown[] | null }>`
      with d as (${a} except all ${b})
      select count(*)::int as n, (select json_agg(row_to_json(s)) from (select * from d limit ${SAMPLES}) s) as samples from d`.execute(db);
    return { n: rows[0]?.n ?? 0, samples: rows[0]?.samples ?? [] };
  };
  const missing = await diff(replayed, live);
  const unexpected = await diff(live, replayed);
  const count = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(scratch, table)}`.execute(db);
  return {
    table,
    rows: count.rows[0]?.n ?? 0,
    missing: missing.n,
    unexpected: unexpected.n,
    samples: { missing: missing.samples, unexpected: unexpected.samples },
  };
};

/** A batch in `n` parts (fewer when it holds fewer keys), a key's events all in one part and in their order; keys dealt in turn. */
const partition = (events: readonly RecordedEvent[], keyOf: (e: RecordedEvent) => string, n: number): RecordedEvent[][] => {
  const parts: RecordedEvent[][] = Array.from({ length: n }, () => []);
  const partOfKey = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    const key = keyOf(e);
    let part = partOfKey.get(key);
    if (!part) {
      part = parts[partOfKey.size % n]!;
      partOfKey.set(key, part);
    }
    part.push(e);
  }
  return parts.filter((p) => p.length > 0);
};
