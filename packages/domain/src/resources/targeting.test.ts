import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResourceTargeting, TargetedDealer } from './commands';
import { isTargeted, normaliseTargeting, targetsEveryone } from './targeting';

const tiers = ['gold', 'silver', 'bronze'];
const regions = ['north', 'south', 'east'];
const partners = ['acme', 'bolt', 'cora', 'dune'];
const targeting: fc.Arbitrary<ResourceTargeting> = fc.record({
  tiers: fc.subarray(tiers),
  regions: fc.subarray(regions),
  partnerIds: fc.subarray(partners),
});
const dealer: fc.Arbitrary<TargetedDealer> = fc.record({
  partnerId: fc.constantFrom(...partners),
  tier: fc.constantFrom(...tiers),
  region: fc.constantFrom(...regions),
});

describe('who a resource targets', () => {
  it('is every dealer when nothing is named', () => {
    fc.assert(fc.property(dealer, (d) => isTargeted({ tiers: [], regions: [], partnerIds: [] }, d)));
  });
  it('always includes a dealer named by id, and never one of a tier or region not listed unless named', () => {
    fc.assert(
      fc.property(targeting, dealer, (t, d) => {
        if (t.partnerIds.includes(d.partnerId)) expect(isTargeted(t, d)).toBe(true);
        else if (!targetsEveryone(t) && t.tiers.length > 0 && !t.tiers.includes(d.tier)) expect(isTargeted(t, d)).toBe(false);
        else if (!targetsEveryone(t) && t.regions.length > 0 && !t.regions.includes(d.region)) expect(isTargeted(t, d)).toBe(false);
      }),
    );
  });
  it('names only the listed dealers when only dealers are given', () => {
    fc.assert(
      fc.property(fc.subarray(partners, { minLength: 1 }), dealer, (ids, d) => {
        expect(isTargeted({ tiers: [], regions: [], partnerIds: ids }, d)).toBe(ids.includes(d.partnerId));
      }),
    );
  });
  it('does not change with order or repeats in the lists', () => {
    fc.assert(
      fc.property(targeting, dealer, (t, d) => {
        const shuffled = { tiers: [...t.tiers, ...t.tiers].reverse(), regions: [...t.regions].reverse(), partnerIds: [...t.partnerIds, ...t.partnerIds] };
        expect(isTargeted(shuffled, d)).toBe(isTargeted(t, d));
        expect(normaliseTargeting(shuffled)).toEqual(normaliseTargeting(t));
      }),
    );
  });
  it('matches a gold dealer in the north for gold in the north, not a silver one', () => {
    const t = { tiers: ['gold'], regions: ['north'], partnerIds: [] };
    expect(isTargeted(t, { partnerId: 'acme', tier: 'gold', region: 'north' })).toBe(true);
    expect(isTargeted(t, { partnerId: 'bolt', tier: 'silver', region: 'north' })).toBe(false);
    expect(isTargeted(t, { partnerId: 'cora', tier: 'gold', region: 'south' })).toBe(false);
  });
});
