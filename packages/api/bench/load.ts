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
 * durations, and the database is dropped at the end.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PlaceOrder } from '@dms/domain';
import { openDms } from '@dms/projections';
import autocannon from 'autocannon';
import fastify from 'fastify';
import pg from 'pg';
import { buildApp, issueApiKey } from '../src/index';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    port: { type: 'string', default: '3140' },
    report: { type: 'string', default: 'docs/benchmarks.md' },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    "pnpm bench:api [--orders 2000] [--connections 50] [--duration 5] [--rounds 2] [--port 3140] [--only <text in a target's label>] [--report docs/benchmarks.md|none]",
  );
  process.exit(0);
}
const positive = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a whole number above 0, not "${v}".`);
  return n;
};
const orders = positive('orders', args.orders);
const connections = positive('connections', args.connections);
const duration = positive('duration', args.duration);
const rounds = positive('rounds', args.rounds);
const port = positive('port', args.port);
const AIM = { rps: 3000, p99Ms: 25 };

const placeOrder = (i: number): PlaceOrder => ({
  type: 'PlaceOrder',
  data: {
    orderId: `load-${String(i).padStart(6, '0')}`,
    partnerId: `dealer-${String(i % 40).padStart(4, '0')}`,
    region: ['north', 'south', 'east', 'west'][i % 4]!,
    tier: 'gold',
    currency: 'EUR',
    lines: [
      { lineNo: 1, sku: 'PUMPS-1000', quantity: 1 + (i % 7), unitPrice: { amountMinor: 124_950, currency: 'EUR' }, discountBps: 1_500 },
      { lineNo: 2, sku: 'VALVES-1001', quantity: 2 + (i % 5), unitPrice: { amountMinor: 8_995, currency: 'EUR' }, discountBps: 0 },
    ],
    placedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    customerReference: `PO-${i}`,
  },
});

interface Measured {
  requests: number;
  seconds: number;
  latencies: { p50: number; p99: number }[];
  errors: number;
  non2xx: number;
  peakRss: number;
}

const main = async () => {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `dms_apibench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const runtime = await openDms({ databaseUrl: url.toString(), dataDir: '', eventstoreConnectionString: undefined });
  const servers: { close(): Promise<unknown> }[] = [];
  try {
    console.log(`placing ${orders} orders in ${name}`);
    const actor = { id: 'bench', role: 'admin' as const };
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < orders) {
          const i = next++;
          const r = await runtime.bus.execute(placeOrder(i), { commandId: `load-place-${i}`, actor });
          if (r._tag === 'Left') throw new Error(`PlaceOrder refused: ${r.left.code}: ${r.left.message}`);
        }
      }),
    );
    await runtime.runner.catchUp();
    const key = await issueApiKey(runtime, { name: 'load bench', role: 'sales' }, actor);
    const app = await buildApp({ runtime, logger: false, auth: { requestsPerMinute: 100_000_000 } });
    await app.listen({ host: '127.0.0.1', port });
    servers.push(app);
    const bare = fastify({ logger: false });
    bare.get('/bare', async () => ({ ok: true, items: [{ id: 'x', status: 'placed' }] }));
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
    // --only: the bare route and the targets whose label contains the text (to profile one route, say).
    const targets = allTargets.filter((t, i) => i === 0 || !args.only || t.label.includes(args.only));
    for (const t of targets) {
      const res = await fetch(t.url, { headers: t.auth ? { authorization: `Bearer ${key.token}` } : {} });
      if (res.status !== 200) throw new Error(`${t.url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    }
    const results = new Map<string, Measured>();
    const loadStart = loadavg()[0]!;
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        let peakRss = process.memoryUsage.rss();
        const sampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
        }, 100);
        const r = await autocannon({
          url: t.url,
          connections,
          duration,
          // Its own thread, so that generating load does not hold up the server's event loop.
          workers: 1,
          headers: t.auth ? { authorization: `Bearer ${key.token}` } : {},
        });
        clearInterval(sampler);
        const m = results.get(t.label) ?? { requests: 0, seconds: 0, latencies: [], errors: 0, non2xx: 0, peakRss: 0 };
        m.requests += r.requests.total;
        m.seconds += r.duration;
        m.latencies.push({ p50: r.latency.p50, p99: r.latency.p99 });
        m.errors += r.errors + r.timeouts;
        m.non2xx += r.non2xx;
        m.peakRss = Math.max(m.peakRss, peakRss);
        results.set(t.label, m);
        console.log(
          `  round ${round + 1}: ${t.label}: ${Math.round(r.requests.total / r.duration)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.errors} errors, ${r.non2xx} non-2xx`,
        );
      }
    }
    const loadEnd = loadavg()[0]!;
    const bareRps = (() => {
      const b = results.get(targets[0]!.label)!;
      return b.requests / b.seconds;
    })();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const rows = targets.map((t) => {
      const m = results.get(t.label)!;
      const rps = m.requests / m.seconds;
      // autocannon gives percentiles per slice; the worst slice's p99 is reported, and the median slice's p50.
      const p50 = median(m.latencies.map((l) => l.p50));
      const p99 = Math.max(...m.latencies.map((l) => l.p99));
      const aimed = t.url.includes('/orders');
      const aim = aimed ? `≥ ${AIM.rps.toLocaleString('en')} req/s at p99 ≤ ${AIM.p99Ms} ms: ${rps >= AIM.rps && p99 <= AIM.p99Ms ? 'met' : '**short**'}` : '';
      return `| ${t.label} | **${Math.round(rps).toLocaleString('en')}** | ${(rps / bareRps).toFixed(2)} | ${p50} / ${p99} | ${m.errors} / ${m.non2xx} | ${Math.round(m.peakRss / 2 ** 20)} MiB | ${aim} |`;
    });
    const section = [
      '<!-- api-bench:begin -->',
      '<!-- Generated by `pnpm bench:api`: everything between these two markers is replaced on every run. -->',
      '',
      '## API reads under load',
      '',
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench:api --orders ${orders} --connections ${connections} --duration ${duration} --rounds ${rounds}\`; PostgreSQL server, ${orders.toLocaleString('en')} orders; ${cpus().length} cores, Node ${process.version}; load average ${loadStart.toFixed(1)} before, ${loadEnd.toFixed(1)} after. ` +
        `autocannon ${connections} connections over loopback, ${duration} s per target per round, targets alternating; the API authenticates every request with an API key. ` +
        'autocannon runs in a worker thread of this process, on the same two cores as the server and PostgreSQL, so every figure, the ceiling included, is lower than a load generator on another machine would show.',
      '',
      '| target | req/s | of bare fastify | p50 / p99 ms (median / worst round) | errors / non-2xx | peak RSS of the process | aim |',
      '|---|--:|--:|--:|--:|--:|---|',
      ...rows,
      '',
      '<!-- api-bench:end -->',
    ].join('\n');
    console.log(`\n${section}`);
    if (args.report !== 'none') {
      const file = resolve(args.report!);
      const text = existsSync(file) ? await readFile(file, 'utf8') : '';
      const begin = text.indexOf('<!-- api-bench:begin -->');
      const end = text.indexOf('<!-- api-bench:end -->');
      const updated =
        begin >= 0 && end > begin ? text.slice(0, begin) + section + text.slice(end + '<!-- api-bench:end -->'.length) : `${text.trimEnd()}\n\n${section}\n`;
      await writeFile(file, updated);
      console.log(`written to ${file}`);
    }
  } finally {
    for (const s of servers) await s.close().catch(() => {});
    await runtime.close().catch(() => {});
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
