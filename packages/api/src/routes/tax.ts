import { EarlyPaymentDiscountTreatment, Id, IsoDateTime, PeriodId, RegionId, Sku, TaxCategory, TaxRateContent } from '@dms/domain';
import { listDiscountTreatments, listTaxRates, readModelsOf, taxReport } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse, partnerScope, reply201 } from '../context';
import { Problem } from '../problems';
import { CommandAccepted, Money, ReadConsistency } from '../schemas';

const TaxRate = z
  .object({
    region: z.string(),
    rateId: z.string(),
    category: z.string(),
    rateBps: z.number().int().describe('Basis points: 1900 is 19 %'),
    validFrom: z.string(),
    validTo: z.string().nullable().describe('Exclusive; null while open-ended'),
    name: z.string().nullable(),
    publishedAt: z.string(),
    endedAt: z.string().nullable().describe('When its end was brought forward, by a person or by the rate that superseded it'),
    supersededBy: z.string().nullable(),
  })
  .meta({ id: 'TaxRate' });

const DiscountTreatment = z
  .object({
    region: z.string(),
    treatment: EarlyPaymentDiscountTreatment,
    validFrom: z.string().describe('From this instant on (until the next one starts)'),
    setAt: z.string(),
  })
  .meta({ id: 'EarlyPaymentDiscountTreatment' });

const Amounts = z.object({ net: Money, tax: Money, gross: Money });
const TaxReport = z
  .object({
    period: z.string(),
    from: z.string().describe('First day of the period'),
    to: z.string().describe('Last day of the period (inclusive)'),
    rows: z.array(
      z.object({
        region: z.string(),
        currency: z.string(),
        category: z.string(),
        rateBps: z.number().int(),
        invoiced: Amounts.describe('Invoices dated in the period'),
        credited: Amounts.describe('Credit notes (returns) dated in the period, as positive amounts'),
        discounted: Amounts.describe(
          'Early-payment discounts taken in the period where the region treats them as reducing the taxable amount, as positive amounts',
        ),
        net: Money.describe('invoiced less credited less discounted'),
        tax: Money,
        gross: Money,
        documents: z.number().int().describe('Invoices, credit notes and discounted payments counted'),
      }),
    ),
    totals: z.array(z.object({ currency: z.string(), net: Money, tax: Money, gross: Money })).describe('Per currency, never added across currencies'),
  })
  .meta({ id: 'TaxReport' });

const errors = { 400: Problem, 404: Problem, 409: Problem };

/**
 * Tax (docs/tax.md): rates per region published and ended by finance (`tax:write`), read by everyone with `catalogue:read`;
 * a product's tax category set by catalogue staff; the tax report by period and rate, dealer-scoped like every report.
 */
export const taxRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();

    app.post(
      '/tax/rates/:region',
      {
        config: { permission: 'tax:write' },
        schema: {
          tags: ['tax'],
          summary: "Publish a tax rate of a region's category, with its validity (a newer open-ended rate supersedes the open-ended one)",
          params: z.object({ region: RegionId }),
          body: TaxRateContent,
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) =>
        reply201(
          reply,
          `/tax/rates?region=${request.params.region}`,
          orRefuse(
            await bus.execute(
              { type: 'PublishTaxRate', data: { ...request.body, region: request.params.region, publishedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.post(
      '/tax/rates/:region/:rateId/end',
      {
        config: { permission: 'tax:write' },
        schema: {
          tags: ['tax'],
          summary: "Bring a tax rate's end forward (never before now)",
          params: z.object({ region: RegionId, rateId: Id }),
          body: z.strictObject({ validTo: IsoDateTime.describe('Exclusive') }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'EndTaxRate', data: { region: request.params.region, rateId: request.params.rateId, validTo: request.body.validTo, endedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.get(
      '/tax/rates',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['tax'],
          summary: 'The tax rates by region, category and start',
          querystring: ReadConsistency.extend({ region: RegionId.optional(), at: IsoDateTime.optional().describe('Only the rates in force at this instant') }),
          response: { 200: z.object({ items: z.array(TaxRate) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('tax'));
        return { items: await listTaxRates(queries.db, request.query) };
      },
    );

    app.post(
      '/tax/treatments/:region',
      {
        config: { permission: 'tax:write' },
        schema: {
          tags: ['tax'],
          summary:
            "Set how a region's tax treats early-payment discounts from a date on: 'reducesTaxableAmount' (the EU: the tax in the discount is given back) or 'financeCost' (the default, as in China: the tax stays as invoiced)",
          params: z.object({ region: RegionId }),
          body: z.strictObject({
            treatment: EarlyPaymentDiscountTreatment,
            validFrom: IsoDateTime.optional().describe('Not before now; now when absent. Orders placed from then on take it.'),
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const setAt = now();
        return reply201(
          reply,
          `/tax/treatments?region=${request.params.region}`,
          orRefuse(
            await bus.execute(
              {
                type: 'SetEarlyPaymentDiscountTreatment',
                data: { region: request.params.region, treatment: request.body.treatment, validFrom: request.body.validFrom ?? setAt, setAt },
              },
              commandContext(request),
            ),
          ),
        );
      },
    );

    app.get(
      '/tax/treatments',
      {
        config: { permission: 'catalogue:read' },
        schema: {
          tags: ['tax'],
          summary: "Each region's treatments of early-payment discounts by start (a region without one treats them as a finance cost)",
          querystring: ReadConsistency.extend({ region: RegionId.optional() }),
          response: { 200: z.object({ items: z.array(DiscountTreatment) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('tax'));
        return { items: await listDiscountTreatments(queries.db, request.query) };
      },
    );

    app.put(
      '/products/:sku/tax-category',
      {
        config: { permission: 'catalogue:write' },
        schema: {
          tags: ['catalogue'],
          summary: "Change a product's tax category; orders placed from now on are taxed by it",
          params: z.object({ sku: Sku }),
          body: z.strictObject({ taxCategory: TaxCategory }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'SetProductTaxCategory', data: { sku: request.params.sku, taxCategory: request.body.taxCategory, changedAt: now() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.get(
      '/reports/tax',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['reports'],
          summary: 'Tax by period, region and rate: invoices less credit notes dated in the period (net, tax, gross)',
          description: 'A dealer sees only its own invoices and credit notes. Untaxed orders (before tax, untaxed regions) are not in it.',
          querystring: ReadConsistency.extend({
            period: PeriodId.describe('A month (2026-03) or a quarter (2026-Q1)'),
            region: RegionId.optional(),
            partnerId: Id.optional(),
          }),
          response: { 200: TaxReport, 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, ...filter } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('tax'));
        return taxReport(queries.db, filter, { partnerId: partnerScope(request) });
      },
    );
  };
