import { AGEING_BUCKETS, type AgeingBucket, type AgeingFigures, ageingBucketOf, daysPastDue, daysSalesOutstanding, type Money, rangeDays } from '@dms/domain';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ReadModels } from '../../schema';
import {
  byKey,
  daysFromTo,
  daysTable,
  executePrepared,
  type KeyedDay,
  type KeyedRange,
  type KpiFilter,
  type KpiPart,
  type KpiScope,
  minor,
  orderConditions,
  rangesTable,
  runKpiPart,
} from './common';

const inBucket = (days: RawBuilder<number>, i: number) => {
  const bucket = AGEING_BUCKETS[i]!;
  const above = i === 0 ? sql`true` : sql`${days} > ${AGEING_BUCKETS[i - 1]!.maxDaysPastDue}`;
  return bucket.maxDaysPastDue === null ? above : sql`${above} and ${days} <= ${bucket.maxDaysPastDue}`;
};

/** What aged receivables can be broken down by. */
export const RECEIVABLES_GROUPS = ['partner', 'region'] as const;
export type ReceivablesGroup = (typeof RECEIVABLES_GROUPS)[number];

type AgeingRow = Record<AgeingBucket, string> & {
  key: string;
  grp: string | null;
  currency: string;
  open_invoices: number;
  overdue_invoices: number;
  credit: string;
};

/**
 * What is owed on each invoice at the end of each day: the invoice less the credit notes, payments and discounts dated by
 * then that settle it (on the whole order's invoice, every one of the order's; on a shipment's, those naming it), for
 * every invoice issued by then and not settled for good before it. The one place receivables are computed: the ageing
 * buckets and the open-invoice list both read it.
 */
const owedPerInvoice = (days: readonly KeyedDay[], filter: KpiFilter, scope: KpiScope, group: RawBuilder<unknown> = sql`null::text`) => sql`
  select b.key, b.as_of, ${group} as grp, o.order_id, o.invoice_id, o.shipment_id, o.partner_id, o.region, o.currency, o.invoiced_on,
    o.due_on, o.invoiced_minor, o.invoiced_minor - coalesce(sum(r.amount_minor), 0) as owed
  from ${daysTable(days)}
  join kpi_invoices o on o.invoiced_on <= b.as_of and (o.closed_on is null or o.closed_on > b.as_of)
  left join kpi_receivables r on r.order_id = o.order_id and r.on_date <= b.as_of and (o.shipment_id is null or r.invoice_id = o.invoice_id)
  where ${orderConditions(filter, scope)}
  group by b.key, b.as_of, o.order_id, o.invoice_id, ${group}`;

/**
 * What each invoice owes on each of its due dates at the end of each day, from `owedPerInvoice`: an invoice with
 * instalments (`kpi_instalments`) one row per instalment, what is settled paying them oldest first (the domain's
 * `owedByDueDate`), so `part_owed` is the instalment less what of it is paid; any other invoice (and one owing nothing
 * or in credit) one row, `part_owed` = `owed`, on its due date. The `part_owed` of an invoice add up to its `owed`.
 */
const owedPerDueDate = (days: readonly KeyedDay[], filter: KpiFilter, scope: KpiScope, group?: RawBuilder<unknown>) => sql`
  select w.*, coalesce(i.seq, 1) as part_seq, coalesce(i.due_on, w.due_on) as part_due_on, coalesce(i.amount_minor, w.invoiced_minor) as part_amount,
    case when i.invoice_id is null then w.owed
      else least(i.amount_minor, greatest(0, i.through_minor - (w.invoiced_minor - w.owed)))
        + case when i.through_minor >= w.invoiced_minor then greatest(0, w.owed - w.invoiced_minor) else 0 end
    end as part_owed
  from (${owedPerInvoice(days, filter, scope, group)}) w
  left join kpi_instalments i on w.owed > 0 and i.order_id = w.order_id and i.invoice_id = w.invoice_id`;

/** The aged receivables at the end of each day per currency (and per group): see `receivablesOn`. */
const ageing = async (db: Kysely<ReadModels>, days: readonly KeyedDay[], filter: KpiFilter, scope: KpiScope, by?: ReceivablesGroup) =>
  (await executePrepared(db, ageingStatement(days, filter, scope, by))).rows;

const ageingStatement = (days: readonly KeyedDay[], filter: KpiFilter, scope: KpiScope, by?: ReceivablesGroup) => {
  const pastDue = daysFromTo(sql`part_due_on`, sql`as_of`);
  const group = by === 'partner' ? sql`o.partner_id` : by === 'region' ? sql`o.region` : sql`null::text`;
  const perInvoice = AGEING_BUCKETS.map((b, i) => sql`coalesce(sum(part_owed) filter (where part_owed > 0 and ${inBucket(pastDue, i)}), 0)`.as(b.bucket));
  const buckets = AGEING_BUCKETS.map((b) => sql`sum(${sql.ref(b.bucket)})::text`.as(b.bucket));
  return sql<AgeingRow>`
    with parts as (${owedPerDueDate(days, filter, scope, group)}),
    invoices as (
      select key, grp, currency, owed, bool_or(part_owed > 0 and ${pastDue} > 0) as overdue, ${sql.join(perInvoice)}
      from parts
      where owed <> 0
      group by key, grp, currency, order_id, invoice_id, owed
    )
    select key, grp, currency,
      (count(*) filter (where owed > 0))::int as open_invoices,
      (count(*) filter (where owed > 0 and overdue))::int as overdue_invoices,
      coalesce(-sum(owed) filter (where owed < 0), 0)::text as credit,
      ${sql.join(buckets)}
    from invoices
    group by key, grp, currency
    order by key, currency, grp`;
};

const ageingFigures = (r: AgeingRow): AgeingFigures => {
  const money = (v: string | number): Money => ({ amountMinor: minor(v), currency: r.currency });
  const amounts = AGEING_BUCKETS.map((b) => minor(r[b.bucket]));
  const total = amounts.reduce((a, b) => a + b, 0);
  return {
    currency: r.currency,
    openInvoices: r.open_invoices,
    outstanding: money(total),
    buckets: Object.fromEntries(AGEING_BUCKETS.map((b, i) => [b.bucket, money(amounts[i]!)])) as AgeingFigures['buckets'],
    overdue: money(total - amounts[0]!),
    overdueInvoices: r.overdue_invoices,
    creditBalance: money(r.credit),
  };
};

/**
 * Aged receivables at the end of each day, per currency, exactly as the domain's `ageReceivables` defines them: each
 * invoice issued by then, less the credit notes and payments dated by then, lands in the bucket of its days past due,
 * instalment by instalment (the oldest paid first); what was credited beyond what was owed is a credit balance apart. Invoices settled for good before the day are
 * skipped by their `closed_on`, so a year of month-ends reads only what was open at each.
 */
export const receivablesOn = (
  db: Kysely<ReadModels>,
  days: readonly KeyedDay[],
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<Map<string, AgeingFigures[]>> => runKpiPart(db, receivablesPart(days, filter, scope));

/** `receivablesOn`'s statement and figures. */
export const receivablesPart = (days: readonly KeyedDay[], filter: KpiFilter, scope: KpiScope): KpiPart<Map<string, AgeingFigures[]>> => ({
  statements: { ageing: ageingStatement(days, filter, scope) },
  figures: ({ ageing }) => {
    const grouped = byKey(ageing as AgeingRow[]);
    return new Map(days.map((d) => [d.key, (grouped.get(d.key) ?? []).map(ageingFigures)]));
  },
});

export interface AgedReceivablesRow extends AgeingFigures {
  /** The partner id or region. */
  readonly group: string;
  /** The partner's name. */
  readonly name: string | null;
}

/** Aged receivables at the end of `asOf` per partner or region and currency, most overdue first: the collector's list. */
export const agedReceivables = async (
  db: Kysely<ReadModels>,
  query: { readonly asOf: string; readonly by: ReceivablesGroup },
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<AgedReceivablesRow[]> => {
  const rows = await ageing(db, [{ key: 'asOf', asOf: query.asOf }], filter, scope, query.by);
  const names =
    query.by === 'partner' && rows.length > 0
      ? new Map(
          (
            await db
              .selectFrom('partners')
              .select(['partner_id', 'name'])
              .where(
                'partner_id',
                'in',
                rows.map((r) => r.grp ?? ''),
              )
              .execute()
          ).map((p) => [p.partner_id, p.name]),
        )
      : new Map<string, string>();
  return rows
    .map((r) => ({ group: r.grp ?? '', name: names.get(r.grp ?? '') ?? null, ...ageingFigures(r) }))
    .sort(
      (a, b) =>
        a.currency.localeCompare(b.currency) ||
        b.overdue.amountMinor - a.overdue.amountMinor ||
        b.outstanding.amountMinor - a.outstanding.amountMinor ||
        a.group.localeCompare(b.group),
    );
};

/** One due date of an open invoice: each instalment, or the invoice's one due date. */
export interface OpenInvoiceDueDate {
  readonly dueOn: string;
  /** What it asks for: the instalment, or the whole invoice. */
  readonly amount: Money;
  /** Still owed on it at the end of `asOf`: what is settled on the invoice pays its instalments oldest first. */
  readonly owed: Money;
  /** `asOf` less its due date: positive when overdue. */
  readonly daysPastDue: number;
  readonly bucket: AgeingBucket;
}

export interface OpenInvoiceRow {
  readonly invoiceId: string;
  readonly orderId: string;
  /** The shipment it bills, on an order invoiced per shipment or per delivery; null on the whole order's invoice. */
  readonly shipmentId: string | null;
  readonly partnerId: string;
  /** The partner's name. */
  readonly name: string | null;
  readonly region: string;
  readonly invoicedOn: string;
  /** Its (last) due date. */
  readonly dueOn: string;
  readonly invoiced: Money;
  /** Credit notes and payments dated by `asOf`. */
  readonly settled: Money;
  /** Still owed at the end of `asOf`: invoiced less settled. */
  readonly owed: Money;
  /** Owed on its due dates already past. */
  readonly overdue: Money;
  /** The due date of its oldest instalment still owed (`dueOn` on an invoice without instalments): what it is aged from. */
  readonly oldestDueOn: string;
  /** `asOf` less `oldestDueOn`: positive when overdue. */
  readonly daysPastDue: number;
  /** The bucket of `daysPastDue`. */
  readonly bucket: AgeingBucket;
  /** Its next due date not yet past, with what is owed on it; null when every due date has passed. */
  readonly nextDue: { readonly dueOn: string; readonly owed: Money } | null;
  /** Each instalment (one entry for an invoice without), oldest due first: the ageing adds up their `owed` by bucket. */
  readonly dueDates: OpenInvoiceDueDate[];
}

/**
 * The invoices with something owed at the end of `asOf` (what the ageing buckets add up, due date by due date), oldest
 * due date still owed first: behind each dealer's ageing row, what to collect. A credit balance (credited beyond the
 * invoice) is not an open invoice.
 */
export const openInvoices = async (
  db: Kysely<ReadModels>,
  query: { readonly asOf: string },
  filter: KpiFilter = {},
  scope: KpiScope = {},
): Promise<OpenInvoiceRow[]> => {
  const { rows } = await sql<{
    invoice_id: string;
    order_id: string;
    shipment_id: string | null;
    partner_id: string;
    name: string | null;
    region: string;
    currency: string;
    invoiced_on: string;
    due_on: string;
    invoiced_minor: string;
    owed: string;
    part_due_on: string;
    part_amount: string;
    part_owed: string;
  }>`
    with parts as (${owedPerDueDate([{ key: 'asOf', asOf: query.asOf }], filter, scope)})
    select parts.invoice_id, parts.order_id, parts.shipment_id, parts.partner_id, p.name, parts.region, parts.currency, parts.invoiced_on, parts.due_on,
      parts.invoiced_minor::text, parts.owed::text, parts.part_due_on, parts.part_amount::text, parts.part_owed::text
    from parts left join partners p on p.partner_id = parts.partner_id
    where parts.owed > 0
    order by parts.due_on, parts.partner_id, parts.order_id, parts.invoice_id, parts.part_seq`.execute(db);
  const invoices = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = JSON.stringify([r.order_id, r.invoice_id]);
    invoices.set(key, [...(invoices.get(key) ?? []), r]);
  }
  return (
    [...invoices.values()]
      .map((parts) => {
        const r = parts[0]!;
        const money = (v: string | number): Money => ({ amountMinor: minor(v), currency: r.currency });
        const dueDates = parts.map((part) => {
          const pastDue = daysPastDue(part.part_due_on, query.asOf);
          return {
            dueOn: part.part_due_on,
            amount: money(part.part_amount),
            owed: money(part.part_owed),
            daysPastDue: pastDue,
            bucket: ageingBucketOf(pastDue),
          };
        });
        const owing = dueDates.filter((d) => d.owed.amountMinor > 0);
        const oldest = owing[0] ?? dueDates.at(-1)!;
        const next = owing.find((d) => d.daysPastDue <= 0);
        return {
          invoiceId: r.invoice_id,
          orderId: r.order_id,
          shipmentId: r.shipment_id,
          partnerId: r.partner_id,
          name: r.name,
          region: r.region,
          invoicedOn: r.invoiced_on,
          dueOn: r.due_on,
          invoiced: money(r.invoiced_minor),
          settled: money(minor(r.invoiced_minor) - minor(r.owed)),
          owed: money(r.owed),
          overdue: money(owing.filter((d) => d.daysPastDue > 0).reduce((a, d) => a + d.owed.amountMinor, 0)),
          oldestDueOn: oldest.dueOn,
          daysPastDue: oldest.daysPastDue,
          bucket: oldest.bucket,
          nextDue: next ? { dueOn: next.dueOn, owed: next.owed } : null,
          dueDates,
        };
      })
      // Stable: among the same oldest due date, in the database's order (by last due date, dealer, order, invoice).
      .sort((a, b) => (a.oldestDueOn < b.oldestDueOn ? -1 : a.oldestDueOn > b.oldestDueOn ? 1 : 0))
  );
};

export interface DsoFigures {
  readonly currency: string;
  /** Owed at the end of the range (aged receivables' outstanding). */
  readonly receivables: Money;
  /** Invoices issued in the range less credit notes issued in it. */
  readonly netSales: Money;
  /** Days in the range. */
  readonly days: number;
  /** Days sales outstanding, one decimal; null without positive net sales. */
  readonly dsoDays: number | null;
}

type NetInvoicedRow = { key: string; currency: string; net: string };

/** Net credit sales per range and currency: invoices issued in it less credit notes issued in it. */
export const netInvoicedPart = (ranges: readonly KeyedRange[], filter: KpiFilter, scope: KpiScope): KpiPart<Map<string, NetInvoicedRow[]>> => ({
  statements: {
    net: sql<NetInvoicedRow>`
    select key, currency, sum(amount)::text as net from (
      select b.key, o.currency, o.invoiced_minor as amount
      from ${rangesTable(ranges)}
      join kpi_invoices o on o.invoiced_on >= b.from_date and o.invoiced_on <= b.to_date
      where ${orderConditions(filter, scope)}
      union all
      select b.key, o.currency, -r.amount_minor
      from ${rangesTable(ranges)}
      join kpi_receivables r on r.kind = 'credit_note' and r.on_date >= b.from_date and r.on_date <= b.to_date
      join kpi_orders o on o.order_id = r.order_id
      where ${orderConditions(filter, scope)}
    ) x
    group by key, currency`,
  },
  figures: ({ net }) => byKey(net as NetInvoicedRow[]),
});

/**
 * Days sales outstanding per range and currency: receivables at the end of the range over its net credit sales, times
 * its days (the domain's `daysSalesOutstanding`). Reuses `receivables` when the caller already aged the range ends.
 */
export const dsoByRange = async (
  db: Kysely<ReadModels>,
  ranges: readonly KeyedRange[],
  filter: KpiFilter = {},
  scope: KpiScope = {},
  receivables?: Map<string, AgeingFigures[]>,
): Promise<Map<string, DsoFigures[]>> => {
  const [owed, sales] = await Promise.all([
    receivables ??
      receivablesOn(
        db,
        ranges.map((r) => ({ key: r.key, asOf: r.to })),
        filter,
        scope,
      ),
    runKpiPart(db, netInvoicedPart(ranges, filter, scope)),
  ]);
  return dsoOf(ranges, owed, sales);
};

/** DSO per range and currency from the receivables at the ends of the ranges and the net credit sales in them. */
export const dsoOf = (ranges: readonly KeyedRange[], owed: Map<string, AgeingFigures[]>, sales: Map<string, NetInvoicedRow[]>): Map<string, DsoFigures[]> =>
  new Map(
    ranges.map((range) => {
      const byCurrency = new Map<string, { receivables: number; netSales: number }>();
      for (const a of owed.get(range.key) ?? []) byCurrency.set(a.currency, { receivables: a.outstanding.amountMinor, netSales: 0 });
      for (const s of sales.get(range.key) ?? []) {
        const entry = byCurrency.get(s.currency) ?? { receivables: 0, netSales: 0 };
        entry.netSales = minor(s.net);
        byCurrency.set(s.currency, entry);
      }
      const days = rangeDays(range);
      return [
        range.key,
        [...byCurrency]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([currency, f]) => {
            const receivablesMoney = { amountMinor: f.receivables, currency };
            const netSales = { amountMinor: f.netSales, currency };
            return {
              currency,
              receivables: receivablesMoney,
              netSales,
              days,
              dsoDays: daysSalesOutstanding({ receivables: receivablesMoney, netSales, days }),
            };
          }),
      ];
    }),
  );
