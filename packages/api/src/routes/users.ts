import { Id, NonEmptyText, RawText } from '@dms/domain';
import { getUser, listUsers, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inviteUser, renewLink } from '../auth/provision';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, ReadConsistency } from '../schemas';

const errors = { 400: Problem, 404: Problem, 409: Problem };
const Role = z.enum(['admin', 'sales', 'finance', 'auditor', 'dealer']);
const Params = z.strictObject({ userId: Id });

const UserView = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    partnerId: z.string().nullable(),
    status: z.enum(['invited', 'active', 'suspended']),
    invitedAt: z.string(),
    linkExpiresAt: z.string().nullable().describe('When the pending invitation or password link expires; null when none is pending'),
    activatedAt: z.string().nullable(),
    suspendedAt: z.string().nullable(),
    suspensionReason: z.string().nullable(),
    passwordChangedAt: z.string().nullable(),
    lastSignInAt: z.string().nullable(),
    regions: z.array(z.string()).describe("The regions a user owns, sorted: their notifications reach them while the user's role is sales"),
  })
  .meta({ id: 'User' });

const Link = CommandAccepted.extend({
  userId: z.string(),
  invitationId: z.string(),
  token: z.string().describe('The one-time token: shown now, never again'),
  acceptUrl: z.string().describe('Relative to the web application: /accept-invitation?token=...'),
  expiresAt: z.string(),
}).meta({ id: 'InvitationLink' });

/**
 * Users, for admins: invite by e-mail (the link is returned, since no mail server is assumed), list, suspend (every
 * session of the user ends at once), reactivate, and issue a new link (a lost invitation, or a forgotten password).
 */
export const userRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))();

    app.post(
      '/users/invitations',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Invite a person by e-mail: returns the one-time link that lets them set a password',
          body: z.strictObject({
            email: RawText(254),
            name: NonEmptyText(120),
            role: Role,
            partnerId: Id.optional().describe('For a dealer user: the partner it buys for'),
          }),
          response: { 201: Link, ...errors },
        },
      },
      async (request, reply) => {
        const { result, ...link } = await inviteUser(bus, request.body, commandContext(request), now());
        return reply
          .code(201)
          .header('location', `/users/${link.userId}`)
          .send({ ...accepted(result), ...link });
      },
    );

    app.get(
      '/users',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Every user, by e-mail address',
          querystring: ReadConsistency.extend({
            status: z.enum(['invited', 'active', 'suspended']).optional(),
            role: Role.optional(),
            partnerId: Id.optional(),
          }),
          response: { 200: z.object({ items: z.array(UserView) }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, ...filter } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('users'));
        return { items: await listUsers(queries.db, filter) };
      },
    );

    app.get(
      '/users/:userId',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'One user',
          params: Params,
          querystring: ReadConsistency,
          response: { 200: UserView, 400: Problem, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('users'));
        const user = await getUser(queries.db, request.params.userId);
        if (!user) throw new HttpProblem(problem(404, 'USER_NOT_FOUND', `There is no user ${request.params.userId}.`));
        return user;
      },
    );

    app.post(
      '/users/:userId/suspend',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Suspend a user: every session of theirs is refused from the next request on; they cannot sign in',
          params: Params,
          body: z.strictObject({ reason: NonEmptyText(500) }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'SuspendUser', data: { userId: request.params.userId, reason: request.body.reason, suspendedAt: now().toISOString() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.post(
      '/users/:userId/role',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Give a user another role (a dealer user: and partner); it applies from their next request, in every session',
          params: Params,
          body: z.strictObject({ role: Role, partnerId: Id.optional(), reason: NonEmptyText(500).optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'ChangeUserRole', data: { userId: request.params.userId, ...request.body, changedAt: now().toISOString() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.put(
      '/users/:userId/regions',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: "The regions a sales user owns, replacing the ones before (none: owns none, for any user): a region's notifications reach its owners",
          params: Params,
          body: z.strictObject({
            regions: z
              .array(Id)
              .max(50)
              .refine((r) => new Set(r).size === r.length, 'each region may appear only once')
              .describe('Region ids, e.g. north'),
          }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute(
              { type: 'AssignUserRegions', data: { userId: request.params.userId, regions: request.body.regions, assignedAt: now().toISOString() } },
              commandContext(request),
            ),
          ),
        ),
    );

    app.post(
      '/users/:userId/reactivate',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'Reactivate a suspended user',
          params: Params,
          body: z.strictObject({}),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(
          orRefuse(
            await bus.execute({ type: 'ReactivateUser', data: { userId: request.params.userId, reactivatedAt: now().toISOString() } }, commandContext(request)),
          ),
        ),
    );

    app.post(
      '/users/:userId/invitation',
      {
        config: { permission: 'access:manage' },
        schema: {
          tags: ['access'],
          summary: 'A new one-time link: a fresh invitation for a user who has not accepted, or a password-reset link for an active one',
          params: Params,
          body: z.strictObject({}),
          response: { 201: Link, ...errors },
        },
      },
      async (request, reply) => {
        const { result, ...link } = await renewLink(bus, request.params.userId, commandContext(request), now());
        return reply.code(201).send({ ...accepted(result), ...link });
      },
    );
  };
