import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDms } from './support';

// Loading a command's module is what a refused command must never get to: record it.
const loaded = vi.hoisted(() => [] as string[]);
vi.mock('../src/commands/keys', async (original) => {
  loaded.push('keys');
  return original();
});
vi.mock('../src/commands/demo', async (original) => {
  loaded.push('demo');
  return original();
});

/**
 * The embedded data folder's lock is read before a command's code loads: a second process is refused at once, naming the
 * holder, without starting PGlite (docs/operations.md).
 */
const dir = mkdtempSync(join(tmpdir(), 'dms-folder-'));
const data = join(dir, 'data');
const bin = fileURLToPath(new URL('../bin/dms.js', import.meta.url));
let holder: ChildProcess;

const hold = (socket?: string) =>
  writeFileSync(
    join(data, 'dms.lock'),
    JSON.stringify({ pid: holder.pid, command: 'dms serve --port 3110', startedAt: '2026-12-01T09:14:02.000Z', ...(socket ? { socket } : {}) }),
  );

beforeAll(() => {
  mkdirSync(data, { recursive: true });
  // A live process of someone else's: the holder the lock names.
  holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  process.env.DMS_DATA_DIR = data;
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  holder.kill();
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('a data folder another process holds', () => {
  it('refuses a command before loading its code, naming the holder, when the holder does not share the folder', async () => {
    hold();
    const { code, stderr } = await runDms('keys', 'list');
    expect(code).toBe(1);
    expect(stderr).toContain(`The embedded data folder ${data} is in use by pid ${holder.pid} (dms serve --port 3110), started 2026-12-01 09:14:02 UTC.`);
    expect(stderr).toContain('One process at a time may open it');
    expect(loaded).toEqual([]);
    expect(readdirSync(data)).toEqual(['dms.lock']);
  });

  it('refuses a command that needs the folder to itself even when the holder shares it, before loading its code', async () => {
    hold(join(data, '.s.PGSQL.5432'));
    const { code, stderr } = await runDms('demo', '--orders', '5');
    expect(code).toBe(1);
    expect(stderr).toContain(`is in use by pid ${holder.pid} (dms serve --port 3110)`);
    expect(stderr).toContain('Stop it first: this command needs the folder to itself.');
    expect(loaded).toEqual([]);
  });

  it('is refused as a process of its own having loaded only the CLI entry (no command, driver or domain code), so within a second', () => {
    hold();
    // Records every module the process loads, with the size of its source: what the refusal costs, without timing it.
    const hook = join(dir, 'record-loads.mjs');
    const recorder =
      'export async function load(url, context, next) { const r = await next(url, context); process.stderr.write("loaded " + (r.source ? r.source.length : 0) + " " + url + "\\n"); return r; }';
    writeFileSync(hook, `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(recorder)}));\n`);
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, bin, 'orders', 'list'], {
      env: { ...process.env, DMS_DATA_DIR: data },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`is in use by pid ${holder.pid}`);
    const loads = [...result.stderr.matchAll(/^loaded (\d+) (\S+)$/gm)].map(([, bytes, url]) => ({ bytes: Number(bytes), url: url! }));
    expect(loads.map((l) => l.url)).toContainEqual(expect.stringMatching(/packages\/cli\/(dist\/main\.js|src\/main\.ts)$/));
    // Neither a command's module, nor PGlite, pg, kysely or zod, nor the domain, app or read models (a second of CPU).
    const heavy = /\/commands\/|@electric-sql|\/pg\/|kysely|zod|\/(domain|app|projections)\/src\/(?!config)/;
    expect(loads.filter((l) => heavy.test(l.url))).toEqual([]);
    // From the JavaScript built at install (as `dms` runs after `pnpm install`): a few small files, no bundle chunk of
    // the packages. From the sources (a source edited since the build) tsx loads itself, hence only the check above.
    const built = loads.some((l) => l.url.endsWith('/packages/cli/dist/main.js'));
    if (built) expect(loads.filter((l) => l.url.includes('/packages/cli/dist/')).reduce((sum, l) => sum + l.bytes, 0)).toBeLessThan(100_000);
  });
});
