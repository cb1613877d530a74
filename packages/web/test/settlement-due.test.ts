import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueOf } from '../src/shared/settlements/due';

describe('what settles a statement (the console pays or records the dealer’s payment)', () => {
  it('is the total paid by the manufacturer, or its opposite paid by the dealer when negative', () => {
    expect(dueOf({ amountMinor: 12_345, currency: 'EUR' })).toEqual({ amount: { amountMinor: 12_345, currency: 'EUR' }, dealerPays: false });
    expect(dueOf({ amountMinor: -237, currency: 'EUR' })).toEqual({ amount: { amountMinor: 237, currency: 'EUR' }, dealerPays: true });
    expect(dueOf({ amountMinor: 0, currency: 'CNY' })).toEqual({ amount: { amountMinor: 0, currency: 'CNY' }, dealerPays: false });
  });

  it('never asks for a negative amount, and keeps the currency and the size of the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('EUR', 'CNY', 'JPY'), (amountMinor, currency) => {
        const due = dueOf({ amountMinor, currency });
        expect(due.amount.amountMinor).toBeGreaterThanOrEqual(0);
        expect(due.amount.amountMinor).toBe(Math.abs(amountMinor));
        expect(due.amount.currency).toBe(currency);
        expect(due.dealerPays).toBe(amountMinor < 0);
      }),
    );
  });
});
