import { hostname } from 'node:os';
import { type Kysely, sql } from 'kysely';
import type { Logger } from './runner';

/**
 * Work that one worker at a time should do: a projection, a process manager, the webhook dispatcher, the agreement
 * calendar. `start` begins it in the background; `stop` ends it and resolves once nothing of it runs any more.
 */
export interface LeasedWork {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

export interface LeaseOptions {
  /** Who this worker is, as `dms projections status` shows it; `dms worker <host>:<pid>` by default. */
  readonly owner?: string;
  /** How often leases are looked at: free ones taken, a fair share kept, the session checked. Default 1000 ms. */
  readonly checkEveryMs?: number;
  readonly logger?: Logger;
}

/** The first key of every DMS lease ("dmsL"); the second is the work's name hashed to 32 bits. */
const LEASE_NAMESPACE = 0x646d734c;
/** Sessions of workers carry this prefix in `application_name`: how workers count each other, and how status finds owners. */
export const WORKER_APPLICATION_PREFIX = 'dms worker ';

/** FNV-1a over the name's UTF-16 units, as a signed 32-bit integer (what `pg_try_advisory_lock(int, int)` takes). */
export const leaseKey = (name: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
};

export const defaultWorkerName = (): string => `${hostname()}:${process.pid}`;

/**
 * Shares work between workers through PostgreSQL session advisory locks, held on one connection of its own: whoever holds
 * the lock `(dmsL, hash(name))` does that work. When a worker dies, its session ends and the server releases its locks at
 * once (a process killed outright: as soon as the server sees the connection close; a vanished host: when TCP keepalive
 * gives up); another worker takes them at its next look, within `checkEveryMs`. Each worker keeps at most its fair share
 * (the work divided by the workers connected, rounded up) and lets go of one surplus lease a look, so a worker that joins
 * gets its share within seconds.
 *
 * The lease only decides who works; exactly-once application does not depend on it: each batch still moves its
 * projection's checkpoint by compare-and-set in the transaction that writes its rows, and process managers send their
 * commands with ids derived from the event. Two owners for a moment (a session the server thinks alive while its worker
 * is cut off) cost a retried batch, never a batch applied twice.
 */
export class LeaseHolder {
  readonly #owner: string;
  readonly #work: readonly LeasedWork[];
  readonly #keys = new Map<string, number>();
  readonly #owned = new Set<string>();
  readonly #log: Logger | undefined;
  #stopping = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(
    // biome-ignore lint/suspicious/noExplicitAny: only pg_* functions and catalogue views are queried.
    private readonly db: Kysely<any>,
    work: readonly LeasedWork[],
    private readonly options: LeaseOptions = {},
  ) {
    this.#owner = `${WORKER_APPLICATION_PREFIX}${options.owner ?? defaultWorkerName()}`.slice(0, 63);
    this.#work = work;
    this.#log = options.logger;
    for (const w of work) {
      const key = leaseKey(w.name);
      const clash = [...this.#keys].find(([, k]) => k === key);
      if (clash) throw new Error(`Leases of ${clash[0]} and ${w.name} would share a key; rename one of them.`);
      this.#keys.set(w.name, key);
    }
  }

  /** This worker's name as other sessions see it (`application_name`). */
  get owner(): string {
    return this.#owner;
  }

  /** The work this worker holds now. */
  owned(): string[] {
    return this.#work.map((w) => w.name).filter((n) => this.#owned.has(n));
  }

  /** Starts taking leases in the background, until `stop()`. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops every piece of work held, then lets go of the leases (other workers take them at their next look). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let backoff = 500;
    while (!this.#stopping) {
      try {
        await this.db.connection().execute(async (conn) => {
          await sql`select set_config('application_name', ${this.#owner}, false)`.execute(conn);
          backoff = 500;
          try {
            while (!this.#stopping) {
              await this.#look(conn);
              await this.#sleep(this.options.checkEveryMs ?? 1000);
            }
          } finally {
            await this.#releaseAll();
            // The session may be gone already; then so are its locks.
            await sql`select pg_advisory_unlock_all()`.execute(conn).catch(() => undefined);
          }
        });
      } catch (error) {
        if (this.#stopping) break;
        this.#log?.warn('lease session lost: work stopped until it is back', { owner: this.#owner, error: (error as Error).message, retryInMs: backoff });
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: see the constructor.
  async #look(conn: Kysely<any>): Promise<void> {
    const { rows } = await sql<{ workers: number }>`
      select count(*)::int as workers from pg_stat_activity
      where datname = current_database() and starts_with(application_name, ${WORKER_APPLICATION_PREFIX})`.execute(conn);
    const workers = Math.max(1, rows[0]?.workers ?? 1);
    const share = Math.ceil(this.#work.length / workers);
    if (this.#owned.size > share) {
      // One at a time: the others have a second to take it before this worker lets go of another.
      const surplus = this.#work.filter((w) => this.#owned.has(w.name)).at(-1)!;
      await this.#release(surplus);
      await sql`select pg_advisory_unlock(${LEASE_NAMESPACE}::int, ${this.#keys.get(surplus.name)!}::int)`.execute(conn);
      this.#log?.info('lease handed on (fair share)', { owner: this.#owner, work: surplus.name, workers, share });
      return;
    }
    // Free work is tried in an order of this worker's own, so that workers starting together do not all reach for the same.
    const offset = Math.abs(leaseKey(this.#owner)) % Math.max(1, this.#work.length);
    const order = [...this.#work.slice(offset), ...this.#work.slice(0, offset)];
    for (const w of order) {
      if (this.#stopping || this.#owned.size >= share) break;
      if (this.#owned.has(w.name)) continue;
      const { rows: got } = await sql<{ ok: boolean }>`
        select pg_try_advisory_lock(${LEASE_NAMESPACE}::int, ${this.#keys.get(w.name)!}::int) as ok`.execute(conn);
      if (!got[0]?.ok) continue;
      this.#owned.add(w.name);
      this.#log?.info('lease taken', { owner: this.#owner, work: w.name });
      w.start();
    }
  }

  async #release(w: LeasedWork): Promise<void> {
    this.#owned.delete(w.name);
    await w.stop();
  }

  async #releaseAll(): Promise<void> {
    const held = this.#work.filter((w) => this.#owned.has(w.name));
    this.#owned.clear();
    await Promise.all(held.map((w) => w.stop()));
  }

  /** Resolves after `ms`, or at once when `stop()` is called meanwhile or was before (a look in flight when it was). */
  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

/**
 * Who holds each lease, by the holder's `application_name` (`dms worker <host>:<pid>`); work no worker holds is absent.
 * PostgreSQL only: advisory locks and `pg_stat_activity` are the server's.
 */
// biome-ignore lint/suspicious/noExplicitAny: catalogue views only.
export const leaseOwners = async (db: Kysely<any>, names: readonly string[]): Promise<Map<string, string>> => {
  const byKey = new Map(names.map((n) => [leaseKey(n), n]));
  const { rows } = await sql<{ key: number; owner: string }>`
    select (l.objid::bigint - case when l.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int as key, a.application_name as owner
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.classid::bigint = ${LEASE_NAMESPACE}::bigint and l.objsubid = 2
      and l.database = (select oid from pg_database where datname = current_database())`.execute(db);
  const owners = new Map<string, string>();
  for (const r of rows) {
    const name = byKey.get(Number(r.key));
    if (name) owners.set(name, r.owner.startsWith(WORKER_APPLICATION_PREFIX) ? r.owner.slice(WORKER_APPLICATION_PREFIX.length) : r.owner);
  }
  return owners;
};
