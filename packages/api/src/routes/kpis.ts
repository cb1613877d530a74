import { addDays, countSeriesBuckets, MAX_SERIES_BUCKETS, type SeriesGrain, seriesBuckets } from '@dms/domain';
import {
  agedReceivables,
  type KpiSummary as KpiSummaryFigures,
  type KpiSummaryQuery,
  kpiSeries,
  kpiSummary,
  readModelsOf,
  receivablesOn,
  salesBreakdown,
  stockHistory,
} from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type ApiOptions, awaitPosition, cached, partnerScope } from '../context';
import { type CsvRow, flatten, jsonOrCsv, wantsCsv } from '../csv';
import { invalidField, Problem } from '../problems';
import {
  AgedReceivables,
  AgedReceivablesQuery,
  KpiSeries,
  KpiSummary,
  PeriodQuery,
  SalesBreakdown,
  SalesBreakdownQuery,
  SeriesQuery,
  StockHistory,
  StockHistoryQuery,
} from './kpi-schemas';

const reads = { 400: Problem, 503: Problem };

/** A series' range and grain, checked before anything is built: `from` not after `to`, at most 400 buckets. */
const seriesRange = (
  q: { from?: string | undefined; to?: string | undefined; by?: SeriesGrain | undefined },
  defaults: { to: string; days: number; by: SeriesGrain },
) => {
  const to = q.to ?? defaults.to;
  const from = q.from ?? addDays(to, 1 - defaults.days);
  const by = q.by ?? defaults.by;
  const fail = (field: string, message: string) => {
    throw invalidField(field, message);
  };
  if (from > to) fail('querystring.from', `must not be after to (${to})`);
  const buckets = countSeriesBuckets(from, to, by);
  if (buckets > MAX_SERIES_BUCKETS) fail('querystring.by', `makes ${buckets} ${by} buckets from ${from} to ${to}; at most ${MAX_SERIES_BUCKETS}`);
  return { from, to, by };
};
const CSV = ' Add `format=csv` (or send `Accept: text/csv`) for the same figures as a CSV table.';

/** The summary as a long table: one row per figure, with its current, previous and last-year values side by side. */
const summaryTable = (s: KpiSummaryFigures): CsvRow[] => {
  const rows: CsvRow[] = (['from', 'to'] as const).map((end) => ({
    kpi: 'range',
    currency: null,
    figure: end,
    current: s.ranges.current[end],
    previous: s.ranges.previous[end],
    lastYear: s.ranges.lastYear[end],
  }));
  const sections: [string, { currency?: string; current: object; previous: object; lastYear: object }[]][] = [
    ['sales', s.sales],
    ['backlog', s.backlog],
    ['fillRate', [s.fillRate]],
    ['onTimeDelivery', [s.onTimeDelivery]],
    ['reviewAutomation', [s.reviewAutomation]],
    ['receivables', s.receivables],
    ['dso', s.dso],
  ];
  for (const [kpi, entries] of sections) {
    for (const e of entries) {
      const [current, previous, lastYear] = [e.current, e.previous, e.lastYear].map((x) => flatten(x as Record<string, unknown>));
      for (const figure of Object.keys(current!)) {
        if (figure === 'currency') continue;
        rows.push({
          kpi,
          currency: e.currency ?? null,
          figure,
          current: current![figure]!,
          previous: previous![figure] ?? null,
          lastYear: lastYear![figure] ?? null,
        });
      }
    }
  }
  for (const [figure, value] of Object.entries(s.stockAlerts))
    rows.push({ kpi: 'stockAlerts', currency: null, figure, current: value, previous: null, lastYear: null });
  return rows;
};

/**
 * `/kpis`: the dashboard's figures. A summary of every KPI for a period against the period before and the same period
 * last year, sales broken down with the same comparison, time series, stock over time, and aged receivables; each also
 * as CSV. A dealer's figures are its own (filtered in SQL). Definitions: docs/kpis.md.
 */
export const kpiRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;
    const today = () => (options.now ?? (() => new Date()))().toISOString().slice(0, 10);
    const periodOf = (q: PeriodQuery): KpiSummaryQuery =>
      q.from !== undefined && q.to !== undefined
        ? { from: q.from, to: q.to, region: q.region, partnerId: q.partnerId }
        : { period: q.period ?? 'month', asOf: q.asOf ?? today(), region: q.region, partnerId: q.partnerId };

    app.get(
      '/kpis',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['kpis'],
          summary: 'Every dashboard KPI for a period, against the period before and the same period last year',
          description: `Sales, order backlog, fill rate, on-time delivery, review automation, aged receivables, DSO and stock alerts. By default the month to date as of today; \`period\` and \`asOf\` choose another calendar period to date, \`from\` and \`to\` a custom range. The ranges compared are stated in \`ranges\`.${CSV}`,
          querystring: PeriodQuery,
          response: { 200: KpiSummary, ...reads },
        },
      },
      async (request, reply) => {
        const readModels = readModelsOf('kpis');
        await awaitPosition(options, request.query.minPosition, readModels);
        const scope = { partnerId: partnerScope(request) };
        const compute = () => kpiSummary(queries.db, periodOf(request.query), scope);
        if (!wantsCsv(request)) return cached(options, request, reply, readModels, compute, today());
        const summary = await compute();
        return jsonOrCsv(request, reply, summary, summaryTable, `kpis-${summary.asOf}`);
      },
    );

    app.get(
      '/kpis/sales',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['kpis'],
          summary: 'Sales by region, partner, product or category, against the period before and the same period last year',
          description: `Counted as GET /reports/sales counts them (orders placed in the range, without rejected or cancelled ones; net is ordered less credited). Periods as for GET /kpis.${CSV}`,
          querystring: SalesBreakdownQuery,
          response: { 200: SalesBreakdown, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const readModels = readModelsOf('kpis');
        await awaitPosition(options, q.minPosition, readModels);
        const scope = { partnerId: partnerScope(request) };
        const compute = () => salesBreakdown(queries.db, { ...periodOf(q), by: q.by, sku: q.sku, category: q.category }, scope);
        if (!wantsCsv(request)) return cached(options, request, reply, readModels, compute, today());
        const breakdown = await compute();
        return jsonOrCsv(request, reply, breakdown, (b) => b.rows.map((r) => flatten(r)), `sales-by-${q.by}-${breakdown.asOf}`);
      },
    );

    app.get(
      '/kpis/series',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['kpis'],
          summary: 'One KPI over time, by day, week, month, quarter or year',
          description: `Each bucket evaluated as GET /kpis evaluates a period: rates and sales over the bucket, backlog and receivables at its end. The first and last buckets are clipped to the range (partial). At most 400 buckets; money per currency.${CSV}`,
          querystring: SeriesQuery,
          response: { 200: KpiSeries, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        await awaitPosition(options, q.minPosition, readModelsOf('kpis'));
        const { from, to, by } = seriesRange(q, { to: today(), days: 365, by: 'month' });
        const scope = { partnerId: partnerScope(request) };
        const compute = () =>
          kpiSeries(queries.db, { metric: q.metric, by, from, to, region: q.region, partnerId: q.partnerId, sku: q.sku, category: q.category }, scope);
        if (!wantsCsv(request)) return cached(options, request, reply, readModelsOf('kpis'), compute, `${from}/${to}`);
        const result = await compute();
        return jsonOrCsv(request, reply, result, (b) => b.points.map((p) => flatten(p)), `${q.metric}-by-${by}-${from}-${to}`);
      },
    );

    app.get(
      '/kpis/stock',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['kpis'],
          summary: 'Stock on hand over time per SKU, in each warehouse, region or in total',
          description: `On hand, reserved and available at the end of each bucket, by business date (a back-dated movement counts on its day). Value at moving-average cost; a dealer sees quantities only.${CSV}`,
          querystring: StockHistoryQuery,
          response: { 200: StockHistory, ...reads },
        },
      },
      async (request, reply) => {
        const q = request.query;
        await awaitPosition(options, q.minPosition, readModelsOf('kpis'));
        const { from, to, by } = seriesRange(q, { to: today(), days: 90, by: 'day' });
        const groupBy = q.groupBy ?? 'total';
        const withValue = partnerScope(request) === undefined;
        const compute = async () => ({
          by,
          groupBy,
          from,
          to,
          points: await stockHistory(
            queries.db,
            { buckets: seriesBuckets(from, to, by), groupBy, sku: q.sku, warehouseId: q.warehouseId, region: q.region },
            { withValue },
          ),
        });
        if (!wantsCsv(request)) return cached(options, request, reply, readModelsOf('kpis'), compute, `${from}/${to}`);
        return jsonOrCsv(request, reply, await compute(), (b) => b.points.map((p) => flatten(p)), `stock-by-${by}-${from}-${to}`);
      },
    );

    app.get(
      '/kpis/receivables',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['kpis'],
          summary: 'Aged receivables per partner or region: current, 1-30, 31-60, 61-90 and over 90 days past due',
          description: `Each invoice less the credit notes and payments dated by asOf, in the bucket of its days past due; most overdue first. Totals per currency.${CSV}`,
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
        const compute = async () => {
          const rows = await agedReceivables(queries.db, { asOf, by }, filter, scope);
          const totals = await receivablesOn(queries.db, [{ key: 'asOf', asOf }], filter, scope);
          return { asOf, by, rows, totals: totals.get('asOf') ?? [] };
        };
        if (!wantsCsv(request)) return cached(options, request, reply, readModelsOf('kpis'), compute, asOf);
        return jsonOrCsv(request, reply, await compute(), (b) => b.rows.map((r) => flatten(r)), `receivables-${asOf}`);
      },
    );
  };
