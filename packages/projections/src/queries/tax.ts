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

export interface DiscountTreatmentView {
  readonly region: string;
  readonly treatment: 'financeCost' | 'reducesTaxableAmount';
  readonly validFrom: string;
  readonly setAt: string;
}

/** Each region's treatments of early-payment discounts, by region and start (a region never set treats them as a finance cost). */
export const listDiscountTreatments = async (
  db: Kysely<ReadModels>,
  filter: { readonly region?: string | undefined } = {},
): Promise<DiscountTreatmentView[]> => {
  let q = db.selectFrom('tax_discount_treatments').selectAll();
  if (filter.region) q = q.where('region', '=', filter.region);
  return (await q.orderBy('region').orderBy('valid_from').execute()).map((r) => ({
    region: r.region,
    treatment: r.treatment as DiscountTreatmentView['treatment'],
    validFrom: r.valid_from,
    setAt: r.set_at,
  }));
};

export interface TaxReportRow {
  readonly region: string;
  readonly currency: string;
  readonly category: string;
  readonly rateBps: number;
  /**
   * Invoiced in the period (net, tax, gross); credit notes in the period and early-payment discounts taken in it that
   * reduce the taxable amount (both as positive amounts); and invoiced less credited less discounted.
   */
  readonly invoiced: { readonly net: Money; readonly tax: Money; readonly gross: Money };
  readonly credited: { readonly net: Money; readonly tax: Money; readonly gross: Money };
  readonly discounted: { readonly net: Money; readonly tax: Money; readonly gross: Money };
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
 * less the credit notes dated in it and less the early-payment discounts taken in it where they reduce the taxable amount. `period` is a month (`2026-03`) or a quarter (`2026-Q1`); a dealer (`scope.partnerId`)
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
      ...(['invoice', 'credit_note', 'discount'] as const).flatMap((document) =>
        (['net', 'tax', 'gross'] as const).map((part) =>
          sql<string>`coalesce(sum(case when document = ${document} then ${sql.ref(`${part}_minor`)} else 0 end), 0)::text`.as(`${document}_${part}`),
        ),
      ),
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
    const amounts = (document: 'invoice' | 'credit_note' | 'discount', sign: 1 | -1) => {
      const of = (part: 'net' | 'tax' | 'gross') => m(sign * Number((r as Record<string, unknown>)[`${document}_${part}`]) || 0, c);
      return { net: of('net'), tax: of('tax'), gross: of('gross') };
    };
    const invoiced = amounts('invoice', 1);
    const credited = amounts('credit_note', -1);
    const discounted = amounts('discount', -1);
    const less = (part: 'net' | 'tax' | 'gross') => m(invoiced[part].amountMinor - credited[part].amountMinor - discounted[part].amountMinor, c);
    return {
      region: r.region,
      currency: c,
      category: r.category,
      rateBps: r.rate_bps,
      invoiced,
      credited,
      discounted,
      net: less('net'),
      tax: less('tax'),
      gross: less('gross'),
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
