import { Id, IsoDate, PeriodId } from '@dms/domain';
import { getStatement, listStatements, readModelsOf, rebateProgressByAgreement, splitLedger } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition, partnerScope } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { Cursor, Limit, Page, ReadConsistency } from '../schemas';
import { RebateProgressView, SplitLedgerView, StatementDetailView, StatementSummaryView } from './agreement-schemas';
import { statementStepRoutes } from './statement-steps';

const StatementParams = z.object({ partnerId: Id, period: PeriodId });

/**
 * Money under the agreements: the split ledger per party, rebate progress towards the next band, and settlement
 * statements per dealer and period (`open -> closed -> approved -> paid`). A dealer sees only its own.
 */
export const settlementRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();

    app.get(
      '/splits',
      {
        config: { permission: 'settlements:read' },
        schema: {
          tags: ['settlements'],
          summary: 'The split ledger: each party’s share of every invoice, payment, credit note and shared marketing cost, with totals',
          querystring: ReadConsistency.extend({
            partyId: Id.optional(),
            partnerId: Id.optional(),
            agreementId: Id.optional(),
            from: IsoDate.optional(),
            to: IsoDate.optional().describe('Inclusive'),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
            cursor: Cursor,
          }),
          response: { 200: SplitLedgerView, 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('settlements'));
        const scope = partnerScope(request);
        return splitLedger(queries.db, { ...request.query, ...(scope !== undefined ? { partnerId: scope } : {}) });
      },
    );

    app.get(
      '/rebates/progress',
      {
        config: { permission: 'settlements:read' },
        schema: {
          tags: ['settlements'],
          summary: 'For each agreement in force: volume so far this period, the band reached, the rebate earned, and the way to the next band',
          querystring: ReadConsistency.extend({
            partnerId: Id.optional(),
            asOf: IsoDate.optional().describe('The period containing this day; defaults to today'),
          }),
          response: { 200: z.object({ items: z.array(RebateProgressView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('settlements'));
        const scope = partnerScope(request);
        const asOf = request.query.asOf ?? now().slice(0, 10);
        return { items: await rebateProgressByAgreement(queries.db, { ...request.query, asOf, ...(scope !== undefined ? { partnerId: scope } : {}) }) };
      },
    );

    app.get(
      '/settlements',
      {
        config: { permission: 'settlements:read' },
        schema: {
          tags: ['settlements'],
          summary: 'Settlement statements, newest period first',
          querystring: ReadConsistency.extend({
            partnerId: Id.optional(),
            status: z.enum(['open', 'closed', 'approved', 'paid']).optional(),
            period: PeriodId.optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(StatementSummaryView), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('settlements'));
        const scope = partnerScope(request);
        return listStatements(queries.db, { ...request.query, ...(scope !== undefined ? { partnerId: scope } : {}) });
      },
    );

    app.get(
      '/settlements/:partnerId/:period',
      {
        config: { permission: 'settlements:read' },
        schema: {
          tags: ['settlements'],
          summary: 'One statement with its lines, rebates, totals, and how it reconciles to the invoices',
          params: StatementParams,
          querystring: ReadConsistency,
          response: { 200: StatementDetailView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('settlements'));
        const { partnerId, period } = request.params;
        const statement = await getStatement(queries.db, partnerId, period, { partnerId: partnerScope(request) });
        if (!statement) throw new HttpProblem(problem(404, 'STATEMENT_NOT_FOUND', `Dealer ${partnerId} has no statement for ${period}.`));
        return statement;
      },
    );

    statementStepRoutes(app, options, {
      path: '/settlements/:partnerId/:period',
      tag: 'settlements',
      params: StatementParams,
      summaries: {
        close: 'Close the statement after its period: adds the rebate its volume earned; its lines never change again',
        approve: 'Approve a closed statement for payment: someone other than whoever closed it (409 SAME_PERSON_APPROVAL otherwise)',
        pay: 'Record the payment that settles an approved statement: exactly its total, by whichever side owes it',
      },
      close: (p, by, closedAt) => ({ type: 'CloseSettlementPeriod', data: { ...p, by, closedAt } }),
      approve: (p, by, approvedAt, note) => ({ type: 'ApproveSettlementStatement', data: { ...p, ...(note ? { note } : {}), by, approvedAt } }),
      pay: (p, payment, paidAt) => ({ type: 'RecordSettlementPayment', data: { ...p, ...payment, paidAt } }),
    });
  };
