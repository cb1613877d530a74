import { comparisonRanges, IsoDate, KPI_PERIODS, type KpiPeriod } from '@dms/domain';
import { agedReceivables, type DmsRuntime, dsoByRange, openInvoices, RECEIVABLES_GROUPS, type ReceivablesGroup, receivablesOn } from '@dms/projections';
import { money } from '../format';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

/** What a refused query prints; the caller shows it with the usage line. */
export class ReceivablesUsageError extends Error {}

export interface ReceivablesOptions {
  readonly asOf?: string | undefined;
  readonly by?: string | undefined;
  readonly region?: string | undefined;
  readonly partner?: string | undefined;
  readonly period?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The clock: the default day is today (UTC). */
  readonly now: () => Date;
}

const day = (flag: string, value: string | undefined): string | undefined => {
  if (value !== undefined && !IsoDate.safeParse(value).success) throw new ReceivablesUsageError(`--${flag} must be a date (YYYY-MM-DD), not "${value}".`);
  return value;
};
const asOfOf = (o: ReceivablesOptions) => day('as-of', o.asOf) ?? o.now().toISOString().slice(0, 10);
const filterOf = (o: ReceivablesOptions) => ({ region: o.region, partnerId: o.partner });

/** `dms receivables ageing`: what each dealer (or region) owes on a day, by days past due, with the totals. */
export const receivablesAgeing = async (runtime: DmsRuntime, o: ReceivablesOptions, out: Out): Promise<number> => {
  const asOf = asOfOf(o);
  const by = (o.by ?? 'partner') as ReceivablesGroup;
  if (!RECEIVABLES_GROUPS.includes(by)) throw new ReceivablesUsageError(`--by must be ${RECEIVABLES_GROUPS.join(' or ')}, not "${o.by}".`);
  const db = runtime.runner.db;
  const rows = await agedReceivables(db, { asOf, by }, filterOf(o));
  const totals = (await receivablesOn(db, [{ key: 'asOf', asOf }], filterOf(o))).get('asOf') ?? [];
  if (rows.length === 0) {
    out(`Nothing owed at the end of ${asOf}.`);
    return 0;
  }
  out(`Receivables ageing at the end of ${asOf}, by ${by} (days past due; most overdue first)`);
  const lines = [
    ...rows.map((r) => ({ label: r.name ? `${r.group} (${r.name})` : r.group, f: r })),
    ...totals.map((t) => ({ label: `total ${t.currency}`, f: t })),
  ];
  out(
    renderTable(lines, [
      { header: by, value: (l) => l.label },
      { header: 'open', value: (l) => l.f.openInvoices, align: 'right' },
      { header: 'current', value: (l) => money(l.f.buckets.current), align: 'right' },
      { header: '1-30', value: (l) => money(l.f.buckets.d1_30), align: 'right' },
      { header: '31-60', value: (l) => money(l.f.buckets.d31_60), align: 'right' },
      { header: '61-90', value: (l) => money(l.f.buckets.d61_90), align: 'right' },
      { header: 'over 90', value: (l) => money(l.f.buckets.over90), align: 'right' },
      { header: 'outstanding', value: (l) => money(l.f.outstanding), align: 'right' },
      { header: 'overdue', value: (l) => money(l.f.overdue), align: 'right' },
      { header: 'credit', value: (l) => (l.f.creditBalance.amountMinor ? money(l.f.creditBalance) : ''), align: 'right' },
    ]),
  );
  out('The invoices behind a row: dms receivables open --partner P.');
  return 0;
};

/** `dms receivables open`: the invoices still owed on a day, oldest due date first. */
export const receivablesOpen = async (runtime: DmsRuntime, o: ReceivablesOptions, out: Out): Promise<number> => {
  const asOf = asOfOf(o);
  const invoices = await openInvoices(runtime.runner.db, { asOf }, filterOf(o));
  if (invoices.length === 0) {
    out(`No open invoices at the end of ${asOf}.`);
    return 0;
  }
  out(`Open invoices at the end of ${asOf}`);
  out(
    renderTable(invoices, [
      { header: 'invoice', value: (i) => i.invoiceId },
      { header: 'order', value: (i) => i.orderId },
      { header: 'dealer', value: (i) => i.partnerId },
      { header: 'invoiced', value: (i) => i.invoicedOn },
      { header: 'due', value: (i) => i.dueOn },
      { header: 'amount', value: (i) => money(i.invoiced), align: 'right' },
      { header: 'settled', value: (i) => money(i.settled), align: 'right' },
      { header: 'owed', value: (i) => money(i.owed), align: 'right' },
      { header: 'days past due', value: (i) => (i.daysPastDue > 0 ? i.daysPastDue : ''), align: 'right' },
      { header: 'bucket', value: (i) => i.bucket },
    ]),
  );
  return 0;
};

/** `dms receivables dso`: days sales outstanding over a period to date or a range, per currency. */
export const receivablesDso = async (runtime: DmsRuntime, o: ReceivablesOptions, out: Out): Promise<number> => {
  const [from, to] = [day('from', o.from), day('to', o.to)];
  if ((from === undefined) !== (to === undefined)) throw new ReceivablesUsageError('--from and --to go together.');
  if (from !== undefined && (o.period !== undefined || o.asOf !== undefined))
    throw new ReceivablesUsageError('Give either --period and --as-of, or --from and --to.');
  if (from !== undefined && to !== undefined && from > to) throw new ReceivablesUsageError(`--from ${from} is after --to ${to}.`);
  const period = (o.period ?? 'month') as KpiPeriod;
  if (!KPI_PERIODS.includes(period)) throw new ReceivablesUsageError(`--period must be one of ${KPI_PERIODS.join(', ')}, not "${o.period}".`);
  const { current } = from !== undefined && to !== undefined ? comparisonRanges({ from, to }) : comparisonRanges({ period, asOf: asOfOf(o) });
  const figures = (await dsoByRange(runtime.runner.db, [{ key: 'range', ...current }], filterOf(o))).get('range') ?? [];
  out(`DSO from ${current.from} to ${current.to}: receivables at the end ÷ net sales (invoiced less credited) × days`);
  if (figures.length === 0) {
    out('No receivables and no sales in the range.');
    return 0;
  }
  out(
    renderTable(figures, [
      { header: 'currency', value: (f) => f.currency },
      { header: 'receivables', value: (f) => money(f.receivables), align: 'right' },
      { header: 'net sales', value: (f) => money(f.netSales), align: 'right' },
      { header: 'days', value: (f) => f.days, align: 'right' },
      { header: 'DSO', value: (f) => (f.dsoDays === null ? '–' : f.dsoDays.toFixed(1)), align: 'right' },
    ]),
  );
  return 0;
};
