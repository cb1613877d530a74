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
  /** Per projection; reading and applying only when rebuilt alone (in parallel they overlap and are told in all). */
  readonly projections: readonly { name: string; events: number; seconds: number; readMs?: number; applyMs?: number }[];
  /** Events applied, summed over the projections rebuilt. */
  readonly events: number;
  /** Events in the log. */
  readonly logEvents: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly readMs: number;
  readonly applyMs: number;
  readonly resources: ResourceUse;
  /** Projections rebuilt at once. */
  readonly concurrency: number;
  /** Resident memory of this process when the rebuild began, and the most it reached during it (sampled every 50 ms). */
  readonly startRssBytes: number;
  readonly peakRssBytes: number;
}

export interface BenchResults {
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly timed: {
    rawSingle?: TimedResult;
    rawBatch?: TimedResult;
    appendSingle?: TimedResult;
    /** (a)'s bound: the stream lock, the head read and the insert in one PL/pgSQL function, without chain or idempotency. */
    boundSingle?: TimedResult;
    appendBatch?: TimedResult;
    commands?: TimedResult;
    /** The peer (Emmett's PostgreSQL store) through the same workloads as (a), (b) and (c). */
    peerSingle?: TimedResult;
    peerBatch?: TimedResult;
    peerCommands?: TimedResult;
  };
  /** The installed version of `@event-driven-io/emmett-postgresql`, when the peer ran. */
  peerVersion?: string | undefined;
  /** The machine's 1-minute load average when the run started and when it ended (a shared machine's figures move with it). */
  loadAverage?: { start: number; end?: number };
  seed?: SeedResult;
  /** Whether what seeding left on the heap was collected before the rebuilds (node with `--expose-gc`). */
  seedGarbageCollected?: boolean;
  rebuildOrders?: RebuildResult;
  rebuildAll?: RebuildResult;
  rawRead?: { rows: number; seconds: number; rowsPerSecond: number };
  totalSeconds?: number;
}

/** Issue 14's aims: fractions of the ceiling measured in the same run, and rebuild rates. */
export const AIMS = { single: 0.8, batch: 0.9, commands: 0.8, rebuildOrders: 50_000, rebuildAll: 40_000 } as const;

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

const figureRow = (
  id: string,
  what: string,
  r: TimedResult | undefined,
  ceiling: TimedResult | undefined,
  ceilingName: string,
  options: { aim?: number; peer?: TimedResult | undefined } = {},
): string => {
  if (!r) return `| ${id} | ${what} | not run | | | | | | | |`;
  const fraction = ceiling ? r.eventsPerSecond / ceiling.eventsPerSecond : null;
  const aim = fraction === null || options.aim === undefined ? '' : `≥ ${options.aim}: ${fraction >= options.aim ? 'met' : '**short**'}`;
  const vsPeer = options.peer ? `**${ratio(r.eventsPerSecond / options.peer.eventsPerSecond)}**` : '';
  return (
    `| ${id} | ${what} | **${int(r.eventsPerSecond)}** | ${int(r.opsPerSecond)} | ` +
    `${ceiling ? `${int(ceiling.eventsPerSecond)} (${ceilingName})` : ''} | ${fraction === null ? '' : `**${ratio(fraction)}**`} | ` +
    `${ceiling ? (cpuRatio(r, ceiling)?.toFixed(2) ?? 'n/a') : ''} | ${vsPeer} | ${aim} | ` +
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

const rebuildRows = (r: RebuildResult | undefined, target: number): string[] => {
  if (!r) return ['| not run | | | | | | | | |'];
  const aim = `≥ ${int(target)}: ${r.eventsPerSecond >= target ? 'met' : '**short**'}`;
  const share = (part: number | undefined, seconds: number) => (part === undefined ? '' : pct(part / 1000 / seconds));
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  const rows = [
    `| **${r.label}** | ${int(r.events)} | ${r.seconds.toFixed(1)} | **${int(r.eventsPerSecond)}** | ${aim} | ${r.concurrency} | ${share(r.readMs, r.seconds)} | ${share(r.applyMs, r.seconds)} | ${mib(r.peakRssBytes)} (${mib(r.startRssBytes)} before) |`,
  ];
  if (r.projections.length > 1) {
    for (const p of r.projections) {
      rows.push(
        `| &nbsp;&nbsp;${p.name} | ${int(p.events)} | ${p.seconds.toFixed(1)} | ${int(p.events / p.seconds)} | | | ${share(p.readMs, p.seconds)} | ${share(p.applyMs, p.seconds)} | |`,
      );
    }
  }
  return rows;
};

const verdicts = (r: BenchResults): string[] => {
  const out: string[] = [];
  const t = r.timed;
  const vs = (name: string, x: TimedResult | undefined, c: TimedResult | undefined, aim: number, peer: TimedResult | undefined) => {
    if (!x || !c) return;
    const f = x.eventsPerSecond / c.eventsPerSecond;
    const byCpu = cpuRatio(x, c);
    const peerCpu = peer ? cpuPerEvent(peer) : null;
    const ownCpu = cpuPerEvent(x);
    out.push(
      `- ${name}: ${ratio(f)} of its ceiling, ${f >= aim ? 'meets' : 'falls short of'} the ${aim} aim` +
        (byCpu === null ? '' : `; by CPU cost per event (Node + PostgreSQL, less moved by other load than rates) ${ratio(byCpu)}`) +
        (peer
          ? `; ${ratio(x.eventsPerSecond / peer.eventsPerSecond)} × Emmett's rate` +
            (peerCpu !== null && ownCpu !== null ? ` (${ratio(peerCpu / ownCpu)} × by CPU cost)` : '')
          : '') +
        '.',
    );
  };
  vs('(a) single-event appends', t.appendSingle, t.rawSingle, AIMS.single, t.peerSingle);
  if (t.boundSingle && t.rawSingle) {
    const byCpu = cpuRatio(t.boundSingle, t.rawSingle);
    out.push(
      "- (a)'s bound (the stream lock, the head read and the insert in one function: what exact expected versions and per-stream order need at least, " +
        `before the chain link and idempotency): ${ratio(t.boundSingle.eventsPerSecond / t.rawSingle.eventsPerSecond)} of the ceiling` +
        (byCpu === null ? '' : `, ${ratio(byCpu)} by CPU cost`) +
        '.',
    );
  }
  vs(`(b) ${r.options.batchSize}-event appends`, t.appendBatch, t.rawBatch, AIMS.batch, t.peerBatch);
  vs('(c) command path', t.commands, t.rawSingle, AIMS.commands, t.peerCommands);
  for (const [rb, target] of [
    [r.rebuildOrders, AIMS.rebuildOrders],
    [r.rebuildAll, AIMS.rebuildAll],
  ] as const) {
    if (!rb) continue;
    out.push(
      `- ${rb.label}: ${int(rb.eventsPerSecond)} events/s, ${rb.eventsPerSecond >= target ? 'meets' : 'falls short of'} the ${int(target)} events/s aim` +
        ` (${pct(rb.eventsPerSecond / target)} of it).`,
    );
  }
  const all: (TimedResult | RebuildResult | undefined)[] = [
    t.rawSingle,
    t.rawBatch,
    t.appendSingle,
    t.boundSingle,
    t.appendBatch,
    t.commands,
    t.peerSingle,
    t.peerBatch,
    t.peerCommands,
    r.rebuildOrders,
    r.rebuildAll,
  ];
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
  const flags = `--writers ${o.writers} --warmup ${o.warmupSeconds} --duration ${o.durationSeconds} --rounds ${o.rounds} --orders ${o.orders} --batch ${o.batchSize} --rebuild-concurrency ${o.rebuildConcurrency}`;
  const lines: string[] = [
    BEGIN,
    '<!-- Generated by `pnpm bench`: everything between these two markers is replaced on every run. -->',
    '',
    '## Latest run',
    '',
    `${m.date.slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench ${flags}\`${r.totalSeconds ? `, ${Math.round(r.totalSeconds)} s in all` : ''}` +
      (r.loadAverage
        ? `; load average ${r.loadAverage.start.toFixed(1)} at the start${r.loadAverage.end === undefined ? '' : `, ${r.loadAverage.end.toFixed(1)} at the end`}`
        : '') +
      '.',
    '',
    '| Machine | |',
    '|---|---|',
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| RAM | ${m.ramGiB.toFixed(1)} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| PostgreSQL | ${pgVersion} at ${m.databaseHost}; shared_buffers ${s.shared_buffers}, synchronous_commit ${s.synchronous_commit}, fsync ${s.fsync}, wal_sync_method ${s.wal_sync_method}, max_wal_size ${s.max_wal_size} |`,
    ...(r.peerVersion ? [`| Peer | \`@event-driven-io/emmett-postgresql\` ${r.peerVersion} (Emmett), a scratch database of its own on the same server |`] : []),
    '',
    '### Figures',
    '',
    `${o.writers} concurrent writers, each on its own streams, one connection each. Each measurement is counted for ${o.durationSeconds} s in all, ` +
      `in ${o.rounds} slices that alternate with the other measurements, each slice after ${o.warmupSeconds} s of warm-up. ` +
      '"Of ceiling by CPU cost" divides the ceiling\'s CPU time per event (this process and PostgreSQL) by the measurement\'s: ' +
      'the fraction the work itself allows on a saturated machine, which other load on the machine does not skew. ' +
      '"DMS / Emmett" divides the DMS rate by the peer\'s in the same workload and run.',
    '',
    '| | Measurement | events/s | ops/s | ceiling, events/s | of ceiling | of ceiling by CPU cost | DMS / Emmett | aim | p50 / p99 ms per op |',
    '|---|---|--:|--:|--:|--:|--:|--:|---|--:|',
    figureRow('(a)', '`appendToStream`, 1 event, exact expected version', t.appendSingle, t.rawSingle, 'raw 1-row', { aim: AIMS.single, peer: t.peerSingle }),
    ...(t.boundSingle
      ? [
          figureRow(
            "(a)'s bound",
            'stream lock, head read, insert in one PL/pgSQL function (no chain link, no idempotency)',
            t.boundSingle,
            t.rawSingle,
            'raw 1-row',
          ),
        ]
      : []),
    figureRow('(b)', `\`appendToStream\`, ${o.batchSize} events, exact expected version`, t.appendBatch, t.rawBatch, `raw ${o.batchSize}-row`, {
      aim: AIMS.batch,
      peer: t.peerBatch,
    }),
    figureRow('(c)', '`CommandBus.execute`: load, decide, append (order lifecycle; ops = commands)', t.commands, t.rawSingle, 'raw 1-row', {
      aim: AIMS.commands,
      peer: t.peerCommands,
    }),
    ...(t.peerSingle || t.peerBatch || t.peerCommands
      ? [
          figureRow('peer (a)', 'Emmett `appendToStream`, 1 event, exact expected version', t.peerSingle, t.rawSingle, 'raw 1-row'),
          figureRow('peer (b)', `Emmett \`appendToStream\`, ${o.batchSize} events, exact expected version`, t.peerBatch, t.rawBatch, `raw ${o.batchSize}-row`),
          figureRow('peer (c)', 'Emmett `CommandHandler`: load, decide, append (same decider and commands)', t.peerCommands, t.rawSingle, 'raw 1-row'),
        ]
      : []),
    figureRow('ceiling', 'raw single-row `INSERT` (pg)', t.rawSingle, undefined, ''),
    figureRow('ceiling', `raw ${o.batchSize}-row \`INSERT\` (pg)`, t.rawBatch, undefined, ''),
    '',
    '| (d) Rebuild | events applied | seconds | events/s | aim | at once | reading | applying | peak RSS |',
    '|---|--:|--:|--:|---|--:|--:|--:|--:|',
    ...rebuildRows(r.rebuildOrders, AIMS.rebuildOrders),
    ...rebuildRows(r.rebuildAll, AIMS.rebuildAll),
    '',
  ];
  if (r.seed) {
    const sd = r.seed;
    lines.push(
      `The log rebuilt: ${int(sd.orders)} orders, ${int(sd.events)} order events (${ratio(sd.events / sd.orders)} per order) plus ${int(sd.otherEvents)} catalogue and partner events, ` +
        `${int(sd.events + sd.otherEvents)} in all. Decided by the domain in ${sd.generateSeconds.toFixed(1)} s; appended in ${int(sd.appends)} appends ` +
        `of ${ratio(sd.events / sd.appends)} events on average by ${o.writers} writers in ${sd.appendSeconds.toFixed(1)} s (${int(sd.events / sd.appendSeconds)} events/s).` +
        (r.rawRead ? ` A plain keyset-paged \`SELECT\` of the same columns delivers the log to Node at ${int(r.rawRead.rowsPerSecond)} rows/s.` : '') +
        (r.seedGarbageCollected === false
          ? " Seeding's garbage was not collected before the rebuilds (node without `--expose-gc`): their RSS includes it."
          : ''),
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
    ...[
      resourceRow('raw single-row INSERT', t.rawSingle),
      resourceRow('(a) appendToStream, 1 event', t.appendSingle),
      resourceRow("(a)'s bound: lock, head read, insert", t.boundSingle),
      resourceRow('(c) CommandBus.execute', t.commands),
      resourceRow('peer (a) Emmett appendToStream, 1 event', t.peerSingle),
      resourceRow('peer (c) Emmett CommandHandler', t.peerCommands),
      resourceRow(`raw ${o.batchSize}-row INSERT`, t.rawBatch),
      resourceRow(`(b) appendToStream, ${o.batchSize} events`, t.appendBatch),
      resourceRow(`peer (b) Emmett appendToStream, ${o.batchSize} events`, t.peerBatch),
      resourceRow('(d) rebuild orders', r.rebuildOrders),
      resourceRow('(d) rebuild all', r.rebuildAll),
    ].filter((row) => row !== ''),
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
batch size, the parts to run (\`--only raw,a,b,c,d,emmett\`), the report file (\`--report none\` to print only), \`--keep-db\`. The
defaults take about 3 to 4 minutes.

- Every timed measurement runs N writers (default 8) concurrently in one Node process, each with its own pool connection and
  its own streams; it warms up, then counts every operation that completes in the counted seconds. Each measurement is
  split into slices (\`--rounds\`, default 2) run in turn with the others (ceiling, (a), peer (a), (c), peer (c), ceiling, (b), peer (b), then again), so
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
- The peer: Emmett's PostgreSQL event store (\`@event-driven-io/emmett-postgresql\`, a dev dependency of the bench only;
  its version is in the report) runs the same three workloads, interleaved with the others in every round: (a) and (b)
  append the very same events (type, data, and the command metadata plus the event id) with exact expected stream
  versions; (c) sends the same seven commands through Emmett's \`CommandHandler\` folding with the same order decider
  (Emmett reads and folds the stream on every command: it has no aggregate cache, and it validates no command schema).
  It writes to a scratch database of its own (\`dms_bench_<timestamp>_emmett\`) through a pool of its own with as many
  connections as writers; its tables are truncated before each slice as ours are. "DMS / Emmett" is the DMS rate over the
  peer's for the same workload in the same run.
- (d) sets up 60 products, 4 tier price lists and 300 partners through the command bus, then decides the orders' lives with
  the order decider (rejected, cancelled, open, paid, split shipments and payments, returns) and appends them with
  \`appendToStream\` in waves of 500 orders, shuffled: an order's placement (placed, approved or rejected, confirmed or
  cancelled) lands in one wave and the rest of its life in the next, interleaved with other orders in \`$all\` as in a log
  written over time. The order schema re-validates one order in ten. After \`VACUUM ANALYZE\` it times
  \`ProjectionRunner.rebuild('orders')\`, then the rebuild of every read-model projection with \`rebuildMany\`, \`--rebuild-concurrency\`
  at a time (default 2; process managers are never rebuilt), with the runner's default batch size, and checks that the
  rebuilt \`orders\` table holds every order. Pass-through wrappers around the store's subscription and \`Projection.apply\`
  split the time into reading and applying; a rebuild reads the next batch while it applies one (and "rebuild all" runs
  several at once), so their shares can add up to more than 100 %, and per projection they are only told when it runs
  alone. The wrappers cost two clock reads per event. The peak RSS of this process is sampled every 50 ms during each
  rebuild, beside its RSS when the rebuild began (which still holds what seeding left).
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
