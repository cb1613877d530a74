import { z } from 'zod';
import { LineNo, Quantity } from '../orders/commands';
import { Id, IsoDate, IsoDateTime, Sku } from '../shared/ids';
import { NonNegativeMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';

/**
 * Every stock command names its stream: one warehouse and one SKU (`stock-<warehouseId>.<sku>`). Movements carry the
 * business date on which they physically happened apart from `recordedAt`, the moment they were entered.
 */
const Where = { warehouseId: Id.describe('warehouse id'), sku: Sku };
const When = {
  businessDate: IsoDate.describe('the day the goods actually moved; may be earlier than recordedAt (back-dated), never later'),
  recordedAt: IsoDateTime,
};

/** How much a count may say is on the shelf. */
export const CountedQuantity = z.number().int().min(0).max(1_000_000_000);
/** A signed change of the quantity on hand, never zero. */
export const QuantityChange = z
  .number()
  .int()
  .min(-1_000_000)
  .max(1_000_000)
  .refine((n) => n !== 0, 'must not be zero');

/** What to do when fewer units are available than a reservation asks for. */
export const OnShortage = z.enum(['refuse', 'backorder']).describe('refuse the whole reservation, or reserve what is available and backorder the rest');
export type OnShortage = z.infer<typeof OnShortage>;

export const AdjustmentReason = z.enum(['count', 'damage', 'loss', 'found', 'correction']);
export type AdjustmentReason = z.infer<typeof AdjustmentReason>;

export const ReceiveStock = z.strictObject({
  type: z.literal('ReceiveStock'),
  data: z.strictObject({
    ...Where,
    receiptId: Id,
    quantity: Quantity,
    unitCost: NonNegativeMoney.describe('what one unit cost, landed, in minor units'),
    reference: Text(80).optional().describe('supplier delivery note, purchase order, ...'),
    ...When,
  }),
});

export const ReserveStock = z.strictObject({
  type: z.literal('ReserveStock'),
  data: z.strictObject({
    ...Where,
    orderId: Id,
    lineNo: LineNo,
    partnerId: Id,
    /** When the order was placed: backorders are filled in this order. */
    placedAt: IsoDateTime,
    /** The order's region: its sourcing order says which other warehouses may fill what is backordered here. */
    region: Id.optional(),
    quantity: Quantity,
    onShortage: OnShortage.default('refuse'),
    reservedAt: IsoDateTime,
  }),
});

/**
 * Takes (part of) an order line's backorder off this warehouse's queue, to be reserved at `toWarehouseId` instead (sent
 * by the backorder sourcing process when stock is available there). Decided here, in the stream that holds the
 * backorder, so that it is either filled here or moved, never both: it withdraws at most what is still waiting.
 */
export const WithdrawBackorder = z.strictObject({
  type: z.literal('WithdrawBackorder'),
  data: z.strictObject({ ...Where, orderId: Id, lineNo: LineNo, quantity: Quantity, toWarehouseId: Id, withdrawnAt: IsoDateTime }),
});

/** Puts returned goods of one shipment back on hand here, at the cost they left with (sent by the returns process). */
export const ReturnStock = z.strictObject({
  type: z.literal('ReturnStock'),
  data: z.strictObject({ ...Where, orderId: Id, lineNo: LineNo, shipmentId: Id, returnId: Id, quantity: Quantity, ...When }),
});

export const ReleaseReservation = z.strictObject({
  type: z.literal('ReleaseReservation'),
  data: z.strictObject({ ...Where, orderId: Id, lineNo: LineNo, reason: NonEmptyText(500), releasedAt: IsoDateTime }),
});

export const ShipReservedStock = z.strictObject({
  type: z.literal('ShipReservedStock'),
  data: z.strictObject({ ...Where, orderId: Id, lineNo: LineNo, shipmentId: Id, quantity: Quantity, ...When }),
});

export const TransferStockOut = z.strictObject({
  type: z.literal('TransferStockOut'),
  data: z.strictObject({
    ...Where,
    transferId: Id,
    toWarehouseId: Id,
    quantity: Quantity,
    reference: Text(80).optional(),
    ...When,
  }),
});

/** Sent by the transfer process to the destination when goods leave the source: they count as incoming there. */
export const RecordStockInTransit = z.strictObject({
  type: z.literal('RecordStockInTransit'),
  data: z.strictObject({
    ...Where,
    transferId: Id,
    fromWarehouseId: Id,
    quantity: Quantity,
    value: NonNegativeMoney,
    dispatchedOn: IsoDate,
    recordedAt: IsoDateTime,
  }),
});

export const TransferStockIn = z.strictObject({
  type: z.literal('TransferStockIn'),
  data: z.strictObject({
    ...Where,
    transferId: Id,
    quantity: Quantity.optional().describe('defaults to everything still in transit'),
    ...When,
  }),
});

export const AdjustStock = z.strictObject({
  type: z.literal('AdjustStock'),
  data: z
    .strictObject({
      ...Where,
      adjustmentId: Id,
      reason: AdjustmentReason,
      /** For `count`: what is physically there; the change is worked out from the quantity on hand. */
      countedQuantity: CountedQuantity.optional(),
      /** For every other reason: the signed change. */
      quantityChange: QuantityChange.optional(),
      /** Cost of units found when nothing is on hand to take the average from; otherwise the moving average applies. */
      unitCost: NonNegativeMoney.optional(),
      note: Text(500).optional(),
      ...When,
    })
    .refine((d) => (d.reason === 'count' ? d.countedQuantity !== undefined && d.quantityChange === undefined : true), {
      message: 'a count gives countedQuantity (what is on the shelf), not quantityChange',
      path: ['countedQuantity'],
    })
    .refine((d) => (d.reason !== 'count' ? d.quantityChange !== undefined && d.countedQuantity === undefined : true), {
      message: 'an adjustment other than a count gives quantityChange (signed), not countedQuantity',
      path: ['quantityChange'],
    }),
});

export const SetReorderPolicy = z.strictObject({
  type: z.literal('SetReorderPolicy'),
  data: z.strictObject({
    ...Where,
    min: z.number().int().min(0).max(1_000_000_000).describe('reorder point: alert when projected stock is at or below it'),
    max: z.number().int().min(1).max(1_000_000_000).describe('order up to this level'),
    packMultiple: z.number().int().min(1).max(1_000_000).default(1),
    leadTimeDays: z.number().int().min(0).max(365),
    setAt: IsoDateTime,
  }),
});

export const StockCommand = z.discriminatedUnion('type', [
  ReceiveStock,
  ReserveStock,
  ReleaseReservation,
  ShipReservedStock,
  WithdrawBackorder,
  ReturnStock,
  TransferStockOut,
  RecordStockInTransit,
  TransferStockIn,
  AdjustStock,
  SetReorderPolicy,
]);
export type StockCommand = z.infer<typeof StockCommand>;
/** The payload of one stock command type. */
export type StockCommandData<T extends StockCommand['type']> = Extract<StockCommand, { type: T }>['data'];
