import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL cluster of a test's own: initdb in a temporary folder, its own port, started and stopped by pid. For fault
 * tests, which must start what they break (a restart of the shared server would break every other test running).
 */
export interface PrivateCluster {
  readonly port: number;
  /** A connection URL to `database` on this cluster. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server: 'fast' (SIGINT, what a service manager's restart does) or 'immediate' (SIGQUIT, a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/** Where the PostgreSQL server binaries are: PG_BIN, else `pg_config --bindir`, else Debian's folder for 15. */
const binDir = (): string | undefined => {
  const candidates = [process.env.PG_BIN];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // No pg_config on the PATH.
  }
  candidates.push('/usr/lib/postgresql/15/bin');
  return candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
};

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user. */
const serverUser = (): { uid: number; gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    );
    return { uid: uid!, gid: gid! };
  } catch {
    return undefined;
  }
};

/** Why no private cluster can be started here (a test skips with this reason), or undefined when one can. */
export const privateClusterUnavailable = (): string | undefined => {
  if (!binDir()) return 'no PostgreSQL server binaries (initdb, postgres) found: set PG_BIN';
  if (process.getuid?.() === 0 && !serverUser()) return 'running as root and there is no postgres user to run initdb as';
  return undefined;
};

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** initdb's a cluster in a temporary folder and starts it on `port` (127.0.0.1 only, trust authentication). */
export const startPrivateCluster = async (port: number): Promise<PrivateCluster> => {
  const bin = binDir();
  if (!bin) throw new Error(privateClusterUnavailable());
  const user = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'dms-pg-'));
  if (user) chownSync(root, user.uid, user.gid);
  const data = join(root, 'data');
  const asServer = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    ...asServer,
    stdio: 'ignore',
  });
  const logFile = join(root, 'server.log');
  let server: ChildProcess | undefined;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  const start = async () => {
    const log = openSync(logFile, 'a');
    if (user) chownSync(logFile, user.uid, user.gid);
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=50'],
      { ...asServer, stdio: ['ignore', log, log] },
    );
    server = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`PostgreSQL on port ${port} exited at start (code ${child.exitCode}); see ${logFile}`);
      const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 1000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.end();
        return;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`PostgreSQL on port ${port} did not accept connections in 30 s: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    const child = server;
    server = undefined;
    if (!child?.pid || child.exitCode !== null) return;
    child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited(child);
  };

  try {
    await start();
  } catch (error) {
    await stop('immediate');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    start,
    destroy: async () => {
      await stop('immediate');
      rmSync(root, { recursive: true, force: true });
    },
  };
};
