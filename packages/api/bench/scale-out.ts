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
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PlaceOrder } from '@dms/domain';
import { openDms } from '@dms/projections';
import autocannon from 'autocannon';
import pg from 'pg';
import { issueApiKey } from '../src/index';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    port: { type: 'string', default: '3156' },
  },
});
const orders = Number(args.orders);
const connections = Number(args.connections);
const duration = Number(args.duration);
const rounds = Number(args.rounds);
const port = Number(args.port);
const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'dms.js');

const placeOrder = (i: number): PlaceOrder => ({
  type: 'PlaceOrder',
  data: {
    orderId: `load-${String(i).padStart(6, '0')}`,
    partnerId: `dealer-${String(i % 40).padStart(4, '0')}`,
    region: ['north', 'south', 'east', 'west'][i % 4]!,
    tier: 'gold',
    currency: 'EUR',
    lines: [{ lineNo: 1, sku: 'PUMPS-1000', quantity: 1 + (i % 7), unitPrice: { amountMinor: 124_950, currency: 'EUR' }, discountBps: 1_500 }],
    placedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    customerReference: `PO-${i}`,
  },
});

const serve = (url: string, p: number): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--no-projections', '--port', String(p)], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', DMS_RATE_LIMIT_PER_MINUTE: '100000000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (d: Buffer) => {
      output += String(d);
      if (output.includes('No projections')) resolve(child);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', (code) => reject(new Error(`dms serve on ${p} ended (${code}): ${output}`)));
  });

const main = async () => {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `dms_scalebench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const runtime = await openDms({ databaseUrl: url.toString(), dataDir: '', eventstoreConnectionString: undefined });
  const children: ChildProcess[] = [];
  try {
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
    const { token } = await issueApiKey(runtime, { name: 'scale bench', role: 'sales' }, actor);
    children.push(await serve(url.toString(), port), await serve(url.toString(), port + 1));
    const target = (p: number) => `http://127.0.0.1:${p}/orders?limit=20`;
    const headers = { authorization: `Bearer ${token}` };
    for (const p of [port, port + 1]) {
      const res = await fetch(target(p), { headers });
      if (res.status !== 200) throw new Error(`${target(p)}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    }
    const shapes = [
      { label: 'one API process', ports: [port] },
      { label: 'two API processes', ports: [port, port + 1] },
    ];
    const totals = new Map<string, { requests: number; seconds: number; p50: number[]; p99: number[]; errors: number }>();
    const loadStart = loadavg()[0]!;
    for (let round = 0; round < rounds; round++) {
      for (const shape of shapes) {
        const runs = await Promise.all(
          shape.ports.map((p) =>
            autocannon({ url: target(p), connections: Math.max(1, Math.floor(connections / shape.ports.length)), duration, workers: 1, headers }),
          ),
        );
        const t = totals.get(shape.label) ?? { requests: 0, seconds: 0, p50: [], p99: [], errors: 0 };
        const requests = runs.reduce((n, r) => n + r.requests.total, 0);
        t.requests += requests;
        t.seconds += Math.max(...runs.map((r) => r.duration));
        t.p50.push(...runs.map((r) => r.latency.p50));
        t.p99.push(...runs.map((r) => r.latency.p99));
        t.errors += runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
        totals.set(shape.label, t);
        console.log(`round ${round + 1}: ${shape.label}: ${Math.round(requests / Math.max(...runs.map((r) => r.duration)))} req/s`);
      }
    }
    const loadEnd = loadavg()[0]!;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    console.log(
      `\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, pnpm bench:scale --orders ${orders} --connections ${connections} --duration ${duration} --rounds ${rounds}; ${cpus().length} cores, Node ${process.version}; load average ${loadStart.toFixed(1)} before, ${loadEnd.toFixed(1)} after.`,
    );
    console.log('| shape | req/s | p50 / p99 ms (median / worst) | errors + non-2xx |\n|---|--:|--:|--:|');
    for (const shape of shapes) {
      const t = totals.get(shape.label)!;
      console.log(`| ${shape.label} | ${Math.round(t.requests / t.seconds).toLocaleString('en')} | ${median(t.p50)} / ${Math.max(...t.p99)} | ${t.errors} |`);
    }
  } finally {
    for (const c of children) {
      c.removeAllListeners('exit');
      c.kill('SIGTERM');
    }
    await runtime.close().catch(() => {});
    await new Promise((r) => setTimeout(r, 1000));
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
