/**
 * `pnpm bench:scale`: reads through one and through two `dms serve --no-projections` processes on one PostgreSQL database
 * (docs/scaling.md). Creates a scratch database on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * places `--orders` orders through the command bus, catches the read models up and issues an API key in this process, then
 * starts two API processes (ports `--port` and `--port`+1) and loads `GET /orders?limit=20` with autocannon: all
 * `--connections` on the first, then half on each, alternating over `--rounds` rounds so background load falls on both
 * alike. Prints requests/s, p50/p99 and errors per shape, with the load average before and after. Bounded: loopback only,
 * fixed durations; the processes are stopped and the database dropped at the end. Writes nothing: the figures go to
 * docs/scaling.md by hand, with the machine's load.
 */
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchOrder, expectOk, issueSalesKey, loadOnce, median, positive, seedOrders, serveDms, stopDms, utcMinute, withScratchDms } from './support';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    port: { type: 'string', default: '3156' },
  },
});
const orders = positive('orders', args.orders);
const connections = positive('connections', args.connections);
const duration = positive('duration', args.duration);
const rounds = positive('rounds', args.rounds);
const port = positive('port', args.port);

const main = () =>
  withScratchDms('dms_scalebench', async (runtime, url) => {
    const children: ChildProcess[] = [];
    try {
      await seedOrders(runtime, { count: orders, order: (i) => benchOrder(i, { prefix: 'load', lines: 1 }), commandPrefix: 'load-place', writers: 8 });
      const { token } = await issueSalesKey(runtime, 'scale bench');
      children.push(await serveDms(url, port), await serveDms(url, port + 1));
      const target = (p: number) => `http://127.0.0.1:${p}/orders?limit=20`;
      const headers = { authorization: `Bearer ${token}` };
      for (const p of [port, port + 1]) await expectOk(target(p), headers);
      const shapes = [
        { label: 'one API process', ports: [port] },
        { label: 'two API processes', ports: [port, port + 1] },
      ];
      const totals = new Map<string, { requests: number; seconds: number; p50: number[]; p99: number[]; errors: number }>();
      const loadStart = loadavg()[0]!;
      for (let round = 0; round < rounds; round++) {
        for (const shape of shapes) {
          const runs = await Promise.all(
            shape.ports.map((p) => loadOnce({ url: target(p), connections: Math.max(1, Math.floor(connections / shape.ports.length)), duration, headers })),
          );
          const t = totals.get(shape.label) ?? { requests: 0, seconds: 0, p50: [], p99: [], errors: 0 };
          const requests = runs.reduce((n, r) => n + r.requests, 0);
          t.requests += requests;
          t.seconds += Math.max(...runs.map((r) => r.seconds));
          t.p50.push(...runs.map((r) => r.p50));
          t.p99.push(...runs.map((r) => r.p99));
          t.errors += runs.reduce((n, r) => n + r.errors + r.non2xx, 0);
          totals.set(shape.label, t);
          console.log(`round ${round + 1}: ${shape.label}: ${Math.round(requests / Math.max(...runs.map((r) => r.seconds)))} req/s`);
        }
      }
      const loadEnd = loadavg()[0]!;
      console.log(
        `\n${utcMinute()} UTC, pnpm bench:scale --orders ${orders} --connections ${connections} --duration ${duration} --rounds ${rounds}; ${cpus().length} cores, Node ${process.version}; load average ${loadStart.toFixed(1)} before, ${loadEnd.toFixed(1)} after.`,
      );
      console.log('| shape | req/s | p50 / p99 ms (median / worst) | errors + non-2xx |\n|---|--:|--:|--:|');
      for (const shape of shapes) {
        const t = totals.get(shape.label)!;
        console.log(`| ${shape.label} | ${Math.round(t.requests / t.seconds).toLocaleString('en')} | ${median(t.p50)} / ${Math.max(...t.p99)} | ${t.errors} |`);
      }
    } finally {
      await stopDms(children);
    }
  });

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
