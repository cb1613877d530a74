import { z } from 'zod';
import { Actor, Id, IsoDateTime } from '../shared/ids';
import { HttpUrl, NonEmptyText, Text } from '../shared/text';

/** What a thread can be about, besides its partner: one order, agreement, settlement statement or stock item. */
export const THREAD_LINK_KINDS = ['order', 'agreement', 'settlement', 'stock'] as const;
export type ThreadLinkKind = (typeof THREAD_LINK_KINDS)[number];

/**
 * The id of a linked resource. Composite ids keep their dot: a settlement is `<partnerId>.<period>` (`acme.2025-Q1`), a stock
 * item `<warehouseId>.<sku>` (`wh-north.PMP-001`).
 */
export const LinkedResourceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,129}$/, 'must be 1-130 characters of letters, digits, ".", "-" or "_", starting with a letter or digit');

export const ThreadLink = z.strictObject({ kind: z.enum(THREAD_LINK_KINDS), id: LinkedResourceId });
export type ThreadLink = z.infer<typeof ThreadLink>;

/** Long enough for a detailed answer, short enough that a thread stays a conversation (documents go in as attachments). */
export const MESSAGE_BODY_MAX = 10_000;
export const MessageBody = NonEmptyText(MESSAGE_BODY_MAX);
export const MAX_ATTACHMENTS = 10;

/** A reference to a document kept elsewhere (DMS stores no files): its name and where to fetch it. */
export const Attachment = z.strictObject({
  name: NonEmptyText(200),
  url: HttpUrl.describe('http(s) address of the document'),
  contentType: Text(100).optional(),
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** How long after posting its author may still edit a message. Retracting has no window (the original stays in the history). */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Who takes part: every thread command names the principal, who is also recorded as the actor of the events. */
const By = Actor;

export const OpenThread = z.strictObject({
  type: z.literal('OpenThread'),
  data: z.strictObject({
    threadId: Id,
    partnerId: Id,
    subject: NonEmptyText(200),
    link: ThreadLink.optional(),
    by: By,
    openedAt: IsoDateTime,
    /** The opening message, posted with the thread. */
    message: z.strictObject({ messageId: Id, body: MessageBody, attachments: z.array(Attachment).max(MAX_ATTACHMENTS).default([]) }).optional(),
  }),
});
export type OpenThread = z.infer<typeof OpenThread>;

export const PostMessage = z.strictObject({
  type: z.literal('PostMessage'),
  data: z.strictObject({
    threadId: Id,
    messageId: Id,
    by: By,
    body: MessageBody,
    attachments: z.array(Attachment).max(MAX_ATTACHMENTS).default([]),
    postedAt: IsoDateTime,
  }),
});

export const EditMessage = z.strictObject({
  type: z.literal('EditMessage'),
  data: z.strictObject({ threadId: Id, messageId: Id, by: By, body: MessageBody, editedAt: IsoDateTime }),
});

export const RetractMessage = z.strictObject({
  type: z.literal('RetractMessage'),
  data: z.strictObject({ threadId: Id, messageId: Id, by: By, reason: Text(500).optional(), retractedAt: IsoDateTime }),
});

export const MarkThreadRead = z.strictObject({
  type: z.literal('MarkThreadRead'),
  data: z.strictObject({ threadId: Id, by: By, upToMessageId: Id, readAt: IsoDateTime }),
});

export const CloseThread = z.strictObject({
  type: z.literal('CloseThread'),
  data: z.strictObject({ threadId: Id, by: By, reason: Text(500).optional(), closedAt: IsoDateTime }),
});

export const ReopenThread = z.strictObject({
  type: z.literal('ReopenThread'),
  data: z.strictObject({ threadId: Id, by: By, reopenedAt: IsoDateTime }),
});

export const ThreadCommand = z.discriminatedUnion('type', [OpenThread, PostMessage, EditMessage, RetractMessage, MarkThreadRead, CloseThread, ReopenThread]);
export type ThreadCommand = z.infer<typeof ThreadCommand>;
