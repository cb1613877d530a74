/**
 * `pnpm bench:api:kpis`: where `GET /kpis`'s time goes without the response cache. Seeds `--orders` orders (as
 * `pnpm bench:api` does, all placed in January 2026) on a scratch database and times each part of the summary (`kpiSummary`
 * runs them one after another: sales, backlog, fill rate, on-time, review automation, receivables, DSO's net sales,
 * stock alerts) and the whole summary, `--rounds` times in alternation, all on one connection with nothing else in
 * flight: per call, wall-clock µs, this process's CPU µs and the PostgreSQL backend's CPU µs (from /proc, so less moved
 * by other load than the wall clock); then prints EXPLAIN (ANALYZE, BUFFERS) of every statement the summary sends
 * (`--explain`). The database is dropped at the end.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { comparisonRanges } from '@dms/domain';
import {
  backlogOn,
  dsoByRange,
  fillRateByRange,
  kpiSummary,
  onTimeByRange,
  receivablesOn,
  reviewAutomationByRange,
  salesByRange,
  stockAlertFigures,
} from '@dms/projections';
import pg from 'pg';
import { benchOrder, positive, seedOrders, withScratchDms } from './support';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    calls: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '3' },
    explain: { type: 'boolean', default: false },
  },
});
const orders = positive('orders', args.orders);
const calls = positive('calls', args.calls);
const rounds = positive('rounds', args.rounds);

/** CPU seconds of a process so far (user + system), from /proc: 10 ms ticks. */
const cpuOf = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

await withScratchDms('dms_kpiprobe', async (runtime, url, name) => {
  await seedOrders(runtime, { count: orders, order: (i) => benchOrder(i, { prefix: 'load', lines: 2 }), commandPrefix: 'kpi-place', writers: 4 });
  const period = { period: 'month', asOf: '2026-01-31' } as const;
  const r = comparisonRanges(period);
  const keyed = (['current', 'previous', 'lastYear'] as const).map((key) => ({ key, ...r[key] }));
  const ends = keyed.map((k) => ({ key: k.key, asOf: k.to }));
  const db = runtime.reads.db;
  // The PostgreSQL backends' CPU: every backend of the scratch database but this client's, so the statements' own
  // whatever else loads the machine (calls are sequential: one of them works at a time).
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const backendsCpu = async () => {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    return rows.reduce((a, r) => a + cpuOf(r.pid), 0);
  };
  try {
    const parts: [string, () => Promise<unknown>][] = [
      ['sales', () => salesByRange(db, keyed)],
      ['backlog', () => backlogOn(db, ends)],
      ['fill rate', () => fillRateByRange(db, keyed)],
      ['on-time', () => onTimeByRange(db, keyed)],
      ['review automation', () => reviewAutomationByRange(db, keyed)],
      ['receivables', () => receivablesOn(db, ends)],
      ['DSO (its receivables and net sales)', () => dsoByRange(db, keyed)],
      ['stock alerts', () => stockAlertFigures(db, {}, {})],
      ['whole summary', () => kpiSummary(db, period)],
    ];
    console.log(`${orders} orders; load average ${loadavg()[0]!.toFixed(1)} before; per call: wall µs / Node CPU µs / PostgreSQL backend CPU µs, each round`);
    const times = new Map<string, string[]>();
    for (let round = 0; round < rounds; round++)
      for (const [name, f] of parts) {
        for (let i = 0; i < 5; i++) await f();
        const start = process.hrtime.bigint();
        const node = process.cpuUsage();
        const pgStart = await backendsCpu();
        for (let i = 0; i < calls; i++) await f();
        const wall = Number(process.hrtime.bigint() - start) / 1e3 / calls;
        const nodeCpu = process.cpuUsage(node);
        const pgCpu = (((await backendsCpu()) - pgStart) * 1e6) / calls;
        const figure = [wall, (nodeCpu.user + nodeCpu.system) / calls, pgCpu].map((x) => Math.round(x)).join('/');
        times.set(name, [...(times.get(name) ?? []), figure]);
      }
    for (const [name, t] of times) console.log(`${name.padEnd(40)} ${t.map((x) => x.padStart(16)).join(' ')}`);
    console.log(`load average ${loadavg()[0]!.toFixed(1)} after`);
    if (!args.explain) return;
    // The summary's statements, captured as they are compiled, then explained one by one.
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const executor = db.getExecutor();
    const capturing = db.withPlugin({
      transformQuery: (a) => {
        const compiled = executor.compileQuery(a.node, a.queryId);
        statements.push({ sql: compiled.sql, parameters: compiled.parameters });
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    await kpiSummary(capturing, period);
    for (const s of statements) {
      const plan = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.sql}`, [...s.parameters]);
      console.log(`\n${s.sql.replace(/\s+/g, ' ').slice(0, 200)}...`);
      for (const row of plan.rows) console.log(`  ${row['QUERY PLAN']}`);
    }
  } finally {
    await client.end();
  }
});
