import { type DemandForecast, type ForecastMethod, forecastDemand, type ReplenishmentAdvice, replenishmentAdvice } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import { decodeCursor } from './cursor';
import { limitOf, type Page, page } from './stock-shared';

export interface DemandForecastFilter {
  /** The first month forecast (`YYYY-MM`): the history is the complete months before it. */
  readonly asOf: string;
  /** Months of history, 4 to 60. Default 12. */
  readonly history?: number | undefined;
  /** Months forecast, 1 to 24. Default 3. */
  readonly horizon?: number | undefined;
  readonly sku?: string | undefined;
  readonly region?: string | undefined;
  /** Only this dealer's orders (and no stock advice: that is the manufacturer's). */
  readonly partnerId?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface DemandForecastRow {
  readonly sku: string;
  readonly region: string;
  /** Units ordered per month (orders neither rejected nor cancelled, by placement date), oldest first. */
  readonly history: { readonly month: string; readonly quantity: number }[];
  /** Expected units per month, to one decimal. */
  readonly forecast: { readonly month: string; readonly quantity: number }[];
  readonly method: ForecastMethod;
  readonly meanAbsoluteError: number | null;
  /** The region's stock of the SKU over its warehouses; null for a dealer, or where the region keeps none. */
  readonly stock: {
    readonly projected: number;
    readonly available: number;
    /** The longest lead time of the region's reorder policies for the SKU; null without a policy. */
    readonly leadTimeDays: number | null;
    readonly packMultiple: number | null;
    /** Days the projected stock lasts at the forecast rate; null when no demand is forecast. */
    readonly daysOfCover: number | null;
    /** What to do (see `replenishmentAdvice`); null without a lead time. */
    readonly advice: Omit<ReplenishmentAdvice, 'daysOfCover'> | null;
  } | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `YYYY-MM` plus `n` months (n may be negative). */
export const addMonths = (month: string, n: number): string => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Monthly demand per SKU and region from the order read models, and its forecast by `forecastDemand` (the method that
 * backtests best for each series), next to the region's stock: days of cover and, where a reorder policy gives a lead
 * time, whether to order now and how much. One row per SKU and region with any demand in the history window.
 */
export const demandForecast = async (db: Kysely<ReadModels>, filter: DemandForecastFilter): Promise<Page<DemandForecastRow>> => {
  if (!MONTH.test(filter.asOf)) throw new RangeError(`asOf must be a month as YYYY-MM, not "${filter.asOf}".`);
  const months = filter.history ?? 12;
  if (!Number.isSafeInteger(months) || months < 4 || months > 60) throw new RangeError(`history must be 4 to 60 months, not ${months}.`);
  const horizon = filter.horizon ?? 3;
  const limit = limitOf(filter.limit);
  const first = addMonths(filter.asOf, -months);
  const window = Array.from({ length: months }, (_, i) => addMonths(first, i));

  let demand = db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.order_id', 'l.order_id')
    .where('o.placed_at', '>=', `${first}-01`)
    .where('o.placed_at', '<', `${filter.asOf}-01`)
    .where('o.status', 'not in', ['rejected', 'cancelled']);
  if (filter.sku) demand = demand.where('l.sku', '=', filter.sku);
  if (filter.region) demand = demand.where('o.region', '=', filter.region);
  if (filter.partnerId) demand = demand.where('o.partner_id', '=', filter.partnerId);
  let keys = demand.select(['l.sku', 'o.region']).distinct();
  if (filter.cursor) {
    const [s, r] = decodeCursor(filter.cursor, 2) as [string, string];
    keys = keys.where(sql<boolean>`(l.sku, o.region) > (${s}, ${r})`);
  }
  const series = await keys
    .orderBy('l.sku')
    .orderBy('o.region')
    .limit(limit + 1)
    .execute();
  if (series.length === 0) return { items: [], nextCursor: null };
  const shown = series.slice(0, limit);
  const skus = [...new Set(shown.map((k) => k.sku))];

  const quantities = await demand
    .where('l.sku', 'in', skus)
    .select(['l.sku', 'o.region', sql<string>`substr(o.placed_at, 1, 7)`.as('month'), sql<number>`sum(l.quantity)::int`.as('quantity')])
    .groupBy(['l.sku', 'o.region', sql`substr(o.placed_at, 1, 7)`])
    .execute();
  const byKey = new Map<string, Map<string, number>>();
  for (const q of quantities) {
    const key = `${q.sku}\u0000${q.region}`;
    const m = byKey.get(key) ?? new Map<string, number>();
    m.set(q.month, q.quantity);
    byKey.set(key, m);
  }

  const stock = new Map<string, { projected: number; available: number; lead_time_days: number | null; pack_multiple: number | null }>();
  if (!filter.partnerId) {
    const rows = await db
      .selectFrom('stock_levels as s')
      .innerJoin('stock_warehouses as w', 'w.warehouse_id', 's.warehouse_id')
      .where('s.sku', 'in', skus)
      .select([
        's.sku',
        'w.region',
        sql<number>`sum(s.projected)::int`.as('projected'),
        sql<number>`sum(s.available)::int`.as('available'),
        sql<number | null>`max(s.lead_time_days)`.as('lead_time_days'),
        sql<number | null>`max(s.pack_multiple)`.as('pack_multiple'),
      ])
      .groupBy(['s.sku', 'w.region'])
      .execute();
    for (const r of rows) stock.set(`${r.sku}\u0000${r.region}`, r);
  }

  return page(
    series,
    limit,
    (k) => {
      const counts = byKey.get(`${k.sku}\u0000${k.region}`) ?? new Map<string, number>();
      const history = window.map((month) => ({ month, quantity: counts.get(month) ?? 0 }));
      const f: DemandForecast = forecastDemand(
        history.map((h) => h.quantity),
        { horizon },
      );
      const s = stock.get(`${k.sku}\u0000${k.region}`);
      const a = s && replenishmentAdvice(f, { projected: s.projected, leadTimeDays: s.lead_time_days ?? 0, packMultiple: s.pack_multiple ?? 1 });
      return {
        sku: k.sku,
        region: k.region,
        history,
        forecast: f.forecast.map((quantity, i) => ({ month: addMonths(filter.asOf, i), quantity: round1(quantity) })),
        method: f.method,
        meanAbsoluteError: f.meanAbsoluteError === null ? null : round1(f.meanAbsoluteError),
        stock:
          s && a
            ? {
                projected: s.projected,
                available: s.available,
                leadTimeDays: s.lead_time_days,
                packMultiple: s.pack_multiple,
                daysOfCover: a.daysOfCover === null ? null : Math.round(a.daysOfCover),
                advice:
                  s.lead_time_days === null
                    ? null
                    : {
                        leadTimeDemand: round1(a.leadTimeDemand),
                        safetyStock: round1(a.safetyStock),
                        atRisk: a.atRisk,
                        suggestedQuantity: a.suggestedQuantity,
                      },
              }
            : null,
      };
    },
    (k) => [k.sku, k.region],
  );
};
