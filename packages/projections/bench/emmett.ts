/**
 * The peer in `pnpm bench`: Emmett's PostgreSQL event store (`@event-driven-io/emmett-postgresql`), the leading TypeScript
 * event-sourcing library, given the same workloads as DMS: single-event appends, batch appends and the command path
 * (load, decide, append) with the very same order decider. It runs in a database of its own, on a pool of its own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type OrderCommand, type OrderEvent, type OrderState, orderDecider } from '@dms/domain';
import type { NewEvent } from '@dms/eventstore';
import { CommandHandler, type Event, STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { PgTypes } from './pg';

const require = createRequire(import.meta.url);

/** The installed version of the peer, read from its package.json (its `exports` do not list that file). */
export const emmettVersion = (): string => {
  let dir = dirname(require.resolve('@event-driven-io/emmett-postgresql'));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@event-driven-io/emmett-postgresql' && pkg.version) return pkg.version;
    } catch {
      // not this folder
    }
    dir = dirname(dir);
  }
  return 'unknown';
};

type EmmettEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;

/** DMS's 0-based "last version written" (-1: none) as Emmett's expected stream position (the count of events, 0n: none). */
const expectedFor = (version: number) => (version === -1 ? STREAM_DOES_NOT_EXIST : BigInt(version + 1));

const toEmmett = (e: NewEvent): EmmettEvent => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: { ...e.metadata, eventId: e.eventId } });

export interface EmmettPeer {
  readonly version: string;
  /** Appends `events` to `streamId` whose last version (DMS numbering, -1 for none) is `version`, checked exactly. */
  append(streamId: string, version: number, events: readonly NewEvent[]): Promise<void>;
  /** Emmett's `CommandHandler` over the DMS order decider: reads the stream, folds it, decides, appends. Returns events written. */
  execute(streamId: string, command: OrderCommand, metadata: Record<string, unknown>): Promise<number>;
  /** Empties its tables and restarts its sequences, as the DMS store's are before each slice. */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

/** bigint (int8), json and jsonb: the parsers Emmett's driver (dumbo) sets for the whole process on first use. */
const CONTESTED_TYPES = [20, 114, 3802] as const;

/**
 * Opens the peer on `url` through `pool`, created with `types` (see `peerTypes`). Emmett's driver sets process-wide
 * node-postgres parsers on first use (int8 as BigInt, its own JSON parser), which would change what DMS's own connections
 * return in the same process (DMS reads int8 as a number when exact) and break or slow it; so once Emmett has set them
 * they are moved onto its pool alone and the process-wide ones put back.
 */
export const openEmmett = async (url: string, pool: unknown, types: PgTypes, peerTypes: Map<number, (value: string) => unknown>): Promise<EmmettPeer> => {
  const ours = new Map(CONTESTED_TYPES.map((oid) => [oid, types.getTypeParser(oid)]));
  const store: PostgresEventStore = getPostgreSQLEventStore(url, { connectionOptions: { pool } as never });
  await store.schema.migrate();
  await store.streamExists('emmett-peer-warm-up');
  for (const oid of CONTESTED_TYPES) {
    peerTypes.set(oid, types.getTypeParser(oid));
    types.setTypeParser(oid, ours.get(oid)!);
  }
  const handle = CommandHandler<OrderState, EmmettEvent>({
    initialState: () => orderDecider.initialState,
    evolve: (state, event) => orderDecider.evolve(state, event as unknown as OrderEvent),
  });
  return {
    version: emmettVersion(),
    append: async (streamId, version, events) => {
      await store.appendToStream(streamId, events.map(toEmmett), { expectedStreamVersion: expectedFor(version) });
    },
    execute: async (streamId, command, metadata) => {
      const result = await handle(store, streamId, (state) => {
        const decision = orderDecider.decide(command, state);
        if (decision._tag === 'Left') throw new Error(`Emmett peer: ${command.type} refused: ${decision.left.code}: ${decision.left.message}`);
        return decision.right.map((e): EmmettEvent => ({ type: e.type, data: e.data as Record<string, unknown>, metadata }));
      });
      return result.newEvents.length;
    },
    truncate: () => store.schema.dangerous.truncate({ resetSequences: true }),
    close: () => store.close(),
  };
};
