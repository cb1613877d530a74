/**
 * Webhook subscriptions (`webhook-<webhookId>`): where DMS posts the events an integration asked for. A subscription is
 * configuration, and so a fact with a history like any other: who registered it, paused it, rotated its secret.
 * Delivery itself (attempts, retries, responses) is operational state, kept beside the read models.
 */
import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime } from '../shared/ids';
import { HttpUrl, NonEmptyText, Text } from '../shared/text';

/** `https://...`; plain `http://` only to this machine (local development and tests). */
export const WebhookUrl = HttpUrl.refine((u) => {
  // zod runs refinements even after the URL check failed: an address that does not parse is reported once, by that check.
  const url = URL.canParse(u) ? new URL(u) : undefined;
  return !url || url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}, 'must be https (plain http only to localhost)').refine((u) => {
  const url = URL.canParse(u) ? new URL(u) : undefined;
  return !url || (!url.username && !url.password);
}, 'must not carry credentials: the signature authenticates DMS');

/** An event type (`OrderPlaced`), or `*` for every event. */
export const WebhookEventType = z.string().regex(/^(\*|[A-Z][A-Za-z0-9]{1,99})$/, 'an event type such as OrderPlaced, or *');

/**
 * What a subscription posts: `signed` (the default) posts each event as JSON signed with DMS's own secret; `dingtalk` and
 * `wecom` post a message to a group robot of that platform, in its format, authenticated as it documents.
 */
export const WebhookKind = z.enum(['signed', 'dingtalk', 'wecom']);
export type WebhookKind = z.infer<typeof WebhookKind>;
export const MessageLanguage = z.enum(['zh-CN', 'en']);
export type MessageLanguage = z.infer<typeof MessageLanguage>;
/**
 * How a robot writes: `markdown` (the default), or `card`: DingTalk's ActionCard and WeCom's text-notice template card,
 * whose button opens what the message is about in the console (docs/integrations.md).
 */
export const RobotMessageFormat = z.enum(['markdown', 'card']);
export type RobotMessageFormat = z.infer<typeof RobotMessageFormat>;

/**
 * A group robot's credentials (DingTalk: access token and signing secret; WeCom: the robot key), sealed by the installation
 * before they reach a command (`v1.<iv>.<ciphertext>.<tag>`, base64url): opaque here, and never readable from the events alone.
 */
export const SealedCredentials = z
  .string()
  .max(4000)
  .regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'sealed robot credentials (v1.<iv>.<ciphertext>.<tag>)');

/** How a robot subscription reaches its group and what it writes there. */
export const RobotSettings = z.strictObject({
  credentials: SealedCredentials,
  /** The first 12 hex digits of the SHA-256 of the credentials: safe to show, tells which robot is configured. */
  credentialsFingerprint: z.string().regex(/^[0-9a-f]{12}$/),
  language: MessageLanguage,
  /** Where the console is: each message links back to what it is about there. */
  consoleUrl: WebhookUrl,
  /** Absent: markdown. */
  format: RobotMessageFormat.optional(),
});
export type RobotSettings = z.infer<typeof RobotSettings>;

/**
 * Whom a subscription is for: the events about these dealers, or about dealers of these regions (either list may be
 * empty, not both). Absent: every event of the subscribed types, as before audiences existed. See `audienceWants`.
 */
export const WebhookAudience = z
  .strictObject({
    partnerIds: z.array(Id).max(500).optional(),
    regions: z.array(Id).max(100).optional(),
  })
  .refine((a) => (a.partnerIds?.length ?? 0) + (a.regions?.length ?? 0) > 0, {
    message: 'name at least one dealer (partnerIds) or region (regions); leave audience out to receive every event',
  });
export type WebhookAudience = z.infer<typeof WebhookAudience>;

export const RegisterWebhook = z.strictObject({
  type: z.literal('RegisterWebhook'),
  data: z.strictObject({
    webhookId: Id,
    url: WebhookUrl,
    eventTypes: z.array(WebhookEventType).min(1).max(200),
    description: Text(500).optional(),
    /** Absent: `signed`. */
    kind: WebhookKind.optional(),
    /** Required for `dingtalk` and `wecom`, refused for `signed`. */
    robot: RobotSettings.optional(),
    /** Absent: every event of the subscribed types. */
    audience: WebhookAudience.optional(),
    registeredAt: IsoDateTime,
  }),
});
export const PauseWebhook = z.strictObject({
  type: z.literal('PauseWebhook'),
  data: z.strictObject({ webhookId: Id, reason: NonEmptyText(500), pausedAt: IsoDateTime }),
});
export const ResumeWebhook = z.strictObject({ type: z.literal('ResumeWebhook'), data: z.strictObject({ webhookId: Id, resumedAt: IsoDateTime }) });
export const RotateWebhookSecret = z.strictObject({
  type: z.literal('RotateWebhookSecret'),
  data: z.strictObject({ webhookId: Id, rotatedAt: IsoDateTime }),
});
export const RemoveWebhook = z.strictObject({
  type: z.literal('RemoveWebhook'),
  data: z.strictObject({ webhookId: Id, reason: NonEmptyText(500), removedAt: IsoDateTime }),
});
export const WebhookCommand = z.discriminatedUnion('type', [RegisterWebhook, PauseWebhook, ResumeWebhook, RotateWebhookSecret, RemoveWebhook]);
export type WebhookCommand = z.infer<typeof WebhookCommand>;

export const WebhookRegistered = z.object({
  type: z.literal('WebhookRegistered'),
  data: z.object({
    webhookId: Id,
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().optional(),
    /** Absent on subscriptions registered before robots existed: `signed`. */
    kind: WebhookKind.optional(),
    robot: z
      .object({
        credentials: z.string(),
        credentialsFingerprint: z.string(),
        language: MessageLanguage,
        consoleUrl: z.string(),
        /** Absent (and before cards existed): markdown. */
        format: RobotMessageFormat.optional(),
      })
      .optional(),
    /** Whom it is for (each list sorted, without repeats, left out when empty); absent: every event of its types. */
    audience: z.object({ partnerIds: z.array(z.string()).optional(), regions: z.array(z.string()).optional() }).optional(),
    /** Which signing secret is in force: derived from the installation's key, the webhook id and this number. */
    secretVersion: z.number().int().min(1),
    registeredAt: IsoDateTime,
  }),
});
export const WebhookPaused = z.object({ type: z.literal('WebhookPaused'), data: z.object({ webhookId: Id, reason: z.string(), pausedAt: IsoDateTime }) });
export const WebhookResumed = z.object({ type: z.literal('WebhookResumed'), data: z.object({ webhookId: Id, resumedAt: IsoDateTime }) });
export const WebhookSecretRotated = z.object({
  type: z.literal('WebhookSecretRotated'),
  data: z.object({ webhookId: Id, secretVersion: z.number().int().min(2), rotatedAt: IsoDateTime }),
});
export const WebhookRemoved = z.object({ type: z.literal('WebhookRemoved'), data: z.object({ webhookId: Id, reason: z.string(), removedAt: IsoDateTime }) });
export const WebhookEvent = z.discriminatedUnion('type', [WebhookRegistered, WebhookPaused, WebhookResumed, WebhookSecretRotated, WebhookRemoved]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export type WebhookStatus = 'active' | 'paused' | 'removed';
export type WebhookState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly webhookId: string;
      readonly kind: WebhookKind;
      readonly status: WebhookStatus;
      readonly secretVersion: number;
    };

export const evolveWebhook = (state: WebhookState, event: WebhookEvent): WebhookState => {
  switch (event.type) {
    case 'WebhookRegistered':
      return {
        exists: true,
        webhookId: event.data.webhookId,
        kind: event.data.kind ?? 'signed',
        status: 'active',
        secretVersion: event.data.secretVersion,
      };
    case 'WebhookPaused':
      return state.exists ? { ...state, status: 'paused' } : state;
    case 'WebhookResumed':
      return state.exists ? { ...state, status: 'active' } : state;
    case 'WebhookSecretRotated':
      return state.exists ? { ...state, secretVersion: event.data.secretVersion } : state;
    case 'WebhookRemoved':
      return state.exists ? { ...state, status: 'removed' } : state;
  }
};

export const decideWebhook = (command: WebhookCommand, state: WebhookState): Either<DomainError, readonly WebhookEvent[]> => {
  const { webhookId } = command.data;
  if (command.type === 'RegisterWebhook') {
    if (state.exists) return refuse('WEBHOOK_ALREADY_EXISTS', `Webhook ${webhookId} is already registered.`, { webhookId });
    const kind = command.data.kind ?? 'signed';
    if (kind === 'signed' && command.data.robot)
      return refuse('WEBHOOK_ROBOT_SETTINGS_UNEXPECTED', `Webhook ${webhookId} is signed by DMS: robot settings belong to a dingtalk or wecom webhook.`, {
        webhookId,
      });
    if (kind !== 'signed' && !command.data.robot)
      return refuse('WEBHOOK_ROBOT_SETTINGS_MISSING', `A ${kind} webhook needs the robot's credentials, a language and the console's address.`, {
        webhookId,
        kind,
      });
    const eventTypes = [...new Set(command.data.eventTypes)];
    const { audience, ...data } = command.data;
    return right([{ type: 'WebhookRegistered', data: { ...data, eventTypes, ...(audience ? { audience: normalAudience(audience) } : {}), secretVersion: 1 } }]);
  }
  if (!state.exists) return refuse('WEBHOOK_NOT_FOUND', `There is no webhook ${webhookId}.`, { webhookId });
  if (state.status === 'removed') return refuse('WEBHOOK_REMOVED', `Webhook ${webhookId} has been removed; register a new one.`, { webhookId });
  switch (command.type) {
    case 'PauseWebhook':
      if (state.status === 'paused') return refuse('WEBHOOK_ALREADY_PAUSED', `Webhook ${webhookId} is already paused.`, { webhookId });
      return right([{ type: 'WebhookPaused', data: command.data }]);
    case 'ResumeWebhook':
      if (state.status === 'active') return refuse('WEBHOOK_NOT_PAUSED', `Webhook ${webhookId} is not paused.`, { webhookId });
      return right([{ type: 'WebhookResumed', data: command.data }]);
    case 'RotateWebhookSecret':
      if (state.kind !== 'signed')
        return refuse(
          'WEBHOOK_SECRET_FROM_PLATFORM',
          `Webhook ${webhookId} posts to a ${state.kind} robot, whose secret the platform issues: remove it and register the robot's new address.`,
          { webhookId, kind: state.kind },
        );
      return right([{ type: 'WebhookSecretRotated', data: { ...command.data, secretVersion: state.secretVersion + 1 } }]);
    case 'RemoveWebhook':
      return right([{ type: 'WebhookRemoved', data: command.data }]);
  }
};

export const webhookStream = (webhookId: string): string => `webhook-${webhookId}`;

export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = {
  initialState: { exists: false },
  decide: decideWebhook,
  evolve: evolveWebhook,
};

/** Whether a subscription to `eventTypes` wants an event of `type`. */
export const webhookWants = (eventTypes: readonly string[], type: string): boolean => eventTypes.includes('*') || eventTypes.includes(type);

/** Each list sorted and without repeats; an empty list left out. */
export const normalAudience = (audience: WebhookAudience): WebhookAudience => {
  const sorted = (xs: readonly string[] | undefined) => [...new Set(xs)].sort();
  const partnerIds = sorted(audience.partnerIds);
  const regions = sorted(audience.regions);
  return { ...(partnerIds.length > 0 ? { partnerIds } : {}), ...(regions.length > 0 ? { regions } : {}) };
};

/** Which dealer and which region an event is about, where known. */
export interface EventSubject {
  readonly partnerId?: string | undefined;
  readonly region?: string | undefined;
}

/**
 * What an event says about whom it concerns, from its own data: `data.partnerId` and `data.region`; for a notification,
 * its audience (the dealer it is addressed to, or the region of the sales team it is addressed to: a notification for the
 * manufacturer's people names no dealer, so no dealer's integration receives it). The outbox completes what an event
 * does not say itself (an order's later events name only the order) from the stream's first event and the dealer's region.
 */
export const eventSubject = (type: string, data: unknown): EventSubject => {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  if (type === 'NotificationRaised') {
    const audience = (typeof d.audience === 'object' && d.audience !== null ? d.audience : {}) as Record<string, unknown>;
    return audience.kind === 'dealer' ? { partnerId: text(audience.partnerId) } : { region: text(audience.region) };
  }
  return { partnerId: text(d.partnerId), region: text(d.region) };
};

/**
 * Whether a subscription for `audience` receives an event about `subject`: without an audience, always; with one, when the
 * event's dealer is among its dealers or the event's region among its regions. An event that names neither (a stock
 * count, a catalogue change, a notification for the whole sales team) goes to no subscription with an audience.
 */
export const audienceWants = (audience: WebhookAudience | null | undefined, subject: EventSubject): boolean => {
  if (!audience) return true;
  return (
    (subject.partnerId !== undefined && (audience.partnerIds ?? []).includes(subject.partnerId)) ||
    (subject.region !== undefined && (audience.regions ?? []).includes(subject.region))
  );
};
