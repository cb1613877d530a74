/**
 * The manufacturer's territory registry (`territoryregistry-manufacturer`): what every dealer's agreements claim, by
 * product category, region and day, and whether exclusively. It is the consistency boundary for exclusivity between
 * dealers: while one dealer's agreement is exclusive for a category in a region on a day, no other dealer's agreement
 * may be in force there then, and an exclusive agreement cannot take a category, region and day another dealer already
 * holds. Every activation (and every amendment of an agreement in force) claims here first, in one append to one stream,
 * so two dealers activating conflicting agreements at once can never both succeed, and a refused claim writes nothing.
 *
 * It also refuses a dealer's own overlapping agreements (the rule of the dealer's registry, `agreementregistry-<partnerId>`),
 * so that once the territory is claimed the dealer's registry has nothing left to refuse: the claims serialise here.
 *
 * One stream for the whole channel, not one per region: agreements change a few times a year per dealer, and one stream
 * makes a claim spanning several regions one atomic decision, with no partial claim to undo when a later region refuses.
 */
import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { addDays } from '../shared/calendar';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDate, IsoDateTime } from '../shared/ids';
import { NonEmptyText } from '../shared/text';
import { claimOverlap, ScopeClaim, scopeOverlapRefusal } from './scope-registry';
import { type ExistingAgreement, versionPeriods } from './state';

/** One version's scope over the inclusive dates it governs, and whether that version is exclusive. */
export const TerritoryClaim = ScopeClaim.extend({ exclusive: z.boolean() });
export type TerritoryClaim = z.infer<typeof TerritoryClaim>;

/** Replaces every territory claim of the agreement with these. */
export const ClaimTerritory = z.strictObject({
  type: z.literal('ClaimTerritory'),
  data: z.strictObject({ partnerId: Id, agreementId: Id, claims: z.array(TerritoryClaim).min(1).max(100), claimedAt: IsoDateTime }),
});

/** Gives up the agreement's territory from `from` on (its termination or expiry, or an activation undone). */
export const ReleaseTerritory = z.strictObject({
  type: z.literal('ReleaseTerritory'),
  data: z.strictObject({ partnerId: Id, agreementId: Id, from: IsoDate, reason: NonEmptyText(500), releasedAt: IsoDateTime }),
});

export const TerritoryRegistryCommand = z.discriminatedUnion('type', [ClaimTerritory, ReleaseTerritory]);
export type TerritoryRegistryCommand = z.infer<typeof TerritoryRegistryCommand>;

export const TerritoryClaimed = z.object({
  type: z.literal('TerritoryClaimed'),
  data: z.object({ partnerId: Id, agreementId: Id, claims: z.array(TerritoryClaim), claimedAt: IsoDateTime }),
});

export const TerritoryReleased = z.object({
  type: z.literal('TerritoryReleased'),
  data: z.object({
    partnerId: Id,
    agreementId: Id,
    from: IsoDate,
    reason: z.string(),
    /** What the agreement still claims: the days before `from`. */
    remaining: z.array(TerritoryClaim),
    releasedAt: IsoDateTime,
  }),
});

export const TerritoryRegistryEvent = z.discriminatedUnion('type', [TerritoryClaimed, TerritoryReleased]);
export type TerritoryRegistryEvent = z.infer<typeof TerritoryRegistryEvent>;

export interface TerritoryHolding {
  readonly partnerId: string;
  readonly claims: readonly TerritoryClaim[];
}

export interface TerritoryRegistryState {
  /** Each agreement's dealer and claims, by agreement id, in the order agreements first claimed. */
  readonly holdings: ReadonlyMap<string, TerritoryHolding>;
}

/** The one territory registry of the channel. */
export const TERRITORY_REGISTRY_STREAM = 'territoryregistry-manufacturer';

export const evolveTerritoryRegistry = (state: TerritoryRegistryState, event: TerritoryRegistryEvent): TerritoryRegistryState => {
  const holdings = new Map(state.holdings);
  const claims = event.type === 'TerritoryClaimed' ? event.data.claims : event.data.remaining;
  holdings.set(event.data.agreementId, { partnerId: event.data.partnerId, claims });
  return { holdings };
};

/** Where two dealers' claims meet with at least one of them exclusive: the conflict exclusivity forbids. */
export interface TerritoryConflict {
  readonly claim: TerritoryClaim;
  readonly agreementId: string;
  readonly holding: TerritoryHolding;
  readonly heldClaim: TerritoryClaim;
  readonly overlap: NonNullable<ReturnType<typeof claimOverlap>>;
}

const list = (items: readonly string[]) => items.join(', ');

const exclusivityRefusal = (partnerId: string, agreementId: string, c: TerritoryConflict): Either<DomainError, never> => {
  const { overlap, holding, heldClaim } = c;
  const where = `${list(overlap.categories)} in ${list(overlap.regions)} from ${overlap.from} to ${overlap.until}`;
  const message = heldClaim.exclusive
    ? `Dealer ${holding.partnerId} holds ${where} exclusively under agreement ${c.agreementId}; agreement ${agreementId} of dealer ${partnerId} cannot be in force there on those days. Narrow its categories, regions or dates, or amend or end ${c.agreementId} first.`
    : `Agreement ${agreementId} would give dealer ${partnerId} ${where} exclusively, but dealer ${holding.partnerId} already holds it under agreement ${c.agreementId}. Make it non-exclusive, narrow its categories, regions or dates, or end ${c.agreementId} first.`;
  return refuse('EXCLUSIVE_TERRITORY_TAKEN', message, {
    conflictingPartnerId: holding.partnerId,
    conflictingAgreementId: c.agreementId,
    conflictingExclusive: heldClaim.exclusive,
    requestedExclusive: c.claim.exclusive,
    ...overlap,
  });
};

/**
 * The first conflict of these claims with what other agreements hold: another dealer's claim on the same category, region
 * and day where either is exclusive, or (`sameDealer`) another agreement of the same dealer on the same scope and day.
 */
export const territoryConflict = (
  state: TerritoryRegistryState,
  partnerId: string,
  agreementId: string,
  claims: readonly TerritoryClaim[],
): (TerritoryConflict & { readonly sameDealer: boolean }) | undefined => {
  for (const claim of claims) {
    for (const [otherId, holding] of state.holdings) {
      if (otherId === agreementId) continue;
      const sameDealer = holding.partnerId === partnerId;
      for (const heldClaim of holding.claims) {
        if (!sameDealer && !claim.exclusive && !heldClaim.exclusive) continue;
        const overlap = claimOverlap(claim, heldClaim);
        if (overlap) return { claim, agreementId: otherId, holding, heldClaim, overlap, sameDealer };
      }
    }
  }
  return undefined;
};

export const decideTerritoryRegistry = (
  command: TerritoryRegistryCommand,
  state: TerritoryRegistryState,
): Either<DomainError, readonly TerritoryRegistryEvent[]> => {
  const { partnerId, agreementId } = command.data;
  const held = state.holdings.get(agreementId);
  if (held && held.partnerId !== partnerId) {
    return refuse('AGREEMENT_DEALER_MISMATCH', `Agreement ${agreementId} is held by dealer ${held.partnerId}, not ${partnerId}.`, {
      agreementId,
      partnerId: held.partnerId,
    });
  }
  if (command.type === 'ClaimTerritory') {
    const backwards = command.data.claims.find((c) => c.until < c.from);
    if (backwards) return refuse('INVALID_CLAIM', `A claim cannot end (${backwards.until}) before it starts (${backwards.from}).`, { ...backwards });
    const conflict = territoryConflict(state, partnerId, agreementId, command.data.claims);
    if (conflict?.sameDealer) return scopeOverlapRefusal(partnerId, conflict.agreementId, conflict.overlap);
    if (conflict) return exclusivityRefusal(partnerId, agreementId, conflict);
    return right([{ type: 'TerritoryClaimed', data: command.data }]);
  }
  const current = held?.claims ?? [];
  const remaining = current
    .filter((c) => c.from < command.data.from)
    .map((c) => (c.until >= command.data.from ? { ...c, until: addDays(command.data.from, -1) } : c));
  if (JSON.stringify(remaining) === JSON.stringify(current)) return right([]);
  return right([{ type: 'TerritoryReleased', data: { ...command.data, remaining } }]);
};

export const territoryRegistryDecider: Decider<TerritoryRegistryCommand, TerritoryRegistryEvent, TerritoryRegistryState> = {
  initialState: { holdings: new Map() },
  decide: decideTerritoryRegistry,
  evolve: evolveTerritoryRegistry,
};

/** What an agreement claims of the territory: each version's scope, with its exclusivity, over the days it governs. */
export const territoryClaims = (agreement: ExistingAgreement): TerritoryClaim[] =>
  versionPeriods(agreement)
    .filter((p) => p.from <= p.until)
    .map((p) => ({
      version: p.version.version,
      productCategories: [...p.version.terms.scope.productCategories],
      regions: [...p.version.terms.scope.regions],
      exclusive: p.version.terms.scope.exclusive,
      from: p.from,
      until: p.until,
    }));
