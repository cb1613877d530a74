import type { DmsRuntime } from '@dms/projections';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, problem } from '../problems';
import { Authenticator, type Caller, type IdentityOptions, unauthenticated } from './authenticator';
import { allows, type Permission } from './permissions';
import { SESSION_COOKIE, sameDigest } from './sessions';

export interface AuthOptions extends IdentityOptions {
  /** Requests per principal (or per client address when unauthenticated) per minute. Default 1200. */
  readonly requestsPerMinute?: number | undefined;
  /**
   * Origins (`https://dashboard.example.com`) whose pages may call the API from a browser, with credentials. None by
   * default: CORS is off and browsers refuse cross-origin reads.
   */
  readonly corsOrigins?: readonly string[] | undefined;
}

/** Checks a configured origin: scheme, host and port only, exactly as a browser sends it in `Origin`. */
export const parseCorsOrigin = (value: string): string => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // refused below
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== value)
    throw new Error(`"${value}" is not an origin: write it as scheme://host[:port], with no path or trailing slash (e.g. https://dashboard.example.com).`);
  return value;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Authentication: keys, JWTs and sessions, and signing people in and out. */
    readonly authenticator: Authenticator;
  }
  interface FastifyRequest {
    /** The signed-in session, when the request came with the session cookie. */
    session: Caller['session'] | null;
  }
}

/** Who is calling: `Authorization: Bearer` (an API key or a JWT) or, from a browser, the session cookie. */
const authenticate = async (request: FastifyRequest, authenticator: Authenticator): Promise<Caller> => {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('Use the Bearer scheme: `Authorization: Bearer <token>`.');
    return authenticator.bearer(token);
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return authenticator.session(cookie);
  throw unauthenticated('Sign in, or send an API key or token as `Authorization: Bearer <token>`.');
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A browser's state-changing request must prove it comes from our own page: the session's token in `x-csrf-token`. */
const checkCsrf = (request: FastifyRequest, caller: Caller) => {
  if (!caller.session || SAFE_METHODS.has(request.method)) return;
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !sameDigest(sent, caller.session.csrfToken)) {
    throw new HttpProblem(problem(403, 'CSRF_TOKEN_INVALID', 'Send the session’s CSRF token (from sign-in or GET /auth/me) in the x-csrf-token header.'));
  }
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

export const installAuth = async (app: FastifyInstance, runtime: DmsRuntime, options: AuthOptions, now: () => Date): Promise<void> => {
  const limiter = new RateLimiter(options.requestsPerMinute ?? 1200);
  const authenticator = new Authenticator(runtime, options, now);
  app.decorate('authenticator', authenticator);
  app.decorateRequest('session', null);
  app.addHook('onClose', async () => authenticator.close());
  await app.register(fastifyCookie);
  const origins = (options.corsOrigins ?? []).map(parseCorsOrigin);
  if (origins.length > 0) {
    // Only listed origins get Access-Control-Allow-Origin (and with it credentials); others get no CORS headers at all.
    await app.register(fastifyCors, {
      origin: origins,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'x-csrf-token'],
      exposedHeaders: ['location', 'retry-after', 'ratelimit-remaining'],
      maxAge: 600,
    });
  }
  const rules: AccessRule[] = [];
  app.decorate('accessRules', rules);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') || route.url === '/openapi.json' || route.method === 'OPTIONS') {
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
    let caller: Caller;
    try {
      caller = await authenticate(request, authenticator);
    } catch (error) {
      // Failed attempts count against the client address, so guessing keys is slow.
      limit(reply, `ip:${request.ip}`);
      throw error;
    }
    const { principal } = caller;
    request.principal = principal;
    request.session = caller.session ?? null;
    limit(reply, principal.id);
    checkCsrf(request, caller);
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
