import { createServer, type Server } from 'node:http';
import { type DmsConfig, type DmsRuntime, type Logger, workerLeases } from '@dms/projections';
import { listenForStop, stopRequested } from '../stop-signal';

/**
 * Refuses to split an embedded data folder into API and workers: one process owns a PGlite folder, and `dms serve` already
 * runs everything in it.
 */
export const requireServer = (config: DmsConfig, what: string): void => {
  if (!config.databaseUrl)
    throw new Error(
      `${what} needs a PostgreSQL server (set DATABASE_URL): the data here is an embedded folder (${config.dataDir}), which one process owns, and \`dms serve\` alone already runs the API, the projections, webhook deliveries and the calendar on it.`,
    );
};

/**
 * Runs the background work of DMS without HTTP until SIGINT/SIGTERM: projections, process managers, webhook delivery and
 * the agreement calendar, each under a lease shared with the other workers on the database (leases.ts). With a health
 * port, GET /health answers 200 with what this worker holds while its database answers, 503 otherwise.
 */
export const worker = async (
  runtime: DmsRuntime,
  options: { name?: string | undefined; healthPort?: number | undefined; host: string; now?: () => Date; logger: Logger },
  out: (line: string) => void,
): Promise<number> => {
  // As `dms serve`: Ctrl-C and SIGTERM are listened for since the command started (stop-signal.ts), and to the end.
  const stopped = listenForStop();
  if (stopRequested()) {
    out('Stopped before running.');
    return 0;
  }
  const leases = await workerLeases(runtime, {
    ...(options.name ? { owner: options.name } : {}),
    ...(options.now ? { now: options.now } : {}),
    logger: options.logger,
  });
  let health: Server | undefined;
  if (options.healthPort !== undefined) {
    health = createServer((request, response) => {
      if (request.url !== '/health') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'only GET /health is served here' }));
        return;
      }
      runtime.probe(2000).then(
        (head) => {
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'ok', worker: leases.owner, head: head?.toString() ?? null, leases: leases.owned() }));
        },
        (error: Error) => {
          response
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'unavailable', worker: leases.owner, error: error.message }));
        },
      );
    });
    const server = health;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.healthPort, options.host, () => resolve());
      });
    } catch (error) {
      throw new Error(`cannot serve /health on port ${options.healthPort} on ${options.host}: ${(error as Error).message}`);
    }
  }
  leases.start();
  try {
    out(
      `DMS worker ${leases.owner.replace(/^dms worker /, '')} running: projections, process managers, webhook deliveries and the agreement calendar, shared with the other workers on this database.${
        options.healthPort === undefined ? '' : ` Health at http://${options.host}:${options.healthPort}/health.`
      }`,
    );
    await stopped;
    out('Shutting down… (the leases go to the other workers)');
  } finally {
    await leases.stop();
    if (health) await new Promise((resolve) => health.close(resolve));
  }
  return 0;
};
