import { randomBytes } from 'node:crypto';
import type { Actor, ExistingUser, SessionEndReason } from '@dms/domain';
import { CredentialStore, type DmsRuntime } from '@dms/projections';
import type { z } from 'zod';
import { domainProblem, HttpProblem, problem } from '../problems';
import { AccessState } from './access-state';
import { InvalidToken, type JwtConfig, verifyJwt } from './jwt';
import { hashSecret, parseApiKey, secretMatches } from './keys';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParameters, verifyPassword } from './passwords';
import {
  csrfTokenFor,
  DEFAULT_SESSION_SETTINGS,
  FailureLimiter,
  newSessionCredentials,
  parseSessionCookie,
  type SessionSettings,
  sameDigest,
} from './sessions';

export interface IdentityOptions {
  readonly jwt?: JwtConfig | undefined;
  readonly sessions?: Partial<SessionSettings> | undefined;
  /** How old authentication's view of a key, user, session or partner may be when another process changed it. Default 1000 ms. */
  readonly maxStalenessMs?: number | undefined;
  /** scrypt cost; tests lower it. Default `DEFAULT_SCRYPT`. */
  readonly scrypt?: ScryptParameters | undefined;
  /** Failed sign-ins allowed per account per 15 minutes before 429. Default 5. */
  readonly failuresPerAccount?: number | undefined;
  /** Failed sign-ins allowed per client address per 15 minutes before 429. Default 50. */
  readonly failuresPerAddress?: number | undefined;
}

/** A signed-in browser's session, as the routes need it. */
export interface SessionInfo {
  readonly sessionId: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface Caller {
  readonly principal: Actor;
  readonly session?: SessionInfo | undefined;
  readonly user?: ExistingUser | undefined;
}

export const unauthenticated = (detail: string) => new HttpProblem(problem(401, 'UNAUTHENTICATED', detail));
const invalidCredentials = () => new HttpProblem(problem(401, 'INVALID_CREDENTIALS', 'The e-mail address or the password is wrong.'));

export const principalOfUser = (user: ExistingUser): Actor => ({
  id: `user:${user.userId}`,
  role: user.role,
  ...(user.partnerId ? { partnerId: user.partnerId } : {}),
});

export type UserJson = { userId: string; email: string | null; name: string; role: ExistingUser['role']; partnerId?: string | undefined };
export const userJson = (user: ExistingUser): UserJson => ({
  userId: user.userId,
  email: user.email,
  name: user.name,
  role: user.role,
  ...(user.partnerId ? { partnerId: user.partnerId } : {}),
});

const WINDOW_MS = 15 * 60 * 1000;

/**
 * Who is calling, decided from the streams that grant access (see `AccessState`): API keys, JWTs from the identity
 * provider, and the sessions of people who signed in with a password. Also signs people in and out.
 */
export class Authenticator {
  readonly state: AccessState;
  readonly credentials: CredentialStore;
  readonly sessions: SessionSettings;
  readonly #scrypt: ScryptParameters;
  readonly #byAccount: FailureLimiter;
  readonly #byAddress: FailureLimiter;
  /** Last request per session in this process, and when it was last written to `session_activity`. */
  readonly #activity = new Map<string, { seen: number; written: number }>();
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly runtime: DmsRuntime,
    private readonly options: IdentityOptions,
    private readonly now: () => Date,
  ) {
    this.state = new AccessState(runtime.store, runtime.bus, options.maxStalenessMs ?? 1000);
    this.credentials = new CredentialStore(runtime.runner.db);
    this.sessions = { ...DEFAULT_SESSION_SETTINGS, ...options.sessions };
    this.#scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    this.#byAccount = new FailureLimiter(options.failuresPerAccount ?? 5, WINDOW_MS);
    this.#byAddress = new FailureLimiter(options.failuresPerAddress ?? 50, WINDOW_MS);
  }

  close(): void {
    this.state.close();
  }

  /** `Authorization: Bearer ...`: an API key, or a JWT when one is configured. */
  async bearer(token: string): Promise<Caller> {
    const apiKey = parseApiKey(token);
    if (apiKey) {
      const key = await this.state.apiKey(apiKey.keyId);
      if (!key.exists || key.revoked || !secretMatches(apiKey.secret, key.secretHash)) throw unauthenticated('The API key is unknown or revoked.');
      return this.#withPartner({ principal: { id: `key:${key.keyId}`, role: key.role, ...(key.partnerId ? { partnerId: key.partnerId } : {}) } });
    }
    const jwt = this.options.jwt;
    if (jwt && (jwt.hs256Secret || jwt.rs256PublicKey) && token.split('.').length === 3) {
      try {
        return this.#withPartner({ principal: verifyJwt(token, jwt, Math.floor(this.now().getTime() / 1000)) });
      } catch (error) {
        if (error instanceof InvalidToken) throw unauthenticated(`The token was not accepted: ${error.message}.`);
        throw error;
      }
    }
    throw unauthenticated('The bearer token is neither a DMS API key nor an accepted JWT.');
  }

  /** The session cookie: valid, not ended, not expired (absolute or idle), its user active and signed in since the last password change. */
  async session(cookie: string): Promise<Caller> {
    const parsed = parseSessionCookie(cookie);
    if (!parsed) throw unauthenticated('The session cookie is not valid: sign in again.');
    const session = await this.state.session(parsed.sessionId);
    if (!session.exists || session.ended || !sameDigest(hashSecret(parsed.secret), session.secretHash))
      throw unauthenticated('The session has ended: sign in again.');
    const now = this.now().getTime();
    if (now >= Date.parse(session.expiresAt)) throw unauthenticated('The session has expired: sign in again.');
    await this.#checkIdle(session.sessionId, Date.parse(session.startedAt), session.idleTimeoutSeconds, now);
    const user = await this.state.user(session.userId);
    if (!user.exists || !user.activated) throw unauthenticated('The session has ended: sign in again.');
    if (user.suspended) throw unauthenticated('This user is suspended.');
    if (user.sessionsValidFrom && session.startedAt < user.sessionsValidFrom)
      throw unauthenticated('The password was changed or the user suspended since this session began: sign in again.');
    return this.#withPartner({
      principal: principalOfUser(user),
      user,
      session: { sessionId: session.sessionId, userId: user.userId, csrfToken: csrfTokenFor(parsed.secret), expiresAt: session.expiresAt },
    });
  }

  /**
   * A dealer principal works only with its partner, and only while that partner is active: suspending the partner stops its
   * keys, users and tokens at once. A dealer with no partner (a user whose role was changed to dealer by hand, say) could
   * only be confined to nothing, so it is refused here rather than by each query.
   */
  async #withPartner(caller: Caller): Promise<Caller> {
    const { principal } = caller;
    if (principal.role === 'dealer' && !principal.partnerId) throw unauthenticated("A dealer's credentials must name its dealer (partner); these name none.");
    if (principal.role === 'dealer' && principal.partnerId) {
      const partner = await this.state.partner(principal.partnerId);
      if (partner.exists && partner.status !== 'active')
        throw unauthenticated(`Partner ${principal.partnerId} is ${partner.status}: its dealer keys and users are refused until it is reactivated.`);
    }
    return caller;
  }

  async #checkIdle(sessionId: string, startedAt: number, idleSeconds: number, now: number): Promise<void> {
    const idleMs = idleSeconds * 1000;
    const known = this.#activity.get(sessionId);
    let seen = known?.seen ?? startedAt;
    if (now - seen > idleMs) {
      // Another process may have seen it more recently.
      const stored = await this.credentials.lastSeen(sessionId);
      if (stored) seen = Math.max(seen, stored.getTime());
    }
    if (now - seen > idleMs) {
      this.#activity.delete(sessionId);
      throw unauthenticated(`The session ended after ${Math.round(idleSeconds / 60)} minutes without activity: sign in again.`);
    }
    let written = known?.written ?? 0;
    if (now - written >= 60_000) {
      await this.credentials.touch(sessionId, new Date(now));
      written = now;
    }
    if (this.#activity.size > 100_000) this.#activity.clear();
    this.#activity.set(sessionId, { seen: now, written });
  }

  /** The user with this e-mail address and password, or 401 INVALID_CREDENTIALS; failures are rate-limited per account and per address. */
  async verifyPassword(email: string, password: string, address: string): Promise<ExistingUser> {
    const now = this.now().getTime();
    const blocked = Math.max(this.#byAccount.blockedFor(email, now), this.#byAddress.blockedFor(address, now));
    if (blocked > 0) throw rateLimited(blocked);
    const userId = await this.state.userIdOf(email);
    const user = userId ? await this.state.user(userId, true) : undefined;
    const stored = user?.exists && user.credentialId ? await this.credentials.hashOf(user.credentialId) : undefined;
    // The same work whether or not the address is known, so timing tells nothing.
    const matches = await verifyPassword(password, stored ?? (await this.#dummy()));
    if (!matches || !stored || !user?.exists) {
      this.#byAccount.fail(email, now);
      this.#byAddress.fail(address, now);
      throw invalidCredentials();
    }
    this.#byAccount.clear(email);
    return user;
  }

  /** Checks e-mail and password, then that the user (and a dealer's partner) is active, and starts a session. */
  async signIn(email: string, password: string, address: string): Promise<{ user: ExistingUser; cookie: string; session: SessionInfo }> {
    const user = await this.verifyPassword(email, password, address);
    if (user.suspended) throw new HttpProblem(problem(403, 'USER_SUSPENDED', 'This user is suspended: ask an administrator to reactivate it.'));
    await this.#withPartner({ principal: principalOfUser(user) }).catch((error) => {
      if (!(error instanceof HttpProblem)) throw error;
      if (!user.partnerId)
        throw new HttpProblem(problem(403, 'DEALER_WITHOUT_PARTNER', 'This dealer user names no dealer: ask an administrator to link it to one.'));
      throw new HttpProblem(problem(403, 'PARTNER_SUSPENDED', `Partner ${user.partnerId} is not active: its users cannot sign in until it is reactivated.`));
    });
    return { user, ...(await this.startSession(user)) };
  }

  async startSession(user: ExistingUser): Promise<{ cookie: string; session: SessionInfo }> {
    const { sessionId, secret, cookie } = newSessionCredentials();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.sessions.lifetimeSeconds * 1000).toISOString();
    const result = await this.runtime.bus.execute(
      {
        type: 'StartSession',
        data: {
          sessionId,
          userId: user.userId,
          secretHash: hashSecret(secret),
          startedAt: now.toISOString(),
          expiresAt,
          idleTimeoutSeconds: this.sessions.idleTimeoutSeconds,
        },
      },
      { commandId: `session-${sessionId}`, actor: principalOfUser(user) },
    );
    if (result._tag === 'Left') throw new HttpProblem(domainProblem(result.left));
    this.#activity.set(sessionId, { seen: now.getTime(), written: 0 });
    return { cookie, session: { sessionId, userId: user.userId, csrfToken: csrfTokenFor(secret), expiresAt } };
  }

  async endSession(sessionId: string, reason: z.infer<typeof SessionEndReason>, actor: Actor): Promise<void> {
    const result = await this.runtime.bus.execute(
      { type: 'EndSession', data: { sessionId, reason, endedAt: this.now().toISOString() } },
      { commandId: `end-session-${sessionId}`, actor },
    );
    if (result._tag === 'Left' && result.left.code !== 'SESSION_NOT_FOUND') throw new HttpProblem(domainProblem(result.left));
    this.#activity.delete(sessionId);
    await this.credentials.forgetSession(sessionId);
  }

  /** Hashes a new password and stores it under a fresh credential id, for the event that will name it. */
  async storePassword(userId: string, password: string): Promise<string> {
    const credentialId = randomBytes(16).toString('hex');
    await this.credentials.save(credentialId, userId, await hashPassword(password, this.#scrypt));
    return credentialId;
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.#scrypt);
    return this.#dummyHash;
  }
}

export const rateLimited = (seconds: number) =>
  new HttpProblem(problem(429, 'RATE_LIMITED', `Too many failed sign-ins; try again in ${seconds} s.`, { details: { retryAfterSeconds: seconds } }));

/** A one-time link token: `<userId>.<secret>`; the user's stream holds sha256(secret). */
export const newLinkToken = (userId: string) => {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${userId}.${secret}`, tokenHash: hashSecret(secret), invitationId: randomBytes(12).toString('hex') };
};

export const parseLinkToken = (token: string): { userId: string; tokenHash: string } | undefined => {
  const m = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { userId: m[1]!, tokenHash: hashSecret(m[2]!) } : undefined;
};
