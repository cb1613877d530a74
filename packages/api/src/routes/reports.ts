import { Id, RegionId } from '@dms/domain';
import { ordersByStatusAndRegion, revenueByMonth } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition } from '../context';
import { Problem } from '../problems';
import { Money, ReadConsistency } from '../schemas';

export const reportRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { runner } = options.runtime;
    app.get(
      '/reports/orders-by-status',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['reports'],
          summary: 'Order counts and values by region and status',
          querystring: ReadConsistency,
          response: {
            200: z.object({ rows: z.array(z.object({ region: z.string(), status: z.string(), orders: z.number().int(), total: Money })) }),
            503: Problem,
          },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition);
        return { rows: await ordersByStatusAndRegion(runner.db) };
      },
    );
    app.get(
      '/reports/revenue-by-month',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['reports'],
          summary: 'Net invoiced revenue and collections by invoice month',
          querystring: ReadConsistency.extend({ region: RegionId.optional(), partnerId: Id.optional() }),
          response: {
            200: z.object({ rows: z.array(z.object({ month: z.string(), invoices: z.number().int(), revenue: Money, collected: Money })) }),
            503: Problem,
          },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition);
        return { rows: await revenueByMonth(runner.db, request.query) };
      },
    );
  };
