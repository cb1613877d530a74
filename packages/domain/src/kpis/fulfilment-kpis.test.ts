import { describe, expect, it } from 'vitest';
import { backlogAgeBucketOf, backlogAgeDays, inBacklogOn } from './backlog';
import { deliveryPunctuality } from './delivery';
import { fillRates, firstShipmentFill } from './fill-rate';
import { decimalQuotient, growthBps, ratioBps } from './ratio';
import { decidedAutomatically } from './review-automation';

describe('fulfilment KPIs', () => {
  it('measures the fill of a first shipment by lines and units', () => {
    const ordered = [
      { lineNo: 1, quantity: 10 },
      { lineNo: 2, quantity: 4 },
      { lineNo: 3, quantity: 1 },
    ];
    expect(
      firstShipmentFill(ordered, [
        { lineNo: 1, quantity: 10 },
        { lineNo: 2, quantity: 3 },
      ]),
    ).toEqual({ lines: 3, completeLines: 1, orderedQty: 15, shippedQty: 13, complete: false });
    expect(firstShipmentFill(ordered, ordered).complete).toBe(true);
    expect(fillRates({ orders: 3, completeOrders: 2, lines: 7, completeLines: 6, orderedQty: 30, shippedQty: 29 })).toEqual({
      orderFillBps: 6667,
      lineFillBps: 8571,
      unitFillBps: 9667,
    });
    expect(fillRates({ orders: 0, completeOrders: 0, lines: 0, completeLines: 0, orderedQty: 0, shippedQty: 0 }).orderFillBps).toBeNull();
  });

  it('is on time when delivered on or before the requested date', () => {
    expect(deliveryPunctuality('2026-03-10', '2026-03-10')).toEqual({ onTime: true, daysLate: 0 });
    expect(deliveryPunctuality('2026-03-08', '2026-03-10')).toEqual({ onTime: true, daysLate: 0 });
    expect(deliveryPunctuality('2026-03-13', '2026-03-10')).toEqual({ onTime: false, daysLate: 3 });
  });

  it('holds an approved order in the backlog until it has shipped in full or is cancelled', () => {
    const order = { approvedOn: '2026-03-02', fullyShippedOn: '2026-03-20', cancelledOn: null };
    expect(['2026-03-01', '2026-03-02', '2026-03-19', '2026-03-20'].map((d) => inBacklogOn(order, d))).toEqual([false, true, true, false]);
    expect(inBacklogOn({ approvedOn: null, fullyShippedOn: null, cancelledOn: null }, '2026-03-05')).toBe(false);
    expect(inBacklogOn({ approvedOn: '2026-03-02', fullyShippedOn: null, cancelledOn: '2026-03-04' }, '2026-03-04')).toBe(false);
    expect(backlogAgeDays('2026-03-02', '2026-03-19')).toBe(17);
    expect([0, 7, 8, 14, 15, 30, 31].map(backlogAgeBucketOf)).toEqual(['d0_7', 'd0_7', 'd8_14', 'd8_14', 'd15_30', 'd15_30', 'over30']);
  });

  it('counts a review as automatic only when the system decided it', () => {
    expect(decidedAutomatically({ role: 'system' })).toBe(true);
    expect(decidedAutomatically({ role: 'sales' })).toBe(false);
  });

  it('rounds ratios half away from zero in integers', () => {
    expect(ratioBps(1, 3)).toBe(3333);
    expect(ratioBps(2, 3)).toBe(6667);
    expect(ratioBps(-1, 8)).toBe(-1250);
    expect(ratioBps(1n, 0n)).toBeNull();
    expect(growthBps(125, 100)).toBe(2500);
    expect(growthBps(5, 0)).toBeNull();
    expect(decimalQuotient(10, 3, 1)).toBe(3.3);
    expect(decimalQuotient(-5, 2, 0)).toBe(-3);
  });
});
