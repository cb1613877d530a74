import { parseAsOfTime } from '@dms/eventstore';
import {
  allReactors,
  type DmsRuntime,
  listBackorders,
  listStockAlerts,
  listStockLevels,
  listStockMovements,
  ProjectionRunner,
  stockRollup,
  stockValuation,
  stockValuationAsOf,
} from '@dms/projections';
import { UsageError } from '../command';
import { date, dateTime, money } from '../format';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

export interface StockOptions {
  readonly warehouseId?: string | undefined;
  readonly sku?: string | undefined;
  readonly region?: string | undefined;
  readonly partnerId?: string | undefined;
  readonly orderId?: string | undefined;
  readonly kind?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly lowOnly?: boolean | undefined;
  /** Levels per warehouse (default), per region, or in total per SKU. */
  readonly by?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** Valuation as of this moment, recomputed from the event log (`--at`). */
  readonly at?: Date | undefined;
}

/** Reads `--at` of `stock valuation` before anything opens: a time, or a date meaning its end (UTC). */
export const readValuationAt = (text: string | undefined): Date | undefined => {
  if (text === undefined) return undefined;
  try {
    return parseAsOfTime(text);
  } catch (error) {
    throw new UsageError(`--at: ${(error as Error).message}`);
  }
};

const nothing = (out: Out, message: string): number => {
  out(message);
  return 0;
};
const more = (out: Out, cursor: string | null) => {
  if (cursor) out(`… more: --cursor ${cursor}`);
};
const signed = (n: number) => (n > 0 ? `+${n}` : n === 0 ? '' : String(n));

export const stockLevels = async (runtime: DmsRuntime, o: StockOptions, out: Out): Promise<number> => {
  const db = runtime.runner.db;
  if (o.by === 'region' || o.by === 'total') {
    const page = await stockRollup(db, { by: o.by, region: o.region, sku: o.sku, limit: o.limit, cursor: o.cursor });
    if (page.items.length === 0) return nothing(out, 'No stock matches.');
    out(
      renderTable(page.items, [
        ...(o.by === 'region' ? [{ header: 'region', value: (r: (typeof page.items)[number]) => r.region }] : []),
        { header: 'sku', value: (r) => r.sku },
        { header: 'whs', value: (r) => r.warehouses, align: 'right' },
        { header: 'on hand', value: (r) => r.onHand, align: 'right' },
        { header: 'reserved', value: (r) => r.reserved, align: 'right' },
        { header: 'available', value: (r) => r.available, align: 'right' },
        { header: 'backord.', value: (r) => r.backordered || '', align: 'right' },
        { header: 'incoming', value: (r) => r.incoming || '', align: 'right' },
        { header: 'projected', value: (r) => r.projected, align: 'right' },
        { header: 'avg cost', value: (r) => money(r.unitCost), align: 'right' },
        { header: 'value', value: (r) => money(r.value), align: 'right' },
        { header: 'low in', value: (r) => r.lowIn || '', align: 'right' },
      ]),
    );
    more(out, page.nextCursor);
    return 0;
  }
  const page = await listStockLevels(db, { warehouseId: o.warehouseId, sku: o.sku, region: o.region, lowOnly: o.lowOnly, limit: o.limit, cursor: o.cursor });
  if (page.items.length === 0) return nothing(out, 'No stock matches.');
  out(
    renderTable(page.items, [
      { header: 'warehouse', value: (l) => l.warehouseId },
      { header: 'region', value: (l) => l.region },
      { header: 'sku', value: (l) => l.sku },
      { header: 'on hand', value: (l) => l.onHand, align: 'right' },
      { header: 'reserved', value: (l) => l.reserved, align: 'right' },
      { header: 'available', value: (l) => l.available, align: 'right' },
      { header: 'backord.', value: (l) => l.backordered || '', align: 'right' },
      { header: 'incoming', value: (l) => l.incoming || '', align: 'right' },
      { header: 'projected', value: (l) => l.projected, align: 'right' },
      { header: 'avg cost', value: (l) => money(l.unitCost), align: 'right' },
      { header: 'value', value: (l) => money(l.value), align: 'right' },
      { header: 'min/max', value: (l) => (l.reorderPolicy ? `${l.reorderPolicy.min}/${l.reorderPolicy.max}` : ''), align: 'right' },
      { header: 'alert', value: (l) => (l.low ? `LOW: order ${l.suggestedOrderQty}` : '') },
    ]),
  );
  more(out, page.nextCursor);
  return 0;
};

export const stockLedger = async (runtime: DmsRuntime, o: StockOptions, out: Out): Promise<number> => {
  const page = await listStockMovements(runtime.runner.db, {
    warehouseId: o.warehouseId,
    sku: o.sku,
    orderId: o.orderId,
    partnerId: o.partnerId,
    kind: o.kind,
    from: o.from,
    to: o.to,
    limit: o.limit,
    cursor: o.cursor,
  });
  if (page.items.length === 0) return nothing(out, 'No movements match.');
  out(
    renderTable(page.items, [
      { header: 'recorded', value: (m) => dateTime(m.recordedAt) },
      { header: 'business', value: (m) => (m.businessDate === m.recordedAt.slice(0, 10) ? '' : m.businessDate) },
      { header: 'warehouse', value: (m) => m.warehouseId },
      { header: 'sku', value: (m) => m.sku },
      { header: 'movement', value: (m) => m.kind.replace(/_/g, ' ') },
      { header: 'on hand', value: (m) => signed(m.change.onHand), align: 'right' },
      { header: 'reserved', value: (m) => signed(m.change.reserved), align: 'right' },
      { header: 'backord.', value: (m) => signed(m.change.backordered), align: 'right' },
      { header: '= on hand', value: (m) => m.balance.onHand, align: 'right' },
      { header: 'available', value: (m) => m.balance.available, align: 'right' },
      { header: 'value after', value: (m) => money(m.balance.value), align: 'right' },
      { header: 'order / document', value: (m) => (m.orderId ? `${m.orderId}#${m.lineNo}` : (m.documentId ?? '')) },
      { header: 'note', value: (m) => [m.counterpartWarehouseId ? `⇄ ${m.counterpartWarehouseId}` : '', m.note ?? ''].filter(Boolean).join(' ') },
    ]),
  );
  out('');
  out('Newest first. "business" is the day the goods moved, shown when it differs from the day the movement was recorded.');
  more(out, page.nextCursor);
  return 0;
};

export const stockAlerts = async (runtime: DmsRuntime, o: StockOptions, out: Out): Promise<number> => {
  const page = await listStockAlerts(runtime.runner.db, { warehouseId: o.warehouseId, sku: o.sku, region: o.region, limit: o.limit, cursor: o.cursor });
  if (page.items.length === 0) return nothing(out, 'No low-stock alerts: every SKU with a reorder policy is above its reorder point.');
  out(
    renderTable(page.items, [
      { header: 'warehouse', value: (l) => l.warehouseId },
      { header: 'region', value: (l) => l.region },
      { header: 'sku', value: (l) => l.sku },
      { header: 'product', value: (l) => l.productName },
      { header: 'projected', value: (l) => l.projected, align: 'right' },
      { header: 'min', value: (l) => l.reorderPolicy?.min, align: 'right' },
      { header: 'max', value: (l) => l.reorderPolicy?.max, align: 'right' },
      { header: 'pack', value: (l) => l.reorderPolicy?.packMultiple, align: 'right' },
      { header: 'lead days', value: (l) => l.reorderPolicy?.leadTimeDays, align: 'right' },
      { header: 'order now', value: (l) => l.suggestedOrderQty, align: 'right' },
      { header: 'low since', value: (l) => date(l.lowSince) },
    ]),
  );
  out('');
  out('order now = whole packs that bring projected stock (on hand + incoming - reserved - backordered) up to max.');
  more(out, page.nextCursor);
  return 0;
};

export const stockBackorders = async (runtime: DmsRuntime, o: StockOptions, out: Out): Promise<number> => {
  const page = await listBackorders(runtime.runner.db, {
    warehouseId: o.warehouseId,
    sku: o.sku,
    orderId: o.orderId,
    partnerId: o.partnerId,
    limit: o.limit,
    cursor: o.cursor,
  });
  if (page.items.length === 0) return nothing(out, 'No backorders.');
  out(
    renderTable(page.items, [
      { header: 'sku', value: (b) => b.sku },
      { header: 'warehouse', value: (b) => b.warehouseId },
      { header: 'queue', value: (b) => b.queuePosition, align: 'right' },
      { header: 'order', value: (b) => `${b.orderId}#${b.lineNo}` },
      { header: 'dealer', value: (b) => b.partnerId },
      { header: 'placed', value: (b) => dateTime(b.placedAt) },
      { header: 'reserved', value: (b) => b.reserved, align: 'right' },
      { header: 'backordered', value: (b) => b.backordered, align: 'right' },
      { header: 'ahead', value: (b) => b.aheadInQueue, align: 'right' },
      { header: 'fillable from', value: (b) => b.fillableFrom.join(' > ') },
      { header: 'waiting since', value: (b) => date(b.backorderedSince) },
    ]),
  );
  out('');
  out('Filled by the next receipts in this order: the oldest order first (queue 1), "ahead" units before it;');
  out('stock at any other warehouse it is fillable from fills it too, the oldest orders first.');
  more(out, page.nextCursor);
  return 0;
};

/**
 * Stock value by region. With `at`, as of that moment, recomputed from the event log (the events recorded by then, folded
 * by the domain), not from the current tables: the report as it was printed then.
 */
export const stockValuationReport = async (runtime: DmsRuntime, out: Out, at?: Date): Promise<number> => {
  const rows = at ? await stockValuationAsOf(runtime.store, { at }) : await stockValuation(runtime.runner.db);
  if (at) out(`Stock valuation as of ${at.toISOString()}, recomputed from the events recorded by then:`);
  if (rows.length === 0) return nothing(out, at ? 'No stock by then.' : 'No stock yet.');
  out(
    renderTable(rows, [
      { header: 'region', value: (v) => v.region ?? 'all regions' },
      { header: 'warehouses', value: (v) => v.warehouses, align: 'right' },
      { header: 'on hand', value: (v) => v.onHand, align: 'right' },
      { header: 'reserved', value: (v) => v.reserved, align: 'right' },
      { header: 'backordered', value: (v) => v.backordered, align: 'right' },
      { header: 'in transit', value: (v) => v.incoming, align: 'right' },
      { header: 'value', value: (v) => v.value.map((m) => money(m)).join(', '), align: 'right' },
      { header: 'in transit value', value: (v) => v.inTransitValue.map((m) => money(m)).join(', '), align: 'right' },
      { header: 'low', value: (v) => v.lowStock, align: 'right' },
    ]),
  );
  return 0;
};

/** `dms stock levels|ledger|alerts|backorders|valuation`. */
export const stockCommand = async (runtime: DmsRuntime, sub: string | undefined, o: StockOptions, out: Out): Promise<number | undefined> => {
  switch (sub) {
    case 'levels':
      return stockLevels(runtime, o, out);
    case 'ledger':
      return stockLedger(runtime, o, out);
    case 'alerts':
      return stockAlerts(runtime, o, out);
    case 'backorders':
      return stockBackorders(runtime, o, out);
    case 'valuation':
      return stockValuationReport(runtime, out, o.at);
    default:
      return undefined;
  }
};

/**
 * Runs the process managers (the reactors) until they have nothing left to do: a receipt fills a backorder, which
 * confirms an order, and so on. A runner of its own over the same checkpoints, so the read models are left to the
 * main runner.
 */
export const processSettler = (runtime: DmsRuntime): (() => Promise<void>) => {
  let reactors: Promise<ProjectionRunner> | undefined;
  return async () => {
    reactors ??= ProjectionRunner.create(runtime.runner.db, runtime.store, allReactors(runtime.bus));
    const runner = await reactors;
    for (;;) {
      const head = await runtime.store.headPosition();
      await runner.catchUp();
      if ((await runtime.store.headPosition()) === head) return;
    }
  };
};

/** What the demo prints about stock: value by region, and how many alerts and backorders wait. */
export const printStockSummary = async (runtime: DmsRuntime, out: Out): Promise<void> => {
  const db = runtime.runner.db;
  const [alerts, backorders, moved, returned] = await Promise.all([
    listStockAlerts(db, { limit: 500 }),
    listBackorders(db, { limit: 500 }),
    listStockMovements(db, { kind: 'backorder_moved', limit: 500 }),
    listStockMovements(db, { kind: 'returned', limit: 500 }),
  ]);
  if ((await stockValuation(db)).length === 0) return;
  out('');
  out('Stock by region (moving-average cost)');
  await stockValuationReport(runtime, out);
  const units = backorders.items.reduce((a, b) => a + b.backordered, 0);
  out(`Low-stock alerts: ${alerts.items.length}; backorders: ${backorders.items.length} order lines waiting for ${units} units.`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const unitsOf = (rows: typeof moved.items, side: 'backordered' | 'onHand') => rows.reduce((a, m) => a + Math.abs(m.change[side]), 0);
  out(
    `Backorders filled from another warehouse of their sourcing order: ${moved.items.length} (${plural(unitsOf(moved.items, 'backordered'), 'unit')}); ` +
      `returns put back into stock: ${returned.items.length} (${plural(unitsOf(returned.items, 'onHand'), 'unit')}).`,
  );
  out(
    'See `pnpm dms stock levels --low`, `dms stock alerts`, `dms stock backorders`, `dms stock ledger --warehouse WH-NORTH`, `dms stock ledger --kind backorder_moved|returned`.',
  );
};
