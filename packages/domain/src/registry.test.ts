import { describe, expect, it } from 'vitest';
import { PriceListEvent, ProductEvent } from './catalogue';
import { EVENT_FAMILIES } from './event-catalogue';
import { OrderEvent } from './orders';
import { PartnerEvent } from './partners';
import { eventSchemas, orders, partners, priceLists, products } from './registry';

describe('the event catalogue', () => {
  it('lists every event type of every aggregate, each name exactly once', () => {
    const names = EVENT_FAMILIES.flatMap((family) => family.union.options.map((option) => option.shape.type.value as string));
    for (const union of [PartnerEvent, ProductEvent, PriceListEvent, OrderEvent]) for (const o of union.options) expect(names).toContain(o.shape.type.value);
    expect(new Set(names).size).toBe(names.length);
    expect([...eventSchemas.keys()].sort()).toEqual([...names].sort());
  });
});

describe('streams', () => {
  const at = '2025-03-01T09:00:00Z';

  it('are named after the aggregate and the id the command targets', () => {
    expect(partners.streamOf({ type: 'ReactivatePartner', data: { partnerId: 'acme', reactivatedAt: at } })).toBe('partner-acme');
    expect(products.streamOf({ type: 'DiscontinueProduct', data: { sku: 'pump-a', discontinuedAt: at } })).toBe('product-pump-a');
    expect(priceLists.streamOf({ type: 'SetTierDiscount', data: { tier: 'gold', discountBps: 500, setAt: at } })).toBe('pricelist-gold');
    expect(orders.streamOf({ type: 'ConfirmOrder', data: { orderId: 'o-1', confirmedAt: at } })).toBe('order-o-1');
  });
});
