import { Contact, Id, NonEmptyText, NonNegativeMoney, RegionId, Text, TierId } from '@dms/domain';
import { getPartner, listPartners, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, Limit, Money, Page, ReadConsistency } from '../schemas';

const PartnerView = z
  .object({
    partnerId: z.string(),
    name: z.string(),
    region: z.string(),
    tier: z.string(),
    status: z.enum(['active', 'suspended', 'terminated']),
    statusReason: z.string().nullable(),
    creditLimit: Money,
    contacts: z.unknown(),
    onboardedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Partner' });

const Params = z.object({ partnerId: Id });
const errors = { 400: Problem, 404: Problem, 409: Problem };

export const partnerRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();

    app.post(
      '/partners',
      {
        config: { permission: 'partners:write' },
        schema: {
          tags: ['partners'],
          summary: 'Onboard a dealer or distributor',
          body: z.strictObject({
            partnerId: Id,
            name: NonEmptyText(200),
            region: RegionId,
            tier: TierId,
            creditLimit: NonNegativeMoney,
            contacts: z.array(Contact).max(20).optional(),
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const result = orRefuse(
          await bus.execute(
            { type: 'OnboardPartner', data: { ...request.body, contacts: request.body.contacts ?? [], onboardedAt: now() } },
            commandContext(request),
          ),
        );
        return reply201(reply, `/partners/${request.body.partnerId}`, result);
      },
    );

    const action = <B extends z.ZodObject>(
      path: string,
      summary: string,
      body: B,
      toCommand: (partnerId: string, body: z.infer<B>, at: string) => Parameters<typeof bus.execute>[0],
    ) =>
      app.post(
        `/partners/:partnerId/${path}`,
        {
          config: { permission: 'partners:write' },
          schema: { tags: ['partners'], summary, params: Params, body, response: { 200: CommandAccepted, ...errors } },
        },
        async (request) =>
          accepted(orRefuse(await bus.execute(toCommand(request.params.partnerId, request.body as z.infer<B>, now()), commandContext(request)))),
      );

    const Reason = z.strictObject({ reason: NonEmptyText(500) });
    action('suspend', 'Suspend a partner (it can no longer order)', Reason, (partnerId, b, at) => ({
      type: 'SuspendPartner',
      data: { partnerId, reason: b.reason, suspendedAt: at },
    }));
    action('reactivate', 'Reactivate a suspended partner', z.strictObject({}), (partnerId, _b, at) => ({
      type: 'ReactivatePartner',
      data: { partnerId, reactivatedAt: at },
    }));
    action('terminate', 'Terminate a partnership for good', Reason, (partnerId, b, at) => ({
      type: 'TerminatePartner',
      data: { partnerId, reason: b.reason, terminatedAt: at },
    }));
    action(
      'tier',
      'Move a partner to another tier (prices from now on)',
      z.strictObject({ tier: TierId, reason: Text(500).optional() }),
      (partnerId, b, at) => ({
        type: 'ChangePartnerTier',
        data: { partnerId, tier: b.tier, ...(b.reason ? { reason: b.reason } : {}), changedAt: at },
      }),
    );
    action('credit-limit', "Change a partner's credit limit", z.strictObject({ creditLimit: NonNegativeMoney }), (partnerId, b, at) => ({
      type: 'ChangeCreditLimit',
      data: { partnerId, creditLimit: b.creditLimit, changedAt: at },
    }));

    app.get(
      '/partners',
      {
        config: { permission: 'partners:read' },
        schema: {
          tags: ['partners'],
          summary: 'List partners by name',
          querystring: ReadConsistency.extend({
            region: RegionId.optional(),
            status: z.enum(['active', 'suspended', 'terminated']).optional(),
            tier: TierId.optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(PartnerView), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('partners'));
        const scope = partnerScope(request);
        return listPartners(queries.db, { ...request.query, ...(scope !== undefined ? { partnerId: scope } : {}) });
      },
    );

    app.get(
      '/partners/:partnerId',
      {
        config: { permission: 'partners:read' },
        schema: {
          tags: ['partners'],
          summary: 'One partner',
          params: Params,
          querystring: ReadConsistency,
          response: { 200: PartnerView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('partners'));
        const scope = partnerScope(request);
        const partner = scope === undefined || scope === request.params.partnerId ? await getPartner(queries.db, request.params.partnerId) : undefined;
        if (!partner) throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${request.params.partnerId} does not exist.`));
        return partner;
      },
    );
  };
