/**
 * `pnpm bench`: throughput of the event store, the command path and projection rebuilds against a real PostgreSQL, next to
 * the ceilings of plain INSERTs of the same rows, written to docs/benchmarks.md. See that file for the method.
 *
 * It creates a scratch database `dms_bench_<timestamp>` on the server and drops it at the end (unless --keep-db).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CommandBus, type DmsCommand } from '@dms/app';
import { aggregates, type OrderCommand, type OrderEvent } from '@dms/domain';
import { type ExpectedVersion, type NewEvent, openDatabase, PostgresEventStore, redactUrl } from '@dms/eventstore';
import { allProjections, ordersProjection, ProjectionRunner, type RebuildProgress } from '../src';
import { type EmmettPeer, openEmmett } from './emmett';
import { generateOrder, loadWorld, paidOrderCommands, paidOrderTemplate, seededRandom, worldCommands } from './fixtures';
import { combine, describeUse, ResourceMeter, runTimed, type TimedResult } from './measure';
import { type BenchOptions, parseOptions } from './options';
import { type PgPool, pg } from './pg';
import { bar, fmtInt, Progress } from './progress';
import { type BenchResults, type Machine, type RebuildResult, type SeedResult, writeReport } from './report';
import { Stopwatch, TimedStore, timedProjection } from './timed-wrappers';

const fmtSeconds = (s: number) => `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// ---------------------------------------------------------------------------------------------------------------------
// Scratch database

const scratchDatabase = async (baseUrl: string, suffix = '') => {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
  const name = `dms_bench_${stamp}_${process.pid}${suffix}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(baseUrl)}: ${(error as Error).message}. Set BENCH_DATABASE_URL.`);
  }
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
};

// ---------------------------------------------------------------------------------------------------------------------
// Event rows: the same events, and the same JSON, for the store and for the raw ceilings

/** A paid order's eight events, decided by the domain; each stream gets them with its own order id. */
const TEMPLATE = paidOrderTemplate();
const HASH_SIZED = 'f'.repeat(64);

const metadataFor = (writer: number) => ({
  correlationId: randomUUID(),
  causationId: null,
  commandId: randomUUID(),
  actor: { id: `bench-writer-${writer}`, role: 'system' as const },
  schemaVersion: 1,
});

const eventAt = (template: readonly OrderEvent[], orderId: string, version: number, writer: number): NewEvent => {
  const e = template[version % template.length]!;
  return { eventId: randomUUID(), type: e.type, data: { ...e.data, orderId }, metadata: metadataFor(writer) };
};

/**
 * Where a writer appends next: its own streams, `streamLength` events each, then a fresh one, with the expected version
 * a real writer would pass (`no_stream` first, then the version it last wrote).
 */
class StreamCursor {
  #stream = 0;
  #version = -1;

  constructor(
    private readonly prefix: string,
    private readonly writer: number,
    private readonly streamLength: number,
  ) {}

  get orderId(): string {
    return `${this.prefix}${this.writer}-${this.#stream}`;
  }
  get streamId(): string {
    return `order-${this.orderId}`;
  }
  get version(): number {
    return this.#version;
  }
  get expected(): ExpectedVersion {
    return this.#version === -1 ? 'no_stream' : this.#version;
  }

  events(count: number): NewEvent[] {
    return Array.from({ length: count }, (_, i) => eventAt(TEMPLATE.events, this.orderId, this.#version + 1 + i, this.writer));
  }

  advance(count: number): void {
    this.#version += count;
    if (this.#version + 1 >= this.streamLength) {
      this.#stream++;
      this.#version = -1;
    }
  }
}

/** The table a plain INSERT writes: eventstore.events' columns, keys and unique constraints, positions from an identity. */
const RAW_TABLE = `
  create schema if not exists bench;
  create table bench.raw_events (
    global_position bigint generated always as identity primary key,
    stream_id text not null,
    stream_version integer not null,
    event_id uuid not null,
    type text not null,
    data jsonb not null,
    metadata jsonb not null,
    recorded_at timestamptz not null,
    constraint raw_events_stream_version_key unique (stream_id, stream_version),
    constraint raw_events_event_id_key unique (event_id)
  );
  -- The bound of (a): what any append with exact expected versions and per-stream order does at least, in one function
  -- as the store's: the stream's lock, its head read, the insert. No chain link and no idempotency, which the store adds.
  create function bench.append_bound(p_stream text, p_expected integer, p_id uuid, p_type text, p_data jsonb, p_metadata jsonb)
  returns integer language plpgsql as $fn$
  declare
    v_current integer;
    v_prev text;
    v_ignored text;
  begin
    v_ignored := pg_advisory_xact_lock(hashtextextended(p_stream, 0))::text;
    select e.stream_version, e.metadata->>'hash' into v_current, v_prev
      from bench.raw_events e where e.stream_id = p_stream order by e.stream_version desc limit 1;
    v_current := coalesce(v_current, -1);
    if v_current <> p_expected then
      raise exception 'bound: % is at version %, not %', p_stream, v_current, p_expected;
    end if;
    insert into bench.raw_events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
      values (p_stream, v_current + 1, p_id, p_type, p_data, p_metadata, clock_timestamp());
    return v_current + 1;
  end
  $fn$`;

const rawInsertSql = (rows: number): string => {
  const values = Array.from({ length: rows }, (_, r) => {
    const b = r * 6;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, clock_timestamp())`;
  });
  return `insert into bench.raw_events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) values ${values.join(', ')}`;
};

/** The row the store would write for `event`, with metadata as stored (prevHash and hash filled, same sizes). */
const rawParams = (streamId: string, version: number, event: NewEvent, out: unknown[]): void => {
  out.push(
    streamId,
    version,
    event.eventId,
    event.type,
    JSON.stringify(event.data),
    JSON.stringify({ ...event.metadata, prevHash: version === 0 ? null : HASH_SIZED, hash: HASH_SIZED }),
  );
};

// ---------------------------------------------------------------------------------------------------------------------

const main = async (): Promise<void> => {
  const parsed = parseOptions(process.argv.slice(2), process.env, resolve(ROOT, 'docs/benchmarks.md'));
  if (parsed === 'help') return;
  const options: BenchOptions = parsed;
  const progress = new Progress();
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const wants = (part: string) => options.only.has(part);

  console.log(
    `DMS benchmark: ${options.writers} writers; each measurement ${options.durationSeconds} s in ${options.rounds} rounds, ${options.warmupSeconds} s warm-up before each`,
  );
  const scratch = await scratchDatabase(options.databaseUrl);
  console.log(`scratch database ${scratch.name} on ${redactUrl(options.databaseUrl)}`);
  // The peer gets a database of its own: neither system's tables, sequences or bloat touch the other's.
  const peerScratch = wants('emmett') ? await scratchDatabase(options.databaseUrl, '_emmett') : null;
  if (peerScratch) console.log(`scratch database ${peerScratch.name} for the peer (Emmett)`);
  const dropAll = async () => {
    await scratch.drop();
    await peerScratch?.drop();
  };
  const onSignal = () => {
    console.log('\ninterrupted: dropping the scratch databases');
    void dropAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: options.writers });
  const raw: PgPool = new pg.Pool({ connectionString: scratch.url, max: options.writers });
  const admin: PgPool = new pg.Pool({ connectionString: scratch.url, max: 1 });
  // The peer's own type parsers (see `openEmmett`): whatever it sets for these types, the rest as everyone's.
  const peerTypes = new Map<number, (value: string) => unknown>();
  const peerPool = peerScratch
    ? new pg.Pool({
        connectionString: peerScratch.url,
        max: options.writers,
        types: { getTypeParser: (oid: number, format?: string) => peerTypes.get(oid) ?? pg.types.getTypeParser(oid, format) },
      })
    : null;
  let peer: EmmettPeer | null = null;
  try {
    const machine = await describeMachine(admin, options);
    const meter = new ResourceMeter(admin, scratch.name, machine.cores);
    const peerMeter = peerScratch ? new ResourceMeter(admin, peerScratch.name, machine.cores) : meter;
    await checkIdle(meter);
    const store = await PostgresEventStore.create(database.db);
    await admin.query(RAW_TABLE);
    if (peerScratch && peerPool) peer = await openEmmett(peerScratch.url, peerPool, pg.types, peerTypes);
    const results: BenchResults = { machine, options, timed: {}, peerVersion: peer?.version, loadAverage: { start: loadAtStart } };

    /** Every timed measurement starts from empty tables and a fresh checkpoint, so none inherits another's bloat. */
    const reset = async () => {
      await admin.query('truncate eventstore.events, bench.raw_events restart identity');
      await peer?.truncate();
      await admin.query('checkpoint').catch(() => {}); // needs superuser or pg_checkpoint; only makes runs steadier
    };
    /** A timed measurement: a label, and a factory for the per-writer operation (fresh streams for every slice). */
    interface Measure {
      readonly key: keyof BenchResults['timed'];
      readonly label: string;
      readonly make: (slice: number) => (writer: number) => Promise<number>;
      /** The meter of the database the measurement writes to (the peer's has its own). */
      readonly meter?: ResourceMeter;
    }
    const writerIds = Array.from({ length: options.writers }, (_, w) => w);
    const cursorsFor = (prefix: string, streamLength: number) => writerIds.map((w) => new StreamCursor(prefix, w, streamLength));
    const measures: Measure[] = [];
    if (wants('raw') || wants('a') || wants('c') || peer) {
      measures.push({
        key: 'rawSingle',
        label: 'ceiling: raw single-row INSERT',
        make: (slice) => {
          const cursors = cursorsFor(`raw${slice}w`, TEMPLATE.events.length);
          const text = rawInsertSql(1);
          return async (w) => {
            const c = cursors[w]!;
            const params: unknown[] = [];
            rawParams(c.streamId, c.version + 1, c.events(1)[0]!, params);
            await raw.query(text, params);
            c.advance(1);
            return 1;
          };
        },
      });
    }
    if (wants('a')) {
      measures.push({
        key: 'appendSingle',
        label: '(a) appendToStream, 1 event',
        make: (slice) => {
          const cursors = cursorsFor(`a${slice}w`, TEMPLATE.events.length);
          return async (w) => {
            const c = cursors[w]!;
            await store.appendToStream(c.streamId, c.events(1), { expectedVersion: c.expected });
            c.advance(1);
            return 1;
          };
        },
      });
    }
    if (wants('a')) {
      // Sent by name, as the store sends its append: parsed and planned once per connection.
      const named = raw.query.bind(raw) as unknown as (config: { name: string; text: string; values: unknown[] }) => Promise<unknown>;
      measures.push({
        key: 'boundSingle',
        label: "(a)'s bound: stream lock, head read, insert",
        make: (slice) => {
          const cursors = cursorsFor(`bound${slice}w`, TEMPLATE.events.length);
          return async (w) => {
            const c = cursors[w]!;
            const values: unknown[] = [];
            rawParams(c.streamId, c.version + 1, c.events(1)[0]!, values);
            values[1] = c.version;
            await named({ name: 'bench_bound', text: 'select bench.append_bound($1, $2, $3, $4, $5, $6)', values });
            c.advance(1);
            return 1;
          };
        },
      });
    }
    if (peer) {
      const p = peer;
      measures.push({
        key: 'peerSingle',
        label: '(a) peer: Emmett appendToStream, 1 event',
        meter: peerMeter,
        make: (slice) => {
          const cursors = cursorsFor(`e${slice}w`, TEMPLATE.events.length);
          return async (w) => {
            const c = cursors[w]!;
            await p.append(c.streamId, c.version, c.events(1));
            c.advance(1);
            return 1;
          };
        },
      });
    }
    if (wants('c')) {
      const bus = new CommandBus(store);
      const actor = { id: 'bench-user', role: 'sales' as const };
      measures.push({
        key: 'commands',
        label: '(c) CommandBus.execute, order lifecycle',
        make: (slice) => {
          const orders = writerIds.map(() => ({ n: 0, step: 0, commands: [] as OrderCommand[] }));
          return async (w) => {
            const o = orders[w]!;
            if (o.step === 0) o.commands = paidOrderCommands(`c${slice}w${w}-${o.n}`, TEMPLATE.commands);
            const outcome = await bus.execute(o.commands[o.step]! as DmsCommand, { commandId: randomUUID(), actor });
            if (outcome._tag === 'Left') throw new Error(`(c) command refused: ${outcome.left.code}: ${outcome.left.message}`);
            if (++o.step === o.commands.length) {
              o.step = 0;
              o.n++;
            }
            return outcome.right.events.length;
          };
        },
      });
    }
    if (peer) {
      const p = peer;
      measures.push({
        key: 'peerCommands',
        label: '(c) peer: Emmett CommandHandler, order lifecycle',
        meter: peerMeter,
        make: (slice) => {
          const orders = writerIds.map(() => ({ n: 0, step: 0, commands: [] as OrderCommand[] }));
          return async (w) => {
            const o = orders[w]!;
            if (o.step === 0) o.commands = paidOrderCommands(`ec${slice}w${w}-${o.n}`, TEMPLATE.commands);
            const command = o.commands[o.step]!;
            const written = await p.execute(`order-ec${slice}w${w}-${o.n}`, command, metadataFor(w));
            if (++o.step === o.commands.length) {
              o.step = 0;
              o.n++;
            }
            return written;
          };
        },
      });
    }
    const batch = options.batchSize;
    if (wants('raw') || wants('b') || peer) {
      measures.push({
        key: 'rawBatch',
        label: `ceiling: raw ${batch}-row INSERT`,
        make: (slice) => {
          const cursors = cursorsFor(`rawb${slice}w`, batch * 10);
          const text = rawInsertSql(batch);
          return async (w) => {
            const c = cursors[w]!;
            const params: unknown[] = [];
            for (const [i, e] of c.events(batch).entries()) rawParams(c.streamId, c.version + 1 + i, e, params);
            await raw.query(text, params);
            c.advance(batch);
            return batch;
          };
        },
      });
    }
    if (wants('b')) {
      measures.push({
        key: 'appendBatch',
        label: `(b) appendToStream, ${batch} events`,
        make: (slice) => {
          const cursors = cursorsFor(`b${slice}w`, batch * 10);
          return async (w) => {
            const c = cursors[w]!;
            await store.appendToStream(c.streamId, c.events(batch), { expectedVersion: c.expected });
            c.advance(batch);
            return batch;
          };
        },
      });
    }
    if (peer) {
      const p = peer;
      measures.push({
        key: 'peerBatch',
        label: `(b) peer: Emmett appendToStream, ${batch} events`,
        meter: peerMeter,
        make: (slice) => {
          const cursors = cursorsFor(`eb${slice}w`, batch * 10);
          return async (w) => {
            const c = cursors[w]!;
            await p.append(c.streamId, c.version, c.events(batch));
            c.advance(batch);
            return batch;
          };
        },
      });
    }

    // Rounds: each measurement runs in `rounds` slices, alternating with the others, so a change in background load
    // touches a figure and its ceiling alike; the slices of one measurement are then added up.
    const slices = new Map<string, TimedResult[]>();
    for (let round = 0; round < options.rounds && measures.length > 0; round++) {
      console.log(
        `\nRound ${round + 1} of ${options.rounds}: ${options.writers} writers, ${options.warmupSeconds} s warm-up + ${fmtSeconds(options.durationSeconds / options.rounds)} counted each`,
      );
      for (const m of measures) {
        await reset();
        const result = await runTimed({
          label: m.label,
          writers: options.writers,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds / options.rounds,
          meter: m.meter ?? meter,
          progress,
          op: m.make(round),
        });
        slices.set(m.key, [...(slices.get(m.key) ?? []), result]);
      }
    }
    for (const m of measures) results.timed[m.key] = combine(slices.get(m.key)!);
    if (measures.length > 0) {
      console.log('\nAll rounds:');
      for (const m of measures) {
        const r = results.timed[m.key]!;
        console.log(`  ${m.label}: ${fmtInt(r.eventsPerSecond)} events/s, ${fmtInt(r.opsPerSecond)} ops/s (${describeUse(r.resources, r.events)})`);
      }
    }

    if (wants('d')) {
      await reset();
      console.log(`\nProjection rebuilds over ${fmtInt(options.orders)} orders`);
      const seed = await seedOrders(store, admin, options, progress);
      results.seed = seed;
      results.seedGarbageCollected = releaseSeedGarbage();
      const watch = new Stopwatch();
      const timedStore = new TimedStore(store, watch);
      const runner = await ProjectionRunner.create(
        database.db,
        timedStore,
        allProjections.map((p) => timedProjection(p, watch)),
        { rebuildConcurrency: options.rebuildConcurrency },
      );
      const rebuild = async (label: string, names: readonly string[]): Promise<RebuildResult> => {
        watch.reset();
        const rss = new RssSampler();
        const stopMeter = await meter.start();
        const t0 = performance.now();
        let perProjection: RebuildResult['projections'][number][];
        const show = (p: RebuildProgress) => {
          const s = (performance.now() - t0) / 1000;
          progress.update(`  ${label}: ${p.projection} ${bar(p.fraction)} ${fmtInt(p.events)} events, ${s.toFixed(0)} s, RSS ${fmtMiB(rss.peak)}`);
        };
        if (names.length === 1) {
          const { events } = await runner.rebuild(names[0]!, show);
          perProjection = [{ name: names[0]!, events, seconds: (performance.now() - t0) / 1000, readMs: watch.readMs, applyMs: watch.applyMs }];
        } else {
          // Several at once (`rebuildMany`); reading and applying then overlap across projections and are only told in all.
          perProjection = await runner.rebuildMany(names, show);
        }
        const peakRssBytes = rss.stop();
        const seconds = (performance.now() - t0) / 1000;
        const resources = await stopMeter();
        const events = perProjection.reduce((a, p) => a + p.events, 0);
        const result: RebuildResult = {
          label,
          projections: perProjection,
          events,
          logEvents: seed.events + seed.otherEvents,
          seconds,
          eventsPerSecond: events / seconds,
          readMs: watch.readMs,
          applyMs: watch.applyMs,
          resources,
          concurrency: names.length === 1 ? 1 : options.rebuildConcurrency,
          startRssBytes: rss.start,
          peakRssBytes,
        };
        progress.done(
          `  ${label}: ${fmtInt(events)} events in ${seconds.toFixed(1)} s = ${fmtInt(result.eventsPerSecond)} events/s ` +
            `(reading ${((100 * watch.readMs) / 1000 / seconds).toFixed(0)} %, applying ${((100 * watch.applyMs) / 1000 / seconds).toFixed(0)} %; ` +
            `peak RSS ${fmtMiB(peakRssBytes)}, ${fmtMiB(rss.start)} before; ${describeUse(resources, events)})`,
        );
        return result;
      };
      results.rebuildOrders = await rebuild('rebuild orders', [ordersProjection.name]);
      await checkOrdersReadModel(admin, seed);
      // Every read model; process managers (reactors) are resumed, never rebuilt.
      results.rebuildAll = await rebuild(
        'rebuild all',
        allProjections.filter((p) => !p.react).map((p) => p.name),
      );
      results.rawRead = await rawRead(raw, progress);
    }

    results.totalSeconds = (performance.now() - started) / 1000;
    results.loadAverage = { start: loadAtStart, end: os.loadavg()[0]! };
    console.log(`\nDone in ${results.totalSeconds.toFixed(0)} s.`);
    if (options.report) {
      const path = await writeReport(options.report, results);
      console.log(`Report written to ${path}`);
    }
  } finally {
    await peer?.close().catch(() => {});
    await peerPool?.end().catch(() => {});
    await raw.end().catch(() => {});
    await admin.end().catch(() => {});
    await database.close().catch(() => {});
    if (options.keepDatabase) console.log(`kept scratch database ${scratch.name}${peerScratch ? ` and ${peerScratch.name}` : ''}`);
    else await dropAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // The CLI's start-up (issue 10's aims) last, in processes of its own, once this run's connections are closed.
  if (wants('cli')) {
    console.log('\n(cli) start-up of the dms command: pnpm bench:cli --runs 3');
    const cli = spawnSync(process.execPath, [resolve(ROOT, 'packages/cli/bench/startup.mjs'), '--runs', '3', '--report', options.report ?? 'none'], {
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: options.databaseUrl },
    });
    if (cli.status !== 0) throw new Error(`the CLI start-up bench failed (exit ${cli.status})`);
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// (d) the log to rebuild from

/**
 * Sets up a catalogue and partners through the command bus, generates `options.orders` order lifecycles with the order
 * decider, and appends them with `appendToStream` in waves: each order's placement and the rest of its life land in
 * successive waves, shuffled among other orders, so `$all` looks like a log written over time rather than one order after
 * another.
 */
const seedOrders = async (store: PostgresEventStore, admin: PgPool, options: BenchOptions, progress: Progress): Promise<SeedResult> => {
  const bus = new CommandBus(store);
  const setup = worldCommands({ partners: 300, products: 60 });
  let otherEvents = 0;
  for (const command of setup) {
    const r = await bus.execute(command, { commandId: randomUUID(), actor: { id: 'admin', role: 'admin' } });
    if (r._tag === 'Left') throw new Error(`setup command ${command.type} refused: ${r.left.code}: ${r.left.message}`);
    otherEvents += r.right.events.length;
  }
  const world = await loadWorld(store, setup);

  const g0 = performance.now();
  const random = seededRandom(42);
  const WAVE = 500;
  const waves: { streamId: string; events: readonly NewEvent[]; expected: ExpectedVersion }[][] = [];
  let events = 0;
  let appends = 0;
  const schema = aggregates.orders.eventSchema;
  for (let i = 0; i < options.orders; i++) {
    const order = generateOrder(i, world, random, options.orders);
    let version = -1;
    for (const [j, group] of order.appends.entries()) {
      // The decider made them; the schema double-checks one order in ten (all of them would add seconds).
      for (const e of i % 10 === 0 ? group : []) {
        const ok = schema.safeParse({ type: e.type, data: e.data });
        if (!ok.success) throw new Error(`generated ${e.type} of ${order.streamId} is invalid: ${ok.error.message}`);
      }
      const wave = Math.floor(i / WAVE) + j;
      waves[wave] ??= [];
      waves[wave].push({ streamId: order.streamId, events: group, expected: version === -1 ? 'no_stream' : version });
      version += group.length;
      appends++;
    }
    events += order.events;
    if (i % 1000 === 0) progress.update(`  generating orders with the order decider ${bar(i / options.orders)} ${fmtInt(events)} events`);
  }
  const generateSeconds = (performance.now() - g0) / 1000;
  progress.done(`  generated ${fmtInt(options.orders)} orders, ${fmtInt(events)} events, ${fmtInt(appends)} appends in ${generateSeconds.toFixed(1)} s`);

  const shuffle = seededRandom(9);
  const a0 = performance.now();
  let written = 0;
  for (const wave of waves) {
    for (let i = wave.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1));
      [wave[i], wave[j]] = [wave[j]!, wave[i]!];
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: options.writers }, async () => {
        while (next < wave.length) {
          const a = wave[next++]!;
          await store.appendToStream(a.streamId, a.events, { expectedVersion: a.expected });
          written += a.events.length;
        }
      }),
    );
    const s = (performance.now() - a0) / 1000;
    progress.update(`  appending the log ${bar(written / events)} ${fmtInt(written)} events, ${fmtInt(written / s)} events/s`);
  }
  const appendSeconds = (performance.now() - a0) / 1000;
  progress.done(
    `  appended ${fmtInt(events)} order events in ${fmtInt(appends)} appends (${options.writers} writers) in ${appendSeconds.toFixed(1)} s = ${fmtInt(events / appendSeconds)} events/s`,
  );
  const v0 = performance.now();
  await admin.query('vacuum analyze eventstore.events');
  await admin.query('checkpoint').catch(() => {});
  console.log(`  vacuum analyze + checkpoint in ${((performance.now() - v0) / 1000).toFixed(1)} s`);
  return { orders: options.orders, events, otherEvents, appends, generateSeconds, appendSeconds };
};

const fmtMiB = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/**
 * Collects what seeding left behind (the generated log: ~2 GB of heap at 1 million events) before a rebuild is timed,
 * so that a rebuild's peak RSS is the product's, not that of a process still holding the bench's garbage. Needs
 * `--expose-gc` (the `pnpm bench` script passes it); says whether it could.
 */
const releaseSeedGarbage = (): boolean => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return gc !== undefined;
};

/** This process's resident memory, sampled every 50 ms from construction to `stop`: the peak a rebuild needed. */
class RssSampler {
  readonly start = process.memoryUsage.rss();
  peak = this.start;
  readonly #timer = setInterval(() => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }, 50);

  stop(): number {
    clearInterval(this.#timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}

/** The rebuilt read model must hold every order: a benchmark of a broken rebuild would be worthless. */
const checkOrdersReadModel = async (admin: PgPool, seed: SeedResult): Promise<void> => {
  const { rows } = await admin.query<{ n: string }>('select count(*)::text as n from public.orders');
  if (Number(rows[0]!.n) !== seed.orders) throw new Error(`the rebuilt orders read model has ${rows[0]!.n} orders, not ${seed.orders}`);
};

/** How fast plain keyset-paged SELECTs of the same columns deliver the log to this process: a read ceiling. */
const rawRead = async (raw: PgPool, progress: Progress) => {
  const t0 = performance.now();
  let after = '-1';
  let rows = 0;
  for (;;) {
    const page = await raw.query<{ position: string }>(
      `select global_position::text as position, stream_id, stream_version, event_id::text as event_id, type, data, metadata, recorded_at
       from eventstore.events where global_position > $1::bigint order by global_position limit 1000`,
      [after],
    );
    rows += page.rows.length;
    if (page.rows.length < 1000) break;
    after = page.rows.at(-1)!.position;
    progress.update(`  raw read of the log: ${fmtInt(rows)} rows`);
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.done(`  raw read of the log (pg, 1000-row keyset pages): ${fmtInt(rows / seconds)} rows/s`);
  return { rows, seconds, rowsPerSecond: rows / seconds };
};

/** Warns when something else keeps the machine busy: on a small machine it would show up as a slow store. */
const checkIdle = async (meter: ResourceMeter): Promise<void> => {
  const stop = await meter.start();
  await new Promise((r) => setTimeout(r, 1000));
  const use = await stop();
  if (use.otherCpuMs !== null && use.otherCpuMs / (use.wallMs * use.cores) > 0.1) {
    const share = Math.round((100 * use.otherCpuMs) / (use.wallMs * use.cores));
    console.warn(`WARNING: other processes use ${share} % of this machine's CPU before the bench starts; the figures will be low and noisy.`);
  }
};

const describeMachine = async (admin: PgPool, options: BenchOptions): Promise<Machine> => {
  const setting = async (name: string) => (await admin.query<{ v: string }>(`select current_setting($1) as v`, [name])).rows[0]!.v;
  const version = (await admin.query<{ v: string }>('select version() as v')).rows[0]!.v;
  const settings: Record<string, string> = {};
  for (const s of ['shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method', 'max_wal_size', 'max_connections']) settings[s] = await setting(s);
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres: version,
    postgresSettings: settings,
    databaseHost: new URL(options.databaseUrl).host,
    date: new Date().toISOString(),
  };
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
