import {
  aggregates,
  eventSchemas,
  Id,
  MessageLanguage,
  NonEmptyText,
  RawText,
  RobotMessageFormat,
  Text,
  WebhookAudience,
  type WebhookCommand,
  WebhookEventType,
  WebhookKind,
  WebhookUrl,
  webhookStream,
} from '@dms/domain';
import { loadAggregate } from '@dms/eventstore';
import {
  listWebhookDeliveries,
  listWebhooks,
  readModelsOf,
  retryWebhookDelivery,
  robotCredentialsFingerprint,
  sealRobotCredentials,
  secretFingerprint,
  splitRobotUrl,
  webhookSecret,
  webhookSigningKey,
} from '@dms/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ApiOptions, accepted, awaitPosition, commandContext, generatedId, orRefuse, requireOnboarded } from '../context';
import { HttpProblem, invalidField, Problem, problem } from '../problems';
import { CommandAccepted, Cursor, Limit, Page, ReadConsistency } from '../schemas';

const errors = { 400: Problem, 404: Problem, 409: Problem };
const Params = z.strictObject({ webhookId: Id });

const KnownEventType = WebhookEventType.refine((t) => t === '*' || eventSchemas.has(t), {
  message: 'not an event type DMS records (see docs/events.md), nor *',
});

const WebhookView = z
  .object({
    webhookId: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().nullable(),
    status: z.enum(['active', 'paused', 'removed']),
    kind: WebhookKind,
    robot: z
      .object({ language: MessageLanguage, consoleUrl: z.string(), credentialsFingerprint: z.string(), format: RobotMessageFormat })
      .nullable()
      .describe("A DingTalk or WeCom robot's settings (never its credentials); null for a signed webhook"),
    audience: z
      .object({ partnerIds: z.array(z.string()), regions: z.array(z.string()) })
      .nullable()
      .describe('The dealers and regions it receives events about; null: every event of its types'),
    secretVersion: z.number().int(),
    registeredAt: z.string(),
    updatedAt: z.string(),
    deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }),
    lastDeliveredAt: z.string().nullable(),
  })
  .meta({ id: 'Webhook' });

const DeliveryView = z
  .object({
    eventId: z.string(),
    eventType: z.string(),
    streamId: z.string(),
    position: z.string(),
    status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const WithSecret = CommandAccepted.extend({
  webhookId: z.string(),
  secret: z.string().describe('The signing secret: shown now, never again (rotate to get a new one)'),
  secretVersion: z.number().int(),
  secretFingerprint: z.string().describe('Safe to log: tells which secret a subscriber holds'),
});
const RobotRegistered = CommandAccepted.extend({
  webhookId: z.string(),
  kind: z.enum(['dingtalk', 'wecom']),
  credentialsFingerprint: z.string().describe("Which robot credentials DMS keeps (sealed); the platform's, never shown again"),
});

/**
 * Webhooks: admins register where DMS posts which events; deliveries are signed and retried (see docs/webhooks.md).
 * Reading them is operations' business (`operations:read`), changing them an admin's (`operations:write`).
 */
export const webhookRoutes =
  (options: ApiOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, runner, store, reads: queries } = options.runtime;
    const now = () => (options.now ?? (() => new Date()))();
    let key: Promise<string> | undefined;
    const signingKey = () => {
      key ??= webhookSigningKey(runner.db);
      return key;
    };
    const secretOf = async (webhookId: string, version: number) => {
      const secret = webhookSecret(await signingKey(), webhookId, version);
      return { secret, secretVersion: version, secretFingerprint: secretFingerprint(secret) };
    };
    const notFound = (webhookId: string) => new HttpProblem(problem(404, 'WEBHOOK_NOT_FOUND', `There is no webhook ${webhookId}.`));

    app.post(
      '/webhooks',
      {
        config: { permission: 'operations:write' },
        schema: {
          tags: ['webhooks'],
          summary: 'Register a webhook: DMS posts every event of the given types to the URL, signed; the secret is shown once',
          body: z.strictObject({
            webhookId: Id.optional(),
            url: WebhookUrl.describe("For a robot, its address as the platform shows it (with DingTalk's access_token or WeCom's key)"),
            eventTypes: z.array(KnownEventType).min(1).max(200),
            description: Text(500).optional(),
            kind: WebhookKind.optional().describe('signed (default): DMS-signed JSON; dingtalk or wecom: a group robot (docs/integrations.md)'),
            secret: RawText(200).min(1).optional().describe("A DingTalk robot's signing secret (加签, SEC...); nothing else takes one"),
            language: MessageLanguage.optional().describe("A robot's messages: zh-CN (default) or en"),
            consoleUrl: WebhookUrl.optional().describe('Where the console is, for the links in robot messages (required for a robot)'),
            format: RobotMessageFormat.optional().describe("A robot's messages: markdown (default) or card (DingTalk ActionCard, WeCom template card)"),
            audience: WebhookAudience.optional().describe(
              'Only the events about these dealers (partnerIds) or dealers of these regions (regions); absent: every event of the types (docs/webhooks.md)',
            ),
          }),
          response: { 201: z.union([WithSecret, RobotRegistered]), 200: z.union([WithSecret, RobotRegistered]), ...errors },
        },
      },
      async (request, reply) => {
        const { kind = 'signed', secret, language, consoleUrl, format, ...rest } = request.body;
        const webhookId = rest.webhookId ?? generatedId(request, '');
        const invalid = (field: string, message: string) => invalidField(`body.${field}`, message);
        await requireOnboarded(options, rest.audience?.partnerIds, 'body.audience.partnerIds');
        let robot:
          | { credentials: string; credentialsFingerprint: string; language: 'zh-CN' | 'en'; consoleUrl: string; format?: RobotMessageFormat }
          | undefined;
        let url = rest.url;
        if (kind === 'signed') {
          for (const [field, value] of Object.entries({ secret, language, consoleUrl, format }))
            if (value !== undefined) throw invalid(field, 'belongs to a dingtalk or wecom robot, not a signed webhook');
        } else {
          if (!consoleUrl) throw invalid('consoleUrl', 'is required for a robot: its messages link back to the console');
          const split = splitRobotUrl(kind, rest.url, secret);
          if ('error' in split) throw invalid(split.field, split.error);
          url = split.url;
          robot = {
            credentials: sealRobotCredentials(await signingKey(), webhookId, split.credentials),
            credentialsFingerprint: robotCredentialsFingerprint(split.credentials),
            language: language ?? 'zh-CN',
            consoleUrl,
            ...(format ? { format } : {}),
          };
        }
        const result = orRefuse(
          await bus.execute(
            {
              type: 'RegisterWebhook',
              data: { ...rest, url, webhookId, ...(kind === 'signed' ? {} : { kind, robot }), registeredAt: now().toISOString() },
            },
            commandContext(request),
          ),
        );
        reply.code(result.replayed ? 200 : 201).header('location', `/webhooks/${webhookId}`);
        if (kind === 'signed') return reply.send({ ...accepted(result), webhookId, ...(await secretOf(webhookId, 1)) });
        return reply.send({ ...accepted(result), webhookId, kind, credentialsFingerprint: robot!.credentialsFingerprint });
      },
    );

    app.get(
      '/webhooks',
      {
        config: { permission: 'operations:read' },
        schema: {
          tags: ['webhooks'],
          summary: 'Every webhook with its delivery counts (never its secret)',
          querystring: ReadConsistency,
          response: { 200: z.object({ items: z.array(WebhookView) }), 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('webhooks'));
        return { items: await listWebhooks(queries.db) };
      },
    );

    app.get(
      '/webhooks/:webhookId/deliveries',
      {
        config: { permission: 'operations:read' },
        schema: {
          tags: ['webhooks'],
          summary: "A webhook's deliveries, newest first: status, attempts, the subscriber's last answer",
          params: Params,
          querystring: ReadConsistency.extend({ status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(), limit: Limit, cursor: Cursor }),
          response: { 200: Page(DeliveryView), 404: Problem, 503: Problem },
        },
      },
      async (request) => {
        await awaitPosition(options, request.query.minPosition, readModelsOf('webhooks'));
        if (!(await listWebhooks(queries.db)).some((w) => w.webhookId === request.params.webhookId)) throw notFound(request.params.webhookId);
        return listWebhookDeliveries(queries.db, { ...request.query, webhookId: request.params.webhookId });
      },
    );

    const Reason = z.strictObject({ reason: NonEmptyText(500) });
    /** A route that sends one command about the webhook and answers what was recorded. */
    const action = <B extends z.ZodType>(
      path: string,
      summary: string,
      body: B,
      toCommand: (webhookId: string, body: z.infer<B>, at: string) => WebhookCommand,
    ) =>
      app.post(
        `/webhooks/:webhookId/${path}`,
        {
          config: { permission: 'operations:write' },
          schema: { tags: ['webhooks'], summary, params: Params, body, response: { 200: CommandAccepted, ...errors } },
        },
        async (request) =>
          accepted(orRefuse(await bus.execute(toCommand(request.params.webhookId, request.body as z.infer<B>, now().toISOString()), commandContext(request)))),
      );
    action('pause', 'Hold deliveries (they queue up, and go out on resume)', Reason, (webhookId, b, at) => ({
      type: 'PauseWebhook',
      data: { webhookId, reason: b.reason, pausedAt: at },
    }));
    action('resume', 'Send again, starting with what queued up', z.strictObject({}), (webhookId, _, at) => ({
      type: 'ResumeWebhook',
      data: { webhookId, resumedAt: at },
    }));
    action('remove', 'Stop for good: queued deliveries are cancelled', Reason, (webhookId, b, at) => ({
      type: 'RemoveWebhook',
      data: { webhookId, reason: b.reason, removedAt: at },
    }));
    app.post(
      '/webhooks/:webhookId/rotate-secret',
      {
        config: { permission: 'operations:write' },
        schema: {
          tags: ['webhooks'],
          summary: 'Sign with a new secret from now on; the new secret is shown once',
          params: Params,
          body: z.strictObject({}),
          response: { 200: WithSecret, ...errors },
        },
      },
      async (request) => {
        const { webhookId } = request.params;
        const result = orRefuse(
          await bus.execute({ type: 'RotateWebhookSecret', data: { webhookId, rotatedAt: now().toISOString() } }, commandContext(request)),
        );
        const { state } = await loadAggregate(store, aggregates.webhooks, webhookStream(webhookId));
        const version = state.exists ? state.secretVersion : 1;
        return { ...accepted(result), webhookId, ...(await secretOf(webhookId, version)) };
      },
    );
    app.post(
      '/webhooks/:webhookId/deliveries/:eventId/retry',
      {
        config: { permission: 'operations:write' },
        schema: {
          tags: ['webhooks'],
          summary: 'Send a failed or cancelled delivery again at the next pass',
          params: z.strictObject({ webhookId: Id, eventId: z.uuid() }),
          body: z.strictObject({}),
          response: { 200: z.object({ retrying: z.literal(true) }), ...errors },
        },
      },
      async (request) => {
        const { webhookId, eventId } = request.params;
        if (!(await retryWebhookDelivery(runner.db, webhookId, eventId, now())))
          throw new HttpProblem(problem(404, 'DELIVERY_NOT_RETRYABLE', `Webhook ${webhookId} has no failed or cancelled delivery of event ${eventId}.`));
        return { retrying: true as const };
      },
    );
  };
