/**
 * `pnpm bench:api:kpis`: where `GET /kpis` and `GET /kpis/sales?by=region` spend their time without the response cache.
 * Seeds `--orders` orders (as `pnpm bench:api` does, all placed in January 2026) on a scratch database (BENCH_DATABASE_URL)
 * and times each part of the summary alone (sales, backlog, fill rate, on-time, review automation, receivables, DSO's
 * net sales, stock alerts), the whole summary (`kpiSummary`: one statement for them all) and the sales breakdown by
 * region, `--rounds` times in alternation, one call at a time: per call, wall-clock µs, this process's CPU µs and the
 * PostgreSQL backends' CPU µs (from /proc, so less moved by other load than the wall clock). `--statements` then gives
 * every statement those calls send, PostgreSQL's planning and execution time of each (EXPLAIN ANALYZE, median of
 * `--runs`); `--explain` prints their plans. The database is dropped at the end.
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
  salesBreakdown,
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
    statements: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    runs: { type: 'string', default: '10' },
  },
});
const orders = positive('orders', args.orders);
const calls = positive('calls', args.calls);
const rounds = positive('rounds', args.rounds);
const runs = positive('runs', args.runs);

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
    const parts: [string, (db: typeof runtime.reads.db) => Promise<unknown>][] = [
      ['sales', (db) => salesByRange(db, keyed)],
      ['backlog', (db) => backlogOn(db, ends)],
      ['fill rate', (db) => fillRateByRange(db, keyed)],
      ['on-time', (db) => onTimeByRange(db, keyed)],
      ['review automation', (db) => reviewAutomationByRange(db, keyed)],
      ['receivables', (db) => receivablesOn(db, ends)],
      ['DSO (its receivables and net sales)', (db) => dsoByRange(db, keyed)],
      ['stock alerts', (db) => stockAlertFigures(db, {}, {})],
      ['whole summary (one statement)', (db) => kpiSummary(db, period)],
      ['sales breakdown by region', (db) => salesBreakdown(db, { ...period, by: 'region' })],
    ];
    console.log(`${orders} orders; load average ${loadavg()[0]!.toFixed(1)} before; per call: wall µs / Node CPU µs / PostgreSQL backend CPU µs, each round`);
    const times = new Map<string, string[]>();
    for (let round = 0; round < rounds; round++)
      for (const [name, f] of parts) {
        for (let i = 0; i < 5; i++) await f(db);
        const start = process.hrtime.bigint();
        const node = process.cpuUsage();
        const pgStart = await backendsCpu();
        for (let i = 0; i < calls; i++) await f(db);
        const wall = Number(process.hrtime.bigint() - start) / 1e3 / calls;
        const nodeCpu = process.cpuUsage(node);
        const pgCpu = (((await backendsCpu()) - pgStart) * 1e6) / calls;
        const figure = [wall, (nodeCpu.user + nodeCpu.system) / calls, pgCpu].map((x) => Math.round(x)).join('/');
        times.set(name, [...(times.get(name) ?? []), figure]);
      }
    for (const [name, t] of times) console.log(`${name.padEnd(40)} ${t.map((x) => x.padStart(16)).join(' ')}`);
    console.log(`load average ${loadavg()[0]!.toFixed(1)} after`);
    if (!args.statements && !args.explain) return;
    // Every statement the calls send, captured as it is compiled, then explained.
    const statements = new Map<string, { label: string; parameters: readonly unknown[] }>();
    const executor = db.getExecutor();
    let label = '';
    const capturing = db.withPlugin({
      transformQuery: (a) => {
        const compiled = executor.compileQuery(a.node, a.queryId);
        if (!statements.has(compiled.sql)) statements.set(compiled.sql, { label, parameters: compiled.parameters });
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    for (const [name, f] of parts) {
      label = name;
      await f(capturing);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    console.log(`\nPostgreSQL planning / execution ms, median of ${runs} EXPLAIN ANALYZE, each statement as sent unprepared:`);
    for (const [text, s] of statements) {
      const plan: number[] = [];
      const exec: number[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await client.query(`explain (analyze, format json) ${text}`, [...s.parameters]);
        plan.push(r.rows[0]['QUERY PLAN'][0]['Planning Time']);
        exec.push(r.rows[0]['QUERY PLAN'][0]['Execution Time']);
      }
      console.log(
        `  ${median(plan).toFixed(2).padStart(7)} / ${median(exec).toFixed(2).padStart(7)}  ${s.label}: ${text.replace(/\s+/g, ' ').trim().slice(0, 100)}...`,
      );
      if (!args.explain) continue;
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, [...s.parameters]);
      for (const row of rows) console.log(`      ${row['QUERY PLAN']}`);
    }
  } finally {
    await client.end();
  }
});
