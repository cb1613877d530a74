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
