import type { CommandBus } from '@dms/app';
import { type Actor, aggregates, EMAIL_REGISTRY_STREAM, normaliseEmail, userStream } from '@dms/domain';
import { type CommandAccepted, type CommandContext, loadAggregate, newId } from '@dms/eventstore';
import { CredentialStore, type DmsRuntime } from '@dms/projections';
import { orRefuse } from '../context';
import { newLinkToken, parseLinkToken } from './authenticator';
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, type ScryptParameters } from './passwords';

/** How long an invitation or password link stays usable. */
export const LINK_LIFETIME_DAYS = 7;

/** Where a link takes a person, relative to the web application. */
export const acceptUrl = (token: string) => `/accept-invitation?token=${encodeURIComponent(token)}`;

export interface InvitationSpec {
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'sales' | 'finance' | 'auditor' | 'dealer';
  readonly partnerId?: string | undefined;
}

export interface IssuedLink {
  readonly result: CommandAccepted;
  readonly userId: string;
  readonly invitationId: string;
  /** The one-time token: shown once. */
  readonly token: string;
  readonly acceptUrl: string;
  readonly expiresAt: string;
}

const expiry = (at: Date) => new Date(at.getTime() + LINK_LIFETIME_DAYS * 86_400_000).toISOString();

/** A fresh one-time link for a user: a new invitation if not yet accepted, or a password-reset link. */
export const renewLink = async (bus: CommandBus, userId: string, context: Omit<CommandContext, 'commandId'>, now: Date): Promise<IssuedLink> => {
  const { token, tokenHash, invitationId } = newLinkToken(userId);
  const expiresAt = expiry(now);
  const result = orRefuse(
    await bus.execute(
      { type: 'RenewInvitation', data: { userId, invitationId, tokenHash, expiresAt, renewedAt: now.toISOString() } },
      { ...context, commandId: `renew-${invitationId}` },
    ),
  );
  return { result, userId, invitationId, token, acceptUrl: acceptUrl(token), expiresAt };
};

/**
 * Invites a person by e-mail: claims the address, records the user with a one-time link, and returns the link (no mail
 * server is assumed: the console shows it, the CLI prints it). Throws an `HttpProblem` when refused.
 */
export const inviteUser = async (bus: CommandBus, spec: InvitationSpec, context: Omit<CommandContext, 'commandId'>, now: Date): Promise<IssuedLink> => {
  const userId = newId();
  const { token, tokenHash, invitationId } = newLinkToken(userId);
  const expiresAt = expiry(now);
  const data = {
    userId,
    email: normaliseEmail(spec.email),
    name: spec.name,
    role: spec.role,
    ...(spec.partnerId ? { partnerId: spec.partnerId } : {}),
    invitationId,
    tokenHash,
    expiresAt,
    invitedAt: now.toISOString(),
  };
  const result = orRefuse(await bus.execute({ type: 'InviteUser', data }, { ...context, commandId: `invite-${invitationId}` }));
  // An invitation a crash left half done is completed under its earlier user id: that user gets a fresh link.
  const invited = result.streamId.slice('user-'.length);
  if (invited !== userId) return renewLink(bus, invited, context, now);
  return { result, userId, invitationId, token, acceptUrl: acceptUrl(token), expiresAt };
};

/**
 * Makes sure users with these e-mail addresses exist, are active and have this password (the demo's people): invites
 * each if needed, and sets the password through a link as a person would. The password is hashed once for all of them.
 * Returns the user ids.
 */
export const provisionUsers = async (
  runtime: DmsRuntime,
  specs: readonly InvitationSpec[],
  password: string,
  actor: Actor,
  now: Date = new Date(),
  scrypt: ScryptParameters = DEFAULT_SCRYPT,
): Promise<string[]> => {
  for (const spec of specs) {
    const weak = passwordProblem(password, spec.email);
    if (weak) throw new Error(weak);
  }
  const hash = await hashPassword(password, scrypt);
  const ids = [];
  for (const spec of specs) ids.push(await provisionOne(runtime, spec, hash, actor, now));
  return ids;
};

const provisionOne = async (runtime: DmsRuntime, spec: InvitationSpec, hash: string, actor: Actor, now: Date): Promise<string> => {
  const { bus, store } = runtime;
  const registry = await loadAggregate(store, aggregates.emailRegistry, EMAIL_REGISTRY_STREAM);
  const existing = registry.state.holders.get(normaliseEmail(spec.email));
  const held = existing ? (await loadAggregate(store, aggregates.users, userStream(existing))).state : undefined;
  if (held?.exists && held.suspended) {
    orRefuse(
      await bus.execute(
        { type: 'ReactivateUser', data: { userId: held.userId, reactivatedAt: now.toISOString() } },
        { commandId: `reactivate-${newId()}`, actor },
      ),
    );
  }
  const link = held?.exists ? await renewLink(bus, held.userId, { actor }, now) : await inviteUser(bus, spec, { actor }, now);
  const credentials = new CredentialStore(runtime.runner.db);
  const credentialId = newId().replace(/-/g, '');
  await credentials.save(credentialId, link.userId, hash);
  orRefuse(
    await bus.execute(
      {
        type: 'AcceptInvitation',
        data: {
          userId: link.userId,
          invitationId: link.invitationId,
          tokenHash: parseLinkToken(link.token)!.tokenHash,
          credentialId,
          acceptedAt: now.toISOString(),
        },
      },
      { commandId: `accept-${link.invitationId}`, actor },
    ),
  );
  await credentials.prune(link.userId, credentialId);
  return link.userId;
};
