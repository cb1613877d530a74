import { z } from 'zod';
import { LineNo, Quantity } from '../orders/commands';
import { Id, IsoDate, IsoDateTime, Sku } from '../shared/ids';
import { Money } from '../shared/money';
import { AdjustmentReason } from './commands';

const Where = { warehouseId: Id, sku: Sku };
const When = { businessDate: IsoDate, recordedAt: IsoDateTime };
const ForOrderLine = { orderId: Id, lineNo: LineNo };

export const StockReceived = z.object({
  type: z.literal('StockReceived'),
  data: z.object({
    ...Where,
    receiptId: Id,
    quantity: Quantity,
    unitCost: Money,
    /** unitCost x quantity, exactly. */
    value: Money,
    reference: z.string().optional(),
    ...When,
  }),
});

export const StockReserved = z.object({
  type: z.literal('StockReserved'),
  data: z.object({
    ...Where,
    ...ForOrderLine,
    partnerId: Id,
    placedAt: IsoDateTime,
    /** The order's region (absent on reservations recorded before backorders could be filled from other warehouses). */
    region: Id.optional(),
    quantity: Quantity,
    /** True when this fills (part of) a backorder, as stock became available. */
    fromBackorder: z.boolean(),
    reservedAt: IsoDateTime,
  }),
});

export const StockBackordered = z.object({
  type: z.literal('StockBackordered'),
  data: z.object({
    ...Where,
    ...ForOrderLine,
    partnerId: Id,
    placedAt: IsoDateTime,
    /** The order's region, whose sourcing order may fill this backorder elsewhere (absent on older events). */
    region: Id.optional(),
    quantity: Quantity,
    backorderedAt: IsoDateTime,
  }),
});

/** (Part of) a backorder left this warehouse's queue, to be reserved at `toWarehouseId`, which has the stock. */
export const StockBackorderWithdrawn = z.object({
  type: z.literal('StockBackorderWithdrawn'),
  data: z.object({ ...Where, ...ForOrderLine, quantity: Quantity, toWarehouseId: Id, withdrawnAt: IsoDateTime }),
});

/** Returned goods of one shipment came back on hand, at the cost they had left with. */
export const StockReturned = z.object({
  type: z.literal('StockReturned'),
  data: z.object({
    ...Where,
    ...ForOrderLine,
    shipmentId: Id,
    returnId: Id,
    quantity: Quantity,
    /** The shipment's value, in cumulative shares: every unit of it returned brings back exactly what it left with. */
    value: Money,
    ...When,
  }),
});

export const StockReservationReleased = z.object({
  type: z.literal('StockReservationReleased'),
  data: z.object({ ...Where, ...ForOrderLine, quantity: Quantity, reason: z.string(), releasedAt: IsoDateTime }),
});

export const StockBackorderCancelled = z.object({
  type: z.literal('StockBackorderCancelled'),
  data: z.object({ ...Where, ...ForOrderLine, quantity: Quantity, reason: z.string(), cancelledAt: IsoDateTime }),
});

export const StockShipped = z.object({
  type: z.literal('StockShipped'),
  data: z.object({
    ...Where,
    ...ForOrderLine,
    shipmentId: Id,
    quantity: Quantity,
    /** Cost of the goods shipped, at the moving average. */
    value: Money,
    ...When,
  }),
});

export const StockTransferredOut = z.object({
  type: z.literal('StockTransferredOut'),
  data: z.object({ ...Where, transferId: Id, toWarehouseId: Id, quantity: Quantity, value: Money, reference: z.string().optional(), ...When }),
});

export const StockInTransit = z.object({
  type: z.literal('StockInTransit'),
  data: z.object({ ...Where, transferId: Id, fromWarehouseId: Id, quantity: Quantity, value: Money, dispatchedOn: IsoDate, recordedAt: IsoDateTime }),
});

export const StockTransferredIn = z.object({
  type: z.literal('StockTransferredIn'),
  data: z.object({ ...Where, transferId: Id, fromWarehouseId: Id, quantity: Quantity, value: Money, ...When }),
});

export const StockAdjusted = z.object({
  type: z.literal('StockAdjusted'),
  data: z.object({
    ...Where,
    adjustmentId: Id,
    reason: AdjustmentReason,
    /** Signed change of the quantity on hand; zero for a count that found exactly what was expected. */
    quantityChange: z.number().int(),
    countedQuantity: z.number().int().optional(),
    /** Signed change of the stock value. */
    value: Money,
    note: z.string().optional(),
    ...When,
  }),
});

export const ReorderPolicySet = z.object({
  type: z.literal('ReorderPolicySet'),
  data: z.object({
    ...Where,
    min: z.number().int(),
    max: z.number().int(),
    packMultiple: z.number().int(),
    leadTimeDays: z.number().int(),
    setAt: IsoDateTime,
  }),
});

export const StockEvent = z.discriminatedUnion('type', [
  StockReceived,
  StockReserved,
  StockBackordered,
  StockReservationReleased,
  StockBackorderCancelled,
  StockBackorderWithdrawn,
  StockShipped,
  StockReturned,
  StockTransferredOut,
  StockInTransit,
  StockTransferredIn,
  StockAdjusted,
  ReorderPolicySet,
]);
export type StockEvent = z.infer<typeof StockEvent>;
export type StockEventOf<T extends StockEvent['type']> = Extract<StockEvent, { type: T }>;
