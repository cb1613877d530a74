import { type Either, left, right } from 'fp-ts/Either';
import { type DomainError, domainError, refuse } from '../shared/errors';
import type { AllocateStock, LineQuantity, ReallocateStock, RecordStockReservation } from './commands';
import type { OrderEvent } from './events';
import { type ExistingOrder, evolveStockReserved, type OrderLineState, type StockAllocation } from './state';

type Decision = Either<DomainError, readonly OrderEvent[]>;

const allocatedToLine = (order: ExistingOrder, lineNo: number) => (order.stock ?? []).filter((a) => a.lineNo === lineNo).reduce((n, a) => n + a.allocated, 0);
const reservedForLine = (order: ExistingOrder, lineNo: number) => (order.stock ?? []).filter((a) => a.lineNo === lineNo).reduce((n, a) => n + a.reserved, 0);

/** Every line is reserved in full. */
export const fullyReserved = (order: ExistingOrder): boolean =>
  order.stock !== undefined && order.lines.every((l) => reservedForLine(order, l.lineNo) >= l.quantity);

/** What each line still needs allocated: its quantity less what is allocated to warehouses already. */
export const unallocatedLines = (order: ExistingOrder): { lineNo: number; sku: string; quantity: number }[] =>
  order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity - allocatedToLine(order, l.lineNo) })).filter((l) => l.quantity > 0);

export const allocateStock = (order: ExistingOrder, data: AllocateStock['data']): Decision => {
  if (order.lifecycle !== 'approved' && order.lifecycle !== 'confirmed') {
    return refuse('INVALID_ORDER_TRANSITION', `Order ${order.orderId} is ${order.lifecycle}; stock is allocated only to approved or confirmed orders.`, {
      orderId: order.orderId,
      lifecycle: order.lifecycle,
    });
  }
  if (order.stock === undefined && order.lines.some((l) => l.shipped > 0)) {
    return refuse('ALREADY_SHIPPED', `Order ${order.orderId} shipped goods before any stock was allocated to it; it is fulfilled outside stock tracking.`, {
      orderId: order.orderId,
    });
  }
  const seen = new Set<string>();
  const wanted = new Map<number, number>();
  const allocations: { lineNo: number; sku: string; warehouseId: string; quantity: number }[] = [];
  for (const a of data.allocations) {
    const line = order.lines.find((l) => l.lineNo === a.lineNo);
    if (!line) return refuse('UNKNOWN_LINE', `Order ${order.orderId} has no line ${a.lineNo}.`, { orderId: order.orderId, lineNo: a.lineNo });
    const key = `${a.lineNo}@${a.warehouseId}`;
    if (seen.has(key))
      return refuse('DUPLICATE_ALLOCATION', `Line ${a.lineNo} is allocated to ${a.warehouseId} twice; put its quantity on one entry.`, { lineNo: a.lineNo });
    seen.add(key);
    wanted.set(a.lineNo, (wanted.get(a.lineNo) ?? 0) + a.quantity);
    allocations.push({ lineNo: a.lineNo, sku: line.sku, warehouseId: a.warehouseId, quantity: a.quantity });
  }
  for (const [lineNo, quantity] of wanted) {
    const line = order.lines.find((l) => l.lineNo === lineNo) as OrderLineState;
    const already = allocatedToLine(order, lineNo);
    if (already + quantity > line.quantity) {
      return refuse('OVER_ALLOCATION', `Line ${lineNo} (${line.sku}): ${quantity} more would allocate ${already + quantity} of ${line.quantity} ordered.`, {
        lineNo,
        ordered: line.quantity,
        alreadyAllocated: already,
        requested: quantity,
      });
    }
  }
  return right([
    {
      type: 'OrderStockAllocated',
      data: { orderId: order.orderId, partnerId: order.partnerId, placedAt: order.placedAt, region: order.region, allocations, allocatedAt: data.allocatedAt },
    },
  ]);
};

export const recordStockReservation = (order: ExistingOrder, data: RecordStockReservation['data']): Decision => {
  // A cancelled or rejected order's stock is being released; a late reservation changes nothing for it.
  if (order.lifecycle === 'cancelled' || order.lifecycle === 'rejected') return right([]);
  const allocation = order.stock?.find((a) => a.lineNo === data.lineNo && a.warehouseId === data.warehouseId);
  if (!allocation) {
    return refuse('ALLOCATION_NOT_FOUND', `Line ${data.lineNo} of order ${order.orderId} is not allocated to ${data.warehouseId}.`, {
      orderId: order.orderId,
      lineNo: data.lineNo,
      warehouseId: data.warehouseId,
    });
  }
  if (allocation.reserved + data.quantity > allocation.allocated) {
    return refuse(
      'OVER_RESERVATION',
      `Line ${data.lineNo} has ${allocation.allocated} allocated to ${data.warehouseId}; ${allocation.reserved} already reserved.`,
      {
        lineNo: data.lineNo,
        allocated: allocation.allocated,
        reserved: allocation.reserved,
        requested: data.quantity,
      },
    );
  }
  const after = evolveStockReserved(order, data);
  const complete = fullyReserved(after);
  const events: OrderEvent[] = [{ type: 'OrderStockReserved', data: { ...data, sku: allocation.sku, fullyReserved: complete } }];
  if (complete && order.lifecycle === 'approved') events.push({ type: 'OrderConfirmed', data: { orderId: order.orderId, confirmedAt: data.reservedAt } });
  return right(events);
};

/**
 * Moves part of a line's allocation to another warehouse: the backorder that waited in `fromWarehouseId` has been
 * withdrawn there, and is to be reserved in `toWarehouseId`. Only what is allocated there and not (as far as the order
 * knows) reserved can move; the stock withdraws only what is still waiting, which is never more. A cancelled or
 * rejected order takes nothing: its stock is being released, and the withdrawn backorder simply ends.
 */
export const reallocateStock = (order: ExistingOrder, data: ReallocateStock['data']): Decision => {
  if (order.lifecycle === 'cancelled' || order.lifecycle === 'rejected') return right([]);
  if (data.fromWarehouseId === data.toWarehouseId)
    return refuse('SAME_WAREHOUSE', `Line ${data.lineNo} is reallocated from ${data.fromWarehouseId} to another warehouse, not to itself.`, {
      warehouseId: data.fromWarehouseId,
    });
  const from = order.stock?.find((a) => a.lineNo === data.lineNo && a.warehouseId === data.fromWarehouseId);
  if (!from) {
    return refuse('ALLOCATION_NOT_FOUND', `Line ${data.lineNo} of order ${order.orderId} is not allocated to ${data.fromWarehouseId}.`, {
      orderId: order.orderId,
      lineNo: data.lineNo,
      warehouseId: data.fromWarehouseId,
    });
  }
  if (data.quantity > from.allocated - from.reserved) {
    return refuse(
      'OVER_REALLOCATION',
      `Line ${data.lineNo}: ${from.allocated - from.reserved} allocated to ${data.fromWarehouseId} and not reserved; ${data.quantity} cannot move.`,
      { lineNo: data.lineNo, allocated: from.allocated, reserved: from.reserved, requested: data.quantity },
    );
  }
  const { orderId, partnerId, placedAt, region } = order;
  return right([
    {
      type: 'OrderStockReallocated',
      data: {
        orderId,
        partnerId,
        placedAt,
        region,
        lineNo: data.lineNo,
        sku: from.sku,
        fromWarehouseId: data.fromWarehouseId,
        toWarehouseId: data.toWarehouseId,
        quantity: data.quantity,
        reallocatedAt: data.reallocatedAt,
      },
    },
  ]);
};

/**
 * The warehouse a shipment leaves from, for an order with allocated stock: the one named, or the only one holding
 * reservations for the shipped lines. Refuses to ship more of a line from a warehouse than is reserved there for it.
 */
export const shipmentWarehouse = (
  order: ExistingOrder,
  warehouseId: string | undefined,
  lines: readonly LineQuantity[],
): Either<DomainError, string | undefined> => {
  if (order.stock === undefined) return right(warehouseId);
  const open = (a: StockAllocation) => a.reserved - a.shipped;
  let from = warehouseId;
  if (from === undefined) {
    // The one warehouse that holds these lines reserved: it must be named when several do.
    const holding = [...new Set(order.stock.filter((a) => open(a) > 0 && lines.some((l) => l.lineNo === a.lineNo)).map((a) => a.warehouseId))].sort();
    const able = holding.filter((w) => lines.every((l) => order.stock!.some((a) => a.warehouseId === w && a.lineNo === l.lineNo && open(a) >= l.quantity)));
    if (able.length > 1 || (able.length === 0 && holding.length > 1)) {
      return left(
        domainError(
          'WAREHOUSE_REQUIRED',
          able.length > 1
            ? `Order ${order.orderId} has stock reserved in ${able.join(' and ')}; say which warehouse ships.`
            : `No one warehouse holds all of this shipment reserved for order ${order.orderId}; ship from ${holding.join(' and ')} separately.`,
          { orderId: order.orderId, warehouses: able.length > 1 ? able : holding },
        ),
      );
    }
    from = able[0] ?? holding[0];
  }
  for (const l of lines) {
    const a = order.stock.find((x) => x.lineNo === l.lineNo && x.warehouseId === from);
    const available = a ? open(a) : 0;
    if (l.quantity > available) {
      const line = order.lines.find((x) => x.lineNo === l.lineNo);
      return left(
        domainError(
          'NOT_RESERVED',
          `Line ${l.lineNo} (${line?.sku}): ${available} reserved and not yet shipped${from ? ` at ${from}` : ''}; ${l.quantity} cannot ship (the rest is backordered or elsewhere).`,
          { lineNo: l.lineNo, warehouseId: from ?? null, reservedUnshipped: available, requested: l.quantity },
        ),
      );
    }
  }
  return right(from);
};
