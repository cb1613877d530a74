import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAllocation } from './plan';

describe('planning where an order is served from', () => {
  const stock: Record<string, number> = { 'north.P': 4, 'central.P': 3, 'north.V': 0, 'central.V': 10 };
  const available = (w: string, sku: string) => stock[`${w}.${sku}`] ?? 0;

  it('takes what each warehouse has, in sourcing order, and backorders the rest in the first', () => {
    expect(
      planAllocation(
        [
          { lineNo: 1, sku: 'P', quantity: 10 },
          { lineNo: 2, sku: 'V', quantity: 2 },
        ],
        ['north', 'central'],
        available,
      ),
    ).toEqual({
      allocations: [
        { lineNo: 1, warehouseId: 'north', quantity: 7 },
        { lineNo: 1, warehouseId: 'central', quantity: 3 },
        { lineNo: 2, warehouseId: 'central', quantity: 2 },
      ],
      shortfall: 3,
    });
  });

  it('allocates every unit of every line exactly once, and never more than is available outside the first warehouse', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ sku: fc.constantFrom('A', 'B', 'C'), quantity: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.constantFrom('w1', 'w2', 'w3', 'w4'), { minLength: 1, maxLength: 4 }),
        fc.dictionary(fc.constantFrom('w1.A', 'w2.A', 'w3.B', 'w1.C', 'w4.C', 'w2.B'), fc.nat(15)),
        (lines, warehouses, levels) => {
          const numbered = lines.map((l, i) => ({ ...l, lineNo: i + 1 }));
          const plan = planAllocation(numbered, warehouses, (w, sku) => levels[`${w}.${sku}`] ?? 0);
          for (const l of numbered) expect(plan.allocations.filter((a) => a.lineNo === l.lineNo).reduce((n, a) => n + a.quantity, 0)).toBe(l.quantity);
          for (const w of warehouses.slice(1))
            for (const sku of ['A', 'B', 'C']) {
              const used = plan.allocations.filter((a) => a.warehouseId === w && numbered[a.lineNo - 1]!.sku === sku).reduce((n, a) => n + a.quantity, 0);
              expect(used).toBeLessThanOrEqual(levels[`${w}.${sku}`] ?? 0);
            }
          expect(plan.allocations.every((a) => a.quantity > 0)).toBe(true);
        },
      ),
    );
  });
});
