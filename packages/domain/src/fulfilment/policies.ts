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
 * - `OrderShipped` (from a warehouse) -> take the shipped goods out of the reservations in the warehouse they left from;
 * - `OrderStockReallocated` -> reserve the moved part of a backorder in the warehouse that has the stock;
 * - `GoodsReturned` (resaleable) -> put the goods back into stock where they shipped from.
 * One policy, so that these run in the order the events happened: an allocation is reserved before a cancellation
 * releases it.
 */
export const fulfilmentPolicy: Policy<OrderEvent, FulfilmentIntent | StockCommand> = {
  name: 'fulfilment',
  eventTypes: ['OrderApproved', 'OrderStockAllocated', 'OrderCancelled', 'OrderShipped', 'OrderStockReallocated', 'GoodsReturned'],
  react(event) {
    switch (event.type) {
      case 'OrderApproved':
        return [{ type: 'AllocateOrder', data: { orderId: event.data.orderId, onShortage: 'backorder', allocatedAt: event.data.approvedAt } }];
      case 'OrderStockAllocated': {
        const { orderId, partnerId, placedAt, region, allocatedAt } = event.data;
        return event.data.allocations.map((a) => ({
          type: 'ReserveStock' as const,
          data: {
            warehouseId: a.warehouseId,
            sku: a.sku,
            orderId,
            lineNo: a.lineNo,
            partnerId,
            placedAt,
            ...(region ? { region } : {}),
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
      case 'OrderStockReallocated': {
        const d = event.data;
        return [
          {
            type: 'ReserveStock',
            data: {
              warehouseId: d.toWarehouseId,
              sku: d.sku,
              orderId: d.orderId,
              lineNo: d.lineNo,
              partnerId: d.partnerId,
              placedAt: d.placedAt,
              region: d.region,
              quantity: d.quantity,
              onShortage: 'backorder',
              reservedAt: d.reallocatedAt,
            },
          },
        ];
      }
      case 'GoodsReturned':
        // Absent on returns recorded before automatic restocking (received by hand then); false: not resaleable.
        if (event.data.restock !== true) return [];
        return [{ type: 'RestockReturn', data: { orderId: event.data.orderId, returnId: event.data.returnId, restockedAt: event.data.returnedAt } }];
      default:
        return [];
    }
  },
};

/**
 * The fulfilment process, from the stock's side: every reservation made for an order line (including a backorder filled
 * by a later receipt) is told to the order, which confirms itself once every line is reserved in full; a backorder
 * withdrawn to be filled elsewhere moves the order's allocation there (and the order's policy then reserves it).
 */
export const reservationSyncPolicy: Policy<StockEvent, OrderCommand> = {
  name: 'reservation_sync',
  eventTypes: ['StockReserved', 'StockBackorderWithdrawn'],
  react(event) {
    if (event.type === 'StockBackorderWithdrawn') {
      const { orderId, lineNo, warehouseId, toWarehouseId, quantity, withdrawnAt } = event.data;
      return [{ type: 'ReallocateStock', data: { orderId, lineNo, fromWarehouseId: warehouseId, toWarehouseId, quantity, reallocatedAt: withdrawnAt } }];
    }
    if (event.type !== 'StockReserved') return [];
    const { orderId, lineNo, warehouseId, quantity, reservedAt } = event.data;
    return [{ type: 'RecordStockReservation', data: { orderId, lineNo, warehouseId, quantity, reservedAt } }];
  },
};

/**
 * Backorders are filled from any warehouse of their region's sourcing order: whenever stock of a SKU becomes available
 * somewhere (received, transferred in, found, returned, or released by another order), and whenever a backorder is
 * recorded (stock may be waiting elsewhere), the backorders of that SKU are offered what the warehouses have.
 */
export const backorderSourcingPolicy: Policy<StockEvent, FulfilmentIntent> = {
  name: 'backorder_sourcing',
  eventTypes: ['StockBackordered', 'StockReceived', 'StockTransferredIn', 'StockAdjusted', 'StockReservationReleased', 'StockReturned'],
  react(event) {
    const source = (requestedAt: string): FulfilmentIntent[] => [
      { type: 'SourceBackorders', data: { warehouseId: event.data.warehouseId, sku: event.data.sku, requestedAt } },
    ];
    switch (event.type) {
      case 'StockBackordered':
        return source(event.data.backorderedAt);
      case 'StockReservationReleased':
        return source(event.data.releasedAt);
      case 'StockAdjusted':
        return event.data.quantityChange > 0 ? source(event.data.recordedAt) : [];
      case 'StockReceived':
      case 'StockTransferredIn':
      case 'StockReturned':
        return source(event.data.recordedAt);
      default:
        return [];
    }
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
export const STOCK_POLICIES = [fulfilmentPolicy, reservationSyncPolicy, backorderSourcingPolicy, stockTransferPolicy, warehouseSourcingPolicy] as const;
