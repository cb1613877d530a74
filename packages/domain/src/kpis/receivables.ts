import { daysBetween } from '../shared/calendar';
import type { Money } from '../shared/money';
import { decimalQuotient } from './ratio';

/**
 * Ageing buckets of receivables by days past due on the day of reporting: `current` (not yet due, or due that day),
 * then 1-30, 31-60, 61-90 and more than 90 days past due. `maxDaysPastDue` bounds each bucket from above (inclusive).
 */
export const AGEING_BUCKETS = [
  { bucket: 'current', maxDaysPastDue: 0 },
  { bucket: 'd1_30', maxDaysPastDue: 30 },
  { bucket: 'd31_60', maxDaysPastDue: 60 },
  { bucket: 'd61_90', maxDaysPastDue: 90 },
  { bucket: 'over90', maxDaysPastDue: null },
] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number]['bucket'];
export const AGEING_BUCKET_NAMES: readonly AgeingBucket[] = AGEING_BUCKETS.map((b) => b.bucket);

/** The bucket of an amount `daysPastDue` days after its due date (zero or less: not yet overdue). */
export const ageingBucketOf = (daysPastDue: number): AgeingBucket =>
  AGEING_BUCKETS.find((b) => b.maxDaysPastDue === null || daysPastDue <= b.maxDaysPastDue)!.bucket;

/** Days from the due date to `asOf`: positive when overdue. */
export const daysPastDue = (dueOn: string, asOf: string): number => daysBetween(dueOn, asOf);

/** One invoice and what has been set against it. */
export interface Receivable {
  readonly currency: string;
  readonly invoicedOn: string;
  readonly dueOn: string;
  /** The invoice amount, minor units. */
  readonly invoicedMinor: number;
  /** Credit notes and payments against the invoice's order, each on its date, as positive amounts that reduce what is owed. */
  readonly settlements: readonly { readonly on: string; readonly amountMinor: number }[];
  /** Its instalments, oldest due first, adding up to the invoice (the last due on `dueOn`); absent: one, due on `dueOn`. */
  readonly instalments?: readonly { readonly dueOn: string; readonly amountMinor: number }[] | undefined;
}

/** What is still owed on one due date of an invoice. */
export interface OwedOnDueDate {
  readonly dueOn: string;
  readonly owedMinor: number;
}

/**
 * What an invoice owing `owedMinor` (positive) still owes on each of its due dates: what has been settled (invoiced less
 * owed) pays its instalments oldest due first, so what is owed sits on the latest ones. Without instalments, all of it
 * on the due date. Due dates with nothing owed are left out; the rest add up to `owedMinor` (property-tested).
 * @example owedByDueDate({ dueOn: '2026-04-01', invoicedMinor: 1_000_00, instalments: [{ dueOn: '2026-01-31', amountMinor: 500_00 }, { dueOn: '2026-03-02', amountMinor: 300_00 }, { dueOn: '2026-04-01', amountMinor: 200_00 }] }, 400_00)
 * // [{ dueOn: '2026-03-02', owedMinor: 200_00 }, { dueOn: '2026-04-01', owedMinor: 200_00 }]
 */
export const owedByDueDate = (r: Pick<Receivable, 'dueOn' | 'invoicedMinor' | 'instalments'>, owedMinor: number): OwedOnDueDate[] => {
  if (owedMinor <= 0) return [];
  if (!r.instalments || r.instalments.length === 0) return [{ dueOn: r.dueOn, owedMinor }];
  const settled = BigInt(r.invoicedMinor) - BigInt(owedMinor);
  // Owed beyond the invoice (more taken back than was settled) sits on the last due date, as the SQL puts it.
  const beyond = settled < 0n ? -settled : 0n;
  const parts: OwedOnDueDate[] = [];
  let through = 0n;
  r.instalments.forEach((instalment, n) => {
    const amount = BigInt(instalment.amountMinor);
    through += amount;
    const open = through - settled;
    const owed = (open <= 0n ? 0n : open > amount ? amount : open) + (n === r.instalments!.length - 1 ? beyond : 0n);
    if (owed > 0n) parts.push({ dueOn: instalment.dueOn, owedMinor: Number(owed) });
  });
  return parts;
};

/**
 * What is still owed on an invoice at the end of `asOf`: the invoice less the credit notes and payments dated on or
 * before `asOf`; null before the invoice date (there is nothing to collect yet, even if a credit note came first).
 * Negative when more was credited than was still owed: a credit balance in the dealer's favour.
 */
export const outstandingOn = (r: Receivable, asOf: string): number | null => {
  if (r.invoicedOn > asOf) return null;
  let owed = BigInt(r.invoicedMinor);
  for (const s of r.settlements) if (s.on <= asOf) owed -= BigInt(s.amountMinor);
  return Number(owed);
};

export interface AgeingFigures {
  readonly currency: string;
  /** Invoices with something still owed. */
  readonly openInvoices: number;
  /** Everything still owed, the sum of the buckets. */
  readonly outstanding: Money;
  readonly buckets: Readonly<Record<AgeingBucket, Money>>;
  /** Owed and past due: every bucket but `current`. */
  readonly overdue: Money;
  readonly overdueInvoices: number;
  /** Credits in the dealers' favour (invoices credited beyond what was owed), as a positive amount; not in the buckets. */
  readonly creditBalance: Money;
}

const money = (amountMinor: bigint, currency: string): Money => ({ amountMinor: Number(amountMinor), currency });

/**
 * Aged receivables at the end of `asOf`, one entry per currency (amounts in different currencies are never added up),
 * in currency order. What each invoice still owes lands in the bucket of its days past due, due date by due date: an
 * invoice with instalments in as many buckets as it has instalments owed (`owedByDueDate`), counted once as open and
 * once as overdue when any of it is past due.
 */
export const ageReceivables = (receivables: Iterable<Receivable>, asOf: string): AgeingFigures[] => {
  interface Acc {
    open: number;
    overdueInvoices: number;
    buckets: Record<AgeingBucket, bigint>;
    credit: bigint;
  }
  const byCurrency = new Map<string, Acc>();
  for (const r of receivables) {
    const owed = outstandingOn(r, asOf);
    if (owed === null || owed === 0) continue;
    let acc = byCurrency.get(r.currency);
    if (!acc) {
      acc = { open: 0, overdueInvoices: 0, buckets: { current: 0n, d1_30: 0n, d31_60: 0n, d61_90: 0n, over90: 0n }, credit: 0n };
      byCurrency.set(r.currency, acc);
    }
    if (owed < 0) {
      acc.credit -= BigInt(owed);
      continue;
    }
    acc.open += 1;
    let overdue = false;
    for (const part of owedByDueDate(r, owed)) {
      const bucket = ageingBucketOf(daysPastDue(part.dueOn, asOf));
      if (bucket !== 'current') overdue = true;
      acc.buckets[bucket] += BigInt(part.owedMinor);
    }
    if (overdue) acc.overdueInvoices += 1;
  }
  return [...byCurrency]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, acc]) => {
      const total = Object.values(acc.buckets).reduce((a, b) => a + b, 0n);
      return {
        currency,
        openInvoices: acc.open,
        outstanding: money(total, currency),
        buckets: Object.fromEntries(Object.entries(acc.buckets).map(([k, v]) => [k, money(v, currency)])) as Record<AgeingBucket, Money>,
        overdue: money(total - acc.buckets.current, currency),
        overdueInvoices: acc.overdueInvoices,
        creditBalance: money(acc.credit, currency),
      };
    });
};

/**
 * Days sales outstanding over a range: what is owed at its end over the net credit sales invoiced in it (invoices less
 * credit notes), times its length in days; one decimal (half away from zero). Null without positive sales to compare
 * with. Both amounts must be in the same currency.
 * @example daysSalesOutstanding({ receivables: eur(50_000), netSales: eur(150_000), days: 30 }) // 10
 */
export const daysSalesOutstanding = (figures: { readonly receivables: Money; readonly netSales: Money; readonly days: number }): number | null => {
  if (figures.receivables.currency !== figures.netSales.currency)
    throw new RangeError(`cannot compare ${figures.receivables.currency} receivables with ${figures.netSales.currency} sales`);
  if (figures.netSales.amountMinor <= 0) return null;
  return decimalQuotient(BigInt(figures.receivables.amountMinor) * BigInt(figures.days), figures.netSales.amountMinor, 1);
};
