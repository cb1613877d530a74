import type { Actor } from '../shared/ids';
import type { Attachment, ThreadLink } from './commands';
import type { ThreadEvent } from './events';

export type ThreadStatus = 'open' | 'closed';

export interface ThreadMessage {
  readonly messageId: string;
  readonly seq: number;
  readonly author: Actor;
  /** The current text: the last edit, or the text as posted. */
  readonly body: string;
  readonly attachments: readonly Attachment[];
  readonly postedAt: string;
  readonly edits: number;
  readonly retracted: boolean;
}

export type ThreadState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly threadId: string;
      readonly partnerId: string;
      readonly subject: string;
      readonly link: ThreadLink | undefined;
      readonly status: ThreadStatus;
      /** In the order posted; `seq` is the index plus one. */
      readonly messages: readonly ThreadMessage[];
      /** Per participant (actor id), the `seq` of the last message read. */
      readonly readUpTo: ReadonlyMap<string, number>;
    };

export const initialThreadState: ThreadState = { exists: false };

const replaceMessage = (messages: readonly ThreadMessage[], messageId: string, change: (m: ThreadMessage) => ThreadMessage): readonly ThreadMessage[] =>
  messages.map((m) => (m.messageId === messageId ? change(m) : m));

export const evolveThread = (state: ThreadState, event: ThreadEvent): ThreadState => {
  if (event.type === 'ThreadOpened') {
    const { threadId, partnerId, subject, link } = event.data;
    return { exists: true, threadId, partnerId, subject, link, status: 'open', messages: [], readUpTo: new Map() };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'MessagePosted': {
      const { messageId, seq, author, body, attachments, postedAt } = event.data;
      return { ...state, messages: [...state.messages, { messageId, seq, author, body, attachments, postedAt, edits: 0, retracted: false }] };
    }
    case 'MessageEdited':
      return { ...state, messages: replaceMessage(state.messages, event.data.messageId, (m) => ({ ...m, body: event.data.body, edits: m.edits + 1 })) };
    case 'MessageRetracted':
      return { ...state, messages: replaceMessage(state.messages, event.data.messageId, (m) => ({ ...m, retracted: true })) };
    case 'ThreadRead': {
      const readUpTo = new Map(state.readUpTo);
      readUpTo.set(event.data.reader.id, Math.max(readUpTo.get(event.data.reader.id) ?? 0, event.data.upToSeq));
      return { ...state, readUpTo };
    }
    case 'ThreadClosed':
      return { ...state, status: 'closed' };
    case 'ThreadReopened':
      return { ...state, status: 'open' };
  }
};

/** The conversation as participants see it: retracted messages leave it (their text stays in the history). */
export const visibleMessages = (state: ThreadState): readonly ThreadMessage[] => (state.exists ? state.messages.filter((m) => !m.retracted) : []);

/** Messages a participant has not read yet: visible, written by someone else, after the participant's read marker. */
export const unreadCount = (state: ThreadState, participantId: string): number => {
  if (!state.exists) return 0;
  const readUpTo = state.readUpTo.get(participantId) ?? 0;
  return visibleMessages(state).filter((m) => m.seq > readUpTo && m.author.id !== participantId).length;
};
