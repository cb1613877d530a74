import { addDays, type Money, type SeriesBucket } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../../schema';
import { type KpiPart, rangesTable, runKpiPart } from './common';

/** What a stock series is per: a SKU in each warehouse, in each region, or over every warehouse. */
export const STOCK_SERIES_GROUPS = ['warehouse', 'region', 'total'] as const;
export type StockSeriesGroup = (typeof STOCK_SERIES_GROUPS)[number];

export interface StockHistoryQuery {
  readonly buckets: readonly SeriesBucket[];
  readonly groupBy?: StockSeriesGroup | undefined;
  readonly sku?: string | undefined;
  readonly warehouseId?: string | undefined;
  readonly region?: string | undefined;
}

export interface StockHistoryPoint {
  readonly sku: string;
  /** The warehouse or region; null for the total over every warehouse. */
  readonly group: string | null;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly partial: boolean;
  /** On hand at the end of the period (by business date). */
  readonly onHand: number;
  readonly reserved: number;
  /** onHand - reserved */
  readonly available: number;
  /**
   * Stock value at moving-average cost at the end of the period; null for a dealer (cost is the manufacturer's), and
   * when the warehouses of a region or total value the SKU in different currencies.
   */
  readonly value: Money | null;
}

/**
 * Stock on hand at the end of every bucket, per SKU and warehouse, region or in total, from the daily changes
 * (`stock_daily`): the balance before the first bucket plus each bucket's changes, by business date. A series starts
 * with the first bucket in which its SKU has stock or has moved.
 */
export const stockHistory = async (
  db: Kysely<ReadModels>,
  query: StockHistoryQuery,
  options: { readonly withValue: boolean },
): Promise<StockHistoryPoint[]> => {
  const { buckets } = query;
  if (buckets.length === 0) return [];
  const groupBy = query.groupBy ?? 'total';
  const opening = { key: '', from: '0001-01-01', to: addDays(buckets[0]!.from, -1) };
  const ranges = [opening, ...buckets.map((b) => ({ key: b.period, from: b.from, to: b.to }))];
  const group = groupBy === 'warehouse' ? sql`d.warehouse_id` : groupBy === 'region' ? sql`coalesce(w.region, 'unassigned')` : sql`null::text`;
  const conditions = [sql`true`];
  if (query.sku !== undefined) conditions.push(sql`d.sku = ${query.sku}`);
  if (query.warehouseId !== undefined) conditions.push(sql`d.warehouse_id = ${query.warehouseId}`);
  if (query.region !== undefined) conditions.push(sql`w.region = ${query.region}`);
  const { rows } = await sql<{
    sku: string;
    grp: string | null;
    currency: string | null;
    other_currency: string | null;
    key: string;
    on_hand: string;
    reserved: string;
    value: string;
  }>`
    select d.sku, ${group} as grp, min(d.currency) as currency, max(d.currency) as other_currency, b.key,
      sum(d.on_hand_change)::text as on_hand, sum(d.reserved_change)::text as reserved, sum(d.value_change_minor)::text as value
    from stock_daily d
    left join stock_warehouses w on w.warehouse_id = d.warehouse_id
    join ${rangesTable(ranges)} on d.day >= b.from_date and d.day <= b.to_date
    where ${sql.join(conditions, sql` and `)}
    group by d.sku, ${group}, b.key
    order by d.sku, ${group}`.execute(db);

  interface Series {
    sku: string;
    group: string | null;
    /** The currency its value is in; null before any valued movement, or when its warehouses value it in different ones. */
    currency: string | null;
    mixed: boolean;
    changes: Map<string, { onHand: number; reserved: number; value: number }>;
  }
  const series = new Map<string, Series>();
  for (const r of rows) {
    const id = JSON.stringify([r.sku, r.grp]);
    let s = series.get(id);
    if (!s) {
      s = { sku: r.sku, group: r.grp, currency: null, mixed: false, changes: new Map() };
      series.set(id, s);
    }
    for (const c of [r.currency, r.other_currency]) {
      if (c === null) continue;
      if (s.currency !== null && s.currency !== c) s.mixed = true;
      s.currency ??= c;
    }
    s.changes.set(r.key, { onHand: Number(r.on_hand), reserved: Number(r.reserved), value: Number(r.value) });
  }
  const points: StockHistoryPoint[] = [];
  for (const s of series.values()) {
    const balance = { ...(s.changes.get('') ?? { onHand: 0, reserved: 0, value: 0 }) };
    let started = balance.onHand !== 0 || balance.reserved !== 0;
    for (const b of buckets) {
      const change = s.changes.get(b.period);
      if (change) {
        balance.onHand += change.onHand;
        balance.reserved += change.reserved;
        balance.value += change.value;
        started = true;
      }
      if (!started) continue;
      points.push({
        sku: s.sku,
        group: s.group,
        period: b.period,
        from: b.from,
        to: b.to,
        partial: b.partial,
        onHand: balance.onHand,
        reserved: balance.reserved,
        available: balance.onHand - balance.reserved,
        value: options.withValue && s.currency && !s.mixed ? { amountMinor: balance.value, currency: s.currency } : null,
      });
    }
  }
  return points;
};

export interface StockAlertFigures {
  /** Warehouse and SKU pairs whose projected stock is at or below the reorder point; null for a dealer. */
  readonly lowStock: number | null;
  /** Order lines waiting for stock (a dealer: its own). */
  readonly backorderedLines: number;
  readonly backorderedUnits: number;
}

/** Stock alerts now: low stock (the manufacturer's) and backorders, in a region if given. */
export const stockAlertFigures = (
  db: Kysely<ReadModels>,
  filter: { readonly region?: string | undefined; readonly partnerId?: string | undefined },
  scope: { readonly partnerId?: string | undefined },
): Promise<StockAlertFigures> => runKpiPart(db, stockAlertPart(filter, scope));

/** `stockAlertFigures`'s statements and figures. */
export const stockAlertPart = (
  filter: { readonly region?: string | undefined; readonly partnerId?: string | undefined },
  scope: { readonly partnerId?: string | undefined },
): KpiPart<StockAlertFigures> => {
  const region = filter.region === undefined ? sql`true` : sql`w.region = ${filter.region}`;
  const partners = [filter.partnerId, scope.partnerId].filter((p) => p !== undefined).map((p) => sql`r.partner_id = ${p}`);
  const backorders = sql<{ lines: number; units: number }>`
      select count(*)::int as lines, coalesce(sum(r.backordered), 0)::int as units
      from stock_reservations r left join stock_warehouses w on w.warehouse_id = r.warehouse_id
      where r.backordered > 0 and ${region} and ${sql.join([sql`true`, ...partners], sql` and `)}`;
  const low = sql<{
    n: number;
  }>`select count(*)::int as n from stock_levels l left join stock_warehouses w on w.warehouse_id = l.warehouse_id where l.low and ${region}`;
  // Low stock is the manufacturer's: none for a partner.
  const partnerOnly = scope.partnerId !== undefined || filter.partnerId !== undefined;
  return {
    statements: partnerOnly ? { backorders } : { low, backorders },
    figures: (rows) => ({
      lowStock: rows.low ? (rows.low[0] as { n: number }).n : null,
      backorderedLines: (rows.backorders![0] as { lines: number }).lines,
      backorderedUnits: (rows.backorders![0] as { units: number }).units,
    }),
  };
};
