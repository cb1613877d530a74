import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { given } from '../testing';
import { activeAgreement, amended, during, terms } from './fixtures';
import { agreementDecider } from './index';
import { type ScopeClaim, type ScopeRegistryEvent, scopeClaims, scopeRegistryDecider } from './scope-registry';
import type { ExistingAgreement } from './state';

const givenRegistry = given(scopeRegistryDecider);
const claim = (agreementId: string, claims: ScopeClaim[]) => ({
  type: 'ClaimAgreementScope' as const,
  data: { partnerId: 'acme', agreementId, claims, claimedAt: during('2025-01-01') },
});
const claimed = (agreementId: string, claims: ScopeClaim[]): ScopeRegistryEvent => ({ type: 'AgreementScopeClaimed', data: claim(agreementId, claims).data });
const pumpsNorth2025: ScopeClaim = { version: 1, productCategories: ['pumps', 'valves'], regions: ['north'], from: '2025-01-01', until: '2025-12-31' };

describe("a dealer's agreement registry", () => {
  it('lets an agreement claim its scope', () => {
    givenRegistry()
      .when(claim('a1', [pumpsNorth2025]))
      .then(claimed('a1', [pumpsNorth2025]));
  });

  it('refuses a second agreement in force for the same category, region and day, naming the conflict', () => {
    const error = givenRegistry(claimed('a1', [pumpsNorth2025]))
      .when(claim('a2', [{ version: 1, productCategories: ['valves', 'pipes'], regions: ['north', 'south'], from: '2025-12-01', until: '2026-11-30' }]))
      .thenRefuses('AGREEMENT_SCOPE_OVERLAP');
    expect(error.details).toEqual({ conflictingAgreementId: 'a1', categories: ['valves'], regions: ['north'], from: '2025-12-01', until: '2025-12-31' });
    expect(error.message).toMatch(/already has agreement a1 in force for valves in north from 2025-12-01 to 2025-12-31/);
  });

  it('allows the same scope in another region, for other categories, or on other days', () => {
    const registry = [claimed('a1', [pumpsNorth2025])];
    givenRegistry(...registry)
      .when(claim('a2', [{ ...pumpsNorth2025, regions: ['south'] }]))
      .then(claimed('a2', [{ ...pumpsNorth2025, regions: ['south'] }]));
    givenRegistry(...registry)
      .when(claim('a2', [{ ...pumpsNorth2025, productCategories: ['pipes'] }]))
      .then(claimed('a2', [{ ...pumpsNorth2025, productCategories: ['pipes'] }]));
    givenRegistry(...registry)
      .when(claim('a2', [{ ...pumpsNorth2025, from: '2026-01-01', until: '2026-12-31' }]))
      .then(claimed('a2', [{ ...pumpsNorth2025, from: '2026-01-01', until: '2026-12-31' }]));
  });

  it('lets an agreement re-claim (an amendment) without conflicting with itself', () => {
    const wider = { ...pumpsNorth2025, from: '2025-06-01', version: 2, regions: ['north', 'east'] };
    givenRegistry(claimed('a1', [pumpsNorth2025]))
      .when(claim('a1', [{ ...pumpsNorth2025, until: '2025-05-31' }, wider]))
      .then(claimed('a1', [{ ...pumpsNorth2025, until: '2025-05-31' }, wider]));
  });

  it('frees the scope from a date on when an agreement ends, so a successor can take it from then', () => {
    const released: ScopeRegistryEvent = {
      type: 'AgreementScopeReleased',
      data: {
        partnerId: 'acme',
        agreementId: 'a1',
        from: '2025-08-16',
        reason: 'terminated',
        remaining: [{ ...pumpsNorth2025, until: '2025-08-15' }],
        releasedAt: during('2025-08-15'),
      },
    };
    givenRegistry(claimed('a1', [pumpsNorth2025]))
      .when({
        type: 'ReleaseAgreementScope',
        data: { partnerId: 'acme', agreementId: 'a1', from: '2025-08-16', reason: 'terminated', releasedAt: during('2025-08-15') },
      })
      .then(released);
    givenRegistry(claimed('a1', [pumpsNorth2025]), released)
      .when(claim('a2', [{ ...pumpsNorth2025, from: '2025-08-15' }]))
      .thenRefuses('AGREEMENT_SCOPE_OVERLAP');
    givenRegistry(claimed('a1', [pumpsNorth2025]), released)
      .when(claim('a2', [{ ...pumpsNorth2025, from: '2025-08-16' }]))
      .then(claimed('a2', [{ ...pumpsNorth2025, from: '2025-08-16' }]));
  });

  it('releases nothing twice', () => {
    givenRegistry()
      .when({
        type: 'ReleaseAgreementScope',
        data: { partnerId: 'acme', agreementId: 'a1', from: '2025-08-16', reason: 'x', releasedAt: during('2025-08-15') },
      })
      .then();
  });

  it('claims each version of an agreement over the days it governs', () => {
    const agreement = fold(agreementDecider, [
      ...activeAgreement(),
      amended(2, '2025-06-01', terms({ scope: { productCategories: ['pumps'], regions: ['north', 'east'], exclusive: false } })),
    ]);
    expect(scopeClaims(agreement as ExistingAgreement)).toEqual([
      { version: 1, productCategories: ['pumps', 'valves'], regions: ['north'], from: '2025-01-01', until: '2025-05-31' },
      { version: 2, productCategories: ['pumps'], regions: ['north', 'east'], from: '2025-06-01', until: '2025-12-31' },
    ]);
  });
});
