import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it('is refused within a second as a process of its own', () => {
    hold();
    // From the JavaScript built at install; a source edited since makes bin/dms.js compile through tsx, which alone takes
    // about a second: then only the refusal is checked. CI always runs the built JavaScript.
    const stamp = fileURLToPath(new URL('../dist/.built', import.meta.url));
    const packages = fileURLToPath(new URL('../..', import.meta.url));
    const newestSource = Math.max(
      ...readdirSync(packages)
        .filter((p) => p !== 'web' && existsSync(join(packages, p, 'src')))
        .flatMap((p) => readdirSync(join(packages, p, 'src'), { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && e.name.endsWith('.ts'))
        .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
    );
    const built = existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource;
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, 'orders', 'list'], { env: { ...process.env, DMS_DATA_DIR: data }, encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`is in use by pid ${holder.pid}`);
    if (built || process.env.CI) expect(seconds).toBeLessThan(1);
  });
});
