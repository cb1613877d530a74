import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { RegionId } from '../partners/commands';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime, Role } from '../shared/ids';
import { NonEmptyText } from '../shared/text';
import { Sha256Hex } from './api-keys';

/**
 * People who sign in (`user-<userId>`): invited by an admin with a one-time link, activated when they set a password,
 * suspended and reactivated. The stream records facts only: a password is referred to by a random credential id, its
 * hash lives outside the event log (see docs/security.md), and a link's token appears only as its SHA-256 digest.
 * E-mail addresses are unique across users through the e-mail registry (`email-registry.ts`), claimed first.
 */

/** A lower-case e-mail address (callers normalise with `normaliseEmail`). */
export const Email = z
  .email({ error: 'must be an e-mail address like name@example.com' })
  .max(254)
  .refine((e) => e === e.toLowerCase(), 'must be in lower case');
export type Email = z.infer<typeof Email>;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const UserRole = Role.exclude(['system']);

/** A one-time link: an invitation, or (for an active user) a link to set a new password. */
const Link = z.strictObject({ invitationId: Id, tokenHash: Sha256Hex, expiresAt: IsoDateTime });

export const InviteUser = z.strictObject({
  type: z.literal('InviteUser'),
  data: z.strictObject({
    userId: Id,
    email: Email,
    name: NonEmptyText(120),
    role: UserRole,
    partnerId: Id.optional(),
    ...Link.shape,
    invitedAt: IsoDateTime,
  }),
});

/** A fresh link: for an invited user whose link expired or was lost, or for an active user who must set a new password. */
export const RenewInvitation = z.strictObject({
  type: z.literal('RenewInvitation'),
  data: z.strictObject({ userId: Id, ...Link.shape, renewedAt: IsoDateTime }),
});

/** The person behind the link sets a password: an invited user becomes active; an active one has a new password. */
export const AcceptInvitation = z.strictObject({
  type: z.literal('AcceptInvitation'),
  data: z.strictObject({
    userId: Id,
    invitationId: Id,
    tokenHash: Sha256Hex,
    name: NonEmptyText(120).optional(),
    credentialId: Id,
    acceptedAt: IsoDateTime,
  }),
});

export const ChangePassword = z.strictObject({
  type: z.literal('ChangePassword'),
  data: z.strictObject({ userId: Id, credentialId: Id, changedAt: IsoDateTime }),
});

export const SuspendUser = z.strictObject({
  type: z.literal('SuspendUser'),
  data: z.strictObject({ userId: Id, reason: NonEmptyText(500), suspendedAt: IsoDateTime }),
});

/** Another role (and for a dealer, the partner): takes effect at the user's next request, in every session. */
export const ChangeUserRole = z.strictObject({
  type: z.literal('ChangeUserRole'),
  data: z.strictObject({ userId: Id, role: UserRole, partnerId: Id.optional(), reason: NonEmptyText(500).optional(), changedAt: IsoDateTime }),
});

/** The regions a salesperson owns (replacing the ones before; none to own none): their region's notifications reach them. */
export const AssignUserRegions = z.strictObject({
  type: z.literal('AssignUserRegions'),
  data: z.strictObject({
    userId: Id,
    regions: z
      .array(RegionId)
      .max(50)
      .refine((r) => new Set(r).size === r.length, 'each region may appear only once'),
    assignedAt: IsoDateTime,
  }),
});

export const ReactivateUser = z.strictObject({
  type: z.literal('ReactivateUser'),
  data: z.strictObject({ userId: Id, reactivatedAt: IsoDateTime }),
});

export const UserCommand = z.discriminatedUnion('type', [
  InviteUser,
  RenewInvitation,
  AcceptInvitation,
  ChangePassword,
  ChangeUserRole,
  AssignUserRegions,
  SuspendUser,
  ReactivateUser,
]);
export type UserCommand = z.infer<typeof UserCommand>;

export const UserInvited = z.object({
  type: z.literal('UserInvited'),
  data: z.object({
    userId: Id,
    email: z.string(),
    name: z.string(),
    role: UserRole,
    partnerId: Id.optional(),
    invitationId: Id,
    tokenHash: Sha256Hex,
    expiresAt: IsoDateTime,
    invitedAt: IsoDateTime,
  }),
});
export const InvitationRenewed = z.object({
  type: z.literal('InvitationRenewed'),
  data: z.object({ userId: Id, invitationId: Id, tokenHash: Sha256Hex, expiresAt: IsoDateTime, renewedAt: IsoDateTime }),
});
export const UserActivated = z.object({
  type: z.literal('UserActivated'),
  data: z.object({ userId: Id, invitationId: Id, name: z.string(), credentialId: Id, activatedAt: IsoDateTime }),
});
export const PasswordChanged = z.object({
  type: z.literal('PasswordChanged'),
  data: z.object({
    userId: Id,
    credentialId: Id,
    /** `self`: the user changed it, knowing the old one; `link`: set through a one-time link an admin issued. */
    via: z.enum(['self', 'link']),
    invitationId: Id.optional(),
    changedAt: IsoDateTime,
  }),
});
export const UserRoleChanged = z.object({
  type: z.literal('UserRoleChanged'),
  data: z.object({
    userId: Id,
    from: UserRole,
    to: UserRole,
    fromPartnerId: Id.optional(),
    partnerId: Id.optional(),
    reason: z.string().optional(),
    changedAt: IsoDateTime,
  }),
});
export const UserRegionsAssigned = z.object({
  type: z.literal('UserRegionsAssigned'),
  data: z.object({ userId: Id, regions: z.array(z.string()), assignedAt: IsoDateTime }),
});
export const UserSuspended = z.object({
  type: z.literal('UserSuspended'),
  data: z.object({ userId: Id, reason: z.string(), suspendedAt: IsoDateTime }),
});
export const UserReactivated = z.object({
  type: z.literal('UserReactivated'),
  data: z.object({ userId: Id, reactivatedAt: IsoDateTime }),
});

export const UserEvent = z.discriminatedUnion('type', [
  UserInvited,
  InvitationRenewed,
  UserActivated,
  PasswordChanged,
  UserRoleChanged,
  UserRegionsAssigned,
  UserSuspended,
  UserReactivated,
]);
export type UserEvent = z.infer<typeof UserEvent>;

export interface ExistingUser {
  readonly exists: true;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: z.infer<typeof UserRole>;
  readonly partnerId?: string | undefined;
  /** The regions a salesperson owns, sorted (they count only while the user's role is sales; any user's can be cleared). */
  readonly regions: readonly string[];
  /** Has set a password at least once. */
  readonly activated: boolean;
  readonly suspended: boolean;
  /** The one link that may still be used, if any. */
  readonly link?: z.infer<typeof Link> | undefined;
  /** The current password's credential id. */
  readonly credentialId?: string | undefined;
  /** Sessions started before this are no longer valid: the last password change or suspension. */
  readonly sessionsValidFrom?: string | undefined;
}
export type UserState = { readonly exists: false } | ExistingUser;

export const userStream = (userId: string): string => `user-${userId}`;

export const evolveUser = (state: UserState, event: UserEvent): UserState => {
  if (event.type === 'UserInvited') {
    const { userId, email, name, role, partnerId, invitationId, tokenHash, expiresAt } = event.data;
    return {
      exists: true,
      userId,
      email,
      name,
      role,
      partnerId,
      regions: [],
      activated: false,
      suspended: false,
      link: { invitationId, tokenHash, expiresAt },
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'InvitationRenewed': {
      const { invitationId, tokenHash, expiresAt } = event.data;
      return { ...state, link: { invitationId, tokenHash, expiresAt } };
    }
    case 'UserActivated':
      return {
        ...state,
        name: event.data.name,
        activated: true,
        link: undefined,
        credentialId: event.data.credentialId,
        sessionsValidFrom: event.data.activatedAt,
      };
    case 'PasswordChanged':
      return { ...state, link: undefined, credentialId: event.data.credentialId, sessionsValidFrom: event.data.changedAt };
    case 'UserRoleChanged':
      return { ...state, role: event.data.to, partnerId: event.data.partnerId };
    case 'UserRegionsAssigned':
      return { ...state, regions: event.data.regions };
    case 'UserSuspended':
      return { ...state, suspended: true, sessionsValidFrom: event.data.suspendedAt };
    case 'UserReactivated':
      return { ...state, suspended: false };
  }
};

/** A dealer user belongs to one partner; staff to none. */
const partnerBinding = (userId: string, role: string, partnerId: string | undefined): Either<DomainError, never> | undefined => {
  if (role === 'dealer' && !partnerId)
    return refuse('DEALER_USER_NEEDS_PARTNER', 'A dealer user must belong to the partner it buys for: name the partner.', { userId });
  if (role !== 'dealer' && partnerId)
    return refuse('STAFF_USER_WITH_PARTNER', `A ${role} user works for the manufacturer and cannot belong to partner ${partnerId}.`, { userId, role });
  return undefined;
};

const notFound = (userId: string) => refuse('USER_NOT_FOUND', `There is no user ${userId}.`, { userId });

export const decideUser = (command: UserCommand, state: UserState): Either<DomainError, readonly UserEvent[]> => {
  const { userId } = command.data;
  if (command.type === 'InviteUser') {
    if (state.exists) return refuse('USER_ALREADY_EXISTS', `User ${userId} already exists.`, { userId });
    const { role, partnerId, invitedAt, expiresAt } = command.data;
    const binding = partnerBinding(userId, role, partnerId);
    if (binding) return binding;
    if (expiresAt <= invitedAt) return refuse('INVALID_EXPIRY', 'An invitation must expire after it is issued.', { userId, expiresAt });
    return right([{ type: 'UserInvited', data: command.data }]);
  }
  if (!state.exists) return notFound(userId);
  switch (command.type) {
    case 'RenewInvitation': {
      if (command.data.expiresAt <= command.data.renewedAt) return refuse('INVALID_EXPIRY', 'A link must expire after it is issued.', { userId });
      if (state.suspended) return refuse('USER_SUSPENDED', `User ${userId} is suspended: reactivate the user first.`, { userId });
      return right([{ type: 'InvitationRenewed', data: command.data }]);
    }
    case 'AcceptInvitation': {
      const { invitationId, tokenHash, credentialId, acceptedAt, name } = command.data;
      const link = state.link;
      if (!link || link.invitationId !== invitationId || link.tokenHash !== tokenHash)
        return refuse('INVITATION_INVALID', 'This link is not valid (it was used already, or replaced by a newer one): ask an administrator for a new one.', {
          userId,
        });
      if (acceptedAt >= link.expiresAt)
        return refuse('INVITATION_EXPIRED', `This link expired at ${link.expiresAt}: ask an administrator for a new one.`, {
          userId,
          expiresAt: link.expiresAt,
        });
      if (state.suspended) return refuse('USER_SUSPENDED', `User ${userId} is suspended.`, { userId });
      if (!state.activated)
        return right([{ type: 'UserActivated', data: { userId, invitationId, name: name ?? state.name, credentialId, activatedAt: acceptedAt } }]);
      return right([{ type: 'PasswordChanged', data: { userId, credentialId, via: 'link', invitationId, changedAt: acceptedAt } }]);
    }
    case 'ChangePassword': {
      if (!state.activated) return refuse('USER_NOT_ACTIVE', `User ${userId} has not accepted the invitation yet.`, { userId });
      if (state.suspended) return refuse('USER_SUSPENDED', `User ${userId} is suspended.`, { userId });
      const { credentialId, changedAt } = command.data;
      return right([{ type: 'PasswordChanged', data: { userId, credentialId, via: 'self', changedAt } }]);
    }
    case 'ChangeUserRole': {
      const { role, partnerId, reason, changedAt } = command.data;
      const binding = partnerBinding(userId, role, partnerId);
      if (binding) return binding;
      if (role === state.role && partnerId === state.partnerId) return right([]);
      return right([
        {
          type: 'UserRoleChanged',
          data: {
            userId,
            from: state.role,
            to: role,
            ...(state.partnerId ? { fromPartnerId: state.partnerId } : {}),
            ...(partnerId ? { partnerId } : {}),
            ...(reason ? { reason } : {}),
            changedAt,
          },
        },
      ]);
    }
    case 'AssignUserRegions': {
      // Anyone may be left with none: a salesperson who moved to another role keeps their regions until cleared.
      if (state.role !== 'sales' && command.data.regions.length > 0)
        return refuse('REGIONS_ONLY_FOR_SALES', `User ${userId} is ${state.role}: only a sales user owns regions (change the role first).`, {
          userId,
          role: state.role,
        });
      const regions = [...command.data.regions].sort();
      if (regions.length === state.regions.length && regions.every((r, i) => r === state.regions[i])) return right([]);
      return right([{ type: 'UserRegionsAssigned', data: { userId, regions, assignedAt: command.data.assignedAt } }]);
    }
    case 'SuspendUser':
      if (state.suspended) return refuse('USER_ALREADY_SUSPENDED', `User ${userId} is already suspended.`, { userId });
      return right([{ type: 'UserSuspended', data: command.data }]);
    case 'ReactivateUser':
      if (!state.suspended) return refuse('USER_NOT_SUSPENDED', `User ${userId} is not suspended.`, { userId });
      return right([{ type: 'UserReactivated', data: command.data }]);
  }
};

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { exists: false },
  decide: decideUser,
  evolve: evolveUser,
};
