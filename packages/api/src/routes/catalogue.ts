import { BasisPoints, Id, NonEmptyText, NonNegativeMoney, Sku, TaxCategory, Text, TierId, Unit } from '@dms/domain';
import { getPartner, listProducts, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, Limit, Money, Page, ReadConsistency } from '../schemas';

const ProductView = z
  .object({
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    unit: z.string(),
    listPrice: Money,
    discontinued: z.boolean(),
    tierPrice: z
      .object({ unitPrice: Money, discountBps: z.number().int() })
      .optional()
      .describe("What the requested tier pays (a dealer: its own tier's price, whatever it asks)"),
  })
  .meta({ id: 'Product' });

const errors = { 400: Problem, 404: Problem, 409: Problem };

export const catalogueRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();

    app.post(
      '/products',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'Register a product in the catalogue',
          body: z.strictObject({
            sku: Sku,
            name: NonEmptyText(200),
            category: Id,
            unit: Unit,
            listPrice: NonNegativeMoney,
            taxCategory: TaxCategory.optional().describe('How the product is taxed (docs/tax.md); standard when left out'),
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) =>
        reply201(
          reply,
          `/products/${request.body.sku}`,
          orRefuse(await bus.execute({ type: 'RegisterProduct', data: { ...request.body, registeredAt: now() } }, commandContext(request))),
        ),
    );

    app.post(
      '/products/:sku/list-price',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'Change the list price (placed orders keep their price)',
          params: z.object({ sku: Sku }),
          body: z.strictObject({ listPrice: NonNegativeMoney }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'ChangeListPrice', data: { sku: request.params.sku, listPrice: request.body.listPrice, changedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.post(
      '/products/:sku/discontinue',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'Discontinue a product (it can no longer be ordered)',
          params: z.object({ sku: Sku }),
          body: z.strictObject({ reason: Text(500).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              {
                type: 'DiscontinueProduct',
                data: { sku: request.params.sku, ...(request.body.reason ? { reason: request.body.reason } : {}), discontinuedAt: now() },
              },
              commandContext(request),
            ),
          ),
        ),
    );

    app.put(
      '/price-lists/:tier/discount',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: "Set a tier's discount off list prices (basis points: 1000 = 10 %)",
          params: z.object({ tier: TierId }),
          body: z.strictObject({ discountBps: BasisPoints }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'SetTierDiscount', data: { tier: request.params.tier, discountBps: request.body.discountBps, setAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.put(
      '/price-lists/:tier/prices/:sku',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: "Set a tier's own price for a SKU (replaces list price and tier discount)",
          params: z.object({ tier: TierId, sku: Sku }),
          body: z.strictObject({ unitPrice: NonNegativeMoney }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'SetTierPrice', data: { tier: request.params.tier, sku: request.params.sku, unitPrice: request.body.unitPrice, setAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.delete(
      '/price-lists/:tier/prices/:sku',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: "Remove a tier's own price for a SKU",
          params: z.object({ tier: TierId, sku: Sku }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'RemoveTierPrice', data: { tier: request.params.tier, sku: request.params.sku, removedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.get(
      '/products',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['catalogue'],
          summary: "The catalogue, priced for a tier (a dealer: always its own tier's prices)",
          querystring: ReadConsistency.extend({
            category: Id.optional(),
            tier: TierId.optional().describe("Staff only; a dealer always gets its own tier's prices, whatever it asks"),
            includeDiscontinued: z.stringbool().optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(ProductView), 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('catalogue', 'partners'));
        const scope = partnerScope(request);
        if (scope === undefined) return listProducts(queries.db, request.query);
        const partner = await getPartner(queries.db, scope);
        if (!partner) throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${scope} does not exist.`));
        return listProducts(queries.db, { ...request.query, tier: partner.tier });
      },
    );
  };
