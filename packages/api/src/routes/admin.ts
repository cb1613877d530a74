import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../context';
import { databaseUnavailable, HttpProblem, Problem } from '../problems';

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

/** How long a health probe waits for the database before calling it down. */
const PROBE_TIMEOUT_MS = 2000;

export const adminRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { runner } = options.runtime;
    const probe = async () => (await options.runtime.probe(PROBE_TIMEOUT_MS))?.toString() ?? null;

    app.get(
      '/health',
      {
        config: { public: true },
        schema: {
          tags: ['operations'],
          summary: 'Liveness: the process is up (200 even while the database is down: restarting the process would not help)',
          response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['up', 'down']), headPosition: z.string().nullable() }) },
        },
      },
      async () => {
        const head = await probe().then(
          (position) => ({ database: 'up' as const, headPosition: position }),
          () => ({ database: 'down' as const, headPosition: null }),
        );
        return { status: 'ok' as const, ...head };
      },
    );
    app.get(
      '/health/ready',
      {
        config: { public: true },
        schema: {
          tags: ['operations'],
          summary: 'Readiness: the database answers, so requests can be served (503 while it cannot be reached)',
          response: { 200: z.object({ status: z.literal('ready'), headPosition: z.string().nullable() }), 503: Problem },
        },
      },
      async () => {
        try {
          return { status: 'ready' as const, headPosition: await probe() };
        } catch (error) {
          throw new HttpProblem(databaseUnavailable(), { cause: error });
        }
      },
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
