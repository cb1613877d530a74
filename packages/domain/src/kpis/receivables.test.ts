import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../shared/calendar';
import { allocate } from '../shared/money';
import { ageingBucketOf, ageReceivables, daysSalesOutstanding, outstandingOn, owedByDueDate, type Receivable } from './receivables';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const invoice = (invoicedOn: string, dueOn: string, invoicedMinor: number, settlements: Receivable['settlements'] = [], currency = 'EUR'): Receivable => ({
  currency,
  invoicedOn,
  dueOn,
  invoicedMinor,
  settlements,
});

describe('aged receivables', () => {
  it('ages each instalment by its own due date, what is paid paying the oldest first', () => {
    // 1,000.00 invoiced on 1 January: 500.00 due at 30 days, 300.00 at 60, 200.00 at 90.
    const r: Receivable = {
      ...invoice('2026-01-01', '2026-04-01', 1_000_00, [{ on: '2026-03-20', amountMinor: 600_00 }]),
      instalments: [
        { dueOn: '2026-01-31', amountMinor: 500_00 },
        { dueOn: '2026-03-02', amountMinor: 300_00 },
        { dueOn: '2026-04-01', amountMinor: 200_00 },
      ],
    };
    // On 12 March: one instalment 40 days past due, one 10 days, one not due: three buckets, one open invoice, overdue.
    expect(ageReceivables([r], '2026-03-12')).toEqual([
      expect.objectContaining({
        openInvoices: 1,
        overdueInvoices: 1,
        outstanding: eur(1_000_00),
        overdue: eur(800_00),
        buckets: { current: eur(200_00), d1_30: eur(300_00), d31_60: eur(500_00), d61_90: eur(0), over90: eur(0) },
      }),
    ]);
    // 600.00 paid on 20 March pays the first instalment and 100.00 of the second.
    expect(owedByDueDate(r, outstandingOn(r, '2026-04-15')!)).toEqual([
      { dueOn: '2026-03-02', owedMinor: 200_00 },
      { dueOn: '2026-04-01', owedMinor: 200_00 },
    ]);
    expect(ageReceivables([r], '2026-04-15')[0]!.buckets).toEqual({ current: eur(0), d1_30: eur(200_00), d31_60: eur(200_00), d61_90: eur(0), over90: eur(0) });
    // Without instalments, an invoice is aged whole by its due date, as before.
    expect(ageReceivables([{ ...r, instalments: undefined }], '2026-03-12')[0]!.buckets.current).toEqual(eur(1_000_00));
  });

  it('spreads what an invoice owes over its instalments, latest first, to the cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (invoicedMinor, weights, share) => {
          const amounts = allocate(eur(invoicedMinor), weights).map((m) => m.amountMinor);
          const instalments = amounts.map((amountMinor, n) => ({ dueOn: addDays('2026-01-01', 30 * (n + 1)), amountMinor }));
          const r = { dueOn: instalments.at(-1)!.dueOn, invoicedMinor, instalments };
          const owed = Math.max(1, Math.round(invoicedMinor * share));
          const parts = owedByDueDate(r, owed);
          expect(parts.reduce((a, p) => a + p.owedMinor, 0)).toBe(owed);
          const byDue = new Map(parts.map((p) => [p.dueOn, p.owedMinor]));
          instalments.forEach((i, n) => {
            const left = byDue.get(i.dueOn) ?? 0;
            expect(left).toBeGreaterThanOrEqual(0);
            expect(left).toBeLessThanOrEqual(i.amountMinor);
            // An instalment is owed only once every later one is owed in full: the oldest are paid first.
            if (left > 0) for (const later of instalments.slice(n + 1)) expect(byDue.get(later.dueOn) ?? 0).toBe(later.amountMinor);
          });
          expect(owedByDueDate(r, 0)).toEqual([]);
          expect(owedByDueDate({ ...r, instalments: undefined }, owed)).toEqual([{ dueOn: r.dueOn, owedMinor: owed }]);
        },
      ),
    );
  });

  it('puts each day past due in its bucket, the due date itself still current', () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(ageingBucketOf)).toEqual([
      'current',
      'current',
      'd1_30',
      'd1_30',
      'd31_60',
      'd31_60',
      'd61_90',
      'd61_90',
      'over90',
      'over90',
    ]);
  });

  it('owes the invoice less what was credited and paid by the day, nothing before the invoice', () => {
    const r = invoice('2026-03-01', '2026-03-31', 10_000, [
      { on: '2026-02-25', amountMinor: 1_000 }, // a credit note before the invoice
      { on: '2026-04-10', amountMinor: 4_000 },
    ]);
    expect(outstandingOn(r, '2026-02-28')).toBeNull();
    expect(outstandingOn(r, '2026-03-01')).toBe(9_000);
    expect(outstandingOn(r, '2026-04-10')).toBe(5_000);
  });

  it('ages open invoices per currency, with credit balances apart', () => {
    const asOf = '2026-06-30';
    const figures = ageReceivables(
      [
        invoice('2026-06-01', '2026-07-01', 1_000), // current
        invoice('2026-05-01', '2026-05-31', 2_000, [{ on: '2026-06-05', amountMinor: 500 }]), // 30 days past due
        invoice('2026-03-01', '2026-03-31', 4_000), // 91 days
        invoice('2026-03-01', '2026-03-31', 4_000, [{ on: '2026-04-01', amountMinor: 4_000 }]), // paid
        invoice('2026-04-01', '2026-04-30', 3_000, [
          { on: '2026-05-01', amountMinor: 3_000 },
          { on: '2026-05-02', amountMinor: 700 },
        ]), // paid, then credited: 700 in the dealer's favour
        invoice('2026-06-15', '2026-07-15', 9_900, [], 'USD'),
        invoice('2026-07-01', '2026-07-31', 5_000), // not yet invoiced on the day
      ],
      asOf,
    );
    expect(figures).toEqual([
      {
        currency: 'EUR',
        openInvoices: 3,
        outstanding: eur(6_500),
        buckets: { current: eur(1_000), d1_30: eur(1_500), d31_60: eur(0), d61_90: eur(0), over90: eur(4_000) },
        overdue: eur(5_500),
        overdueInvoices: 2,
        creditBalance: eur(700),
      },
      expect.objectContaining({ currency: 'USD', openInvoices: 1, outstanding: { amountMinor: 9_900, currency: 'USD' } }),
    ]);
  });

  it('always adds its buckets up to what is outstanding', () => {
    const receivable = fc.record({
      invoicedOn: fc.integer({ min: 0, max: 200 }).map((d) => addDays('2026-01-01', d)),
      terms: fc.integer({ min: 0, max: 90 }),
      invoicedMinor: fc.integer({ min: 1, max: 1_000_000 }),
      settlements: fc.array(fc.record({ day: fc.integer({ min: 0, max: 300 }), amountMinor: fc.integer({ min: 1, max: 500_000 }) }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(receivable, { maxLength: 20 }), fc.integer({ min: 0, max: 365 }), (rs, day) => {
        const asOf = addDays('2026-01-01', day);
        const receivables = rs.map((r) => ({
          currency: 'EUR',
          invoicedOn: r.invoicedOn,
          dueOn: addDays(r.invoicedOn, r.terms),
          invoicedMinor: r.invoicedMinor,
          settlements: r.settlements.map((s) => ({ on: addDays('2026-01-01', s.day), amountMinor: s.amountMinor })),
        }));
        const [eurFigures] = ageReceivables(receivables, asOf);
        const owed = receivables.map((r) => outstandingOn(r, asOf) ?? 0);
        const positive = owed.filter((o) => o > 0).reduce((a, b) => a + b, 0);
        const negative = owed.filter((o) => o < 0).reduce((a, b) => a - b, 0);
        if (!eurFigures) {
          expect(positive + negative).toBe(0);
          return;
        }
        expect(Object.values(eurFigures.buckets).reduce((a, b) => a + b.amountMinor, 0)).toBe(positive);
        expect(eurFigures.outstanding.amountMinor).toBe(positive);
        expect(eurFigures.overdue.amountMinor).toBe(positive - eurFigures.buckets.current.amountMinor);
        expect(eurFigures.creditBalance.amountMinor).toBe(negative);
      }),
    );
  });

  it('measures days sales outstanding to one decimal, and not at all without sales', () => {
    expect(daysSalesOutstanding({ receivables: eur(50_000), netSales: eur(150_000), days: 30 })).toBe(10);
    expect(daysSalesOutstanding({ receivables: eur(10_000), netSales: eur(30_000), days: 31 })).toBe(10.3);
    expect(daysSalesOutstanding({ receivables: eur(10_000), netSales: eur(0), days: 31 })).toBeNull();
    expect(() => daysSalesOutstanding({ receivables: eur(1), netSales: { amountMinor: 1, currency: 'USD' }, days: 1 })).toThrow(/USD/);
  });
});
