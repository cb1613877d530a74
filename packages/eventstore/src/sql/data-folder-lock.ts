import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * One process at a time opens an embedded PGlite data folder: two would each run their own PostgreSQL over the same files
 * and corrupt them. The holder writes `dms.lock` (its pid, its command line, when it started and, for `dms serve`, the
 * socket other processes reach its database through) with an exclusive create; the file goes when it closes or exits.
 * A lock whose process is gone (killed, crashed) is stale and taken over.
 */
export interface DataFolderHolder {
  readonly pid: number;
  /** The command line, as a person would type it: `dms serve --port 3000`. */
  readonly command: string;
  readonly startedAt: string;
  /** Where the holder serves the database to other processes (a PostgreSQL Unix socket), if it does. */
  readonly socket?: string;
}

export class DataFolderInUse extends Error {
  constructor(
    readonly folder: string,
    readonly holder: DataFolderHolder,
    why: string,
  ) {
    super(
      `The embedded data folder ${folder} is in use by pid ${holder.pid} (${holder.command}), started ${holder.startedAt.replace('T', ' ').slice(0, 19)} UTC. ${why}`,
    );
    this.name = 'DataFolderInUse';
  }
}

export interface DataFolderLock {
  /** Records the socket other processes may use while this process holds the folder. */
  advertise(socket: string): void;
  release(): void;
}

const LOCK_FILE = 'dms.lock';

/** Why a holder that does not share the folder refuses another process. */
export const ONE_AT_A_TIME = 'One process at a time may open it: wait for that one to finish, or stop it.';
/** Why a command that needs the folder to itself (`dms serve`, the demo) is refused even by a holder that shares it. */
export const STOP_FIRST = 'Stop it first: this command needs the folder to itself.';

/** The command line of this process, readable: `dms serve --port 3000` rather than `/…/bin/dms.js serve --port 3000`. */
export const commandLine = (argv: readonly string[] = process.argv): string => {
  const script = argv[1] ? basename(argv[1]).replace(/\.(c|m)?[jt]s$/, '') : basename(argv[0] ?? 'node');
  return [script, ...argv.slice(2)].join(' ');
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readHolder = (file: string): DataFolderHolder | null => {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as DataFolderHolder;
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
};

/** The live process holding the folder, or null (no lock file, or a stale one). */
export const dataFolderHolder = (folder: string): DataFolderHolder | null => {
  const holder = readHolder(join(folder, LOCK_FILE));
  return holder && holder.pid !== process.pid && alive(holder.pid) ? holder : null;
};

/**
 * The refusal a process would get opening the folder now, or null when it may (nobody holds it, or the holder shares it
 * and `exclusive` is not asked). Reads only the lock file: `dms` checks it before it loads anything heavy, so a second
 * process is turned away at once rather than after its start-up.
 */
export const dataFolderRefusal = (folder: string, exclusive: boolean): DataFolderInUse | null => {
  const holder = dataFolderHolder(folder);
  if (!holder) return null;
  if (!holder.socket) return new DataFolderInUse(folder, holder, ONE_AT_A_TIME);
  return exclusive ? new DataFolderInUse(folder, holder, STOP_FIRST) : null;
};

/**
 * Takes the folder for this process, or throws DataFolderInUse naming the live holder. A stale lock (its process is
 * gone) is taken over. Released by `release()` or, at the latest, when this process exits.
 */
export const lockDataFolder = (folder: string, command = commandLine()): DataFolderLock => {
  const file = join(folder, LOCK_FILE);
  let mine: DataFolderHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      const holder = readHolder(file);
      if (holder && (holder.pid === process.pid || alive(holder.pid))) {
        throw new DataFolderInUse(folder, holder, ONE_AT_A_TIME);
      }
      // Stale (its process is gone) or unreadable (a crash mid-write): take it over.
      try {
        unlinkSync(file);
      } catch {}
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: never one a later process took over.
    if (readHolder(file)?.pid === process.pid) unlinkSync(file);
  };
  process.on('exit', release);
  return {
    advertise: (socket) => {
      mine = { ...mine, socket };
      writeFileSync(file, JSON.stringify(mine), { mode: 0o600 });
    },
    release,
  };
};
