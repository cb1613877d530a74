import type { Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import type { StockLevelsTable } from '../stock-schema';
import { decodeCursor } from './cursor';
import { limitOf, money, type Page, page } from './stock-shared';

/**
 * Queries over the stock levels: per warehouse and SKU, rolled up per region and overall, low-stock alerts, and the
 * warehouses. Lists are keyset-paginated like `listOrders`: pass `nextCursor` back as `cursor`. The ledger and the
 * reservations are in `stock-ledger.ts` and `stock-reservations.ts`.
 */

// Levels

export interface StockLevelFilter {
  readonly warehouseId?: string | undefined;
  readonly sku?: string | undefined;
  readonly region?: string | undefined;
  /** Only stock at or below its reorder point. */
  readonly lowOnly?: boolean | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface ReorderPolicyView {
  readonly min: number;
  readonly max: number;
  readonly packMultiple: number;
  readonly leadTimeDays: number;
}

export interface StockLevel {
  readonly warehouseId: string;
  readonly warehouseName: string | null;
  readonly region: string | null;
  readonly sku: string;
  readonly productName: string | null;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly backordered: number;
  readonly incoming: number;
  readonly projected: number;
  /** Moving-average unit cost; null when nothing is on hand. */
  readonly unitCost: Money | null;
  readonly value: Money | null;
  readonly incomingValue: Money | null;
  readonly reorderPolicy: ReorderPolicyView | null;
  readonly low: boolean;
  readonly suggestedOrderQty: number;
  readonly lowSince: string | null;
  readonly lastMovementOn: string | null;
  readonly updatedAt: string;
  /** Stream version the row reflects. */
  readonly version: number;
}

type LevelRow = StockLevelsTable & { warehouse_name: string | null; region: string | null; product_name: string | null };

const level = (r: LevelRow): StockLevel => ({
  warehouseId: r.warehouse_id,
  warehouseName: r.warehouse_name,
  region: r.region,
  sku: r.sku,
  productName: r.product_name,
  onHand: r.on_hand,
  reserved: r.reserved,
  available: r.available,
  backordered: r.backordered,
  incoming: r.incoming,
  projected: r.projected,
  unitCost: r.unit_cost_minor === null ? null : money(r.unit_cost_minor, r.currency),
  value: money(r.value_minor, r.currency),
  incomingValue: money(r.incoming_value_minor, r.currency),
  reorderPolicy:
    r.reorder_min === null || r.reorder_max === null
      ? null
      : { min: r.reorder_min, max: r.reorder_max, packMultiple: r.pack_multiple ?? 1, leadTimeDays: r.lead_time_days ?? 0 },
  low: r.low,
  suggestedOrderQty: r.suggested_order_qty,
  lowSince: r.low_since,
  lastMovementOn: r.last_movement_on,
  updatedAt: r.updated_at,
  version: r.version,
});

const levelsQuery = (db: Kysely<ReadModels>) =>
  db
    .selectFrom('stock_levels as l')
    .leftJoin('stock_warehouses as w', 'w.warehouse_id', 'l.warehouse_id')
    .leftJoin('products as p', 'p.sku', 'l.sku')
    .selectAll('l')
    .select(['w.name as warehouse_name', 'w.region', 'p.name as product_name']);

/** Stock per warehouse and SKU, by warehouse then SKU. */
export const listStockLevels = async (db: Kysely<ReadModels>, filter: StockLevelFilter = {}): Promise<Page<StockLevel>> => {
  const limit = limitOf(filter.limit);
  let q = levelsQuery(db);
  if (filter.warehouseId) q = q.where('l.warehouse_id', '=', filter.warehouseId);
  if (filter.sku) q = q.where('l.sku', '=', filter.sku);
  if (filter.region) q = q.where('w.region', '=', filter.region);
  if (filter.lowOnly) q = q.where('l.low', '=', true);
  if (filter.cursor) {
    const [w, s] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.where(sql<boolean>`(l.warehouse_id, l.sku) > (${w}, ${s})`);
  }
  const rows = await q
    .orderBy('l.warehouse_id')
    .orderBy('l.sku')
    .limit(limit + 1)
    .execute();
  return page(rows, limit, level, (r) => [r.warehouse_id, r.sku]);
};

export const getStockLevel = async (db: Kysely<ReadModels>, warehouseId: string, sku: string): Promise<StockLevel | undefined> => {
  const row = await levelsQuery(db).where('l.warehouse_id', '=', warehouseId).where('l.sku', '=', sku).executeTakeFirst();
  return row ? level(row) : undefined;
};

/** Low-stock alerts: stock whose projected quantity is at or below its reorder point, with a suggested order. */
export const listStockAlerts = (db: Kysely<ReadModels>, filter: Omit<StockLevelFilter, 'lowOnly'> = {}): Promise<Page<StockLevel>> =>
  listStockLevels(db, { ...filter, lowOnly: true });

// Roll-ups

export interface StockRollup {
  /** The region, or null for the roll-up over every warehouse. */
  readonly region: string | null;
  readonly sku: string;
  readonly warehouses: number;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly backordered: number;
  readonly incoming: number;
  readonly projected: number;
  readonly unitCost: Money | null;
  readonly value: Money | null;
  /** Warehouses at or below their reorder point for this SKU. */
  readonly lowIn: number;
}

export interface StockRollupFilter {
  /** `region` (default): one row per region and SKU; `total`: one row per SKU over every warehouse. */
  readonly by?: 'region' | 'total' | undefined;
  readonly region?: string | undefined;
  readonly sku?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Stock summed per region and SKU, or per SKU over every warehouse; the unit cost is the value-weighted average. */
export const stockRollup = async (db: Kysely<ReadModels>, filter: StockRollupFilter = {}): Promise<Page<StockRollup>> => {
  const limit = limitOf(filter.limit);
  const byRegion = (filter.by ?? 'region') === 'region';
  const region = byRegion ? sql<string>`coalesce(w.region, '(unassigned)')` : sql<string>`''`;
  let q = db
    .selectFrom('stock_levels as l')
    .leftJoin('stock_warehouses as w', 'w.warehouse_id', 'l.warehouse_id')
    .select([
      region.as('region'),
      'l.sku',
      sql<string | null>`min(l.currency)`.as('currency'),
      sql<number>`count(*)::int`.as('warehouses'),
      sql<number>`sum(l.on_hand)::int`.as('on_hand'),
      sql<number>`sum(l.reserved)::int`.as('reserved'),
      sql<number>`sum(l.available)::int`.as('available'),
      sql<number>`sum(l.backordered)::int`.as('backordered'),
      sql<number>`sum(l.incoming)::int`.as('incoming'),
      sql<number>`sum(l.projected)::int`.as('projected'),
      sql<string>`sum(l.value_minor)::text`.as('value_minor'),
      sql<number>`count(*) filter (where l.low)::int`.as('low_in'),
    ]);
  if (filter.region) q = q.where('w.region', '=', filter.region);
  if (filter.sku) q = q.where('l.sku', '=', filter.sku);
  q = q.groupBy(byRegion ? [sql`coalesce(w.region, '(unassigned)')`, 'l.sku'] : ['l.sku']);
  if (filter.cursor) {
    const [r, s] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.having(sql<boolean>`(${region}, l.sku) > (${r}, ${s})`);
  }
  const rows = await q
    .orderBy(sql`1`)
    .orderBy('l.sku')
    .limit(limit + 1)
    .execute();
  return page(
    rows,
    limit,
    (r) => {
      const value = BigInt(r.value_minor);
      return {
        region: byRegion ? r.region : null,
        sku: r.sku,
        warehouses: r.warehouses,
        onHand: r.on_hand,
        reserved: r.reserved,
        available: r.available,
        backordered: r.backordered,
        incoming: r.incoming,
        projected: r.projected,
        unitCost: r.on_hand > 0 ? money(((value * 2n + BigInt(r.on_hand)) / (2n * BigInt(r.on_hand))).toString(), r.currency) : null,
        value: money(value.toString(), r.currency),
        lowIn: r.low_in,
      };
    },
    (r) => [r.region, r.sku],
  );
};

export interface StockValuation {
  readonly region: string | null;
  readonly warehouses: number;
  readonly skus: number;
  readonly onHand: number;
  readonly reserved: number;
  readonly backordered: number;
  readonly incoming: number;
  /** Value on hand, per currency. */
  readonly value: Money[];
  readonly inTransitValue: Money[];
  readonly lowStock: number;
}

/** One group of the valuation: a region (or all regions) in one currency. */
export interface ValuationRow {
  readonly region: string | null;
  readonly currency: string | null;
  /** 1 for the all-regions group. */
  readonly overall: number;
  readonly warehouses: number;
  readonly skus: number;
  readonly on_hand: number;
  readonly reserved: number;
  readonly backordered: number;
  readonly incoming: number;
  readonly value_minor: string;
  readonly incoming_value_minor: string;
  readonly low: number;
}

/** Stock value and quantities per region and overall (region null): the figures a channel manager looks at first. */
export const stockValuation = async (db: Kysely<ReadModels>): Promise<StockValuation[]> => {
  const rows = await db
    .selectFrom('stock_levels as l')
    .leftJoin('stock_warehouses as w', 'w.warehouse_id', 'l.warehouse_id')
    .select([
      sql<string | null>`w.region`.as('region'),
      sql<string | null>`l.currency`.as('currency'),
      sql<number>`grouping(w.region)::int`.as('overall'),
      sql<number>`count(distinct l.warehouse_id)::int`.as('warehouses'),
      sql<number>`count(distinct l.sku)::int`.as('skus'),
      sql<number>`sum(l.on_hand)::int`.as('on_hand'),
      sql<number>`sum(l.reserved)::int`.as('reserved'),
      sql<number>`sum(l.backordered)::int`.as('backordered'),
      sql<number>`sum(l.incoming)::int`.as('incoming'),
      sql<string>`sum(l.value_minor)::text`.as('value_minor'),
      sql<string>`sum(l.incoming_value_minor)::text`.as('incoming_value_minor'),
      sql<number>`count(*) filter (where l.low)::int`.as('low'),
    ])
    .groupBy(sql`grouping sets ((w.region, l.currency), (l.currency))`)
    .orderBy(sql`grouping(w.region)`)
    .orderBy(sql`w.region`)
    .execute();
  return rollUpValuation(rows);
};

/**
 * The valuation from its groups (regions first, in order, then all regions; each in one currency or more): one entry per
 * region and one for all regions, with a value per currency. Shared by the report from the read model and the report
 * recomputed from the events as of a moment (`stockValuationAsOf`), so the two print alike.
 */
export const rollUpValuation = (rows: readonly ValuationRow[]): StockValuation[] => {
  const out = new Map<string, StockValuation & { value: Money[]; inTransitValue: Money[] }>();
  for (const r of rows) {
    const key = r.overall ? '\u0000all' : (r.region ?? '(unassigned)');
    const current = out.get(key) ?? {
      region: r.overall ? null : (r.region ?? '(unassigned)'),
      warehouses: 0,
      skus: 0,
      onHand: 0,
      reserved: 0,
      backordered: 0,
      incoming: 0,
      value: [],
      inTransitValue: [],
      lowStock: 0,
    };
    const m = money(r.value_minor, r.currency);
    const t = money(r.incoming_value_minor, r.currency);
    out.set(key, {
      ...current,
      warehouses: Math.max(current.warehouses, r.warehouses),
      skus: current.skus + r.skus,
      onHand: current.onHand + r.on_hand,
      reserved: current.reserved + r.reserved,
      backordered: current.backordered + r.backordered,
      incoming: current.incoming + r.incoming,
      value: m ? [...current.value, m] : current.value,
      inTransitValue: t ? [...current.inTransitValue, t] : current.inTransitValue,
      lowStock: current.lowStock + r.low,
    });
  }
  return [...out.values()];
};

// Warehouses

export interface WarehouseView {
  readonly warehouseId: string;
  readonly name: string;
  readonly region: string;
  readonly address: string | null;
  readonly registeredAt: string;
}

export interface RegionSourcing {
  readonly region: string;
  readonly warehouseIds: string[];
}

export const listWarehouses = async (db: Kysely<ReadModels>, filter: { region?: string | undefined } = {}): Promise<WarehouseView[]> => {
  let q = db.selectFrom('stock_warehouses').selectAll();
  if (filter.region) q = q.where('region', '=', filter.region);
  const rows = await q.orderBy('region').orderBy('warehouse_id').execute();
  return rows.map((r) => ({ warehouseId: r.warehouse_id, name: r.name, region: r.region, address: r.address, registeredAt: r.registered_at }));
};

/** Each region's sourcing order: the warehouses its orders are reserved in, first choice first. */
export const listSourcing = async (db: Kysely<ReadModels>): Promise<RegionSourcing[]> => {
  const rows = await db.selectFrom('stock_sourcing').selectAll().orderBy('region').orderBy('rank').execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.region, [...(out.get(r.region) ?? []), r.warehouse_id]);
  return [...out].map(([region, warehouseIds]) => ({ region, warehouseIds }));
};
