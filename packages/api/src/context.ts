import { type CommandResult, firstUnknownPartner } from '@dms/app';
import type { Actor } from '@dms/domain';
import { type CommandAccepted, type CommandContext, newId, uuidV5 } from '@dms/eventstore';
import type { ContentStore, DmsRuntime } from '@dms/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { domainProblem, HttpProblem, invalidField, problem } from './problems';
import { cachedRead, type ResponseCache } from './response-cache';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling. */
    principal: Actor;
  }
}

export interface ApiOptions {
  readonly runtime: DmsRuntime;
  /** How long a query waits for `minPosition` before answering 503. */
  readonly readYourWritesTimeoutMs?: number;
  /** The clock the API stamps commands with; injectable for tests. */
  readonly now?: () => Date;
  /** Where the resource library keeps files: PostgreSQL (the read-model database) unless given. */
  readonly contentStore?: ContentStore;
  /** The largest file the library takes, in bytes (default `RESOURCE_MAX_BYTES`, 20 MiB). */
  readonly resourceMaxBytes?: number;
  /**
   * The cache of hot read routes' answers (response-cache.ts): one per process by default (`buildApp` makes it); `false`
   * computes every answer.
   */
  readonly responseCache?: ResponseCache | false;
}

/**
 * The command id of a request with an `Idempotency-Key`, scoped to the caller and the operation, as payment APIs scope
 * theirs: the same key from another caller, or on another route or resource, is another command (never a replay of
 * someone else's, and nothing about it leaks). Derived, so every retry of the request gets the same id; without a key,
 * undefined (every request is then a new command).
 */
const scopedCommandId = (request: FastifyRequest): string | undefined => {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) return undefined;
  const operation = `${request.method} ${request.routeOptions.url ?? ''} ${request.url.split('?')[0]}`;
  return `idem-${uuidV5(JSON.stringify([request.principal.id, operation, key.slice(0, 200)]))}`;
};

/** Command context from the request: its scoped Idempotency-Key (or a fresh id) as command id, and the principal as actor. */
export const commandContext = (request: FastifyRequest): CommandContext => {
  const commandId = scopedCommandId(request) ?? newId();
  const correlation = request.headers['x-correlation-id'];
  return { commandId, actor: request.principal, ...(typeof correlation === 'string' && correlation ? { correlationId: correlation.slice(0, 200) } : {}) };
};

/**
 * An id for something a request creates when the client chose none (`o-…` for an order): derived from the request's
 * scoped Idempotency-Key, so a retry creates nothing new and answers with the id the first attempt generated; fresh
 * without a key. The prefix (`ret-`, `cn-`) also tells apart several ids of one request.
 */
export const generatedId = (request: FastifyRequest, prefix: string): string => {
  const scoped = scopedCommandId(request);
  return `${prefix}${scoped ? uuidV5(`${scoped}#${prefix}`) : newId()}`;
};

export const accepted = (result: CommandAccepted) => ({
  streamId: result.streamId,
  streamVersion: result.streamVersion,
  position: result.position.toString(),
  replayed: result.replayed,
  // A command can write to several streams (approving an order reserves the dealer's credit): each event names its own.
  events: result.events.map((e) => ({ eventId: e.eventId, type: e.type, streamId: e.streamId, streamVersion: e.streamVersion })),
});

/** Unwraps a command result: a refusal becomes a problem response, and nothing was written. */
export const orRefuse = (result: CommandResult): CommandAccepted => {
  if (result._tag === 'Left') throw new HttpProblem(domainProblem(result.left));
  return result.right;
};

export const reply201 = (reply: FastifyReply, location: string, result: CommandAccepted) =>
  reply
    .code(result.replayed ? 200 : 201)
    .header('location', location)
    .send(accepted(result));

/**
 * Waits (bounded) until the read models the route reads (`readModelsOf(...)` of the query modules it calls) have applied
 * `minPosition`, or answers 503 so the client can retry. Only those: a process manager or another projection that lags
 * does not hold the read back.
 */
export const awaitPosition = async (options: ApiOptions, minPosition: string | undefined, readModels: readonly string[]): Promise<void> => {
  if (minPosition === undefined) return;
  const reached = await options.runtime.reads.waitForPosition(BigInt(minPosition), options.readYourWritesTimeoutMs ?? 5000, readModels);
  if (!reached) {
    throw new HttpProblem(
      problem(503, 'READ_MODEL_BEHIND', `The read models have not yet reached position ${minPosition}; retry shortly.`, { details: { minPosition } }),
    );
  }
};

/**
 * The partner a caller is confined to: a dealer's own partner id, or undefined for staff who see every partner.
 * Queries take it as a filter applied in SQL; a single resource of another partner must answer 404, not 403.
 */
export const partnerScope = (request: FastifyRequest): string | undefined => {
  if (request.principal.role !== 'dealer') return undefined;
  // The authenticator refuses a dealer that names no partner; should one get here all the same, it sees nothing.
  if (!request.principal.partnerId) throw new HttpProblem(problem(403, 'FORBIDDEN', "A dealer's credentials must name its dealer."));
  return request.principal.partnerId;
};

/** Refuses (400, naming the entry, e.g. `body.audience.partnerIds.1`) a list of dealers that names one never onboarded. */
export const requireOnboarded = async (options: ApiOptions, partnerIds: readonly string[] | undefined, field: string): Promise<void> => {
  const unknown = await firstUnknownPartner(options.runtime.store, partnerIds ?? []);
  if (unknown) throw invalidField(`${field}.${unknown.index}`, `no partner ${unknown.partnerId} has been onboarded`);
};

/**
 * A read route's answer through the process's response cache (`cachedRead`): `readModels` as given to `awaitPosition`,
 * which must be called first; `extra` names whatever else the answer depends on (today's date for a default period).
 */
export const cached = <T>(
  options: ApiOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  readModels: readonly string[],
  compute: () => Promise<T>,
  extra?: string,
): Promise<T> => cachedRead(options.responseCache || undefined, options.runtime.reads.versions, request, reply, readModels, compute, extra);
