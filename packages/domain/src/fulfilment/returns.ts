import type { OrderEvent } from '../orders/events';

/** Where returned units of one order line come from: one delivered shipment, and the warehouse it left (if any). */
export interface ReturnSource {
  readonly lineNo: number;
  readonly sku: string;
  readonly shipmentId: string;
  /** Undefined for a shipment outside stock tracking: its goods have no warehouse to go back to. */
  readonly warehouseId: string | undefined;
  readonly quantity: number;
}

/**
 * Which shipments the goods of return `returnId` came from, read from the order's history: each line's delivered units
 * in the order they were delivered, the first returned first, so every return of a line takes the units after those of
 * the returns before it. The answer for a return never changes once it is recorded (later deliveries only add units at
 * the end), so the returns process can be run again with the same result. Undefined when the order has no such return.
 *
 * @example
 *   // 3 delivered from shipment s1 (north), then 2 from s2 (hub); return r1 of 2 units, then r2 of 2:
 *   returnSources(history, 'r2') // [{ shipmentId: 's1', warehouseId: 'north', quantity: 1, ... }, { shipmentId: 's2', warehouseId: 'hub', quantity: 1, ... }]
 */
export const returnSources = (history: readonly OrderEvent[], returnId: string): ReturnSource[] | undefined => {
  const shippedFrom = new Map<string, string | undefined>();
  const delivered = new Map<number, { shipmentId: string; quantity: number }[]>();
  const returned = new Map<number, number>();
  for (const event of history) {
    if (event.type === 'OrderShipped') shippedFrom.set(event.data.shipmentId, event.data.warehouseId);
    if (event.type === 'ShipmentDelivered')
      for (const l of event.data.lines)
        delivered.set(l.lineNo, [...(delivered.get(l.lineNo) ?? []), { shipmentId: event.data.shipmentId, quantity: l.quantity }]);
    if (event.type !== 'GoodsReturned') continue;
    const sources: ReturnSource[] = [];
    for (const line of event.data.lines) {
      let skip = returned.get(line.lineNo) ?? 0;
      let wanted = line.quantity;
      for (const d of delivered.get(line.lineNo) ?? []) {
        if (wanted === 0) break;
        const skipped = Math.min(skip, d.quantity);
        skip -= skipped;
        const take = Math.min(wanted, d.quantity - skipped);
        if (take === 0) continue;
        sources.push({ lineNo: line.lineNo, sku: line.sku, shipmentId: d.shipmentId, warehouseId: shippedFrom.get(d.shipmentId), quantity: take });
        wanted -= take;
      }
      returned.set(line.lineNo, (returned.get(line.lineNo) ?? 0) + line.quantity);
    }
    if (event.data.returnId === returnId) return sources;
  }
  return undefined;
};
