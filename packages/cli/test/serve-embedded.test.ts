import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

/** `dms serve` on embedded data holds the folder; the commands an operator runs meanwhile go through it. */
const PORT = 3122;
const dir = mkdtempSync(join(tmpdir(), 'dms-serve-'));
const data = join(dir, 'data');
const bin = fileURLToPath(new URL('../bin/dms.js', import.meta.url));
let server: ChildProcess;
let output = '';

beforeAll(async () => {
  process.env.DMS_DATA_DIR = data;
  delete process.env.DATABASE_URL;
  server = spawn(process.execPath, [bin, 'serve', '--port', String(PORT)], {
    env: { ...process.env, DMS_DATA_DIR: data, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => {
    output += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`dms serve exited (${code}): ${output}`)));
    const poll = setInterval(() => {
      if (output.includes('Other dms commands on this data folder run through this server')) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
  });
}, 120_000);
afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms serve on embedded data', () => {
  it('creates a key through the running server that the server then accepts, and lists it', async () => {
    const created = await runDms('keys', 'create', '--role', 'admin', '--name', 'while serving');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain(`through the dms serve of pid ${server.pid}`);
    const token = /dms_([A-Za-z0-9]{12})_\S+/.exec(created.stdout)!;
    const response = await fetch(`http://127.0.0.1:${PORT}/api-keys`, { headers: { authorization: `Bearer ${token[0]}` } });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(token[1]);
    const list = await runDms('keys', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(token[1]);
    expect(list.stdout).toContain('while serving');
    const status = await runDms('projections', 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/access\s+\d+\s+\d+\s+\d+\s+0 /);
  });

  it('refuses a command that needs the folder to itself, naming the server', async () => {
    const demo = await runDms('demo', '--fresh');
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain(`is in use by pid ${server.pid} (dms serve --port ${PORT})`);
    const serveAgain = await runDms('serve', '--port', String(PORT + 1));
    expect(serveAgain.code).toBe(1);
    expect(serveAgain.stderr).toContain(`is in use by pid ${server.pid} (dms serve --port ${PORT})`);
    expect(serveAgain.stderr).toContain('Stop it first');
  });
});
