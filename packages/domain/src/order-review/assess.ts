import { type Coverage, governingAgreement } from '../agreements/coverage';
import type { AgreementState } from '../agreements/state';
import { type CreditState, exposureOf } from '../credit/credit';
import type { ReviewReason } from '../orders/review';
import type { ExistingOrder } from '../orders/state';
import type { PartnerState } from '../partners/state';
import { creditHoldReason, type OpenInvoice } from '../receivables/credit-hold';
import { add, formatMoney, type Money, subtract, zero } from '../shared/money';

/** Everything automated review looks at, loaded by the caller from the order, partner, agreement, product and credit streams. */
export interface ReviewContext {
  readonly order: ExistingOrder;
  readonly partner: PartnerState;
  readonly agreements: readonly AgreementState[];
  /** Product category of each SKU on the order. */
  readonly categories: ReadonlyMap<string, string>;
  readonly credit: CreditState;
  /** The dealer's invoices with something still owed, for the agreement's credit hold; none when not given. */
  readonly openInvoices?: readonly OpenInvoice[];
}

export interface Assessment {
  /** Empty when the order can be approved automatically. Every failed check is listed, not only the first. */
  readonly reasons: readonly ReviewReason[];
  readonly coverage: Coverage;
  readonly limit: Money;
  readonly exposure: Money;
}

/**
 * Automated order review: an order is approved automatically when the dealer is active, an agreement in force when the
 * order was placed covers the dealer's region and every product on it, and the dealer's credit exposure (unpaid invoices
 * plus unbilled open orders) with this order stays within its credit limit; and, when that agreement sets a credit hold,
 * the dealer's overdue invoices on the day the order was placed stay within the hold's limits (`CREDIT_HOLD_OVERDUE`).
 */
export const assessOrder = ({ order, partner, agreements, categories, credit, openInvoices = [] }: ReviewContext): Assessment => {
  const reasons: ReviewReason[] = [];
  if (!partner.exists) {
    reasons.push({ code: 'PARTNER_NOT_FOUND', message: `Dealer ${order.partnerId} is not onboarded.`, details: { partnerId: order.partnerId } });
  } else if (partner.status !== 'active') {
    reasons.push({
      code: 'PARTNER_NOT_ACTIVE',
      message: `Dealer ${order.partnerId} is ${partner.status}.`,
      details: { partnerId: order.partnerId, status: partner.status },
    });
  }

  const unknown = order.lines.filter((l) => !categories.has(l.sku)).map((l) => l.sku);
  const coverage = governingAgreement(agreements, {
    partnerId: order.partnerId,
    at: order.placedAt,
    region: order.region,
    categories: order.lines.map((l) => categories.get(l.sku) ?? `unknown:${l.sku}`),
  });
  if (unknown.length > 0) {
    reasons.push({ code: 'PRODUCT_NOT_FOUND', message: `Products ${unknown.join(', ')} are not in the catalogue.`, details: { skus: unknown } });
  }
  if (!coverage.covered) reasons.push({ code: coverage.code, message: coverage.message, details: coverage.details });
  const hold = coverage.covered ? coverage.version.terms.creditHold : undefined;
  const held = hold ? creditHoldReason(hold, openInvoices, order.placedAt.slice(0, 10), order.currency) : null;
  if (held) reasons.push(held);

  const limit = partner.exists ? partner.creditLimit : zero(order.currency);
  const exposure = exposureOf(credit, order.currency);
  const after = add(exposure, order.total);
  if (after.amountMinor > limit.amountMinor) {
    const available = subtract(limit, exposure);
    reasons.push({
      code: 'CREDIT_LIMIT_EXCEEDED',
      message: `This order (${formatMoney(order.total)}) would take dealer ${order.partnerId}'s credit exposure to ${formatMoney(after)}, over its limit of ${formatMoney(limit)} (${formatMoney(available.amountMinor > 0 ? available : zero(order.currency))} available).`,
      details: { exposureMinor: exposure.amountMinor, orderMinor: order.total.amountMinor, limitMinor: limit.amountMinor, currency: order.currency },
    });
  }
  return { reasons, coverage, limit, exposure };
};
