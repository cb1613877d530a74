import { AGEING_BUCKET_NAMES, comparisonRanges, DUNNING_LEVELS, IsoDate } from '@dms/domain';
import { agedReceivables, dsoByRange, dunningList, openInvoices, readModelsOf, receivablesOn } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition, partnerScope } from '../context';
import { flatten, jsonOrCsv } from '../csv';
import { Problem } from '../problems';
import { Money, ReadConsistency } from '../schemas';
import { AgedReceivables, AgedReceivablesQuery, DsoFigures, PeriodQuery } from './kpi-schemas';

const reads = { 400: Problem, 503: Problem };
const CSV = ' Add `format=csv` (or send `Accept: text/csv`) for the same figures as a CSV table.';

const OpenInvoicesQuery = ReadConsistency.extend({
  asOf: IsoDate.optional().describe("What is owed at the end of this day (default: today, UTC, by the server's clock)"),
  ...AgedReceivablesQuery.pick({ region: true, partnerId: true, format: true }).shape,
});

const OpenInvoice = z.object({
  invoiceId: z.string(),
  orderId: z.string(),
  shipmentId: z.string().nullable().describe('The shipment it bills on an order invoiced per shipment or per delivery; null on the whole order’s invoice'),
  partnerId: z.string(),
  name: z.string().nullable().describe("The partner's name"),
  region: z.string(),
  invoicedOn: z.string(),
  dueOn: z.string().describe('Its (last) due date'),
  invoiced: Money,
  settled: Money.describe('Credit notes and payments dated by asOf'),
  owed: Money,
  overdue: Money.describe('Owed on its due dates already past'),
  oldestDueOn: z.string().describe('The due date of its oldest instalment still owed (dueOn without instalments): what it is aged from'),
  daysPastDue: z.number().int().describe('asOf less oldestDueOn; positive when overdue'),
  bucket: z.enum(AGEING_BUCKET_NAMES as [string, ...string[]]).describe('The bucket of daysPastDue'),
  nextDue: z
    .object({ dueOn: z.string(), owed: Money })
    .nullable()
    .describe('Its next due date not yet past (the next instalment), with what is owed on it; null when every due date has passed'),
  dueDates: z
    .array(
      z.object({
        dueOn: z.string(),
        amount: Money.describe('The instalment, or the whole invoice'),
        owed: Money.describe('Still owed on it: what is settled pays the instalments oldest first'),
        daysPastDue: z.number().int(),
        bucket: z.enum(AGEING_BUCKET_NAMES as [string, ...string[]]),
      }),
    )
    .describe('Each instalment (one entry for an invoice without), oldest due first; the ageing adds up their owed by bucket'),
});

const OpenInvoices = z.object({ asOf: z.string(), invoices: z.array(OpenInvoice) }).meta({ id: 'OpenInvoices' });

const levels = DUNNING_LEVELS.map((l) => `${l.level} ${l.name.en} from ${l.fromDaysPastDue} days`).join(', ');
const Dunning = z
  .object({
    asOf: z.string(),
    invoices: z.array(
      OpenInvoice.extend({
        level: z
          .number()
          .int()
          .describe(
            `The dunning level reached by the days past due, under the levels of the agreement governing the order (default: ${levels}); 0 before the first`,
          ),
        levelName: z.string().nullable().describe('The level’s name (English); null at level 0'),
        agreementId: z.string().nullable().describe('The agreement whose dunning levels apply; null when the default levels do'),
        nextLevel: z
          .object({ level: z.number().int(), on: z.string().describe('The day the invoice reaches it, if still owed') })
          .nullable()
          .describe('The next level; null at the last'),
        sent: z
          .array(z.object({ level: z.number().int(), sentAt: z.string(), notificationId: z.string() }))
          .describe("Each level sent so far, lowest first (the dealer's inbox; the sales team's for a level that tells only them)"),
      }),
    ),
  })
  .meta({ id: 'Dunning' });

const Dso = z.object({ from: z.string(), to: z.string(), dso: z.array(DsoFigures) }).meta({ id: 'Dso' });

/**
 * `/receivables`: what dealers owe, for finance (docs/receivables.md): the ageing per partner or region, each dealer's
 * open invoices behind it, and DSO over a period. The same queries as the receivables KPIs (one computation of what is
 * owed); a dealer sees only its own.
 */
export const receivableRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;
    const today = () => (options.now ?? (() => new Date()))().toISOString().slice(0, 10);

    app.get(
      '/receivables/ageing',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['receivables'],
          summary: 'Receivables ageing per partner or region: current, 1-30, 31-60, 61-90 and over 90 days past due',
          description: `Each invoice less the credit notes and payments dated by asOf lands whole in the bucket of its days past due; most overdue first, totals per currency. The invoices behind a row: GET /receivables/open.${CSV}`,
          querystring: AgedReceivablesQuery,
          response: { 200: AgedReceivables, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        await awaitPosition(options, q.minPosition, readModelsOf('kpis'));
        const asOf = q.asOf ?? today();
        const by = q.by ?? 'partner';
        const filter = { region: q.region, partnerId: q.partnerId };
        const scope = { partnerId: partnerScope(request) };
        const rows = await agedReceivables(queries.db, { asOf, by }, filter, scope);
        const totals = (await receivablesOn(queries.db, [{ key: 'asOf', asOf }], filter, scope)).get('asOf') ?? [];
        return jsonOrCsv(request, reply, { asOf, by, rows, totals }, (b) => b.rows.map((r) => flatten(r)), `ageing-by-${by}-${asOf}`);
      },
    );

    app.get(
      '/receivables/open',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['receivables'],
          summary: 'Open invoices: what each is still owed on a day, how many days past due, in which ageing bucket',
          description: `Every invoice with something owed at the end of asOf (the invoices the ageing adds up), oldest due date first. Filter by partnerId for one dealer's list.${CSV}`,
          querystring: OpenInvoicesQuery,
          response: { 200: OpenInvoices, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        await awaitPosition(options, q.minPosition, readModelsOf('kpis'));
        const asOf = q.asOf ?? today();
        const invoices = await openInvoices(queries.db, { asOf }, { region: q.region, partnerId: q.partnerId }, { partnerId: partnerScope(request) });
        return jsonOrCsv(request, reply, { asOf, invoices }, (b) => b.invoices.map((i) => flatten(i)), `open-invoices-${asOf}`);
      },
    );

    app.get(
      '/receivables/dunning',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['receivables'],
          summary: 'Dunning: each invoice past due, the reminder level it has reached and when each level was sent',
          description: `The open invoices past due at the end of asOf, oldest due date first, each with its dunning level under the levels of the agreement governing its order (default: ${levels}), the next level and the levels sent by the daily rule (docs/receivables.md#dunning). In CSV, sent is a JSON list.${CSV}`,
          querystring: OpenInvoicesQuery,
          response: { 200: Dunning, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        await awaitPosition(options, q.minPosition, readModelsOf('kpis', 'dunning'));
        const asOf = q.asOf ?? today();
        const invoices = await dunningList(queries.db, { asOf }, { region: q.region, partnerId: q.partnerId }, { partnerId: partnerScope(request) });
        return jsonOrCsv(request, reply, { asOf, invoices }, (b) => b.invoices.map((i) => flatten(i)), `dunning-${asOf}`);
      },
    );

    app.get(
      '/receivables/dso',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['receivables'],
          summary: 'Days sales outstanding over a period: receivables at its end ÷ net sales in it × its days',
          description: `Net sales are invoices issued in the period less credit notes issued in it; one decimal, null without positive net sales; per currency. By default the month to date as of today; period and asOf choose another calendar period to date, from and to a custom range.${CSV}`,
          querystring: PeriodQuery,
          response: { 200: Dso, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        await awaitPosition(options, q.minPosition, readModelsOf('kpis'));
        const { current } =
          q.from !== undefined && q.to !== undefined
            ? comparisonRanges({ from: q.from, to: q.to })
            : comparisonRanges({ period: q.period ?? 'month', asOf: q.asOf ?? today() });
        const figures = await dsoByRange(
          queries.db,
          [{ key: 'range', ...current }],
          { region: q.region, partnerId: q.partnerId },
          { partnerId: partnerScope(request) },
        );
        return jsonOrCsv(
          request,
          reply,
          { ...current, dso: figures.get('range') ?? [] },
          (b) => b.dso.map((d) => flatten(d)),
          `dso-${current.from}-${current.to}`,
        );
      },
    );
  };
