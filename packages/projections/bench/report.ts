import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ResourceUse, TimedResult } from './measure';
import type { BenchOptions } from './options';

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  readonly postgresSettings: Readonly<Record<string, string>>;
  readonly databaseHost: string;
  readonly date: string;
}

export interface SeedResult {
  readonly orders: number;
  /** Order events appended. */
  readonly events: number;
  /** Catalogue and partner events written through the command bus before the orders. */
  readonly otherEvents: number;
  readonly appends: number;
  readonly generateSeconds: number;
  readonly appendSeconds: number;
}

export interface RebuildResult {
  readonly label: string;
  readonly projections: readonly { name: string; events: number; seconds: number; readMs: number; applyMs: number }[];
  /** Events applied, summed over the projections rebuilt. */
  readonly events: number;
  /** Events in the log. */
  readonly logEvents: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly readMs: number;
  readonly applyMs: number;
  readonly resources: ResourceUse;
}

export interface BenchResults {
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly timed: {
    rawSingle?: TimedResult;
    rawBatch?: TimedResult;
    appendSingle?: TimedResult;
    appendBatch?: TimedResult;
    commands?: TimedResult;
  };
  seed?: SeedResult;
  rebuildOrders?: RebuildResult;
  rebuildAll?: RebuildResult;
  rawRead?: { rows: number; seconds: number; rowsPerSecond: number };
  totalSeconds?: number;
}

export const APPEND_AIM = 0.6;
export const REBUILD_AIM = 20_000;

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) => n.toFixed(2);
const pct = (n: number) => `${Math.round(n * 100)} %`;
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

const busy = (r: ResourceUse) => (r.machineBusyMs === null ? 'n/a' : pct(r.machineBusyMs / (r.wallMs * r.cores)));
const perEvent = (value: number | null, events: number, unit: number) => (value === null || events === 0 ? 'n/a' : int((value * unit) / events));

/** CPU (Node + PostgreSQL) per event; the ratio of two is the fraction of a ceiling that CPU cost alone allows. */
const cpuPerEvent = (r: TimedResult): number | null =>
  r.resources.nodeCpuMs === null || r.resources.pgCpuMs === null || r.events === 0 ? null : (r.resources.nodeCpuMs + r.resources.pgCpuMs) / r.events;
const cpuRatio = (r: TimedResult, ceiling: TimedResult): number | null => {
  const a = cpuPerEvent(r);
  const b = cpuPerEvent(ceiling);
  return a === null || b === null ? null : b / a;
};

const figureRow = (id: string, what: string, r: TimedResult | undefined, ceiling: TimedResult | undefined, ceilingName: string): string => {
  if (!r) return `| ${id} | ${what} | not run | | | | | | |`;
  const fraction = ceiling ? r.eventsPerSecond / ceiling.eventsPerSecond : null;
  const aim = fraction === null ? '' : fraction >= APPEND_AIM ? `≥ ${APPEND_AIM}: met` : `≥ ${APPEND_AIM}: **short**`;
  return (
    `| ${id} | ${what} | **${int(r.eventsPerSecond)}** | ${int(r.opsPerSecond)} | ` +
    `${ceiling ? `${int(ceiling.eventsPerSecond)} (${ceilingName})` : ''} | ${fraction === null ? '' : `**${ratio(fraction)}**`} | ` +
    `${ceiling ? (cpuRatio(r, ceiling)?.toFixed(2) ?? 'n/a') : ''} | ${aim} | ` +
    `${ms(r.latency.p50Ms)} / ${ms(r.latency.p99Ms)} |`
  );
};

const resourceRow = (what: string, r: TimedResult | RebuildResult | undefined): string => {
  if (!r) return '';
  const events = r.events;
  const res = r.resources;
  const other = res.otherCpuMs === null ? 'n/a' : pct(res.otherCpuMs / (res.wallMs * res.cores));
  return `| ${what} | ${busy(res)} | ${other} | ${perEvent(res.nodeCpuMs, events, 1000)} | ${perEvent(res.pgCpuMs, events, 1000)} | ${perEvent(res.walBytes, events, 1)} |`;
};

const rebuildRows = (r: RebuildResult | undefined): string[] => {
  if (!r) return ['| not run | | | | | | |'];
  const aim = r.eventsPerSecond >= REBUILD_AIM ? `≥ ${int(REBUILD_AIM)}: met` : `≥ ${int(REBUILD_AIM)}: **short**`;
  const share = (part: number, seconds: number) => pct(part / 1000 / seconds);
  const rows = [
    `| **${r.label}** | ${int(r.events)} | ${r.seconds.toFixed(1)} | **${int(r.eventsPerSecond)}** | ${aim} | ${share(r.readMs, r.seconds)} | ${share(r.applyMs, r.seconds)} |`,
  ];
  if (r.projections.length > 1) {
    for (const p of r.projections) {
      rows.push(
        `| &nbsp;&nbsp;${p.name} | ${int(p.events)} | ${p.seconds.toFixed(1)} | ${int(p.events / p.seconds)} | | ${share(p.readMs, p.seconds)} | ${share(p.applyMs, p.seconds)} |`,
      );
    }
  }
  return rows;
};

const verdicts = (r: BenchResults): string[] => {
  const out: string[] = [];
  const t = r.timed;
  const vs = (name: string, x: TimedResult | undefined, c: TimedResult | undefined) => {
    if (!x || !c) return;
    const f = x.eventsPerSecond / c.eventsPerSecond;
    const byCpu = cpuRatio(x, c);
    out.push(
      `- ${name}: ${ratio(f)} of its ceiling, ${f >= APPEND_AIM ? 'meets' : 'falls short of'} the ${APPEND_AIM} aim` +
        (byCpu === null ? '.' : `; by CPU cost per event (Node + PostgreSQL, insensitive to other load) ${ratio(byCpu)}.`),
    );
  };
  vs('(a) single-event appends', t.appendSingle, t.rawSingle);
  vs(`(b) ${r.options.batchSize}-event appends`, t.appendBatch, t.rawBatch);
  vs('(c) command path', t.commands, t.rawSingle);
  for (const rb of [r.rebuildOrders, r.rebuildAll]) {
    if (!rb) continue;
    out.push(
      `- ${rb.label}: ${int(rb.eventsPerSecond)} events/s, ${rb.eventsPerSecond >= REBUILD_AIM ? 'meets' : 'falls short of'} the ${int(REBUILD_AIM)} events/s aim` +
        ` (${pct(rb.eventsPerSecond / REBUILD_AIM)} of it).`,
    );
  }
  const all: (TimedResult | RebuildResult | undefined)[] = [t.rawSingle, t.rawBatch, t.appendSingle, t.appendBatch, t.commands, r.rebuildOrders, r.rebuildAll];
  const disturbed = all.filter((x) => x && x.resources.otherCpuMs !== null && x.resources.otherCpuMs / (x.resources.wallMs * x.resources.cores) > 0.1);
  if (disturbed.length > 0) {
    out.push(`- **Warning**: other load used more than 10 % of the machine during ${disturbed.map((x) => x!.label).join(', ')}; those figures are low.`);
  }
  return out;
};

/** The generated part of docs/benchmarks.md: machine, figures and diagnostics of this run. */
export const renderResults = (r: BenchResults): string => {
  const m = r.machine;
  const o = r.options;
  const t = r.timed;
  const s = m.postgresSettings;
  const pgVersion = m.postgres.replace(/ on .*$/, '');
  const flags = `--writers ${o.writers} --warmup ${o.warmupSeconds} --duration ${o.durationSeconds} --rounds ${o.rounds} --orders ${o.orders} --batch ${o.batchSize}`;
  const lines: string[] = [
    BEGIN,
    '<!-- Generated by `pnpm bench`: everything between these two markers is replaced on every run. -->',
    '',
    '## Latest run',
    '',
    `${m.date.slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench ${flags}\`${r.totalSeconds ? `, ${Math.round(r.totalSeconds)} s in all` : ''}.`,
    '',
    '| Machine | |',
    '|---|---|',
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| RAM | ${m.ramGiB.toFixed(1)} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| PostgreSQL | ${pgVersion} at ${m.databaseHost}; shared_buffers ${s.shared_buffers}, synchronous_commit ${s.synchronous_commit}, fsync ${s.fsync}, wal_sync_method ${s.wal_sync_method}, max_wal_size ${s.max_wal_size} |`,
    '',
    '### Figures',
    '',
    `${o.writers} concurrent writers, each on its own streams, one connection each. Each measurement is counted for ${o.durationSeconds} s in all, ` +
      `in ${o.rounds} slices that alternate with the other measurements, each slice after ${o.warmupSeconds} s of warm-up. ` +
      '"Of ceiling by CPU cost" divides the ceiling\'s CPU time per event (this process and PostgreSQL) by the measurement\'s: ' +
      'the fraction the work itself allows on a saturated machine, which other load on the machine does not skew.',
    '',
    '| | Measurement | events/s | ops/s | ceiling, events/s | of ceiling | of ceiling by CPU cost | aim | p50 / p99 ms per op |',
    '|---|---|--:|--:|--:|--:|--:|---|--:|',
    figureRow('(a)', '`appendToStream`, 1 event, exact expected version', t.appendSingle, t.rawSingle, 'raw 1-row'),
    figureRow('(b)', `\`appendToStream\`, ${o.batchSize} events, exact expected version`, t.appendBatch, t.rawBatch, `raw ${o.batchSize}-row`),
    figureRow('(c)', '`CommandBus.execute`: load, decide, append (order lifecycle; ops = commands)', t.commands, t.rawSingle, 'raw 1-row'),
    figureRow('ceiling', 'raw single-row `INSERT` (pg)', t.rawSingle, undefined, ''),
    figureRow('ceiling', `raw ${o.batchSize}-row \`INSERT\` (pg)`, t.rawBatch, undefined, ''),
    '',
    '| (d) Rebuild | events applied | seconds | events/s | aim | reading | applying |',
    '|---|--:|--:|--:|---|--:|--:|',
    ...rebuildRows(r.rebuildOrders),
    ...rebuildRows(r.rebuildAll),
    '',
  ];
  if (r.seed) {
    const sd = r.seed;
    lines.push(
      `The log rebuilt: ${int(sd.orders)} orders, ${int(sd.events)} order events (${ratio(sd.events / sd.orders)} per order) plus ${int(sd.otherEvents)} catalogue and partner events, ` +
        `${int(sd.events + sd.otherEvents)} in all. Decided by the domain in ${sd.generateSeconds.toFixed(1)} s; appended in ${int(sd.appends)} appends ` +
        `of ${ratio(sd.events / sd.appends)} events on average by ${o.writers} writers in ${sd.appendSeconds.toFixed(1)} s (${int(sd.events / sd.appendSeconds)} events/s).` +
        (r.rawRead ? ` A plain keyset-paged \`SELECT\` of the same columns delivers the log to Node at ${int(r.rawRead.rowsPerSecond)} rows/s.` : ''),
      '',
    );
  }
  lines.push(
    '### Where the time went',
    '',
    `CPU is measured from /proc over the counted seconds: this Node process, the server's processes serving the scratch database ` +
      `(its backends, WAL writer, checkpointer...), and the whole machine (${m.cores} cores = 100 %); "not ours" is everything else ` +
      `(other programs, other databases' backends), which would depress the figures. WAL is the server's LSN advance.`,
    '',
    '| Measurement | machine CPU busy | of which not ours | Node CPU µs/event | PostgreSQL CPU µs/event | WAL bytes/event |',
    '|---|--:|--:|--:|--:|--:|',
    resourceRow('raw single-row INSERT', t.rawSingle),
    resourceRow('(a) appendToStream, 1 event', t.appendSingle),
    resourceRow('(c) CommandBus.execute', t.commands),
    resourceRow(`raw ${o.batchSize}-row INSERT`, t.rawBatch),
    resourceRow(`(b) appendToStream, ${o.batchSize} events`, t.appendBatch),
    resourceRow('(d) rebuild orders', r.rebuildOrders),
    resourceRow('(d) rebuild all', r.rebuildAll),
    '',
    '### Against the aims',
    '',
    ...verdicts(r),
    '',
    END,
  );
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
};

const METHOD = `## Method

\`pnpm bench\` (packages/projections/bench/run.ts) creates a scratch database \`dms_bench_<timestamp>\` on the server given by
\`BENCH_DATABASE_URL\` (default \`postgres://postgres@127.0.0.1:5432/test\`), measures, rewrites the generated section above,
and drops the database (also on Ctrl-C). \`pnpm bench --help\` lists the options: writers, warm-up, duration, rounds, orders,
batch size, the parts to run (\`--only raw,a,b,c,d\`), the report file (\`--report none\` to print only), \`--keep-db\`. The
defaults take about 3 to 4 minutes.

- Every timed measurement runs N writers (default 8) concurrently in one Node process, each with its own pool connection and
  its own streams; it warms up, then counts every operation that completes in the counted seconds. Each measurement is
  split into slices (\`--rounds\`, default 2) run in turn with the others (ceiling, (a), (c), ceiling, (b), then again), so
  that a change in background load affects a figure and its ceiling alike; slices are added up. Tables are truncated and a
  \`CHECKPOINT\` taken before each slice, so none inherits another's rows or dirty pages.
- Events are real DMS events: the eight events of a paid three-line order (placed, approved, confirmed, shipped, delivered,
  invoiced, payment recorded, paid), decided by the order decider, each stream with its own order id and each event with
  random UUIDs and command metadata.
- (a) appends one event at a time with the expected version a real writer passes (\`no_stream\`, then the version it last
  wrote); each stream takes one order's eight events, then the writer moves to a new one. (b) appends batches to streams of
  ten batches, also with exact expected versions, 8 writers. (c) sends the seven commands of a paid order (\`PlaceOrder\` ..
  \`RecordPayment\`, eight events) through \`CommandBus.execute\`, which loads the stream, folds it, decides and appends (its
  aggregate cache spares the load for every command of an order but the first, as for a server that handles an order's
  steps); its events/s are compared with the single-row ceiling, its ops/s are commands/s.
- Ceilings: plain parameterised \`INSERT\`s through node-postgres of the very same rows (same stream ids, versions, JSON
  data, and metadata including a 64-character \`prevHash\` and \`hash\`) into \`bench.raw_events\`, a table with the same
  columns, primary key and unique constraints as \`eventstore.events\`, its positions from an identity column. Same writers,
  same connections, same durability (each statement commits).
- (d) sets up 60 products, 4 tier price lists and 300 partners through the command bus, then decides the orders' lives with
  the order decider (rejected, cancelled, open, paid, split shipments and payments, returns) and appends them with
  \`appendToStream\` in waves of 500 orders, shuffled: an order's placement (placed, approved or rejected, confirmed or
  cancelled) lands in one wave and the rest of its life in the next, interleaved with other orders in \`$all\` as in a log
  written over time. The order schema re-validates one order in ten. After \`VACUUM ANALYZE\` it times
  \`ProjectionRunner.rebuild('orders')\`, then the rebuild of every read-model projection one after another (process managers
  are never rebuilt), with the runner's default batch size, and checks that the rebuilt \`orders\` table holds every order.
  Pass-through wrappers around the store's subscription and \`Projection.apply\` split the time into reading and applying;
  a rebuild reads the next batch while it applies one, so the two overlap and their shares can add up to more than
  100 %. The wrappers cost two clock reads per event.
- CPU comes from /proc: this process, the PostgreSQL processes serving the scratch database plus the server's shared ones,
  and the whole machine. PostgreSQL runs on the same machine, so client, server and WAL writer share its cores.`;

/** Replaces the generated section of `path`, keeping everything else; creates the file with the method if it is new. */
export const writeReport = async (path: string, results: BenchResults): Promise<string> => {
  const file = resolve(path);
  const generated = renderResults(results);
  let text: string;
  const existing = existsSync(file) ? await readFile(file, 'utf8') : null;
  if (existing?.includes(BEGIN) && existing.includes(END)) {
    text = existing.slice(0, existing.indexOf(BEGIN)) + generated + existing.slice(existing.indexOf(END) + END.length);
  } else {
    text = [
      '# Benchmarks',
      '',
      'Throughput of the PostgreSQL event store, the command path and projection rebuilds, next to the ceilings of plain',
      'INSERTs of the same rows. Run `pnpm bench`; it rewrites the generated section below and leaves the rest of this file alone.',
      '',
      generated,
      '',
      METHOD,
      '',
      ...(existing ? ['## Previous content', '', existing] : []),
    ].join('\n');
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  return file;
};
