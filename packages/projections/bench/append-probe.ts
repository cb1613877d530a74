/**
 * `pnpm bench:append [appends per slice]`: where an append's time goes. CPU per append of this process and of its
 * PostgreSQL backend (from /proc), one client, serially, in four slices per variant that alternate: a plain INSERT of the
 * same row, the stored function `eventstore.append` called straight through node-postgres as a named statement, the same
 * statement through kysely, and `appendToStream` (validation, content hash, kysely, the result). Differences between
 * neighbours are the cost of each layer. Other variants of the function can be tried without changing the store:
 * `PROBE_SETUP=<file.sql>` runs SQL in the scratch database first (say, `create function eventstore.append_lean ...`), and
 * `PROBE_EXTRA='{"label":"select * from eventstore.append_lean($1, $2::int, $3::jsonb)"}'` times each statement given.
 * It makes and drops its own database (`dms_probe_<pid>`) on BENCH_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { contentHash, type NewEvent, openDatabase, PostgresEventStore } from '@dms/eventstore';
import { CompiledQuery, sql } from 'kysely';
import { pg } from './pg';

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.argv[2] ?? 1500);
const name = `dms_probe_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create database "${name}"`);
const url = new URL(base);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
const store = await PostgresEventStore.create(database.db);
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
/** node-postgres takes a named statement as `{ name, text, values }`; pg.ts types only the text form. */
const named = (config: { name: string; text: string; values: unknown[] }) =>
  (client.query.bind(client) as unknown as (c: typeof config) => Promise<unknown>)(config);
await client.query(`create table raw_events (like eventstore.events including all)`);
if (process.env.PROBE_SETUP) await client.query(readFileSync(process.env.PROBE_SETUP, 'utf8'));
await client.query(`alter table raw_events alter global_position add generated always as identity`);
const pidOf = async (q: (t: string) => Promise<{ rows: { pid: number }[] }>) => (await q('select pg_backend_pid() as pid')).rows[0]!.pid;
const clientPid = await pidOf((t) => client.query(t));
const storePid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
const ticks = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = s
    .slice(s.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (rest[11]! + rest[12]!) * 10; // ms
};
const data = { orderId: 'x', partnerId: 'dealer-0001', lines: [{ lineNo: 1, sku: 'PUMPS-1000', quantity: 4 }], placedAt: '2025-01-01T08:00:00.000Z' };
const metadata = { correlationId: randomUUID(), causationId: null, commandId: randomUUID(), actor: { id: 'probe', role: 'system' as const }, schemaVersion: 1 };
const event = (): NewEvent => ({ eventId: randomUUID(), type: 'OrderPlaced', data, metadata: { ...metadata, commandId: randomUUID() } });
let stream = 0;
const APPEND_TEXT = 'select * from eventstore.append($1, $2::int, $3::jsonb)';
const variants: Record<string, { pid: number | (() => Promise<number>); op: () => Promise<unknown> }> = {
  'raw INSERT (pg)': {
    pid: clientPid,
    op: () => {
      const e = event();
      return client.query(
        'insert into raw_events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) values ($1, 0, $2, $3, $4, $5, clock_timestamp())',
        [`r-${stream++}`, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify({ ...e.metadata, prevHash: null, hash: 'f'.repeat(64) })],
      );
    },
  },
  'eventstore.append (pg, named, full result)': {
    pid: clientPid,
    op: () => {
      const e = event();
      const payload = JSON.stringify([{ ...e, contentHash: contentHash(e) }]);
      return named({ name: 'a1', text: 'select * from eventstore.append($1, $2::int, $3::jsonb)', values: [`f-${stream++}`, -1, payload] });
    },
  },
  'eventstore.append (kysely sql, same statement)': {
    pid: storePid,
    op: () => {
      const e = event();
      const payload = JSON.stringify([{ ...e, contentHash: contentHash(e) }]);
      return sql`select * from eventstore.append(${`k-${stream++}`}, ${-1}::int, ${payload}::jsonb)`.execute(database.db);
    },
  },
  'eventstore.append (kysely, precompiled)': {
    pid: storePid,
    op: () => {
      const e = event();
      const payload = JSON.stringify([{ ...e, contentHash: contentHash(e) }]);
      return database.db.executeQuery(CompiledQuery.raw(APPEND_TEXT, [`p-${stream++}`, -1, payload]));
    },
  },
  'appendToStream (kysely)': {
    pid: storePid,
    op: () => store.appendToStream(`s-${stream++}`, [event()], { expectedVersion: 'no_stream' }),
  },
};
if (process.env.PROBE_EXTRA) {
  for (const [label, text] of Object.entries(JSON.parse(process.env.PROBE_EXTRA) as Record<string, string>)) {
    variants[label] = {
      pid: clientPid,
      op: () => {
        const e = event();
        const payload = JSON.stringify([{ ...e, contentHash: contentHash(e) }]);
        return named({ name: label.replace(/\W/g, '_'), text, values: [`x-${stream++}`, -1, payload] });
      },
    };
  }
}
const totals = new Map<string, { node: number; pg: number; wall: number; n: number }>();
for (let round = 0; round < 4; round++) {
  for (const [label, v] of Object.entries(variants)) {
    for (let i = 0; i < 100; i++) await v.op(); // warm
    const pid = typeof v.pid === 'number' ? v.pid : await v.pid();
    const c0 = process.cpuUsage();
    const p0 = ticks(pid);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await v.op();
    const t = totals.get(label) ?? { node: 0, pg: 0, wall: 0, n: 0 };
    const c = process.cpuUsage(c0);
    t.wall += performance.now() - t0;
    t.node += (c.user + c.system) / 1000;
    t.pg += ticks(pid) - p0;
    t.n += N;
    totals.set(label, t);
  }
}
console.log(`${N * 4} appends per variant, one client; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
for (const [label, t] of totals)
  console.log(
    `${label.padEnd(48)} node ${((t.node * 1000) / t.n).toFixed(0).padStart(4)} µs  postgres ${((t.pg * 1000) / t.n).toFixed(0).padStart(4)} µs  wall ${((t.wall * 1000) / t.n).toFixed(0).padStart(5)} µs`,
  );
await client.end();
await database.close();
await admin.query(`drop database "${name}" with (force)`);
await admin.end();
