import { CompiledQuery, type Kysely, sql } from 'kysely';
import { IdempotencyConflict, WrongExpectedVersion } from '../errors';
import { canonicalContent, HASH_VERSION } from '../hash-chain';
import { ChangeSignal, pollingSubscription } from '../polling-subscription';
import {
  type AppendOptions,
  type AppendResult,
  type EventFilter,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type LoggedType,
  METADATA_LEFT_OUT,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import { PostgresSnapshotStore } from '../snapshots';
import { preparedStatement, rawQueryOf } from '../sql/database';
import { recordSchemaHashes, schemaHashes, schemaIsCurrent } from '../sql/schema-hash';
import { migrateEventStore } from './postgres-schema';
import { checkAppend, checkMaxCount, checkStreamId, checkUnit } from './validate';

export interface PostgresEventStoreOptions {
  /** Rows fetched per round trip while streaming reads. */
  readonly pageSize?: number;
  /**
   * How often the store's stable head is probed, while a live subscription waits, for events appended by other processes
   * or connections (one query, however many subscriptions wait); this process's own appends wake them at once.
   */
  readonly pollIntervalMs?: number;
}

/** The longest a caught-up subscription waits without being woken by an append or by the head's probe. */
const SUBSCRIPTION_SAFETY_WAKE_MS = 5_000;

interface EventRow {
  position: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

/** A row of `eventstore.append`, as the function returns it: status, stream_version, global_position, event_id, metadata, prev_hash, hash, recorded_ms. */
type AppendTuple = readonly [
  status: 'event' | 'duplicate' | 'conflict' | 'wrong_expected_version',
  streamVersion: number | null,
  globalPosition: string | null,
  eventId: string | null,
  /** Only for an event already in the store (a repeated append): a written event's metadata are the caller's plus its link. */
  metadata: EventMetadata | null,
  prevHash: string | null,
  hash: string | null,
  recordedMs: number | null,
];

/**
 * The function's rows as `RawQuery` gives them, every column text, parsed here: the few columns an append reads cost less
 * to parse by hand than node-postgres's per-call setup of a parser per column.
 */
const parseAppendRow = (row: (string | null)[]): AppendTuple => {
  const [status, streamVersion, globalPosition, eventId, metadata, prevHash, hash, recordedMs] = row as unknown as RawTuple;
  return [
    status as AppendTuple[0],
    streamVersion === null ? null : Number(streamVersion),
    globalPosition,
    eventId,
    metadata === null ? null : (JSON.parse(metadata) as EventMetadata),
    prevHash,
    hash,
    recordedMs === null ? null : Number(recordedMs),
  ];
};
/** A row of the function as text, in `AppendTuple`'s order. */
type RawTuple = readonly [string, string | null, string | null, string | null, string | null, string | null, string | null, string | null];

/** The same rows through kysely (a transaction, or a kysely the store was given with a plugin), already parsed by the driver. */
interface AppendRow {
  status: AppendTuple[0];
  stream_version: number | null;
  global_position: string | null;
  event_id: string | null;
  metadata: EventMetadata | null;
  prev_hash: string | null;
  hash: string | null;
  recorded_ms: number | null;
}
const appendRowTuple = (r: AppendRow): AppendTuple => [
  r.status,
  r.stream_version,
  r.global_position,
  r.event_id,
  r.metadata,
  r.prev_hash,
  r.hash,
  r.recorded_ms,
];

const expectedCode = (expected: ExpectedVersion): number =>
  expected === 'no_stream' ? -1 : expected === 'any' ? -2 : expected === 'stream_exists' ? -3 : expected;

/** The event of a row of `COLUMNS` (`readStream`, unfiltered `readAll`): the recording time as postgres-date parsed it. */
const toRecorded = (row: EventRow): RecordedEvent => ({
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  globalPosition: BigInt(row.position),
  eventId: row.event_id,
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at,
});

const filterSql = (filter: EventFilter | undefined) => {
  const parts = [];
  if (filter?.eventTypes) parts.push(sql`type = any(${[...filter.eventTypes]}::text[])`);
  if (filter?.streamPrefixes)
    parts.push(
      sql`(${sql.join(
        filter.streamPrefixes.map((p) => sql`starts_with(stream_id, ${p})`),
        sql` or `,
      )})`,
    );
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
};

/**
 * The statements of an append, prepared once per server connection (`preparedStatement`) and sent already compiled:
 * building and compiling kysely's query tree on every append cost ~7 % of an append's client CPU (`pnpm bench:append`).
 * One event goes as plain parameters to `eventstore.append_one`, several as one jsonb array to `eventstore.append`.
 */
const APPEND_SQL = preparedStatement('select * from eventstore.append($1, $2::int, $3::jsonb)');
const APPEND_ONE_SQL = preparedStatement('select * from eventstore.append_one($1, $2::int, $3::uuid, $4, $5::jsonb, $6::jsonb, $7)');
/** The same for an append that is its own transaction: no idempotency arbiter; a repeated id raises (`isRepeatedId`). */
const APPEND_ONE_OR_RAISE_SQL = preparedStatement('select * from eventstore.append_one_or_raise($1, $2::int, $3::uuid, $4, $5::jsonb, $6::jsonb, $7)');

/** The error `eventstore.append_one_or_raise` raises when the event's id is already in the log. */
const isRepeatedId = (error: unknown): boolean =>
  (error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'events_event_id_key';

/** Events as `eventstore.append` takes them: one jsonb array, each event's data and metadata as their canonical text. */
const appendPayload = (events: readonly NewEvent[], ids: readonly string[]): string => {
  let payload = '[';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const c = canonicalContent({ eventId: ids[i]!, type: e.type, data: e.data, metadata: e.metadata });
    payload += `${i === 0 ? '' : ','}{"eventId":"${ids[i]}","type":${JSON.stringify(e.type)},${c.data === undefined ? '' : `"data":${c.data},`}"metadata":${c.metadata},"contentHash":"${c.hash}"}`;
  }
  return `${payload}]`;
};

/**
 * Runs an append statement: through the database's raw path (`rawQueryOf`) when `db` is the instance `openDatabase`
 * made, which spares kysely and node-postgres's per-call parser setup (`pnpm bench:append`, docs/benchmarks.md (a));
 * through `db` itself otherwise, so that an append inside a transaction runs on the transaction's connection.
 */
const runAppend = async (db: Kysely<unknown>, text: string, values: readonly (string | null)[]): Promise<AppendTuple[]> => {
  const raw = rawQueryOf(db);
  if (raw) return (await raw(text, values)).map(parseAppendRow);
  return (await db.executeQuery<AppendRow>(CompiledQuery.raw(text, [...values]))).rows.map(appendRowTuple);
};

const COLUMNS = sql`global_position::text as position, stream_id, stream_version, event_id::text as event_id, type, data, metadata, recorded_at`;

/** Below every position: the start of a scan from the beginning of the log. */
const MIN_POSITION = '-9223372036854775808';

/** A text[] parameter as PostgreSQL's array literal text (null for none): every element quoted, `"` and `\\` escaped. */
const textArray = (items: readonly string[] | undefined): string | null =>
  items === undefined ? null : `{${items.map((i) => `"${i.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * `#scan`'s statement, the same text by the raw path and through kysely: one prepared statement whatever the filter, its
 * columns in the order `fromScanRow` reads them, then how far the window reached and how many events it held (on every
 * row, and on the one row of an empty page, whose event columns are null). The recording time comes as whole epoch
 * milliseconds (floored, as postgres-date truncates the microseconds a timestamptz holds): no timestamp text to parse.
 */
const SCAN_SQL = preparedStatement(`with scan as materialized (
  select * from eventstore.events
  where global_position > $1::bigint and global_position < eventstore.stable_bound()
  order by global_position limit $2::int
)
select page.position, page.stream_id, page.stream_version, page.event_id, page.type, page.data,
  case when $5::boolean then page.metadata end as metadata, page.recorded_ms,
  (select max(global_position)::text from scan) as scanned_to, (select count(*) from scan) as scanned
from (select 1) one left join (
  select global_position::text as position, stream_id, stream_version, event_id::text as event_id, type, data, metadata,
    floor(extract(epoch from recorded_at) * 1000)::int8 as recorded_ms, global_position as sort_key
  from scan
  where ($3::text[] is null or type = any($3::text[]))
    and ($4::text[] is null or exists (select from unnest($4::text[]) prefix where starts_with(stream_id, prefix)))
) page on true
order by page.sort_key`);

/**
 * `SCAN_SQL`'s parameters: the start (below every position for none), the window, types and prefixes (null for none),
 * and whether the metadata are wanted.
 */
const scanParameters = (after: GlobalPosition | undefined, window: number, filter: EventFilter | undefined, metadata: boolean): (string | null)[] => [
  after === undefined ? MIN_POSITION : after.toString(),
  String(window),
  textArray(filter?.eventTypes),
  textArray(filter?.streamPrefixes),
  String(metadata),
];

/**
 * A row of `SCAN_SQL`, its cells in the statement's order: position, stream, version, id, type, data, metadata, recording
 * time (epoch ms), scanned_to, scanned. By the raw path every cell is text. Through kysely the driver has parsed them:
 * data and metadata (`jsonb`) already values (`jsonParsed`), version and the int8 columns numbers (or, with another
 * driver's settings, an int8 as text or a bigint: `Number` takes each alike); position and scanned_to are text either way.
 */
type ScanCells = readonly unknown[];

/**
 * An event of a `SCAN_SQL` row, whichever path read it: the same event `readStream` gives (a test compares them), its
 * recording time to the millisecond. A plain object: an event whose metadata were parsed lazily, through a getter, was
 * measured slower (V8 keeps an object literal with an accessor in dictionary mode: ~2x the cost to create, ~3x to read a
 * field).
 */
const fromScanRow = (r: ScanCells, jsonParsed: boolean): RecordedEvent => ({
  streamId: r[1] as string,
  streamVersion: Number(r[2]),
  globalPosition: BigInt(r[0] as string),
  eventId: r[3] as string,
  type: r[4] as string,
  data: jsonParsed || r[5] === null ? r[5] : JSON.parse(r[5] as string),
  // Null only when left out (SubscribeOptions.metadata): the column is not null.
  metadata: r[6] === null ? METADATA_LEFT_OUT : ((jsonParsed ? r[6] : JSON.parse(r[6] as string)) as EventMetadata),
  recordedAt: new Date(Number(r[7])),
});

/** The events of a `SCAN_SQL` result (an empty page is one row of nulls), how far its window reached and how many it held. */
const scanPage = (rows: readonly ScanCells[], jsonParsed: boolean) => {
  const events: RecordedEvent[] = [];
  for (const r of rows) if (r[0] !== null) events.push(fromScanRow(r, jsonParsed));
  const head = rows[0];
  return { events, scannedTo: head?.[8] ? BigInt(head[8] as string) : null, scanned: head ? Number(head[9]) : 0 };
};

/**
 * The PostgreSQL adapter, for a server and for embedded PGlite alike. An append is one round trip: the stored function
 * `eventstore.append` locks the stream, checks the expected version and idempotency, links the hash chain against the
 * stream's actual last event, and inserts, all in one implicit transaction.
 */
export class PostgresEventStore implements EventStore {
  readonly #changes: ChangeSignal;
  readonly #pageSize: number;
  readonly snapshots: PostgresSnapshotStore;

  private constructor(
    private readonly db: Kysely<unknown>,
    options: PostgresEventStoreOptions,
  ) {
    this.#pageSize = options.pageSize ?? 1000;
    this.#changes = new ChangeSignal({ read: () => this.#stableHead(), intervalMs: options.pollIntervalMs ?? 100 });
    this.snapshots = new PostgresSnapshotStore(db);
  }

  /** Creates the schema if needed and returns a store over it. */
  static async create(db: Kysely<unknown>, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    // The schema's statements, unless they already ran (sql/schema-hash.ts): a `dms` command then sends none of its DDL.
    const hashes = await schemaHashes([{ name: 'eventstore', setup: migrateEventStore }]);
    if (!(await schemaIsCurrent(db, 'eventstore', hashes))) {
      await migrateEventStore(db);
      await recordSchemaHashes(db, 'eventstore', hashes);
    }
    return new PostgresEventStore(db, options);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const expected = checkAppend(streamId, events, options);
    const result = await this.#append(this.db, streamId, events, expected);
    if (result.written) this.#changes.notify();
    return result.result;
  }

  /**
   * One transaction for every part. It takes every stream's lock (in a fixed order, so that two units never deadlock)
   * before the first insert takes the transaction id: a later appender to any of these streams still gets larger
   * positions, as with single appends. A refused part rolls back the parts before it.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> {
    const expected = checkUnit(appends);
    const results = await this.db.transaction().execute(async (trx) => {
      for (const streamId of appends.map((a) => a.streamId).sort()) await sql`select pg_advisory_xact_lock(hashtextextended(${streamId}, 0))`.execute(trx);
      const out = [];
      for (const [i, a] of appends.entries()) out.push(await this.#append(trx, a.streamId, a.events, expected[i]!));
      return out;
    });
    if (results.some((r) => r.written)) this.#changes.notify();
    return results.map((r) => r.result);
  }

  async #append(
    db: Kysely<unknown>,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<{ result: AppendResult; written: boolean }> {
    // Each event's id lower-cased once; its data and metadata serialised once, canonically, for its content hash and
    // for the payload alike.
    const ids = events.map((e) => e.eventId.toLowerCase());
    const code = String(expectedCode(expected));
    let rows: AppendTuple[];
    try {
      if (events.length === 1) {
        const e = events[0]!;
        const c = canonicalContent({ eventId: ids[0]!, type: e.type, data: e.data, metadata: e.metadata });
        // Its own transaction (the raw path) goes without the arbiter, whose speculative insert every append would pay
        // for; a repeated id is then answered by eventstore.append (a retry that landed, or a conflict), one more round
        // trip on that path only. Inside a transaction an error would abort it: the arbiter stays.
        const alone = rawQueryOf(db) !== undefined;
        try {
          rows = await runAppend(db, alone ? APPEND_ONE_OR_RAISE_SQL : APPEND_ONE_SQL, [streamId, code, ids[0]!, e.type, c.data ?? null, c.metadata, c.hash]);
        } catch (error) {
          if (!alone || !isRepeatedId(error)) throw error;
          rows = await runAppend(db, APPEND_SQL, [streamId, code, appendPayload(events, ids)]);
        }
      } else rows = await runAppend(db, APPEND_SQL, [streamId, code, appendPayload(events, ids)]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new IdempotencyConflict(
          streamId,
          events.map((e) => e.eventId),
        );
      throw error;
    }
    const head = rows[0];
    if (head?.[0] === 'wrong_expected_version') throw new WrongExpectedVersion(streamId, expected, head[1] ?? -1);
    if (head?.[0] === 'conflict')
      throw new IdempotencyConflict(
        streamId,
        events.map((e) => e.eventId),
      );
    // Rows are matched to events by id: nothing guarantees the order in which RETURNING gives them back.
    const byId = events.length === 1 ? null : new Map(ids.map((id, i) => [id, events[i]!]));
    const recorded: RecordedEvent[] = [];
    // A status row has no position; a repeated single event comes back as one 'duplicate' row with the stored event.
    for (const [, streamVersion, globalPosition, eventId, metadata, prevHash, hash, recordedMs] of rows) {
      if (globalPosition === null) continue;
      const event = byId ? byId.get(eventId!)! : events[0]!;
      recorded.push({
        streamId,
        streamVersion: streamVersion!,
        globalPosition: BigInt(globalPosition),
        eventId: eventId!,
        type: event.type,
        data: event.data,
        // The caller's metadata with the link the function made (as data is the caller's): what was stored, unparsed.
        metadata: metadata ?? { ...event.metadata, prevHash, hash: hash!, hashVersion: HASH_VERSION },
        recordedAt: new Date(recordedMs!),
      });
    }
    if (recorded.length > 1) recorded.sort((a, b) => a.streamVersion - b.streamVersion);
    const last = recorded.at(-1)!;
    const written = head?.[0] === 'event';
    return { result: { streamVersion: last.streamVersion, position: last.globalPosition, events: recorded, ...(written ? {} : { repeated: true }) }, written };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    checkStreamId(streamId);
    let remaining = checkMaxCount(options.maxCount);
    const backwards = options.direction === 'backwards';
    let from = options.from;
    while (remaining > 0) {
      const limit = Math.min(remaining, this.#pageSize);
      const bound = from === undefined ? sql`true` : backwards ? sql`stream_version <= ${from}` : sql`stream_version >= ${from}`;
      const { rows } = await sql<EventRow>`
        select ${COLUMNS} from eventstore.events where stream_id = ${streamId} and ${bound}
        order by stream_version ${backwards ? sql`desc` : sql`asc`} limit ${limit}`.execute(this.db);
      for (const row of rows) yield toRecorded(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      const last = rows.at(-1)!.stream_version;
      from = backwards ? last - 1 : last + 1;
    }
  }

  /**
   * One statement, one snapshot: the next `window` events of the stable prefix after `after`, those matching the filter,
   * and how far the window reached. The window is scanned by primary key without the filter, so the plan is always a
   * bounded index scan, never a scan-and-sort of the whole remaining log. One statement, `SCAN_SQL`, whichever path runs
   * it. On the instance `openDatabase` made, its raw path: the rows as text, without node-postgres's row objects and
   * per-column parsers, whose garbage was ~40 % of Node's busy time reading the log (docs/benchmarks.md (d), "2026-12-04
   * night (log read)"). Through kysely otherwise (a kysely with a plugin, a shared data folder), with the same text and
   * parameters: the driver's row objects, whose values `fromScanRow` reads as parsed (node-postgres and PGlite build a
   * row's keys in column order, and no column name is numeric, so `Object.values` keeps the statement's order).
   */
  async #scan(after: GlobalPosition | undefined, window: number, filter: EventFilter | undefined, metadata = true) {
    const parameters = scanParameters(after, window, filter, metadata);
    const raw = rawQueryOf(this.db);
    if (raw) return scanPage(await raw(SCAN_SQL, parameters), false);
    const { rows } = await this.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(SCAN_SQL, parameters));
    return scanPage(rows.map(Object.values), true);
  }

  /** Reads the stable prefix of `$all` only: events of transactions still in flight are not visible yet. */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let remaining = checkMaxCount(options.maxCount);
    const backwards = options.direction === 'backwards';
    let from = options.from;
    if (!backwards && options.filter) {
      // Filtered reads walk the log in bounded windows (see #scan), whatever the filter's selectivity.
      for (;;) {
        const { events, scannedTo, scanned } = await this.#scan(from, this.#pageSize, options.filter);
        for (const event of events) {
          if (remaining-- <= 0) return;
          yield event;
        }
        if (scanned < this.#pageSize || scannedTo === null) return;
        from = scannedTo;
      }
    }
    while (remaining > 0) {
      const limit = Math.min(remaining, this.#pageSize);
      const start =
        from === undefined ? sql`true` : backwards ? sql`global_position < ${from.toString()}::bigint` : sql`global_position > ${from.toString()}::bigint`;
      const { rows } = await sql<EventRow>`
        select ${COLUMNS} from eventstore.events
        where ${start} and global_position < eventstore.stable_bound() and ${filterSql(options.filter)}
        order by global_position ${backwards ? sql`desc` : sql`asc`} limit ${limit}`.execute(this.db);
      for (const row of rows) yield toRecorded(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      from = BigInt(rows.at(-1)!.position);
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return pollingSubscription(
      {
        fetch: async (after, limit, filter) => {
          const { events, scannedTo, scanned } = await this.#scan(after, limit, filter, options.metadata !== false);
          return { events, scannedTo, exhausted: scanned < limit };
        },
        // The head's probe wakes a waiting subscription when there is something to read: its own timer is a safety net.
        waitForChange: (_ms, signal, since) => this.#changes.wait(SUBSCRIPTION_SAFETY_WAKE_MS, signal, since),
        changeEpoch: () => this.#changes.epoch,
      },
      options,
    );
  }

  /** The last event of the stable prefix: it moves exactly when new events become readable to subscriptions (#scan). */
  async #stableHead(): Promise<string | null> {
    const { rows } = await sql<{ head: string | null }>`
      select max(global_position)::text as head from eventstore.events where global_position < eventstore.stable_bound()`.execute(this.db);
    return rows[0]?.head ?? null;
  }

  /**
   * One statement, one snapshot: every type below the stable bound (what `#scan` can deliver) with its count and last
   * position, and the last position of all. A full pass over the log (the table has no index on type), paid once for all
   * the read models a rebuild replays; counting costs nothing more in that pass.
   */
  async typesInLog(): Promise<{ types: ReadonlyMap<string, LoggedType>; position: GlobalPosition | null }> {
    const { rows } = await sql<{ type: string; last: string; events: number }>`
      select type, max(global_position)::text as last, count(*)::int as events from eventstore.events
      where global_position < (select eventstore.stable_bound()) group by type`.execute(this.db);
    let position: GlobalPosition | null = null;
    const types = new Map<string, LoggedType>();
    for (const r of rows) {
      const last = BigInt(r.last);
      if (position === null || last > position) position = last;
      types.set(r.type, { events: r.events, last });
    }
    return { types, position };
  }

  async headPosition(): Promise<GlobalPosition | null> {
    const { rows } = await sql<{ head: string | null }>`select max(global_position)::text as head from eventstore.events`.execute(this.db);
    return rows[0]?.head ? BigInt(rows[0].head) : null;
  }

  /** The store does not own the database connection; whoever opened it closes it. */
  async close(): Promise<void> {}
}
