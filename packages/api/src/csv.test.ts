import { describe, expect, it } from 'vitest';
import { flatten, toCsv } from './csv';

describe('CSV tables', () => {
  it('flattens nested figures into dotted columns, money into minor units', () => {
    expect(
      flatten({
        currency: 'EUR',
        orders: 2,
        net: { amountMinor: 1050, currency: 'EUR' },
        other: { amountMinor: 7, currency: 'USD' },
        ageing: { d0_7: { orders: 1 } },
        averageAgeDays: null,
      }),
    ).toEqual({
      currency: 'EUR',
      orders: 2,
      'net.amountMinor': 1050,
      'other.amountMinor': 7,
      'other.currency': 'USD',
      'ageing.d0_7.orders': 1,
      averageAgeDays: null,
    });
  });

  it('quotes what needs quoting and defuses what a spreadsheet would run', () => {
    expect(
      toCsv([
        { name: 'Acme, "North"', note: '=HYPERLINK("x")', change: '-5', empty: null },
        { name: 'Bolt', extra: true },
      ]),
    ).toBe('name,note,change,empty,extra\r\n"Acme, ""North""","\'=HYPERLINK(""x"")",-5,,\r\nBolt,,,,true\r\n');
  });
});
