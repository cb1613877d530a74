/**
 * `pnpm bench:dashboard`: how fast the API answers every call behind the console's home dashboard, on the demo data
 * (`pnpm demo` first). Opens the data (DMS_DATA_DIR or DATABASE_URL, as `dms serve` does), catches the read models up,
 * then sends each call through the whole fastify stack (authentication, validation, query, serialisation) with
 * `app.inject`, the calls interleaved round-robin so that background load falls on all of them alike. Reports p50, p95
 * and max wall time per call, and the CPU time per call of this process, which for the embedded database includes
 * PostgreSQL itself and which other load on the machine does not inflate. Writes its section of docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, openDms } from '@dms/projections';
import { signHs256 } from '../src/auth/jwt';
import { buildApp } from '../src/index';

const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    'as-of': { type: 'string', default: '2026-11-20' },
    report: { type: 'string', default: 'docs/benchmarks.md' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('pnpm bench:dashboard [--iterations 60] [--warmup 5] [--as-of 2026-11-20] [--report docs/benchmarks.md|none]');
  process.exit(0);
}
const iterations = Number(args.iterations);
const warmup = Number(args.warmup);
const asOf = args['as-of']!;
const yearBefore = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
/** The first day of the 24 months that end with asOf's month, as the console's sales trend asks. */
const trendFrom = (() => {
  const months = Number(asOf.slice(0, 4)) * 12 + Number(asOf.slice(5, 7)) - 1 - 23;
  return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`;
})();

/** The dashboard's calls: what the console's home screen asks for, as channel manager and as the demo dealer. */
const CALLS: readonly { label: string; url: string; as?: 'dealer' }[] = [
  { label: 'KPI summary, month to date', url: `/kpis?asOf=${asOf}` },
  { label: 'KPI summary, quarter, one region', url: `/kpis?period=quarter&asOf=${asOf}&region=north` },
  { label: 'KPI summary as the dealer', url: `/kpis?asOf=${asOf}`, as: 'dealer' },
  { label: 'KPI summary as CSV', url: `/kpis?asOf=${asOf}&format=csv` },
  { label: 'sales by region vs previous and last year', url: `/kpis/sales?by=region&asOf=${asOf}` },
  { label: 'sales by partner', url: `/kpis/sales?by=partner&asOf=${asOf}` },
  { label: 'sales by product', url: `/kpis/sales?by=product&asOf=${asOf}` },
  { label: 'sales by category, year to date', url: `/kpis/sales?by=category&period=year&asOf=${asOf}` },
  ...(['sales', 'backlog', 'fill-rate', 'on-time-delivery', 'review-automation', 'receivables', 'dso'] as const).map((metric) => ({
    label: `series ${metric}, 12 months`,
    url: `/kpis/series?metric=${metric}&by=month&to=${asOf}`,
  })),
  { label: 'series sales, 53 weeks', url: `/kpis/series?metric=sales&by=week&from=${yearBefore}&to=${asOf}` },
  { label: 'stock over time, one SKU by region, 90 days', url: `/kpis/stock?sku=PMP-005&groupBy=region&to=${asOf}` },
  { label: 'stock over time, every SKU, 26 weeks', url: `/kpis/stock?by=week&from=${`${asOf.slice(0, 5)}05-25`}&to=${asOf}` },
  { label: 'aged receivables by partner', url: `/kpis/receivables?asOf=${asOf}` },
  { label: 'low-stock alerts', url: '/stock/alerts' },
  { label: 'demand forecast, one SKU and region', url: `/stock/forecast?sku=PMP-005&region=north&asOf=${asOf.slice(0, 7)}` },
  { label: 'sales report by region and month', url: `/reports/sales?groupBy=region,month&from=${yearBefore}&to=${asOf}` },
  // The console's home asks for these two as well (packages/web/src/console/dashboard/queries.ts).
  { label: 'sales by month, 24 months', url: `/reports/sales?groupBy=month&from=${trendFrom}&to=${asOf}` },
  { label: 'demand forecast, every SKU and region', url: '/stock/forecast?limit=500' },
];

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

const main = async () => {
  const config = loadConfig();
  if (!config.databaseUrl && !existsSync(resolve(config.dataDir))) {
    console.error(`No data in ${config.dataDir}: run \`pnpm demo\` first (or set DATABASE_URL).`);
    process.exit(1);
  }
  const runtime = await openDms(config);
  try {
    await runtime.runner.catchUp();
    // Callers sign in with JWTs from a throw-away secret, so that the benchmark writes nothing into the data.
    const secret = randomBytes(32).toString('hex');
    const app = await buildApp({
      runtime,
      logger: false,
      // What each call costs to compute: without the response cache, which would answer every repeat of a call.
      responseCache: false,
      now: () => new Date(`${asOf}T12:00:00.000Z`),
      auth: { jwt: { hs256Secret: secret }, requestsPerMinute: 1_000_000 },
    });
    const partners = await runtime.runner.db.selectFrom('partners').select('partner_id').orderBy('partner_id').execute();
    const partnerId = partners.find((p) => p.partner_id === 'nordic-flow')?.partner_id ?? partners[0]?.partner_id ?? 'none';
    const exp = Math.floor(Date.now() / 1000) + 24 * 3600;
    const tokens = {
      staff: signHs256({ sub: 'bench.sales', role: 'sales', exp }, secret),
      dealer: signHs256({ sub: 'bench.dealer', role: 'dealer', partner_id: partnerId, exp }, secret),
    };
    const send = async (call: (typeof CALLS)[number]) => {
      const res = await app.inject({
        method: 'GET',
        url: call.url,
        headers: { authorization: `Bearer ${call.as === 'dealer' ? tokens.dealer : tokens.staff}` },
      });
      if (res.statusCode !== 200) throw new Error(`${call.url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.body.length;
    };
    for (let i = 0; i < warmup; i++) for (const call of CALLS) await send(call);
    const wall = CALLS.map(() => [] as number[]);
    const cpu = CALLS.map(() => 0);
    const bytes = CALLS.map(() => 0);
    const loadBefore = loadavg()[0]!;
    for (let i = 0; i < iterations; i++) {
      for (const [n, call] of CALLS.entries()) {
        const c = process.cpuUsage();
        const t = performance.now();
        bytes[n] = await send(call);
        wall[n]!.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu[n]! += (used.user + used.system) / 1000;
      }
      process.stdout.write(`\r${i + 1}/${iterations} rounds`);
    }
    process.stdout.write('\n');
    const loadAfter = loadavg()[0]!;
    await app.close();

    const rows = CALLS.map((call, n) => {
      const sorted = [...wall[n]!].sort((a, b) => a - b);
      return { call, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1)!, cpu: cpu[n]! / iterations, bytes: bytes[n]! };
    });
    const orders = await runtime.runner.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    const mode = config.databaseUrl ? 'PostgreSQL server' : 'embedded PGlite (as `pnpm demo` and `dms serve` run by default)';
    const table = [
      '| call | p50 ms | p95 ms | max ms | CPU ms/call | bytes |',
      '|---|--:|--:|--:|--:|--:|',
      ...rows.map(
        (r) =>
          `| ${r.call.label}: \`GET ${r.call.url}\`${r.call.as ? ' (dealer)' : ''} | ${ms(r.p50)} | ${r.p95 < 100 ? '' : '**'}${ms(r.p95)}${r.p95 < 100 ? '' : '**'} | ${ms(r.max)} | ${ms(r.cpu)} | ${r.bytes.toLocaleString('en')} |`,
      ),
    ];
    const over = rows.filter((r) => r.p95 >= 100);
    const section = [
      '<!-- dashboard-bench:begin -->',
      '<!-- Generated by `pnpm bench:dashboard`: everything between these two markers is replaced on every run. -->',
      '',
      '## Dashboard API on the demo data',
      '',
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench:dashboard --iterations ${iterations} --warmup ${warmup} --as-of ${asOf}\`, ${mode}, ${Number(orders?.n ?? 0).toLocaleString('en')} orders; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
      '',
      `Each call ${iterations} times through the whole API in process (\`app.inject\`: authentication, validation, queries, serialisation; no network), interleaved with the others. Aim: p95 under 100 ms for every call. ${over.length === 0 ? 'Met by every call.' : `Not met by ${over.length} of ${rows.length} (in bold).`}`,
      '',
      ...table,
      '',
      '<!-- dashboard-bench:end -->',
    ].join('\n');
    console.log(section);
    if (args.report !== 'none') {
      const path = resolve(args.report!);
      const text = existsSync(path) ? await readFile(path, 'utf8') : '# Benchmarks\n';
      const begin = text.indexOf('<!-- dashboard-bench:begin -->');
      const end = text.indexOf('<!-- dashboard-bench:end -->');
      const next =
        begin >= 0 && end > begin
          ? `${text.slice(0, begin)}${section}${text.slice(end + '<!-- dashboard-bench:end -->'.length)}`
          : `${text.trimEnd()}\n\n${section}\n`;
      await writeFile(path, next);
      console.log(`Written to ${args.report}.`);
    }
  } finally {
    await runtime.close();
  }
};

await main();
