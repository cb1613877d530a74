import { daysPastDue } from '../kpis/receivables';
import type { ReviewReason } from '../orders/review';
import { formatMoney, type Money } from '../shared/money';
import type { CreditHoldTerms } from './terms';

/** One invoice of a dealer with something still owed on it. */
export interface OpenInvoice {
  readonly invoiceId: string;
  readonly orderId: string;
  readonly dueOn: string;
  /** Still owed (invoice less credit notes and payments), positive. */
  readonly owed: Money;
}

/**
 * Whether a dealer's open invoices put a new order on credit hold on `asOf` (the day the order was placed), under the
 * agreement's `terms`: null when they do not. Only invoices in the terms' currency count towards the amount; every
 * overdue invoice counts towards the days. The reason names the invoices, so the reviewer knows what to chase.
 * @example creditHoldReason({ daysOverdueAbove: 30 }, [{ invoiceId: 'inv-1', orderId: 'o-1', dueOn: '2026-01-31', owed: eur(100_00) }], '2026-03-10')
 * // { code: 'CREDIT_HOLD_OVERDUE', ... 38 days past due ... }
 */
export const creditHoldReason = (terms: CreditHoldTerms, invoices: readonly OpenInvoice[], asOf: string, currency: string): ReviewReason | null => {
  const overdue = invoices
    .filter((i) => i.owed.amountMinor > 0 && daysPastDue(i.dueOn, asOf) > 0)
    .map((i) => ({ ...i, daysPastDue: daysPastDue(i.dueOn, asOf) }))
    .sort((a, b) => b.daysPastDue - a.daysPastDue || a.invoiceId.localeCompare(b.invoiceId));
  if (overdue.length === 0) return null;
  const oldest = overdue[0]!;
  const overdueMinor = overdue.filter((i) => i.owed.currency === currency).reduce((a, i) => a + BigInt(i.owed.amountMinor), 0n);
  const overdueMoney: Money = { amountMinor: Number(overdueMinor), currency };
  const tooOld = terms.daysOverdueAbove !== undefined && oldest.daysPastDue > terms.daysOverdueAbove;
  const tooMuch = terms.overdueAmountAbove !== undefined && overdueMinor > BigInt(terms.overdueAmountAbove.amountMinor);
  if (!tooOld && !tooMuch) return null;
  const why = [
    ...(tooOld ? [`invoice ${oldest.invoiceId} is ${oldest.daysPastDue} days past due (the agreement allows ${terms.daysOverdueAbove})`] : []),
    ...(tooMuch ? [`${formatMoney(overdueMoney)} is overdue (the agreement allows ${formatMoney(terms.overdueAmountAbove!)})`] : []),
  ];
  return {
    code: 'CREDIT_HOLD_OVERDUE',
    message: `Credit hold: ${why.join(' and ')}. Collect the overdue invoices, or approve the order to override the hold.`,
    details: {
      overdueMinor: overdueMoney.amountMinor,
      currency,
      oldestDaysPastDue: oldest.daysPastDue,
      ...(terms.daysOverdueAbove !== undefined ? { daysOverdueAbove: terms.daysOverdueAbove } : {}),
      ...(terms.overdueAmountAbove !== undefined ? { overdueAmountAboveMinor: terms.overdueAmountAbove.amountMinor } : {}),
      invoices: overdue.map((i) => ({ invoiceId: i.invoiceId, orderId: i.orderId, dueOn: i.dueOn, owedMinor: i.owed.amountMinor, daysPastDue: i.daysPastDue })),
    },
  };
};
