/**
 * Builders for stock commands and events in tests, for one stream: warehouse `north-1`, SKU `pump-a`. Test support only;
 * not exported from `index.ts`.
 */
import { type Money, money } from '../shared/money';
import type { StockCommand } from './commands';
import type { StockEvent } from './events';

export const warehouseId = 'north-1';
export const sku = 'pump-a';
export const today = '2025-03-10';
export const at = `${today}T09:00:00Z`;
export const eur = (amountMinor: number): Money => money(amountMinor, 'EUR');
const where = { warehouseId, sku };
const when = { businessDate: today, recordedAt: at };

/** Order `o<n>` placed on day n of March, so that lower numbers were placed first. */
export const placedAt = (n: number) => `2025-03-${String(n).padStart(2, '0')}T08:00:00Z`;

// Commands

export const receive = (receiptId: string, quantity: number, unitCostMinor: number, businessDate = today): StockCommand => ({
  type: 'ReceiveStock',
  data: { ...where, receiptId, quantity, unitCost: eur(unitCostMinor), businessDate, recordedAt: at },
});
export const reserve = (n: number, quantity: number, onShortage: 'refuse' | 'backorder' = 'refuse', lineNo = 1): StockCommand => ({
  type: 'ReserveStock',
  data: { ...where, orderId: `o${n}`, lineNo, partnerId: 'acme', placedAt: placedAt(n), quantity, onShortage, reservedAt: at },
});
export const release = (n: number, lineNo = 1): StockCommand => ({
  type: 'ReleaseReservation',
  data: { ...where, orderId: `o${n}`, lineNo, reason: 'order cancelled', releasedAt: at },
});
export const shipStock = (n: number, shipmentId: string, quantity: number, lineNo = 1): StockCommand => ({
  type: 'ShipReservedStock',
  data: { ...where, orderId: `o${n}`, lineNo, shipmentId, quantity, ...when },
});
export const withdraw = (n: number, quantity: number, toWarehouseId = 'hub-1', lineNo = 1): StockCommand => ({
  type: 'WithdrawBackorder',
  data: { ...where, orderId: `o${n}`, lineNo, quantity, toWarehouseId, withdrawnAt: at },
});
export const returnStock = (n: number, shipmentId: string, returnId: string, quantity: number, lineNo = 1): StockCommand => ({
  type: 'ReturnStock',
  data: { ...where, orderId: `o${n}`, lineNo, shipmentId, returnId, quantity, ...when },
});
export const transferOut = (transferId: string, quantity: number, toWarehouseId = 'south-1'): StockCommand => ({
  type: 'TransferStockOut',
  data: { ...where, transferId, toWarehouseId, quantity, ...when },
});
export const inTransit = (transferId: string, quantity: number, valueMinor: number, fromWarehouseId = 'south-1'): StockCommand => ({
  type: 'RecordStockInTransit',
  data: { ...where, transferId, fromWarehouseId, quantity, value: eur(valueMinor), dispatchedOn: today, recordedAt: at },
});
export const transferIn = (transferId: string, quantity?: number): StockCommand => ({
  type: 'TransferStockIn',
  data: { ...where, transferId, ...(quantity === undefined ? {} : { quantity }), ...when },
});
export const adjust = (adjustmentId: string, quantityChange: number, reason: 'damage' | 'loss' | 'found' | 'correction' = 'damage'): StockCommand => ({
  type: 'AdjustStock',
  data: { ...where, adjustmentId, reason, quantityChange, ...when },
});
export const count = (adjustmentId: string, countedQuantity: number): StockCommand => ({
  type: 'AdjustStock',
  data: { ...where, adjustmentId, reason: 'count', countedQuantity, ...when },
});
export const setPolicy = (min: number, max: number, packMultiple = 1, leadTimeDays = 7): StockCommand => ({
  type: 'SetReorderPolicy',
  data: { ...where, min, max, packMultiple, leadTimeDays, setAt: at },
});

// Events

export const received = (receiptId: string, quantity: number, unitCostMinor: number, businessDate = today): StockEvent => ({
  type: 'StockReceived',
  data: { ...where, receiptId, quantity, unitCost: eur(unitCostMinor), value: eur(unitCostMinor * quantity), businessDate, recordedAt: at },
});
export const reserved = (n: number, quantity: number, { fromBackorder = false, lineNo = 1 } = {}): StockEvent => ({
  type: 'StockReserved',
  data: { ...where, orderId: `o${n}`, lineNo, partnerId: 'acme', placedAt: placedAt(n), quantity, fromBackorder, reservedAt: at },
});
export const backordered = (n: number, quantity: number, lineNo = 1): StockEvent => ({
  type: 'StockBackordered',
  data: { ...where, orderId: `o${n}`, lineNo, partnerId: 'acme', placedAt: placedAt(n), quantity, backorderedAt: at },
});
export const reservationReleased = (n: number, quantity: number, lineNo = 1): StockEvent => ({
  type: 'StockReservationReleased',
  data: { ...where, orderId: `o${n}`, lineNo, quantity, reason: 'order cancelled', releasedAt: at },
});
export const backorderCancelled = (n: number, quantity: number, lineNo = 1): StockEvent => ({
  type: 'StockBackorderCancelled',
  data: { ...where, orderId: `o${n}`, lineNo, quantity, reason: 'order cancelled', cancelledAt: at },
});
export const stockShipped = (n: number, shipmentId: string, quantity: number, valueMinor: number, lineNo = 1): StockEvent => ({
  type: 'StockShipped',
  data: { ...where, orderId: `o${n}`, lineNo, shipmentId, quantity, value: eur(valueMinor), ...when },
});
export const backorderWithdrawn = (n: number, quantity: number, toWarehouseId = 'hub-1', lineNo = 1): StockEvent => ({
  type: 'StockBackorderWithdrawn',
  data: { ...where, orderId: `o${n}`, lineNo, quantity, toWarehouseId, withdrawnAt: at },
});
export const stockReturned = (n: number, shipmentId: string, returnId: string, quantity: number, valueMinor: number, lineNo = 1): StockEvent => ({
  type: 'StockReturned',
  data: { ...where, orderId: `o${n}`, lineNo, shipmentId, returnId, quantity, value: eur(valueMinor), ...when },
});
export const transferredOut = (transferId: string, quantity: number, valueMinor: number, toWarehouseId = 'south-1'): StockEvent => ({
  type: 'StockTransferredOut',
  data: { ...where, transferId, toWarehouseId, quantity, value: eur(valueMinor), ...when },
});
export const stockInTransit = (transferId: string, quantity: number, valueMinor: number, fromWarehouseId = 'south-1'): StockEvent => ({
  type: 'StockInTransit',
  data: { ...where, transferId, fromWarehouseId, quantity, value: eur(valueMinor), dispatchedOn: today, recordedAt: at },
});
export const transferredIn = (transferId: string, quantity: number, valueMinor: number, fromWarehouseId = 'south-1'): StockEvent => ({
  type: 'StockTransferredIn',
  data: { ...where, transferId, fromWarehouseId, quantity, value: eur(valueMinor), ...when },
});
export const adjusted = (
  adjustmentId: string,
  quantityChange: number,
  valueMinor: number,
  reason: 'count' | 'damage' | 'loss' | 'found' | 'correction' = 'damage',
  countedQuantity?: number,
): StockEvent => ({
  type: 'StockAdjusted',
  data: {
    ...where,
    adjustmentId,
    reason,
    quantityChange,
    ...(countedQuantity === undefined ? {} : { countedQuantity }),
    value: eur(valueMinor),
    ...when,
  },
});
