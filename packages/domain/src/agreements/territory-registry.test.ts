import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangesOverlap } from '../shared/calendar';
import { fold } from '../shared/decider';
import { given } from '../testing';
import { activeAgreement, amended, during, terms } from './fixtures';
import { agreementDecider } from './index';
import type { ExistingAgreement } from './state';
import {
  type TerritoryClaim,
  type TerritoryRegistryCommand,
  type TerritoryRegistryEvent,
  type TerritoryRegistryState,
  territoryClaims,
  territoryRegistryDecider,
} from './territory-registry';

const givenTerritory = given(territoryRegistryDecider);
const claim = (partnerId: string, agreementId: string, claims: TerritoryClaim[]) => ({
  type: 'ClaimTerritory' as const,
  data: { partnerId, agreementId, claims, claimedAt: during('2025-01-01') },
});
const claimed = (partnerId: string, agreementId: string, claims: TerritoryClaim[]): TerritoryRegistryEvent => ({
  type: 'TerritoryClaimed',
  data: claim(partnerId, agreementId, claims).data,
});
const release = (partnerId: string, agreementId: string, from: string) => ({
  type: 'ReleaseTerritory' as const,
  data: { partnerId, agreementId, from, reason: 'terminated: restructuring', releasedAt: during('2025-08-15') },
});

/** acme's exclusive pumps and valves in the north for 2025. */
const exclusiveNorth: TerritoryClaim = {
  version: 1,
  productCategories: ['pumps', 'valves'],
  regions: ['north'],
  exclusive: true,
  from: '2025-01-01',
  until: '2025-12-31',
};
const openNorth: TerritoryClaim = { ...exclusiveNorth, exclusive: false };

describe("the channel's territory registry", () => {
  it('lets an agreement claim its territory', () => {
    givenTerritory()
      .when(claim('acme', 'a1', [exclusiveNorth]))
      .then(claimed('acme', 'a1', [exclusiveNorth]));
  });

  it("refuses another dealer's agreement where an exclusive one is in force, naming the dealer, agreement, categories, region and days", () => {
    const error = givenTerritory(claimed('acme', 'a1', [exclusiveNorth]))
      .when(
        claim('bolt', 'b1', [
          { version: 1, productCategories: ['valves', 'pipes'], regions: ['north', 'south'], exclusive: false, from: '2025-12-01', until: '2026-11-30' },
        ]),
      )
      .thenRefuses('EXCLUSIVE_TERRITORY_TAKEN');
    expect(error.details).toEqual({
      conflictingPartnerId: 'acme',
      conflictingAgreementId: 'a1',
      conflictingExclusive: true,
      requestedExclusive: false,
      categories: ['valves'],
      regions: ['north'],
      from: '2025-12-01',
      until: '2025-12-31',
    });
    expect(error.message).toBe(
      'Dealer acme holds valves in north from 2025-12-01 to 2025-12-31 exclusively under agreement a1; agreement b1 of dealer bolt cannot be in force there on those days. Narrow its categories, regions or dates, or amend or end a1 first.',
    );
  });

  it('refuses an exclusive agreement where another dealer already holds the territory, even non-exclusively', () => {
    const error = givenTerritory(claimed('acme', 'a1', [openNorth]))
      .when(claim('bolt', 'b1', [{ ...exclusiveNorth, productCategories: ['pumps'], from: '2025-06-01' }]))
      .thenRefuses('EXCLUSIVE_TERRITORY_TAKEN');
    expect(error.details).toMatchObject({ conflictingPartnerId: 'acme', conflictingExclusive: false, requestedExclusive: true, from: '2025-06-01' });
    expect(error.message).toMatch(
      /^Agreement b1 would give dealer bolt pumps in north from 2025-06-01 to 2025-12-31 exclusively, but dealer acme already holds it/,
    );
  });

  it('lets dealers share a territory when neither is exclusive, and keeps exclusivity to its categories, regions and days', () => {
    givenTerritory(claimed('acme', 'a1', [openNorth]))
      .when(claim('bolt', 'b1', [openNorth]))
      .then(claimed('bolt', 'b1', [openNorth]));
    const beside: TerritoryClaim[] = [
      { ...openNorth, regions: ['south'] },
      { ...openNorth, productCategories: ['pipes'] },
      { ...openNorth, from: '2026-01-01', until: '2026-12-31' },
    ];
    for (const c of beside) {
      givenTerritory(claimed('acme', 'a1', [exclusiveNorth]))
        .when(claim('bolt', 'b1', [c]))
        .then(claimed('bolt', 'b1', [c]));
      givenTerritory(claimed('acme', 'a1', [openNorth]))
        .when(claim('bolt', 'b1', [{ ...c, exclusive: true }]))
        .then(claimed('bolt', 'b1', [{ ...c, exclusive: true }]));
    }
  });

  it("refuses a dealer's second agreement for the same scope and day, as the dealer's own registry does", () => {
    const error = givenTerritory(claimed('acme', 'a1', [openNorth]))
      .when(claim('acme', 'a2', [{ ...openNorth, productCategories: ['pumps'] }]))
      .thenRefuses('AGREEMENT_SCOPE_OVERLAP');
    expect(error.details).toEqual({ conflictingAgreementId: 'a1', categories: ['pumps'], regions: ['north'], from: '2025-01-01', until: '2025-12-31' });
  });

  it('lets an amendment re-claim, narrowing or widening the scope, without conflicting with itself', () => {
    const untilMay = { ...exclusiveNorth, until: '2025-05-31' };
    const widened = { ...exclusiveNorth, version: 2, regions: ['north', 'east'], from: '2025-06-01' };
    givenTerritory(claimed('acme', 'a1', [exclusiveNorth]))
      .when(claim('acme', 'a1', [untilMay, widened]))
      .then(claimed('acme', 'a1', [untilMay, widened]));
    // Widening into a region another dealer holds is refused from the day the new version would take effect.
    const eastern = { ...openNorth, regions: ['east'] };
    const error = givenTerritory(claimed('acme', 'a1', [exclusiveNorth]), claimed('bolt', 'b1', [eastern]))
      .when(claim('acme', 'a1', [untilMay, widened]))
      .thenRefuses('EXCLUSIVE_TERRITORY_TAKEN');
    expect(error.details).toMatchObject({ conflictingAgreementId: 'b1', regions: ['east'], from: '2025-06-01', until: '2025-12-31' });
    // Narrowing (giving up exclusivity from June) lets another dealer in from then, not before.
    const opened = [untilMay, { ...openNorth, version: 2, from: '2025-06-01' }];
    const history = [claimed('acme', 'a1', [exclusiveNorth]), claimed('acme', 'a1', opened)];
    givenTerritory(...history)
      .when(claim('bolt', 'b1', [{ ...openNorth, from: '2025-06-01' }]))
      .then(claimed('bolt', 'b1', [{ ...openNorth, from: '2025-06-01' }]));
    givenTerritory(...history)
      .when(claim('bolt', 'b1', [{ ...openNorth, from: '2025-05-31' }]))
      .thenRefuses('EXCLUSIVE_TERRITORY_TAKEN');
  });

  it('frees the territory from the day after an agreement ends (termination or expiry), so another dealer can take it from then', () => {
    const released: TerritoryRegistryEvent = {
      type: 'TerritoryReleased',
      data: { ...release('acme', 'a1', '2025-08-16').data, remaining: [{ ...exclusiveNorth, until: '2025-08-15' }] },
    };
    givenTerritory(claimed('acme', 'a1', [exclusiveNorth]))
      .when(release('acme', 'a1', '2025-08-16'))
      .then(released);
    givenTerritory(claimed('acme', 'a1', [exclusiveNorth]), released)
      .when(claim('bolt', 'b1', [{ ...openNorth, from: '2025-08-15' }]))
      .thenRefuses('EXCLUSIVE_TERRITORY_TAKEN');
    givenTerritory(claimed('acme', 'a1', [exclusiveNorth]), released)
      .when(claim('bolt', 'b1', [{ ...exclusiveNorth, from: '2025-08-16' }]))
      .then(claimed('bolt', 'b1', [{ ...exclusiveNorth, from: '2025-08-16' }]));
    // Expiry releases from the day after the last day: nothing is left to release then.
    givenTerritory(claimed('acme', 'a1', [exclusiveNorth]))
      .when(release('acme', 'a1', '2026-01-01'))
      .then();
  });

  it('releases nothing twice, and refuses a claim that ends before it starts or names another dealer', () => {
    givenTerritory()
      .when(release('acme', 'a1', '2025-08-16'))
      .then();
    givenTerritory()
      .when(claim('acme', 'a1', [{ ...openNorth, from: '2025-02-01', until: '2025-01-31' }]))
      .thenRefuses('INVALID_CLAIM');
    givenTerritory(claimed('acme', 'a1', [openNorth]))
      .when(claim('bolt', 'a1', [openNorth]))
      .thenRefuses('AGREEMENT_DEALER_MISMATCH');
  });

  it("claims each version of an agreement over the days it governs, with that version's exclusivity", () => {
    const agreement = fold(agreementDecider, [
      ...activeAgreement(),
      amended(2, '2025-06-01', terms({ scope: { productCategories: ['pumps'], regions: ['north', 'east'], exclusive: false } })),
    ]);
    expect(territoryClaims(agreement as ExistingAgreement)).toEqual([
      { version: 1, productCategories: ['pumps', 'valves'], regions: ['north'], exclusive: true, from: '2025-01-01', until: '2025-05-31' },
      { version: 2, productCategories: ['pumps'], regions: ['north', 'east'], exclusive: false, from: '2025-06-01', until: '2025-12-31' },
    ]);
  });
});

// Property: whatever the sequence of claims and releases, the accepted ones never leave two agreements in conflict, and a
// claim is refused only when there really is a conflict (exclusivity is enforced, never invented).

const DEALER_OF: Record<string, string> = { a1: 'acme', a2: 'acme', b1: 'bolt', b2: 'bolt', c1: 'cask' };
const day = (n: number) => `2025-${String(1 + Math.floor(n / 28)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
const territoryClaim = fc
  .record({
    productCategories: fc.subarray(['pumps', 'valves', 'pipes'], { minLength: 1 }),
    regions: fc.subarray(['north', 'south'], { minLength: 1 }),
    exclusive: fc.boolean(),
    start: fc.integer({ min: 0, max: 60 }),
    length: fc.integer({ min: 0, max: 40 }),
  })
  .map(
    (c): TerritoryClaim => ({
      version: 1,
      productCategories: c.productCategories,
      regions: c.regions,
      exclusive: c.exclusive,
      from: day(c.start),
      until: day(Math.min(c.start + c.length, 12 * 28 - 1)),
    }),
  );
const step: fc.Arbitrary<TerritoryRegistryCommand> = fc.oneof(
  fc
    .record({ agreementId: fc.constantFrom(...Object.keys(DEALER_OF)), claims: fc.array(territoryClaim, { minLength: 1, maxLength: 3 }) })
    .map(({ agreementId, claims }) => claim(DEALER_OF[agreementId]!, agreementId, claims)),
  fc
    .record({ agreementId: fc.constantFrom(...Object.keys(DEALER_OF)), from: fc.integer({ min: 0, max: 100 }) })
    .map(({ agreementId, from }) => release(DEALER_OF[agreementId]!, agreementId, day(from))),
);

const conflicts = (a: { partnerId: string; claim: TerritoryClaim }, b: { partnerId: string; claim: TerritoryClaim }) =>
  (a.partnerId === b.partnerId || a.claim.exclusive || b.claim.exclusive) &&
  rangesOverlap(a.claim.from, a.claim.until, b.claim.from, b.claim.until) &&
  a.claim.productCategories.some((c) => b.claim.productCategories.includes(c)) &&
  a.claim.regions.some((r) => b.claim.regions.includes(r));

const flatten = (state: TerritoryRegistryState) =>
  [...state.holdings].flatMap(([agreementId, h]) => h.claims.map((c) => ({ agreementId, partnerId: h.partnerId, claim: c })));

describe('the territory registry, for any sequence of claims and releases', () => {
  it('never holds two agreements in conflict, and refuses a claim only for a real conflict', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let state = territoryRegistryDecider.initialState;
        for (const command of steps) {
          const decision = territoryRegistryDecider.decide(command, state);
          if (command.type === 'ClaimTerritory') {
            const others = flatten(state).filter((h) => h.agreementId !== command.data.agreementId);
            const wanted = command.data.claims.map((c) => ({ partnerId: command.data.partnerId, claim: c }));
            const real = wanted.some((w) => others.some((o) => conflicts(w, o)));
            expect(decision._tag === 'Left').toBe(real);
          } else {
            expect(decision._tag).toBe('Right');
          }
          if (decision._tag === 'Right') state = decision.right.reduce(territoryRegistryDecider.evolve, state);
          const held = flatten(state);
          for (const [i, a] of held.entries()) for (const b of held.slice(i + 1)) if (a.agreementId !== b.agreementId) expect(conflicts(a, b)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
