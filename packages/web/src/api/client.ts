import createClient, { type Middleware } from 'openapi-fetch';
import { takeEarly } from './early';
import type { components, paths } from './generated/schema';

export type Schemas = components['schemas'];
export type Money = Schemas['Money'];

/** An RFC 9457 problem the API answered, with its stable code; components show `detail` (the API's sentence) to people. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: readonly { field: string; message: string }[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

/** The session's CSRF token, sent with every state-changing request (see docs/security.md). */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

const listeners = new Set<() => void>();
/** Called when a request answers 401: the session ended (expired, signed out elsewhere, revoked). */
export const onSessionEnded = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

const session: Middleware = {
  onRequest: ({ request }) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse: ({ request, response }) => {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/auth/')) for (const l of listeners) l();
    return response;
  },
};

/**
 * The one client: typed by the API's OpenAPI document (src/api/generated, `pnpm --filter @dms/web generate`). A call the
 * page's first script already made (src/api/early.ts) takes that answer.
 */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? 'http://localhost',
  credentials: 'same-origin',
  fetch: (request) => takeEarly(request) ?? globalThis.fetch(request),
});
api.use(session);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer, or an ApiProblem. For TanStack Query's queryFn and mutationFn. */
export const ok = async <T>(call: Promise<Answer<T>>): Promise<T> => {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const p = (error ?? {}) as { code?: string; detail?: string; errors?: { field: string; message: string }[] };
  const retry = Number(response.headers.get('retry-after'));
  throw new ApiProblem(
    response.status,
    p.code ?? `HTTP_${response.status}`,
    p.detail ?? response.statusText,
    p.errors ?? [],
    Number.isFinite(retry) ? retry : undefined,
  );
};

/** Every page of a cursor-paged list, for the small lists a screen shows whole (the catalogue, a dealer's statements). */
export const allPages = async <T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, max = 20): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < max; i++) {
    const p = await page(cursor);
    items.push(...p.items);
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  return items;
};

/** A fresh key for a command, so that a retried click never does a thing twice. */
export const idempotencyKey = () => ({ 'idempotency-key': crypto.randomUUID() });
