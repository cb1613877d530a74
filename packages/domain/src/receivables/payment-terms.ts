import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { addDays } from '../shared/calendar';
import { type DomainError, refuse } from '../shared/errors';
import { allocate, divideRoundHalfUp, formatMoney, type Money, subtract } from '../shared/money';

/**
 * What an invoice bills (docs/receivables.md, "Invoicing and payment terms"):
 * - `perOrder`: the whole order, once every line is delivered (the default: agreements written before this existed);
 * - `perShipment`: each shipment, when it leaves the warehouse (ERPNext's Sales Invoice per Delivery Note);
 * - `perDelivery`: each shipment, once the dealer has received it.
 */
export const InvoicingBasis = z.enum(['perOrder', 'perShipment', 'perDelivery']);
export type InvoicingBasis = z.infer<typeof InvoicingBasis>;

/** Paying in full within `days` of the invoice date takes `discountBps` off (2/10 net 30: `{ days: 10, discountBps: 200 }`). */
export const EarlyPaymentDiscount = z.strictObject({
  days: z.number().int().min(0).max(365),
  discountBps: z.number().int().min(1).max(5_000),
});
export type EarlyPaymentDiscount = z.infer<typeof EarlyPaymentDiscount>;

/** One instalment: `shareBps` of the invoice, due `offsetDays` after the invoice date. */
export const Instalment = z.strictObject({
  shareBps: z.number().int().min(1).max(10_000),
  offsetDays: z.number().int().min(0).max(365),
});
export type Instalment = z.infer<typeof Instalment>;

/**
 * An agreement's payment terms. `netDays`: the invoice is due this many days after its date (with instalments, the last
 * instalment's offset). Optional: how invoices are cut (`invoicing`, default `perOrder`), an early-payment discount, or
 * instalments (two to twelve, shares adding up to 100 %, offsets rising). A discount and instalments are not combined.
 */
export const PaymentTerms = z
  .strictObject({
    netDays: z.number().int().min(0).max(365),
    invoicing: InvoicingBasis.optional(),
    earlyPayment: EarlyPaymentDiscount.optional(),
    instalments: z.array(Instalment).min(2).max(12).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.earlyPayment && t.earlyPayment.days >= t.netDays)
      ctx.addIssue({
        code: 'custom',
        path: ['earlyPayment', 'days'],
        message: `the discount period (${t.earlyPayment.days} days) must end before the net due date (${t.netDays} days)`,
      });
    if (t.earlyPayment && t.instalments)
      ctx.addIssue({ code: 'custom', path: ['instalments'], message: 'give an early-payment discount or instalments, not both' });
    if (!t.instalments) return;
    const shares = t.instalments.reduce((a, i) => a + i.shareBps, 0);
    if (shares !== 10_000)
      ctx.addIssue({ code: 'custom', path: ['instalments'], message: `the instalments' shares add up to ${(shares / 100).toFixed(2)} %, not 100 %` });
    t.instalments.forEach((instalment, i) => {
      if (i > 0 && instalment.offsetDays <= t.instalments![i - 1]!.offsetDays)
        ctx.addIssue({ code: 'custom', path: ['instalments', i, 'offsetDays'], message: `instalment ${i + 1} must fall due after instalment ${i}` });
    });
    const last = t.instalments.at(-1)!.offsetDays;
    if (last !== t.netDays)
      ctx.addIssue({ code: 'custom', path: ['netDays'], message: `netDays (${t.netDays}) must be the last instalment's offset (${last})` });
  });
export type PaymentTerms = z.infer<typeof PaymentTerms>;

/** How an agreement's terms invoice: `perOrder` when they do not say. */
export const invoicingBasis = (terms: Pick<PaymentTerms, 'invoicing'>): InvoicingBasis => terms.invoicing ?? 'perOrder';

/** What an invoice asks for and when. */
export interface InvoiceSchedule {
  /** The last due date: the invoice's `dueDate`. */
  readonly dueOn: string;
  /** One entry per due date, oldest first; amounts add up to the invoice to the cent. Without instalments, one entry. */
  readonly instalments: readonly { readonly dueOn: string; readonly amount: Money }[];
  /** Present under an early-payment discount: paying `pay` by `until` (inclusive) settles the whole invoice. */
  readonly earlyPayment?: { readonly until: string; readonly discount: Money; readonly pay: Money };
}

/**
 * The due dates of an invoice of `amount` dated `invoicedOn` under `terms`. Deterministic: the same terms, date and amount
 * always give the same schedule. Instalments split the amount by their shares with the largest-remainder method (each
 * share rounded down, the cents left over to the largest remainders, ties to the earlier instalment), so they add up to
 * the invoice exactly. The early-payment discount is the amount times its rate, rounded half up to the cent.
 * @example invoiceSchedule({ netDays: 30, earlyPayment: { days: 10, discountBps: 200 } }, '2026-03-02', eur(1_000_00))
 * // { dueOn: '2026-04-01', instalments: [{ dueOn: '2026-04-01', amount: 1,000.00 }], earlyPayment: { until: '2026-03-12', discount: 20.00, pay: 980.00 } }
 */
export const invoiceSchedule = (terms: PaymentTerms, invoicedOn: string, amount: Money): InvoiceSchedule => {
  const dueOn = addDays(invoicedOn, terms.netDays);
  if (terms.instalments) {
    const parts = allocate(
      amount,
      terms.instalments.map((i) => i.shareBps),
    );
    return { dueOn, instalments: terms.instalments.map((i, n) => ({ dueOn: addDays(invoicedOn, i.offsetDays), amount: parts[n]! })) };
  }
  const schedule = { dueOn, instalments: [{ dueOn, amount }] };
  if (!terms.earlyPayment) return schedule;
  const discount: Money = {
    amountMinor: Number(divideRoundHalfUp(BigInt(amount.amountMinor) * BigInt(terms.earlyPayment.discountBps), 10_000n)),
    currency: amount.currency,
  };
  return { ...schedule, earlyPayment: { until: addDays(invoicedOn, terms.earlyPayment.days), discount, pay: subtract(amount, discount) } };
};

/** A dealer's invoice with something still open on it, as payment allocation sees it. */
export interface PayableInvoice {
  readonly invoiceId: string;
  readonly invoicedOn: string;
  /** Its (earliest unpaid) due date: oldest due is paid first. */
  readonly dueOn: string;
  /** Still open: invoiced less credited less paid less discounts allowed; positive. */
  readonly open: Money;
  /** The early-payment discount still available on it (the whole invoice open, paid by `until`). */
  readonly earlyPayment?: { readonly until: string; readonly discount: Money };
}

/** How much of a payment (or of a dealer's credit) goes to one invoice, and the discount allowed with it. */
export interface Allocation {
  readonly invoiceId: string;
  readonly amount: Money;
  /** The early-payment discount allowed because this allocation settles the invoice in time (absent when none). */
  readonly discount?: Money;
}

export interface PaymentAllocation {
  readonly allocations: readonly Allocation[];
  /** What no invoice took: kept as the dealer's credit. */
  readonly unapplied: Money;
}

/** The payer's instruction: these invoices, in this order, each with as much as it is owed or the amount given. */
export type NamedInvoices = readonly { readonly invoiceId: string; readonly amount?: Money }[];

const minor = (m: Money) => BigInt(m.amountMinor);
const asMoney = (n: bigint, currency: string): Money => ({ amountMinor: Number(n), currency });

/**
 * Allocates `payment`, received on `paidOn`, to a dealer's open invoices: to `named` ones in the payer's order when given,
 * otherwise oldest due first (due date, then invoice date, then invoice id). Each invoice takes at most what is open on it;
 * an invoice still inside its early-payment period is settled by its discounted amount, the discount allowed beside the
 * cash. What is left is `unapplied`, the dealer's credit. Invoices in another currency are never paid by it. The same
 * rule applies a dealer's credit later (the credit is then the `payment`).
 *
 * Invariants (fast-check, payment-terms.test.ts): no invoice gets more than is open on it (cash plus discount), the
 * allocations plus the unapplied amount are the payment to the cent, and nothing is negative.
 */
export const allocatePayment = (
  payment: Money,
  paidOn: string,
  invoices: readonly PayableInvoice[],
  named?: NamedInvoices,
): Either<DomainError, PaymentAllocation> => {
  const { currency } = payment;
  const byId = new Map(invoices.map((i) => [i.invoiceId, i]));
  let targets: { invoice: PayableInvoice; cap?: Money }[];
  if (named && named.length > 0) {
    targets = [];
    const seen = new Set<string>();
    for (const n of named) {
      const invoice = byId.get(n.invoiceId);
      if (seen.has(n.invoiceId)) return refuse('DUPLICATE_INVOICE', `Invoice ${n.invoiceId} is named twice; name it once.`, { invoiceId: n.invoiceId });
      seen.add(n.invoiceId);
      if (!invoice || invoice.open.amountMinor <= 0)
        return refuse('INVOICE_NOT_OPEN', `Invoice ${n.invoiceId} is not an open invoice of this dealer.`, { invoiceId: n.invoiceId });
      if (invoice.open.currency !== currency || (n.amount && n.amount.currency !== currency))
        return refuse('CURRENCY_MISMATCH', `Invoice ${n.invoiceId} is in ${invoice.open.currency}; the payment is in ${currency}.`, {
          invoiceId: n.invoiceId,
          expected: currency,
        });
      if (n.amount && n.amount.amountMinor > invoice.open.amountMinor)
        return refuse('OVER_ALLOCATION', `${formatMoney(n.amount)} is more than the ${formatMoney(invoice.open)} open on invoice ${n.invoiceId}.`, {
          invoiceId: n.invoiceId,
          openMinor: invoice.open.amountMinor,
          amountMinor: n.amount.amountMinor,
        });
      targets.push(n.amount ? { invoice, cap: n.amount } : { invoice });
    }
    const stated = targets.reduce((a, t) => a + (t.cap ? minor(t.cap) : 0n), 0n);
    if (stated > minor(payment))
      return refuse(
        'OVER_ALLOCATION',
        `The amounts named add up to ${formatMoney(asMoney(stated, currency))}, more than the payment of ${formatMoney(payment)}.`,
        {
          namedMinor: Number(stated),
          paymentMinor: payment.amountMinor,
        },
      );
  } else {
    targets = invoices
      .filter((i) => i.open.currency === currency && i.open.amountMinor > 0)
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.invoicedOn.localeCompare(b.invoicedOn) || a.invoiceId.localeCompare(b.invoiceId))
      .map((invoice) => ({ invoice }));
  }
  let left = minor(payment);
  const allocations: Allocation[] = [];
  for (const { invoice, cap } of targets) {
    if (left === 0n) break;
    const open = minor(invoice.open);
    const early = invoice.earlyPayment;
    const discount = early && paidOn <= early.until && early.discount.currency === currency ? minor(early.discount) : 0n;
    // A discount is allowed only when this allocation settles the invoice: cash of at least open less the discount.
    const settles = discount > 0n && discount < open && left >= open - discount && (!cap || minor(cap) >= open - discount);
    const wanted = settles ? open - discount : cap ? minor(cap) : open;
    const amount = wanted < left ? wanted : left;
    if (amount <= 0n) continue;
    left -= amount;
    allocations.push({ invoiceId: invoice.invoiceId, amount: asMoney(amount, currency), ...(settles ? { discount: asMoney(discount, currency) } : {}) });
  }
  return right({ allocations, unapplied: asMoney(left, currency) });
};
