import { type Either, left, right } from 'fp-ts/Either';
import { type PriceListState, tierPrice } from '../catalogue/price-list';
import type { ProductState } from '../catalogue/product';
import type { PartnerState } from '../partners/state';
import { type DomainError, domainError, refuse } from '../shared/errors';
import type { OrderRequest, PlaceOrder } from './commands';

/** What pricing an order needs to know, loaded by the caller from the partner, product and price-list streams. */
export interface PricingContext {
  readonly partner: PartnerState;
  readonly products: ReadonlyMap<string, ProductState>;
  readonly priceList: PriceListState;
}

/**
 * Turns a dealer's request into a priced `PlaceOrder`: the partner must be active, every SKU must be a current catalogue
 * product in the partner's currency, and each line takes the tier's price as of now. That price is snapshotted on the order.
 */
export const preparePlaceOrder = (request: OrderRequest, { partner, products, priceList }: PricingContext): Either<DomainError, PlaceOrder> => {
  if (!partner.exists) return refuse('PARTNER_NOT_FOUND', `Partner ${request.partnerId} has not been onboarded.`, { partnerId: request.partnerId });
  if (partner.status !== 'active') {
    return refuse('PARTNER_NOT_ACTIVE', `Partner ${request.partnerId} is ${partner.status} and cannot place orders.`, {
      partnerId: request.partnerId,
      status: partner.status,
    });
  }
  const currency = partner.creditLimit.currency;
  const lines: PlaceOrder['data']['lines'] = [];
  for (const [index, requested] of request.lines.entries()) {
    const product = products.get(requested.sku);
    if (!product?.exists)
      return left(domainError('PRODUCT_NOT_FOUND', `Line ${index + 1}: product ${requested.sku} is not in the catalogue.`, { sku: requested.sku }));
    if (product.discontinued) return refuse('PRODUCT_DISCONTINUED', `Line ${index + 1}: product ${requested.sku} is discontinued.`, { sku: requested.sku });
    const { unitPrice, discountBps } = tierPrice(priceList, requested.sku, product.listPrice);
    if (unitPrice.currency !== currency) {
      return refuse(
        'CURRENCY_MISMATCH',
        `Line ${index + 1}: ${requested.sku} is priced in ${unitPrice.currency} but partner ${request.partnerId} trades in ${currency}.`,
        {
          sku: requested.sku,
        },
      );
    }
    lines.push({ lineNo: index + 1, sku: requested.sku, quantity: requested.quantity, unitPrice, discountBps });
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
    },
  });
};
