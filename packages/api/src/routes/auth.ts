import { type ExistingUser, NonEmptyText, normaliseEmail, RawText } from '@dms/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseLinkToken, principalOfUser, type SessionInfo, userJson } from '../auth/authenticator';
import { passwordProblem } from '../auth/passwords';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../auth/permissions';
import { SESSION_COOKIE, sameDigest } from '../auth/sessions';
import type { ApiOptions } from '../context';
import { domainProblem, HttpProblem, Problem, problem } from '../problems';

export const UserSummary = z
  .object({
    userId: z.string().describe('The user id; for an API key `key:<keyId>`, for a JWT `jwt:<sub>`'),
    email: z.string().nullable().describe('Null for API keys and JWTs'),
    name: z.string(),
    role: z.enum(['admin', 'sales', 'finance', 'auditor', 'dealer']),
    partnerId: z.string().optional(),
  })
  .meta({ id: 'UserSummary' });

const SignedIn = z
  .object({
    user: UserSummary,
    csrfToken: z.string().describe('Send it as x-csrf-token with every POST, PUT, PATCH and DELETE of this session'),
    expiresAt: z.string().describe('When the session ends at the latest (it also ends after a period without requests)'),
  })
  .meta({ id: 'SignedIn' });

const Me = z
  .object({
    user: UserSummary,
    csrfToken: z.string().nullable().describe('The session’s CSRF token; null for API keys and JWTs, which need none'),
    permissions: z.array(z.enum(PERMISSIONS)),
    expiresAt: z.string().nullable(),
  })
  .meta({ id: 'Me' });

const Password = RawText(1024);
const TokenParams = z.strictObject({ token: RawText(200) });

const Invitation = z
  .object({
    email: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'sales', 'finance', 'auditor', 'dealer']),
    partnerId: z.string().optional(),
    expiresAt: z.string(),
    kind: z.enum(['invitation', 'password-reset']).describe('An invitation to a new user, or a link for an existing user to set a new password'),
  })
  .meta({ id: 'Invitation' });

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 410: Problem, 429: Problem };

/**
 * People signing in (see docs/security.md): e-mail and password give a session cookie (httpOnly, SameSite=Lax, Secure over
 * TLS) and a CSRF token; sign-out ends the session; `/auth/me` says who is calling; a one-time link from an admin
 * sets the password (invitation or reset).
 */
export const authRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus } = options.runtime;
    const auth = app.authenticator;
    const now = () => (options.now ?? (() => new Date()))();

    const setCookie = (request: FastifyRequest, reply: FastifyReply, cookie: string, expiresAt: string) =>
      reply.setCookie(SESSION_COOKIE, cookie, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        path: '/',
        expires: new Date(expiresAt),
      });
    const signedIn = (user: ExistingUser, session: SessionInfo) => ({ user: userJson(user), csrfToken: session.csrfToken, expiresAt: session.expiresAt });

    /** A valid, unused, unexpired link and its user, or the problem to answer. */
    const linkOf = async (token: string) => {
      const parsed = parseLinkToken(token);
      const user = parsed ? await auth.state.user(parsed.userId, true) : undefined;
      if (!parsed || !user?.exists || !user.link || !sameDigest(parsed.tokenHash, user.link.tokenHash) || user.suspended)
        throw new HttpProblem(
          problem(404, 'INVITATION_NOT_FOUND', 'This link is not valid: it was used already or replaced. Ask an administrator for a new one.'),
        );
      if (now() >= new Date(user.link.expiresAt))
        throw new HttpProblem(problem(410, 'INVITATION_EXPIRED', `This link expired at ${user.link.expiresAt}: ask an administrator for a new one.`));
      return { user, link: user.link, tokenHash: parsed.tokenHash };
    };

    app.post(
      '/auth/sign-in',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with e-mail and password: sets the session cookie and returns the CSRF token',
          security: [],
          body: z.strictObject({ email: RawText(254), password: Password }),
          response: { 200: SignedIn, ...errors },
        },
      },
      async (request, reply) => {
        const { user, cookie, session } = await auth.signIn(normaliseEmail(request.body.email), request.body.password, request.ip);
        setCookie(request, reply, cookie, session.expiresAt);
        return signedIn(user, session);
      },
    );

    app.post(
      '/auth/sign-out',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'End the session and clear its cookie (with the session’s x-csrf-token)',
          security: [],
          response: { 204: z.null(), 403: Problem },
        },
      },
      async (request, reply) => {
        const cookie = request.cookies[SESSION_COOKIE];
        const caller = cookie ? await auth.session(cookie).catch(() => undefined) : undefined;
        if (caller?.session) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !sameDigest(sent, caller.session.csrfToken))
            throw new HttpProblem(problem(403, 'CSRF_TOKEN_INVALID', 'Send the session’s CSRF token in the x-csrf-token header to sign out.'));
          await auth.endSession(caller.session.sessionId, 'signed-out', caller.principal);
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: { permission: 'account:read' },
        schema: { tags: ['auth'], summary: 'Who is calling: the user (or key), the CSRF token and what the role may do', response: { 200: Me, 401: Problem } },
      },
      async (request) => {
        const { principal, session } = request;
        const permissions = [...new Set(ROLE_PERMISSIONS[principal.role])];
        const partner = principal.partnerId ? { partnerId: principal.partnerId } : {};
        const role = principal.role === 'system' ? 'admin' : principal.role;
        if (session) {
          const user = await auth.state.user(session.userId);
          if (user.exists) return { user: userJson(user), csrfToken: session.csrfToken, permissions, expiresAt: session.expiresAt };
        }
        const keyId = principal.id.startsWith('key:') ? principal.id.slice(4) : undefined;
        const key = keyId ? await auth.state.apiKey(keyId) : undefined;
        const name = key?.exists ? key.name : principal.id;
        return { user: { userId: principal.id, email: null, name, role, ...partner }, csrfToken: null, permissions, expiresAt: null };
      },
    );

    app.post(
      '/auth/password',
      {
        config: { permission: 'account:write' },
        schema: {
          tags: ['auth'],
          summary: 'Change one’s own password: ends every other session of the user; this one continues under a new cookie',
          body: z.strictObject({ currentPassword: Password, newPassword: Password }),
          response: { 200: SignedIn, ...errors },
        },
      },
      async (request, reply) => {
        const session = request.session;
        if (!session) throw new HttpProblem(problem(400, 'NOT_A_USER', 'Only a person signed in with a password can change it; API keys have none.'));
        const current = await auth.state.user(session.userId, true);
        if (!current.exists) throw new HttpProblem(problem(401, 'UNAUTHENTICATED', 'Sign in again.'));
        // The same check as signing in, with the same limits: a stolen session cannot guess the password.
        await auth.verifyPassword(current.email, request.body.currentPassword, request.ip);
        const weak = passwordProblem(request.body.newPassword, current.email);
        if (weak) throw new HttpProblem(problem(400, 'PASSWORD_TOO_WEAK', weak, { errors: [{ field: 'body.newPassword', message: weak }] }));
        const credentialId = await auth.storePassword(current.userId, request.body.newPassword);
        const result = await bus.execute(
          { type: 'ChangePassword', data: { userId: current.userId, credentialId, changedAt: now().toISOString() } },
          { commandId: `password-${credentialId}`, actor: request.principal },
        );
        if (result._tag === 'Left') throw new HttpProblem(domainProblem(result.left));
        await auth.credentials.prune(current.userId, credentialId);
        await auth.endSession(session.sessionId, 'password-changed', request.principal);
        const user = await auth.state.user(current.userId, true);
        if (!user.exists) throw new HttpProblem(problem(401, 'UNAUTHENTICATED', 'Sign in again.'));
        const next = await auth.startSession(user);
        setCookie(request, reply, next.cookie, next.session.expiresAt);
        return signedIn(user, next.session);
      },
    );

    app.get(
      '/auth/invitations/:token',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'What a one-time link is for: who is invited (or may set a new password), and until when',
          security: [],
          params: TokenParams,
          response: { 200: Invitation, 404: Problem, 410: Problem },
        },
      },
      async (request) => {
        const { user, link } = await linkOf(request.params.token);
        return {
          email: user.email,
          name: user.name,
          role: user.role,
          ...(user.partnerId ? { partnerId: user.partnerId } : {}),
          expiresAt: link.expiresAt,
          kind: user.activated ? ('password-reset' as const) : ('invitation' as const),
        };
      },
    );

    app.post(
      '/auth/invitations/:token/accept',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Set the password through a one-time link (accepting an invitation, or a reset): signs in',
          security: [],
          params: TokenParams,
          body: z.strictObject({ password: Password, name: NonEmptyText(120).optional() }),
          response: { 200: SignedIn, ...errors },
        },
      },
      async (request, reply) => {
        const { user, link, tokenHash } = await linkOf(request.params.token);
        const weak = passwordProblem(request.body.password, user.email);
        if (weak) throw new HttpProblem(problem(400, 'PASSWORD_TOO_WEAK', weak, { errors: [{ field: 'body.password', message: weak }] }));
        const credentialId = await auth.storePassword(user.userId, request.body.password);
        const result = await bus.execute(
          {
            type: 'AcceptInvitation',
            data: {
              userId: user.userId,
              invitationId: link.invitationId,
              tokenHash,
              ...(request.body.name ? { name: request.body.name } : {}),
              credentialId,
              acceptedAt: now().toISOString(),
            },
          },
          { commandId: `accept-${link.invitationId}`, actor: principalOfUser(user) },
        );
        if (result._tag === 'Left') throw new HttpProblem(domainProblem(result.left));
        if (result.right.replayed) throw new HttpProblem(problem(404, 'INVITATION_NOT_FOUND', 'This link was used already.'));
        await auth.credentials.prune(user.userId, credentialId);
        const active = await auth.state.user(user.userId, true);
        if (!active.exists) throw new HttpProblem(problem(404, 'INVITATION_NOT_FOUND', 'This link is not valid.'));
        const { cookie, session } = await auth.startSession(active);
        setCookie(request, reply, cookie, session.expiresAt);
        return signedIn(active, session);
      },
    );
  };
