import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { wantsCsv } from './csv';

/** Bounds of the response cache of an API process. */
export interface ResponseCacheOptions {
  /** At most this many responses (default 2,000). */
  readonly maxEntries?: number;
  /** At most this many bytes of response bodies, counted as UTF-16 string length x 2 (default 32 MiB). */
  readonly maxBytes?: number;
}

interface Entry {
  readonly body: string;
  readonly etag: string;
  readonly bytes: number;
}

/**
 * Serialised JSON answers of hot read routes, least recently used first out, bounded in entries and bytes. The key of an
 * entry (see `cachedRead`) names everything the answer depends on, the versions of the read models it was read from
 * included, so an entry is never invalidated: once a read model moves, no request computes its old key again, and the
 * entry ages out.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 2000;
    this.#maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1)
      throw new Error(`maxEntries must be a whole number of at least 1, not ${this.#maxEntries}.`);
    if (!Number.isInteger(this.#maxBytes) || this.#maxBytes < 1) throw new Error(`maxBytes must be a whole number of at least 1, not ${this.#maxBytes}.`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The entry for `key`, computed once by `compute` however many callers ask for it at once (not kept if it throws). */
  async get(key: string, compute: () => Promise<string>): Promise<Entry> {
    const known = this.#entries.get(key);
    if (known) {
      this.hits++;
      // Most recently used last: Map keeps insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, known);
      return known;
    }
    const pending = this.#pending.get(key);
    if (pending) {
      this.hits++;
      return pending;
    }
    this.misses++;
    const computing = compute().then((body) => {
      const entry = { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`, bytes: body.length * 2 + key.length * 2 };
      this.#store(key, entry);
      return entry;
    });
    this.#pending.set(key, computing);
    try {
      return await computing;
    } finally {
      this.#pending.delete(key);
    }
  }

  #store(key: string, entry: Entry): void {
    // An answer larger than an eighth of the budget is served, not kept: it would push out many others.
    if (entry.bytes > this.#maxBytes / 8) return;
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    for (const [oldest, e] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= e.bytes;
    }
  }
}

/** A query string or params object with its keys sorted, `minPosition` left out (it changes when, not what, is read). */
const normalised = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const object = value as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(object)
      .filter((k) => k !== 'minPosition' && object[k] !== undefined)
      .sort()
      .map((k) => [k, object[k]]),
  );
};

/**
 * Answers a read route from the cache when the read models it reads (`readModels`, as for `awaitPosition`) have not moved
 * since the answer was computed, else computes it (`compute`, the route's handler body) and keeps its serialised form.
 *
 * The key: the route, its params and normalised query string, the caller's scope (role and dealer: a dealer's answer is
 * only ever served to that dealer), `extra` (what else the answer depends on, such as today's date for a default period),
 * and the versions of those read models read from the database after the request arrived (`ReadModelVersions`). Call it
 * after `awaitPosition`: a `?minPosition=` read then finds the read models at or past that position, and so a key
 * computed from them. Authentication and permissions run before the handler, so a revoked key is refused as before. JSON
 * only (CSV answers are computed every time); an `If-None-Match` naming the answer's ETag gets 304.
 */
export const cachedRead = async <T>(
  cache: ResponseCache | undefined,
  versions: { current(): Promise<Readonly<Record<string, string>>> },
  request: FastifyRequest,
  reply: FastifyReply,
  readModels: readonly string[],
  compute: () => Promise<T>,
  extra = '',
): Promise<T> => {
  if (!cache || wantsCsv(request)) return compute();
  const current = await versions.current();
  const principal = request.principal;
  const key = [
    request.routeOptions.url,
    normalised(request.params),
    normalised(request.query),
    principal.role,
    principal.partnerId ?? '',
    extra,
    ...readModels.map((name) => current[name] ?? '?'),
  ].join('\u0000');
  const entry = await cache.get(key, async () => {
    const body = await compute();
    // The route's own serialiser for 200 (compiled from its response schema), as fastify would have used.
    const serialize = reply.getSerializationFunction('200') as ((data: unknown) => string) | undefined;
    return serialize ? serialize(body) : JSON.stringify(body);
  });
  reply.header('etag', entry.etag);
  // The reply, sent: fastify sends nothing more for a handler that returns its reply. Typed as the route's answer.
  if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send() as unknown as T;
  return reply.type('application/json; charset=utf-8').send(entry.body) as unknown as T;
};
