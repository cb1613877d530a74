import { actorNames, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition, partnerScope } from '../context';
import { Problem } from '../problems';
import { ReadConsistency } from '../schemas';

/** At most this many actors per request: a screen names the few people on it, never a directory. */
const MAX_IDS = 50;
const ActorId = z.string().regex(/^[A-Za-z0-9_.:@-]{1,200}$/, 'an actor id as events record it: user:<id>, key:<id>, jwt:<sub>');

const ActorView = z
  .object({
    id: z.string().describe('The actor id as events record it'),
    name: z.string().nullable().describe("The person's display name or the key's label; null when unknown or not the caller's to know"),
    kind: z.enum(['user', 'key', 'other']),
    role: z.string().nullable().describe('Its role now; null when unnamed'),
  })
  .meta({ id: 'ActorName' });

/**
 * Names for the actor ids that events and statements record (`closedBy`, `approvedBy`, a history's actors), so that a
 * screen shows people, not ids. The manufacturer's people may name anyone; a dealer only its own people and keys (the
 * manufacturer's staff stay unnamed, and an unknown id looks the same). Only the ids asked for: no listing.
 */
export const actorRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;
    app.get(
      '/actors',
      {
        config: { permission: 'account:read' },
        schema: {
          tags: ['access'],
          summary: 'Display names of recorded actors (user:<id>, key:<id>), as far as the caller may know them',
          querystring: ReadConsistency.extend({
            ids: z
              .string()
              .min(1)
              .transform((s) => s.split(','))
              .pipe(z.array(ActorId).min(1).max(MAX_IDS))
              .describe(`Comma-separated actor ids, at most ${MAX_IDS}`),
          }),
          response: { 200: z.object({ items: z.array(ActorView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, ids } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('actors'));
        return { items: await actorNames(queries.db, ids, { partnerId: partnerScope(request) }) };
      },
    );
  };
