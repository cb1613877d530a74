import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideOrder } from '../orders/decide';
import { initialOrderState } from '../orders/state';
import { money } from '../shared/money';
import { discountTaxShares, discountTreatmentAt, lineTaxRate, rateInForce, type TaxRateCommand, type TaxRateTableState, taxLine, taxRateDecider } from './tax';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const jan = '2026-01-01T00:00:00Z';

const run = (commands: readonly TaxRateCommand[], state: TaxRateTableState = taxRateDecider.initialState) => {
  const results = [];
  for (const command of commands) {
    const decided = taxRateDecider.decide(command, state);
    if (decided._tag === 'Right') state = decided.right.reduce(taxRateDecider.evolve, state);
    results.push(decided);
  }
  return { state, results };
};
const publish = (rateId: string, validFrom: string, rest: Partial<Extract<TaxRateCommand, { type: 'PublishTaxRate' }>['data']> = {}): TaxRateCommand => ({
  type: 'PublishTaxRate',
  data: { region: 'de', rateId, category: 'standard', rateBps: 1_900, validFrom, publishedAt: '2025-12-01T00:00:00Z', ...rest },
});

describe('taxLine, the rounding rule', () => {
  it('rounds the tax of each line half up to the minor unit', () => {
    expect(taxLine(eur(157_50), 700, 'net')).toEqual({ net: eur(157_50), tax: eur(11_03), gross: eur(168_53) }); // 11.025
    expect(taxLine(eur(157_49), 700, 'net').tax).toEqual(eur(11_02)); // 11.0243
    expect(taxLine(eur(2_697_00), 1_300, 'gross')).toEqual({ net: eur(2_386_73), tax: eur(310_27), gross: eur(2_697_00) });
    expect(taxLine(eur(10_00), 0, 'gross')).toEqual({ net: eur(10_00), tax: eur(0), gross: eur(10_00) });
  });

  it('net + tax = gross for any amount, rate and entry, and the tax is the rate of the net within half a minor unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_00 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('net', 'gross'),
        (amount, rateBps, entry) => {
          const { net, tax, gross } = taxLine(eur(amount), rateBps, entry as 'net' | 'gross');
          expect(net.amountMinor + tax.amountMinor).toBe(gross.amountMinor);
          expect(entry === 'net' ? net.amountMinor : gross.amountMinor).toBe(amount);
          expect(tax.amountMinor).toBeGreaterThanOrEqual(0);
          // |tax - net x rate| <= half a minor unit of the exact tax, scaled: for gross entry the error in net is at most 1/2 too.
          const exact = (net.amountMinor * rateBps) / 10_000;
          expect(Math.abs(tax.amountMinor - exact)).toBeLessThanOrEqual(entry === 'net' ? 0.5 : 0.5 + rateBps / 10_000);
        },
      ),
    );
  });

  it('an order total is the sum of its lines: net, tax and gross, and net + tax = gross on every line', () => {
    const line = fc.record({
      unit: fc.integer({ min: 0, max: 100_000_00 }),
      quantity: fc.integer({ min: 1, max: 1_000 }),
      discountBps: fc.integer({ min: 0, max: 10_000 }),
      rateBps: fc.constantFrom(0, 500, 700, 900, 1_300, 1_600, 1_900, 2_500),
      pricesInclude: fc.constantFrom('net' as const, 'gross' as const),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        const decided = decideOrder(
          {
            type: 'PlaceOrder',
            data: {
              orderId: 'o-1',
              partnerId: 'acme',
              region: 'de',
              tier: 'gold',
              currency: 'EUR',
              placedAt: jan,
              lines: lines.map((l, i) => ({
                lineNo: i + 1,
                sku: `SKU-${i}`,
                quantity: l.quantity,
                unitPrice: eur(l.unit),
                discountBps: l.discountBps,
                tax: { category: 'standard', rateBps: l.rateBps, rateId: 'r', pricesInclude: l.pricesInclude },
              })),
            },
          },
          initialOrderState,
        );
        if (decided._tag === 'Left') throw new Error(decided.left.message);
        const placed = decided.right[0]!;
        if (placed.type !== 'OrderPlaced') throw new Error('expected OrderPlaced');
        const d = placed.data;
        for (const l of d.lines) expect(l.netAmount.amountMinor + l.tax!.amount.amountMinor).toBe(l.tax!.gross.amountMinor);
        expect(d.total.amountMinor).toBe(d.lines.reduce((a, l) => a + l.netAmount.amountMinor, 0));
        expect(d.tax!.amountMinor).toBe(d.lines.reduce((a, l) => a + l.tax!.amount.amountMinor, 0));
        expect(d.gross!.amountMinor).toBe(d.lines.reduce((a, l) => a + l.tax!.gross.amountMinor, 0));
        expect(d.total.amountMinor + d.tax!.amountMinor).toBe(d.gross!.amountMinor);
      }),
    );
  });
});

describe('tax rates of a region', () => {
  it('refuses an overlap, a back-dated rate, a rate for zero or exempt, and a duplicate id', () => {
    const { results } = run([
      publish('std-19', jan, { validTo: '2026-07-01T00:00:00Z' }),
      publish('std-16', '2026-06-01T00:00:00Z'),
      publish('std-15', '2025-11-01T00:00:00Z'),
      publish('zero-0', jan, { category: 'zero', rateBps: 0 }),
      publish('std-19', '2027-01-01T00:00:00Z'),
      publish('red-7', jan, { category: 'reduced', rateBps: 700 }),
    ]);
    expect(results.map((r) => (r._tag === 'Left' ? r.left.code : 'ok'))).toEqual([
      'ok',
      'TAX_RATE_OVERLAP',
      'TAX_RATE_BACKDATED',
      'TAX_CATEGORY_NOT_RATED',
      'TAX_RATE_EXISTS',
      'ok',
    ]);
  });

  it('a new open-ended rate supersedes the open-ended one before it', () => {
    const { state, results } = run([
      publish('std-19', jan),
      publish('std-16', '2026-07-01T00:00:00Z', { rateBps: 1_600, publishedAt: '2026-06-01T00:00:00Z' }),
    ]);
    expect(results[1]).toMatchObject({ right: [{ type: 'TaxRateEnded', data: { rateId: 'std-19', supersededBy: 'std-16' } }, { type: 'TaxRatePublished' }] });
    expect(rateInForce(state, 'standard', '2026-06-30T23:59:59Z')?.rateId).toBe('std-19');
    expect(rateInForce(state, 'standard', '2026-07-01T00:00:00Z')?.rateId).toBe('std-16');
  });

  it('taxes nothing in an untaxed region or before its first rate, 0 for zero and exempt, and refuses a rated category without a rate', () => {
    const { state } = run([publish('std-19', jan)]);
    expect(lineTaxRate({ rates: [] }, 'north', 'standard', jan)).toEqual({ _tag: 'Right', right: undefined });
    expect(lineTaxRate(state, 'de', 'exempt', jan)).toEqual({ _tag: 'Right', right: { category: 'exempt', rateBps: 0 } });
    expect(lineTaxRate(state, 'de', 'standard', jan)).toEqual({ _tag: 'Right', right: { category: 'standard', rateBps: 1_900, rateId: 'std-19' } });
    expect(lineTaxRate(state, 'de', 'reduced', jan)).toMatchObject({ _tag: 'Left', left: { code: 'TAX_RATE_NOT_FOUND' } });
    // Before its first rate takes effect the region is untaxed: a rate published for next month refuses nothing today.
    expect(lineTaxRate(state, 'de', 'standard', '2025-12-31T23:59:59Z')).toEqual({ _tag: 'Right', right: undefined });
  });

  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().replace('.000Z', 'Z');
  const command = fc.oneof(
    fc.record({
      kind: fc.constant('publish' as const),
      id: fc.integer({ min: 0, max: 5 }),
      from: fc.integer({ min: 0, max: 60 }),
      length: fc.option(fc.integer({ min: 1, max: 40 })),
      at: fc.integer({ min: 0, max: 60 }),
      category: fc.constantFrom('standard' as const, 'reduced' as const),
    }),
    fc.record({
      kind: fc.constant('end' as const),
      id: fc.integer({ min: 0, max: 5 }),
      to: fc.integer({ min: 0, max: 80 }),
      at: fc.integer({ min: 0, max: 60 }),
    }),
  );
  type Spec = typeof command extends fc.Arbitrary<infer T> ? T : never;
  const toCommand = (x: Spec): TaxRateCommand =>
    x.kind === 'publish'
      ? publish(`r-${x.id}`, day(x.from), { category: x.category, publishedAt: day(x.at), ...(x.length ? { validTo: day(x.from + x.length) } : {}) })
      : { type: 'EndTaxRate', data: { region: 'de', rateId: `r-${x.id}`, validTo: day(x.to), endedAt: day(x.at) } };

  it('never has two rates of one category in force at once, and never changes the rate in force before the decision', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), (commands) => {
        let state = taxRateDecider.initialState;
        for (const c of commands.map(toCommand)) {
          const decided = taxRateDecider.decide(c, state);
          if (decided._tag === 'Left') continue;
          const next = decided.right.reduce(taxRateDecider.evolve, state);
          const decidedAt = c.type === 'PublishTaxRate' ? c.data.publishedAt : c.type === 'EndTaxRate' ? c.data.endedAt : c.data.setAt;
          for (let n = 0; n <= 120; n += 1) {
            for (const category of ['standard', 'reduced'] as const) {
              const inForce = next.rates.filter((r) => r.category === category && r.validFrom <= day(n) && (r.validTo === undefined || day(n) < r.validTo));
              expect(inForce.length).toBeLessThanOrEqual(1);
              if (day(n) < decidedAt) expect(rateInForce(next, category, day(n))?.rateId).toBe(rateInForce(state, category, day(n))?.rateId);
            }
          }
          state = next;
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('discountTaxShares: the tax an early-payment discount gives back', () => {
  const line = fc
    .record({ net: fc.integer({ min: 0, max: 100_000_000 }), rateBps: fc.constantFrom(0, 500, 700, 900, 1_300, 1_600, 1_900, 2_500) })
    .map(({ net, rateBps }) => taxLine(eur(net), rateBps, 'net'));
  const invoice = fc.array(line, { minLength: 1, maxLength: 12 }).map((ls) => ls.map((l, i) => ({ lineNo: i + 1, net: l.net, tax: l.tax })));

  it('splits the discount into net and tax that add up to it exactly, each line at its own rate to within a minor unit', () => {
    fc.assert(
      fc.property(invoice, fc.integer({ min: 0, max: 2_000 }), (lines, discountBps) => {
        const gross = lines.reduce((a, l) => a + l.net.amountMinor + l.tax.amountMinor, 0);
        const discount = eur(Math.floor((gross * discountBps) / 10_000));
        const shares = discountTaxShares(discount, lines);
        expect(shares.reduce((a, s) => a + s.net.amountMinor + s.tax.amountMinor, 0)).toBe(gross === 0 ? 0 : discount.amountMinor);
        for (const s of shares) {
          const l = lines.find((x) => x.lineNo === s.lineNo)!;
          const lineGross = l.net.amountMinor + l.tax.amountMinor;
          const share = s.net.amountMinor + s.tax.amountMinor;
          // Never more than the line's own gross, and its tax is the line's tax ratio of the share, rounded.
          expect(share).toBeLessThanOrEqual(lineGross);
          expect(Math.abs(s.tax.amountMinor * lineGross - share * l.tax.amountMinor)).toBeLessThanOrEqual(lineGross / 2);
          expect(s.tax.amountMinor).toBeGreaterThanOrEqual(0);
          expect(s.net.amountMinor).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives no share to a line of zero gross, and none at all when nothing is discounted', () => {
    const lines = [
      { lineNo: 1, net: eur(100_00), tax: eur(19_00) },
      { lineNo: 2, net: eur(0), tax: eur(0) },
    ];
    expect(discountTaxShares(eur(2_38), lines)).toEqual([{ lineNo: 1, net: eur(2_00), tax: eur(38) }]);
    expect(discountTaxShares(eur(0), lines)).toEqual([]);
  });
});

describe('the treatment of early-payment discounts per region', () => {
  const set = (treatment: 'financeCost' | 'reducesTaxableAmount', validFrom: string, setAt = '2025-12-01T00:00:00Z'): TaxRateCommand => ({
    type: 'SetEarlyPaymentDiscountTreatment',
    data: { region: 'de', treatment, validFrom, setAt },
  });
  const codes = (commands: TaxRateCommand[]) => run(commands).results.map((r) => (r._tag === 'Left' ? r.left.code : 'ok'));

  it('is a finance cost until set, then as set from its start; a later change starts later', () => {
    const { state } = run([set('reducesTaxableAmount', jan), set('financeCost', '2026-07-01T00:00:00Z')]);
    expect(discountTreatmentAt(taxRateDecider.initialState, jan)).toBe('financeCost');
    expect(discountTreatmentAt(state, '2025-12-31T23:59:59Z')).toBe('financeCost');
    expect(discountTreatmentAt(state, jan)).toBe('reducesTaxableAmount');
    expect(discountTreatmentAt(state, '2026-06-30T23:59:59Z')).toBe('reducesTaxableAmount');
    expect(discountTreatmentAt(state, '2026-07-01T00:00:00Z')).toBe('financeCost');
  });

  it('refuses a start before it is set, before the latest start, and a treatment already in force', () => {
    expect(codes([set('reducesTaxableAmount', '2025-11-30T00:00:00Z')])).toEqual(['TAX_TREATMENT_BACKDATED']);
    expect(codes([set('financeCost', jan)])).toEqual(['TAX_TREATMENT_UNCHANGED']);
    expect(codes([set('reducesTaxableAmount', '2026-07-01T00:00:00Z'), set('financeCost', jan)])).toEqual(['ok', 'TAX_TREATMENT_OUT_OF_ORDER']);
    expect(codes([set('reducesTaxableAmount', jan), set('reducesTaxableAmount', '2026-07-01T00:00:00Z')])).toEqual(['ok', 'TAX_TREATMENT_UNCHANGED']);
    // The same start again replaces it.
    const { state, results } = run([set('reducesTaxableAmount', '2026-07-01T00:00:00Z'), set('financeCost', '2026-07-01T00:00:00Z')]);
    expect(results.every((r) => r._tag === 'Right')).toBe(true);
    expect(state.discountTreatments).toEqual([{ treatment: 'financeCost', validFrom: '2026-07-01T00:00:00Z' }]);
  });
});
