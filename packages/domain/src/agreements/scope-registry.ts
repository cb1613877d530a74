/**
 * The agreement registry of one dealer (`agreementregistry-<partnerId>`): the scopes its agreements claim, by date.
 * It is the consistency boundary for "a dealer has at most one active agreement per scope at any time": every activation
 * (and every amendment of an agreement in force) claims its scope here first, so two agreements of one dealer can never
 * both be in force for the same product category, region and day, however many people activate agreements at once.
 */
import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { RegionId } from '../partners/commands';
import { addDays, maxDate, minDate, rangesOverlap } from '../shared/calendar';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDate, IsoDateTime } from '../shared/ids';
import { NonEmptyText } from '../shared/text';
import { type ExistingAgreement, versionPeriods } from './state';

/** One version's scope over the inclusive dates it governs. */
export const ScopeClaim = z.strictObject({
  version: z.number().int().min(1),
  productCategories: z.array(Id).min(1),
  regions: z.array(RegionId).min(1),
  from: IsoDate,
  until: IsoDate,
});
export type ScopeClaim = z.infer<typeof ScopeClaim>;

/** Replaces every claim of the agreement with these. */
export const ClaimAgreementScope = z.strictObject({
  type: z.literal('ClaimAgreementScope'),
  data: z.strictObject({ partnerId: Id, agreementId: Id, claims: z.array(ScopeClaim).min(1).max(100), claimedAt: IsoDateTime }),
});

/** Gives up the agreement's claims from `from` on (its termination or expiry). */
export const ReleaseAgreementScope = z.strictObject({
  type: z.literal('ReleaseAgreementScope'),
  data: z.strictObject({ partnerId: Id, agreementId: Id, from: IsoDate, reason: NonEmptyText(500), releasedAt: IsoDateTime }),
});

export const ScopeRegistryCommand = z.discriminatedUnion('type', [ClaimAgreementScope, ReleaseAgreementScope]);
export type ScopeRegistryCommand = z.infer<typeof ScopeRegistryCommand>;

export const AgreementScopeClaimed = z.object({
  type: z.literal('AgreementScopeClaimed'),
  data: z.object({ partnerId: Id, agreementId: Id, claims: z.array(ScopeClaim), claimedAt: IsoDateTime }),
});

export const AgreementScopeReleased = z.object({
  type: z.literal('AgreementScopeReleased'),
  data: z.object({
    partnerId: Id,
    agreementId: Id,
    from: IsoDate,
    reason: z.string(),
    /** What the agreement still claims: the days before `from`. */
    remaining: z.array(ScopeClaim),
    releasedAt: IsoDateTime,
  }),
});

export const ScopeRegistryEvent = z.discriminatedUnion('type', [AgreementScopeClaimed, AgreementScopeReleased]);
export type ScopeRegistryEvent = z.infer<typeof ScopeRegistryEvent>;

export interface ScopeRegistryState {
  /** Claims by agreement id, in the order agreements first claimed. */
  readonly claims: ReadonlyMap<string, readonly ScopeClaim[]>;
}

export const scopeRegistryStream = (partnerId: string): string => `agreementregistry-${partnerId}`;

export const evolveScopeRegistry = (state: ScopeRegistryState, event: ScopeRegistryEvent): ScopeRegistryState => {
  const claims = new Map(state.claims);
  if (event.type === 'AgreementScopeClaimed') claims.set(event.data.agreementId, event.data.claims);
  else claims.set(event.data.agreementId, event.data.remaining);
  return { claims };
};

/** Where two claims meet: the categories and regions both name, over the days both cover; undefined when they do not meet. */
export const claimOverlap = (a: Omit<ScopeClaim, 'version'>, b: Omit<ScopeClaim, 'version'>) => {
  if (!rangesOverlap(a.from, a.until, b.from, b.until)) return undefined;
  const categories = a.productCategories.filter((c) => b.productCategories.includes(c));
  const regions = a.regions.filter((r) => b.regions.includes(r));
  return categories.length > 0 && regions.length > 0 ? { categories, regions, from: maxDate(a.from, b.from), until: minDate(a.until, b.until) } : undefined;
};

/** The refusal of a second agreement of one dealer for a scope and days another of its agreements already claims. */
export const scopeOverlapRefusal = (partnerId: string, otherId: string, overlap: NonNullable<ReturnType<typeof claimOverlap>>): Either<DomainError, never> =>
  refuse(
    'AGREEMENT_SCOPE_OVERLAP',
    `Dealer ${partnerId} already has agreement ${otherId} in force for ${overlap.categories.join(', ')} in ${overlap.regions.join(', ')} from ${overlap.from} to ${overlap.until}; a dealer can have only one agreement in force per scope. Terminate or amend ${otherId} first, or narrow this scope or its dates.`,
    { conflictingAgreementId: otherId, ...overlap },
  );

export const decideScopeRegistry = (command: ScopeRegistryCommand, state: ScopeRegistryState): Either<DomainError, readonly ScopeRegistryEvent[]> => {
  const { agreementId } = command.data;
  if (command.type === 'ClaimAgreementScope') {
    for (const claim of command.data.claims) {
      if (claim.until < claim.from) return refuse('INVALID_CLAIM', `A claim cannot end (${claim.until}) before it starts (${claim.from}).`, { ...claim });
      for (const [otherId, others] of state.claims) {
        if (otherId === agreementId) continue;
        for (const other of others) {
          const overlap = claimOverlap(claim, other);
          if (overlap) return scopeOverlapRefusal(command.data.partnerId, otherId, overlap);
        }
      }
    }
    return right([{ type: 'AgreementScopeClaimed', data: command.data }]);
  }
  const current = state.claims.get(agreementId) ?? [];
  const remaining = current
    .filter((c) => c.from < command.data.from)
    .map((c) => (c.until >= command.data.from ? { ...c, until: addDays(command.data.from, -1) } : c));
  if (JSON.stringify(remaining) === JSON.stringify(current)) return right([]);
  return right([{ type: 'AgreementScopeReleased', data: { ...command.data, remaining } }]);
};

export const scopeRegistryDecider: Decider<ScopeRegistryCommand, ScopeRegistryEvent, ScopeRegistryState> = {
  initialState: { claims: new Map() },
  decide: decideScopeRegistry,
  evolve: evolveScopeRegistry,
};

/** What an agreement claims: each version's scope over the days it governs. */
export const scopeClaims = (agreement: ExistingAgreement): ScopeClaim[] =>
  versionPeriods(agreement)
    .filter((p) => p.from <= p.until)
    .map((p) => ({
      version: p.version.version,
      productCategories: [...p.version.terms.scope.productCategories],
      regions: [...p.version.terms.scope.regions],
      from: p.from,
      until: p.until,
    }));

/** Every agreement the dealer ever put in force, released or not: the candidates to govern one of its orders. */
export const registeredAgreements = (state: ScopeRegistryState): string[] => [...state.claims.keys()];
