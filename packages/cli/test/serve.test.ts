import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'dms.js');
const PORT = 3132;
const blocker = createServer();

beforeAll(() => new Promise<void>((resolve) => blocker.listen(PORT, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

/** Runs `dms serve` to its end (at most 90 s: then it is killed and the test fails), with all it printed. */
const serveUntilExit = (args: string[]) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], {
      env: { ...process.env, DMS_DATA_DIR: 'memory://', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

describe('dms serve', () => {
  it('on a port in use exits non-zero with one line that says so, and nothing keeps running', async () => {
    const { code, output } = await serveUntilExit(['--port', String(PORT)]);
    expect(code, output).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('[dms] data:'))).toEqual([
      `dms: cannot serve: port ${PORT} on 127.0.0.1 is already in use (another dms serve?); stop that process or choose another port with --port.`,
    ]);
  }, 120_000);
});
