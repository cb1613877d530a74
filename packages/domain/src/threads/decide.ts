import { type Either, right } from 'fp-ts/Either';
import { type DomainError, refuse } from '../shared/errors';
import type { Actor } from '../shared/ids';
import { EDIT_WINDOW_MS, type ThreadCommand } from './commands';
import type { ThreadEvent } from './events';
import type { ThreadMessage, ThreadState } from './state';

type Decision = Either<DomainError, readonly ThreadEvent[]>;
type Existing = Extract<ThreadState, { exists: true }>;

/**
 * The manufacturer's staff take part in every thread; a dealer only in its own partner's; auditors read, never write.
 * (The API checks the same with permissions and scoping; the decider holds the rule wherever a command comes from.)
 */
const mayTakePart = (by: Actor, partnerId: string): boolean => (by.role === 'dealer' ? by.partnerId === partnerId : by.role !== 'auditor');

/** A dealer of another partner learns nothing about the thread: it answers as if it did not exist. */
const threadNotFound = (threadId: string): Decision => refuse('THREAD_NOT_FOUND', `Thread ${threadId} does not exist.`, { threadId });

const notAParticipant = (by: Actor, threadId: string): Decision =>
  refuse('NOT_A_THREAD_PARTICIPANT', `${by.id} (${by.role}) may read thread ${threadId} but not write in it.`, { threadId, actor: by.id });

const findMessage = (state: Existing, messageId: string): ThreadMessage | undefined => state.messages.find((m) => m.messageId === messageId);

const messageNotFound = <A = readonly ThreadEvent[]>(threadId: string, messageId: string): Either<DomainError, A> =>
  refuse<A>('MESSAGE_NOT_FOUND', `Thread ${threadId} has no message ${messageId}.`, { threadId, messageId });

const closed = <A = readonly ThreadEvent[]>(state: Existing, what: string): Either<DomainError, A> =>
  refuse<A>('THREAD_CLOSED', `Thread ${state.threadId} is closed; reopen it to ${what}.`, { threadId: state.threadId });

/** Edits and retractions: only the author, only on a message still shown, only while the thread is open. */
const ownLiveMessage = (state: Existing, messageId: string, by: Actor, what: string): Either<DomainError, ThreadMessage> => {
  const message = findMessage(state, messageId);
  if (!message) return messageNotFound(state.threadId, messageId);
  if (message.retracted)
    return refuse('MESSAGE_RETRACTED', `Message ${messageId} has been retracted; it can no longer change.`, { threadId: state.threadId, messageId });
  if (message.author.id !== by.id)
    return refuse('NOT_MESSAGE_AUTHOR', `Only its author (${message.author.id}) may ${what} message ${messageId}.`, {
      threadId: state.threadId,
      messageId,
      author: message.author.id,
    });
  if (state.status === 'closed') return closed(state, `${what} a message`);
  return right(message);
};

export const decideThread = (command: ThreadCommand, state: ThreadState): Decision => {
  const { threadId, by } = command.data;
  if (command.type === 'OpenThread') {
    const { partnerId, subject, link, openedAt, message } = command.data;
    if (by.role === 'dealer' && by.partnerId !== partnerId) return refuse('PARTNER_NOT_FOUND', `Partner ${partnerId} does not exist.`, { partnerId });
    if (!mayTakePart(by, partnerId)) return notAParticipant(by, threadId);
    if (state.exists) return refuse('THREAD_ALREADY_EXISTS', `Thread ${threadId} already exists; choose another id.`, { threadId });
    const opened: ThreadEvent = { type: 'ThreadOpened', data: { threadId, partnerId, subject, ...(link ? { link } : {}), openedBy: by, openedAt } };
    if (!message) return right([opened]);
    const { messageId, body, attachments } = message;
    return right([opened, { type: 'MessagePosted', data: { threadId, messageId, seq: 1, author: by, body, attachments, postedAt: openedAt } }]);
  }
  if (!state.exists) return threadNotFound(threadId);
  if (by.role === 'dealer' && by.partnerId !== state.partnerId) return threadNotFound(threadId);
  if (!mayTakePart(by, state.partnerId)) return notAParticipant(by, threadId);

  switch (command.type) {
    case 'PostMessage': {
      const { messageId, body, attachments, postedAt } = command.data;
      if (state.status === 'closed') return closed(state, 'post');
      if (findMessage(state, messageId))
        return refuse('MESSAGE_ALREADY_EXISTS', `Thread ${threadId} already has a message ${messageId}.`, { threadId, messageId });
      const seq = state.messages.length + 1;
      return right([{ type: 'MessagePosted', data: { threadId, messageId, seq, author: by, body, attachments, postedAt } }]);
    }
    case 'EditMessage': {
      const { messageId, body, editedAt } = command.data;
      const found = ownLiveMessage(state, messageId, by, 'edit');
      if (found._tag === 'Left') return found;
      const message = found.right;
      if (Date.parse(editedAt) - Date.parse(message.postedAt) > EDIT_WINDOW_MS)
        return refuse('EDIT_WINDOW_PASSED', `Message ${messageId} was posted more than 24 hours ago; post a correction instead.`, {
          threadId,
          messageId,
          postedAt: message.postedAt,
        });
      if (message.body === body) return refuse('MESSAGE_UNCHANGED', `Message ${messageId} already reads like this.`, { threadId, messageId });
      return right([{ type: 'MessageEdited', data: { threadId, messageId, body, editedBy: by, editedAt } }]);
    }
    case 'RetractMessage': {
      const { messageId, reason, retractedAt } = command.data;
      const message = findMessage(state, messageId);
      if (message?.retracted) return refuse('MESSAGE_ALREADY_RETRACTED', `Message ${messageId} has already been retracted.`, { threadId, messageId });
      const found = ownLiveMessage(state, messageId, by, 'retract');
      if (found._tag === 'Left') return found;
      return right([{ type: 'MessageRetracted', data: { threadId, messageId, ...(reason ? { reason } : {}), retractedBy: by, retractedAt } }]);
    }
    case 'MarkThreadRead': {
      const { upToMessageId, readAt } = command.data;
      const message = findMessage(state, upToMessageId);
      if (!message) return messageNotFound(threadId, upToMessageId);
      // Reading an earlier message again moves nothing: the marker only goes forward.
      if ((state.readUpTo.get(by.id) ?? 0) >= message.seq) return right([]);
      return right([{ type: 'ThreadRead', data: { threadId, reader: by, upToMessageId, upToSeq: message.seq, readAt } }]);
    }
    case 'CloseThread': {
      const { reason, closedAt } = command.data;
      if (state.status === 'closed') return refuse('THREAD_ALREADY_CLOSED', `Thread ${threadId} is already closed.`, { threadId });
      return right([{ type: 'ThreadClosed', data: { threadId, ...(reason ? { reason } : {}), closedBy: by, closedAt } }]);
    }
    case 'ReopenThread':
      if (state.status === 'open') return refuse('THREAD_NOT_CLOSED', `Thread ${threadId} is open; only a closed thread can be reopened.`, { threadId });
      return right([{ type: 'ThreadReopened', data: { threadId, reopenedBy: by, reopenedAt: command.data.reopenedAt } }]);
  }
};
