import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Ctrl-C on `pnpm dms serve` (SIGINT to the terminal's whole process group: pnpm, and dms under it) stops the server
 * cleanly and ends with success, the data folder's lock released; SIGTERM to dms alone likewise.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'dms.js');
const dir = mkdtempSync(join(tmpdir(), 'dms-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SERVING = 'Other dms commands on this data folder run through this server';

/**
 * Starts `command`, in a process group of its own, until it prints `when` (by default: the server says it serves); then
 * sends `signal` as asked.
 */
const serveThenSignal = (command: string, args: string[], data: string, signal: NodeJS.Signals, toGroup: boolean, when = SERVING) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, DMS_DATA_DIR: data, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let signalled = false;
    const collect = (d: Buffer) => {
      output += String(d);
      if (!signalled && output.includes(when)) {
        signalled = true;
        if (when === SERVING) expect(existsSync(join(data, 'dms.lock'))).toBe(true);
        if (toGroup) process.kill(-child.pid!, signal);
        else child.kill(signal);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`dms serve did not end in time: ${output}`));
    }, 150_000);
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, output });
    });
  });

describe('dms serve stopped by a signal', () => {
  it('Ctrl-C on `pnpm dms serve` exits 0 without "Command failed", and releases the data folder', async () => {
    const data = join(dir, 'pnpm');
    const { code, signal, output } = await serveThenSignal('pnpm', ['dms', 'serve', '--port', '3113'], data, 'SIGINT', true);
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(output).toContain('Shutting down');
    expect(output).not.toContain('ELIFECYCLE');
    expect(existsSync(join(data, 'dms.lock'))).toBe(false);
  }, 180_000);

  it('Ctrl-C on `pnpm dms serve` while it starts (its database open, not yet serving) also exits 0 without "Command failed"', async () => {
    // "[dms] data:" is printed once the database is open, before the server is built and listens: the signal arrives
    // somewhere in that start-up, wherever it lands, the end must be the same.
    const data = join(dir, 'starting');
    const { code, signal, output } = await serveThenSignal('pnpm', ['dms', 'serve', '--port', '3115'], data, 'SIGINT', true, '[dms] data:');
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(output).not.toContain('ELIFECYCLE');
    expect(existsSync(join(data, 'dms.lock'))).toBe(false);
  }, 180_000);

  it('SIGTERM to dms serve exits 0 and releases the data folder', async () => {
    const data = join(dir, 'node');
    const { code, signal, output } = await serveThenSignal(process.execPath, [BIN, 'serve', '--port', '3114'], data, 'SIGTERM', false);
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(existsSync(join(data, 'dms.lock'))).toBe(false);
  }, 180_000);
});
