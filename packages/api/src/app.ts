import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { type AuthOptions, installAuth } from './auth/plugin';
import type { ApiOptions } from './context';
import { HttpProblem, problem, sendProblem, toProblem } from './problems';
import { ResponseCache } from './response-cache';
import { actorRoutes } from './routes/actors';
import { adminRoutes } from './routes/admin';
import { agreementRoutes } from './routes/agreements';
import { apiKeyRoutes } from './routes/api-keys';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { availabilityRoutes } from './routes/availability';
import { catalogueRoutes } from './routes/catalogue';
import { dealerAccountRoutes } from './routes/dealer-accounts';
import { kpiRoutes } from './routes/kpis';
import { notificationRoutes } from './routes/notifications';
import { orderRoutes } from './routes/orders';
import { partnerRoutes } from './routes/partners';
import { performanceRoutes } from './routes/performance';
import { priceListRoutes } from './routes/price-lists';
import { promotionRoutes } from './routes/promotions';
import { receivableRoutes } from './routes/receivables';
import { reportRoutes } from './routes/reports';
import { resourceRoutes } from './routes/resources';
import { settlementRoutes } from './routes/settlements';
import { stockRoutes } from './routes/stock';
import { taxRoutes } from './routes/tax';
import { threadRoutes } from './routes/threads';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { registerWebApp, type WebOptions } from './web';

export interface BuildOptions extends ApiOptions {
  /** pino options, or false for silence (tests). */
  readonly logger?: boolean | Record<string, unknown>;
  /** Largest request body accepted, in bytes. Default 256 KiB. */
  readonly bodyLimit?: number;
  /** JWT verification and rate limits; API keys always work. */
  readonly auth?: AuthOptions;
  /** Serve the browser application (a built packages/web) at /, beside the API. */
  readonly web?: WebOptions;
  /**
   * Behind a reverse proxy that terminates TLS: trust its X-Forwarded-For/-Proto (true, a hop count, or addresses/CIDRs),
   * so the session cookie is marked Secure and rate limits see the client's address. Default: trust nothing.
   */
  readonly trustProxy?: boolean | number | string | string[];
}

/**
 * The DMS HTTP API: commands in, queries out. Every route declares zod schemas for its input and output, which also
 * produce the OpenAPI document at `/openapi.json` and the docs page at `/docs`. Errors are RFC 9457 problem details.
 */
export const buildApp = async (given: BuildOptions): Promise<FastifyInstance> => {
  const options: BuildOptions = { ...given, responseCache: given.responseCache ?? new ResponseCache() };
  const app = Fastify({
    // Never log credentials: request logs carry no headers, and these paths are redacted should anything add them.
    logger: options.logger
      ? { ...(typeof options.logger === 'object' ? options.logger : {}), redact: ['req.headers.authorization', 'headers.authorization'] }
      : false,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // avvio's 10 s default catches a plugin that never calls done(); on a loaded machine start-up alone can take longer.
    pluginTimeout: 60_000,
    // One of fastify's accepted forms; the cast keeps the overloads from widening to an HTTP/2 server.
    trustProxy: (options.trustProxy ?? false) as boolean,
    ajv: { customOptions: { removeAdditional: false } },
    // Plain objects for query strings: no prototype tricks from `?__proto__=`.
    routerOptions: { maxParamLength: 200 },
  });
  // JSON only: without fastify's default text/plain parser, a text body is refused as 415, not parsed and then refused as 400.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error as Error, request);
    // Logged as what it is, one line each: an unreachable database is an outage to watch (warn); a 5xx a route answers on
    // purpose (503 READ_MODEL_BEHIND: the client retries) is not a failure (info); only the unexpected gets a stack (error).
    if (p.code === 'DATABASE_UNAVAILABLE') {
      const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      request.log.warn({ code: p.code, cause }, 'database unavailable');
    } else if (error instanceof HttpProblem) {
      if (p.status >= 500) request.log.info({ code: p.code, status: p.status, details: p.details }, p.detail);
    } else if (p.status >= 500) request.log.error({ err: error }, 'request failed');
    if (p.status === 401) reply.header('www-authenticate', 'Bearer realm="dms"');
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]}.`, { instance: request.url })),
  );

  app.decorateRequest('principal', null as never);
  await installAuth(app, options.runtime, options.auth ?? {}, options.now ?? (() => new Date()));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'DMS API',
        version: '0.1.0',
        description:
          'Dealer/distributor management: partners, catalogue and dealer orders. Commands return the global `position` of their last event; pass it as `minPosition` to any query to read your own write.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A DMS API key (dms_...) or a JWT from the identity provider' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'dms_session',
            description: 'The session cookie from POST /auth/sign-in; state-changing requests also send x-csrf-token',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
      tags: [
        { name: 'orders', description: 'The dealer ordering flow' },
        { name: 'partners', description: 'Dealers and distributors' },
        { name: 'catalogue', description: 'Products and tier price lists' },
        { name: 'reports', description: 'Analytics' },
        {
          name: 'kpis',
          description: 'Dashboard KPIs: a period against the one before and last year, time series, stock over time, aged receivables; JSON or CSV',
        },
        { name: 'receivables', description: 'What dealers owe: ageing per partner or region, open invoices, DSO; JSON or CSV' },
        { name: 'stock', description: 'Warehouses, stock movements, reservations, backorders and low-stock alerts' },
        { name: 'agreements', description: 'Partnership agreements: terms, versions, signatures, breaches, the registry with expiry warnings' },
        { name: 'settlements', description: 'Revenue splits per party, rebate progress and settlement statements' },
        {
          name: 'performance',
          description: 'Dealer scorecards ranked by region and tier, performance reviews, improvement actions, agents’ commission statements',
        },
        { name: 'threads', description: 'The collaboration space: threads and messages between the manufacturer and a dealer' },
        { name: 'webhooks', description: 'Where DMS posts events for integrations: subscriptions and their deliveries' },
        { name: 'audit', description: 'Event histories with verified hash chains' },
        { name: 'operations', description: 'Health and projections' },
        { name: 'auth', description: 'People signing in: sessions (cookie + CSRF token), who am I, passwords, one-time links' },
        { name: 'access', description: 'Who may sign in or call the API: users and invitations, API keys (admins)' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  for (const routes of [
    partnerRoutes,
    catalogueRoutes,
    priceListRoutes,
    promotionRoutes,
    taxRoutes,
    availabilityRoutes,
    orderRoutes,
    reportRoutes,
    kpiRoutes,
    receivableRoutes,
    dealerAccountRoutes,
    adminRoutes,
    stockRoutes,
    agreementRoutes,
    settlementRoutes,
    performanceRoutes,
    auditRoutes,
    threadRoutes,
    webhookRoutes,
    notificationRoutes,
    resourceRoutes,
    authRoutes,
    userRoutes,
    actorRoutes,
    apiKeyRoutes,
  ])
    await app.register(routes(options));
  if (options.web) await registerWebApp(app, options.web);
  return app;
};
