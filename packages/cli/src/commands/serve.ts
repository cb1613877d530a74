import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { buildApp, loadAuthOptions, loadTrustProxy } from '@dms/api';
import { AgreementCalendarSchedule, type DmsRuntime, WebhookDispatcher, webhookSigningKey } from '@dms/projections';
import { listenForStop, stopRequested } from '../stop-signal';
import { serverLogger } from '../ui/log-lines';

/**
 * Where the built browser application is: DMS_WEB_DIR, or packages/web/dist (built at install). Undefined when there is
 * none: then only the API is served, and the start-up line says how to build it.
 */
export const webRoot = (): string | undefined => {
  const configured = process.env.DMS_WEB_DIR;
  if (configured) return resolve(configured);
  try {
    const dist = join(dirname(createRequire(import.meta.url).resolve('@dms/web/package.json')), 'dist');
    return existsSync(join(dist, 'index.html')) ? dist : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Runs the API (and the web application at /), every projection live, the webhook dispatcher and the agreement calendar
 * until SIGINT/SIGTERM; with `projections: false` only the API (and the web application), beside `dms worker`s.
 */
export const serve = async (
  runtime: DmsRuntime,
  options: { port: number; host: string; corsOrigins?: readonly string[] | undefined; now?: () => Date; projections?: boolean },
  out: (line: string) => void,
): Promise<number> => {
  // Ctrl-C and SIGTERM end the server (stop-signal.ts): listened for since the command started, and to the end of the
  // process. One that came while the database opened stops it here, before it serves.
  const stopped = listenForStop();
  if (stopRequested()) {
    out('Stopped before serving.');
    return 0;
  }
  const auth = loadAuthOptions();
  const corsOrigins = [...(auth.corsOrigins ?? []), ...(options.corsOrigins ?? [])];
  const web = webRoot();
  const app = await buildApp({
    runtime,
    auth: { ...auth, corsOrigins },
    trustProxy: loadTrustProxy(),
    // JSON lines for a log collector; in a terminal, one short line a request (ui/log-lines.ts).
    logger: serverLogger(process.stdout, process.env.LOG_LEVEL),
    ...(web ? { web: { root: web } } : {}),
  });
  // Listen first: a port that cannot be had ends the command with one line, before anything runs in the background.
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close();
    throw new Error(listenFailure(error as NodeJS.ErrnoException, options));
  }
  let webhooks: WebhookDispatcher | undefined;
  let calendar: AgreementCalendarSchedule | undefined;
  try {
    // `--no-projections`: an API server beside `dms worker`s, which run the projections, the dispatcher and the calendar.
    if (options.projections !== false) {
      runtime.runner.start();
      const logger = {
        info: (msg: string, data: object = {}) => app.log.info(data, msg),
        warn: (msg: string, data: object = {}) => app.log.warn(data, msg),
        error: (msg: string, data: object = {}) => app.log.error(data, msg),
      };
      webhooks = new WebhookDispatcher(runtime.runner.db, { signingKey: await webhookSigningKey(runtime.runner.db), logger });
      webhooks.start();
      // Agreements start and end on their dates: the calendar runs at start and on every new day.
      calendar = new AgreementCalendarSchedule(runtime.runner, runtime.store, runtime.bus, { ...(options.now ? { now: options.now } : {}), logger });
      calendar.start();
    }
    // Embedded data: other dms commands (keys, projections status, audit verify...) reach the database through this process.
    const socket = await runtime.database.share?.();
    out(
      web
        ? `DMS on ${address}: open it in a browser and sign in; API docs at ${address}/docs (a key or a signed-in user for every route but /health and /docs).`
        : `DMS API on ${address} — docs at ${address}/docs (the web application is not built: pnpm --filter @dms/web build). Every route but /health and /docs needs a key (dms keys create --role admin) or a signed-in user.`,
    );
    if (corsOrigins.length > 0) out(`CORS: browsers on ${corsOrigins.join(', ')} may call the API.`);
    if (socket) out(`Other dms commands on this data folder run through this server (socket ${socket}).`);
    if (options.projections === false) out('No projections, webhook deliveries or calendar run here (--no-projections): run `dms worker` beside it.');
    await stopped;
    out('Shutting down…');
  } finally {
    await calendar?.stop();
    await webhooks?.stop();
    await app.close();
  }
  return 0;
};

/** Why the server could not listen, in one sentence that says what to do. */
const listenFailure = (error: NodeJS.ErrnoException, where: { port: number; host: string }): string => {
  const at = `port ${where.port} on ${where.host}`;
  if (error.code === 'EADDRINUSE') return `cannot serve: ${at} is already in use (another dms serve?); stop that process or choose another port with --port.`;
  if (error.code === 'EACCES') return `cannot serve: not allowed to listen on ${at}; choose a port above 1023 with --port.`;
  if (error.code === 'EADDRNOTAVAIL') return `cannot serve: ${where.host} is not an address of this machine; choose another with --host.`;
  return `cannot serve on ${at}: ${error.message}`;
};
