import { Id, IsoDate, PositiveMoney, Text } from '@dms/domain';
import { dealerAccount } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, commandContext, generatedId, orRefuse, partnerScope } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Money } from '../schemas';

const Params = z.object({ partnerId: Id });
const errors = { 400: Problem, 404: Problem, 409: Problem };
const Method = z.enum(['bank_transfer', 'card', 'cheque', 'cash']);
const NamedInvoices = z
  .array(z.strictObject({ invoiceId: Id, amount: PositiveMoney.optional().describe('At most what is open on it; absent: as much as is open') }))
  .min(1)
  .max(100)
  .describe("The invoices to pay, in this order (the payer's remittance advice); absent: the dealer's open invoices oldest due first");

const Allocation = z.object({
  orderId: z.string(),
  invoiceId: z.string(),
  amount: Money,
  discount: Money.optional().describe('Early-payment discount allowed'),
});
const DealerAccount = z
  .object({
    partnerId: z.string(),
    credit: Money.nullable().describe("The dealer's unapplied credit; null when nothing was ever received through its account"),
    entries: z.array(
      z.object({
        kind: z
          .enum(['payment', 'application', 'refund', 'return'])
          .describe("return: an order's share of a payment or application given back to the credit, the order having refused it (reason)"),
        id: z.string(),
        at: z.string(),
        amount: Money.describe('Received, applied, refunded or returned to the credit'),
        allocations: z.array(Allocation),
        unapplied: Money.describe('What no invoice took of a payment (kept as credit)'),
        creditAfter: Money,
        method: z.string().optional(),
        reference: z.string().optional(),
        reason: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'DealerAccount' });

/**
 * A dealer's payments across its orders and its credit (docs/receivables.md, "A dealer's payments and its credit"):
 * finance records money received from a dealer once, allocated to its open invoices; what no invoice takes is kept as
 * the dealer's credit, applied to the next invoices (automatically, or to the invoices a person names) or refunded.
 */
export const dealerAccountRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, store } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))();
    /** A date a payment was received on: today's moment when it is today, else the start of that day; never in the future. */
    const dayAt = (day: string | undefined, field: string): string => {
      const at = now().toISOString();
      if (day === undefined || day === at.slice(0, 10)) return at;
      if (day > at.slice(0, 10)) {
        const error = { field: `body.${field}`, message: `${day} is in the future` };
        throw new HttpProblem(problem(400, 'VALIDATION_FAILED', `The request is invalid: ${error.field}: ${error.message}.`, { errors: [error] }));
      }
      return `${day}T00:00:00.000Z`;
    };

    app.post(
      '/partners/:partnerId/payments',
      {
        config: { permission: 'billing:write' },
        schema: {
          tags: ['receivables'],
          summary:
            "Record money received from a dealer: it pays the dealer's open invoices across its orders, oldest due first or the invoices named (an early-payment discount is allowed when it settles an invoice in time); what no invoice takes is kept as the dealer's credit",
          params: Params,
          body: z.strictObject({
            paymentId: Id.optional(),
            amount: PositiveMoney,
            receivedOn: IsoDate.optional().describe("The day the money was received (default: today, UTC, by the server's clock)"),
            method: Method.optional(),
            reference: Text(80).optional().describe("The bank's or the payer's reference"),
            invoices: NamedInvoices.optional(),
          }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        return accepted(
          orRefuse(
            await bus.execute(
              {
                type: 'ReceiveDealerPayment',
                data: {
                  partnerId: request.params.partnerId,
                  paymentId: b.paymentId ?? generatedId(request, 'pay-'),
                  amount: b.amount,
                  receivedAt: dayAt(b.receivedOn, 'receivedOn'),
                  method: b.method ?? 'bank_transfer',
                  ...(b.reference ? { reference: b.reference } : {}),
                  ...(b.invoices ? { invoices: b.invoices } : {}),
                },
              },
              commandContext(request),
            ),
          ),
        );
      },
    );

    app.post(
      '/partners/:partnerId/credit/apply',
      {
        config: { permission: 'billing:write' },
        schema: {
          tags: ['receivables'],
          summary: "Apply the dealer's credit (all of it, or amount) to its open invoices, oldest due first or the invoices named",
          params: Params,
          body: z.strictObject({ applicationId: Id.optional(), amount: PositiveMoney.optional(), invoices: NamedInvoices.optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        return accepted(
          orRefuse(
            await bus.execute(
              {
                type: 'ApplyDealerCredit',
                data: {
                  partnerId: request.params.partnerId,
                  applicationId: b.applicationId ?? generatedId(request, 'ca-'),
                  appliedAt: now().toISOString(),
                  ...(b.amount ? { amount: b.amount } : {}),
                  ...(b.invoices ? { invoices: b.invoices } : {}),
                  reason: 'applied by hand',
                },
              },
              commandContext(request),
            ),
          ),
        );
      },
    );

    app.post(
      '/partners/:partnerId/credit/refunds',
      {
        config: { permission: 'billing:write' },
        schema: {
          tags: ['receivables'],
          summary: "Pay part of the dealer's credit back to it; never more than the credit",
          params: Params,
          body: z.strictObject({ refundId: Id.optional(), amount: PositiveMoney, method: Method.optional(), reference: Text(80).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        return accepted(
          orRefuse(
            await bus.execute(
              {
                type: 'RefundDealerCredit',
                data: {
                  partnerId: request.params.partnerId,
                  refundId: b.refundId ?? generatedId(request, 'ref-'),
                  amount: b.amount,
                  refundedAt: now().toISOString(),
                  method: b.method ?? 'bank_transfer',
                  ...(b.reference ? { reference: b.reference } : {}),
                },
              },
              commandContext(request),
            ),
          ),
        );
      },
    );

    app.get(
      '/partners/:partnerId/credit',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['receivables'],
          summary:
            "A dealer's account: every payment received from it across its orders with the invoices each paid, each credit application and refund, and its unapplied credit now. A dealer reads only its own",
          params: Params,
          response: { 200: DealerAccount, 404: Problem },
        },
      },
      async (request) => {
        const scope = partnerScope(request);
        const { partnerId } = request.params;
        if (scope !== undefined && scope !== partnerId) throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${partnerId} does not exist.`));
        return dealerAccount(store, partnerId);
      },
    );
  };
