/**
 * What the API benches share: a scratch database with orders placed through the command bus, an API key, a bare fastify
 * route to compare with, `dms serve` processes, bounded autocannon runs, and writing a generated section of a report.
 * One function per idea; each bench keeps its own arguments, targets and tables.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PlaceOrder } from '@dms/domain';
import { type DmsRuntime, openDms } from '@dms/projections';
import autocannon from 'autocannon';
import fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { issueApiKey } from '../src/index';

/** The acting principal of every bench's set-up commands. */
export const BENCH_ACTOR = { id: 'bench', role: 'admin' as const };

/** `--name` as a whole number above 0, or an error naming the option. */
export const positive = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a whole number above 0, not "${v}".`);
  return n;
};

/** The median of some figures (the lower middle one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** Now as `YYYY-MM-DD HH:MM` (UTC), for a report's first line. */
export const utcMinute = (): string => new Date().toISOString().slice(0, 16).replace('T', ' ');

/** Order `i` of a bench: 40 dealers, four regions, one minute apart from 2026-01-01; `lines` 1 (pumps) or 2 (and valves). */
export const benchOrder = (i: number, { prefix, lines }: { prefix: string; lines: 1 | 2 }): PlaceOrder => ({
  type: 'PlaceOrder',
  data: {
    orderId: `${prefix}-${String(i).padStart(6, '0')}`,
    partnerId: `dealer-${String(i % 40).padStart(4, '0')}`,
    region: ['north', 'south', 'east', 'west'][i % 4]!,
    tier: 'gold',
    currency: 'EUR',
    lines: [
      { lineNo: 1, sku: 'PUMPS-1000', quantity: 1 + (i % 7), unitPrice: { amountMinor: 124_950, currency: 'EUR' }, discountBps: 1_500 },
      ...(lines === 2 ? [{ lineNo: 2, sku: 'VALVES-1001', quantity: 2 + (i % 5), unitPrice: { amountMinor: 8_995, currency: 'EUR' }, discountBps: 0 }] : []),
    ],
    placedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    customerReference: `PO-${i}`,
  },
});

/**
 * Runs `work` against a fresh database `<tag>_<pid>` on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * opened as a DMS runtime; closes the runtime and drops the database (with its connections) whatever happens.
 */
export const withScratchDms = async <T>(tag: string, work: (runtime: DmsRuntime, url: string, name: string) => Promise<T>): Promise<T> => {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `${tag}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const runtime = await openDms({ databaseUrl: url.toString(), dataDir: '', eventstoreConnectionString: undefined });
  try {
    return await work(runtime, url.toString(), name);
  } finally {
    await runtime.close().catch(() => {});
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
};

/** Places `count` orders (`order(i)`, command ids `<commandPrefix>-<i>`) with `writers` in parallel, then catches the read models up. */
export const seedOrders = async (
  runtime: DmsRuntime,
  { count, order, commandPrefix, writers }: { count: number; order: (i: number) => PlaceOrder; commandPrefix: string; writers: number },
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) {
        const i = next++;
        const r = await runtime.bus.execute(order(i), { commandId: `${commandPrefix}-${i}`, actor: BENCH_ACTOR });
        if (r._tag === 'Left') throw new Error(`PlaceOrder refused: ${r.left.code}: ${r.left.message}`);
      }
    }),
  );
  await runtime.runner.catchUp();
};

/** A salesperson's API key (so that every request goes through the real authentication). */
export const issueSalesKey = (runtime: DmsRuntime, name: string) => issueApiKey(runtime, { name, role: 'sales' }, BENCH_ACTOR);

/** A bare fastify app with one route, `GET /bare`, answering a small JSON document: the ceiling beside the API. */
export const bareFastify = (): FastifyInstance => {
  const bare = fastify({ logger: false });
  bare.get('/bare', async () => ({ ok: true, items: [{ id: 'x', status: 'placed' }] }));
  return bare;
};

/** Fails unless `url` answers 200 (before loading it, so that a run never measures errors). */
export const expectOk = async (url: string, headers: Record<string, string> = {}): Promise<void> => {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
};

const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'dms.js');

/** Starts `dms serve --no-projections` on `port` against `databaseUrl`; resolves once it says it serves. */
export const serveDms = (databaseUrl: string, port: number): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--no-projections', '--port', String(port)], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DMS_RATE_LIMIT_PER_MINUTE: '100000000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (d: Buffer) => {
      output += String(d);
      if (output.includes('No projections')) resolve(child);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', (code) => reject(new Error(`dms serve on ${port} ended (${code}): ${output}`)));
  });

/** Stops processes started by `serveDms` (SIGTERM) and gives them a second to let go of the database. */
export const stopDms = async (children: readonly ChildProcess[]): Promise<void> => {
  for (const c of children) {
    c.removeAllListeners('exit');
    c.kill('SIGTERM');
  }
  if (children.length > 0) await new Promise((r) => setTimeout(r, 1000));
};

export interface LoadRun {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Errors and timeouts. */
  errors: number;
  non2xx: number;
}

/** One bounded autocannon run against `url` (in a worker thread, so that generating load does not hold up a server in this process). */
export const loadOnce = async ({
  url,
  connections,
  duration,
  headers = {},
}: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}): Promise<LoadRun> => {
  const r = await autocannon({ url, connections, duration, workers: 1, headers });
  return {
    requests: r.requests.total,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
};

/**
 * Puts `section` (which starts with `<!-- <marker>:begin -->` and ends with `<!-- <marker>:end -->`) in place of the file's
 * section between those markers, or at its end; a missing file starts as `start`.
 */
export const writeReportSection = async (path: string, marker: string, section: string, start = ''): Promise<string> => {
  const file = resolve(path);
  const text = existsSync(file) ? await readFile(file, 'utf8') : start;
  const beginMark = `<!-- ${marker}:begin -->`;
  const endMark = `<!-- ${marker}:end -->`;
  const begin = text.indexOf(beginMark);
  const end = text.indexOf(endMark);
  const updated = begin >= 0 && end > begin ? text.slice(0, begin) + section + text.slice(end + endMark.length) : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(file, updated);
  return file;
};
