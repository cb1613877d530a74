import { type Either, left, right } from 'fp-ts/Either';
import { governingAgreement } from '../agreements/coverage';
import type { AgreementState } from '../agreements/state';
import type { DealerPriceListState } from '../catalogue/dealer-price-list';
import { type PriceListState, tierPrice } from '../catalogue/price-list';
import { breakPrice, versionInForce } from '../catalogue/price-versions';
import { type ProductState, taxCategoryOf } from '../catalogue/product';
import type { PartnerState } from '../partners/state';
import { applyPromotions } from '../promotions/apply';
import type { ExistingPromotion } from '../promotions/promotion';
import { type DomainError, domainError, refuse } from '../shared/errors';
import type { Money } from '../shared/money';
import { discountTreatmentAt, lineTaxRate, type PricesInclude, type TaxRateTableState } from '../tax/tax';
import type { OrderRequest, PlaceOrder, PriceSource } from './commands';

/** What pricing an order needs to know, loaded by the caller from the partner, product, price-list and agreement streams. */
export interface PricingContext {
  readonly partner: PartnerState;
  readonly products: ReadonlyMap<string, ProductState>;
  readonly priceList: PriceListState;
  /** The dealer's own price list; used only where the governing agreement's terms say `dealerPrices`. */
  readonly dealerPriceList?: DealerPriceListState;
  /** The dealer's agreements: the one governing the order decides whether its own prices apply. */
  readonly agreements?: readonly AgreementState[];
  /** The promotions that may apply (see `applyPromotions`, which picks among them); none when absent. */
  readonly promotions?: readonly ExistingPromotion[];
  /** The tax rates of the partner's region; an untaxed region (no rates ever published) when absent. */
  readonly taxRates?: TaxRateTableState;
}

export interface LinePrice {
  readonly unitPrice: Money;
  readonly discountBps: number;
  readonly priceSource: PriceSource;
  /** Whether `unitPrice` includes tax: only a dated version can say so (`pricesInclude: gross`); every other price is net. */
  readonly pricesInclude: PricesInclude;
}

/** Where the dealer's own prices may be used for this order: the governing agreement's id, when its terms say so. */
export interface DealerPricing {
  readonly agreementId: string;
  readonly priceList: DealerPriceListState;
}

/**
 * The price of `quantity` units of `sku` at the instant `at`, first match wins: the dealer's own version in force (only with
 * `dealer`), the tier's version in force, the tier's undated price, the list price less the tier discount. A dated version
 * prices the SKUs it lists at the highest quantity break reached, with no further discount.
 */
export const priceLine = (
  args: { readonly sku: string; readonly quantity: number; readonly at: string; readonly listPrice: Money; readonly tier: string; readonly partnerId: string },
  priceList: PriceListState,
  dealer?: DealerPricing,
): LinePrice => {
  const { sku, quantity, at, tier, partnerId } = args;
  const dealerPrice = dealer ? versionInForce(dealer.priceList.versions, at) : undefined;
  const dealerEntry = dealerPrice?.prices.get(sku);
  if (dealer && dealerPrice && dealerEntry) {
    const { unitPrice, minQuantity } = breakPrice(dealerEntry, quantity);
    return {
      unitPrice,
      discountBps: 0,
      priceSource: { kind: 'dealer_price_list', partnerId, agreementId: dealer.agreementId, versionId: dealerPrice.versionId, minQuantity },
      pricesInclude: dealerPrice.pricesInclude,
    };
  }
  const tierVersion = versionInForce(priceList.versions, at);
  const tierEntry = tierVersion?.prices.get(sku);
  if (tierVersion && tierEntry) {
    const { unitPrice, minQuantity } = breakPrice(tierEntry, quantity);
    return {
      unitPrice,
      discountBps: 0,
      priceSource: { kind: 'tier_price_list', tier, versionId: tierVersion.versionId, minQuantity },
      pricesInclude: tierVersion.pricesInclude,
    };
  }
  const { unitPrice, discountBps } = tierPrice(priceList, sku, args.listPrice);
  return {
    unitPrice,
    discountBps,
    priceSource: priceList.prices.has(sku) ? { kind: 'tier_price', tier } : { kind: 'list_price', tier },
    pricesInclude: 'net',
  };
};

/** The dealer's own prices apply when the agreement governing the order (coverage on the order's date) says `dealerPrices`. */
export const dealerPricing = (
  request: Pick<OrderRequest, 'partnerId' | 'placedAt'>,
  region: string,
  categories: readonly string[],
  { dealerPriceList, agreements }: Pick<PricingContext, 'dealerPriceList' | 'agreements'>,
): DealerPricing | undefined => {
  if (!dealerPriceList || dealerPriceList.versions.length === 0 || !agreements) return undefined;
  const coverage = governingAgreement(agreements, { partnerId: request.partnerId, at: request.placedAt, region, categories });
  if (!coverage.covered || coverage.version.terms.dealerPrices !== true) return undefined;
  return { agreementId: coverage.agreement.agreementId, priceList: dealerPriceList };
};

/**
 * Turns a dealer's request into a priced `PlaceOrder`: the partner must be active, every SKU must be a current catalogue
 * product in the partner's currency, and each line takes the tier's price as of now. That price is snapshotted on the order.
 */
export const preparePlaceOrder = (request: OrderRequest, context: PricingContext): Either<DomainError, PlaceOrder> => {
  const { partner, products, priceList } = context;
  if (!partner.exists) return refuse('PARTNER_NOT_FOUND', `Partner ${request.partnerId} has not been onboarded.`, { partnerId: request.partnerId });
  if (partner.status !== 'active') {
    return refuse('PARTNER_NOT_ACTIVE', `Partner ${request.partnerId} is ${partner.status} and cannot place orders.`, {
      partnerId: request.partnerId,
      status: partner.status,
    });
  }
  const currency = partner.creditLimit.currency;
  const categories: string[] = [];
  for (const [index, requested] of request.lines.entries()) {
    const product = products.get(requested.sku);
    if (!product?.exists)
      return left(domainError('PRODUCT_NOT_FOUND', `Line ${index + 1}: product ${requested.sku} is not in the catalogue.`, { sku: requested.sku }));
    if (product.discontinued) return refuse('PRODUCT_DISCONTINUED', `Line ${index + 1}: product ${requested.sku} is discontinued.`, { sku: requested.sku });
    categories.push(product.category);
  }
  const dealer = dealerPricing(request, partner.region, categories, context);
  const taxRates = context.taxRates ?? { rates: [] };
  const lines: PlaceOrder['data']['lines'] = [];
  for (const [index, requested] of request.lines.entries()) {
    const product = products.get(requested.sku) as Extract<ProductState, { exists: true }>;
    const { unitPrice, discountBps, priceSource, pricesInclude } = priceLine(
      {
        sku: requested.sku,
        quantity: requested.quantity,
        at: request.placedAt,
        listPrice: product.listPrice,
        tier: partner.tier,
        partnerId: request.partnerId,
      },
      priceList,
      dealer,
    );
    if (unitPrice.currency !== currency) {
      return refuse(
        'CURRENCY_MISMATCH',
        `Line ${index + 1}: ${requested.sku} is priced in ${unitPrice.currency} but partner ${request.partnerId} trades in ${currency}.`,
        {
          sku: requested.sku,
        },
      );
    }
    const rate = lineTaxRate(taxRates, partner.region, taxCategoryOf(product), request.placedAt);
    if (rate._tag === 'Left') return rate;
    const tax = rate.right ? { tax: { ...rate.right, pricesInclude } } : {};
    lines.push({ lineNo: index + 1, sku: requested.sku, quantity: requested.quantity, unitPrice, discountBps, priceSource, ...tax });
  }
  const promoted = applyPromotions(
    { partnerId: request.partnerId, tier: partner.tier, region: partner.region, currency, placedAt: request.placedAt },
    lines.map((l, i) => ({ ...l, category: categories[i]! })),
    context.promotions ?? [],
  );
  for (const [i, line] of lines.entries()) {
    const promotions = promoted.lines.get(line.lineNo);
    if (promotions) lines[i] = { ...line, promotions: [...promotions] };
  }
  return right({
    type: 'PlaceOrder',
    data: {
      orderId: request.orderId,
      partnerId: request.partnerId,
      region: partner.region,
      tier: partner.tier,
      currency,
      lines,
      placedAt: request.placedAt,
      ...(request.requestedDeliveryDate ? { requestedDeliveryDate: request.requestedDeliveryDate } : {}),
      ...(request.customerReference ? { customerReference: request.customerReference } : {}),
      ...(lines.some((l) => l.tax) && discountTreatmentAt(taxRates, request.placedAt) === 'reducesTaxableAmount'
        ? { earlyPaymentDiscount: 'reducesTaxableAmount' as const }
        : {}),
    },
  });
};
