import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../shared/calendar';
import { ageingBucketOf, ageReceivables, daysSalesOutstanding, outstandingOn, type Receivable } from './receivables';

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const invoice = (invoicedOn: string, dueOn: string, invoicedMinor: number, settlements: Receivable['settlements'] = [], currency = 'EUR'): Receivable => ({
  currency,
  invoicedOn,
  dueOn,
  invoicedMinor,
  settlements,
});

describe('aged receivables', () => {
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
