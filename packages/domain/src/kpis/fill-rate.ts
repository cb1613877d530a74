import { ratioBps } from './ratio';

/** What an order's first shipment covered, against what was ordered. */
export interface FirstShipmentFill {
  /** Lines ordered. */
  readonly lines: number;
  /** Lines the first shipment carried in full. */
  readonly completeLines: number;
  readonly orderedQty: number;
  /** Units in the first shipment. */
  readonly shippedQty: number;
  /** Every line went out in full with the first shipment. */
  readonly complete: boolean;
}

/**
 * Fill of an order's first shipment: which lines it carried in full and how many units, against the order's lines.
 * Only the first shipment counts: what a later shipment sends was short from stock when the order first shipped.
 */
export const firstShipmentFill = (
  ordered: readonly { readonly lineNo: number; readonly quantity: number }[],
  shipped: readonly { readonly lineNo: number; readonly quantity: number }[],
): FirstShipmentFill => {
  const sent = new Map<number, number>();
  for (const s of shipped) sent.set(s.lineNo, (sent.get(s.lineNo) ?? 0) + s.quantity);
  let completeLines = 0;
  let orderedQty = 0;
  let shippedQty = 0;
  for (const line of ordered) {
    const q = Math.min(sent.get(line.lineNo) ?? 0, line.quantity);
    orderedQty += line.quantity;
    shippedQty += q;
    if (q >= line.quantity) completeLines += 1;
  }
  return { lines: ordered.length, completeLines, orderedQty, shippedQty, complete: completeLines === ordered.length };
};

/** Totals of first shipments over a period. */
export interface FillCounts {
  readonly orders: number;
  readonly completeOrders: number;
  readonly lines: number;
  readonly completeLines: number;
  readonly orderedQty: number;
  readonly shippedQty: number;
}

export interface FillRates {
  /** Orders shipped complete on the first shipment, of orders first shipped; basis points. */
  readonly orderFillBps: number | null;
  /** Lines shipped in full on their order's first shipment, of those orders' lines; basis points. */
  readonly lineFillBps: number | null;
  /** Units on first shipments, of those orders' units; basis points. */
  readonly unitFillBps: number | null;
}

/** The three fill rates of a period's first shipments, in basis points; null when nothing shipped. */
export const fillRates = (c: FillCounts): FillRates => ({
  orderFillBps: ratioBps(c.completeOrders, c.orders),
  lineFillBps: ratioBps(c.completeLines, c.lines),
  unitFillBps: ratioBps(c.shippedQty, c.orderedQty),
});
