import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SessionTurns } from './pglite-dialect';

/** Protocol messages after which a client that is not inside a transaction leaves PGlite's session to others. */
const STARTUP = 0x00;
const QUERY = 0x51; // 'Q', a simple query
const SYNC = 0x53; // 'S', the end of an extended-protocol exchange
const TERMINATE = 0x58; // 'X'

/**
 * Where a data folder's socket lives: `.s.PGSQL.5432` in the folder itself, as PostgreSQL names its sockets, or, when
 * that path is too long for a Unix socket (about 100 bytes), in a folder of the temporary directory named after it.
 */
export const socketDirectory = (folder: string): string => {
  if (join(folder, '.s.PGSQL.5432').length <= 100) return folder;
  return join(tmpdir(), `dms-${createHash('sha256').update(folder).digest('hex').slice(0, 16)}`);
};

/**
 * Serves an embedded PGlite database, open in this process, to other processes on a PostgreSQL Unix socket, with
 * `@electric-sql/pglite-socket`. PGlite is one session: this process's queries and the socket client's take turns at it
 * (`turns`, shared with this process's kysely driver). A socket client keeps its turn for a whole exchange (Parse to Sync)
 * and a whole transaction, so neither side ever sees the other's statements or half of its transaction.
 * One client at a time; a second one is refused until the first disconnects.
 */
export const shareOverSocket = async (pglite: PGlite, turns: SessionTurns, folder: string): Promise<{ socket: string; close(): Promise<void> }> => {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const directory = socketDirectory(folder);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const socket = join(directory, '.s.PGSQL.5432');
  // A socket file left by a process that was killed: nobody listens on it any more (we hold the folder's lock).
  rmSync(socket, { force: true });

  let release: (() => void) | undefined;
  const handOn = () => {
    if (release && !pglite.isInTransaction()) {
      release();
      release = undefined;
    }
  };
  const gated = new Proxy(pglite, {
    get(target, property) {
      if (property === 'runExclusive') {
        return async <T>(fn: () => Promise<T>): Promise<T> => {
          release ??= await turns.take();
          return target.runExclusive(fn);
        };
      }
      if (property === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          try {
            return await target.execProtocolRawStream(message, options);
          } finally {
            if ([STARTUP, QUERY, SYNC, TERMINATE].includes(message[0]!)) handOn();
          }
        };
      }
      if (property === 'exec') {
        // The socket server rolls back the transaction of a client that disconnected in the middle of it.
        return async (query: string) => {
          try {
            return await target.exec(query);
          } finally {
            handOn();
          }
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const server = new PGLiteSocketServer({ db: gated, path: socket, maxConnections: 1 });
  await server.start();
  return {
    socket,
    close: async () => {
      await server.stop();
      release?.();
      release = undefined;
      rmSync(socket, { force: true });
    },
  };
};
