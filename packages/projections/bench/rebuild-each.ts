/**
 * `node --import tsx packages/projections/bench/rebuild-each.ts --database-url <url of a kept bench database>`: rebuilds
 * every read model alone, one after another, and prints what each cost in CPU of this process (the fold, kysely, pg) and
 * of PostgreSQL's processes for that database, per 100,000 of the events it read: which projections dominate "rebuild
 * all". CPU rather than wall time, so that the figures move less with the machine's load. Make the database with
 * `pnpm bench --only d --orders 2000 --report none --keep-db` (it prints its name); drop it when done. `--only a,b` rebuilds
 * just those projections, `--rounds n` each n times (the median is printed).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase, PostgresEventStore } from '@dms/eventstore';
import { allProjections, ProjectionRunner } from '../src';
import { ResourceMeter } from './measure';
import { pg } from './pg';

const { values: args } = parseArgs({
  options: { 'database-url': { type: 'string' }, only: { type: 'string' }, rounds: { type: 'string', default: '1' }, batch: { type: 'string' } },
});
const url = args['database-url'];
if (!url) throw new Error('--database-url: the URL of a database that `pnpm bench --only d --keep-db` left behind.');
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number above 0, not "${args.rounds}".`);

const main = async () => {
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const store = await PostgresEventStore.create(database.db);
    const projections = allProjections.filter((p) => !p.react && p.replayable !== false);
    const runner = await ProjectionRunner.create(database.db, store, projections, {
      rebuildConcurrency: 1,
      ...(args.batch ? { rebuildBatchSize: Number(args.batch) } : {}),
    });
    const meter = new ResourceMeter(admin, new URL(url).pathname.slice(1), os.cpus().length);
    const wanted = args.only ? new Set(args.only.split(',')) : null;
    const load0 = os.loadavg()[0]!;
    const rows: { name: string; events: number; wallMs: number; nodeMs: number; pgMs: number; walBytes: number; peakRss: number }[] = [];
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    for (const p of projections.filter((q) => !wanted || wanted.has(q.name))) {
      const runs: { events: number; wallMs: number; nodeMs: number; pgMs: number; walBytes: number; peakRss: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        let peakRss = process.memoryUsage.rss();
        const sampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
        }, 50);
        const stop = await meter.start();
        const { events } = await runner.rebuild(p.name).finally(() => clearInterval(sampler));
        const use = await stop();
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        runs.push({ events, wallMs: use.wallMs, nodeMs: use.nodeCpuMs ?? 0, pgMs: use.pgCpuMs ?? 0, walBytes: use.walBytes ?? 0, peakRss });
      }
      rows.push({
        name: p.name,
        events: runs[0]!.events,
        wallMs: median(runs.map((x) => x.wallMs)),
        nodeMs: median(runs.map((x) => x.nodeMs)),
        pgMs: median(runs.map((x) => x.pgMs)),
        walBytes: median(runs.map((x) => x.walBytes)),
        peakRss: Math.max(...runs.map((x) => x.peakRss)),
      });
      const row = rows.at(-1)!;
      console.log(
        `${p.name}: ${row.events} events, ${(row.wallMs / 1000).toFixed(2)} s, Node ${(row.nodeMs / 1000).toFixed(2)} s CPU, PostgreSQL ${(row.pgMs / 1000).toFixed(2)} s CPU, ` +
          `WAL ${(row.walBytes / 2 ** 20).toFixed(1)} MiB, peak RSS ${(row.peakRss / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    const total = rows.reduce((a, r) => a + r.nodeMs + r.pgMs, 0);
    console.log(
      `\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${os.cpus().length} cores, Node ${process.version}; load average ${load0.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after; median of ${rounds} round(s).\n`,
    );
    console.log(
      '| projection | events read | wall s | Node CPU s | PostgreSQL CPU s | CPU s per 100k events | WAL B/event | peak RSS MiB | share of all CPU |',
    );
    console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of [...rows].sort((a, b) => b.nodeMs + b.pgMs - (a.nodeMs + a.pgMs))) {
      const cpu = r.nodeMs + r.pgMs;
      console.log(
        `| ${r.name} | ${r.events.toLocaleString('en')} | ${(r.wallMs / 1000).toFixed(2)} | ${(r.nodeMs / 1000).toFixed(2)} | ${(r.pgMs / 1000).toFixed(2)} | ${r.events > 0 ? ((cpu / 1000 / r.events) * 100_000).toFixed(1) : '-'} | ${r.events > 0 ? Math.round(r.walBytes / r.events) : '-'} | ${(r.peakRss / 2 ** 20).toFixed(0)} | ${((100 * cpu) / total).toFixed(0)} % |`,
      );
    }
  } finally {
    await admin.end().catch(() => {});
    await database.close().catch(() => {});
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
