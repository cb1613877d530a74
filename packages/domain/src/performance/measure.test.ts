import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodEnd } from '../settlements/periods';
import { formatDate } from '../shared/calendar';
import type { PerformanceFact } from './facts';
import { effectivePeriod, measurePeriod } from './measure';

const month = (m: number) => `2026-${String(m).padStart(2, '0')}`;
const salesOf = (facts: readonly PerformanceFact[], period: string, cutoff: bigint, partnerId = 'acme') =>
  measurePeriod({ partnerId, period, cutoff, currency: 'EUR', facts }).find((m) => m.kpi === 'sales_value')!.value!;

/** Invoices and credit notes of acme dated through 2026, recorded at distinct positions, and months closed in order. */
const world = fc
  .record({
    facts: fc.array(
      fc.record({
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        credit: fc.boolean(),
        amount: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      { maxLength: 40 },
    ),
    closedMonths: fc.integer({ min: 1, max: 12 }),
    seed: fc.integer(),
  })
  .map(({ facts, closedMonths, seed }) => {
    // Positions: facts and closes interleaved in a seeded order, closes in month order.
    const slots = facts.length + closedMonths;
    const order = [...Array(slots).keys()].sort((a, b) => ((a * 7919 + seed) % 104_729) - ((b * 7919 + seed) % 104_729));
    const closePositions = order.slice(0, closedMonths).sort((a, b) => a - b);
    const factPositions = order.slice(closedMonths);
    const closes = new Map(closePositions.map((p, i) => [month(i + 1), BigInt(p + 1)]));
    const list: PerformanceFact[] = facts.map((f, i) => ({
      partnerId: 'acme',
      position: BigInt(factPositions[i]! + 1),
      seq: 0,
      kind: f.credit ? 'credited' : 'invoiced',
      date: formatDate(2026, f.month, f.day),
      orderId: `SO-${i}`,
      amountMinor: f.amount,
      currency: 'EUR',
      dueOn: formatDate(2026, f.month, f.day),
    }));
    for (const [period, position] of closes) list.push({ partnerId: 'acme', position, seq: 0, kind: 'closed', date: periodEnd(period), ref: period });
    return { facts: list, closes, closedMonths };
  });

describe('late facts move to the next open period', () => {
  it('a fact counts in its own period unless that was closed before it was recorded; then in the next one still open', () => {
    const closes = new Map([
      ['2026-03', 10n],
      ['2026-04', 20n],
    ]);
    expect(effectivePeriod({ date: '2026-03-31', position: 9n }, 'month', closes)).toBe('2026-03');
    expect(effectivePeriod({ date: '2026-03-31', position: 11n }, 'month', closes)).toBe('2026-04');
    expect(effectivePeriod({ date: '2026-03-31', position: 21n }, 'month', closes)).toBe('2026-05');
    expect(effectivePeriod({ date: '2026-03-31', position: 11n }, 'quarter', new Map([['2026-Q1', 10n]]))).toBe('2026-Q2');
  });

  it('counts every fact recorded before the last close, and dated up to its period, in exactly one closed period', () => {
    fc.assert(
      fc.property(world, ({ facts, closes, closedMonths }) => {
        const last = month(closedMonths);
        const lastClose = closes.get(last)!;
        const perPeriod = [...closes].reduce((a, [period, cutoff]) => a + salesOf(facts, period, cutoff), 0);
        const expected = facts
          .filter((f) => f.kind !== 'closed' && f.position < lastClose && f.date <= periodEnd(last))
          .reduce((a, f) => a + (f.kind === 'credited' ? -1 : 1) * f.amountMinor!, 0);
        expect(perPeriod).toBe(expected);
      }),
    );
  });

  it('measures the same whatever the order of the facts, and ignores other dealers and facts recorded from the cutoff on', () => {
    fc.assert(
      fc.property(world, fc.integer(), ({ facts, closes }, seed) => {
        const [period, cutoff] = [...closes].at(-1)!;
        const baseline = measurePeriod({ partnerId: 'acme', period, cutoff, currency: 'EUR', facts });
        const shuffled = [...facts].sort((a, b) => ((Number(a.position) * 31 + seed) % 97) - ((Number(b.position) * 31 + seed) % 97));
        const noise: PerformanceFact[] = [
          ...facts.map((f) => ({ ...f, partnerId: 'other' })),
          { partnerId: 'acme', position: cutoff, seq: 1, kind: 'invoiced', date: periodEnd(period), orderId: 'late', amountMinor: 99, currency: 'EUR' },
          { partnerId: 'acme', position: cutoff + 5n, seq: 0, kind: 'credited', date: periodEnd(period), orderId: 'SO-0', amountMinor: 7, currency: 'EUR' },
          { partnerId: 'acme', position: 0n, seq: 0, kind: 'invoiced', date: periodEnd(period), orderId: 'usd', amountMinor: 5, currency: 'USD' },
        ];
        expect(measurePeriod({ partnerId: 'acme', period, cutoff, currency: 'EUR', facts: [...noise, ...shuffled] })).toEqual(baseline);
      }),
    );
  });
});

describe('measurements', () => {
  it('reports nothing to measure as null, and a period without receivables as 0 % overdue', () => {
    const values = Object.fromEntries(
      measurePeriod({ partnerId: 'acme', period: '2026-05', cutoff: 1n, currency: 'EUR', facts: [] }).map((m) => [m.kpi, m.value]),
    );
    expect(values).toEqual({
      sales_value: 0,
      sales_volume: 0,
      assortment: 0,
      growth_previous: null,
      growth_last_year: null,
      on_time_payment: null,
      dso: null,
      overdue_share: 0,
      return_rate: null,
      review_pass_rate: null,
      breaches: 0,
      response_time: null,
      forecast_accuracy: null,
    });
  });

  it('takes an odd number of replies at the middle one, and never lets forecast accuracy fall below zero', () => {
    const reply = (minutes: number, position: bigint): PerformanceFact => ({ partnerId: 'acme', position, seq: 0, kind: 'reply', date: '2026-05-02', minutes });
    const ordered: PerformanceFact = { partnerId: 'acme', position: 9n, seq: 0, kind: 'ordered', date: '2026-05-03', amountMinor: 50_000, currency: 'EUR' };
    const m = measurePeriod({
      partnerId: 'acme',
      period: '2026-05',
      cutoff: 10n,
      currency: 'EUR',
      facts: [reply(30, 1n), reply(600, 2n), reply(45, 3n), ordered],
      planned: 10_000,
    });
    expect(m.find((x) => x.kpi === 'response_time')!.value).toBe(45);
    expect(m.find((x) => x.kpi === 'forecast_accuracy')!.value).toBe(0);
  });
});
