// `pnpm bench:cli`: how long `dms` takes from start to exit, as a person typing it waits: `dms help`, and a query
// command on the embedded store and on a PostgreSQL server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
// skipped when unreachable), and a command refused on a data folder another process holds, each run from the JavaScript
// built at install and from the TypeScript sources through tsx (DMS_FROM_SOURCE=1, how every command ran before).
// Seeds a small demo into a scratch folder and a scratch database first, and drops them. Median and fastest of --runs runs each. Writes its section of docs/benchmarks.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, report: { type: 'string', default: 'docs/benchmarks.md' }, help: { type: 'boolean' } },
});
if (args.help) {
  console.log('pnpm bench:cli [--runs 7] [--report docs/benchmarks.md|none]');
  process.exit(0);
}
const runs = Number(args.runs);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'packages/cli/bin/dms.js');
const started = Date.now();

// GNU time reports the CPU the command used (user + system), which other load on a shared machine inflates far less
// than wall time.
const gnuTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0;

/** Runs `dms argv`; returns its wall time and, with GNU time, its CPU time, in seconds. */
const dms = (argv, env, expectedStatus = 0) => {
  const t = performance.now();
  const command = gnuTime ? ['/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, bin, ...argv]] : [process.execPath, [bin, ...argv]];
  const result = spawnSync(command[0], command[1], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = (performance.now() - t) / 1000;
  if (result.status !== expectedStatus) throw new Error(`dms ${argv.join(' ')} exited ${result.status}: ${result.stderr ?? ''}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr ?? '');
  return { wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
};

// The built JavaScript must be current, or "from JS" would measure tsx.
console.log('Building to JavaScript (pnpm build)...');
spawnSync(process.execPath, [join(root, 'scripts/build-js.mjs')], { stdio: 'inherit' });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const measure = (argv, env, expectedStatus) => {
  const samples = [];
  dms(argv, env, expectedStatus); // warm the file cache (and tsx's transform cache)
  for (let i = 0; i < runs; i++) samples.push(dms(argv, env, expectedStatus));
  const walls = samples.map((s) => s.wall);
  const cpus = samples.map((s) => s.cpu).filter((c) => c !== null);
  return { median: median(walls), fastest: Math.min(...walls), cpu: cpus.length > 0 ? median(cpus) : null };
};

const rows = [];
const bench = (label, argv, env, aim, expectedStatus = 0) => {
  for (const [how, extra] of [
    ['built JavaScript', {}],
    ['TypeScript through tsx (before)', { DMS_FROM_SOURCE: '1' }],
  ]) {
    process.stdout.write(`${label}, ${how}... `);
    const m = measure(argv, { ...env, ...extra }, expectedStatus);
    console.log(`${m.median.toFixed(2)} s${m.cpu === null ? '' : `, CPU ${m.cpu.toFixed(2)} s`}`);
    rows.push({ label, how, ...m, aim: how === 'built JavaScript' ? aim : null });
  }
};

const folder = mkdtempSync(join(tmpdir(), 'dms-bench-cli-'));
const embedded = { DMS_DATA_DIR: join(folder, 'data'), DATABASE_URL: '' };
let server;
try {
  bench('`dms help`', ['help'], embedded, 0.3);
  console.log('Seeding a small demo into a scratch embedded folder...');
  dms(['demo', '--orders', '40', '--seed', '3'], embedded);
  bench('`dms partners list`, embedded PGlite', ['partners', 'list'], embedded, 1.5);
  bench('`dms orders list --limit 20`, embedded PGlite', ['orders', 'list', '--limit', '20'], embedded, 1.5);

  // Issue 10 item 3: a second process on a data folder another one holds is refused, naming the holder, within a second.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  try {
    const lock = join(embedded.DMS_DATA_DIR, 'dms.lock');
    writeFileSync(lock, JSON.stringify({ pid: holder.pid, command: 'dms serve (bench:cli)', startedAt: new Date().toISOString() }));
    bench('`dms orders list` refused: the data folder is in use', ['orders', 'list'], embedded, 1, 1);
    rmSync(lock);
  } finally {
    holder.kill();
  }

  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pg = (await import(join(root, 'packages/eventstore/node_modules/pg/lib/index.js'))).default;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    const name = `dms_bench_cli_${Date.now().toString(36)}`;
    await admin.query(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    server = { admin, name, env: { DATABASE_URL: url.toString() } };
  } catch (error) {
    console.log(`PostgreSQL server at ${base} unreachable (${error.message}): server figures skipped.`);
  }
  if (server) {
    console.log('Seeding a small demo into a scratch database on the server...');
    dms(['demo', '--orders', '40', '--seed', '3'], server.env);
    bench('`dms partners list`, PostgreSQL server', ['partners', 'list'], server.env, 0.6);
    bench('`dms orders list --limit 20`, PostgreSQL server', ['orders', 'list', '--limit', '20'], server.env, 0.6);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
  if (server) {
    await server.admin.query(`drop database if exists ${server.name} with (force)`);
    await server.admin.end();
  }
}

const fmt = (s) => `${s.toFixed(2)} s`;
const table = [
  '| Command | Runs from | median | fastest | CPU (median) | aim |',
  '|---|---|--:|--:|--:|---|',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.how} | **${fmt(r.median)}** | ${fmt(r.fastest)} | ${r.cpu === null ? '' : fmt(r.cpu)} | ${r.aim === null ? '' : `< ${r.aim} s: ${r.median < r.aim ? 'met' : '**short**'}`} |`,
  ),
].join('\n');
const section = [
  '<!-- bench:cli:begin -->',
  '<!-- Generated by `pnpm bench:cli`: everything between these two markers is replaced on every run. -->',
  '',
  '## CLI start-up',
  '',
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`pnpm bench:cli --runs ${runs}\`, ${Math.round((Date.now() - started) / 1000)} s in all; ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end (a shared machine: figures rise with its load).`,
  'Wall time from start to exit of a fresh `node packages/cli/bin/dms.js ...` process, as a person typing the command waits, median and fastest of',
  `${runs} runs after one warm-up run. "Built JavaScript" is what \`dms\` runs after \`pnpm install\` (scripts/build-js.mjs at postinstall); "TypeScript through tsx" is how every command ran before (\`DMS_FROM_SOURCE=1\`, or a source edited since the build).`,
  'CPU is user + system time of the command (GNU time), which the load of a shared machine inflates far less than wall time.',
  'The query commands run against a small demo (40 orders) seeded first; the embedded figures include starting PGlite and checking the schema.',
  'The refusal is a query command started while another process (a stand-in for `dms serve`) holds the embedded data folder: it exits 1 naming the holder, having loaded no command code (issue 10 item 3).',
  "`pnpm dms ...` adds pnpm's own start (about 0.3 s) to these.",
  '',
  table,
  '',
  '<!-- bench:cli:end -->',
].join('\n');
console.log(`\n${table}`);
if (args.report !== 'none') {
  const file = resolve(root, args.report);
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf('<!-- bench:cli:begin -->');
  const end = text.indexOf('<!-- bench:cli:end -->');
  const next =
    begin >= 0 && end > begin ? `${text.slice(0, begin)}${section}${text.slice(end + '<!-- bench:cli:end -->'.length)}` : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  console.log(`Wrote the CLI start-up section of ${args.report}.`);
}
