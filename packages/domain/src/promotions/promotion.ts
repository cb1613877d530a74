import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { add, formatMoney, type Money, subtract } from '../shared/money';
import type { PromotionBenefit, PromotionCommand, PromotionRegistryCommand, PromotionTarget } from './commands';
import type { PromotionEvent, PromotionRegistryEvent } from './events';

/**
 * A promotion's own stream (`promotion-<promotionId>`): its terms, and its budget as orders consume and release it. Every
 * order's discount is taken from the budget by an event on this stream, appended with optimistic concurrency, so that
 * concurrent orders cannot together give away more than the budget.
 */
export type PromotionState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly promotionId: string;
      readonly name: string;
      readonly validFrom: string;
      readonly validTo: string;
      readonly currency: string;
      readonly target: PromotionTarget;
      readonly benefit: PromotionBenefit;
      readonly budget: Money;
      readonly consumed: Money;
      /** What each order holding part of the budget took. */
      readonly orders: ReadonlyMap<string, Money>;
      readonly endedAt?: string;
      readonly createdAt: string;
    };
export type ExistingPromotion = Extract<PromotionState, { exists: true }>;

export const promotionStream = (promotionId: string): string => `promotion-${promotionId}`;

const instant = (iso: string): number => Date.parse(iso);

/** The end of a promotion: its `validTo`, or when it was ended, whichever is earlier. */
export const promotionEnd = (p: ExistingPromotion): string => (p.endedAt !== undefined && instant(p.endedAt) < instant(p.validTo) ? p.endedAt : p.validTo);

/** In force at `at`: from `validFrom` (inclusive) to its end (exclusive). */
export const promotionInForce = (p: ExistingPromotion, at: string): boolean => instant(p.validFrom) <= instant(at) && instant(at) < instant(promotionEnd(p));

/** What is left of the budget. */
export const remainingBudget = (p: ExistingPromotion): Money => subtract(p.budget, p.consumed);

export const evolvePromotion = (state: PromotionState, event: PromotionEvent): PromotionState => {
  switch (event.type) {
    case 'PromotionCreated': {
      const d = event.data;
      return {
        exists: true,
        promotionId: d.promotionId,
        name: d.name,
        validFrom: d.validFrom,
        validTo: d.validTo,
        currency: d.currency,
        target: d.target,
        benefit: d.benefit,
        budget: d.budget,
        consumed: { amountMinor: 0, currency: d.currency },
        orders: new Map(),
        createdAt: d.createdAt,
      };
    }
    case 'PromotionEnded':
      return state.exists ? { ...state, endedAt: event.data.endedAt } : state;
    case 'PromotionBudgetConsumed': {
      if (!state.exists) return state;
      const orders = new Map(state.orders);
      orders.set(event.data.orderId, event.data.amount);
      return { ...state, consumed: event.data.consumed, orders };
    }
    case 'PromotionBudgetReleased': {
      if (!state.exists) return state;
      const orders = new Map(state.orders);
      orders.delete(event.data.orderId);
      return { ...state, consumed: event.data.consumed, orders };
    }
  }
};

const moneyIn = (what: string, m: Money, currency: string): DomainError | undefined =>
  m.currency === currency
    ? undefined
    : { code: 'CURRENCY_MISMATCH', message: `The promotion is in ${currency}, but its ${what} is in ${m.currency}.`, details: { field: what } };

const notFound = (promotionId: string) => refuse<never>('PROMOTION_NOT_FOUND', `There is no promotion ${promotionId}.`, { promotionId });

export const decidePromotion = (command: PromotionCommand, state: PromotionState): Either<DomainError, readonly PromotionEvent[]> => {
  switch (command.type) {
    case 'CreatePromotion': {
      const d = command.data;
      if (state.exists) return refuse('PROMOTION_EXISTS', `Promotion ${d.promotionId} already exists.`, { promotionId: d.promotionId });
      if (instant(d.validTo) <= instant(d.validFrom))
        return refuse('INVALID_VALIDITY', `The promotion must end after it starts (validFrom ${d.validFrom}, validTo ${d.validTo}).`, {
          validFrom: d.validFrom,
          validTo: d.validTo,
        });
      if (instant(d.validTo) <= instant(d.createdAt))
        return refuse('PROMOTION_BACKDATED', `The promotion would end (${d.validTo}) before it is created (${d.createdAt}).`, { validTo: d.validTo });
      const amounts: Array<[string, Money]> = [['budget', d.budget]];
      if (d.benefit.kind === 'amount_off') amounts.push(['amountPerUnit', d.benefit.amountPerUnit]);
      if (d.benefit.kind === 'order_threshold') {
        amounts.push(['minimum', d.benefit.minimum]);
        if (d.benefit.amount) amounts.push(['amount', d.benefit.amount]);
      }
      for (const [what, m] of amounts) {
        const wrong = moneyIn(what, m, d.currency);
        if (wrong) return refuse(wrong.code, wrong.message, wrong.details);
      }
      return right([{ type: 'PromotionCreated', data: d }]);
    }
    case 'EndPromotion': {
      const d = command.data;
      if (!state.exists) return notFound(d.promotionId);
      if (instant(promotionEnd(state)) <= instant(d.endedAt))
        return refuse('PROMOTION_ALREADY_ENDED', `Promotion ${d.promotionId} already ended at ${promotionEnd(state)}.`, {
          promotionId: d.promotionId,
          end: promotionEnd(state),
        });
      return right([{ type: 'PromotionEnded', data: d }]);
    }
    case 'ConsumePromotionBudget': {
      const d = command.data;
      if (!state.exists) return notFound(d.promotionId);
      const wrong = moneyIn('amount', d.amount, state.currency);
      if (wrong) return refuse(wrong.code, wrong.message, wrong.details);
      const held = state.orders.get(d.orderId);
      if (held) {
        if (held.amountMinor === d.amount.amountMinor) return right([]);
        return refuse('PROMOTION_ALREADY_CONSUMED', `Order ${d.orderId} already took ${formatMoney(held)} of promotion ${d.promotionId}.`, {
          promotionId: d.promotionId,
          orderId: d.orderId,
        });
      }
      const remaining = remainingBudget(state);
      if (d.amount.amountMinor > remaining.amountMinor)
        return refuse(
          'PROMOTION_BUDGET_EXHAUSTED',
          `Promotion ${d.promotionId} has ${formatMoney(remaining)} of its budget left; order ${d.orderId} would take ${formatMoney(d.amount)}.`,
          { promotionId: d.promotionId, remaining, requested: d.amount },
        );
      return right([{ type: 'PromotionBudgetConsumed', data: { ...d, consumed: add(state.consumed, d.amount) } }]);
    }
    case 'ReleasePromotionBudget': {
      const d = command.data;
      if (!state.exists) return notFound(d.promotionId);
      const held = state.orders.get(d.orderId);
      if (!held) return right([]);
      return right([{ type: 'PromotionBudgetReleased', data: { ...d, amount: held, consumed: subtract(state.consumed, held) } }]);
    }
  }
};

export const promotionDecider: Decider<PromotionCommand, PromotionEvent, PromotionState> = {
  initialState: { exists: false },
  decide: decidePromotion,
  evolve: evolvePromotion,
};

/** The one stream listing every promotion, with its dates, so that placing an order finds those that may apply. */
export const PROMOTION_REGISTRY_STREAM = 'promotionregistry-manufacturer';

export interface PromotionRegistryState {
  readonly promotions: ReadonlyArray<{ readonly promotionId: string; readonly validFrom: string; readonly validTo: string }>;
}

/** The promotions listed whose dates include `at` (one ended early may still be listed: its own stream says so). */
export const registeredAt = (state: PromotionRegistryState, at: string): string[] =>
  state.promotions.filter((p) => instant(p.validFrom) <= instant(at) && instant(at) < instant(p.validTo)).map((p) => p.promotionId);

export const promotionRegistryDecider: Decider<PromotionRegistryCommand, PromotionRegistryEvent, PromotionRegistryState> = {
  initialState: { promotions: [] },
  decide: (command, state) => {
    const d = command.data;
    if (state.promotions.some((p) => p.promotionId === d.promotionId)) return right([]);
    return right([{ type: 'PromotionRegistered', data: d }]);
  },
  evolve: (state, event) => ({
    promotions: [...state.promotions, { promotionId: event.data.promotionId, validFrom: event.data.validFrom, validTo: event.data.validTo }],
  }),
};
