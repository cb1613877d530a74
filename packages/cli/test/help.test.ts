import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/command-table';
import { runDms } from './support';

// A data folder that must never be created: help and usage errors open no database.
const dir = mkdtempSync(join(tmpdir(), 'dms-help-'));
const dataDir = join(dir, 'never-created');
beforeAll(() => {
  process.env.DMS_DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('per-command help', () => {
  it('dms orders --help prints the usage, every flag and an example of orders, not the general help', async () => {
    const { code, stdout } = await runDms('orders', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dms orders: /);
    expect(stdout).toContain('  dms orders list [--status S]');
    expect(stdout).toContain('  dms orders history <orderId>');
    expect(stdout).toMatch(/--limit N\s+rows per page \(default 20\)/);
    expect(stdout).toMatch(/Examples?:\n {2}dms orders /);
    expect(stdout).not.toContain('Commands:');
    expect(stdout).not.toContain('dms serve');
  });

  it('dms serve --help names its flags with their defaults', async () => {
    const { code, stdout } = await runDms('serve', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('dms serve [--port 3000] [--host 127.0.0.1]');
    expect(stdout).toMatch(/--port N\s+TCP port to listen on \(default 3000\)/);
    expect(stdout).toContain('dms serve --port 8080');
  });

  it('dms <cmd> help, dms help <cmd>, -h and --help after a subcommand all print the same', async () => {
    const expected = (await runDms('stock', '--help')).stdout;
    for (const argv of [
      ['stock', 'help'],
      ['help', 'stock'],
      ['stock', '-h'],
      ['stock', 'levels', '--help'],
    ]) {
      const { code, stdout } = await runDms(...argv);
      expect({ argv, code }).toEqual({ argv, code: 0 });
      expect(stdout).toBe(expected);
    }
  });

  it('dms help lists every command of the table with its summary', async () => {
    const { code, stdout } = await runDms('help');
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^ {2}${c.name} +${c.summary.replace(/[|()]/g, '\\$&')}$`, 'm'));
  });

  it('refuses an unknown flag naming it, with the command usage, exit 64', async () => {
    const { code, stdout, stderr } = await runDms('orders', 'list', '--colour', 'red');
    expect(code).toBe(64);
    expect(stdout).toBe('');
    expect(stderr).toContain('dms orders: unknown flag --colour.');
    expect(stderr).toContain('  dms orders list [--status S]');
    expect(stderr).toContain('dms orders --help');
  });

  it('refuses a flag of another command, a bad number, a missing value and a value for a switch', async () => {
    const cases: [string[], string][] = [
      [['keys', 'list', '--port', '80'], 'dms keys: unknown flag --port.'],
      [['orders', 'list', '--limit', 'ten'], 'dms orders: --limit must be a whole number, not "ten".'],
      [['orders', 'list', '--limit', '-3'], 'dms orders: --limit'],
      [['orders', 'list', '--status'], 'dms orders: --status needs a value.'],
      [['demo', '--fresh=yes'], 'dms demo: --fresh takes no value.'],
      [['orders'], 'dms orders needs a subcommand.'],
      [['orders', 'lsit'], 'dms orders has no subcommand "lsit".'],
      [['orders', 'show'], 'dms orders show needs an order id.'],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await runDms(...argv);
      expect({ argv, code }).toEqual({ argv, code: 64 });
      expect(stderr).toContain(message);
    }
  });

  it('an unknown command is refused with the general help', async () => {
    for (const argv of [['ordres'], ['help', 'ordres']]) {
      const { code, stderr } = await runDms(...argv);
      expect(code).toBe(64);
      expect(stderr).toContain('dms: unknown command "ordres".');
      expect(stderr).toContain('Commands:');
    }
  });

  it('opens no database for help or bad usage', () => {
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('the command table', () => {
  it('names each command once, with a summary, usage, an example, and help for every flag it accepts', async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const c of COMMANDS) {
      expect(c.summary, c.name).not.toBe('');
      expect(c.usage.length, c.name).toBeGreaterThan(0);
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      const { stdout } = await runDms(c.name, '--help');
      for (const flag of Object.keys(c.flags)) expect(stdout, `${c.name} --${flag}`).toMatch(new RegExp(`^ {2}--${flag}\\b`, 'm'));
    }
  });

  it('uses in its usage lines and examples only flags the command accepts, and only its subcommands', () => {
    for (const c of COMMANDS) {
      for (const line of [...c.usage, ...c.examples]) {
        expect(line.split(' ')[0], line).toBe(c.name);
        for (const [, flag] of line.matchAll(/--([a-z-]+)/g)) expect(Object.keys(c.flags), `${line}: --${flag}`).toContain(flag);
      }
      for (const example of c.examples) {
        const sub = example.split(' ')[1];
        if (c.subcommands) expect(c.subcommands, example).toContain(sub);
      }
    }
  });
});
