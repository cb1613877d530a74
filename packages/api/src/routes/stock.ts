import {
  AdjustmentReason,
  CountedQuantity,
  Id,
  IsoDate,
  NonEmptyText,
  NonNegativeMoney,
  OnShortage,
  Quantity,
  QuantityChange,
  RegionId,
  Sku,
  Text,
} from '@dms/domain';
import { listSourcing, listWarehouses, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, generatedId, orRefuse, reply201 } from '../context';
import { Problem } from '../problems';
import { CommandAccepted, ReadConsistency } from '../schemas';
import { stockQueryRoutes } from './stock-queries';
import { RegionSourcingView, WarehouseView } from './stock-schemas';

const errors = { 400: Problem, 404: Problem, 409: Problem };
const reads = { 400: Problem, 503: Problem };
const BusinessDate = IsoDate.optional().describe('The day the goods moved; defaults to today. May be earlier (back-dated), never later.');

/**
 * Stock: warehouses and their regions' sourcing order, and every movement as a command; the queries are in
 * `stock-queries.ts`. Shipping happens on the order (`POST /orders/{id}/shipments`), which consumes the reservations of
 * the warehouse it ships from.
 */
export const stockRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();
    const today = () => now().slice(0, 10);
    const run = async (request: Parameters<typeof commandContext>[0], command: Parameters<typeof bus.execute>[0]) =>
      orRefuse(await bus.execute(command, commandContext(request)));

    // Warehouses and sourcing

    app.post(
      '/warehouses',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Register a warehouse in a region; it joins the end of that region’s sourcing order',
          body: z.strictObject({ warehouseId: Id, name: NonEmptyText(120), region: RegionId, address: Text(300).optional() }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) =>
        reply201(
          reply,
          `/warehouses?region=${request.body.region}`,
          await run(request, { type: 'RegisterWarehouse', data: { ...request.body, registeredAt: now() } }),
        ),
    );

    app.put(
      '/regions/:region/sourcing',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Set the warehouses a region’s orders are reserved in, first choice first (the rest is the fallback order)',
          params: z.object({ region: RegionId }),
          body: z.strictObject({ warehouseIds: z.array(Id).min(1).max(20) }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          await run(request, { type: 'SetSourcingOrder', data: { region: request.params.region, warehouseIds: request.body.warehouseIds, setAt: now() } }),
        ),
    );

    app.get(
      '/warehouses',
      {
        config: { permission: 'stock:read' },
        schema: {
          tags: ['stock'],
          summary: 'Warehouses, with each region’s sourcing order',
          querystring: ReadConsistency.extend({ region: RegionId.optional() }),
          response: { 200: z.object({ items: z.array(WarehouseView), sourcing: z.array(RegionSourcingView) }), ...reads },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('stock'));
        const [items, sourcing] = await Promise.all([listWarehouses(queries.db, request.query), listSourcing(queries.db)]);
        return { items, sourcing: request.query.region ? sourcing.filter((s) => s.region === request.query.region) : sourcing };
      },
    );

    // Movements

    app.post(
      '/stock/receipts',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Receive goods into a warehouse at their unit cost; fills waiting backorders, oldest order first',
          body: z.strictObject({
            receiptId: Id.optional(),
            warehouseId: Id,
            sku: Sku,
            quantity: Quantity,
            unitCost: NonNegativeMoney,
            reference: Text(80).optional(),
            businessDate: BusinessDate,
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const { receiptId, businessDate, ...rest } = request.body;
        const result = await run(request, {
          type: 'ReceiveStock',
          data: { ...rest, receiptId: receiptId ?? generatedId(request, 'rcpt-'), businessDate: businessDate ?? today(), recordedAt: now() },
        });
        return reply201(reply, `/stock/levels/${rest.warehouseId}/${rest.sku}`, result);
      },
    );

    app.post(
      '/stock/transfers',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Send available stock to another warehouse; it counts as incoming there until received',
          body: z.strictObject({
            transferId: Id.optional(),
            fromWarehouseId: Id,
            toWarehouseId: Id,
            sku: Sku,
            quantity: Quantity,
            reference: Text(80).optional(),
            businessDate: BusinessDate,
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const { transferId, fromWarehouseId, businessDate, ...rest } = request.body;
        const result = await run(request, {
          type: 'TransferStockOut',
          data: {
            ...rest,
            warehouseId: fromWarehouseId,
            transferId: transferId ?? generatedId(request, 'tr-'),
            businessDate: businessDate ?? today(),
            recordedAt: now(),
          },
        });
        return reply201(reply, `/stock/levels/${rest.toWarehouseId}/${rest.sku}`, result);
      },
    );

    app.post(
      '/stock/transfers/:transferId/receive',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Receive a transfer at its destination, in full or in part',
          params: z.object({ transferId: Id }),
          body: z.strictObject({ warehouseId: Id.describe('The destination'), sku: Sku, quantity: Quantity.optional(), businessDate: BusinessDate }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { businessDate, ...rest } = request.body;
        return accepted(
          await run(request, {
            type: 'TransferStockIn',
            data: { ...rest, transferId: request.params.transferId, businessDate: businessDate ?? today(), recordedAt: now() },
          }),
        );
      },
    );

    app.post(
      '/stock/adjustments',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Adjust stock after a count (countedQuantity) or for damage, loss, found goods or a correction (quantityChange)',
          body: z.strictObject({
            adjustmentId: Id.optional(),
            warehouseId: Id,
            sku: Sku,
            reason: AdjustmentReason,
            countedQuantity: CountedQuantity.optional(),
            quantityChange: QuantityChange.optional(),
            unitCost: NonNegativeMoney.optional(),
            note: Text(500).optional(),
            businessDate: BusinessDate,
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const { adjustmentId, businessDate, ...rest } = request.body;
        const result = await run(request, {
          type: 'AdjustStock',
          data: { ...rest, adjustmentId: adjustmentId ?? generatedId(request, 'adj-'), businessDate: businessDate ?? today(), recordedAt: now() },
        });
        return reply201(reply, `/stock/levels/${rest.warehouseId}/${rest.sku}`, result);
      },
    );

    app.put(
      '/stock/reorder-policies/:warehouseId/:sku',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Set the reorder point (min), the order-up-to level (max), the pack multiple and the lead time',
          params: z.object({ warehouseId: Id, sku: Sku }),
          body: z.strictObject({
            min: z.number().int().min(0).max(1_000_000_000),
            max: z.number().int().min(1).max(1_000_000_000),
            packMultiple: z.number().int().min(1).max(1_000_000).optional(),
            leadTimeDays: z.number().int().min(0).max(365),
          }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          await run(request, {
            type: 'SetReorderPolicy',
            data: { ...request.params, ...request.body, packMultiple: request.body.packMultiple ?? 1, setAt: now() },
          }),
        ),
    );

    app.post(
      '/stock/allocations',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Reserve stock for an approved order: whatever is not yet allocated, in its region’s warehouses or in the one named',
          description:
            'Approved orders are allocated automatically; use this after configuring a warehouse for a region, or to serve an order from a particular warehouse. With onShortage=refuse nothing is allocated unless everything is available.',
          body: z.strictObject({ orderId: Id, warehouseId: Id.optional(), onShortage: OnShortage.optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          await run(request, {
            type: 'AllocateOrder',
            data: { ...request.body, onShortage: request.body.onShortage ?? 'backorder', allocatedAt: now() },
          }),
        ),
    );

    app.post(
      '/stock/releases',
      {
        config: { permission: 'stock:write' },
        schema: {
          tags: ['stock'],
          summary: 'Release the stock held by a cancelled or rejected order (done automatically on cancellation)',
          body: z.strictObject({ orderId: Id, reason: NonEmptyText(500).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          await run(request, {
            type: 'ReleaseOrderStock',
            data: { orderId: request.body.orderId, reason: request.body.reason ?? 'released by staff', releasedAt: now() },
          }),
        ),
    );

    await app.register(stockQueryRoutes(options));
  };
