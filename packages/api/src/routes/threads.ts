import {
  Attachment,
  aggregates,
  Id,
  LinkedResourceId,
  MAX_ATTACHMENTS,
  MessageBody,
  NonEmptyText,
  THREAD_LINK_KINDS,
  type ThreadCommand,
  ThreadLink,
  threadStream,
} from '@dms/domain';
import { loadAggregate, streamHistory } from '@dms/eventstore';
import { getThread, listThreads, readModelsOf } from '@dms/projections';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, generatedId, orRefuse, partnerScope, reply201 } from '../context';
import { HttpProblem, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, History, Limit, Page, ReadConsistency } from '../schemas';

const LinkView = z.object({ kind: z.enum(THREAD_LINK_KINDS), id: z.string() });

const ThreadSummary = z
  .object({
    threadId: z.string(),
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    subject: z.string(),
    link: LinkView.nullable(),
    status: z.enum(['open', 'closed']),
    messageCount: z.number().int().describe('Messages in the conversation (retracted ones excluded)'),
    unreadCount: z.number().int().describe('Messages the caller has neither written nor marked read'),
    lastMessageAt: z.string().nullable(),
    lastMessageBy: z.string().nullable(),
    openedBy: z.string(),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    closeReason: z.string().nullable(),
  })
  .meta({ id: 'ThreadSummary' });

const MessageView = z
  .object({
    messageId: z.string(),
    seq: z.number().int().describe('Number of the message in its thread, from 1'),
    author: z.object({ id: z.string(), role: z.string(), partnerId: z.string().nullable() }),
    body: z.string().nullable().describe('The current text; null once retracted'),
    attachments: z.array(z.object({ name: z.string(), url: z.string(), contentType: z.string().optional(), sizeBytes: z.number().int().optional() })),
    postedAt: z.string(),
    edited: z.boolean(),
    editedAt: z.string().nullable(),
    retracted: z.boolean(),
    retractedAt: z.string().nullable(),
  })
  .meta({ id: 'ThreadMessage' });

const ThreadDetail = ThreadSummary.extend({
  readUpTo: z.number().int().describe("The caller's read marker: number of the last message read, 0 for none"),
  messages: z.array(MessageView),
}).meta({ id: 'Thread' });

const Params = z.object({ threadId: Id });
const MessageParams = Params.extend({ messageId: Id });
const errors = { 400: Problem, 404: Problem, 409: Problem };
const Attachments = z.array(Attachment).max(MAX_ATTACHMENTS);
const Reason = NonEmptyText(500);

/**
 * The collaboration space: threads between the manufacturer and one dealer, optionally about an order, agreement,
 * settlement or stock item. Staff take part in every thread; a dealer only in its own partner's (another dealer's thread
 * answers 404, in SQL for reads and on the thread's stream for commands); auditors read. Every command acts as the caller.
 */
export const threadRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, reads: queries, store } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))().toISOString();
    const notFound = (threadId: string) => new HttpProblem(problem(404, 'THREAD_NOT_FOUND', `Thread ${threadId} does not exist.`));
    const execute = async (request: FastifyRequest, command: ThreadCommand) => orRefuse(await bus.execute(command, commandContext(request)));

    app.post(
      '/threads',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Open a thread with a dealer, optionally about an order, agreement, settlement or stock item',
          description:
            'A dealer may open threads with its own partner only. A linked resource must exist and belong to the partner (a settlement is `<partnerId>.<period>`, a stock item `<warehouseId>.<sku>`). With a `body`, the first message is posted with the thread.',
          body: z
            .strictObject({
              threadId: Id.optional().describe('Chosen by the client, or generated'),
              partnerId: Id,
              subject: NonEmptyText(200),
              link: ThreadLink.optional(),
              body: MessageBody.optional().describe('The opening message'),
              attachments: Attachments.optional(),
            })
            .refine((b) => b.body !== undefined || b.attachments === undefined, { path: ['attachments'], message: 'needs a body to go with it' }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const { partnerId, subject, link, body, attachments } = request.body;
        const scope = partnerScope(request);
        if (scope !== undefined && scope !== partnerId) throw new HttpProblem(problem(404, 'PARTNER_NOT_FOUND', `Partner ${partnerId} does not exist.`));
        const threadId = request.body.threadId ?? generatedId(request, 'th-');
        const message = body === undefined ? undefined : { messageId: generatedId(request, 'msg-'), body, attachments: attachments ?? [] };
        const result = await execute(request, {
          type: 'OpenThread',
          data: { threadId, partnerId, subject, ...(link ? { link } : {}), by: request.principal, openedAt: now(), ...(message ? { message } : {}) },
        });
        return reply201(reply, `/threads/${threadId}`, result);
      },
    );

    app.get(
      '/threads',
      {
        config: { permission: 'threads:read' },
        schema: {
          tags: ['threads'],
          summary: 'Threads, most recent activity first, with unread counts for the caller',
          querystring: ReadConsistency.extend({
            partnerId: Id.optional(),
            status: z.enum(['open', 'closed']).optional(),
            linkKind: z.enum(THREAD_LINK_KINDS).optional(),
            linkId: LinkedResourceId.optional(),
            unread: z.stringbool().optional().describe('true: only threads with messages the caller has not read'),
            limit: Limit,
            cursor: Cursor,
          }),
          response: { 200: Page(ThreadSummary), 400: Problem, 503: Problem },
        },
      },
      async (request) => {
        const { minPosition, partnerId, unread, ...filter } = request.query;
        await awaitPosition(options, minPosition, readModelsOf('threads'));
        const scope = partnerScope(request);
        // A dealer asking for another partner's threads gets none, as if there were none.
        if (scope !== undefined && partnerId !== undefined && partnerId !== scope) return { items: [], nextCursor: null };
        return listThreads(queries.db, { ...filter, partnerId: scope ?? partnerId, readerId: request.principal.id, unreadOnly: unread });
      },
    );

    app.get(
      '/threads/:threadId',
      {
        config: { permission: 'threads:read' },
        schema: {
          tags: ['threads'],
          summary: 'One thread with its conversation (retracted messages keep their place with no text)',
          params: Params,
          querystring: ReadConsistency,
          response: { 200: ThreadDetail, 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('threads'));
        const thread = await getThread(queries.db, request.params.threadId, { partnerId: partnerScope(request), readerId: request.principal.id });
        if (!thread) throw notFound(request.params.threadId);
        return { ...thread, messages: thread.messages.map((m) => ({ ...m, attachments: [...m.attachments] })) };
      },
    );

    app.post(
      '/threads/:threadId/messages',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Post a message (refused while the thread is closed)',
          params: Params,
          body: z.strictObject({
            messageId: Id.optional().describe('Chosen by the client, or generated'),
            body: MessageBody,
            attachments: Attachments.optional(),
          }),
          response: { 200: CommandAccepted, 201: CommandAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const { threadId } = request.params;
        const messageId = request.body.messageId ?? generatedId(request, 'msg-');
        const result = await execute(request, {
          type: 'PostMessage',
          data: { threadId, messageId, by: request.principal, body: request.body.body, attachments: request.body.attachments ?? [], postedAt: now() },
        });
        return reply201(reply, `/threads/${threadId}`, result);
      },
    );

    app.patch(
      '/threads/:threadId/messages/:messageId',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Edit your own message, within 24 hours of posting (the original stays in the history)',
          params: MessageParams,
          body: z.strictObject({ body: MessageBody }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { threadId, messageId } = request.params;
        return accepted(
          await execute(request, { type: 'EditMessage', data: { threadId, messageId, by: request.principal, body: request.body.body, editedAt: now() } }),
        );
      },
    );

    app.post(
      '/threads/:threadId/messages/:messageId/retract',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Retract your own message: it leaves the conversation, its text stays in the audit history',
          params: MessageParams,
          body: z.strictObject({ reason: Reason.optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { threadId, messageId } = request.params;
        const { reason } = request.body;
        return accepted(
          await execute(request, {
            type: 'RetractMessage',
            data: { threadId, messageId, by: request.principal, ...(reason ? { reason } : {}), retractedAt: now() },
          }),
        );
      },
    );

    app.post(
      '/threads/:threadId/read',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Mark the thread read up to a message (by default the latest) for the caller',
          description: 'The marker only moves forward; marking an earlier message read again records nothing.',
          params: Params,
          body: z.strictObject({ upToMessageId: Id.optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { threadId } = request.params;
        let upToMessageId = request.body.upToMessageId;
        if (upToMessageId === undefined) {
          const { state } = await loadAggregate(store, aggregates.threads, threadStream(threadId));
          const scope = partnerScope(request);
          if (!state.exists || (scope !== undefined && state.partnerId !== scope)) throw notFound(threadId);
          upToMessageId = state.messages.at(-1)?.messageId;
          if (upToMessageId === undefined) throw new HttpProblem(problem(409, 'THREAD_HAS_NO_MESSAGES', `Thread ${threadId} has no messages to read yet.`));
        }
        return accepted(await execute(request, { type: 'MarkThreadRead', data: { threadId, by: request.principal, upToMessageId, readAt: now() } }));
      },
    );

    app.post(
      '/threads/:threadId/close',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Close a thread: it takes no more posts until reopened',
          params: Params,
          body: z.strictObject({ reason: Reason.optional() }),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) => {
        const { reason } = request.body;
        const data = { threadId: request.params.threadId, by: request.principal, ...(reason ? { reason } : {}), closedAt: now() };
        return accepted(await execute(request, { type: 'CloseThread', data }));
      },
    );

    app.post(
      '/threads/:threadId/reopen',
      {
        config: { permission: 'threads:write' },
        schema: {
          tags: ['threads'],
          summary: 'Reopen a closed thread',
          params: Params,
          body: z.strictObject({}),
          response: { 200: CommandAccepted, ...errors },
        },
      },
      async (request) =>
        accepted(await execute(request, { type: 'ReopenThread', data: { threadId: request.params.threadId, by: request.principal, reopenedAt: now() } })),
    );

    app.get(
      '/threads/:threadId/history',
      {
        config: { permission: 'threads:read' },
        schema: {
          tags: ['threads', 'audit'],
          summary: 'Every event of a thread, retracted and edited texts included: who, when, why, with the hash chain verified',
          params: Params,
          response: { 200: History, 404: Problem },
        },
      },
      async (request) => {
        const history = await streamHistory(store, threadStream(request.params.threadId));
        const scope = partnerScope(request);
        const owner = (history.entries[0]?.data as { partnerId?: string } | undefined)?.partnerId;
        if (history.entries.length === 0 || (scope !== undefined && owner !== scope)) throw notFound(request.params.threadId);
        return { streamId: history.streamId, verified: history.verification.ok, problems: [...history.verification.problems], entries: [...history.entries] };
      },
    );
  };
