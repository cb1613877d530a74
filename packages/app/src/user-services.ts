import { aggregates, ChangeUserRole, EMAIL_REGISTRY_STREAM, InviteUser, partnerStream, userStream } from '@dms/domain';
import { handleCommand, invalidCommand, loadAggregate } from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import type { ApplicationService } from './service';
import { handleContended } from './stock-services';

/**
 * Inviting a user claims the e-mail address in the registry (`emailregistry-users`, the one stream where two invitations
 * of one address meet), then records the invitation in the user's stream. Everything the user's decider could refuse is
 * decided before the claim (and a dealer's partner must exist and not be terminated), so a refused invitation writes nothing. If a crash came between the two appends, the address
 * is held by a user id whose stream does not exist: inviting the address again completes that user, under that id.
 */
const inviteUser: ApplicationService = async (command, context, bus) => {
  const parsed = InviteUser.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const first = aggregates.users.decider.decide(parsed.data, aggregates.users.decider.initialState);
  if (first._tag === 'Left') return first;
  const { email, partnerId } = parsed.data.data;
  const partnerRefusal = await partnerCanHaveUsers(bus, partnerId);
  if (partnerRefusal) return partnerRefusal;
  let { userId } = parsed.data.data;
  const registry = await loadAggregate(bus.store, aggregates.emailRegistry, EMAIL_REGISTRY_STREAM);
  const holder = registry.state.holders.get(email);
  if (holder !== undefined && holder !== userId) {
    const held = await loadAggregate(bus.store, aggregates.users, userStream(holder));
    if (held.state.exists) return left({ code: 'EMAIL_TAKEN', message: `${email} already belongs to user ${holder}.`, details: { email, userId: holder } });
    userId = holder;
  }
  const invited = { ...parsed.data, data: { ...parsed.data.data, userId } };
  // The address claimed in the registry, then the invitation recorded in the user's stream.
  return pipe(
    () =>
      handleContended(
        bus.store,
        aggregates.emailRegistry,
        { type: 'ClaimEmail', data: { email, userId, claimedAt: parsed.data.data.invitedAt } },
        { ...context, commandId: `${context.commandId}:email`, causationId: context.causationId ?? context.commandId },
      ),
    TE.flatMap(() => () => handleCommand(bus.store, aggregates.users, invited, context)),
  )();
};

/** A dealer user's partner must exist and not be terminated. */
const partnerCanHaveUsers = async (bus: Parameters<ApplicationService>[2], partnerId: string | undefined) => {
  if (!partnerId) return undefined;
  const { state: partner } = await loadAggregate(bus.store, aggregates.partners, partnerStream(partnerId));
  if (!partner.exists) return left({ code: 'PARTNER_NOT_FOUND', message: `Partner ${partnerId} does not exist.`, details: { partnerId } });
  if (partner.status === 'terminated')
    return left({ code: 'PARTNER_TERMINATED', message: `Partner ${partnerId} is terminated; it can have no new users.`, details: { partnerId } });
  return undefined;
};

const changeUserRole: ApplicationService = async (command, context, bus) => {
  const parsed = ChangeUserRole.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const partnerRefusal = await partnerCanHaveUsers(bus, parsed.data.data.partnerId);
  if (partnerRefusal) return partnerRefusal;
  return handleCommand(bus.store, aggregates.users, parsed.data, context);
};

export const userServices = [
  ['InviteUser', inviteUser],
  ['ChangeUserRole', changeUserRole],
] as const;
