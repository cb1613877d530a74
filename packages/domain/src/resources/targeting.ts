import type { ResourceTargeting, TargetedDealer } from './commands';

/** True when the targeting names nobody in particular: the resource is for every dealer. */
export const targetsEveryone = (t: ResourceTargeting): boolean => t.tiers.length === 0 && t.regions.length === 0 && t.partnerIds.length === 0;

/**
 * Whether a resource with this targeting is for the dealer: everyone when nothing is named; else the dealer is named in
 * `partnerIds`, or tiers or regions are given and it matches each that is given.
 *
 * @example
 *   isTargeted({ tiers: ['gold'], regions: [], partnerIds: [] }, { partnerId: 'acme', tier: 'gold', region: 'north' }) // true
 */
export const isTargeted = (t: ResourceTargeting, dealer: TargetedDealer): boolean => {
  if (targetsEveryone(t)) return true;
  if (t.partnerIds.includes(dealer.partnerId)) return true;
  if (t.tiers.length === 0 && t.regions.length === 0) return false;
  return (t.tiers.length === 0 || t.tiers.includes(dealer.tier)) && (t.regions.length === 0 || t.regions.includes(dealer.region));
};

/** The same targeting with each list sorted and without repeats, so equal audiences compare equal. */
export const normaliseTargeting = (t: ResourceTargeting): ResourceTargeting => ({
  tiers: [...new Set(t.tiers)].sort(),
  regions: [...new Set(t.regions)].sort(),
  partnerIds: [...new Set(t.partnerIds)].sort(),
});
