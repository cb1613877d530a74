import { byPlacement } from '../stock/decide';

export interface LineToAllocate {
  readonly lineNo: number;
  readonly sku: string;
  readonly quantity: number;
}

export interface PlannedAllocation {
  readonly lineNo: number;
  readonly warehouseId: string;
  readonly quantity: number;
}

export interface AllocationPlan {
  readonly allocations: readonly PlannedAllocation[];
  /** Units no warehouse had available: allocated to the first warehouse, where they wait on a backorder. */
  readonly shortfall: number;
}

/**
 * Where each line's stock should come from: the warehouses in sourcing order, taking what each has available (less what
 * earlier lines of the same plan took), and whatever none has goes to the first warehouse, to be backordered there.
 * Pure: availability is read by the caller. Availability may change before the reservations are made; the stock
 * streams then backorder the difference, so an allocation is always either reserved or backordered, never lost.
 *
 * @example
 *   planAllocation([{ lineNo: 1, sku: 'P', quantity: 10 }], ['north', 'central'], (w) => (w === 'north' ? 4 : 3))
 *   // { allocations: [{ lineNo: 1, warehouseId: 'north', quantity: 7 }, { lineNo: 1, warehouseId: 'central', quantity: 3 }], shortfall: 3 }
 */
export const planAllocation = (
  lines: readonly LineToAllocate[],
  warehouseIds: readonly string[],
  available: (warehouseId: string, sku: string) => number,
): AllocationPlan => {
  const first = warehouseIds[0];
  if (first === undefined) throw new RangeError('planAllocation needs at least one warehouse');
  const taken = new Map<string, number>();
  const allocations: PlannedAllocation[] = [];
  let shortfall = 0;
  for (const line of lines) {
    const parts = new Map<string, number>();
    let remaining = line.quantity;
    for (const w of warehouseIds) {
      if (remaining === 0) break;
      const key = `${w}.${line.sku}`;
      const free = Math.max(0, available(w, line.sku) - (taken.get(key) ?? 0));
      const take = Math.min(remaining, free);
      if (take === 0) continue;
      parts.set(w, take);
      taken.set(key, (taken.get(key) ?? 0) + take);
      remaining -= take;
    }
    if (remaining > 0) {
      parts.set(first, (parts.get(first) ?? 0) + remaining);
      shortfall += remaining;
    }
    // The first warehouse first, so the part that may wait on a backorder is listed with it.
    for (const w of warehouseIds) {
      const quantity = parts.get(w);
      if (quantity) allocations.push({ lineNo: line.lineNo, warehouseId: w, quantity });
    }
  }
  return { allocations, shortfall };
};

/** A backorder waiting in one warehouse, and the warehouses its order's region is served from (first choice first). */
export interface WaitingBackorder {
  readonly warehouseId: string;
  readonly orderId: string;
  readonly lineNo: number;
  readonly placedAt: string;
  readonly quantity: number;
  readonly sourcing: readonly string[];
}

/** Move `quantity` of an order line's backorder from where it waits to a warehouse that has the stock. */
export interface BackorderMove {
  readonly orderId: string;
  readonly lineNo: number;
  readonly fromWarehouseId: string;
  readonly toWarehouseId: string;
  readonly quantity: number;
}

/**
 * Which waiting backorders other warehouses can fill now: the oldest order first (placed, then order id and line, as
 * every queue), each taking what the warehouses of its region's sourcing order have available, in that order, before
 * the next order gets any. The warehouse a backorder waits in is skipped: it fills its own queue as stock arrives.
 * Pure: what waits and what is available are read by the caller, and the moves are then decided by the stock streams
 * (the backorder is withdrawn where it waits, at most what still waits, then reserved where the stock is).
 *
 * @example
 *   planBackorderMoves([{ warehouseId: 'north', orderId: 'o1', lineNo: 1, placedAt, quantity: 5, sourcing: ['north', 'hub'] }], (w) => (w === 'hub' ? 3 : 0))
 *   // [{ orderId: 'o1', lineNo: 1, fromWarehouseId: 'north', toWarehouseId: 'hub', quantity: 3 }]
 */
export const planBackorderMoves = (waiting: readonly WaitingBackorder[], available: (warehouseId: string) => number): BackorderMove[] => {
  const left = new Map<string, number>();
  const free = (w: string) => left.get(w) ?? Math.max(0, available(w));
  const moves: BackorderMove[] = [];
  for (const b of [...waiting].sort(byPlacement)) {
    let remaining = b.quantity;
    for (const w of b.sourcing) {
      if (remaining === 0) break;
      if (w === b.warehouseId) continue;
      const take = Math.min(remaining, free(w));
      left.set(w, free(w) - take);
      if (take === 0) continue;
      moves.push({ orderId: b.orderId, lineNo: b.lineNo, fromWarehouseId: b.warehouseId, toWarehouseId: w, quantity: take });
      remaining -= take;
    }
  }
  return moves;
};
