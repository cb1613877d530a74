/**
 * `pnpm bench:api`: the API's read routes under concurrent load over loopback, beside a bare fastify route in the same run.
 *
 * Creates a scratch database on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), places `--orders`
 * orders through the command bus, catches the read models up, issues an API key (so every request goes through the real
 * authentication: the key's stream, cached for at most a second, revocation seen at once), and serves the API and a bare
 * fastify app (one route answering a small JSON document) on 127.0.0.1 ports 3140 and 3141 (`--port`). autocannon then
 * loads each target for `--duration` seconds with `--connections` connections, in `--rounds` rounds that alternate the
 * targets, so that background load falls on all alike. Reports requests/s, p50/p99 latency, errors and non-2xx answers,
 * and the resident memory of this process (the server, and autocannon's workers with it). Bounded: loopback only, fixed
 * durations, and the database is dropped at the end. The API answers through its response cache (response-cache.ts), as
 * `dms serve` does; `--uncached` also loads each API route of a second API app built without it (port + 2), interleaved
 * with the others, for a before/after in one run.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/index';
import { ResponseCache } from '../src/response-cache';
import {
  bareFastify,
  benchOrder,
  expectOk,
  issueSalesKey,
  loadOnce,
  median,
  positive,
  seedOrders,
  utcMinute,
  withScratchDms,
  writeReportSection,
} from './support';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    port: { type: 'string', default: '3140' },
    report: { type: 'string', default: 'docs/benchmarks.md' },
    only: { type: 'string' },
    uncached: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    "pnpm bench:api [--orders 2000] [--connections 50] [--duration 5] [--rounds 2] [--port 3140] [--only <text in a target's label>] [--uncached] [--report docs/benchmarks.md|none]",
  );
  process.exit(0);
}
const orders = positive('orders', args.orders);
const connections = positive('connections', args.connections);
const duration = positive('duration', args.duration);
const rounds = positive('rounds', args.rounds);
const port = positive('port', args.port);
const AIM = { rps: 3000, p99Ms: 25 };

interface Measured {
  requests: number;
  seconds: number;
  latencies: { p50: number; p99: number }[];
  errors: number;
  non2xx: number;
  peakRss: number;
}

const main = () =>
  withScratchDms('dms_apibench', async (runtime, _url, name) => {
    const servers: { close(): Promise<unknown> }[] = [];
    try {
      console.log(`placing ${orders} orders in ${name}`);
      await seedOrders(runtime, { count: orders, order: (i) => benchOrder(i, { prefix: 'load', lines: 2 }), commandPrefix: 'load-place', writers: 8 });
      const key = await issueSalesKey(runtime, 'load bench');
      const cache = new ResponseCache();
      const app = await buildApp({ runtime, logger: false, auth: { requestsPerMinute: 100_000_000 }, responseCache: cache });
      await app.listen({ host: '127.0.0.1', port });
      servers.push(app);
      if (args.uncached) {
        const plain = await buildApp({ runtime, logger: false, auth: { requestsPerMinute: 100_000_000 }, responseCache: false });
        await plain.listen({ host: '127.0.0.1', port: port + 2 });
        servers.push(plain);
      }
      const bare = bareFastify();
      await bare.listen({ host: '127.0.0.1', port: port + 1 });
      servers.push(bare);

      const detailId = `load-${String(Math.floor(orders / 2)).padStart(6, '0')}`;
      const asOf = '2026-01-31';
      const allTargets = [
        { label: 'bare fastify route (no auth, no database)', url: `http://127.0.0.1:${port + 1}/bare`, auth: false },
        { label: '`GET /orders?limit=20`', url: `http://127.0.0.1:${port}/orders?limit=20`, auth: true },
        { label: `\`GET /orders/{id}\``, url: `http://127.0.0.1:${port}/orders/${detailId}`, auth: true },
        { label: '`GET /kpis` (dashboard summary)', url: `http://127.0.0.1:${port}/kpis?asOf=${asOf}`, auth: true },
        { label: '`GET /kpis/sales?by=region`', url: `http://127.0.0.1:${port}/kpis/sales?by=region&asOf=${asOf}`, auth: true },
      ];
      if (args.uncached)
        for (const t of allTargets.slice(1))
          allTargets.push({ ...t, label: `${t.label} without the response cache`, url: t.url.replace(`:${port}/`, `:${port + 2}/`) });
      // --only: the bare route and the targets whose label contains the text (to profile one route, say).
      const targets = allTargets.filter((t, i) => i === 0 || !args.only || t.label.includes(args.only));
      for (const t of targets) await expectOk(t.url, t.auth ? { authorization: `Bearer ${key.token}` } : {});
      const results = new Map<string, Measured>();
      const loadStart = loadavg()[0]!;
      for (let round = 0; round < rounds; round++) {
        for (const t of targets) {
          let peakRss = process.memoryUsage.rss();
          const sampler = setInterval(() => {
            peakRss = Math.max(peakRss, process.memoryUsage.rss());
          }, 100);
          const r = await loadOnce({ url: t.url, connections, duration, headers: t.auth ? { authorization: `Bearer ${key.token}` } : {} });
          clearInterval(sampler);
          const m = results.get(t.label) ?? { requests: 0, seconds: 0, latencies: [], errors: 0, non2xx: 0, peakRss: 0 };
          m.requests += r.requests;
          m.seconds += r.seconds;
          m.latencies.push({ p50: r.p50, p99: r.p99 });
          m.errors += r.errors;
          m.non2xx += r.non2xx;
          m.peakRss = Math.max(m.peakRss, peakRss);
          results.set(t.label, m);
          console.log(
            `  round ${round + 1}: ${t.label}: ${Math.round(r.requests / r.seconds)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors, ${r.non2xx} non-2xx`,
          );
        }
      }
      const loadEnd = loadavg()[0]!;
      const versionReads = runtime.reads.versions.reads;
      const bareRps = (() => {
        const b = results.get(targets[0]!.label)!;
        return b.requests / b.seconds;
      })();
      const rows = targets.map((t) => {
        const m = results.get(t.label)!;
        const rps = m.requests / m.seconds;
        // autocannon gives percentiles per slice; the worst slice's p99 is reported, and the median slice's p50.
        const p50 = median(m.latencies.map((l) => l.p50));
        const p99 = Math.max(...m.latencies.map((l) => l.p99));
        const aimed = t.url.includes('/orders');
        const aim = aimed
          ? `≥ ${AIM.rps.toLocaleString('en')} req/s at p99 ≤ ${AIM.p99Ms} ms: ${rps >= AIM.rps && p99 <= AIM.p99Ms ? 'met' : '**short**'}`
          : '';
        return `| ${t.label} | **${Math.round(rps).toLocaleString('en')}** | ${(rps / bareRps).toFixed(2)} | ${p50} / ${p99} | ${m.errors} / ${m.non2xx} | ${Math.round(m.peakRss / 2 ** 20)} MiB | ${aim} |`;
      });
      const section = [
        '<!-- api-bench:begin -->',
        '<!-- Generated by `pnpm bench:api`: everything between these two markers is replaced on every run. -->',
        '',
        '## API reads under load',
        '',
        `${utcMinute()} UTC, \`pnpm bench:api --orders ${orders} --connections ${connections} --duration ${duration} --rounds ${rounds}${args.uncached ? ' --uncached' : ''}\`; PostgreSQL server, ${orders.toLocaleString('en')} orders; ${cpus().length} cores, Node ${process.version}; load average ${loadStart.toFixed(1)} before, ${loadEnd.toFixed(1)} after. ` +
          `autocannon ${connections} connections over loopback, ${duration} s per target per round, targets alternating; the API authenticates every request with an API key. ` +
          'autocannon runs in a worker thread of this process, on the same two cores as the server and PostgreSQL, so every figure, the ceiling included, is lower than a load generator on another machine would show. ' +
          `The API answers through its response cache, as \`dms serve\` does: ${cache.hits.toLocaleString('en')} hits, ${cache.misses.toLocaleString('en')} misses, ${versionReads.toLocaleString('en')} reads of the read models' checkpoints (shared by the requests that arrived while one was in flight)` +
          (args.uncached
            ? '; the rows "without the response cache" are a second API app on the same runtime built without it, loaded in the same rounds.'
            : '.'),
        '',
        '| target | req/s | of bare fastify | p50 / p99 ms (median / worst round) | errors / non-2xx | peak RSS of the process | aim |',
        '|---|--:|--:|--:|--:|--:|---|',
        ...rows,
        '',
        '<!-- api-bench:end -->',
      ].join('\n');
      console.log(`\n${section}`);
      if (args.report !== 'none') console.log(`written to ${await writeReportSection(args.report!, 'api-bench', section)}`);
    } finally {
      for (const s of servers) await s.close().catch(() => {});
    }
  });

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
