import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { money } from '../shared/money';
import { given } from '../testing';
import type { DealerPriceListCommand, PriceListCommand } from './commands';
import { dealerPriceListDecider } from './dealer-price-list';
import type { DealerPriceListEvent, PriceListEvent } from './events';
import { priceListDecider } from './price-list';
import { breakPrice, type PriceBreak, type VersionPrice, versionInForce } from './price-versions';

const tier = 'gold';
const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const pump: VersionPrice = {
  sku: 'pump-a',
  unitPrice: eur(100_00),
  breaks: [
    { minQuantity: 10, unitPrice: eur(95_00) },
    { minQuantity: 50, unitPrice: eur(90_00) },
  ],
};

type Version = { versionId: string; validFrom: string; validTo?: string; prices?: VersionPrice[] };
const content = ({ versionId, validFrom, validTo, prices = [pump] }: Version) => ({
  versionId,
  validFrom,
  ...(validTo ? { validTo } : {}),
  currency: 'EUR',
  prices,
});
const publish = (v: Version, publishedAt = '2025-01-01T00:00:00Z'): PriceListCommand => ({
  type: 'PublishPriceListVersion',
  data: { tier, ...content(v), publishedAt },
});
const published = (v: Version, publishedAt = '2025-01-01T00:00:00Z'): PriceListEvent => ({
  type: 'PriceListVersionPublished',
  data: { tier, ...content(v), publishedAt },
});
const endVersion = (versionId: string, validTo: string, endedAt = '2025-01-01T00:00:00Z'): PriceListCommand => ({
  type: 'EndPriceListVersion',
  data: { tier, versionId, validTo, endedAt },
});
const ended = (versionId: string, validTo: string, endedAt = '2025-01-01T00:00:00Z', supersededBy?: string): PriceListEvent => ({
  type: 'PriceListVersionEnded',
  data: { tier, versionId, validTo, endedAt, ...(supersededBy ? { supersededBy } : {}) },
});

const givenPriceList = given(priceListDecider);
const v2025 = { versionId: 'v2025', validFrom: '2025-01-01T00:00:00Z' };
const spring = { versionId: 'spring', validFrom: '2025-03-01T00:00:00Z', validTo: '2025-06-01T00:00:00Z' };

describe('publishing a price-list version', () => {
  it('publishes a version with its validity and quantity breaks', () => {
    givenPriceList().when(publish(v2025)).then(published(v2025));
  });

  it('supersedes the open-ended version before it: that one ends where the new one starts', () => {
    const v2026 = { versionId: 'v2026', validFrom: '2026-01-01T00:00:00Z' };
    givenPriceList(published(v2025))
      .when(publish(v2026, '2025-11-15T00:00:00Z'))
      .then(ended('v2025', '2026-01-01T00:00:00Z', '2025-11-15T00:00:00Z', 'v2026'), published(v2026, '2025-11-15T00:00:00Z'));
  });

  it('accepts versions that follow each other without a gap or with one', () => {
    givenPriceList(published(spring))
      .when(publish({ versionId: 'summer', validFrom: '2025-06-01T00:00:00Z', validTo: '2025-09-01T00:00:00Z' }))
      .then(published({ versionId: 'summer', validFrom: '2025-06-01T00:00:00Z', validTo: '2025-09-01T00:00:00Z' }));
  });

  it('refuses any other overlap, naming the version overlapped', () => {
    const error = givenPriceList(published(v2025)).when(publish(spring)).thenRefuses('PRICE_VERSION_OVERLAP');
    expect(error.details).toEqual({ versionId: 'spring', overlaps: 'v2025' });
    givenPriceList(published(spring))
      .when(publish({ versionId: 'may', validFrom: '2025-05-01T00:00:00Z' }))
      .thenRefuses('PRICE_VERSION_OVERLAP');
    givenPriceList(published({ versionId: 'later', validFrom: '2025-09-01T00:00:00Z' }))
      .when(publish(v2025))
      .thenRefuses('PRICE_VERSION_OVERLAP');
  });

  it('refuses a version that would start before it is published (placed orders keep their prices)', () => {
    givenPriceList().when(publish(v2025, '2025-02-01T00:00:00Z')).thenRefuses('PRICE_VERSION_BACKDATED');
  });

  it('refuses a version that ends before it starts, or a version id used before', () => {
    givenPriceList()
      .when(publish({ versionId: 'x', validFrom: '2025-03-01T00:00:00Z', validTo: '2025-03-01T00:00:00Z' }))
      .thenRefuses('INVALID_VALIDITY');
    givenPriceList(published(spring))
      .when(publish({ ...spring, validFrom: '2025-07-01T00:00:00Z', validTo: '2025-08-01T00:00:00Z' }))
      .thenRefuses('PRICE_VERSION_EXISTS');
  });

  it('refuses breaks out of order, breaks that raise the unit price, a SKU twice, or another currency', () => {
    const withBreaks = (breaks: PriceBreak[]) => publish({ ...v2025, prices: [{ ...pump, breaks }] });
    givenPriceList()
      .when(
        withBreaks([
          { minQuantity: 50, unitPrice: eur(90_00) },
          { minQuantity: 10, unitPrice: eur(95_00) },
        ]),
      )
      .thenRefuses('PRICE_BREAKS_INVALID');
    givenPriceList()
      .when(withBreaks([{ minQuantity: 10, unitPrice: eur(101_00) }]))
      .thenRefuses('PRICE_BREAKS_INVALID');
    givenPriceList()
      .when(publish({ ...v2025, prices: [pump, pump] }))
      .thenRefuses('DUPLICATE_SKU');
    givenPriceList()
      .when(publish({ ...v2025, prices: [{ sku: 'valve-b', unitPrice: money(4_00, 'USD') }] }))
      .thenRefuses('CURRENCY_MISMATCH');
  });
});

describe('ending a price-list version', () => {
  it('brings its end forward', () => {
    givenPriceList(published(v2025)).when(endVersion('v2025', '2025-04-01T00:00:00Z')).then(ended('v2025', '2025-04-01T00:00:00Z'));
  });

  it('refuses to end it in the past, before it starts, later than it ends, or a version it does not have', () => {
    givenPriceList(published(v2025))
      .when(endVersion('v2025', '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z'))
      .thenRefuses('PRICE_VERSION_BACKDATED');
    givenPriceList(published(spring)).when(endVersion('spring', '2025-02-01T00:00:00Z')).thenRefuses('INVALID_VALIDITY');
    givenPriceList(published(spring)).when(endVersion('spring', '2025-07-01T00:00:00Z')).thenRefuses('PRICE_VERSION_END_NOT_EARLIER');
    givenPriceList().when(endVersion('nope', '2025-07-01T00:00:00Z')).thenRefuses('PRICE_VERSION_NOT_FOUND');
  });
});

describe('a dealer price list', () => {
  const dealerPublish = (v: Version): DealerPriceListCommand => ({
    type: 'PublishDealerPriceListVersion',
    data: { partnerId: 'acme', ...content(v), publishedAt: '2025-01-01T00:00:00Z' },
  });
  const dealerPublished = (v: Version): DealerPriceListEvent => ({
    type: 'DealerPriceListVersionPublished',
    data: { partnerId: 'acme', ...content(v), publishedAt: '2025-01-01T00:00:00Z' },
  });

  it('follows the same rules as a tier price list', () => {
    given(dealerPriceListDecider)().when(dealerPublish(v2025)).then(dealerPublished(v2025));
    given(dealerPriceListDecider)(dealerPublished(v2025)).when(dealerPublish(spring)).thenRefuses('PRICE_VERSION_OVERLAP');
    given(dealerPriceListDecider)(dealerPublished(spring))
      .when({
        type: 'EndDealerPriceListVersion',
        data: { partnerId: 'acme', versionId: 'spring', validTo: '2025-04-01T00:00:00Z', endedAt: '2025-01-01T00:00:00Z' },
      })
      .then({
        type: 'DealerPriceListVersionEnded',
        data: { partnerId: 'acme', versionId: 'spring', validTo: '2025-04-01T00:00:00Z', endedAt: '2025-01-01T00:00:00Z' },
      });
  });
});

describe('the version in force', () => {
  const list = fold(priceListDecider, [published(spring), published({ versionId: 'summer', validFrom: '2025-06-01T00:00:00Z' })]);

  it('starts at validFrom inclusive and ends at validTo exclusive', () => {
    expect(versionInForce(list.versions, '2025-02-28T23:59:59Z')).toBeUndefined();
    expect(versionInForce(list.versions, '2025-03-01T00:00:00Z')?.versionId).toBe('spring');
    expect(versionInForce(list.versions, '2025-05-31T23:59:59.999Z')?.versionId).toBe('spring');
    expect(versionInForce(list.versions, '2025-06-01T00:00:00Z')?.versionId).toBe('summer');
    expect(versionInForce(list.versions, '2031-01-01T00:00:00Z')?.versionId).toBe('summer');
  });

  it('compares instants, not strings: an offset is honoured', () => {
    expect(versionInForce(list.versions, '2025-03-01T00:30:00+01:00')).toBeUndefined();
    expect(versionInForce(list.versions, '2025-03-01T01:30:00+01:00')?.versionId).toBe('spring');
  });
});

describe('quantity breaks', () => {
  it('price each unit at the highest break reached', () => {
    expect([1, 9, 10, 49, 50, 500].map((q) => breakPrice(pump, q))).toEqual([
      { unitPrice: eur(100_00), minQuantity: 1 },
      { unitPrice: eur(100_00), minQuantity: 1 },
      { unitPrice: eur(95_00), minQuantity: 10 },
      { unitPrice: eur(95_00), minQuantity: 10 },
      { unitPrice: eur(90_00), minQuantity: 50 },
      { unitPrice: eur(90_00), minQuantity: 50 },
    ]);
  });
});

// Properties.

const DAY = 86_400_000;
const BASE = Date.parse('2025-01-01T00:00:00Z');
const instant = (day: number) => new Date(BASE + day * DAY).toISOString();

/**
 * Commands over a 60-day window with versions from a small id pool, in any order: overlaps, supersessions and ends happen often,
 * and a third of them are back-dated (decided after the moment they name).
 */
const command: fc.Arbitrary<PriceListCommand> = fc.oneof(
  fc
    .record({
      id: fc.integer({ min: 1, max: 3 }),
      from: fc.integer({ min: 0, max: 60 }),
      length: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      publishedDay: fc.integer({ min: 0, max: 60 }),
    })
    .map(({ id, from, length, publishedDay }) =>
      publish(
        { versionId: `v${id}`, validFrom: instant(from), ...(length ? { validTo: instant(from + length) } : {}) },
        instant(publishedDay % 3 === 0 ? publishedDay : Math.min(publishedDay, from)),
      ),
    ),
  fc
    .record({ id: fc.integer({ min: 1, max: 3 }), to: fc.integer({ min: 1, max: 90 }), endedDay: fc.integer({ min: 0, max: 90 }) })
    .map(({ id, to, endedDay }) => endVersion(`v${id}`, instant(to), instant(endedDay % 3 === 0 ? endedDay : Math.min(endedDay, to)))),
);

const run = (commands: readonly PriceListCommand[]) =>
  commands.reduce((state, c) => {
    const result = priceListDecider.decide(c, state);
    return result._tag === 'Right' ? result.right.reduce(priceListDecider.evolve, state) : state;
  }, priceListDecider.initialState);

const timeOf = (c: PriceListCommand): string =>
  c.type === 'PublishPriceListVersion' ? c.data.publishedAt : c.type === 'EndPriceListVersion' ? c.data.endedAt : '';

describe('price-list version properties', () => {
  it('at any instant, at most one version is in force', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), fc.integer({ min: -5, max: 100 }), (commands, day) => {
        const state = run(commands);
        const at = instant(day);
        const inForce = state.versions.filter(
          (v) => Date.parse(v.validFrom) <= Date.parse(at) && (v.validTo === undefined || Date.parse(at) < Date.parse(v.validTo)),
        );
        expect(inForce.length).toBeLessThanOrEqual(1);
        expect(versionInForce(state.versions, at)).toBe(inForce[0]);
      }),
    );
  });

  it('what was in force before a command was decided stays in force: no accepted command reprices the past', () => {
    const end = fc.record({ pick: fc.nat(), to: fc.integer({ min: 1, max: 90 }), endedDay: fc.integer({ min: 0, max: 90 }) });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 20 }), fc.oneof(command, end), fc.integer({ min: -5, max: 90 }), (history, choice, day) => {
        const before = run(history);
        // Half the time, the next command ends a version the list has (at any moment, often one already past).
        const target = 'pick' in choice ? before.versions[choice.pick % Math.max(1, before.versions.length)] : undefined;
        if ('pick' in choice && !target) return;
        const next = 'pick' in choice ? endVersion(target!.versionId, instant(choice.to), instant(choice.endedDay)) : choice;
        const after = run([...history, next]);
        const at = instant(day);
        if (Date.parse(at) >= Date.parse(timeOf(next))) return;
        expect(versionInForce(after.versions, at)?.versionId).toBe(versionInForce(before.versions, at)?.versionId);
      }),
      { numRuns: 300 },
    );
  });

  it('an accepted version never charges more per unit for a larger quantity', () => {
    const breaks = fc.array(fc.record({ minQuantity: fc.integer({ min: 2, max: 1_000 }), unitPriceMinor: fc.integer({ min: 0, max: 100_000 }) }), {
      maxLength: 6,
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), breaks, fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 2_000 }), (base, raw, q1, q2) => {
        const price: VersionPrice = {
          sku: 'pump-a',
          unitPrice: eur(base),
          breaks: raw.map((b) => ({ minQuantity: b.minQuantity, unitPrice: eur(b.unitPriceMinor) })),
        };
        const result = priceListDecider.decide(publish({ ...v2025, prices: [price] }), priceListDecider.initialState);
        if (result._tag === 'Left') {
          expect(result.left.code).toBe('PRICE_BREAKS_INVALID');
          return;
        }
        const [small, large] = q1 <= q2 ? [q1, q2] : [q2, q1];
        expect(breakPrice(price, large).unitPrice.amountMinor).toBeLessThanOrEqual(breakPrice(price, small).unitPrice.amountMinor);
        expect(breakPrice(price, small).minQuantity).toBeLessThanOrEqual(small);
      }),
    );
  });
});
