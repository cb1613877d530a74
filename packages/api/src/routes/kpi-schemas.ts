import { AGEING_BUCKET_NAMES, BACKLOG_AGE_BUCKET_NAMES, Id, IsoDate, KPI_PERIODS, NonEmptyText, RegionId, SERIES_GRAINS, Sku } from '@dms/domain';
import { KPI_METRICS, RECEIVABLES_GROUPS, SALES_KPI_DIMENSIONS, STOCK_SERIES_GROUPS } from '@dms/projections';
import { z } from 'zod';
import { Money, ReadConsistency } from '../schemas';
import { SalesFigures } from './reports';

// Queries

const Format = z.enum(['json', 'csv']).optional().describe('csv answers the figures as a table (so does Accept: text/csv)');

const Filters = {
  region: RegionId.optional(),
  partnerId: Id.optional().describe('One partner; a dealer always sees only its own'),
  format: Format,
};

const date = (value: string | undefined) => (IsoDate.safeParse(value).success ? value : undefined);

const PeriodFields = {
  period: z.enum(KPI_PERIODS).optional().describe('The calendar period to date that holds asOf (default month)'),
  asOf: IsoDate.optional().describe("The last day reported on (default: today, UTC, by the server's clock)"),
  from: IsoDate.optional().describe('A custom range instead of a period: its first day (with to)'),
  to: IsoDate.optional().describe('A custom range: its last day (with from)'),
};

/** A calendar period to date (`period` and `asOf`), or a custom range (`from` and `to`), never both. */
const periodRules = (
  q: { period?: string | undefined; asOf?: string | undefined; from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  const custom = q.from !== undefined || q.to !== undefined;
  if (custom && (q.from === undefined || q.to === undefined))
    ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'from and to go together' });
  if (custom && (q.period !== undefined || q.asOf !== undefined))
    ctx.addIssue({ code: 'custom', path: [q.period !== undefined ? 'period' : 'asOf'], message: 'give either period and asOf, or from and to' });
  const from = date(q.from);
  const to = date(q.to);
  if (from && to && from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: `must not be after to (${to})` });
};

export const PeriodQuery = ReadConsistency.extend({ ...PeriodFields, ...Filters }).superRefine(periodRules);
export type PeriodQuery = z.infer<typeof PeriodQuery>;

export const SalesBreakdownQuery = ReadConsistency.extend({
  by: z.enum(SALES_KPI_DIMENSIONS).describe('What each row is: a region, partner, product (SKU) or product category'),
  ...PeriodFields,
  sku: Sku.optional(),
  category: NonEmptyText(100).optional(),
  ...Filters,
}).superRefine(periodRules);

export const SeriesQuery = ReadConsistency.extend({
  metric: z.enum(KPI_METRICS),
  by: z.enum(SERIES_GRAINS).optional().describe('The bucket (default month); weeks are ISO weeks'),
  from: IsoDate.optional().describe('First day (default: a year before to, plus a day)'),
  to: IsoDate.optional().describe("Last day (default: today, UTC, by the server's clock)"),
  sku: Sku.optional().describe('Sales only'),
  category: NonEmptyText(100).optional().describe('Sales only'),
  ...Filters,
});

export const StockHistoryQuery = ReadConsistency.extend({
  by: z.enum(SERIES_GRAINS).optional().describe('The bucket (default day)'),
  from: IsoDate.optional().describe('First day (default: 90 days before to, plus a day)'),
  to: IsoDate.optional().describe("Last day (default: today, UTC, by the server's clock)"),
  groupBy: z.enum(STOCK_SERIES_GROUPS).optional().describe('Each SKU per warehouse, per region, or over every warehouse (total, the default)'),
  sku: Sku.optional(),
  warehouseId: Id.optional(),
  region: RegionId.optional(),
  format: Format,
});

export const AgedReceivablesQuery = ReadConsistency.extend({
  asOf: IsoDate.optional().describe("The day the receivables are aged at, at its end (default: today, UTC, by the server's clock)"),
  by: z.enum(RECEIVABLES_GROUPS).optional().describe('One row per partner (default) or region'),
  ...Filters,
});

// Figures

const DateRange = z.object({ from: z.string(), to: z.string() });
const Ranges = z
  .object({ current: DateRange, previous: DateRange, lastYear: DateRange })
  .describe('Each range stated: the period, the one before, the same one a year earlier (inclusive dates)');
const compared = <T extends z.ZodType>(figures: T) => z.object({ current: figures, previous: figures, lastYear: figures });
const comparedPerCurrency = <T extends z.ZodType>(figures: T) => compared(figures).extend({ currency: z.string() });
const Bps = z.number().int().nullable();

export const CurrencySales = SalesFigures.extend({ currency: z.string() });

export const BacklogFigures = z
  .object({
    currency: z.string(),
    orders: z.number().int().describe('Approved, not yet shipped in full nor cancelled'),
    partiallyShipped: z.number().int(),
    value: Money.describe('Net value of those orders as ordered'),
    averageAgeDays: z.number().nullable().describe('Days since approval, one decimal'),
    oldestAgeDays: z.number().int().nullable(),
    ageing: z.object(
      Object.fromEntries(BACKLOG_AGE_BUCKET_NAMES.map((b) => [b, z.object({ orders: z.number().int(), value: Money })])) as Record<
        (typeof BACKLOG_AGE_BUCKET_NAMES)[number],
        z.ZodObject<{ orders: z.ZodNumber; value: typeof Money }>
      >,
    ),
  })
  .meta({ id: 'BacklogFigures' });

export const FillRateFigures = z
  .object({
    orders: z.number().int().describe('Orders first shipped in the range'),
    completeOrders: z.number().int(),
    lines: z.number().int(),
    completeLines: z.number().int(),
    orderedQty: z.number().int(),
    shippedQty: z.number().int().describe('Units on the first shipments'),
    orderFillBps: Bps,
    lineFillBps: Bps,
    unitFillBps: Bps,
  })
  .meta({ id: 'FillRateFigures' });

export const OnTimeFigures = z
  .object({
    delivered: z.number().int().describe('Orders delivered in full in the range'),
    withRequestedDate: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    onTimeBps: Bps,
    averageDaysLate: z.number().nullable(),
  })
  .meta({ id: 'OnTimeFigures' });

export const ReviewAutomationFigures = z
  .object({
    decided: z.number().int(),
    automatic: z.number().int(),
    manual: z.number().int(),
    approvedAutomatically: z.number().int(),
    approvedManually: z.number().int(),
    rejectedAutomatically: z.number().int(),
    rejectedManually: z.number().int(),
    automationBps: Bps,
    waitingAtEnd: z.number().int().describe('Queued for a person and undecided at the end of the range'),
  })
  .meta({ id: 'ReviewAutomationFigures' });

export const AgeingFigures = z
  .object({
    currency: z.string(),
    openInvoices: z.number().int(),
    outstanding: Money,
    buckets: z.object(Object.fromEntries(AGEING_BUCKET_NAMES.map((b) => [b, Money])) as Record<(typeof AGEING_BUCKET_NAMES)[number], typeof Money>),
    overdue: Money,
    overdueInvoices: z.number().int(),
    creditBalance: Money.describe("Credited beyond what was owed, in the dealers' favour; not in the buckets"),
  })
  .meta({ id: 'AgeingFigures' });

export const DsoFigures = z
  .object({
    currency: z.string(),
    receivables: Money.describe('Outstanding at the end of the range'),
    netSales: Money.describe('Invoiced in the range less credit notes issued in it'),
    days: z.number().int(),
    dsoDays: z.number().nullable().describe('Days sales outstanding, one decimal'),
  })
  .meta({ id: 'DsoFigures' });

export const StockAlertFigures = z.object({
  lowStock: z.number().int().nullable().describe('Warehouse and SKU pairs at or below the reorder point; null for a dealer or a partner filter'),
  backorderedLines: z.number().int(),
  backorderedUnits: z.number().int(),
});

const PeriodHeader = {
  asOf: z.string(),
  period: z.enum([...KPI_PERIODS, 'custom']),
  complete: z.boolean().describe('False for a period to date: previous and lastYear are cut to as many days'),
  ranges: Ranges,
};

export const KpiSummary = z
  .object({
    ...PeriodHeader,
    sales: z.array(comparedPerCurrency(CurrencySales).extend({ growthBps: Bps, lastYearGrowthBps: Bps })),
    backlog: z.array(comparedPerCurrency(BacklogFigures)).describe('At the end of each range'),
    fillRate: compared(FillRateFigures),
    onTimeDelivery: compared(OnTimeFigures),
    reviewAutomation: compared(ReviewAutomationFigures),
    receivables: z.array(comparedPerCurrency(AgeingFigures)).describe('At the end of each range'),
    dso: z.array(comparedPerCurrency(DsoFigures)),
    stockAlerts: StockAlertFigures.describe('Now, whatever the period'),
  })
  .meta({ id: 'KpiSummary' });

export const SalesBreakdown = z
  .object({
    ...PeriodHeader,
    by: z.enum(SALES_KPI_DIMENSIONS),
    rows: z.array(
      compared(CurrencySales).extend({
        group: z.string(),
        name: z.string().nullable(),
        currency: z.string(),
        growthBps: Bps,
        lastYearGrowthBps: Bps,
        shareBps: Bps.describe("Share of the currency's net sales in the current range"),
      }),
    ),
  })
  .meta({ id: 'SalesBreakdown' });

const Bucket = { period: z.string().describe('2026-03, 2026-W12, 2026-Q1, 2026 or a day'), from: z.string(), to: z.string(), partial: z.boolean() };
const series = <M extends string, S extends z.ZodRawShape>(metric: M, figures: z.ZodObject<S>) =>
  z.object({ metric: z.literal(metric), by: z.enum(SERIES_GRAINS), from: z.string(), to: z.string(), points: z.array(figures.extend(Bucket)) });

export const KpiSeries = z
  .discriminatedUnion('metric', [
    series('sales', CurrencySales),
    series('backlog', BacklogFigures),
    series('fill-rate', FillRateFigures),
    series('on-time-delivery', OnTimeFigures),
    series('review-automation', ReviewAutomationFigures),
    series('receivables', AgeingFigures),
    series('dso', DsoFigures),
  ])
  .meta({ id: 'KpiSeries' });

export const StockHistory = z
  .object({
    by: z.enum(SERIES_GRAINS),
    groupBy: z.enum(STOCK_SERIES_GROUPS),
    from: z.string(),
    to: z.string(),
    points: z.array(
      z.object({
        sku: z.string(),
        group: z.string().nullable().describe('The warehouse or region; null for the total'),
        ...Bucket,
        onHand: z.number().int(),
        reserved: z.number().int(),
        available: z.number().int(),
        value: Money.nullable().describe('At moving-average cost; null for a dealer'),
      }),
    ),
  })
  .meta({ id: 'StockHistory' });

export const AgedReceivables = z
  .object({
    asOf: z.string(),
    by: z.enum(RECEIVABLES_GROUPS),
    rows: z.array(AgeingFigures.extend({ group: z.string(), name: z.string().nullable() })),
    totals: z.array(AgeingFigures),
  })
  .meta({ id: 'AgedReceivables' });
