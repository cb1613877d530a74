/**
 * The payment-terms worked example of docs/receivables.md: this test reads its tables between the markers and computes every
 * figure with the domain's own functions (`invoiceSchedule`, `allocatePayment`), so the document's figures are what DMS
 * computes. Change both together.
 */
import { describe, expect, it } from 'vitest';
import { docTable, minor } from '../../test/support/doc-tables';
import { AGEING_BUCKET_NAMES, ageReceivables, outstandingOn, owedByDueDate, type Receivable } from '../kpis/receivables';
import { formatMoney, type Money, money } from '../shared/money';
import { allocatePayment, invoiceSchedule, type PayableInvoice, PaymentTerms } from './payment-terms';

const table = (name: string) => docTable('receivables.md', name);
const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const shown = (m: Money) => formatMoney(m).replace(' EUR', '');
/** "2/10 net 30" or "net 30". */
const terms = (text: string): PaymentTerms => {
  const match = /^(?:(\d+)\/(\d+) )?net (\d+)$/.exec(text);
  if (!match) throw new Error(`unreadable terms: ${text}`);
  const [, percent, days, net] = match;
  return PaymentTerms.parse({ netDays: Number(net), ...(percent ? { earlyPayment: { days: Number(days), discountBps: Number(percent) * 100 } } : {}) });
};

const invoices = table('terms-invoices').map(([invoiceId, invoicedOn, written, amount, dueOn, early]) => ({
  invoiceId: invoiceId!,
  invoicedOn: invoicedOn!,
  amount: eur(minor(amount!)),
  schedule: invoiceSchedule(terms(written!), invoicedOn!, eur(minor(amount!))),
  dueOn: dueOn!,
  early: early!,
}));

describe('docs/receivables.md payment-terms worked example', () => {
  it.each(invoices.map((i) => [i.invoiceId, i]))('%s: its terms give the due date and the early-payment amount shown', (_, i) => {
    expect(i.schedule.dueOn).toBe(i.dueOn);
    const e = i.schedule.earlyPayment;
    expect(e ? `${shown(e.pay)} by ${e.until}` : '').toBe(i.early);
  });

  it('allocates each payment and the credit as the table shows, row by row', () => {
    const open = new Map(invoices.map((i) => [i.invoiceId, i.amount.amountMinor]));
    let credit = 0;
    for (const [received, what, amount, names, allocated, unapplied, creditAfter] of table('terms-payments')) {
      // Only invoices issued by that day are open; an early-payment discount needs the whole invoice still open.
      const payable: PayableInvoice[] = invoices
        .filter((i) => i.invoicedOn <= received! && open.get(i.invoiceId)! > 0)
        .map((i) => ({
          invoiceId: i.invoiceId,
          invoicedOn: i.invoicedOn,
          dueOn: i.schedule.dueOn,
          open: eur(open.get(i.invoiceId)!),
          ...(i.schedule.earlyPayment && open.get(i.invoiceId) === i.amount.amountMinor
            ? { earlyPayment: { until: i.schedule.earlyPayment.until, discount: i.schedule.earlyPayment.discount } }
            : {}),
        }));
      if (what === 'credit') expect(minor(amount!)).toBe(credit);
      const named = names ? names.split(',').map((n) => ({ invoiceId: n.trim() })) : undefined;
      const result = allocatePayment(eur(minor(amount!)), received!, payable, named);
      if (result._tag === 'Left') throw new Error(result.left.message);
      const { allocations, unapplied: left } = result.right;
      expect(allocations.map((a) => `${a.invoiceId} ${shown(a.amount)}${a.discount ? ` discount ${shown(a.discount)}` : ''}`).join('; ')).toBe(allocated);
      expect(shown(left)).toBe(unapplied);
      for (const a of allocations) open.set(a.invoiceId, open.get(a.invoiceId)! - a.amount.amountMinor - (a.discount?.amountMinor ?? 0));
      credit = (what === 'credit' ? 0 : credit) + left.amountMinor;
      expect(shown(eur(credit))).toBe(creditAfter);
    }
    // What the prose says is left: SI-3 with 188.00 open, everything else settled.
    expect(Object.fromEntries(open)).toEqual({ 'INV-0': 0, 'SI-1': 0, 'SI-2': 0, 'SI-3': 188_00 });
  });

  it('splits the instalments as the table shows, to the cent', () => {
    const rows = table('terms-instalments');
    const [invoicedOn, amount] = rows[0]!;
    const thirds = PaymentTerms.parse({
      netDays: 90,
      instalments: [
        { shareBps: 3_334, offsetDays: 30 },
        { shareBps: 3_333, offsetDays: 60 },
        { shareBps: 3_333, offsetDays: 90 },
      ],
    });
    const schedule = invoiceSchedule(thirds, invoicedOn!, eur(minor(amount!)));
    expect(schedule.instalments.map((i) => [i.dueOn, shown(i.amount)])).toEqual(rows.map((r) => [r[2], r[3]]));
  });

  it.each(table('ageing-instalments'))('ages an invoice of three instalments, each by its own due date, as of %s', (asOf, perInstalment, ...figures) => {
    const terms = PaymentTerms.parse({
      netDays: 90,
      instalments: [
        { shareBps: 5_000, offsetDays: 30 },
        { shareBps: 3_000, offsetDays: 60 },
        { shareBps: 2_000, offsetDays: 90 },
      ],
    });
    const schedule = invoiceSchedule(terms, '2026-01-01', eur(1_000_00));
    const invoice: Receivable = {
      currency: 'EUR',
      invoicedOn: '2026-01-01',
      dueOn: schedule.dueOn,
      invoicedMinor: 1_000_00,
      settlements: [{ on: '2026-03-20', amountMinor: 600_00 }],
      instalments: schedule.instalments.map((i) => ({ dueOn: i.dueOn, amountMinor: i.amount.amountMinor })),
    };
    const owed = new Map(owedByDueDate(invoice, outstandingOn(invoice, asOf!)!).map((p) => [p.dueOn, p.owedMinor]));
    expect(schedule.instalments.map((i) => shown(eur(owed.get(i.dueOn) ?? 0))).join('; ')).toBe(perInstalment);
    const [aged] = ageReceivables([invoice], asOf!);
    expect([...AGEING_BUCKET_NAMES.map((b) => aged!.buckets[b]), aged!.outstanding, aged!.overdue].map(shown)).toEqual(figures);
  });
});
