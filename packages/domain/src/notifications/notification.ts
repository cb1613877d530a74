/**
 * Notifications (`notification-<notificationId>`): who is told what. Each is raised once by the notifications process
 * manager from the event it is about (its id derived from that event, so a redelivered event raises nothing new), is
 * addressed to a role (the sales team of a region, the channel managers) or to one dealer, and is read by people, each
 * for themselves.
 */
import { type Either, right } from 'fp-ts/Either';
import { z } from 'zod';
import { ResourceTargeting } from '../resources/commands';
import { isTargeted } from '../resources/targeting';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { Id, IsoDateTime } from '../shared/ids';
import { NonEmptyText, RawText, Text } from '../shared/text';

/** What a notification is about, one kind per rule. */
export const NotificationTopic = z.enum([
  'order_waiting_for_review',
  'backorder_filled',
  'agreement_expiring',
  'statement_ready',
  'action_overdue',
  'invoice_overdue',
  'resource_published',
]);
export type NotificationTopic = z.infer<typeof NotificationTopic>;

/**
 * Who is told: everyone of a manufacturer role (the sales team, narrowed to a region when given), one dealer's people
 * (never another dealer's), or the dealers a resource targets (`dealers`: the resource's targeting as it was when it was
 * published, matched against each dealer's tier and region when its inbox is read, exactly as the library decides what a
 * dealer sees; docs/notifications.md). `label` names the person meant, when a rule knows one (the dealer's finance
 * contact, an action's owner).
 */
export const NotificationAudience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('role'), role: z.enum(['admin', 'sales', 'finance']), region: Id.optional(), label: Text(200).optional() }),
  z.strictObject({ kind: z.literal('dealer'), partnerId: Id, label: Text(200).optional() }),
  z.strictObject({ kind: z.literal('dealers'), targeting: ResourceTargeting }),
]);
export type NotificationAudience = z.infer<typeof NotificationAudience>;

/** The text shown, in both languages the console speaks. */
export const NotificationText = z.strictObject({ 'zh-CN': NonEmptyText(500), en: NonEmptyText(500) });

export const RaiseNotification = z.strictObject({
  type: z.literal('RaiseNotification'),
  data: z.strictObject({
    notificationId: Id,
    topic: NotificationTopic,
    audience: NotificationAudience,
    title: NotificationText,
    /** The stream it is about (`order-SO-1`) and the console page that shows it (`/console/orders/SO-1`). */
    subject: z.strictObject({ streamId: RawText(300).min(1), link: RawText(500).regex(/^\/[^\s]*$/, 'a path in the console, such as /console/orders/SO-1') }),
    /** The event that caused it (for a rule run by the calendar: none). */
    causedBy: z.uuid().optional(),
    raisedAt: IsoDateTime,
  }),
});
export const MarkNotificationRead = z.strictObject({
  type: z.literal('MarkNotificationRead'),
  data: z.strictObject({ notificationId: Id, readerId: RawText(200).min(1), readAt: IsoDateTime }),
});
export const NotificationCommand = z.discriminatedUnion('type', [RaiseNotification, MarkNotificationRead]);
export type NotificationCommand = z.infer<typeof NotificationCommand>;

export const NotificationRaised = z.object({
  type: z.literal('NotificationRaised'),
  data: z.object({
    notificationId: Id,
    topic: NotificationTopic,
    audience: z.object({
      kind: z.enum(['role', 'dealer', 'dealers']),
      role: z.string().optional(),
      region: z.string().optional(),
      partnerId: z.string().optional(),
      label: z.string().optional(),
      targeting: z.object({ tiers: z.array(z.string()), regions: z.array(z.string()), partnerIds: z.array(z.string()) }).optional(),
    }),
    title: z.object({ 'zh-CN': z.string(), en: z.string() }),
    subject: z.object({ streamId: z.string(), link: z.string() }),
    causedBy: z.string().optional(),
    raisedAt: IsoDateTime,
  }),
});
export const NotificationRead = z.object({
  type: z.literal('NotificationRead'),
  data: z.object({ notificationId: Id, readerId: z.string(), readAt: IsoDateTime }),
});
export const NotificationEvent = z.discriminatedUnion('type', [NotificationRaised, NotificationRead]);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export type NotificationState =
  | { readonly exists: false }
  | { readonly exists: true; readonly notificationId: string; readonly audience: NotificationAudience; readonly readBy: ReadonlySet<string> };

export const evolveNotification = (state: NotificationState, event: NotificationEvent): NotificationState => {
  switch (event.type) {
    case 'NotificationRaised':
      return { exists: true, notificationId: event.data.notificationId, audience: event.data.audience as NotificationAudience, readBy: new Set() };
    case 'NotificationRead':
      return state.exists ? { ...state, readBy: new Set([...state.readBy, event.data.readerId]) } : state;
  }
};

export const decideNotification = (command: NotificationCommand, state: NotificationState): Either<DomainError, readonly NotificationEvent[]> => {
  const { notificationId } = command.data;
  if (command.type === 'RaiseNotification') {
    if (state.exists) return refuse('NOTIFICATION_ALREADY_RAISED', `Notification ${notificationId} was raised already.`, { notificationId });
    return right([{ type: 'NotificationRaised', data: command.data }]);
  }
  if (!state.exists) return refuse('NOTIFICATION_NOT_FOUND', `There is no notification ${notificationId}.`, { notificationId });
  // Reading twice changes nothing and is no error: the inbox shows it read either way.
  if (state.readBy.has(command.data.readerId)) return right([]);
  return right([{ type: 'NotificationRead', data: command.data }]);
};

export const notificationStream = (notificationId: string): string => `notification-${notificationId}`;

export const notificationDecider: Decider<NotificationCommand, NotificationEvent, NotificationState> = {
  initialState: { exists: false },
  decide: decideNotification,
  evolve: evolveNotification,
};

/**
 * Whether a person (their role, and the partner a dealer is bound to, with that dealer's tier and region now) is among a
 * notification's audience. A dealer sees only what is addressed to its own partner, or to the dealers a resource targets
 * when the targeting includes it (`isTargeted`, the library's own rule); the manufacturer's roles see what is addressed
 * to their role, and admins (who run the channel) everything addressed to a role.
 */
export const notificationReaches = (
  audience: NotificationAudience,
  who: {
    readonly role: string;
    readonly partnerId?: string | undefined;
    readonly dealer?: { readonly tier: string; readonly region: string } | undefined;
  },
): boolean => {
  if (audience.kind === 'dealer') return who.role === 'dealer' && who.partnerId === audience.partnerId;
  if (audience.kind === 'dealers')
    return (
      who.role === 'dealer' &&
      who.partnerId !== undefined &&
      who.dealer !== undefined &&
      isTargeted(audience.targeting, { partnerId: who.partnerId, ...who.dealer })
    );
  return who.role === audience.role || who.role === 'admin';
};
