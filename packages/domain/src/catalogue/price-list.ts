import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import type { Money } from '../shared/money';
import type { PriceListCommand } from './commands';
import type { PriceListEvent } from './events';
import { decideEndVersion, decidePublishVersion, type PriceVersion, versionOf, withVersionEnded } from './price-versions';

/**
 * One price list per partner tier: a default discount off list prices, tier prices for some SKUs, and dated versions with
 * quantity breaks (`price-versions.ts`) that take precedence for the SKUs they list while they are in force.
 */
export interface PriceListState {
  readonly discountBps: number;
  readonly prices: ReadonlyMap<string, Money>;
  readonly versions: readonly PriceVersion[];
}

export const priceListStream = (tier: string): string => `pricelist-${tier}`;

export const evolvePriceList = (state: PriceListState, event: PriceListEvent): PriceListState => {
  switch (event.type) {
    case 'TierPriceSet':
      return { ...state, prices: new Map(state.prices).set(event.data.sku, event.data.unitPrice) };
    case 'TierPriceRemoved': {
      const prices = new Map(state.prices);
      prices.delete(event.data.sku);
      return { ...state, prices };
    }
    case 'TierDiscountSet':
      return { ...state, discountBps: event.data.discountBps };
    case 'PriceListVersionPublished':
      return { ...state, versions: [...state.versions, versionOf(event.data)] };
    case 'PriceListVersionEnded':
      return { ...state, versions: withVersionEnded(state.versions, event.data.versionId, event.data.validTo) };
  }
};

export const decidePriceList = (command: PriceListCommand, state: PriceListState): Either<DomainError, readonly PriceListEvent[]> => {
  switch (command.type) {
    case 'SetTierPrice':
      return right([{ type: 'TierPriceSet', data: command.data }]);
    case 'RemoveTierPrice':
      if (!state.prices.has(command.data.sku)) {
        return refuse('TIER_PRICE_NOT_FOUND', `Tier ${command.data.tier} has no price of its own for ${command.data.sku}.`, { ...command.data });
      }
      return right([{ type: 'TierPriceRemoved', data: command.data }]);
    case 'SetTierDiscount':
      return right([{ type: 'TierDiscountSet', data: command.data }]);
    case 'PublishPriceListVersion': {
      const { tier, publishedAt, ...content } = command.data;
      const decided = decidePublishVersion(state.versions, content, publishedAt, `the ${tier} price list`);
      if (decided._tag === 'Left') return decided;
      const superseded = decided.right.supersedes;
      return right([
        ...(superseded
          ? [
              {
                type: 'PriceListVersionEnded' as const,
                data: { tier, versionId: superseded.versionId, validTo: content.validFrom, endedAt: publishedAt, supersededBy: content.versionId },
              },
            ]
          : []),
        { type: 'PriceListVersionPublished', data: command.data },
      ]);
    }
    case 'EndPriceListVersion': {
      const decided = decideEndVersion(state.versions, command.data, `the ${command.data.tier} price list`);
      if (decided._tag === 'Left') return decided;
      return right([{ type: 'PriceListVersionEnded', data: command.data }]);
    }
  }
};

export const priceListDecider: Decider<PriceListCommand, PriceListEvent, PriceListState> = {
  initialState: { discountBps: 0, prices: new Map(), versions: [] },
  decide: decidePriceList,
  evolve: evolvePriceList,
};

/** The unit price and discount a tier pays for a product: its tier price if it has one, else list price less the tier discount. */
export const tierPrice = (priceList: PriceListState, sku: string, listPrice: Money): { unitPrice: Money; discountBps: number } => {
  const own = priceList.prices.get(sku);
  return own ? { unitPrice: own, discountBps: 0 } : { unitPrice: listPrice, discountBps: priceList.discountBps };
};
