import type { DomainError } from '@dms/domain';
import { IdempotencyConflict, InvalidArgument, isDatabaseUnavailable, MalformedEvent, WrongExpectedVersion } from '@dms/eventstore';
import { InvalidCursor } from '@dms/projections';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** RFC 9457 problem details: every error this API returns has this shape, as `application/problem+json`. */
export const Problem = z
  .object({
    type: z.string().describe('URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable code, e.g. INVALID_ORDER_TRANSITION'),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Each invalid field, for 400'),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

export const problem = (status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem => ({
  type: `https://dms.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  code,
  ...extra,
});

/** A thrown problem: routes throw these and the one error handler serialises them. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    options?: ErrorOptions,
  ) {
    super(problem.detail, options);
  }
}

/** A 400 naming one field of the request and what is wrong with it, as schema validation answers. */
export const invalidField = (field: string, message: string): HttpProblem =>
  new HttpProblem(problem(400, 'VALIDATION_FAILED', `The request is invalid: ${field}: ${message}.`, { errors: [{ field, message }] }));

/** How a refused command maps to HTTP: unknown things are 404, malformed input 400, everything else a 409 conflict. */
export const statusOfDomainError = (error: DomainError): number => {
  if (error.code.endsWith('_NOT_FOUND')) return 404;
  if (error.code === 'INVALID_COMMAND' || error.code === 'UNKNOWN_COMMAND') return 400;
  return 409;
};

export const domainProblem = (error: DomainError): Problem => {
  const status = statusOfDomainError(error);
  const issues = (error.details?.issues as { path: string; message: string }[] | undefined) ?? undefined;
  return problem(status, error.code, error.message, {
    ...(issues ? { errors: issues.map((i) => ({ field: i.path, message: i.message })) } : {}),
    ...(error.details && !issues ? { details: error.details as Record<string, unknown> } : {}),
  });
};

const fieldOf = (instancePath: string | undefined, where: string): string => {
  const path = (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return path ? `${where}.${path}` : where;
};

/** The one place errors become responses. Never leaks a stack trace or an internal message. */
export const toProblem = (error: FastifyError | Error, request: FastifyRequest): Problem => {
  const instance = request.url;
  if (error instanceof HttpProblem) return { ...error.problem, instance };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    const errors = error.validation.map((v) => {
      const params = v.params as { issue?: { path?: (string | number)[]; message?: string } } | undefined;
      const path = params?.issue?.path?.join('.') ?? '';
      return { field: path ? `${where}.${path}` : fieldOf(v.instancePath, where), message: params?.issue?.message ?? v.message ?? 'is invalid' };
    });
    return problem(400, 'VALIDATION_FAILED', `The request is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`, { errors, instance });
  }
  if (error instanceof WrongExpectedVersion) {
    return problem(409, 'CONCURRENCY_CONFLICT', 'The resource was changed by someone else at the same time; retry the request.', { instance });
  }
  // Never the event ids: they would tell a caller what keys (command ids) others used.
  if (error instanceof IdempotencyConflict)
    return problem(409, error.code, 'This Idempotency-Key was already used for a different request; send a new key with a new request.', { instance });
  if (error instanceof InvalidCursor)
    return problem(400, error.code, error.message, { instance, errors: [{ field: 'querystring.cursor', message: error.message }] });
  if (error instanceof InvalidArgument) return problem(400, error.code, error.message, { instance });
  if (isDatabaseUnavailable(error)) return databaseUnavailable(instance);
  if (error instanceof MalformedEvent)
    return problem(500, error.code, 'Stored history for this resource cannot be read; an operator has been alerted.', { instance });
  const fe = error as FastifyError;
  if (isResponseSerializationError(error)) return problem(500, 'INTERNAL_ERROR', 'The server could not produce a valid response.', { instance });
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'BODY_TOO_LARGE', 'The request body is larger than this API accepts.', { instance });
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON with Content-Type: application/json.', { instance });
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && error instanceof SyntaxError)) {
    return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.', { instance });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, fe.code ?? 'BAD_REQUEST', fe.message, { instance });
  }
  return problem(500, 'INTERNAL_ERROR', 'Something went wrong on our side. It has been logged.', { instance });
};

/**
 * The database cannot be reached (restarting, failing over, connections dropped): a passing condition. A command that got
 * this answer may or may not have been recorded, so the advice is to retry with the same Idempotency-Key, which records
 * it at most once.
 */
export const databaseUnavailable = (instance?: string): Problem =>
  problem(
    503,
    'DATABASE_UNAVAILABLE',
    'The database cannot be reached right now; retry shortly. Retry a command with the same Idempotency-Key: it takes effect at most once.',
    instance === undefined ? {} : { instance },
  );

export const sendProblem = (reply: FastifyReply, p: Problem): FastifyReply => {
  if (p.status === 503) reply.header('retry-after', '1');
  const retryAfter = p.details?.retryAfterSeconds;
  if (p.status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.code(p.status).type('application/problem+json').send(p);
};
