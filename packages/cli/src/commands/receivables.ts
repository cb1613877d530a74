import { comparisonRanges, IsoDate, KPI_PERIODS, type KpiPeriod } from '@dms/domain';
import { type AsOf, parseAsOfPosition, parseAsOfTime } from '@dms/eventstore';
import {
  agedReceivables,
  agedReceivablesAsOf,
  type DmsRuntime,
  dsoByRange,
  dunningList,
  openInvoices,
  RECEIVABLES_GROUPS,
  type ReceivablesGroup,
  receivablesAsOf,
  receivablesOn,
} from '@dms/projections';
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
  /** ageing: as the log stood at this time (events recorded at or before it), recomputed from the log. */
  readonly at?: string | undefined;
  /** ageing: as the log stood at this global position. */
  readonly position?: string | undefined;
  /** The clock: the default day is today (UTC). */
  readonly now: () => Date;
}

const day = (flag: string, value: string | undefined): string | undefined => {
  if (value !== undefined && !IsoDate.safeParse(value).success) throw new ReceivablesUsageError(`--${flag} must be a date (YYYY-MM-DD), not "${value}".`);
  return value;
};
const asOfOf = (o: ReceivablesOptions) => day('as-of', o.asOf) ?? o.now().toISOString().slice(0, 10);
const filterOf = (o: ReceivablesOptions) => ({ region: o.region, partnerId: o.partner });

/** `--at` and `--position`, read before anything opens; a bad value is a usage error naming it. */
const cutOf = (o: ReceivablesOptions): AsOf | undefined => {
  const read = <T>(flag: string, value: string | undefined, parse: (v: string) => T): T | undefined => {
    if (value === undefined) return undefined;
    try {
      return parse(value);
    } catch (error) {
      throw new ReceivablesUsageError(`--${flag}: ${(error as Error).message}`);
    }
  };
  const at = read('at', o.at, parseAsOfTime);
  const position = read('position', o.position, parseAsOfPosition);
  if (at === undefined && position === undefined) return undefined;
  return { ...(at === undefined ? {} : { at }), ...(position === undefined ? {} : { position }) };
};

const noCut = (o: ReceivablesOptions) => {
  if (o.at !== undefined || o.position !== undefined)
    throw new ReceivablesUsageError('--at and --position recompute the ageing from the log: dms receivables ageing --at TIME [--as-of DATE].');
};

/**
 * `dms receivables ageing`: what each dealer (or region) owes on a day, by days past due, with the totals. With `--at`
 * (or `--position`), recomputed from the event log as it stood then instead of the read model: the list printed then.
 */
export const receivablesAgeing = async (runtime: DmsRuntime, o: ReceivablesOptions, out: Out): Promise<number> => {
  const cut = cutOf(o);
  // As printed at a moment: of that moment's day, unless another day is asked for.
  const asOf = o.asOf === undefined && cut?.at ? cut.at.toISOString().slice(0, 10) : asOfOf(o);
  const by = (o.by ?? 'partner') as ReceivablesGroup;
  if (!RECEIVABLES_GROUPS.includes(by)) throw new ReceivablesUsageError(`--by must be ${RECEIVABLES_GROUPS.join(' or ')}, not "${o.by}".`);
  const db = runtime.runner.db;
  const rows = cut ? await agedReceivablesAsOf(runtime.store, cut, { day: asOf, by }, filterOf(o)) : await agedReceivables(db, { asOf, by }, filterOf(o));
  const totals = cut
    ? await receivablesAsOf(runtime.store, cut, asOf, filterOf(o))
    : ((await receivablesOn(db, [{ key: 'asOf', asOf }], filterOf(o))).get('asOf') ?? []);
  if (cut)
    out(
      `Receivables as of ${[cut.at ? cut.at.toISOString() : null, cut.position !== undefined ? `position ${cut.position}` : null].filter(Boolean).join(' and ')}, recomputed from the events recorded by then:`,
    );
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
  noCut(o);
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
      { header: 'shipment', value: (i) => i.shipmentId ?? '' },
      { header: 'dealer', value: (i) => i.partnerId },
      { header: 'invoiced', value: (i) => i.invoicedOn },
      { header: 'due', value: (i) => i.dueOn },
      { header: 'amount', value: (i) => money(i.invoiced), align: 'right' },
      { header: 'settled', value: (i) => money(i.settled), align: 'right' },
      { header: 'owed', value: (i) => money(i.owed), align: 'right' },
      { header: 'days past due', value: (i) => (i.daysPastDue > 0 ? i.daysPastDue : ''), align: 'right' },
      { header: 'bucket', value: (i) => i.bucket },
      { header: 'next due', value: (i) => (i.nextDue ? `${i.nextDue.dueOn} ${money(i.nextDue.owed)}` : '') },
    ]),
  );
  const instalments = invoices.filter((i) => i.dueDates.length > 1);
  if (instalments.length > 0) {
    out('');
    out('Instalments (what is settled pays them oldest first; each is aged by its own due date):');
    out(
      renderTable(
        instalments.flatMap((i) => i.dueDates.map((d, n) => ({ i, d, n }))),
        [
          { header: 'invoice', value: ({ i, n }) => (n === 0 ? i.invoiceId : '') },
          { header: 'due', value: ({ d }) => d.dueOn },
          { header: 'amount', value: ({ d }) => money(d.amount), align: 'right' },
          { header: 'owed', value: ({ d }) => money(d.owed), align: 'right' },
          { header: 'days past due', value: ({ d }) => (d.owed.amountMinor > 0 && d.daysPastDue > 0 ? d.daysPastDue : ''), align: 'right' },
          { header: 'bucket', value: ({ d }) => (d.owed.amountMinor > 0 ? d.bucket : '') },
        ],
      ),
    );
  }
  return 0;
};

/** `dms receivables dunning`: the invoices past due, the dunning level each has reached and when each level was sent. */
export const receivablesDunning = async (runtime: DmsRuntime, o: ReceivablesOptions, out: Out): Promise<number> => {
  noCut(o);
  const asOf = asOfOf(o);
  const invoices = await dunningList(runtime.runner.db, { asOf }, filterOf(o));
  if (invoices.length === 0) {
    out(`No invoices past due at the end of ${asOf}.`);
    return 0;
  }
  out(
    `Dunning at the end of ${asOf}, by the levels of each invoice's agreement (default: level 1 reminder from 1 day past due, 2 from 15, 3 final notice from 30; sent: level on day)`,
  );
  out(
    renderTable(invoices, [
      { header: 'invoice', value: (i) => i.invoiceId },
      { header: 'order', value: (i) => i.orderId },
      { header: 'dealer', value: (i) => i.partnerId },
      { header: 'due', value: (i) => i.dueOn },
      { header: 'owed', value: (i) => money(i.owed), align: 'right' },
      { header: 'days past due', value: (i) => i.daysPastDue, align: 'right' },
      { header: 'level', value: (i) => (i.levelName ? `${i.level} ${i.levelName}` : i.level) },
      { header: 'levels of', value: (i) => i.agreementId ?? 'default' },
      { header: 'next', value: (i) => (i.nextLevel ? `${i.nextLevel.level} on ${i.nextLevel.on}` : '') },
      { header: 'sent', value: (i) => i.sent.map((s) => `${s.level} on ${s.sentAt.slice(0, 10)}`).join(', ') },
    ]),
  );
  return 0;
};

/** `dms receivables dso`: days sales outstanding over a period to date or a range, per currency. */
export const receivablesDso = async (runtime: DmsRuntime, o: ReceivablesOptions, out: Out): Promise<number> => {
  noCut(o);
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
