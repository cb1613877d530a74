import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DataFolderInUse } from '../src/sql/data-folder-lock';
import { openDatabase } from '../src/sql/database';

const root = mkdtempSync(join(tmpdir(), 'dms-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newFolder = () => join(root, `data-${n++}`);

const script = fileURLToPath(new URL('./support/hold-data-folder.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts another process holding `folder` and waits until it does. */
const holder = async (folder: string, mode: 'hold' | 'share' | 'share-busy') => {
  const child = spawn(process.execPath, ['--import', 'tsx', script, folder, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before holding the folder`)));
    const poll = setInterval(() => {
      if (output.includes('ready')) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
  return {
    pid: child.pid!,
    /** SIGTERM, then what it printed. */
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      return output;
    },
  };
};

describe('the embedded data folder: one process at a time', () => {
  it('refuses a second process, naming the holder, its pid and its command', async () => {
    const folder = newFolder();
    const other = await holder(folder, 'hold');
    const refused = await openDatabase({ dataDir: folder }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataFolderInUse);
    expect((refused as Error).message).toContain(`The embedded data folder ${folder} is in use by pid ${other.pid} (hold-data-folder ${folder} hold)`);
    expect((refused as DataFolderInUse).holder).toMatchObject({ pid: other.pid, command: `hold-data-folder ${folder} hold` });
    await other.stop();
    // Released on exit: the folder opens now.
    const database = await openDatabase({ dataDir: folder });
    await database.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const folder = newFolder();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.once('exit', r));
    const database = await openDatabase({ dataDir: folder });
    await database.close();
    writeFileSync(join(folder, 'dms.lock'), JSON.stringify({ pid: gone.pid, command: 'dms serve', startedAt: new Date(0).toISOString() }));
    const again = await openDatabase({ dataDir: folder });
    expect(JSON.parse(readFileSync(join(folder, 'dms.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await again.close();
  });

  it('reaches the database through a holder that shares it, unless the folder is wanted exclusively', async () => {
    const folder = newFolder();
    const server = await holder(folder, 'share');
    await expect(openDatabase({ dataDir: folder, exclusive: true })).rejects.toThrow(`in use by pid ${server.pid}`);
    const through = await openDatabase({ dataDir: folder });
    expect(through.location).toBe(`${folder}, through the dms serve of pid ${server.pid}`);
    await sql`update counter set n = 41`.execute(through.db);
    await through.close();
    await server.stop();
    const direct = await openDatabase({ dataDir: folder });
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(direct.db);
    expect(rows[0]!.n).toBe(41);
    await direct.close();
  });

  it('keeps the transactions of the holder and of a client on its socket apart: no increment is lost', async () => {
    const folder = newFolder();
    const server = await holder(folder, 'share-busy');
    const through = await openDatabase({ dataDir: folder });
    const mine = 40;
    for (let i = 0; i < mine; i++) {
      await through.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ n: number }>`select n from counter`.execute(tx);
        await new Promise((r) => setTimeout(r, 2));
        await sql`update counter set n = ${rows[0]!.n + 1}`.execute(tx);
      });
    }
    await through.close();
    const made = Number(/made (\d+)/.exec(await server.stop())![1]);
    expect(made).toBeGreaterThan(0);
    const direct = await openDatabase({ dataDir: folder });
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(direct.db);
    expect(rows[0]!.n).toBe(made + mine);
    await direct.close();
  });
});
