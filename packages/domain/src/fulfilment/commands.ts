import { z } from 'zod';
import { Id, IsoDateTime, Sku } from '../shared/ids';
import { NonEmptyText } from '../shared/text';
import { OnShortage } from '../stock/commands';

/**
 * Intents of the fulfilment process: commands that need more than one stream to be decided, run by application services
 * on the command bus (they read the order, the region's sourcing order and the stock streams, then send domain commands).
 */

/** Allocate whatever of an order is not allocated yet: each line in the region's warehouses, in their sourcing order. */
export const AllocateOrder = z.strictObject({
  type: z.literal('AllocateOrder'),
  data: z.strictObject({
    orderId: Id,
    /** Only this warehouse, instead of the region's sourcing order. */
    warehouseId: Id.optional(),
    /** `backorder` (default): what no warehouse has is backordered in the first one. `refuse`: allocate nothing unless all is available. */
    onShortage: OnShortage.default('backorder'),
    allocatedAt: IsoDateTime,
  }),
});

/** Release everything a cancelled or rejected order holds in stock: its reservations and its backorders. */
export const ReleaseOrderStock = z.strictObject({
  type: z.literal('ReleaseOrderStock'),
  data: z.strictObject({ orderId: Id, reason: NonEmptyText(500), releasedAt: IsoDateTime }),
});

/** Take a shipment's goods out of the stock reserved for it in the warehouse it left from. */
export const ConsumeShipmentStock = z.strictObject({
  type: z.literal('ConsumeShipmentStock'),
  data: z.strictObject({ orderId: Id, shipmentId: Id, shippedAt: IsoDateTime }),
});

/**
 * Offer what is available of a SKU to the backorders that wait for it in other warehouses, wherever the sourcing order
 * of the order's region names a warehouse that has it (sent whenever stock of the SKU becomes available, or a backorder
 * is recorded). Each move is withdrawn from the warehouse where the backorder waits, then reserved where the stock is.
 */
export const SourceBackorders = z.strictObject({
  type: z.literal('SourceBackorders'),
  data: z.strictObject({ warehouseId: Id.describe('where stock became available, or a backorder was recorded'), sku: Sku, requestedAt: IsoDateTime }),
});

/** Put the goods of a recorded return back into stock at the warehouses they shipped from, at the cost they left with. */
export const RestockReturn = z.strictObject({
  type: z.literal('RestockReturn'),
  data: z.strictObject({ orderId: Id, returnId: Id, restockedAt: IsoDateTime }),
});

export const FulfilmentIntent = z.discriminatedUnion('type', [AllocateOrder, ReleaseOrderStock, ConsumeShipmentStock, SourceBackorders, RestockReturn]);
export type FulfilmentIntent = z.infer<typeof FulfilmentIntent>;
export type AllocateOrder = z.infer<typeof AllocateOrder>;
export type ReleaseOrderStock = z.infer<typeof ReleaseOrderStock>;
export type ConsumeShipmentStock = z.infer<typeof ConsumeShipmentStock>;
export type SourceBackorders = z.infer<typeof SourceBackorders>;
export type RestockReturn = z.infer<typeof RestockReturn>;
