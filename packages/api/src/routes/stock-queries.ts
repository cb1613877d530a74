import { Id, IsoDate, RegionId, Sku } from '@dms/domain';
import {
  demandForecast,
  getStockLevel,
  listBackorders,
  listStockAlerts,
  listStockLevels,
  listStockMovements,
  listStockReservations,
  readModelsOf,
  type StockLevel,
  type StockMovement,
  type StockRollup,
  stockRollup,
  stockValuation,
} from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, awaitPosition, partnerScope } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { Cursor, Limit, Page, ReadConsistency } from '../schemas';
import {
  BackorderView,
  DemandForecastView,
  StockLevelView,
  StockMovementView,
  StockReservationView,
  StockRollupView,
  StockValuationView,
} from './stock-schemas';

const reads = { 400: Problem, 503: Problem };

// Cost and value are the manufacturer's: a dealer sees quantities only.
const withoutCost = <T extends { unitCost: unknown; value: unknown }>(x: T): T => ({ ...x, unitCost: null, value: null });
const levelFor = (dealer: boolean) => (l: StockLevel) => (dealer ? { ...withoutCost(l), incomingValue: null } : l);
const rollupFor = (dealer: boolean) => (r: StockRollup) => (dealer ? withoutCost(r) : r);
const movementFor = (dealer: boolean) => (m: StockMovement) =>
  dealer ? { ...m, unitCost: null, change: { ...m.change, value: null }, balance: { ...m.balance, value: null } } : m;

/**
 * Stock queries: levels with roll-ups and valuation, the ledger, reservations, backorders and low-stock alerts. A dealer
 * sees the reservations, backorders and ledger of its own orders only (filtered in SQL), and no cost or value.
 */
export const stockQueryRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { reads: queries } = options.runtime;

    const LevelFilter = ReadConsistency.extend({ warehouseId: Id.optional(), sku: Sku.optional(), region: RegionId.optional(), limit: Limit, cursor: Cursor });

    app.get(
      '/stock/levels',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Stock per warehouse and SKU: on hand, reserved, available, backordered, incoming, projected, cost and value',
          querystring: LevelFilter.extend({ lowOnly: z.stringbool().optional() }),
          response: { 200: Page(StockLevelView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock'));
        const page = await listStockLevels(queries.db, request.query);
        return { ...page, items: page.items.map(levelFor(partnerScope(request) !== undefined)) };
      },
    );

    app.get(
      '/stock/levels/:warehouseId/:sku',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Stock of one SKU in one warehouse',
          params: z.object({ warehouseId: Id, sku: Sku }),
          querystring: ReadConsistency,
          response: { 200: StockLevelView, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock'));
        const level = await getStockLevel(queries.db, request.params.warehouseId, request.params.sku);
        if (!level) throw new HttpProblem(problem(404, 'STOCK_NOT_FOUND', `There is no stock of ${request.params.sku} at ${request.params.warehouseId}.`));
        return levelFor(partnerScope(request) !== undefined)(level);
      },
    );

    app.get(
      '/stock/rollup',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Stock per region and SKU (by=region), or per SKU over every warehouse (by=total)',
          querystring: ReadConsistency.extend({
            by: z.enum(['region', 'total']).optional(),
            region: RegionId.optional(),
            sku: Sku.optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(StockRollupView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock'));
        const page = await stockRollup(queries.db, request.query);
        return { ...page, items: page.items.map(rollupFor(partnerScope(request) !== undefined)) };
      },
    );

    app.get(
      '/stock/valuation',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Stock quantities and value per region and in total (region null)',
          querystring: ReadConsistency,
          response: { 200: z.object({ items: z.array(StockValuationView) }), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock'));
        const items = await stockValuation(queries.db);
        const dealer = partnerScope(request) !== undefined;
        return { items: dealer ? items.map((v) => ({ ...v, value: [], inTransitValue: [] })) : items };
      },
    );

    app.get(
      '/stock/ledger',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'The stock ledger: every movement with its business date, when it was recorded, and the running balance after it',
          description: 'A dealer sees the movements of its own orders only, without cost.',
          querystring: ReadConsistency.extend({
            warehouseId: Id.optional(),
            sku: Sku.optional(),
            orderId: Id.optional(),
            kind: z
              .enum([
                'received',
                'reserved',
                'backordered',
                'released',
                'backorder_cancelled',
                'shipped',
                'transferred_out',
                'in_transit',
                'transferred_in',
                'adjusted',
              ])
              .optional(),
            from: IsoDate.optional().describe('Business date, inclusive'),
            to: IsoDate.optional().describe('Business date, inclusive'),
            order: z.enum(['asc', 'desc']).optional().describe('desc (default): newest first'),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(StockMovementView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock-ledger'));
        const scope = partnerScope(request);
        const page = await listStockMovements(queries.db, { ...request.query, ...(scope ? { partnerId: scope } : {}) });
        return { ...page, items: page.items.map(movementFor(scope !== undefined)) };
      },
    );

    const OrderFilter = ReadConsistency.extend({
      warehouseId: Id.optional(),
      sku: Sku.optional(),
      orderId: Id.optional(),
      partnerId: Id.optional(),
      limit: Limit,
      cursor: Cursor,
    });

    app.get(
      '/stock/reservations',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'What each order line holds in stock: reserved, backordered, shipped, released',
          description: 'A dealer sees its own orders only.',
          querystring: OrderFilter,
          response: { 200: Page(StockReservationView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock-reservations'));
        const scope = partnerScope(request);
        return listStockReservations(queries.db, { ...request.query, ...(scope ? { partnerId: scope } : {}) });
      },
    );

    app.get(
      '/stock/forecast',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Demand forecast per SKU and region, with days of cover and what to order',
          description:
            'Monthly demand (units of orders neither rejected nor cancelled) over the `history` complete months before `asOf`, forecast by the method that backtests best for each series. A dealer sees its own demand only, without stock.',
          querystring: ReadConsistency.extend({
            asOf: z
              .string()
              .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
              .optional()
              .describe('First month forecast (YYYY-MM); default: the current month'),
            history: z.coerce.number().int().min(4).max(60).optional().describe('Months of history, default 12'),
            horizon: z.coerce.number().int().min(1).max(24).optional().describe('Months forecast, default 3'),
            sku: Sku.optional(),
            region: RegionId.optional(),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(DemandForecastView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('forecast'));
        const scope = partnerScope(request);
        const { asOf, minPosition: _, ...rest } = request.query;
        return demandForecast(queries.db, { ...rest, asOf: asOf ?? new Date().toISOString().slice(0, 7), ...(scope ? { partnerId: scope } : {}) });
      },
    );

    app.get(
      '/stock/backorders',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Backorders in the order the next receipts will fill them, with each one’s place in the queue',
          description: 'A dealer sees its own orders only, with their place in the whole queue.',
          querystring: OrderFilter,
          response: { 200: Page(BackorderView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock-reservations'));
        const scope = partnerScope(request);
        return listBackorders(queries.db, { ...request.query, ...(scope ? { partnerId: scope } : {}) });
      },
    );

    app.get(
      '/stock/alerts',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Low-stock alerts: projected stock at or below the reorder point, with a suggested order quantity',
          description: 'Replenishment is the manufacturer’s: a dealer gets an empty list.',
          querystring: LevelFilter,
          response: { 200: Page(StockLevelView), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock'));
        if (partnerScope(request) !== undefined) return { items: [], nextCursor: null };
        return listStockAlerts(queries.db, request.query);
      },
    );
  };
