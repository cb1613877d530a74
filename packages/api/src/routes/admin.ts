import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../context';

const ProjectionStatus = z.object({
  name: z.string(),
  version: z.number().int(),
  position: z.string().nullable(),
  headPosition: z.string().nullable(),
  behind: z.number().int(),
  behindCapped: z.boolean(),
  updatedAt: z.string().nullable(),
  state: z.enum(['live', 'stopped', 'failing']),
  lastError: z.string().nullable(),
});

export const adminRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { runner, store } = options.runtime;
    app.get(
      '/health',
      {
        config: { public: true },
        schema: {
          tags: ['operations'],
          summary: 'Liveness: the event store answers',
          response: { 200: z.object({ status: z.literal('ok'), headPosition: z.string().nullable() }) },
        },
      },
      async () => ({ status: 'ok' as const, headPosition: (await store.headPosition())?.toString() ?? null }),
    );
    app.get(
      '/projections',
      {
        config: { permission: 'operations:read' },
        schema: { tags: ['operations'], summary: 'Projection checkpoints and lag', response: { 200: z.object({ projections: z.array(ProjectionStatus) }) } },
      },
      async () => ({ projections: (await runner.status()).map((s) => ({ ...s, updatedAt: s.updatedAt?.toISOString() ?? null })) }),
    );
  };
