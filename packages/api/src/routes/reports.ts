import { Id, IsoDate, NonEmptyText, RegionId, Sku } from '@dms/domain';
import { ordersByStatusAndRegion, readModelsOf, revenueByMonth, SALES_DIMENSIONS, SALES_MEASURES, salesReport, salesReportProblems } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition, partnerScope } from '../context';
import { Problem } from '../problems';
import { Money, ReadConsistency } from '../schemas';

const SalesQuery = ReadConsistency.extend({
  groupBy: z
    .string()
    .max(100)
    .describe(`One or two of ${SALES_DIMENSIONS.join(', ')}, comma-separated (at most one of month, quarter, year), e.g. region,month`),
  from: IsoDate.optional().describe('First placement date included (UTC)'),
  to: IsoDate.optional().describe('Last placement date included (UTC)'),
  region: RegionId.optional(),
  partnerId: Id.optional(),
  sku: Sku.optional(),
  category: NonEmptyText(100).optional(),
  measure: z.enum(SALES_MEASURES).optional().describe('What shares, growth and ordering are based on; net (default) is ordered less credited'),
}).superRefine((query, ctx) => {
  // The query's own rules, per field; dates zod has already refused are left out rather than reported twice.
  const date = (value: string | undefined) => (IsoDate.safeParse(value).success ? value : undefined);
  for (const p of salesReportProblems({ groupBy: query.groupBy.split(','), from: date(query.from), to: date(query.to) }))
    ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
});

export const SalesFigures = z.object({
  orders: z.number().int().describe('Distinct orders; with a product or category dimension an order counts in each row it has lines in'),
  orderedQty: z.number().int(),
  shippedQty: z.number().int(),
  deliveredQty: z.number().int(),
  returnedQty: z.number().int(),
  ordered: Money.describe('Net ordered value (line amounts after discounts)'),
  credited: Money.describe('Credit notes for returns'),
  net: Money.describe('ordered less credited'),
  invoiced: Money,
  paid: Money.nullable().describe('Null when grouped or filtered by product or category: payments are per order'),
});

const SalesReport = z
  .object({
    groupBy: z.array(z.enum(SALES_DIMENSIONS)),
    measure: z.enum(SALES_MEASURES),
    from: z.string().nullable(),
    to: z.string().nullable(),
    previousRange: z.object({ from: z.string(), to: z.string() }).nullable(),
    rows: z.array(
      SalesFigures.extend({
        group: z.record(z.string(), z.string()).describe('The value of each dimension, e.g. {"region":"north","month":"2026-01"}'),
        partnerName: z.string().nullable().optional(),
        productName: z.string().nullable().optional(),
        currency: z.string(),
        shareBps: z.number().int().nullable().describe("Share of the currency's total of the measure, basis points"),
        previous: SalesFigures.nullable().describe('With a period dimension: the same group one period earlier'),
        growthBps: z.number().int().nullable().describe('Growth of the measure against previous, basis points'),
        partial: z
          .boolean()
          .describe(
            'With a period dimension: the row covers only part of its period (not ended today, or cut by from/to), so it and its growth compare part of a period with a whole one',
          ),
      }),
    ),
    totals: z.array(
      SalesFigures.extend({
        currency: z.string(),
        previous: SalesFigures.nullable().describe('With from and to: the preceding range of equal length'),
        growthBps: z.number().int().nullable(),
        partial: z.boolean().describe('The range has not ended today: growth compares part of it with the whole range before'),
      }),
    ),
  })
  .meta({ id: 'SalesReport' });

export const reportRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;
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
        await awaitPosition(options, request.query.minPosition, readModelsOf('orders'));
        return { rows: await ordersByStatusAndRegion(queries.db, { partnerId: partnerScope(request) }) };
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
        await awaitPosition(options, request.query.minPosition, readModelsOf('orders'));
        return { rows: await revenueByMonth(queries.db, request.query, { partnerId: partnerScope(request) }) };
      },
    );
    app.get(
      '/reports/sales',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['reports'],
          summary: 'Sales by region, partner, product, category and period, with totals, shares and growth',
          description:
            'Orders placed from `from` to `to` (inclusive), without rejected or cancelled ones. Money is per currency, never added across currencies. A dealer sees only its own orders.',
          querystring: SalesQuery,
          response: { 200: SalesReport, 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, groupBy, ...filter } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('sales-report'));
        const today = (options.now ?? (() => new Date()))().toISOString().slice(0, 10);
        return salesReport(queries.db, { ...filter, groupBy: groupBy.split(','), today }, { partnerId: partnerScope(request) });
      },
    );
  };
