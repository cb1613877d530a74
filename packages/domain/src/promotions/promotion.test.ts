import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { type Money, money } from '../shared/money';
import { given } from '../testing';
import type { PromotionCommand } from './commands';
import type { PromotionEvent } from './events';
import { type ExistingPromotion, promotionDecider, promotionInForce } from './promotion';

const eur = (amountMinor: number): Money => money(amountMinor, 'EUR');
const created = (budget = 10_000): PromotionEvent => ({
  type: 'PromotionCreated',
  data: {
    promotionId: 'spring',
    name: 'Spring pumps',
    validFrom: '2026-03-01T00:00:00Z',
    validTo: '2026-04-01T00:00:00Z',
    currency: 'EUR',
    target: { categories: ['pumps'] },
    benefit: { kind: 'percent_off', bps: 500 },
    budget: eur(budget),
    createdAt: '2026-02-20T09:00:00Z',
  },
});
const create = (changes: Partial<Extract<PromotionCommand, { type: 'CreatePromotion' }>['data']> = {}): PromotionCommand => ({
  type: 'CreatePromotion',
  data: { ...(created().data as Extract<PromotionCommand, { type: 'CreatePromotion' }>['data']), ...changes },
});
const consume = (orderId: string, amountMinor: number): PromotionCommand => ({
  type: 'ConsumePromotionBudget',
  data: { promotionId: 'spring', orderId, amount: eur(amountMinor), consumedAt: '2026-03-02T09:00:00Z' },
});
const release = (orderId: string): PromotionCommand => ({
  type: 'ReleasePromotionBudget',
  data: { promotionId: 'spring', orderId, reason: 'order cancelled', releasedAt: '2026-03-03T09:00:00Z' },
});
const consumed = (orderId: string, amountMinor: number, totalMinor: number): PromotionEvent => ({
  type: 'PromotionBudgetConsumed',
  data: { promotionId: 'spring', orderId, amount: eur(amountMinor), consumed: eur(totalMinor), consumedAt: '2026-03-02T09:00:00Z' },
});

const givenPromotion = given(promotionDecider);

describe('creating a promotion', () => {
  it('records its terms and budget', () => {
    givenPromotion().when(create()).then(created());
  });
  it('refuses a second promotion with the same id, one ending before it starts, and amounts in another currency', () => {
    givenPromotion(created()).when(create()).thenRefuses('PROMOTION_EXISTS');
    givenPromotion()
      .when(create({ validTo: '2026-03-01T00:00:00Z' }))
      .thenRefuses('INVALID_VALIDITY');
    givenPromotion()
      .when(create({ validFrom: '2026-01-01T00:00:00Z', validTo: '2026-02-01T00:00:00Z' }))
      .thenRefuses('PROMOTION_BACKDATED');
    expect(
      givenPromotion()
        .when(create({ budget: money(100, 'USD') }))
        .thenRefuses('CURRENCY_MISMATCH').message,
    ).toContain('budget');
  });
});

describe("a promotion's budget", () => {
  it('is consumed by an order while it covers the discount, and refused once it does not', () => {
    givenPromotion(created(1_000))
      .when(consume('o-1', 600))
      .then(consumed('o-1', 600, 600));
    const refusal = givenPromotion(created(1_000), consumed('o-1', 600, 600))
      .when(consume('o-2', 401))
      .thenRefuses('PROMOTION_BUDGET_EXHAUSTED');
    expect(refusal.message).toBe('Promotion spring has 4.00 EUR of its budget left; order o-2 would take 4.01 EUR.');
    givenPromotion(created(1_000), consumed('o-1', 600, 600))
      .when(consume('o-2', 400))
      .then(consumed('o-2', 400, 1_000));
  });
  it('is consumed once per order: the same amount again changes nothing, another amount is refused', () => {
    givenPromotion(created(), consumed('o-1', 600, 600))
      .when(consume('o-1', 600))
      .then();
    givenPromotion(created(), consumed('o-1', 600, 600))
      .when(consume('o-1', 700))
      .thenRefuses('PROMOTION_ALREADY_CONSUMED');
  });
  it("gets an order's discount back when the order is cancelled, once", () => {
    givenPromotion(created(), consumed('o-1', 600, 600))
      .when(release('o-1'))
      .then({
        type: 'PromotionBudgetReleased',
        data: { promotionId: 'spring', orderId: 'o-1', amount: eur(600), consumed: eur(0), reason: 'order cancelled', releasedAt: '2026-03-03T09:00:00Z' },
      });
    givenPromotion(created()).when(release('o-1')).then();
  });
});

describe('ending a promotion', () => {
  it('brings its end forward; no order placed from then on gets it', () => {
    const ended: PromotionEvent = { type: 'PromotionEnded', data: { promotionId: 'spring', reason: 'stock ran out', endedAt: '2026-03-10T12:00:00Z' } };
    givenPromotion(created())
      .when({ type: 'EndPromotion', data: ended.data as { promotionId: string; reason: string; endedAt: string } })
      .then(ended);
    const state = fold(promotionDecider, [created(), ended]) as ExistingPromotion;
    expect(promotionInForce(state, '2026-03-10T11:59:59Z')).toBe(true);
    expect(promotionInForce(state, '2026-03-10T12:00:00Z')).toBe(false);
    givenPromotion(created(), ended)
      .when({ type: 'EndPromotion', data: { promotionId: 'spring', reason: 'again', endedAt: '2026-03-11T00:00:00Z' } })
      .thenRefuses('PROMOTION_ALREADY_ENDED');
  });
});

describe('property: no sequence of orders overspends a budget', () => {
  it('consumed never exceeds the budget and always equals what the orders holding it took', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('consume' as const), order: fc.integer({ min: 1, max: 8 }), amount: fc.integer({ min: 1, max: 700 }) }),
      fc.record({ kind: fc.constant('release' as const), order: fc.integer({ min: 1, max: 8 }), amount: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), fc.array(step, { maxLength: 60 }), (budget, steps) => {
        const history: PromotionEvent[] = [created(budget)];
        for (const s of steps) {
          const command = s.kind === 'consume' ? consume(`o-${s.order}`, s.amount) : release(`o-${s.order}`);
          const decision = promotionDecider.decide(command, fold(promotionDecider, history));
          if (decision._tag === 'Right') history.push(...decision.right);
          const state = fold(promotionDecider, history) as ExistingPromotion;
          expect(state.consumed.amountMinor).toBeLessThanOrEqual(budget);
          expect(state.consumed.amountMinor).toBe([...state.orders.values()].reduce((a, m) => a + m.amountMinor, 0));
        }
      }),
    );
  });
});
