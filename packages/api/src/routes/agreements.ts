import { AgreementTerms, agreementStream, Id, IsoDate, NonEmptyText, NonNegativeMoney, PositiveMoney, SigningParty, Text } from '@dms/domain';
import { streamHistory } from '@dms/eventstore';
import { getAgreement, listAgreements, readModelsOf, reviewQueue, runAgreementCalendar } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, generatedId, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, History, Limit, Page, ReadConsistency } from '../schemas';
import { AgreementDetailView, AgreementSummaryView, CalendarRunView, OrderReviewView } from './agreement-schemas';

const Params = z.object({ agreementId: Id });
const OrderParams = z.object({ orderId: Id });
const errors = { 400: Problem, 404: Problem, 409: Problem };

/**
 * Partnership agreements (draft, propose, sign, activate, amend, terminate, breaches, joint marketing, the registry with
 * expiry warnings) and the queue of orders automated review could not approve. A dealer reads only its own agreements.
 */
export const agreementRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, runner, store, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();
    const today = () => now().slice(0, 10);
    const run = async (request: Parameters<typeof commandContext>[0], command: Parameters<typeof bus.execute>[0]) =>
      orRefuse(await bus.execute(command, commandContext(request)));
    const notFound = (agreementId: string) => new HttpProblem(problem(404, 'AGREEMENT_NOT_FOUND', `Agreement ${agreementId} does not exist.`));

    app.post(
      '/agreements',
      {
        config: { permission: 'agreements:write' },
        schema: {
          tags: ['agreements'],
          summary: 'Draft an agreement with a dealer',
          description:
            'Terms: scope, responsibilities, pricing tier, revenue split, rebate bands, joint-marketing shares, settlement, payment terms, IP and breach clauses.',
          body: z.strictObject({
            agreementId: Id.optional().describe('Chosen by the client, or generated'),
            partnerId: Id,
            title: NonEmptyText(200),
            terms: AgreementTerms,
            effectiveFrom: IsoDate,
            expiresOn: IsoDate,
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const agreementId = request.body.agreementId ?? generatedId(request, 'agr-');
        const result = await run(request, { type: 'DraftAgreement', data: { ...request.body, agreementId, draftedAt: now() } });
        return reply201(reply, `/agreements/${agreementId}`, result);
      },
    );

    const action = <B extends z.ZodType>(
      method: 'post' | 'put',
      path: string,
      summary: string,
      body: B,
      toCommand: (agreementId: string, body: z.infer<B>, at: string, id: (prefix: string) => string) => Parameters<typeof bus.execute>[0],
    ) =>
      app[method](
        `/agreements/:agreementId${path}`,
        {
          config: { permission: 'agreements:write' },
          schema: { tags: ['agreements'], summary, params: Params, body, response: { 200: CommandAccepted, ...errors } },
        },
        async (request) => {
          const { agreementId } = request.params as { agreementId: string };
          return accepted(
            await run(
              request,
              toCommand(agreementId, request.body as z.infer<B>, now(), (prefix) => generatedId(request, prefix)),
            ),
          );
        },
      );

    action(
      'put',
      '/terms',
      'Revise the terms before both parties have signed (signatures given are voided)',
      z.strictObject({ terms: AgreementTerms, effectiveFrom: IsoDate.optional(), expiresOn: IsoDate.optional(), note: Text(500).optional() }),
      (agreementId, b, at) => ({ type: 'ReviseAgreementTerms', data: { ...b, agreementId, revisedAt: at } }),
    );
    action('post', '/propose', 'Propose a draft to the dealer', z.strictObject({}), (agreementId, _b, at) => ({
      type: 'ProposeAgreement',
      data: { agreementId, proposedAt: at },
    }));
    action(
      'post',
      '/sign',
      'Record one party’s signature; signed by both, it goes into force on its effective date',
      z.strictObject({ party: SigningParty, signedBy: NonEmptyText(120) }),
      (agreementId, b, at) => ({ type: 'SignAgreement', data: { ...b, agreementId, signedAt: at } }),
    );
    action(
      'post',
      '/activate',
      'Put a signed agreement in force (on or after its effective date; no overlapping scope)',
      z.strictObject({}),
      (agreementId, _b, at) => ({
        type: 'ActivateAgreement',
        data: { agreementId, activatedAt: at },
      }),
    );
    action(
      'post',
      '/amendments',
      'Amend: version n+1 of the terms from its own effective date, signed by both parties',
      z.strictObject({
        terms: AgreementTerms,
        effectiveFrom: IsoDate,
        expiresOn: IsoDate.optional(),
        reason: NonEmptyText(500),
        signedBy: z.strictObject({ manufacturer: NonEmptyText(120), dealer: NonEmptyText(120) }),
      }),
      (agreementId, b, at) => ({ type: 'AmendAgreement', data: { ...b, agreementId, amendedAt: at } }),
    );
    action(
      'post',
      '/terminate',
      'Terminate with a reason; frees its scope from the next day',
      z.strictObject({ reason: NonEmptyText(500) }),
      (agreementId, b, at) => ({
        type: 'TerminateAgreement',
        data: { agreementId, reason: b.reason, terminatedAt: at },
      }),
    );
    action(
      'post',
      '/breaches',
      'Record a breach of a breach clause; the penalty goes to the dealer’s settlement',
      z.strictObject({
        breachId: Id.optional(),
        clauseId: Id,
        breachingParty: SigningParty,
        description: NonEmptyText(2000),
        occurredOn: IsoDate,
        penalty: NonNegativeMoney.optional().describe('Defaults to the clause penalty; may be lower, never higher'),
      }),
      (agreementId, b, at, id) => ({ type: 'RecordAgreementBreach', data: { ...b, agreementId, breachId: b.breachId ?? id('br-'), recordedAt: at } }),
    );
    action(
      'post',
      '/marketing-spend',
      'Record joint-marketing spend, shared by the agreement’s cost-sharing ratio',
      z.strictObject({ spendId: Id.optional(), description: NonEmptyText(500), amount: PositiveMoney, paidBy: SigningParty, spentOn: IsoDate }),
      (agreementId, b, at, id) => ({ type: 'RecordJointMarketingSpend', data: { ...b, agreementId, spendId: b.spendId ?? id('jm-'), recordedAt: at } }),
    );

    app.post(
      '/agreements/calendar',
      {
        config: { permission: 'agreements:write' },
        schema: {
          tags: ['agreements'],
          summary: 'Activate agreements whose effective date has come and expire those past their last day (run daily)',
          body: z.strictObject({ asOf: IsoDate.optional().describe('Defaults to today') }),
          response: { 200: CalendarRunView, 400: Problem },
        },
      },
      async (request) => {
        const asOf = request.body.asOf ?? today();
        const result = await runAgreementCalendar(runner.db, bus, asOf, request.principal);
        return {
          asOf,
          ...result,
          refused: result.refused.map((r) => ({ agreementId: r.agreementId, action: r.action, code: r.error.code, message: r.error.message })),
        };
      },
    );

    app.get(
      '/agreements',
      {
        config: { permission: 'agreements:read' },
        schema: {
          tags: ['agreements'],
          summary: 'The agreement registry, by expiry; expiringWithinDays lists those in force ending within 30, 60 or 90 days',
          querystring: ReadConsistency.extend({
            partnerId: Id.optional(),
            status: z.enum(['draft', 'proposed', 'signed', 'active', 'expired', 'terminated']).optional(),
            expiringWithinDays: z.coerce
              .number()
              .int()
              .refine((d) => [30, 60, 90].includes(d), 'must be 30, 60 or 90')
              .optional(),
            asOf: IsoDate.optional().describe('Today, for expiry; defaults to today'),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(AgreementSummaryView), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('agreements'));
        const scope = partnerScope(request);
        return listAgreements(queries.db, {
          ...request.query,
          asOf: request.query.asOf ?? today(),
          ...(scope !== undefined ? { partnerId: scope } : {}),
        });
      },
    );

    app.get(
      '/agreements/:agreementId',
      {
        config: { permission: 'agreements:read' },
        schema: {
          tags: ['agreements'],
          summary: 'One agreement with every version (earlier versions stay readable) and its breaches',
          params: Params,
          querystring: ReadConsistency.extend({ asOf: IsoDate.optional() }),
          response: { 200: AgreementDetailView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('agreements'));
        const agreement = await getAgreement(queries.db, request.params.agreementId, { partnerId: partnerScope(request), asOf: request.query.asOf ?? today() });
        if (!agreement) throw notFound(request.params.agreementId);
        return agreement;
      },
    );

    app.get(
      '/agreements/:agreementId/history',
      {
        config: { permission: 'agreements:read' },
        schema: {
          tags: ['agreements', 'audit'],
          summary: 'Every event of an agreement: who, when, why, with the hash chain verified',
          params: Params,
          response: { 200: History, 404: Problem },
        },
      },
      async (request) => {
        const history = await streamHistory(store, agreementStream(request.params.agreementId));
        const scope = partnerScope(request);
        const owner = (history.entries[0]?.data as { partnerId?: string } | undefined)?.partnerId;
        if (history.entries.length === 0 || (scope !== undefined && owner !== scope)) throw notFound(request.params.agreementId);
        return { streamId: history.streamId, verified: history.verification.ok, problems: [...history.verification.problems], entries: [...history.entries] };
      },
    );

    // The review queue: orders automated review could not approve, for a person to decide.

    app.get(
      '/review-queue',
      {
        config: { permission: 'orders:write' },
        schema: {
          tags: ['orders'],
          summary: 'Orders waiting for review, oldest first, with every reason and the dealer’s credit',
          description: 'status=approved lists what automated review (automatic=true) or a person approved, and so on.',
          querystring: ReadConsistency.extend({
            status: z.enum(['pending', 'queued', 'approved', 'rejected', 'cancelled']).optional(),
            partnerId: Id.optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(OrderReviewView), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('order-reviews'));
        const scope = partnerScope(request);
        return reviewQueue(queries.db, { ...request.query, ...(scope !== undefined ? { partnerId: scope } : {}) });
      },
    );

    app.post(
      '/review-queue/:orderId/approve',
      {
        config: { permission: 'orders:write' },
        schema: {
          tags: ['orders'],
          summary: 'Approve a queued order; it takes its credit first (beyond the limit only with overrideCreditLimit)',
          params: OrderParams,
          body: z.strictObject({ note: Text(500).optional(), overrideCreditLimit: z.boolean().optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          await run(request, {
            type: 'ApproveQueuedOrder',
            data: {
              orderId: request.params.orderId,
              approvedAt: now(),
              overrideCreditLimit: request.body.overrideCreditLimit ?? false,
              ...(request.body.note ? { note: request.body.note } : {}),
            },
          }),
        ),
    );

    app.post(
      '/review-queue/:orderId/reject',
      {
        config: { permission: 'orders:write' },
        schema: {
          tags: ['orders'],
          summary: 'Reject a queued order, with the reason',
          params: OrderParams,
          body: z.strictObject({ reason: NonEmptyText(500) }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(await run(request, { type: 'RejectOrder', data: { orderId: request.params.orderId, reason: request.body.reason, rejectedAt: now() } })),
    );
  };
