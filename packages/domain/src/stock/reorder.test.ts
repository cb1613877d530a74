import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectedQuantity, suggestReorder } from './reorder';

const policy = (min: number, max: number, packMultiple = 1) => ({ min, max, packMultiple, leadTimeDays: 7 });

describe('projected stock', () => {
  it('is on hand plus incoming less what orders hold, reserved or backordered', () => {
    expect(projectedQuantity({ onHand: 10, incoming: 6, reserved: 7, backordered: 4 })).toBe(5);
    expect(projectedQuantity({ onHand: 0, incoming: 0, reserved: 0, backordered: 40 })).toBe(-40);
  });
});

describe('the reorder suggestion', () => {
  it('is nothing above the reorder point', () => {
    expect(suggestReorder(6, policy(5, 20))).toEqual({ low: false, quantity: 0 });
  });

  it('orders up to the maximum in whole packs', () => {
    expect(suggestReorder(5, policy(5, 20))).toEqual({ low: true, quantity: 15 });
    expect(suggestReorder(3, policy(5, 20, 6))).toEqual({ low: true, quantity: 12 });
    expect(suggestReorder(-40, policy(10, 50, 25))).toEqual({ low: true, quantity: 75 });
  });

  it('orders one pack more than the maximum allows when less would stay at or below the reorder point', () => {
    expect(suggestReorder(5, policy(5, 8, 10))).toEqual({ low: true, quantity: 10 });
    expect(suggestReorder(0, policy(0, 0))).toEqual({ low: true, quantity: 1 });
  });

  it('always lifts projected stock above the reorder point in whole packs, and stays within the maximum whenever a whole number of packs can', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), fc.nat(500), fc.nat(500), fc.integer({ min: 1, max: 100 }), (projected, min, extra, pack) => {
        const p = policy(min, min + extra, pack);
        const s = suggestReorder(projected, p);
        expect(s.low).toBe(projected <= min);
        if (!s.low) {
          expect(s.quantity).toBe(0);
          return;
        }
        expect(s.quantity % pack).toBe(0);
        expect(s.quantity).toBeGreaterThanOrEqual(pack);
        expect(projected + s.quantity).toBeGreaterThan(min);
        const fitsWithinMax = Math.floor((p.max - projected) / pack) * pack;
        if (fitsWithinMax > 0 && projected + fitsWithinMax > min) expect(s.quantity).toBe(fitsWithinMax);
        else expect(s.quantity - pack + projected).toBeLessThanOrEqual(min);
      }),
    );
  });
});
