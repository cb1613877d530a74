/**
 * An in-process stand-in for a single EventStoreDB node, for tests: a `@grpc/grpc-js` server implementing the parts
 * of the gRPC protocol that `@eventstore/db-client` uses for streams (see `streams-service.ts`), over an in-memory
 * log (`log.ts`).
 *
 * Clients connect through a small TCP relay in front of the gRPC server, so that `dropConnections()` can cut every
 * connection at the socket level, as a crashed node or a network failure would: in-flight calls and subscriptions fail
 * on the client with `UnavailableError` (gRPC status 14), and the client's next call opens a new connection. The data
 * survives (same process), so a subscriber can resubscribe from the last position it processed.
 *
 * The relay also counts the HTTP/2 RST_STREAM frames each client sends (`resets`): Node's HTTP/2 server (nghttp2)
 * allows a connection 1,000 of them, refilled at 33 a second, and then ends it with GOAWAY INTERNAL_ERROR, which the
 * client reports on every call in flight as "Session closed with error code 2". A real EventStoreDB (Kestrel) has no
 * such budget; see the README.
 */
import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';
import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { EventLog } from './log';
import { gossipGrpc, serverFeaturesGrpc, streamsGrpc } from './proto';
import { createGossipService, createServerFeaturesService } from './server-features';
import { createStreamsService } from './streams-service';

export interface EsdbTestServerOptions {
  /** Advertise and serve Streams.BatchAppend, which the client then prefers for appends (default true, like a real server). */
  readonly batchAppend?: boolean;
  /** Seed a few `$`-prefixed system events at the start of `$all`, like a fresh node (default true). */
  readonly systemEvents?: boolean;
  /** Maximum size of one append in bytes (default 1 MiB, EventStoreDB's default). */
  readonly maxAppendSize?: number;
}

export interface EsdbTestServer {
  /** `esdb://127.0.0.1:PORT?tls=false` */
  readonly connectionString: string;
  readonly port: number;
  /** The server's data, for assertions. */
  readonly log: EventLog;
  /** How many calls each method received, keyed `Service.Method` (e.g. `Streams.BatchAppend`). */
  readonly calls: ReadonlyMap<string, number>;
  /**
   * How many HTTP/2 RST_STREAM frames clients have sent, over all connections: one per call a client cancels (ending
   * a subscription, leaving a read before its end), and one per call it closes after the server ended it but before it
   * read the end. Node's HTTP/2 server ends a connection that sends more than 1,000 in a burst (see the file comment).
   */
  readonly resets: number;
  /** Closes every client connection and shuts the server down. */
  stop(): Promise<void>;
  /** Simulates the server going away: every open connection (and so every active call and subscription) is cut. */
  dropConnections(): void;
}

const HOST = '127.0.0.1';

/** The length of the HTTP/2 client connection preface ("PRI * HTTP/2.0…"), which precedes the first frame. */
const PREFACE_LENGTH = 24;
const FRAME_HEADER_LENGTH = 9;
const RST_STREAM = 0x3;

/** Reads the frame headers of a client's HTTP/2 byte stream (skipping payloads) and reports each RST_STREAM frame. */
const rstStreamCounter = (onReset: () => void) => {
  let preface = PREFACE_LENGTH;
  const header = Buffer.alloc(FRAME_HEADER_LENGTH);
  let filled = 0;
  let payloadLeft = 0;
  return (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; ) {
      if (preface > 0 || payloadLeft > 0) {
        const n = Math.min(preface > 0 ? preface : payloadLeft, chunk.length - i);
        if (preface > 0) preface -= n;
        else payloadLeft -= n;
        i += n;
        continue;
      }
      const n = Math.min(FRAME_HEADER_LENGTH - filled, chunk.length - i);
      chunk.copy(header, filled, i, i + n);
      filled += n;
      i += n;
      if (filled < FRAME_HEADER_LENGTH) continue;
      filled = 0;
      payloadLeft = header.readUIntBE(0, 3);
      if (header[3] === RST_STREAM) onReset();
    }
  };
};

export const startEsdbTestServer = async (options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> => {
  const log = new EventLog({ systemEvents: options.systemEvents ?? true });
  const grpcServer = new Server();
  let publicPort = 0;
  const calls = new Map<string, number>();
  const counted = (service: string, implementation: UntypedServiceImplementation): UntypedServiceImplementation =>
    Object.fromEntries(
      Object.entries(implementation).map(([name, handler]) => {
        const key = `${service}.${name.charAt(0).toUpperCase()}${name.slice(1)}`;
        const wrapped = (...args: unknown[]) => {
          calls.set(key, (calls.get(key) ?? 0) + 1);
          return (handler as (...args: unknown[]) => void)(...args);
        };
        return [name, wrapped as typeof handler];
      }),
    );
  grpcServer.addService(streamsGrpc.StreamsService, counted('Streams', createStreamsService(log, { maxAppendSize: options.maxAppendSize ?? 1024 * 1024 })));
  grpcServer.addService(
    serverFeaturesGrpc.ServerFeaturesService,
    counted('ServerFeatures', createServerFeaturesService({ batchAppend: options.batchAppend ?? true })),
  );
  grpcServer.addService(
    gossipGrpc.GossipService,
    counted(
      'Gossip',
      createGossipService(() => ({ address: HOST, port: publicPort })),
    ),
  );

  const grpcPort = await new Promise<number>((resolve, reject) => {
    grpcServer.bindAsync(`${HOST}:0`, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });

  const connections = new Set<{ readonly client: Socket; readonly upstream: Socket }>();
  let resets = 0;
  const relay: NetServer = createServer((client) => {
    const upstream = connect(grpcPort, HOST);
    const pair = { client, upstream };
    connections.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const close = () => {
      connections.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on(
      'data',
      rstStreamCounter(() => {
        resets++;
      }),
    );
    client.pipe(upstream);
    upstream.pipe(client);
  });
  publicPort = await new Promise<number>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, HOST, () => {
      const address = relay.address();
      if (address === null || typeof address === 'string') reject(new Error('The relay has no TCP address.'));
      else resolve(address.port);
    });
  });

  const dropConnections = () => {
    for (const { client, upstream } of [...connections]) {
      // A reset, not a graceful close: the client must not mistake it for the server finishing its calls.
      client.resetAndDestroy();
      upstream.destroy();
    }
    connections.clear();
  };

  return {
    connectionString: `esdb://${HOST}:${publicPort}?tls=false`,
    port: publicPort,
    log,
    calls,
    get resets() {
      return resets;
    },
    dropConnections,
    stop: async () => {
      const relayClosed = new Promise<void>((resolve) => relay.close(() => resolve()));
      dropConnections();
      grpcServer.forceShutdown();
      await relayClosed;
    },
  };
};
