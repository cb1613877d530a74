import type { OrderCommand } from '../orders/commands';
import type { OrderEvent } from '../orders/events';
import type { Policy } from '../shared/policy';
import type { StockCommand } from '../stock/commands';
import type { StockEvent } from '../stock/events';
import type { SourcingCommand } from '../warehouses/commands';
import type { WarehouseEvent } from '../warehouses/events';
import type { FulfilmentIntent } from './commands';

/**
 * The fulfilment process, from the order's side:
 * - `OrderApproved` -> allocate the order to the warehouses of its region (an intent: it reads the stock);
 * - `OrderStockAllocated` -> reserve each allocation in that warehouse's stock, backordering what is short;
 * - `OrderCancelled` -> release what the order holds in stock (its reservations go to the next backorders in line);
 * - `OrderShipped` (from a warehouse) -> take the shipped goods out of the reservations in the warehouse they left from.
 * One policy, so that these run in the order the events happened: an allocation is reserved before a cancellation
 * releases it.
 */
export const fulfilmentPolicy: Policy<OrderEvent, FulfilmentIntent | StockCommand> = {
  name: 'fulfilment',
  eventTypes: ['OrderApproved', 'OrderStockAllocated', 'OrderCancelled', 'OrderShipped'],
  react(event) {
    switch (event.type) {
      case 'OrderApproved':
        return [{ type: 'AllocateOrder', data: { orderId: event.data.orderId, onShortage: 'backorder', allocatedAt: event.data.approvedAt } }];
      case 'OrderStockAllocated': {
        const { orderId, partnerId, placedAt, allocatedAt } = event.data;
        return event.data.allocations.map((a) => ({
          type: 'ReserveStock' as const,
          data: {
            warehouseId: a.warehouseId,
            sku: a.sku,
            orderId,
            lineNo: a.lineNo,
            partnerId,
            placedAt,
            quantity: a.quantity,
            onShortage: 'backorder' as const,
            reservedAt: allocatedAt,
          },
        }));
      }
      case 'OrderCancelled':
        return [
          {
            type: 'ReleaseOrderStock',
            data: { orderId: event.data.orderId, reason: `order cancelled: ${event.data.reason}`.slice(0, 500), releasedAt: event.data.cancelledAt },
          },
        ];
      case 'OrderShipped':
        // An order with allocated stock always ships from a named warehouse; one without ships outside stock tracking.
        if (!event.data.warehouseId) return [];
        return [{ type: 'ConsumeShipmentStock', data: { orderId: event.data.orderId, shipmentId: event.data.shipmentId, shippedAt: event.data.shippedAt } }];
      default:
        return [];
    }
  },
};

/**
 * The fulfilment process, from the stock's side: every reservation made for an order line (including a backorder filled
 * by a later receipt) is told to the order, which confirms itself once every line is reserved in full.
 */
export const reservationSyncPolicy: Policy<StockEvent, OrderCommand> = {
  name: 'reservation_sync',
  eventTypes: ['StockReserved'],
  react(event) {
    if (event.type !== 'StockReserved') return [];
    const { orderId, lineNo, warehouseId, quantity, reservedAt } = event.data;
    return [{ type: 'RecordStockReservation', data: { orderId, lineNo, warehouseId, quantity, reservedAt } }];
  },
};

/** Goods that leave one warehouse for another count as incoming at the destination until they arrive. */
export const stockTransferPolicy: Policy<StockEvent, StockCommand> = {
  name: 'stock_transfers',
  eventTypes: ['StockTransferredOut'],
  react(event) {
    if (event.type !== 'StockTransferredOut') return [];
    const d = event.data;
    return [
      {
        type: 'RecordStockInTransit',
        data: {
          warehouseId: d.toWarehouseId,
          sku: d.sku,
          transferId: d.transferId,
          fromWarehouseId: d.warehouseId,
          quantity: d.quantity,
          value: d.value,
          dispatchedOn: d.businessDate,
          recordedAt: d.recordedAt,
        },
      },
    ];
  },
};

/** A newly registered warehouse joins the end of its region's sourcing order (which staff may then rearrange). */
export const warehouseSourcingPolicy: Policy<WarehouseEvent, SourcingCommand> = {
  name: 'warehouse_sourcing',
  eventTypes: ['WarehouseRegistered'],
  react(event) {
    if (event.type !== 'WarehouseRegistered') return [];
    return [{ type: 'AddWarehouseToSourcing', data: { region: event.data.region, warehouseId: event.data.warehouseId, addedAt: event.data.registeredAt } }];
  },
};

/** Every policy of stock and fulfilment, to be run as reactors. */
export const STOCK_POLICIES = [fulfilmentPolicy, reservationSyncPolicy, stockTransferPolicy, warehouseSourcingPolicy] as const;
