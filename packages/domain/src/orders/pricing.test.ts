import { isLeft } from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { activeAgreement, draftedEvent, terms } from '../agreements/fixtures';
import { agreementDecider } from '../agreements/index';
import { dealerPriceListDecider } from '../catalogue/dealer-price-list';
import type { DealerPriceListEvent, PriceListEvent } from '../catalogue/events';
import { priceListDecider } from '../catalogue/price-list';
import type { VersionPrice } from '../catalogue/price-versions';
import type { ProductState } from '../catalogue/product';
import type { PartnerEvent } from '../partners/events';
import { partnerDecider } from '../partners/index';
import { fold } from '../shared/decider';
import { type Money, money } from '../shared/money';
import type { OrderCommand, OrderRequest, PlaceOrder } from './commands';
import { approve, at, confirm, deliver, eur, invoice, orderId, ship } from './fixtures';
import { orderDecider } from './index';
import { type PricingContext, preparePlaceOrder } from './pricing';
import type { OrderState } from './state';

const partnerId = 'acme';

const acmeOnboarded: PartnerEvent = {
  type: 'PartnerOnboarded',
  data: { partnerId, name: 'Acme Distribution', region: 'north', tier: 'gold', creditLimit: eur(10_000_00), contacts: [], onboardedAt: at },
};
const partner = (...since: PartnerEvent[]) => fold(partnerDecider, [acmeOnboarded, ...since]);
const suspended: PartnerEvent = { type: 'PartnerSuspended', data: { partnerId, reason: 'overdue invoices', suspendedAt: at } };
const terminated: PartnerEvent = { type: 'PartnerTerminated', data: { partnerId, reason: 'breach', terminatedAt: at } };

type Product = Extract<ProductState, { exists: true }>;
const product = (sku: string, listPrice: Money, { discontinued = false } = {}): Product => ({
  exists: true,
  sku,
  name: sku,
  category: 'pumps',
  unit: 'each',
  listPrice,
  discontinued,
});
const catalogue = (...products: Product[]): ReadonlyMap<string, ProductState> => new Map(products.map((p) => [p.sku, p]));
const goldPrices = (...events: PriceListEvent[]) => fold(priceListDecider, events);
const goldDiscount = (discountBps: number): PriceListEvent => ({ type: 'TierDiscountSet', data: { tier: 'gold', discountBps, setAt: at } });
const goldPrice = (sku: string, unitPrice: Money): PriceListEvent => ({ type: 'TierPriceSet', data: { tier: 'gold', sku, unitPrice, setAt: at } });

/** A dealer's request: `{ sku: quantity }`. */
const request = (quantities: Record<string, number>, id = orderId): OrderRequest => ({
  orderId: id,
  partnerId,
  lines: Object.entries(quantities).map(([sku, quantity]) => ({ sku, quantity })),
  placedAt: at,
});

const context = (overrides: Partial<PricingContext> = {}): PricingContext => ({
  partner: partner(),
  products: catalogue(product('pump-a', eur(120_00)), product('valve-b', eur(4_50))),
  priceList: goldPrices(goldDiscount(1_000)),
  ...overrides,
});

const priced = (req: OrderRequest, ctx: PricingContext): PlaceOrder => {
  const result = preparePlaceOrder(req, ctx);
  if (isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

/** The order as it stands once every command is accepted, in turn. */
const orderAfter = (...commands: OrderCommand[]): OrderState =>
  commands.reduce((state, command) => {
    const result = orderDecider.decide(command, state);
    if (isLeft(result)) throw new Error(result.left.message);
    return result.right.reduce(orderDecider.evolve, state);
  }, orderDecider.initialState);

describe('who may order', () => {
  it('an active partner gets a priced order in its own region, tier and currency', () => {
    expect(priced(request({ 'pump-a': 2 }), context())).toEqual({
      type: 'PlaceOrder',
      data: {
        orderId,
        partnerId,
        region: 'north',
        tier: 'gold',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku: 'pump-a', quantity: 2, unitPrice: eur(120_00), discountBps: 1_000, priceSource: { kind: 'list_price', tier: 'gold' } }],
        placedAt: at,
      },
    });
  });

  it('a partner that was reactivated may order again', () => {
    const reactivated: PartnerEvent = { type: 'PartnerReactivated', data: { partnerId, reactivatedAt: at } };
    expect(preparePlaceOrder(request({ 'pump-a': 1 }), context({ partner: partner(suspended, reactivated) }))._tag).toBe('Right');
  });

  it.each([
    ['suspended', suspended],
    ['terminated', terminated],
  ] as const)('a %s partner cannot order', (status, event) => {
    expect(preparePlaceOrder(request({ 'pump-a': 1 }), context({ partner: partner(event) }))).toMatchObject({
      left: { code: 'PARTNER_NOT_ACTIVE', details: { partnerId, status } },
    });
  });

  it('an unknown partner cannot order', () => {
    expect(preparePlaceOrder(request({ 'pump-a': 1 }), context({ partner: partnerDecider.initialState }))).toMatchObject({
      left: { code: 'PARTNER_NOT_FOUND' },
    });
  });

  it('orders in the tier the partner has now', () => {
    const promoted: PartnerEvent = { type: 'PartnerTierChanged', data: { partnerId, from: 'gold', to: 'platinum', changedAt: at } };
    expect(priced(request({ 'pump-a': 1 }), context({ partner: partner(promoted) })).data.tier).toBe('platinum');
  });
});

describe('what may be ordered', () => {
  it('refuses a SKU that is not in the catalogue', () => {
    expect(preparePlaceOrder(request({ 'pump-a': 1, 'pump-zz': 1 }), context())).toMatchObject({
      left: { code: 'PRODUCT_NOT_FOUND', details: { sku: 'pump-zz' } },
    });
  });

  it('refuses a SKU the catalogue knows only as not registered', () => {
    const products = new Map<string, ProductState>([['pump-a', { exists: false }]]);
    expect(preparePlaceOrder(request({ 'pump-a': 1 }), context({ products }))).toMatchObject({ left: { code: 'PRODUCT_NOT_FOUND' } });
  });

  it('refuses a discontinued product', () => {
    const products = catalogue(product('pump-a', eur(120_00), { discontinued: true }));
    expect(preparePlaceOrder(request({ 'pump-a': 1 }), context({ products }))).toMatchObject({
      left: { code: 'PRODUCT_DISCONTINUED', details: { sku: 'pump-a' } },
    });
  });
});

describe('the price of each line', () => {
  it('is the list price less the tier discount when the tier has no price of its own', () => {
    expect(priced(request({ 'pump-a': 2, 'valve-b': 10 }), context()).data.lines).toEqual([
      { lineNo: 1, sku: 'pump-a', quantity: 2, unitPrice: eur(120_00), discountBps: 1_000, priceSource: { kind: 'list_price', tier: 'gold' } },
      { lineNo: 2, sku: 'valve-b', quantity: 10, unitPrice: eur(4_50), discountBps: 1_000, priceSource: { kind: 'list_price', tier: 'gold' } },
    ]);
  });

  it('is the tier price, undiscounted, when the tier has one', () => {
    const priceList = goldPrices(goldDiscount(1_000), goldPrice('pump-a', eur(99_00)));
    expect(priced(request({ 'pump-a': 2, 'valve-b': 10 }), context({ priceList })).data.lines).toEqual([
      { lineNo: 1, sku: 'pump-a', quantity: 2, unitPrice: eur(99_00), discountBps: 0, priceSource: { kind: 'tier_price', tier: 'gold' } },
      { lineNo: 2, sku: 'valve-b', quantity: 10, unitPrice: eur(4_50), discountBps: 1_000, priceSource: { kind: 'list_price', tier: 'gold' } },
    ]);
  });

  it('refuses a product listed in another currency than the partner trades in', () => {
    const products = catalogue(product('pump-a', eur(120_00)), product('valve-b', money(4_50, 'USD')));
    expect(preparePlaceOrder(request({ 'pump-a': 1, 'valve-b': 1 }), context({ products }))).toMatchObject({
      left: { code: 'CURRENCY_MISMATCH', details: { sku: 'valve-b' } },
    });
  });

  it('refuses a tier price in another currency than the partner trades in', () => {
    const priceList = goldPrices(goldPrice('pump-a', money(99_00, 'USD')));
    expect(preparePlaceOrder(request({ 'pump-a': 1 }), context({ priceList }))).toMatchObject({ left: { code: 'CURRENCY_MISMATCH' } });
  });
});

describe('the price snapshot', () => {
  it('is taken when the order is placed; later price changes never reprice it', () => {
    const placeAtTodaysPrices = priced(request({ 'pump-a': 2 }), context());

    // The list price and the tier price change after the order is placed ...
    const later = context({ products: catalogue(product('pump-a', eur(150_00))), priceList: goldPrices(goldPrice('pump-a', eur(140_00))) });
    expect(priced(request({ 'pump-a': 2 }, 'o-2'), later).data.lines[0]).toMatchObject({ unitPrice: eur(140_00), discountBps: 0 });

    // ... but the order is fulfilled and invoiced at its snapshot: 2 x 120.00 less 10 % = 216.00.
    const order = orderAfter(placeAtTodaysPrices, approve(), confirm(), ship('s1', { 1: 2 }), deliver('s1'), invoice());
    expect(order).toMatchObject({ lines: [{ unitPrice: eur(120_00), discountBps: 1_000, netAmount: eur(216_00) }], invoice: { amount: eur(216_00) } });
  });

  it('carries the requested delivery date and customer reference, and omits them when absent', () => {
    const withExtras = { ...request({ 'pump-a': 1 }), requestedDeliveryDate: '2025-03-20', customerReference: 'PO-778' };
    expect(priced(withExtras, context()).data).toMatchObject({ requestedDeliveryDate: '2025-03-20', customerReference: 'PO-778' });
    const data = priced(request({ 'pump-a': 1 }), context()).data;
    expect('requestedDeliveryDate' in data || 'customerReference' in data).toBe(false);
  });

  it('numbers the lines in the order the dealer asked for them', () => {
    const lines = priced(request({ 'valve-b': 1, 'pump-a': 1 }), context()).data.lines;
    expect(lines.map((l) => [l.lineNo, l.sku])).toEqual([
      [1, 'valve-b'],
      [2, 'pump-a'],
    ]);
  });
});

describe('dated price lists and dealer prices', () => {
  const version = (versionId: string, validFrom: string, prices: VersionPrice[], validTo?: string) => ({
    versionId,
    validFrom,
    ...(validTo ? { validTo } : {}),
    currency: 'EUR',
    prices,
    publishedAt: '2025-01-01T00:00:00Z',
  });
  const goldVersion = (...args: Parameters<typeof version>): PriceListEvent => ({
    type: 'PriceListVersionPublished',
    data: { tier: 'gold', ...version(...args) },
  });
  const acmeVersion = (...args: Parameters<typeof version>): DealerPriceListEvent => ({
    type: 'DealerPriceListVersionPublished',
    data: { partnerId, ...version(...args) },
  });
  const pumpBreaks: VersionPrice = { sku: 'pump-a', unitPrice: eur(110_00), breaks: [{ minQuantity: 10, unitPrice: eur(104_50) }] };
  const spring = goldVersion('gold-2025-spring', '2025-02-01T00:00:00Z', [pumpBreaks], '2025-04-01T00:00:00Z');
  const acmePrices = fold(dealerPriceListDecider, [acmeVersion('acme-2025', '2025-01-01T00:00:00Z', [{ sku: 'pump-a', unitPrice: eur(101_00) }])]);
  const agreement = (dealerPrices: boolean | undefined) =>
    fold(agreementDecider, [draftedEvent(terms(dealerPrices === undefined ? {} : { dealerPrices })), ...activeAgreement().slice(1)]);

  it('prices a SKU by the tier version in force, at the quantity break reached, and says so on the line', () => {
    const lines = priced(request({ 'pump-a': 12, 'valve-b': 3 }), context({ priceList: goldPrices(goldDiscount(1_000), spring) })).data.lines;
    expect(lines).toEqual([
      {
        lineNo: 1,
        sku: 'pump-a',
        quantity: 12,
        unitPrice: eur(104_50),
        discountBps: 0,
        priceSource: { kind: 'tier_price_list', tier: 'gold', versionId: 'gold-2025-spring', minQuantity: 10 },
      },
      { lineNo: 2, sku: 'valve-b', quantity: 3, unitPrice: eur(4_50), discountBps: 1_000, priceSource: { kind: 'list_price', tier: 'gold' } },
    ]);
  });

  it('prices as before outside every version', () => {
    const late = { ...request({ 'pump-a': 12 }), placedAt: '2025-04-01T00:00:00Z' };
    expect(priced(late, context({ priceList: goldPrices(goldDiscount(1_000), spring) })).data.lines[0]).toMatchObject({
      unitPrice: eur(120_00),
      discountBps: 1_000,
      priceSource: { kind: 'list_price' },
    });
  });

  it("uses the dealer's own price where its agreement in force says so, and its tier's elsewhere", () => {
    const withDealer = (dealerPrices: boolean | undefined) =>
      priced(
        request({ 'pump-a': 12, 'valve-b': 3 }),
        context({ priceList: goldPrices(goldDiscount(1_000), spring), dealerPriceList: acmePrices, agreements: [agreement(dealerPrices)] }),
      ).data.lines;
    expect(withDealer(true)).toMatchObject([
      {
        unitPrice: eur(101_00),
        discountBps: 0,
        priceSource: { kind: 'dealer_price_list', partnerId, agreementId: 'agr-1', versionId: 'acme-2025', minQuantity: 1 },
      },
      { unitPrice: eur(4_50), discountBps: 1_000, priceSource: { kind: 'list_price' } },
    ]);
    expect(withDealer(false)[0]).toMatchObject({ unitPrice: eur(104_50), priceSource: { kind: 'tier_price_list' } });
    expect(withDealer(undefined)[0]).toMatchObject({ unitPrice: eur(104_50), priceSource: { kind: 'tier_price_list' } });
  });

  it('ignores dealer prices when no agreement covers the order (it waits for review on its tier prices)', () => {
    const valves = { ...request({ 'pump-a': 1 }), placedAt: '2026-02-01T09:00:00Z' };
    expect(priced(valves, context({ dealerPriceList: acmePrices, agreements: [agreement(true)] })).data.lines[0]).toMatchObject({
      priceSource: { kind: 'list_price' },
    });
  });
});
