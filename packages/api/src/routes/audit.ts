import { RawText } from '@dms/domain';
import { streamHistory, verifyStore } from '@dms/eventstore';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { History } from '../schemas';

const StreamId = RawText(256)
  .min(1)
  .regex(/^[^$]/, 'stream ids starting with "$" belong to the store')
  .describe('Any stream: order-<id>, stock-<warehouse>.<sku>, agreement-<id>, settlement-<partner>.<period>...');

const Verification = z
  .object({
    ok: z.boolean().describe('True when every hash chain holds and every event matches its schema'),
    streams: z.number().int(),
    events: z.number().int(),
    problemCount: z.number().int(),
    problems: z.array(
      z.object({
        streamId: z.string(),
        kind: z.string().describe('version_gap, broken_link, altered or undecodable'),
        streamVersion: z.number().int().nullable(),
        detail: z.string(),
      }),
    ),
    categories: z.array(z.object({ category: z.string(), streams: z.number().int(), events: z.number().int(), problems: z.number().int() })),
    rootHash: z.string().describe('SHA-256 over every stream head read: equal root hashes mean the same history'),
    position: z.string().nullable().describe('The last global position read'),
    verifiedAt: z.string(),
  })
  .meta({ id: 'StoreVerification' });

/** What auditors read beyond each resource's own history: any stream, and the whole store verified in one pass. */
export const auditRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = options.runtime;
    app.get(
      '/audit/streams/:streamId',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'Every event of any stream: who, when, why, with the hash chain verified',
          params: z.strictObject({ streamId: StreamId }),
          response: { 200: History, 404: Problem },
        },
      },
      async (request) => {
        const history = await streamHistory(store, request.params.streamId);
        if (history.entries.length === 0) throw new HttpProblem(problem(404, 'STREAM_NOT_FOUND', `Stream ${request.params.streamId} has no events.`));
        return { streamId: history.streamId, verified: history.verification.ok, problems: [...history.verification.problems], entries: [...history.entries] };
      },
    );
    app.get(
      '/audit/verification',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'Verifies every stream (or those under a prefix) in one pass: hash chains and event schemas',
          description:
            'Reads the whole store (or the streams under `streamPrefix`) through `$all`. Cutting events off the end of a stream, or deleting a stream whole, leaves sound chains: compare `rootHash` with an earlier one, or keep anchors with `dms audit verify --save-anchor` and verify against them.',
          querystring: z.strictObject({
            streamPrefix: StreamId.optional().describe('Only streams whose id starts with this, e.g. order-'),
            limit: z.coerce.number().int().min(1).max(1000).optional().describe('Problems listed, at most (default 100); problemCount counts all'),
          }),
          response: { 200: Verification },
        },
      },
      async (request) => {
        const { streamPrefix, limit } = request.query;
        const verifiedAt = new Date();
        const result = await verifyStore(store, { ...(streamPrefix ? { streamPrefix } : {}), maxProblems: limit ?? 100, now: verifiedAt });
        return {
          ok: result.ok,
          streams: result.streams,
          events: result.events,
          problemCount: result.problemCount,
          problems: [...result.problems],
          categories: [...result.categories],
          rootHash: result.anchor.rootHash,
          position: result.anchor.position,
          verifiedAt: verifiedAt.toISOString(),
        };
      },
    );
  };
