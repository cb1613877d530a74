import {
  ActivateAgreement,
  type AgreementState,
  AmendAgreement,
  addDays,
  aggregates,
  agreementStream,
  dateOf,
  type ExistingAgreement,
  ExpireAgreement,
  productStream,
  registeredAgreements,
  scopeClaims,
  scopeRegistryStream,
  TerminateAgreement,
} from '@dms/domain';
import { left, right } from 'fp-ts/Either';
import type { z } from 'zod';
import type { ApplicationService, CommandBus, CommandResult } from './command-bus';
import { type CommandAccepted, type CommandContext, handleCommand, type Loaded, loadAggregate } from './command-handler';
import type { EventStore } from './port';
import { combined, handleContended, invalidCommand } from './stock-services';

/**
 * Agreement commands that touch more than the agreement: activating one (and amending or ending one in force) claims or
 * releases its scope in the dealer's agreement registry (`agreementregistry-<partnerId>`), the one stream that sees every
 * agreement of the dealer, so that no two agreements of a dealer are ever in force for the same scope on the same day.
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

const claim = (bus: CommandBus, agreement: ExistingAgreement, at: string, context: CommandContext, suffix: string) =>
  handleContended(
    bus.store,
    aggregates.agreementRegistry,
    {
      type: 'ClaimAgreementScope',
      data: { partnerId: agreement.partnerId, agreementId: agreement.agreementId, claims: scopeClaims(agreement), claimedAt: at },
    },
    subContext(context, suffix),
  );

const release = (bus: CommandBus, agreement: ExistingAgreement, from: string, reason: string, at: string, context: CommandContext) =>
  handleContended(
    bus.store,
    aggregates.agreementRegistry,
    { type: 'ReleaseAgreementScope', data: { partnerId: agreement.partnerId, agreementId: agreement.agreementId, from, reason, releasedAt: at } },
    subContext(context, 'scope'),
  );

/** The agreement's command decided on its state as loaded, without writing: the refusal a person should see before anything else changes. */
const precheck = (loaded: Loaded<AgreementState>, command: z.infer<typeof ActivateAgreement> | z.infer<typeof AmendAgreement>) =>
  aggregates.agreements.decider.decide(command, loaded.state);

/** The agreement's result with the registry's events alongside. */
const withRegistry = (agreement: CommandAccepted, registry: CommandAccepted): CommandResult =>
  right(combined(agreement.streamId, agreement.streamVersion, agreement.position, [agreement, registry]));

const activateAgreement: ApplicationService = async (command, context, bus) => {
  const parsed = ActivateAgreement.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { agreementId, activatedAt } = parsed.data.data;
  const stream = agreementStream(agreementId);
  const loaded = await loadAgreement(bus.store, agreementId);
  const replayed = replayOf(loaded, stream, context.commandId);
  if (replayed) return replayed;
  if (!loaded.state.exists) return notFound(agreementId);
  const decision = precheck(loaded, parsed.data);
  if (decision._tag === 'Left') return decision;
  const claimed = await claim(bus, loaded.state, activatedAt, context, 'scope');
  if (claimed._tag === 'Left') return claimed;
  const activated = await handleCommand(bus.store, aggregates.agreements, parsed.data, context);
  if (activated._tag === 'Left') {
    // Someone changed the agreement in between (terminated it, say): give the scope back.
    await release(bus, loaded.state, loaded.state.versions[0]!.effectiveFrom, 'activation refused', activatedAt, subContext(context, 'undo'));
    return activated;
  }
  return withRegistry(activated.right, claimed.right);
};

const amendAgreement: ApplicationService = async (command, context, bus) => {
  const parsed = AmendAgreement.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { agreementId, amendedAt } = parsed.data.data;
  const stream = agreementStream(agreementId);
  const loaded = await loadAgreement(bus.store, agreementId);
  const replayed = replayOf(loaded, stream, context.commandId);
  if (replayed) return replayed;
  if (!loaded.state.exists) return notFound(agreementId);
  const decision = precheck(loaded, parsed.data);
  if (decision._tag === 'Left') return decision;
  if (loaded.state.status !== 'active') return handleCommand(bus.store, aggregates.agreements, parsed.data, context);
  // In force: the amended scope, version by version, must not overlap the dealer's other agreements.
  const after = decision.right.reduce(aggregates.agreements.decider.evolve, loaded.state as AgreementState) as ExistingAgreement;
  const claimed = await claim(bus, after, amendedAt, context, 'scope');
  if (claimed._tag === 'Left') return claimed;
  const result = await handleCommand(bus.store, aggregates.agreements, parsed.data, context);
  if (result._tag === 'Left') {
    await claim(bus, loaded.state, amendedAt, context, 'scope-undo');
    return result;
  }
  return withRegistry(result.right, claimed.right);
};

/** Ends an agreement (terminate or expire), then frees its scope from the next day on. */
const ending =
  (schema: typeof TerminateAgreement | typeof ExpireAgreement): ApplicationService =>
  async (command, context, bus) => {
    const parsed = schema.safeParse(command);
    if (!parsed.success) return invalidCommand(command.type, parsed.error);
    const data = parsed.data.data;
    const loaded = await loadAgreement(bus.store, data.agreementId);
    if (!loaded.state.exists) return notFound(data.agreementId);
    const ended = await handleCommand(bus.store, aggregates.agreements, parsed.data, context);
    if (ended._tag === 'Left') return ended;
    const at = 'terminatedAt' in data ? data.terminatedAt : data.expiredAt;
    const lastDay = 'terminatedAt' in data ? dateOf(at) : loaded.state.expiresOn;
    const freed = await release(bus, loaded.state, addDays(lastDay, 1), 'terminatedAt' in data ? `terminated: ${data.reason}` : 'expired', at, context);
    if (freed._tag === 'Left') return freed;
    return withRegistry(ended.right, freed.right);
  };

export const agreementServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['ActivateAgreement', activateAgreement],
  ['AmendAgreement', amendAgreement],
  ['TerminateAgreement', ending(TerminateAgreement)],
  ['ExpireAgreement', ending(ExpireAgreement)],
]);
