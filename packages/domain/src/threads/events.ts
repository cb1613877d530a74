import { z } from 'zod';
import { Actor, Id, IsoDateTime } from '../shared/ids';
import { Attachment, ThreadLink } from './commands';

/** Who wrote or did something in a thread, as recorded in the event itself (the metadata's actor says the same). */
const Participant = Actor;

export const ThreadOpened = z.object({
  type: z.literal('ThreadOpened'),
  data: z.object({
    threadId: Id,
    partnerId: Id,
    subject: z.string(),
    link: ThreadLink.optional(),
    openedBy: Participant,
    openedAt: IsoDateTime,
  }),
});

/** `seq` numbers the thread's messages from 1, in the order they were posted; read markers point at it. */
export const MessagePosted = z.object({
  type: z.literal('MessagePosted'),
  data: z.object({
    threadId: Id,
    messageId: Id,
    seq: z.number().int().min(1),
    author: Participant,
    body: z.string(),
    attachments: z.array(Attachment),
    postedAt: IsoDateTime,
  }),
});

/** The new text; the text it replaces stays in the `MessagePosted` (or earlier `MessageEdited`) before it. */
export const MessageEdited = z.object({
  type: z.literal('MessageEdited'),
  data: z.object({ threadId: Id, messageId: Id, body: z.string(), editedBy: Participant, editedAt: IsoDateTime }),
});

/** The message leaves the conversation; its text stays in the thread's history for audit. */
export const MessageRetracted = z.object({
  type: z.literal('MessageRetracted'),
  data: z.object({ threadId: Id, messageId: Id, reason: z.string().optional(), retractedBy: Participant, retractedAt: IsoDateTime }),
});

/** A participant has read every message up to `upToSeq`. */
export const ThreadRead = z.object({
  type: z.literal('ThreadRead'),
  data: z.object({ threadId: Id, reader: Participant, upToMessageId: Id, upToSeq: z.number().int().min(1), readAt: IsoDateTime }),
});

export const ThreadClosed = z.object({
  type: z.literal('ThreadClosed'),
  data: z.object({ threadId: Id, reason: z.string().optional(), closedBy: Participant, closedAt: IsoDateTime }),
});

export const ThreadReopened = z.object({
  type: z.literal('ThreadReopened'),
  data: z.object({ threadId: Id, reopenedBy: Participant, reopenedAt: IsoDateTime }),
});

export const ThreadEvent = z.discriminatedUnion('type', [
  ThreadOpened,
  MessagePosted,
  MessageEdited,
  MessageRetracted,
  ThreadRead,
  ThreadClosed,
  ThreadReopened,
]);
export type ThreadEvent = z.infer<typeof ThreadEvent>;
