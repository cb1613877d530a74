import { describe, expect, it } from 'vitest';
import type { PolicyEvent } from '../shared/policy';
import { fulfilmentPolicy, reservationSyncPolicy, stockTransferPolicy, warehouseSourcingPolicy } from './policies';

const at = '2025-03-10T09:00:00Z';
const recorded = <E extends { type: string; data: unknown }>(e: E): PolicyEvent<E> => ({ ...e, streamId: 's', streamVersion: 0, eventId: 'e' });

describe('the fulfilment policies', () => {
  it('allocate an approved order, reserve each allocation with backorders allowed, release on cancel, consume on shipment', () => {
    expect(fulfilmentPolicy.react(recorded({ type: 'OrderApproved', data: { orderId: 'o1', approvedAt: at } }))).toEqual([
      { type: 'AllocateOrder', data: { orderId: 'o1', onShortage: 'backorder', allocatedAt: at } },
    ]);
    expect(
      fulfilmentPolicy.react(
        recorded({
          type: 'OrderStockAllocated',
          data: { orderId: 'o1', partnerId: 'acme', placedAt: at, allocations: [{ lineNo: 1, sku: 'P', warehouseId: 'north', quantity: 3 }], allocatedAt: at },
        }),
      ),
    ).toEqual([
      {
        type: 'ReserveStock',
        data: {
          warehouseId: 'north',
          sku: 'P',
          orderId: 'o1',
          lineNo: 1,
          partnerId: 'acme',
          placedAt: at,
          quantity: 3,
          onShortage: 'backorder',
          reservedAt: at,
        },
      },
    ]);
    expect(fulfilmentPolicy.react(recorded({ type: 'OrderCancelled', data: { orderId: 'o1', reason: 'no longer needed', cancelledAt: at } }))).toEqual([
      { type: 'ReleaseOrderStock', data: { orderId: 'o1', reason: 'order cancelled: no longer needed', releasedAt: at } },
    ]);
    expect(
      fulfilmentPolicy.react(
        recorded({
          type: 'OrderShipped',
          data: { orderId: 'o1', shipmentId: 's1', lines: [{ lineNo: 1, quantity: 1 }], warehouseId: 'north', shippedAt: at, fullyShipped: false },
        }),
      ),
    ).toEqual([{ type: 'ConsumeShipmentStock', data: { orderId: 'o1', shipmentId: 's1', shippedAt: at } }]);
    // Without a warehouse, the order ships outside stock tracking.
    expect(
      fulfilmentPolicy.react(
        recorded({ type: 'OrderShipped', data: { orderId: 'o1', shipmentId: 's1', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: at, fullyShipped: false } }),
      ),
    ).toEqual([]);
  });

  it('tell the order about every reservation, including filled backorders', () => {
    expect(
      reservationSyncPolicy.react(
        recorded({
          type: 'StockReserved',
          data: { warehouseId: 'north', sku: 'P', orderId: 'o1', lineNo: 2, partnerId: 'acme', placedAt: at, quantity: 4, fromBackorder: true, reservedAt: at },
        }),
      ),
    ).toEqual([{ type: 'RecordStockReservation', data: { orderId: 'o1', lineNo: 2, warehouseId: 'north', quantity: 4, reservedAt: at } }]);
  });

  it('count a transfer as incoming at its destination, and add a new warehouse to its region', () => {
    expect(
      stockTransferPolicy.react(
        recorded({
          type: 'StockTransferredOut',
          data: {
            warehouseId: 'north',
            sku: 'P',
            transferId: 't1',
            toWarehouseId: 'south',
            quantity: 2,
            value: { amountMinor: 20_00, currency: 'EUR' },
            businessDate: '2025-03-09',
            recordedAt: at,
          },
        }),
      ),
    ).toEqual([
      {
        type: 'RecordStockInTransit',
        data: {
          warehouseId: 'south',
          sku: 'P',
          transferId: 't1',
          fromWarehouseId: 'north',
          quantity: 2,
          value: { amountMinor: 20_00, currency: 'EUR' },
          dispatchedOn: '2025-03-09',
          recordedAt: at,
        },
      },
    ]);
    expect(
      warehouseSourcingPolicy.react(recorded({ type: 'WarehouseRegistered', data: { warehouseId: 'n1', name: 'N', region: 'north', registeredAt: at } })),
    ).toEqual([{ type: 'AddWarehouseToSourcing', data: { region: 'north', warehouseId: 'n1', addedAt: at } }]);
  });
});
