/**
 * `node --import tsx packages/api/bench/kpi-explain.ts [--orders 2000] [--runs 10]`: where `GET /kpis` and
 * `GET /kpis/sales?by=region` spend their time on the data of `pnpm bench:api` (`--orders` orders placed the same way,
 * on a scratch database on BENCH_DATABASE_URL, dropped at the end). Times each call on one connection, every statement the
 * calls send (node-postgres's query, wrapped), and PostgreSQL's execution time of the sales statements as sent and with
 * count(distinct order_id) as they were before (EXPLAIN ANALYZE, 10 times each, interleaved).
 */
import { parseArgs } from 'node:util';
import { kpiSummary, salesBreakdown } from '@dms/projections';
import pg from 'pg';
import { benchOrder, positive, seedOrders, withScratchDms } from './support';

const { values: args } = parseArgs({ options: { orders: { type: 'string', default: '2000' }, runs: { type: 'string', default: '10' } } });
const orders = positive('orders', args.orders);
const runs = positive('runs', args.runs);

const times = new Map<string, { ms: number[]; values: unknown[] }>();
let recording = false;
const query = pg.Client.prototype.query;
// biome-ignore lint/suspicious/noExplicitAny: wraps node-postgres's overloaded query to time the statements it sends.
(pg.Client.prototype as any).query = function (this: pg.Client, config: any, values?: any, callback?: any) {
  const text: string | undefined = typeof config === 'string' ? config : config?.text;
  const started = performance.now();
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  const result = (query as any).call(this, config, values, callback);
  if (recording && text && result && typeof result.then === 'function') {
    result.then(
      () => {
        const t = times.get(text) ?? { ms: [] as number[], values: (typeof config === 'object' ? config.values : values) ?? [] };
        t.ms.push(performance.now() - started);
        times.set(text, t);
      },
      () => undefined,
    );
  }
  return result;
};

await withScratchDms('dms_kpiexplain', async (runtime, url) => {
  await seedOrders(runtime, { count: orders, order: (i) => benchOrder(i, { prefix: 'load', lines: 2 }), commandPrefix: 'load-place', writers: 8 });
  const db = runtime.reads.db;
  const asOf = '2026-01-31';
  const summary = () => kpiSummary(db, { period: 'month', asOf }, {});
  const sales = () => salesBreakdown(db, { period: 'month', asOf, by: 'region' }, {});
  await summary();
  await sales();
  recording = true;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await summary();
  const summaryMs = (performance.now() - t0) / runs;
  const t1 = performance.now();
  for (let i = 0; i < runs; i++) await sales();
  const salesMs = (performance.now() - t1) / runs;
  recording = false;
  console.log(`kpiSummary ${summaryMs.toFixed(1)} ms a call, salesBreakdown by region ${salesMs.toFixed(1)} ms a call (wall, one at a time, ${runs} runs)`);
  const sorted = [...times].map(([text, t]) => ({ text, ...t, perCall: t.ms.reduce((a, b) => a + b, 0) / runs })).sort((a, b) => b.perCall - a.perCall);
  for (const s of sorted)
    console.log(`  ${s.perCall.toFixed(2)} ms a call (${s.ms.length / runs} a call): ${s.text.replace(/\s+/g, ' ').trim().slice(0, 140)}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of sorted.filter((x) => x.text.includes('as "orders"'))) {
      const variants = [s.text.replace('count(*)::int as "orders"', 'count(distinct s.order_id)::int as "orders"'), s.text];
      const exec: number[][] = [[], []];
      for (let i = 0; i < 10; i++)
        for (const [v, text] of variants.entries()) {
          const r = await client.query(`explain (analyze, format json) ${text}`, s.values);
          exec[v]!.push(r.rows[0]['QUERY PLAN'][0]['Execution Time']);
        }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
      console.log(
        `execution ms (median of 10): with count(distinct order_id) ${med(exec[0]!)}, as sent ${med(exec[1]!)}: ${s.text.replace(/\s+/g, ' ').trim().slice(0, 100)}`,
      );
    }
  } finally {
    await client.end();
  }
});
