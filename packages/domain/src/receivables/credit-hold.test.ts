import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money } from '../shared/money';
import { creditHoldReason, type OpenInvoice } from './credit-hold';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const invoice = (invoiceId: string, dueOn: string, owedMinor: number): OpenInvoice => ({ invoiceId, orderId: `o-${invoiceId}`, dueOn, owed: eur(owedMinor) });

describe('credit hold', () => {
  it('holds when an open invoice is more days past due than the agreement allows, naming it', () => {
    const reason = creditHoldReason(
      { daysOverdueAbove: 30 },
      [invoice('inv-1', '2026-01-31', 100_00), invoice('inv-2', '2026-03-01', 50_00)],
      '2026-03-10',
      'EUR',
    );
    expect(reason).toMatchObject({
      code: 'CREDIT_HOLD_OVERDUE',
      details: { oldestDaysPastDue: 38, overdueMinor: 150_00, daysOverdueAbove: 30 },
    });
    expect(reason!.message).toBe(
      'Credit hold: invoice inv-1 is 38 days past due (the agreement allows 30). Collect the overdue invoices, or approve the order to override the hold.',
    );
  });

  it('does not hold at exactly the allowed days, nor for invoices not yet due', () => {
    expect(creditHoldReason({ daysOverdueAbove: 30 }, [invoice('inv-1', '2026-02-08', 100_00)], '2026-03-10', 'EUR')).toBeNull();
    expect(creditHoldReason({ daysOverdueAbove: 0 }, [invoice('inv-1', '2026-03-10', 100_00)], '2026-03-10', 'EUR')).toBeNull();
    expect(creditHoldReason({ daysOverdueAbove: 0 }, [invoice('inv-1', '2026-03-09', 100_00)], '2026-03-10', 'EUR')).not.toBeNull();
  });

  it('holds when the overdue amount is above the agreement limit, counting only what is past due', () => {
    const invoices = [invoice('inv-1', '2026-03-01', 600_00), invoice('inv-2', '2026-03-05', 400_01), invoice('inv-3', '2026-04-01', 9_000_00)];
    const reason = creditHoldReason({ overdueAmountAbove: eur(1_000_00) }, invoices, '2026-03-10', 'EUR');
    expect(reason?.message).toBe(
      'Credit hold: 1,000.01 EUR is overdue (the agreement allows 1,000.00 EUR). Collect the overdue invoices, or approve the order to override the hold.',
    );
    expect(creditHoldReason({ overdueAmountAbove: eur(1_000_01) }, invoices, '2026-03-10', 'EUR')).toBeNull();
  });

  it('holds exactly when some limit is passed (property)', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(day, fc.integer({ min: 1, max: 1_000_00 })), { maxLength: 8 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        fc.integer({ min: 0, max: 5_000_00 }),
        (rows, days, amount) => {
          const invoices = rows.map(([due, owed], i) => invoice(`inv-${i}`, due, owed));
          const asOf = '2026-03-05';
          const overdue = invoices.filter((i) => i.dueOn < asOf);
          const oldest = Math.max(0, ...overdue.map((i) => (Date.parse(asOf) - Date.parse(i.dueOn)) / 86_400_000));
          const total = overdue.reduce((a, i) => a + i.owed.amountMinor, 0);
          const expected = (days !== undefined && oldest > days) || total > amount;
          const reason = creditHoldReason(
            { ...(days !== undefined ? { daysOverdueAbove: days } : {}), overdueAmountAbove: eur(amount) },
            invoices,
            asOf,
            'EUR',
          );
          expect(reason !== null).toBe(expected);
          if (reason) expect(reason.details?.overdueMinor).toBe(total);
        },
      ),
    );
  });
});
