import { Currency, Id, IsoDateTime, NonEmptyText, PositiveMoney, PromotionBenefit, PromotionTarget } from '@dms/domain';
import { getPartner, getPromotion, listPromotions, type PromotionView, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Money, ReadConsistency } from '../schemas';

const Promotion = z
  .object({
    promotionId: z.string(),
    name: z.string(),
    validFrom: z.string(),
    validTo: z.string().describe('Exclusive: the stated end'),
    endedAt: z.string().nullable().describe('When it was ended early; null otherwise'),
    endReason: z.string().nullable(),
    currency: z.string(),
    target: PromotionTarget,
    benefit: PromotionBenefit,
    budget: Money,
    consumed: Money.describe('Budget used by the orders holding it'),
    remaining: Money,
    createdAt: z.string(),
  })
  .meta({ id: 'Promotion' });

const PromotionDetail = Promotion.extend({
  orders: z
    .array(z.object({ orderId: z.string(), amount: Money, consumedAt: z.string() }))
    .describe('The orders holding part of the budget, oldest first (empty for a dealer)'),
}).meta({ id: 'PromotionDetail' });

const CreateBody = z.strictObject({
  promotionId: Id,
  name: NonEmptyText(120),
  validFrom: IsoDateTime,
  validTo: IsoDateTime.describe('Exclusive'),
  currency: Currency,
  target: PromotionTarget,
  benefit: PromotionBenefit,
  budget: PositiveMoney.describe('The most the promotion gives away over every order'),
});
const errors = { 400: Problem, 404: Problem, 409: Problem };

/**
 * Promotions (docs/pricing.md): created and ended by catalogue staff; read by everyone with `catalogue:read`, a dealer
 * seeing only those that target it (its tier, region and id), without the other orders holding their budgets.
 */
export const promotionRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();

    /** Whether a dealer may see a promotion: every dealer dimension of its target includes the dealer. */
    const visibleTo = async (partnerId: string | undefined) => {
      if (partnerId === undefined) return () => true;
      const partner = await getPartner(queries.db, partnerId);
      return (p: PromotionView) =>
        partner !== undefined &&
        (p.target.tiers === undefined || p.target.tiers.includes(partner.tier)) &&
        (p.target.regions === undefined || p.target.regions.includes(partner.region)) &&
        (p.target.partnerIds === undefined || p.target.partnerIds.includes(partnerId));
    };

    app.post(
      '/promotions',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'Create a promotion with its target, benefit and budget',
          body: CreateBody,
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) =>
        reply201(
          reply,
          `/promotions/${request.body.promotionId}`,
          orRefuse(await bus.execute({ type: 'CreatePromotion', data: { ...request.body, createdAt: now() } }, commandContext(request))),
        ),
    );

    app.post(
      '/promotions/:promotionId/end',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: 'End a promotion now: orders placed from now on do not get it',
          params: z.object({ promotionId: Id }),
          body: z.strictObject({ reason: NonEmptyText(500) }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'EndPromotion', data: { promotionId: request.params.promotionId, reason: request.body.reason, endedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.get(
      '/promotions',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['catalogue'],
          summary: 'The promotions, newest first, with budget used and left (a dealer: those that target it)',
          querystring: ReadConsistency.extend({ active: IsoDateTime.optional().describe('Only those in force at this instant') }),
          response: { 200: z.object({ items: z.array(Promotion) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('promotions', 'partners'));
        const visible = await visibleTo(partnerScope(request));
        return { items: (await listPromotions(queries.db, { active: request.query.active })).filter(visible) };
      },
    );

    app.get(
      '/promotions/:promotionId',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['catalogue'],
          summary: 'One promotion, with the orders holding its budget',
          params: z.object({ promotionId: Id }),
          querystring: ReadConsistency,
          response: { 200: PromotionDetail, 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('promotions', 'partners'));
        const scope = partnerScope(request);
        const found = await getPromotion(queries.db, request.params.promotionId);
        if (!found || !(await visibleTo(scope))(found))
          throw new HttpProblem(problem(404, 'PROMOTION_NOT_FOUND', `There is no promotion ${request.params.promotionId}.`));
        return scope === undefined ? found : { ...found, orders: [] };
      },
    );
  };
