import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/shared/charts/csv';
import { lineNet } from '../src/shared/money';

describe("the cart's estimate", () => {
  it('prices a line as the API does: quantity x unit price less the discount, rounded half up to the minor unit', () => {
    expect(lineNet({ amountMinor: 12_34, currency: 'EUR' }, 3, 1_000)).toEqual({ amountMinor: 33_32, currency: 'EUR' });
    expect(lineNet({ amountMinor: 4900, currency: 'EUR' }, 61, 1500)).toEqual({ amountMinor: 254065, currency: 'EUR' });
  });

  it('never loses or invents more than half a minor unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 10_000 }), (unit, quantity, bps) => {
        const net = lineNet({ amountMinor: unit, currency: 'EUR' }, quantity, bps).amountMinor;
        const exact = BigInt(unit) * BigInt(quantity) * BigInt(10_000 - bps);
        const twice = BigInt(net) * 20_000n - exact * 2n;
        return twice <= 10_000n && twice > -10_000n;
      }),
    );
  });
});

describe('CSV', () => {
  it('quotes what needs quoting, keeps UTF-8 readable by spreadsheets, and defuses formulas', () => {
    expect(
      toCsv(
        ['name', 'net'],
        [
          ['Nordic "Flow", AB', '-12.50'],
          ['=HYPERLINK()', 3],
          ['北方', null],
        ],
      ),
    ).toBe('\uFEFFname,net\r\n"Nordic ""Flow"", AB",-12.50\r\n\'=HYPERLINK(),3\r\n北方,\r\n');
  });
});
