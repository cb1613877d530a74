import { describe, it } from 'vitest';
import { given } from '../testing';
import { emailRegistryDecider } from './email-registry';
import { sessionDecider } from './sessions';
import { type UserEvent, userDecider } from './users';

const hash = (c: string) => c.repeat(64);
const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`;
const invited = (role: 'sales' | 'dealer' = 'sales', partnerId?: string): UserEvent => ({
  type: 'UserInvited',
  data: {
    userId: 'u1',
    email: 'mia@example.com',
    name: 'Mia',
    role,
    ...(partnerId ? { partnerId } : {}),
    invitationId: 'i1',
    tokenHash: hash('a'),
    expiresAt: at(59),
    invitedAt: at(0),
  },
});
const activated: UserEvent = { type: 'UserActivated', data: { userId: 'u1', invitationId: 'i1', name: 'Mia', credentialId: 'c1', activatedAt: at(5) } };
const accept = (minute: number, tokenHash = hash('a'), invitationId = 'i1') => ({
  type: 'AcceptInvitation' as const,
  data: { userId: 'u1', invitationId, tokenHash, credentialId: 'c1', acceptedAt: at(minute) },
});

describe('users', () => {
  const user = given(userDecider);

  it('invites a person, with the link’s hash only', () => {
    const { data } = invited() as Extract<UserEvent, { type: 'UserInvited' }>;
    user()
      .when({ type: 'InviteUser', data: { ...data, role: 'sales' } })
      .then(invited());
  });

  it('binds a dealer user to its partner, and no staff user to one', () => {
    const { data } = invited() as Extract<UserEvent, { type: 'UserInvited' }>;
    user()
      .when({ type: 'InviteUser', data: { ...data, role: 'dealer' } })
      .thenRefuses('DEALER_USER_NEEDS_PARTNER');
    user()
      .when({ type: 'InviteUser', data: { ...data, role: 'sales', partnerId: 'acme' } })
      .thenRefuses('STAFF_USER_WITH_PARTNER');
    user(invited())
      .when({ type: 'InviteUser', data: { ...data, role: 'sales' } })
      .thenRefuses('USER_ALREADY_EXISTS');
  });

  it('activates the user when the invitation is accepted in time, with the right token, once', () => {
    user(invited()).when(accept(5)).then(activated);
    user(invited())
      .when(accept(5, hash('b')))
      .thenRefuses('INVITATION_INVALID');
    user(invited()).when(accept(59)).thenRefuses('INVITATION_EXPIRED');
    user(invited(), activated).when(accept(6)).thenRefuses('INVITATION_INVALID');
  });

  it('replaces the link when renewed, and a renewed link for an active user sets a new password', () => {
    const renewed: UserEvent = {
      type: 'InvitationRenewed',
      data: { userId: 'u1', invitationId: 'i2', tokenHash: hash('b'), expiresAt: at(59), renewedAt: at(10) },
    };
    user(invited(), renewed).when(accept(11)).thenRefuses('INVITATION_INVALID');
    user(invited(), activated, renewed)
      .when(accept(11, hash('b'), 'i2'))
      .then({ type: 'PasswordChanged', data: { userId: 'u1', credentialId: 'c1', via: 'link', invitationId: 'i2', changedAt: at(11) } });
  });

  it('suspends and reactivates; a suspended user cannot accept a link or change the password', () => {
    const suspended: UserEvent = { type: 'UserSuspended', data: { userId: 'u1', reason: 'left', suspendedAt: at(20) } };
    user(invited(), activated)
      .when({ type: 'SuspendUser', data: { userId: 'u1', reason: 'left', suspendedAt: at(20) } })
      .then(suspended);
    user(invited(), activated, suspended)
      .when({ type: 'SuspendUser', data: { userId: 'u1', reason: 'again', suspendedAt: at(21) } })
      .thenRefuses('USER_ALREADY_SUSPENDED');
    user(invited(), suspended).when(accept(21)).thenRefuses('USER_SUSPENDED');
    user(invited(), activated, suspended)
      .when({ type: 'ChangePassword', data: { userId: 'u1', credentialId: 'c2', changedAt: at(21) } })
      .thenRefuses('USER_SUSPENDED');
    user(invited(), activated, suspended)
      .when({ type: 'ReactivateUser', data: { userId: 'u1', reactivatedAt: at(30) } })
      .then({ type: 'UserReactivated', data: { userId: 'u1', reactivatedAt: at(30) } });
    user(invited(), activated)
      .when({ type: 'ReactivateUser', data: { userId: 'u1', reactivatedAt: at(30) } })
      .thenRefuses('USER_NOT_SUSPENDED');
    user()
      .when({ type: 'SuspendUser', data: { userId: 'u1', reason: 'x', suspendedAt: at(1) } })
      .thenRefuses('USER_NOT_FOUND');
  });

  it('changes a user’s role, keeping a dealer bound to a partner and staff to none', () => {
    user(invited(), activated)
      .when({ type: 'ChangeUserRole', data: { userId: 'u1', role: 'dealer', partnerId: 'acme', changedAt: at(9) } })
      .then({ type: 'UserRoleChanged', data: { userId: 'u1', from: 'sales', to: 'dealer', partnerId: 'acme', changedAt: at(9) } });
    user(invited('dealer', 'acme'))
      .when({ type: 'ChangeUserRole', data: { userId: 'u1', role: 'auditor', reason: 'moved', changedAt: at(9) } })
      .then({ type: 'UserRoleChanged', data: { userId: 'u1', from: 'dealer', to: 'auditor', fromPartnerId: 'acme', reason: 'moved', changedAt: at(9) } });
    user(invited())
      .when({ type: 'ChangeUserRole', data: { userId: 'u1', role: 'sales', changedAt: at(9) } })
      .then();
    user(invited())
      .when({ type: 'ChangeUserRole', data: { userId: 'u1', role: 'dealer', changedAt: at(9) } })
      .thenRefuses('DEALER_USER_NEEDS_PARTNER');
    user(invited())
      .when({ type: 'ChangeUserRole', data: { userId: 'u1', role: 'admin', partnerId: 'acme', changedAt: at(9) } })
      .thenRefuses('STAFF_USER_WITH_PARTNER');
    user()
      .when({ type: 'ChangeUserRole', data: { userId: 'u1', role: 'admin', changedAt: at(9) } })
      .thenRefuses('USER_NOT_FOUND');
  });

  it('assigns a salesperson regions (sorted, replacing the earlier ones), and refuses them to any other role', () => {
    const assign = (regions: string[]) => ({ type: 'AssignUserRegions' as const, data: { userId: 'u1', regions, assignedAt: at(7) } });
    const assigned = (regions: string[]): UserEvent => ({ type: 'UserRegionsAssigned', data: { userId: 'u1', regions, assignedAt: at(7) } });
    user(invited(), activated)
      .when(assign(['south', 'north']))
      .then(assigned(['north', 'south']));
    user(invited(), activated, assigned(['north', 'south']))
      .when(assign(['south', 'north']))
      .then();
    user(invited(), activated, assigned(['north']))
      .when(assign([]))
      .then(assigned([]));
    user(invited('dealer', 'acme'))
      .when(assign(['north']))
      .thenRefuses('REGIONS_ONLY_FOR_SALES');
    // A salesperson who moved to another role keeps their regions (which count no more) until they are cleared.
    const moved: UserEvent = { type: 'UserRoleChanged', data: { userId: 'u1', from: 'sales', to: 'finance', changedAt: at(8) } };
    user(invited(), activated, assigned(['north']), moved)
      .when(assign([]))
      .then(assigned([]));
    user()
      .when(assign(['north']))
      .thenRefuses('USER_NOT_FOUND');
  });

  it('changes the password of an active user only', () => {
    user(invited())
      .when({ type: 'ChangePassword', data: { userId: 'u1', credentialId: 'c2', changedAt: at(9) } })
      .thenRefuses('USER_NOT_ACTIVE');
    user(invited(), activated)
      .when({ type: 'ChangePassword', data: { userId: 'u1', credentialId: 'c2', changedAt: at(9) } })
      .then({ type: 'PasswordChanged', data: { userId: 'u1', credentialId: 'c2', via: 'self', changedAt: at(9) } });
  });
});

describe('the e-mail registry', () => {
  const registry = given(emailRegistryDecider);
  const claimed = { type: 'EmailClaimed' as const, data: { email: 'mia@example.com', userId: 'u1', claimedAt: at(0) } };

  it('gives each address to one user; the same claim again changes nothing', () => {
    registry().when({ type: 'ClaimEmail', data: claimed.data }).then(claimed);
    registry(claimed).when({ type: 'ClaimEmail', data: claimed.data }).then();
    registry(claimed)
      .when({ type: 'ClaimEmail', data: { ...claimed.data, userId: 'u2' } })
      .thenRefuses('EMAIL_TAKEN');
  });
});

describe('sessions', () => {
  const session = given(sessionDecider);
  const started = {
    type: 'SessionStarted' as const,
    data: { sessionId: 's1', userId: 'u1', secretHash: hash('c'), startedAt: at(0), expiresAt: at(59), idleTimeoutSeconds: 1800 },
  };

  it('starts once, ends once (a second sign-out records nothing)', () => {
    session().when({ type: 'StartSession', data: started.data }).then(started);
    session(started).when({ type: 'StartSession', data: started.data }).thenRefuses('SESSION_ALREADY_EXISTS');
    session()
      .when({ type: 'StartSession', data: { ...started.data, expiresAt: at(0) } })
      .thenRefuses('INVALID_EXPIRY');
    const ended = { type: 'SessionEnded' as const, data: { sessionId: 's1', reason: 'signed-out' as const, endedAt: at(5) } };
    session(started).when({ type: 'EndSession', data: ended.data }).then(ended);
    session(started, ended).when({ type: 'EndSession', data: ended.data }).then();
    session().when({ type: 'EndSession', data: ended.data }).thenRefuses('SESSION_NOT_FOUND');
  });
});
