import { buildApp, loadAuthOptions, loadTrustProxy } from '@dms/api';
import { type DmsRuntime, WebhookDispatcher, webhookSigningKey } from '@dms/projections';

/** Runs the API, every projection live, and the webhook dispatcher until SIGINT/SIGTERM. */
export const serve = async (
  runtime: DmsRuntime,
  options: { port: number; host: string; corsOrigins?: readonly string[] | undefined },
  out: (line: string) => void,
): Promise<number> => {
  const auth = loadAuthOptions();
  const corsOrigins = [...(auth.corsOrigins ?? []), ...(options.corsOrigins ?? [])];
  const app = await buildApp({ runtime, auth: { ...auth, corsOrigins }, trustProxy: loadTrustProxy(), logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  runtime.runner.start();
  const logger = {
    info: (msg: string, data: object = {}) => app.log.info(data, msg),
    warn: (msg: string, data: object = {}) => app.log.warn(data, msg),
    error: (msg: string, data: object = {}) => app.log.error(data, msg),
  };
  const webhooks = new WebhookDispatcher(runtime.runner.db, { signingKey: await webhookSigningKey(runtime.runner.db), logger });
  webhooks.start();
  const address = await app.listen({ port: options.port, host: options.host });
  out(`DMS API on ${address} — docs at ${address}/docs. Every route but /health and /docs needs a key (dms keys create --role admin) or a signed-in user.`);
  if (corsOrigins.length > 0) out(`CORS: browsers on ${corsOrigins.join(', ')} may call the API.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out('Shutting down…');
  await webhooks.stop();
  await app.close();
  return 0;
};
