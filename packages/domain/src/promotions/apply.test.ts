import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { lineNet, money } from '../shared/money';
import { applyPromotions, type PromotableLine, promotionConsumption } from './apply';
import type { PromotionBenefit } from './commands';
import { type ExistingPromotion, promotionDecider, remainingBudget } from './promotion';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const order = { partnerId: 'acme', tier: 'gold', region: 'north', currency: 'EUR', placedAt: '2026-03-10T09:00:00Z' };

const benefit: fc.Arbitrary<PromotionBenefit> = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((bps) => ({ kind: 'percent_off' as const, bps })),
  fc.integer({ min: 1, max: 50_000 }).map((n) => ({ kind: 'amount_off' as const, amountPerUnit: eur(n) })),
  fc.record({ buy: fc.integer({ min: 1, max: 5 }), free: fc.integer({ min: 1, max: 3 }) }).map((b) => ({ kind: 'buy_n_get_m' as const, ...b })),
  fc
    .record({ minimum: fc.integer({ min: 1, max: 500_000 }), bps: fc.integer({ min: 1, max: 10_000 }) })
    .map((b) => ({ kind: 'order_threshold' as const, minimum: eur(b.minimum), bps: b.bps })),
  fc
    .record({ minimum: fc.integer({ min: 1, max: 500_000 }), amount: fc.integer({ min: 1, max: 100_000 }) })
    .map((b) => ({ kind: 'order_threshold' as const, minimum: eur(b.minimum), amount: eur(b.amount) })),
);

const promotion = fc
  .record({
    n: fc.integer({ min: 1, max: 9 }),
    benefit,
    budget: fc.integer({ min: 1, max: 300_000 }),
    used: fc.integer({ min: 0, max: 100 }),
    category: fc.option(fc.constantFrom('pumps', 'valves'), { nil: undefined }),
    dealer: fc.option(fc.constantFrom('acme', 'bolt'), { nil: undefined }),
  })
  .map(({ n, benefit, budget, used, category, dealer }): ExistingPromotion => {
    const p = fold(promotionDecider, [
      {
        type: 'PromotionCreated',
        data: {
          promotionId: `p${n}`,
          name: `p${n}`,
          validFrom: '2026-03-01T00:00:00Z',
          validTo: '2026-04-01T00:00:00Z',
          currency: 'EUR',
          target: { ...(category ? { categories: [category] } : {}), ...(dealer ? { partnerIds: [dealer] } : {}) },
          benefit,
          budget: eur(budget),
          createdAt: '2026-02-01T00:00:00Z',
        },
      },
    ]) as ExistingPromotion;
    const spent = Math.floor((budget * used) / 100);
    return spent === 0 ? p : { ...p, consumed: eur(spent), orders: new Map([['earlier', eur(spent)]]) };
  });

const line = (lineNo: number): fc.Arbitrary<PromotableLine> =>
  fc.record({
    lineNo: fc.constant(lineNo),
    sku: fc.constant(`SKU-${lineNo}`),
    category: fc.constantFrom('pumps', 'valves'),
    quantity: fc.integer({ min: 1, max: 500 }),
    unitPrice: fc.integer({ min: 0, max: 200_000 }).map(eur),
    discountBps: fc.integer({ min: 0, max: 5_000 }),
  });
const lines = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(i + 1))));

describe('property: applying promotions', () => {
  it('gives each line at most one line promotion and one order share, never more than its value, and never overspends a budget', () => {
    fc.assert(
      fc.property(lines, fc.uniqueArray(promotion, { selector: (p) => p.promotionId, maxLength: 6 }), (ls, promotions) => {
        const outcome = applyPromotions(order, ls, promotions);
        const placed = ls.map((l) => ({ ...l, promotions: outcome.lines.get(l.lineNo) }));
        for (const l of placed) {
          const applied = l.promotions ?? [];
          expect(applied.filter((a) => a.kind === 'line').length).toBeLessThanOrEqual(1);
          expect(applied.filter((a) => a.kind === 'order').length).toBeLessThanOrEqual(1);
          const off = applied.reduce((a, p) => a + p.discount.amountMinor, 0);
          for (const a of applied) expect(Number.isSafeInteger(a.discount.amountMinor) && a.discount.amountMinor > 0).toBe(true);
          expect(off).toBeLessThanOrEqual(lineNet(l.unitPrice, l.quantity, l.discountBps).amountMinor);
        }
        // One order threshold at most, for the whole order.
        expect(new Set(placed.flatMap((l) => (l.promotions ?? []).filter((a) => a.kind === 'order').map((a) => a.promotionId))).size).toBeLessThanOrEqual(1);
        const consumption = promotionConsumption('EUR', placed);
        expect(new Map(consumption)).toEqual(new Map(outcome.consumed));
        for (const [id, amount] of consumption) {
          const p = promotions.find((x) => x.promotionId === id)!;
          expect(amount.amountMinor).toBeLessThanOrEqual(remainingBudget(p).amountMinor);
        }
      }),
    );
  });

  it("applies nothing outside a promotion's dates, to another dealer, or in another currency", () => {
    fc.assert(
      fc.property(lines, fc.uniqueArray(promotion, { selector: (p) => p.promotionId, maxLength: 4 }), (ls, promotions) => {
        expect(applyPromotions({ ...order, placedAt: '2026-04-01T00:00:00Z' }, ls, promotions).lines.size).toBe(0);
        expect(applyPromotions({ ...order, currency: 'USD' }, ls, promotions).lines.size).toBe(0);
        const forBolt = applyPromotions({ ...order, partnerId: 'carl' }, ls, promotions);
        for (const applied of forBolt.lines.values())
          for (const a of applied) expect(promotions.find((p) => p.promotionId === a.promotionId)!.target.partnerIds).toBeUndefined();
      }),
    );
  });
});
