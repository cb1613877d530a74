import { type Money, periodEnd, periodStart } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels, TaxRatesTable } from '../schema';

export interface TaxRateView {
  readonly region: string;
  readonly rateId: string;
  readonly category: string;
  readonly rateBps: number;
  readonly validFrom: string;
  /** Exclusive; null while open-ended. */
  readonly validTo: string | null;
  readonly name: string | null;
  readonly publishedAt: string;
  readonly endedAt: string | null;
  readonly supersededBy: string | null;
}

const view = (r: TaxRatesTable): TaxRateView => ({
  region: r.region,
  rateId: r.rate_id,
  category: r.category,
  rateBps: r.rate_bps,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  name: r.name,
  publishedAt: r.published_at,
  endedAt: r.ended_at,
  supersededBy: r.superseded_by,
});

/**
 * The tax rates, by region, category and start; with `at`, only those in force at that instant.
 *
 * @example
 *   await listTaxRates(db, { region: 'de', at: '2026-03-10T09:00:00Z' });
 */
export const listTaxRates = async (
  db: Kysely<ReadModels>,
  filter: { readonly region?: string | undefined; readonly at?: string | undefined } = {},
): Promise<TaxRateView[]> => {
  let q = db.selectFrom('tax_rates').selectAll();
  if (filter.region) q = q.where('region', '=', filter.region);
  const rows = await q.orderBy('region').orderBy('category').orderBy('valid_from').orderBy('rate_id').execute();
  const at = filter.at === undefined ? undefined : Date.parse(filter.at);
  return (at === undefined ? rows : rows.filter((r) => Date.parse(r.valid_from) <= at && (r.valid_to === null || at < Date.parse(r.valid_to)))).map(view);
};

export interface TaxReportRow {
  readonly region: string;
  readonly currency: string;
  readonly category: string;
  readonly rateBps: number;
  /** Invoiced in the period (net, tax, gross), credit notes in the period (as positive amounts), and invoiced less credited. */
  readonly invoiced: { readonly net: Money; readonly tax: Money; readonly gross: Money };
  readonly credited: { readonly net: Money; readonly tax: Money; readonly gross: Money };
  readonly net: Money;
  readonly tax: Money;
  readonly gross: Money;
  readonly documents: number;
}

export interface TaxReport {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly rows: TaxReportRow[];
  /** Per currency: the sums of the rows (never added across currencies). */
  readonly totals: { readonly currency: string; readonly net: Money; readonly tax: Money; readonly gross: Money }[];
}

const m = (amount: string | number | bigint, currency: string): Money => ({ amountMinor: Number(amount), currency });

/**
 * Tax by period, region, currency, category and rate, from the tax ledger (`tax_entries`): the invoices dated in the period
 * less the credit notes dated in it. `period` is a month (`2026-03`) or a quarter (`2026-Q1`); a dealer (`scope.partnerId`)
 * sees only its own documents.
 */
export const taxReport = async (
  db: Kysely<ReadModels>,
  filter: { readonly period: string; readonly region?: string | undefined; readonly partnerId?: string | undefined },
  scope: { readonly partnerId?: string | undefined } = {},
): Promise<TaxReport> => {
  const from = periodStart(filter.period);
  const to = periodEnd(filter.period);
  let q = db
    .selectFrom('tax_entries')
    .select([
      'region',
      'currency',
      'category',
      'rate_bps',
      sql<string>`coalesce(sum(case when document = 'invoice' then net_minor else 0 end), 0)::text`.as('inv_net'),
      sql<string>`coalesce(sum(case when document = 'invoice' then tax_minor else 0 end), 0)::text`.as('inv_tax'),
      sql<string>`coalesce(sum(case when document = 'invoice' then gross_minor else 0 end), 0)::text`.as('inv_gross'),
      sql<string>`coalesce(sum(case when document = 'credit_note' then -net_minor else 0 end), 0)::text`.as('cr_net'),
      sql<string>`coalesce(sum(case when document = 'credit_note' then -tax_minor else 0 end), 0)::text`.as('cr_tax'),
      sql<string>`coalesce(sum(case when document = 'credit_note' then -gross_minor else 0 end), 0)::text`.as('cr_gross'),
      sql<number>`count(distinct (document, document_id, order_id))::int`.as('documents'),
    ])
    .where('date', '>=', from)
    .where('date', '<=', to);
  if (filter.region) q = q.where('region', '=', filter.region);
  if (filter.partnerId) q = q.where('partner_id', '=', filter.partnerId);
  if (scope.partnerId !== undefined) q = q.where('partner_id', '=', scope.partnerId);
  const rows = await q
    .groupBy(['region', 'currency', 'category', 'rate_bps'])
    .orderBy('region')
    .orderBy('currency')
    .orderBy('rate_bps', 'desc')
    .orderBy('category')
    .execute();
  const out: TaxReportRow[] = rows.map((r) => {
    const c = r.currency;
    const invoiced = { net: m(r.inv_net, c), tax: m(r.inv_tax, c), gross: m(r.inv_gross, c) };
    const credited = { net: m(r.cr_net, c), tax: m(r.cr_tax, c), gross: m(r.cr_gross, c) };
    return {
      region: r.region,
      currency: c,
      category: r.category,
      rateBps: r.rate_bps,
      invoiced,
      credited,
      net: m(invoiced.net.amountMinor - credited.net.amountMinor, c),
      tax: m(invoiced.tax.amountMinor - credited.tax.amountMinor, c),
      gross: m(invoiced.gross.amountMinor - credited.gross.amountMinor, c),
      documents: r.documents,
    };
  });
  const totals = new Map<string, { net: number; tax: number; gross: number }>();
  for (const r of out) {
    const t = totals.get(r.currency) ?? { net: 0, tax: 0, gross: 0 };
    totals.set(r.currency, { net: t.net + r.net.amountMinor, tax: t.tax + r.tax.amountMinor, gross: t.gross + r.gross.amountMinor });
  }
  return {
    period: filter.period,
    from,
    to,
    rows: out,
    totals: [...totals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, net: m(t.net, currency), tax: m(t.tax, currency), gross: m(t.gross, currency) })),
  };
};
