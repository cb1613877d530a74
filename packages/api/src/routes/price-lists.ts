import { Id, IsoDateTime, PriceVersionContent, TierId } from '@dms/domain';
import { getPartner, listPriceListVersions, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Money, ReadConsistency } from '../schemas';

const PriceListVersion = z
  .object({
    listKind: z.enum(['tier', 'dealer']),
    listId: z.string().describe('The tier, or the dealer (partner id)'),
    versionId: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable().describe('Exclusive; null while open-ended'),
    currency: z.string(),
    publishedAt: z.string(),
    endedAt: z.string().nullable(),
    supersededBy: z.string().nullable(),
    prices: z.array(
      z.object({
        sku: z.string(),
        unitPrice: Money,
        breaks: z.array(z.object({ minQuantity: z.number().int(), unitPrice: Money })),
      }),
    ),
  })
  .meta({ id: 'PriceListVersion' });

const VersionQuery = ReadConsistency.extend({
  at: IsoDateTime.optional().describe('Only the version in force at this instant'),
  sku: Id.optional().describe('Only the prices of this SKU'),
});
const errors = { 400: Problem, 404: Problem, 409: Problem };
const EndBody = z.strictObject({ validTo: IsoDateTime.describe('Exclusive; not before now') });

/**
 * Dated price-list versions with quantity breaks (docs/pricing.md): a tier's (`/price-lists/{tier}/versions`) and a dealer's
 * own (`/partners/{partnerId}/price-list/versions`), used for that dealer only where its agreement says `dealerPrices`.
 * A dealer reads its own tier's and its own list; another's answers 404.
 */
export const priceListRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();

    app.post(
      '/price-lists/:tier/versions',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: "Publish a dated version of a tier's price list, with quantity breaks (starts now at the earliest)",
          params: z.object({ tier: TierId }),
          body: PriceVersionContent,
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) =>
        reply201(
          reply,
          `/price-lists/${request.params.tier}/versions?at=${encodeURIComponent(request.body.validFrom)}`,
          orRefuse(
            await bus.execute(
              { type: 'PublishPriceListVersion', data: { ...request.body, tier: request.params.tier, publishedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.post(
      '/price-lists/:tier/versions/:versionId/end',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'Bring the end of a tier price-list version forward (to now at the earliest)',
          params: z.object({ tier: TierId, versionId: Id }),
          body: EndBody,
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              {
                type: 'EndPriceListVersion',
                data: { tier: request.params.tier, versionId: request.params.versionId, validTo: request.body.validTo, endedAt: now() },
              },
              commandContext(request),
            ),
          ),
        ),
    );

    app.get(
      '/price-lists/:tier/versions',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['catalogue'],
          summary: "The dated versions of a tier's price list, oldest first (a dealer: its own tier only)",
          params: z.object({ tier: TierId }),
          querystring: VersionQuery,
          response: { 200: z.object({ items: z.array(PriceListVersion) }), 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('price-lists', 'partners'));
        const scope = partnerScope(request);
        if (scope !== undefined) {
          const partner = await getPartner(queries.db, scope);
          if (partner?.tier !== request.params.tier)
            throw new HttpProblem(problem(404, 'PRICE_LIST_NOT_FOUND', `There is no price list ${request.params.tier} for you to read.`));
        }
        return {
          items: await listPriceListVersions(queries.db, { listKind: 'tier', listId: request.params.tier, at: request.query.at, sku: request.query.sku }),
        };
      },
    );

    app.post(
      '/partners/:partnerId/price-list/versions',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: "Publish a dated version of a dealer's own prices (used where its agreement says dealerPrices)",
          params: z.object({ partnerId: Id }),
          body: PriceVersionContent,
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) =>
        reply201(
          reply,
          `/partners/${request.params.partnerId}/price-list/versions?at=${encodeURIComponent(request.body.validFrom)}`,
          orRefuse(
            await bus.execute(
              { type: 'PublishDealerPriceListVersion', data: { ...request.body, partnerId: request.params.partnerId, publishedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.post(
      '/partners/:partnerId/price-list/versions/:versionId/end',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'Bring the end of a dealer price-list version forward (to now at the earliest)',
          params: z.object({ partnerId: Id, versionId: Id }),
          body: EndBody,
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              {
                type: 'EndDealerPriceListVersion',
                data: { partnerId: request.params.partnerId, versionId: request.params.versionId, validTo: request.body.validTo, endedAt: now() },
              },
              commandContext(request),
            ),
          ),
        ),
    );

    app.get(
      '/partners/:partnerId/price-list/versions',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['catalogue'],
          summary: "The dated versions of a dealer's own price list, oldest first (a dealer: its own only)",
          params: z.object({ partnerId: Id }),
          querystring: VersionQuery,
          response: { 200: z.object({ items: z.array(PriceListVersion) }), 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('price-lists'));
        const scope = partnerScope(request);
        if (scope !== undefined && scope !== request.params.partnerId)
          throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${request.params.partnerId} does not exist.`));
        return {
          items: await listPriceListVersions(queries.db, {
            listKind: 'dealer',
            listId: request.params.partnerId,
            at: request.query.at,
            sku: request.query.sku,
          }),
        };
      },
    );
  };
