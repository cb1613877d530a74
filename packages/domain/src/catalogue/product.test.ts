import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import type { ProductCommand } from './commands';
import type { ProductEvent } from './events';
import { productDecider } from './product';

const sku = 'pump-a';
const at = '2025-03-01T09:00:00Z';
const eur = (amountMinor: number) => money(amountMinor, 'EUR');

const pump = { sku, name: 'Centrifugal pump A', category: 'pumps', unit: 'each' as const, listPrice: eur(120_00), registeredAt: at };

const register = (): ProductCommand => ({ type: 'RegisterProduct', data: pump });
const changeListPrice = (listPrice: ReturnType<typeof eur>): ProductCommand => ({ type: 'ChangeListPrice', data: { sku, listPrice, changedAt: at } });
const discontinue = (reason?: string): ProductCommand => ({ type: 'DiscontinueProduct', data: { sku, discontinuedAt: at, ...(reason ? { reason } : {}) } });

const registered = (): ProductEvent => ({ type: 'ProductRegistered', data: pump });
const listPriceChanged = (fromMinor: number, toMinor: number): ProductEvent => ({
  type: 'ListPriceChanged',
  data: { sku, from: eur(fromMinor), to: eur(toMinor), changedAt: at },
});
const discontinued = (reason?: string): ProductEvent => ({ type: 'ProductDiscontinued', data: { sku, discontinuedAt: at, ...(reason ? { reason } : {}) } });

const givenProduct = given(productDecider);

describe('registering a product', () => {
  it('adds the product to the catalogue', () => {
    givenProduct().when(register()).then(registered());
    expect(fold(productDecider, [registered()])).toMatchObject({ exists: true, listPrice: eur(120_00), discontinued: false });
  });

  it('refuses to register the same SKU twice', () => {
    givenProduct(registered()).when(register()).thenRefuses('PRODUCT_ALREADY_EXISTS');
  });

  it.each([changeListPrice(eur(99_00)), discontinue()].map((c) => [c.type, c] as const))('refuses %s for an unknown SKU', (_, command) => {
    givenProduct().when(command).thenRefuses('PRODUCT_NOT_FOUND');
  });
});

describe('changing the list price', () => {
  it('records the old and the new price', () => {
    givenProduct(registered())
      .when(changeListPrice(eur(135_00)))
      .then(listPriceChanged(120_00, 135_00));
  });

  it('changes from the current price', () => {
    givenProduct(registered(), listPriceChanged(120_00, 135_00))
      .when(changeListPrice(eur(110_00)))
      .then(listPriceChanged(135_00, 110_00));
  });

  it('refuses a price equal to the current one', () => {
    givenProduct(registered())
      .when(changeListPrice(eur(120_00)))
      .thenRefuses('PRICE_UNCHANGED');
  });

  it('refuses a price in another currency', () => {
    givenProduct(registered())
      .when(changeListPrice(money(120_00, 'USD')))
      .thenRefuses('CURRENCY_MISMATCH');
  });
});

describe('discontinuing a product', () => {
  it('discontinues it, with or without a reason', () => {
    givenProduct(registered()).when(discontinue('replaced by pump-b')).then(discontinued('replaced by pump-b'));
    givenProduct(registered()).when(discontinue()).then(discontinued());
  });

  it.each([changeListPrice(eur(99_00)), discontinue()].map((c) => [c.type, c] as const))('refuses %s once discontinued', (_, command) => {
    givenProduct(registered(), discontinued()).when(command).thenRefuses('PRODUCT_DISCONTINUED');
  });
});
