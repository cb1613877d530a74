import { parseArgs } from 'node:util';

/** Everything a run can be told, by flag or by environment variable (flags win). */
export interface BenchOptions {
  /** Server to benchmark against; the bench creates (and drops) its own scratch database there. */
  readonly databaseUrl: string;
  /** Concurrent writers (and connections) for the append, command and raw INSERT measurements. */
  readonly writers: number;
  /** Seconds of warm-up before each timed measurement; nothing done during it is counted. */
  readonly warmupSeconds: number;
  /** Seconds each timed measurement is counted, in all. */
  readonly durationSeconds: number;
  /** Slices each timed measurement is split into, alternating with the others. */
  readonly rounds: number;
  /** Orders generated for the rebuild measurement (about 7.6 events each). */
  readonly orders: number;
  /** Events per append in measurement (b) and per INSERT in its ceiling. */
  readonly batchSize: number;
  /** Projections rebuilt at once in "rebuild all" (`ProjectionRunner.rebuildMany`). */
  readonly rebuildConcurrency: number;
  /** Which parts to run: raw, a, b, c, d, emmett (the peer's (a), (b) and (c)), cli (start-up of the `dms` command). */
  readonly only: ReadonlySet<string>;
  /** Markdown report to update, or null to print only. */
  readonly report: string | null;
  /** Keep the scratch database for inspection instead of dropping it. */
  readonly keepDatabase: boolean;
}

export const PARTS = ['raw', 'a', 'b', 'c', 'd', 'emmett', 'cli'] as const;

const USAGE = `pnpm bench [options]

Options (environment variable in brackets):
  --database-url <url>  server to use; a scratch database dms_bench_<timestamp> is created there and dropped
                        [BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test]
  --writers <n>         concurrent writers and connections [BENCH_WRITERS, default 8]
  --warmup <s>          warm-up before each timed measurement [BENCH_WARMUP, default 2]
  --duration <s>        counted seconds of each timed measurement, in all [BENCH_DURATION, default 8]
  --rounds <n>          split each measurement into n slices that alternate with the others, so that a change of
                        background load hits a figure and its ceiling alike [BENCH_ROUNDS, default 2]
  --orders <n>          orders generated for the rebuild (about 7.6 events each) [BENCH_ORDERS, default 30000]
  --batch <n>           events per batch append / rows per batch INSERT [BENCH_BATCH, default 100]
  --rebuild-concurrency <n>
                        projections rebuilt at once in "rebuild all" [BENCH_REBUILD_CONCURRENCY, default 2]
  --only <list>         comma-separated parts: raw,a,b,c,d,emmett (the peer, Emmett's PostgreSQL store, through
                        (a), (b) and (c) in a database of its own), cli (the CLI's start-up, pnpm bench:cli --runs 3,
                        run last) [BENCH_ONLY, default all]
  --report <path|none>  markdown file to update [BENCH_REPORT, default docs/benchmarks.md]
  --keep-db             do not drop the scratch database [BENCH_KEEP_DB=1]
  --help                this text`;

const positive = (name: string, value: string | undefined, fallback: number, { integer }: { integer: boolean }): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`${name} must be a ${integer ? 'whole ' : ''}number above 0, not "${value}".`);
  return n;
};

export const parseOptions = (argv: readonly string[], env: NodeJS.ProcessEnv, defaultReport: string): BenchOptions | 'help' => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'database-url': { type: 'string' },
      writers: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      orders: { type: 'string' },
      batch: { type: 'string' },
      'rebuild-concurrency': { type: 'string' },
      only: { type: 'string' },
      report: { type: 'string' },
      'keep-db': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 'help';
  }
  const only = (values.only ?? env.BENCH_ONLY ?? PARTS.join(','))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--only: unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}.`);
  const report = values.report ?? env.BENCH_REPORT ?? defaultReport;
  return {
    databaseUrl: values['database-url'] ?? env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    writers: positive('--writers', values.writers ?? env.BENCH_WRITERS, 8, { integer: true }),
    warmupSeconds: positive('--warmup', values.warmup ?? env.BENCH_WARMUP, 2, { integer: false }),
    durationSeconds: positive('--duration', values.duration ?? env.BENCH_DURATION, 8, { integer: false }),
    rounds: positive('--rounds', values.rounds ?? env.BENCH_ROUNDS, 2, { integer: true }),
    orders: positive('--orders', values.orders ?? env.BENCH_ORDERS, 30_000, { integer: true }),
    batchSize: positive('--batch', values.batch ?? env.BENCH_BATCH, 100, { integer: true }),
    rebuildConcurrency: positive('--rebuild-concurrency', values['rebuild-concurrency'] ?? env.BENCH_REBUILD_CONCURRENCY, 2, { integer: true }),
    only: new Set(only),
    report: report === 'none' || report === '' ? null : report,
    keepDatabase: values['keep-db'] === true || env.BENCH_KEEP_DB === '1',
  };
};
