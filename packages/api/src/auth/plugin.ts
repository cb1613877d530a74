import type { DmsRuntime } from '@dms/projections';
import { findApiKey } from '@dms/projections';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, problem } from '../problems';
import { InvalidToken, type JwtConfig, verifyJwt } from './jwt';
import { parseApiKey, principalOfKey, secretMatches } from './keys';
import { allows, type Permission } from './permissions';

export interface AuthOptions {
  readonly jwt?: JwtConfig | undefined;
  /** Requests per principal (or per client address when unauthenticated) per minute. Default 1200. */
  readonly requestsPerMinute?: number | undefined;
}

const unauthenticated = (detail: string) => new HttpProblem(problem(401, 'UNAUTHENTICATED', detail));

/** Who is calling: an API key (`Bearer dms_...`) or, when configured, a JWT from the identity provider. */
const authenticate = async (request: FastifyRequest, runtime: DmsRuntime, jwt: JwtConfig | undefined) => {
  const header = request.headers.authorization;
  if (!header) throw unauthenticated('Send an API key or token as `Authorization: Bearer <token>`.');
  const [scheme, token] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('Use the Bearer scheme: `Authorization: Bearer <token>`.');
  const apiKey = parseApiKey(token);
  if (apiKey) {
    const key = await findApiKey(runtime.runner.db, apiKey.keyId);
    if (!key || key.revokedAt !== null || !secretMatches(apiKey.secret, key.secretHash)) throw unauthenticated('The API key is unknown or revoked.');
    return principalOfKey(key);
  }
  if (jwt && (jwt.hs256Secret || jwt.rs256PublicKey) && token.split('.').length === 3) {
    try {
      return verifyJwt(token, jwt);
    } catch (error) {
      if (error instanceof InvalidToken) throw unauthenticated(`The token was not accepted: ${error.message}.`);
      throw error;
    }
  }
  throw unauthenticated('The bearer token is neither a DMS API key nor an accepted JWT.');
};

/** A fixed one-minute window per caller, in this process. Enough to stop a runaway client or a key-guessing loop. */
class RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly max: number) {}

  take(key: string, now = Date.now()): { ok: boolean; remaining: number; resetInSeconds: number } {
    let w = this.#windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.#windows.size > 50_000) this.#windows.clear();
      w = { count: 0, resetAt: now + 60_000 };
      this.#windows.set(key, w);
    }
    w.count++;
    return { ok: w.count <= this.max, remaining: Math.max(0, this.max - w.count), resetInSeconds: Math.ceil((w.resetAt - now) / 1000) };
  }
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The one authorization point. Every route declares `config.permission` (or `config.public`): a route without one makes
 * the app refuse to start. Each request is authenticated, rate-limited, and checked against the role matrix; dealer
 * scoping then happens inside the queries (see `partnerScope`).
 */
export interface AccessRule {
  readonly method: string;
  readonly url: string;
  readonly permission: Permission | null;
  readonly public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's declared access rule, for tests and for the docs. */
    readonly accessRules: readonly AccessRule[];
  }
}

export const installAuth = (app: FastifyInstance, runtime: DmsRuntime, options: AuthOptions): void => {
  const limiter = new RateLimiter(options.requestsPerMinute ?? 1200);
  const rules: AccessRule[] = [];
  app.decorate('accessRules', rules);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') || route.url === '/openapi.json') {
      route.config = { ...route.config, public: true };
    } else if (!route.config?.permission && !route.config?.public) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no permission: add config.permission (see auth/permissions.ts) or config.public.`);
    }
    for (const method of [route.method].flat()) {
      rules.push({ method: String(method), url: route.url, permission: route.config?.permission ?? null, public: route.config?.public === true });
    }
  });

  const limit = (reply: FastifyReply, key: string) => {
    const taken = limiter.take(key);
    reply.header('ratelimit-remaining', String(taken.remaining));
    if (!taken.ok) {
      reply.header('retry-after', String(taken.resetInSeconds));
      throw new HttpProblem(problem(429, 'RATE_LIMITED', `Too many requests; try again in ${taken.resetInSeconds} s.`));
    }
  };

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (request.is404 || config.public) return;
    let principal: Awaited<ReturnType<typeof authenticate>>;
    try {
      principal = await authenticate(request, runtime, options.jwt);
    } catch (error) {
      // Failed attempts count against the client address, so guessing keys is slow.
      limit(reply, `ip:${request.ip}`);
      throw error;
    }
    request.principal = principal;
    limit(reply, principal.id);
    if (!config.permission || !allows(principal.role, config.permission)) {
      throw new HttpProblem(problem(403, 'FORBIDDEN', `The ${principal.role} role may not ${config.permission ?? 'use this route'}.`));
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!request.url.startsWith('/docs')) {
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
};
