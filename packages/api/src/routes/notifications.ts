import { Id, NotificationTopic } from '@dms/domain';
import { listNotifications, notificationReachesReader, readModelsOf } from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, orRefuse } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, Limit, Page, ReadConsistency } from '../schemas';

const NotificationView = z
  .object({
    notificationId: z.string(),
    topic: NotificationTopic,
    title: z.object({ 'zh-CN': z.string(), en: z.string() }),
    link: z.string().describe('Where it is in the web application: /console/... or /portal/...'),
    subject: z.string().describe('The stream it is about'),
    region: z.string().nullable(),
    partnerId: z.string().nullable(),
    label: z.string().nullable().describe('The person meant, when a rule knows one (a finance contact, an action owner)'),
    raisedAt: z.string(),
    read: z.boolean(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

/**
 * The inbox (docs/notifications.md): what the notification rules raised for the caller. Everyone signed in has one; a
 * dealer's holds only what concerns its own partner, and another's notification answers 404.
 */
export const notificationRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))();
    const reader = (request: { principal: { id: string; role: string; partnerId?: string | undefined } }) => ({
      id: request.principal.id,
      role: request.principal.role,
      partnerId: request.principal.partnerId,
    });

    app.get(
      '/notifications',
      {
        config: { permission: 'account:read' },
        schema: {
          tags: ['notifications'],
          summary: "The caller's notifications, newest first, with the number unread",
          querystring: ReadConsistency.extend({
            unread: z.stringbool().optional().describe('true: only what the caller has not read'),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(NotificationView).extend({ unread: z.number().int() }), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, ...filter } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('notifications'));
        return listNotifications(queries.db, reader(request), filter);
      },
    );

    app.post(
      '/notifications/:notificationId/read',
      {
        config: { permission: 'account:write' },
        schema: {
          tags: ['notifications'],
          summary: 'Mark a notification read, for the caller only (again: nothing changes)',
          params: z.strictObject({ notificationId: Id }),
          body: z.strictObject({}),
          response: { 200: CommandAccepted, 400: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => {
        const { notificationId } = request.params;
        if (!(await notificationReachesReader(queries.db, notificationId, reader(request))))
          throw new HttpProblem(problem(404, 'NOTIFICATION_NOT_FOUND', `There is no notification ${notificationId}.`));
        return accepted(
          orRefuse(
            await bus.execute(
              { type: 'MarkNotificationRead', data: { notificationId, readerId: request.principal.id, readAt: now().toISOString() } },
              commandContext(request),
            ),
          ),
        );
      },
    );
  };
