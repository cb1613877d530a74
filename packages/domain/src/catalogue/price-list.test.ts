import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import type { PriceListCommand } from './commands';
import type { PriceListEvent } from './events';
import { priceListDecider, tierPrice } from './price-list';

const tier = 'gold';
const at = '2025-03-01T09:00:00Z';
const eur = (amountMinor: number) => money(amountMinor, 'EUR');

const setTierPrice = (sku: string, priceMinor: number): PriceListCommand => ({
  type: 'SetTierPrice',
  data: { tier, sku, unitPrice: eur(priceMinor), setAt: at },
});
const removeTierPrice = (sku: string): PriceListCommand => ({ type: 'RemoveTierPrice', data: { tier, sku, removedAt: at } });
const setTierDiscount = (discountBps: number): PriceListCommand => ({ type: 'SetTierDiscount', data: { tier, discountBps, setAt: at } });

const tierPriceSet = (sku: string, priceMinor: number): PriceListEvent => ({
  type: 'TierPriceSet',
  data: { tier, sku, unitPrice: eur(priceMinor), setAt: at },
});
const tierPriceRemoved = (sku: string): PriceListEvent => ({ type: 'TierPriceRemoved', data: { tier, sku, removedAt: at } });
const tierDiscountSet = (discountBps: number): PriceListEvent => ({ type: 'TierDiscountSet', data: { tier, discountBps, setAt: at } });

const givenPriceList = given(priceListDecider);
const priceList = (...history: PriceListEvent[]) => fold(priceListDecider, history);

describe('tier prices', () => {
  it('sets a tier price for a SKU', () => {
    givenPriceList().when(setTierPrice('pump-a', 99_00)).then(tierPriceSet('pump-a', 99_00));
  });

  it('replaces an existing tier price', () => {
    givenPriceList(tierPriceSet('pump-a', 99_00)).when(setTierPrice('pump-a', 95_00)).then(tierPriceSet('pump-a', 95_00));
  });

  it('removes a tier price', () => {
    givenPriceList(tierPriceSet('pump-a', 99_00)).when(removeTierPrice('pump-a')).then(tierPriceRemoved('pump-a'));
  });

  it('refuses to remove a tier price the tier does not have', () => {
    givenPriceList().when(removeTierPrice('pump-a')).thenRefuses('TIER_PRICE_NOT_FOUND');
    givenPriceList(tierPriceSet('pump-a', 99_00), tierPriceRemoved('pump-a')).when(removeTierPrice('pump-a')).thenRefuses('TIER_PRICE_NOT_FOUND');
    givenPriceList(tierPriceSet('valve-b', 4_00)).when(removeTierPrice('pump-a')).thenRefuses('TIER_PRICE_NOT_FOUND');
  });
});

describe('tier discount', () => {
  it('sets the discount off list prices', () => {
    givenPriceList().when(setTierDiscount(1_500)).then(tierDiscountSet(1_500));
  });

  it('replaces an earlier discount', () => {
    givenPriceList(tierDiscountSet(1_500)).when(setTierDiscount(0)).then(tierDiscountSet(0));
  });
});

describe('the price a tier pays', () => {
  const listPrice = eur(120_00);

  it('is the list price, undiscounted, when the tier has neither a discount nor a price of its own', () => {
    expect(tierPrice(priceList(), 'pump-a', listPrice)).toEqual({ unitPrice: listPrice, discountBps: 0 });
  });

  it('is the list price less the tier discount when the tier has no price of its own', () => {
    expect(tierPrice(priceList(tierDiscountSet(1_000)), 'pump-a', listPrice)).toEqual({ unitPrice: listPrice, discountBps: 1_000 });
  });

  it('is the tier price, with no further discount, when the tier has one', () => {
    expect(tierPrice(priceList(tierDiscountSet(1_000), tierPriceSet('pump-a', 99_00)), 'pump-a', listPrice)).toEqual({ unitPrice: eur(99_00), discountBps: 0 });
  });

  it('falls back to the discounted list price once the tier price is removed', () => {
    const history = [tierDiscountSet(1_000), tierPriceSet('pump-a', 99_00), tierPriceRemoved('pump-a')];
    expect(tierPrice(priceList(...history), 'pump-a', listPrice)).toEqual({ unitPrice: listPrice, discountBps: 1_000 });
  });

  it('uses a tier price only for its own SKU', () => {
    expect(tierPrice(priceList(tierDiscountSet(500), tierPriceSet('valve-b', 4_00)), 'pump-a', listPrice)).toEqual({ unitPrice: listPrice, discountBps: 500 });
  });
});
