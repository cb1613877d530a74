import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { given } from '../testing';
import type { OrderCommand } from './commands';
import type { OrderEvent } from './events';
import { approved, at, cancelled, confirmed, orderId, placed, ship, shipped } from './fixtures';
import { orderDecider, unallocatedLines } from './index';

const givenOrder = given(orderDecider);

// The standard order: line 1 is 3 x pump-a, line 2 is 2 x valve-b.
const allocate = (...allocations: [lineNo: number, warehouseId: string, quantity: number][]): OrderCommand => ({
  type: 'AllocateStock',
  data: { orderId, allocations: allocations.map(([lineNo, warehouseId, quantity]) => ({ lineNo, warehouseId, quantity })), allocatedAt: at },
});
const skuOf = (lineNo: number) => (lineNo === 1 ? 'pump-a' : 'valve-b');
const allocated = (...allocations: [lineNo: number, warehouseId: string, quantity: number][]): OrderEvent => ({
  type: 'OrderStockAllocated',
  data: {
    orderId,
    partnerId: 'acme',
    placedAt: at,
    region: 'north',
    allocations: allocations.map(([lineNo, warehouseId, quantity]) => ({ lineNo, sku: skuOf(lineNo), warehouseId, quantity })),
    allocatedAt: at,
  },
});
const recordReservation = (lineNo: number, warehouseId: string, quantity: number): OrderCommand => ({
  type: 'RecordStockReservation',
  data: { orderId, lineNo, warehouseId, quantity, reservedAt: at },
});
const stockReserved = (lineNo: number, warehouseId: string, quantity: number, fullyReserved = false): OrderEvent => ({
  type: 'OrderStockReserved',
  data: { orderId, lineNo, sku: skuOf(lineNo), warehouseId, quantity, reservedAt: at, fullyReserved },
});

/** A shipment that left from a warehouse. */
const shippedFrom = (warehouseId: string, shipmentId: string, quantities: Record<number, number>, fullyShipped = false): OrderEvent => {
  const e = shipped(shipmentId, quantities, { fullyShipped });
  if (e.type !== 'OrderShipped') throw new Error('expected OrderShipped');
  return { type: 'OrderShipped', data: { ...e.data, warehouseId } };
};

const reallocate = (lineNo: number, fromWarehouseId: string, toWarehouseId: string, quantity: number): OrderCommand => ({
  type: 'ReallocateStock',
  data: { orderId, lineNo, fromWarehouseId, toWarehouseId, quantity, reallocatedAt: at },
});
const reallocated = (lineNo: number, fromWarehouseId: string, toWarehouseId: string, quantity: number): OrderEvent => ({
  type: 'OrderStockReallocated',
  data: { orderId, partnerId: 'acme', placedAt: at, region: 'north', lineNo, sku: skuOf(lineNo), fromWarehouseId, toWarehouseId, quantity, reallocatedAt: at },
});

const approvedOrder = [placed(), approved()];
const allocatedOrder = [...approvedOrder, allocated([1, 'north', 3], [2, 'north', 1], [2, 'central', 1])];

describe('allocating stock to an order', () => {
  it('assigns line quantities to warehouses, with what the stock needs to reserve them', () => {
    givenOrder(...approvedOrder)
      .when(allocate([1, 'north', 3], [2, 'north', 2]))
      .then(allocated([1, 'north', 3], [2, 'north', 2]));
  });

  it('never allocates a line beyond its quantity', () => {
    const error = givenOrder(...allocatedOrder)
      .when(allocate([2, 'east', 1]))
      .thenRefuses('OVER_ALLOCATION');
    expect(error.message).toBe('Line 2 (valve-b): 1 more would allocate 3 of 2 ordered.');
    expect(unallocatedLines(fold(orderDecider, allocatedOrder) as never)).toEqual([]);
    expect(unallocatedLines(fold(orderDecider, [...approvedOrder, allocated([1, 'north', 2])]) as never)).toEqual([
      { lineNo: 1, sku: 'pump-a', quantity: 1 },
      { lineNo: 2, sku: 'valve-b', quantity: 2 },
    ]);
  });

  it('allocates only approved or confirmed orders, and not an order already shipped outside stock tracking', () => {
    givenOrder(placed())
      .when(allocate([1, 'north', 1]))
      .thenRefuses('INVALID_ORDER_TRANSITION');
    givenOrder(...approvedOrder, cancelled())
      .when(allocate([1, 'north', 1]))
      .thenRefuses('INVALID_ORDER_TRANSITION');
    givenOrder(...approvedOrder, confirmed(), shipped('s1', { 1: 1 }, { fullyShipped: false }))
      .when(allocate([1, 'north', 1]))
      .thenRefuses('ALREADY_SHIPPED');
    givenOrder(...approvedOrder)
      .when(allocate([3, 'north', 1]))
      .thenRefuses('UNKNOWN_LINE');
    givenOrder(...approvedOrder)
      .when(allocate([1, 'north', 1], [1, 'north', 1]))
      .thenRefuses('DUPLICATE_ALLOCATION');
  });
});

describe('reservations told to the order', () => {
  it('are recorded, and the order confirms itself once every line is reserved in full', () => {
    const partly = [...allocatedOrder, stockReserved(1, 'north', 3), stockReserved(2, 'north', 1)];
    givenOrder(...allocatedOrder)
      .when(recordReservation(1, 'north', 3))
      .then(stockReserved(1, 'north', 3));
    givenOrder(...partly)
      .when(recordReservation(2, 'central', 1))
      .then(stockReserved(2, 'central', 1, true), { type: 'OrderConfirmed', data: { orderId, confirmedAt: at } });
  });

  it('leave an order confirmed by hand as it is', () => {
    givenOrder(...allocatedOrder, confirmed(), stockReserved(1, 'north', 3), stockReserved(2, 'north', 1))
      .when(recordReservation(2, 'central', 1))
      .then(stockReserved(2, 'central', 1, true));
  });

  it('change nothing for a cancelled order, and never exceed the allocation', () => {
    givenOrder(...allocatedOrder, cancelled())
      .when(recordReservation(1, 'north', 3))
      .then();
    givenOrder(...allocatedOrder)
      .when(recordReservation(1, 'north', 4))
      .thenRefuses('OVER_RESERVATION');
    givenOrder(...allocatedOrder)
      .when(recordReservation(1, 'east', 1))
      .thenRefuses('ALLOCATION_NOT_FOUND');
  });
});

describe('shipping an order with allocated stock', () => {
  const reservedOrder = [...allocatedOrder, stockReserved(1, 'north', 3), stockReserved(2, 'north', 1), stockReserved(2, 'central', 1, true), confirmed()];

  it('ships from the only warehouse holding the reservations, and says which', () => {
    const command = ship('s1', { 1: 3, 2: 1 });
    givenOrder(...reservedOrder)
      .when(command)
      .then(shippedFrom('north', 's1', { 1: 3, 2: 1 }));
  });

  it('asks which warehouse when reservations are in several', () => {
    const error = givenOrder(...reservedOrder)
      .when(ship('s1', { 2: 1 }))
      .thenRefuses('WAREHOUSE_REQUIRED');
    expect(error.message).toBe('Order o-1 has stock reserved in central and north; say which warehouse ships.');
    givenOrder(...allocatedOrder, confirmed())
      .when(ship('s1', { 1: 1 }))
      .thenRefuses('NOT_RESERVED');
  });

  it('never ships more from a warehouse than is reserved there and not yet shipped', () => {
    const partly = [...allocatedOrder, stockReserved(1, 'north', 2), confirmed()];
    const error = givenOrder(...partly)
      .when(ship('s1', { 1: 3 }))
      .thenRefuses('NOT_RESERVED');
    expect(error.details).toMatchObject({ lineNo: 1, warehouseId: 'north', reservedUnshipped: 2, requested: 3 });
    const twice = [...reservedOrder, shippedFrom('north', 's1', { 1: 3 })];
    const state = fold(orderDecider, twice);
    expect(state.exists && state.stock?.find((a) => a.lineNo === 1)).toMatchObject({ allocated: 3, reserved: 3, shipped: 3 });
    givenOrder(...twice)
      .when({ type: 'ShipOrder', data: { orderId, shipmentId: 's2', lines: [{ lineNo: 1, quantity: 1 }], warehouseId: 'north', shippedAt: at } })
      .thenRefuses('OVER_SHIPMENT');
  });

  it('leaves orders without allocated stock shipping as before', () => {
    givenOrder(...approvedOrder, confirmed())
      .when(ship('s1', { 1: 3 }))
      .then(shipped('s1', { 1: 3 }, { fullyShipped: false }));
  });
});

describe('moving a backorder to another warehouse', () => {
  // Line 1: 3 allocated to north, 1 of them reserved there; 2 wait on a backorder.
  const waiting = [...allocatedOrder, stockReserved(1, 'north', 1)];

  it('moves what waits of a line to the warehouse that has the stock, which then reserves it', () => {
    givenOrder(...waiting)
      .when(reallocate(1, 'north', 'hub', 2))
      .then(reallocated(1, 'north', 'hub', 2));
    const state = fold(orderDecider, [...waiting, reallocated(1, 'north', 'hub', 2)]);
    expect(state.exists && state.stock?.filter((a) => a.lineNo === 1)).toEqual([
      { lineNo: 1, sku: 'pump-a', warehouseId: 'north', allocated: 1, reserved: 1, shipped: 0 },
      { lineNo: 1, sku: 'pump-a', warehouseId: 'hub', allocated: 2, reserved: 0, shipped: 0 },
    ]);
  });

  it('then confirms the order once the other warehouse has reserved it, and ships from each warehouse apart', () => {
    const moved = [...waiting, stockReserved(2, 'north', 1), stockReserved(2, 'central', 1), reallocated(1, 'north', 'hub', 2)];
    givenOrder(...moved)
      .when(recordReservation(1, 'hub', 2))
      .then(stockReserved(1, 'hub', 2, true), confirmed());
    const confirmedOrder = [...moved, stockReserved(1, 'hub', 2, true), confirmed()];
    givenOrder(...confirmedOrder)
      .when(ship('s1', { 1: 3 }))
      .thenRefuses('WAREHOUSE_REQUIRED');
    givenOrder(...confirmedOrder)
      .when({ type: 'ShipOrder', data: { orderId, shipmentId: 's1', lines: [{ lineNo: 1, quantity: 2 }], warehouseId: 'hub', shippedAt: at } })
      .then(shippedFrom('hub', 's1', { 1: 2 }));
  });

  it('refuses to move more than is allocated there and not reserved, to the same warehouse, or from one it is not allocated to', () => {
    const error = givenOrder(...waiting)
      .when(reallocate(1, 'north', 'hub', 3))
      .thenRefuses('OVER_REALLOCATION');
    expect(error.details).toEqual({ lineNo: 1, allocated: 3, reserved: 1, requested: 3 });
    givenOrder(...waiting)
      .when(reallocate(1, 'north', 'north', 1))
      .thenRefuses('SAME_WAREHOUSE');
    givenOrder(...waiting)
      .when(reallocate(1, 'central', 'hub', 1))
      .thenRefuses('ALLOCATION_NOT_FOUND');
  });

  it('changes nothing for a cancelled order, whose stock is being released', () => {
    givenOrder(...waiting, cancelled())
      .when(reallocate(1, 'north', 'hub', 2))
      .then();
  });
});
