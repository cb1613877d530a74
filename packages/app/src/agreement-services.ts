import {
  ActivateAgreement,
  type AgreementEvent,
  type AgreementState,
  AmendAgreement,
  addDays,
  aggregates,
  agreementStream,
  type DomainError,
  dateOf,
  type ExistingAgreement,
  ExpireAgreement,
  productStream,
  registeredAgreements,
  scopeClaims,
  scopeRegistryStream,
  TERRITORY_REGISTRY_STREAM,
  TerminateAgreement,
  territoryClaims,
} from '@dms/domain';
import { type CommandAccepted, type CommandContext, type EventStore, handleCommand, invalidCommand, type Loaded, loadAggregate } from '@dms/eventstore';
import { type Either, left, right } from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { z } from 'zod';
import type { ApplicationService, CommandResult, ServiceBus } from './service';
import { combined, handleContended } from './stock-services';

/**
 * Agreement commands that touch more than the agreement: activating one (and amending or ending one in force) claims or
 * releases its scope in two registries, and only then changes the agreement:
 *
 * 1. the channel's territory registry (`territoryregistry-manufacturer`), the one stream that sees every dealer's claims,
 *    so that no other dealer's agreement is in force where an exclusive one is, and no dealer has two agreements in force
 *    for the same scope on the same day;
 * 2. the dealer's agreement registry (`agreementregistry-<partnerId>`), the record of the dealer's agreements that order
 *    review reads (and the older guard of the dealer's own overlaps).
 *
 * Every claim is decided against both registries as they stand before anything is written, so a refusal normally writes
 * nothing. Under concurrency the territory claim is the one append that serialises conflicting activations: the loser is
 * refused there, before it wrote anything. The territory registry refuses everything the dealer's registry would, so the
 * registry claim after it cannot be refused (short of a registry claim recorded before the territory registry existed);
 * if it ever is, or the agreement itself was changed in between, the claims made are undone by compensating commands.
 * The bus runs these four command types through here; the agreement's own command keeps the intent's command id, and
 * registry commands get ids derived from it, so a retry after a crash repeats no effect.
 */

/** A sub-command's context: its id derived from the intent's, caused by the intent. */
export const subContext = (context: CommandContext, suffix: string): CommandContext => ({
  ...context,
  commandId: `${context.commandId}:${suffix}`,
  causationId: context.causationId ?? context.commandId,
  correlationId: context.correlationId ?? context.commandId,
});

/** The events a command id already produced in a loaded stream, as a replayed result; undefined when it never ran there. */
export const replayOf = (loaded: Loaded<unknown>, streamId: string, commandId: string): CommandResult | undefined => {
  const earlier = loaded.events.filter((e) => e.metadata.commandId === commandId);
  const last = earlier.at(-1);
  return last ? right({ streamId, streamVersion: last.streamVersion, position: last.globalPosition, events: earlier, replayed: true }) : undefined;
};

/** A result that changed nothing, for a stream as loaded. */
export const unchanged = (streamId: string, loaded: Loaded<unknown>): CommandResult =>
  right(combined(streamId, loaded.version, loaded.events.at(-1)?.globalPosition ?? 0n, []));

export const loadAgreement = (store: EventStore, agreementId: string) => loadAggregate(store, aggregates.agreements, agreementStream(agreementId));

/** Every agreement the dealer ever put in force, with its current state: what can govern one of its orders. */
export const dealerAgreements = async (store: EventStore, partnerId: string): Promise<AgreementState[]> => {
  const registry = await loadAggregate(store, aggregates.agreementRegistry, scopeRegistryStream(partnerId));
  const states: AgreementState[] = [];
  for (const id of registeredAgreements(registry.state)) states.push((await loadAgreement(store, id)).state);
  return states;
};

/** The product category of each SKU (unknown SKUs are left out). */
export const productCategories = async (store: EventStore, skus: readonly string[]): Promise<Map<string, string>> => {
  const categories = new Map<string, string>();
  for (const sku of new Set(skus)) {
    const product = (await loadAggregate(store, aggregates.products, productStream(sku))).state;
    if (product.exists) categories.set(sku, product.category);
  }
  return categories;
};

const notFound = (agreementId: string): CommandResult =>
  left({ code: 'AGREEMENT_NOT_FOUND', message: `Agreement ${agreementId} does not exist.`, details: { agreementId } });

const registryClaim = (agreement: ExistingAgreement, at: string) => ({
  type: 'ClaimAgreementScope' as const,
  data: { partnerId: agreement.partnerId, agreementId: agreement.agreementId, claims: scopeClaims(agreement), claimedAt: at },
});

const territoryClaim = (agreement: ExistingAgreement, at: string) => ({
  type: 'ClaimTerritory' as const,
  data: { partnerId: agreement.partnerId, agreementId: agreement.agreementId, claims: territoryClaims(agreement), claimedAt: at },
});

const claim = (bus: ServiceBus, agreement: ExistingAgreement, at: string, context: CommandContext, suffix: string) =>
  handleContended(bus.store, aggregates.agreementRegistry, registryClaim(agreement, at), subContext(context, suffix));

const claimTerritory = (bus: ServiceBus, agreement: ExistingAgreement, at: string, context: CommandContext, suffix: string) =>
  handleContended(bus.store, aggregates.territoryRegistry, territoryClaim(agreement, at), subContext(context, suffix));

const release = (bus: ServiceBus, agreement: ExistingAgreement, from: string, reason: string, at: string, context: CommandContext, suffix: string) =>
  handleContended(
    bus.store,
    aggregates.agreementRegistry,
    { type: 'ReleaseAgreementScope', data: { partnerId: agreement.partnerId, agreementId: agreement.agreementId, from, reason, releasedAt: at } },
    subContext(context, suffix),
  );

const releaseTerritory = (bus: ServiceBus, agreement: ExistingAgreement, from: string, reason: string, at: string, context: CommandContext, suffix: string) =>
  handleContended(
    bus.store,
    aggregates.territoryRegistry,
    { type: 'ReleaseTerritory', data: { partnerId: agreement.partnerId, agreementId: agreement.agreementId, from, reason, releasedAt: at } },
    subContext(context, suffix),
  );

/** The first day an ended agreement no longer claims: the day after its termination, or after its last day. */
const dayAfterEnd = (agreement: ExistingAgreement): string | undefined => {
  if (agreement.status === 'terminated' && agreement.endedAt) return addDays(dateOf(agreement.endedAt), 1);
  if (agreement.status === 'expired') return addDays(agreement.expiresOn, 1);
  return undefined;
};

/**
 * The compensation when a step after a claim is refused: puts both registries back in step with the agreement as it now
 * stands, so that nothing this intent claimed outlives the refusal. An agreement never put in force claims nothing; one in
 * force (perhaps activated or amended by someone else meanwhile) claims what its versions govern, up to its end.
 */
const resync = async (bus: ServiceBus, agreementId: string, at: string, context: CommandContext): Promise<void> => {
  const now = (await loadAgreement(bus.store, agreementId)).state;
  if (!now.exists) return;
  const undo = subContext(context, 'undo');
  const reason = 'claim undone: a later step was refused';
  if (!now.activatedAt) {
    const firstDay = now.versions[0]!.effectiveFrom;
    await release(bus, now, firstDay, reason, at, undo, 'scope');
    await releaseTerritory(bus, now, firstDay, reason, at, undo, 'territory');
    return;
  }
  await claim(bus, now, at, undo, 'scope-claim');
  await claimTerritory(bus, now, at, undo, 'territory-claim');
  const from = dayAfterEnd(now);
  if (from) {
    await release(bus, now, from, reason, at, undo, 'scope');
    await releaseTerritory(bus, now, from, reason, at, undo, 'territory');
  }
};

/** The agreement's command decided on its state as loaded, without writing: the refusal a person should see before anything else changes. */
const precheck = (loaded: Loaded<AgreementState>, command: z.infer<typeof ActivateAgreement> | z.infer<typeof AmendAgreement>) =>
  aggregates.agreements.decider.decide(command, loaded.state);

/** The agreement's claims decided on both registries as they stand, without writing: the dealer's own overlaps first, then exclusivity. */
const precheckClaims = (bus: ServiceBus, agreement: ExistingAgreement, at: string): Promise<Either<DomainError, true>> =>
  pipe(
    TE.fromTask(() => loadAggregate(bus.store, aggregates.agreementRegistry, scopeRegistryStream(agreement.partnerId))),
    TE.flatMapEither((registry) => aggregates.agreementRegistry.decider.decide(registryClaim(agreement, at), registry.state)),
    TE.flatMapTask(() => () => loadAggregate(bus.store, aggregates.territoryRegistry, TERRITORY_REGISTRY_STREAM)),
    TE.flatMapEither((territory) => aggregates.territoryRegistry.decider.decide(territoryClaim(agreement, at), territory.state)),
    TE.as(true as const),
  )();

/** The agreement's result with the registries' events alongside. */
const withRegistries = (agreement: CommandAccepted, registries: readonly CommandAccepted[]): CommandAccepted =>
  combined(agreement.streamId, agreement.streamVersion, agreement.position, [agreement, ...registries]);

/**
 * Claims the agreement's scope as `agreement` (the agreement after the command), checked first and then written:
 * the territory, then the dealer's registry, then the agreement's own command `apply`. A refusal at the first write
 * leaves nothing behind; one at a later write is compensated (`resync`) before it is returned.
 */
const claimThen = async (
  bus: ServiceBus,
  agreement: ExistingAgreement,
  at: string,
  context: CommandContext,
  apply: () => Promise<CommandResult>,
): Promise<CommandResult> =>
  pipe(
    () => precheckClaims(bus, agreement, at),
    TE.flatMap(() => () => claimTerritory(bus, agreement, at, context, 'territory')),
    TE.flatMap((territory) =>
      pipe(
        () => claim(bus, agreement, at, context, 'scope'),
        TE.flatMap((registry) =>
          pipe(
            apply,
            TE.map((applied) => withRegistries(applied, [territory, registry])),
          ),
        ),
        // Refused once the territory is claimed: undo what this intent claimed before returning the refusal.
        TE.tapError(() => TE.fromTask(() => resync(bus, agreement.agreementId, at, context))),
      ),
    ),
  )();

/**
 * What activating and amending share: parse, load the agreement, answer a replay, and decide the command on the agreement as
 * it stands (a refusal writes nothing); then `next` claims what must be claimed and applies the command.
 */
const deciding =
  <S extends typeof ActivateAgreement | typeof AmendAgreement>(
    schema: S,
    next: (decided: {
      command: z.infer<S>;
      agreement: ExistingAgreement;
      events: readonly AgreementEvent[];
      apply: () => Promise<CommandResult>;
      bus: ServiceBus;
      context: CommandContext;
    }) => Promise<CommandResult>,
  ): ApplicationService =>
  async (command, context, bus) => {
    const parsed = schema.safeParse(command);
    if (!parsed.success) return invalidCommand(command.type, parsed.error);
    const { agreementId } = parsed.data.data;
    const loaded = await loadAgreement(bus.store, agreementId);
    const replayed = replayOf(loaded, agreementStream(agreementId), context.commandId);
    if (replayed) return replayed;
    if (!loaded.state.exists) return notFound(agreementId);
    const decision = precheck(loaded, parsed.data);
    if (decision._tag === 'Left') return decision;
    const apply = () => handleCommand(bus.store, aggregates.agreements, parsed.data, context);
    return next({ command: parsed.data as z.infer<S>, agreement: loaded.state, events: decision.right, apply, bus, context });
  };

const activateAgreement = deciding(ActivateAgreement, ({ command, agreement, apply, bus, context }) =>
  claimThen(bus, agreement, command.data.activatedAt, context, apply),
);

const amendAgreement = deciding(AmendAgreement, ({ command, agreement, events, apply, bus, context }) => {
  if (agreement.status !== 'active') return apply();
  // In force: the amended scope, version by version, must not overlap the dealer's other agreements, nor another dealer's
  // where either is exclusive.
  const after = events.reduce(aggregates.agreements.decider.evolve, agreement as AgreementState) as ExistingAgreement;
  return claimThen(bus, after, command.data.amendedAt, context, apply);
});

/** Ends an agreement (terminate or expire), then frees its scope and territory from the next day on. */
const ending =
  (schema: typeof TerminateAgreement | typeof ExpireAgreement): ApplicationService =>
  async (command, context, bus) => {
    const parsed = schema.safeParse(command);
    if (!parsed.success) return invalidCommand(command.type, parsed.error);
    const data = parsed.data.data;
    const loaded = await loadAgreement(bus.store, data.agreementId);
    if (!loaded.state.exists) return notFound(data.agreementId);
    const agreement = loaded.state;
    const at = 'terminatedAt' in data ? data.terminatedAt : data.expiredAt;
    const from = addDays('terminatedAt' in data ? dateOf(at) : agreement.expiresOn, 1);
    const reason = 'terminatedAt' in data ? `terminated: ${data.reason}` : 'expired';
    return pipe(
      TE.Do,
      TE.bind('ended', () => () => handleCommand(bus.store, aggregates.agreements, parsed.data, context)),
      TE.bind('freed', () => () => release(bus, agreement, from, reason, at, context, 'scope')),
      TE.bind('territory', () => () => releaseTerritory(bus, agreement, from, reason, at, context, 'territory')),
      TE.map(({ ended, freed, territory }) => withRegistries(ended, [freed, territory])),
    )();
  };

export const agreementServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['ActivateAgreement', activateAgreement],
  ['AmendAgreement', amendAgreement],
  ['TerminateAgreement', ending(TerminateAgreement)],
  ['ExpireAgreement', ending(ExpireAgreement)],
]);
