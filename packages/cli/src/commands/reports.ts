import type { Money } from '@dms/domain';
import {
  type DmsRuntime,
  PERIOD_DIMENSIONS,
  type SalesDimension,
  type SalesMeasure,
  type SalesReportRow,
  salesReport,
  salesReportProblems,
} from '@dms/projections';
import { compact, money } from '../format';
import { renderBarChart } from '../ui/chart';
import { type Column, renderTable } from '../ui/table';

type Out = (line: string) => void;

export interface SalesReportOptions {
  readonly by?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly region?: string | undefined;
  readonly partner?: string | undefined;
  readonly sku?: string | undefined;
  readonly category?: string | undefined;
  readonly measure?: string | undefined;
  readonly chart?: boolean | undefined;
  /** The clock: a period not ended by its day is partial. */
  readonly now: () => Date;
}

/** What a refused query prints; the caller shows it with the usage line. */
export class ReportUsageError extends Error {}

const bps = (value: number | null) => (value === null ? '' : `${(value / 100).toFixed(1)} %`);
const signedBps = (value: number | null) => (value === null ? '' : `${value > 0 ? '+' : ''}${bps(value)}`);

const label = (row: SalesReportRow, dimension: SalesDimension): string => {
  const value = row.group[dimension] ?? '';
  if (dimension === 'partner' && row.partnerName) return `${value} (${row.partnerName})`;
  if (dimension === 'product' && row.productName) return `${value} (${row.productName})`;
  return value;
};

const measureValue = (row: { net: Money; ordered: Money; invoiced: Money; orderedQty: number }, measure: SalesMeasure) =>
  measure === 'quantity' ? row.orderedQty : row[measure].amountMinor;

/** `dms reports sales`: a table of the sales report with a totals row, and a bar chart per currency when asked. */
export const reportsSales = async (runtime: DmsRuntime, options: SalesReportOptions, out: Out): Promise<number> => {
  const query = {
    groupBy: (options.by ?? 'month').split(','),
    from: options.from,
    to: options.to,
    region: options.region,
    partnerId: options.partner,
    sku: options.sku,
    category: options.category,
    measure: options.measure as SalesMeasure | undefined,
    today: options.now().toISOString().slice(0, 10),
  };
  const problems = salesReportProblems(query).map((p) => `--${p.field === 'groupBy' ? 'by' : p.field} ${p.message}`);
  if (problems.length > 0) throw new ReportUsageError(problems.join('\n'));
  const report = await salesReport(runtime.runner.db, query);
  if (report.rows.length === 0) {
    out('No sales match.');
    return 0;
  }
  const period = report.groupBy.find((d) => PERIOD_DIMENSIONS.includes(d));
  const range = report.from || report.to ? ` placed ${report.from ?? '…'} to ${report.to ?? '…'}` : '';
  out(`Sales by ${report.groupBy.join(' and ')}${range} (net = ordered less credited returns; no rejected or cancelled orders)`);

  type Line = { label: string[]; figures: Omit<SalesReportRow, 'group' | 'shareBps' | 'currency'>; currency: string; shareBps: number | null; total: boolean };
  const lines: Line[] = [
    ...report.rows.map((r) => ({ label: report.groupBy.map((d) => label(r, d)), figures: r, currency: r.currency, shareBps: r.shareBps, total: false })),
    ...report.totals.map((t) => ({
      label: report.groupBy.map((_, i) => (i === 0 ? (report.totals.length > 1 ? `total ${t.currency}` : 'total') : '')),
      figures: t,
      currency: t.currency,
      shareBps: 10_000,
      total: true,
    })),
  ];
  const columns: Column<Line>[] = [
    ...report.groupBy.map((d, i) => ({ header: d, value: (l: Line) => l.label[i] })),
    { header: 'orders', value: (l) => l.figures.orders, align: 'right' },
    { header: 'qty', value: (l) => l.figures.orderedQty, align: 'right' },
    { header: 'shipped', value: (l) => l.figures.shippedQty, align: 'right' },
    { header: 'returned', value: (l) => l.figures.returnedQty, align: 'right' },
    { header: 'ordered', value: (l) => money(l.figures.ordered), align: 'right' },
    { header: 'credited', value: (l) => money(l.figures.credited), align: 'right' },
    { header: 'net', value: (l) => money(l.figures.net), align: 'right' },
    { header: 'invoiced', value: (l) => money(l.figures.invoiced), align: 'right' },
    { header: 'paid', value: (l) => (l.figures.paid ? money(l.figures.paid) : '–'), align: 'right' },
    { header: 'share', value: (l) => bps(l.shareBps), align: 'right' },
  ];
  // A partial period (not ended, or cut by --from/--to) compares part of a period with whole ones: marked with *.
  const partial = (l: Line) => l.figures.partial;
  if (period || report.previousRange)
    columns.push({ header: 'growth', value: (l) => `${signedBps(l.figures.growthBps)}${partial(l) ? '*' : ''}`, align: 'right' });
  out(renderTable(lines, columns));
  if (lines.some(partial))
    out(
      `* partial: ${period ? `a ${period} not ended by ${query.today} or cut by the range` : `the range runs past ${query.today}`}, compared with whole ones.`,
    );
  if (report.previousRange)
    out(`Growth of the totals against ${report.previousRange.from} to ${report.previousRange.to}${period ? `; rows against the ${period} before` : ''}.`);
  else if (period) out(`Growth against the ${period} before, same ${report.groupBy.filter((d) => d !== period).join(' ') || 'total'}.`);

  // A chart by default for a single period dimension, on request otherwise.
  if (options.chart || (report.groupBy.length === 1 && period)) {
    for (const total of report.totals) {
      const rows = report.rows.filter((r) => r.currency === total.currency);
      out('');
      out(`${report.measure === 'quantity' ? 'Ordered quantity' : `${report.measure[0]?.toUpperCase()}${report.measure.slice(1)} value (${total.currency})`}`);
      out(
        renderBarChart(
          rows.map((r) => ({
            label: `${report.groupBy.map((d) => label(r, d)).join(' · ')}${r.partial ? ' *' : ''}`,
            value: measureValue(r, report.measure),
            display: report.measure === 'quantity' ? String(r.orderedQty) : compact(r[report.measure]),
          })),
        ),
      );
    }
  }
  return 0;
};
