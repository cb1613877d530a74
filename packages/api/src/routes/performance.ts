import { ActionOwner, ActionStatus, Id, IsoDate, NonEmptyText, PeriodId, PositiveMoney, RawText, Text } from '@dms/domain';
import {
  getCommissionStatement,
  getReview,
  getScorecard,
  listCommissionStatements,
  listReviews,
  listScorecards,
  overdueActions,
  readModelsOf,
} from '@dms/projections';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Permission } from '../auth/permissions';
import { type ApiOptions, accepted, awaitPosition, commandContext, generatedId, orRefuse, partnerScope } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, ReadConsistency } from '../schemas';
import {
  CommissionStatementDetailView,
  CommissionStatementView,
  ImprovementActionView,
  ReviewDetailView,
  ReviewView,
  ScorecardView,
} from './performance-schemas';
import { statementStepRoutes } from './statement-steps';

const ReviewParams = z.object({ partnerId: Id, period: PeriodId });
const StatementParams = z.object({ agentId: Id, period: PeriodId });
const errors = { 400: Problem, 404: Problem, 409: Problem };

/**
 * Dealer performance: scorecards ranked within region and tier, reviews with the manufacturer's assessment, the dealer's
 * feedback, meetings, improvement actions and the recommendation's decision, the overdue queue, order plans; and sales
 * agents' commission statements. A dealer reads only its own scorecards and reviews (another dealer's answers 404), gives
 * feedback on its own reviews, updates the actions it owns and files its own plans; it never sees commission statements.
 */
export const performanceRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();
    const scoped = (request: FastifyRequest, partnerId: string) => {
      const scope = partnerScope(request);
      if (scope !== undefined && scope !== partnerId)
        throw new HttpProblem(problem(404, 'REVIEW_NOT_FOUND', `There is no review of ${partnerId} for you to see.`));
    };
    const scopeFilter = (request: FastifyRequest) => {
      const scope = partnerScope(request);
      return scope !== undefined ? { partnerId: scope } : {};
    };

    app.get(
      '/performance/scorecards',
      {
        config: { permission: 'performance:read' },
        schema: {
          tags: ['performance'],
          summary: 'Scorecards of closed periods, ranked within region and tier (a dealer sees its own, with its rank)',
          querystring: ReadConsistency.extend({ period: PeriodId.optional(), partnerId: Id.optional(), region: Id.optional(), tier: Id.optional() }),
          response: { 200: z.object({ items: z.array(ScorecardView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('performance'));
        return { items: await listScorecards(queries.db, { ...request.query, ...scopeFilter(request) }) };
      },
    );

    app.get(
      '/performance/scorecards/:partnerId/:period',
      {
        config: { permission: 'performance:read' },
        schema: {
          tags: ['performance'],
          summary: 'One dealer’s scorecard for a closed period: every KPI, goal attainment, criterion score, grade and rank',
          params: ReviewParams,
          querystring: ReadConsistency,
          response: { 200: ScorecardView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('performance'));
        const { partnerId, period } = request.params;
        scoped(request, partnerId);
        const card = await getScorecard(queries.db, partnerId, period);
        if (!card)
          throw new HttpProblem(problem(404, 'SCORECARD_NOT_FOUND', `${partnerId} has no scorecard for ${period}: it is recorded when the period closes.`));
        return card;
      },
    );

    app.get(
      '/performance/reviews',
      {
        config: { permission: 'performance:read' },
        schema: {
          tags: ['performance'],
          summary: 'Performance reviews, latest period first (a dealer sees its own)',
          querystring: ReadConsistency.extend({
            partnerId: Id.optional(),
            period: PeriodId.optional(),
            status: z.enum(['open', 'completed']).optional(),
            reviewer: RawText(128).optional(),
          }),
          response: { 200: z.object({ items: z.array(ReviewView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('performance'));
        return { items: await listReviews(queries.db, { ...request.query, ...scopeFilter(request) }) };
      },
    );

    app.get(
      '/performance/reviews/:partnerId/:period',
      {
        config: { permission: 'performance:read' },
        schema: {
          tags: ['performance'],
          summary: 'One review with its scorecard, assessment, the dealer’s feedback, meetings and improvement actions',
          params: ReviewParams,
          querystring: ReadConsistency,
          response: { 200: ReviewDetailView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('performance'));
        const { partnerId, period } = request.params;
        scoped(request, partnerId);
        const review = await getReview(queries.db, partnerId, period);
        if (!review)
          throw new HttpProblem(problem(404, 'REVIEW_NOT_FOUND', `There is no ${period} review of ${partnerId}: a review opens when the period closes.`));
        return review;
      },
    );

    app.get(
      '/performance/actions/overdue',
      {
        config: { permission: 'performance:read' },
        schema: {
          tags: ['performance'],
          summary: 'The reviewer’s queue: improvement actions still open past their due date, most overdue first',
          querystring: ReadConsistency.extend({ asOf: IsoDate.optional().describe('Defaults to today'), partnerId: Id.optional() }),
          response: { 200: z.object({ asOf: z.string(), items: z.array(ImprovementActionView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('performance'));
        const asOf = request.query.asOf ?? now().slice(0, 10);
        return { asOf, items: await overdueActions(queries.db, asOf, { ...request.query, ...scopeFilter(request) }) };
      },
    );

    /** A command on one review: a dealer may only act on its own (another dealer's review answers 404). */
    const reviewStep = <B extends z.ZodType>(
      path: string,
      permission: Permission,
      summary: string,
      body: B,
      toCommand: (
        p: z.infer<typeof ReviewParams> & { actionId?: string },
        b: z.infer<B>,
        at: string,
        by: FastifyRequest['principal'],
        id: (prefix: string) => string,
      ) => Parameters<typeof bus.execute>[0],
      params: z.ZodObject = ReviewParams,
    ) =>
      app.post(
        `/performance/reviews/:partnerId/:period${path}`,
        { config: { permission }, schema: { tags: ['performance'], summary, params, body, response: { 200: CommandAccepted, ...errors } } },
        async (request) => {
          const p = request.params as z.infer<typeof ReviewParams> & { actionId?: string };
          scoped(request, p.partnerId);
          return accepted(
            orRefuse(
              await bus.execute(
                toCommand(p, request.body as z.infer<B>, now(), request.principal, (prefix) => generatedId(request, prefix)),
                commandContext(request),
              ),
            ),
          );
        },
      );

    reviewStep('/reviewer', 'performance:write', 'Assign the review to a reviewer', z.strictObject({ reviewer: NonEmptyText(128) }), (p, b, at, by) => ({
      type: 'AssignReviewer',
      data: { ...p, reviewer: b.reviewer, by, assignedAt: at },
    }));
    reviewStep(
      '/assessment',
      'performance:write',
      'Record the manufacturer’s assessment (again: it replaces the earlier one, which stays in the history)',
      z.strictObject({ summary: NonEmptyText(4000), strengths: Text(4000).optional(), improvements: Text(4000).optional() }),
      (p, b, at, by) => ({ type: 'RecordAssessment', data: { ...p, ...b, by, assessedAt: at } }),
    );
    reviewStep(
      '/feedback',
      'performance:respond',
      'The dealer’s own feedback on its review (only the dealer itself gives it)',
      z.strictObject({ feedbackId: Id.optional(), text: NonEmptyText(4000) }),
      (p, b, at, by, id) => ({ type: 'SubmitDealerFeedback', data: { ...p, feedbackId: b.feedbackId ?? id(''), text: b.text, by, submittedAt: at } }),
    );
    reviewStep(
      '/meetings',
      'performance:write',
      'Record a review meeting once held: date, attendees, minutes',
      z.strictObject({ meetingId: Id.optional(), heldOn: IsoDate, attendees: z.array(NonEmptyText(120)).min(1).max(30), minutes: NonEmptyText(20_000) }),
      (p, b, at, by, id) => ({ type: 'RecordReviewMeeting', data: { ...p, ...b, meetingId: b.meetingId ?? id(''), by, recordedAt: at } }),
    );
    reviewStep(
      '/actions',
      'performance:write',
      'Agree an improvement action: owner, due date; followed up in the next review until done or dropped',
      z.strictObject({ actionId: Id.optional(), title: NonEmptyText(200), description: Text(4000).optional(), owner: ActionOwner, dueOn: IsoDate }),
      (p, b, at, by, id) => ({ type: 'AddImprovementAction', data: { ...p, ...b, actionId: b.actionId ?? id(''), by, addedAt: at } }),
    );
    reviewStep(
      '/actions/:actionId',
      'performance:respond',
      'Move an action on, or record progress on it (a dealer updates the actions it owns)',
      z.strictObject({ status: ActionStatus, note: NonEmptyText(2000) }),
      (p, b, at, by) => ({
        type: 'UpdateImprovementAction',
        data: { partnerId: p.partnerId, period: p.period, actionId: p.actionId!, ...b, by, updatedAt: at },
      }),
      ReviewParams.extend({ actionId: Id }),
    );
    reviewStep(
      '/recommendation',
      'performance:write',
      'Accept or reject the review’s recommendation (a rejection says why); accepting a promotion or demotion changes the dealer’s tier',
      z.strictObject({ decision: z.enum(['accept', 'reject']), note: Text(1000).optional() }),
      (p, b, at, by) => ({ type: 'DecideRecommendation', data: { ...p, ...b, by, decidedAt: at } }),
    );
    reviewStep(
      '/complete',
      'performance:write',
      'Complete the review: assessed, recommendation decided, carried actions followed up',
      z.strictObject({}),
      (p, _b, at, by) => ({
        type: 'CompleteReview',
        data: { ...p, by, completedAt: at },
      }),
    );

    app.post(
      '/performance/plans/:partnerId/:period',
      {
        config: { permission: 'performance:respond' },
        schema: {
          tags: ['performance'],
          summary: 'File the dealer’s order plan for a period before it starts: forecast accuracy is measured against it',
          params: ReviewParams,
          body: z.strictObject({ planned: PositiveMoney, note: Text(1000).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        scoped(request, request.params.partnerId);
        const command = { type: 'FileOrderPlan' as const, data: { ...request.params, ...request.body, by: request.principal, filedAt: now() } };
        return accepted(orRefuse(await bus.execute(command, commandContext(request))));
      },
    );

    app.get(
      '/commissions',
      {
        config: { permission: 'commissions:read' },
        schema: {
          tags: ['performance'],
          summary: 'Sales agents’ commission statements, latest period first',
          querystring: ReadConsistency.extend({
            agentId: Id.optional(),
            status: z.enum(['open', 'closed', 'approved', 'paid']).optional(),
            period: PeriodId.optional(),
          }),
          response: { 200: z.object({ items: z.array(CommissionStatementView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('commissions'));
        return { items: await listCommissionStatements(queries.db, request.query) };
      },
    );

    app.get(
      '/commissions/:agentId/:period',
      {
        config: { permission: 'commissions:read' },
        schema: {
          tags: ['performance'],
          summary: 'One commission statement with its lines (clawbacks on credit notes) and how it reconciles to the split ledger',
          params: StatementParams,
          querystring: ReadConsistency,
          response: { 200: CommissionStatementDetailView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('commissions'));
        const { agentId, period } = request.params;
        const statement = await getCommissionStatement(queries.db, agentId, period);
        if (!statement) throw new HttpProblem(problem(404, 'STATEMENT_NOT_FOUND', `Sales agent ${agentId} has no commission statement for ${period}.`));
        return statement;
      },
    );

    statementStepRoutes(app, options, {
      path: '/commissions/:agentId/:period',
      tag: 'performance',
      params: StatementParams,
      summaries: {
        close: 'Close the statement after its period; its lines never change again (later ones go to the next period)',
        approve: 'Approve a closed statement for payment: by someone other than whoever closed it',
        pay: 'Record the payment that settles an approved statement: exactly its total, by whichever side owes it',
      },
      close: (p, by, closedAt) => ({ type: 'CloseCommissionStatement', data: { ...p, by, closedAt } }),
      approve: (p, by, approvedAt, note) => ({ type: 'ApproveCommissionStatement', data: { ...p, ...(note ? { note } : {}), by, approvedAt } }),
      pay: (p, payment, paidAt) => ({ type: 'RecordCommissionPayment', data: { ...p, ...payment, paidAt } }),
    });
  };
