import { Id, NonEmptyText, Text } from '@dms/domain';
import { listApiKeys, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { prepareApiKey } from '../auth/keys';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse } from '../context';
import { Problem } from '../problems';
import { CommandAccepted, ReadConsistency } from '../schemas';

const errors = { 400: Problem, 404: Problem, 409: Problem };

const ApiKeyView = z
  .object({
    keyId: z.string(),
    name: z.string(),
    role: z.string(),
    partnerId: z.string().nullable(),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

/** API keys over HTTP, for admins: create (the token is shown once), list (never a secret or hash), revoke (401 from the next request). */
export const apiKeyRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))();

    app.post(
      '/api-keys',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Create an API key: the bearer token is in this answer and never again (only its hash is stored)',
          body: z.strictObject({
            name: NonEmptyText(120),
            role: z.enum(['admin', 'sales', 'finance', 'auditor', 'dealer']),
            partnerId: Id.optional().describe('For a dealer key: the partner it acts for'),
          }),
          response: {
            201: CommandAccepted.extend({
              keyId: z.string(),
              token: z.string().describe('Authorization: Bearer <token>. Shown once.'),
              name: z.string(),
              role: z.string(),
              partnerId: z.string().nullable(),
            }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { keyId, token, command } = prepareApiKey(request.body, now());
        const result = orRefuse(await bus.execute(command, { ...commandContext(request), commandId: `issue-key-${keyId}` }));
        return reply
          .code(201)
          .header('location', `/api-keys/${keyId}`)
          .send({ ...accepted(result), keyId, token, name: request.body.name, role: request.body.role, partnerId: request.body.partnerId ?? null });
      },
    );

    app.get(
      '/api-keys',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Every API key, newest first, revoked ones included (never a secret or its hash)',
          querystring: ReadConsistency,
          response: { 200: z.object({ items: z.array(ApiKeyView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('access'));
        return { items: await listApiKeys(queries.db) };
      },
    );

    app.post(
      '/api-keys/:keyId/revoke',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Revoke an API key: requests with it answer 401 from the next one on, whatever the projections’ lag',
          params: z.strictObject({ keyId: Id }),
          body: z.strictObject({ reason: Text(500).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { keyId } = request.params;
        const data = { keyId, ...(request.body.reason ? { reason: request.body.reason } : {}), revokedAt: now().toISOString() };
        return accepted(orRefuse(await bus.execute({ type: 'RevokeApiKey', data }, commandContext(request))));
      },
    );
  };
