import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import type { Actor } from '../shared/ids';
import { given } from '../testing';
import { ThreadCommand } from './commands';
import type { ThreadEvent } from './events';
import { threadDecider, threadStream, unreadCount, visibleMessages } from './index';

const threadId = 't-1';
const at = '2025-03-01T09:00:00Z';
const later = (hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();

const anna: Actor = { id: 'anna.sales', role: 'sales' };
const felix: Actor = { id: 'felix.finance', role: 'finance' };
const acmeBuyer: Actor = { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' };
const boltBuyer: Actor = { id: 'bolt.buyer', role: 'dealer', partnerId: 'bolt' };
const auditor: Actor = { id: 'ines.audit', role: 'auditor' };

const link = { kind: 'order', id: 'SO-00042' } as const;
const open = (by: Actor = anna, partnerId = 'acme'): ThreadCommand => ({
  type: 'OpenThread',
  data: { threadId, partnerId, subject: 'Delivery of SO-00042', link, by, openedAt: at },
});
const post = (messageId: string, by: Actor, body = `text of ${messageId}`, postedAt = at): ThreadCommand => ({
  type: 'PostMessage',
  data: { threadId, messageId, by, body, attachments: [], postedAt },
});
const edit = (messageId: string, by: Actor, body: string, editedAt = at): ThreadCommand => ({
  type: 'EditMessage',
  data: { threadId, messageId, by, body, editedAt },
});
const retract = (messageId: string, by: Actor, reason?: string): ThreadCommand => ({
  type: 'RetractMessage',
  data: { threadId, messageId, by, ...(reason ? { reason } : {}), retractedAt: at },
});
const read = (upToMessageId: string, by: Actor): ThreadCommand => ({ type: 'MarkThreadRead', data: { threadId, by, upToMessageId, readAt: at } });
const close = (by: Actor = anna, reason?: string): ThreadCommand => ({
  type: 'CloseThread',
  data: { threadId, by, ...(reason ? { reason } : {}), closedAt: at },
});
const reopen = (by: Actor = anna): ThreadCommand => ({ type: 'ReopenThread', data: { threadId, by, reopenedAt: at } });

const opened = (by: Actor = anna): ThreadEvent => ({
  type: 'ThreadOpened',
  data: { threadId, partnerId: 'acme', subject: 'Delivery of SO-00042', link, openedBy: by, openedAt: at },
});
const posted = (messageId: string, seq: number, author: Actor, body = `text of ${messageId}`, postedAt = at): ThreadEvent => ({
  type: 'MessagePosted',
  data: { threadId, messageId, seq, author, body, attachments: [], postedAt },
});
const edited = (messageId: string, by: Actor, body: string, editedAt = at): ThreadEvent => ({
  type: 'MessageEdited',
  data: { threadId, messageId, body, editedBy: by, editedAt },
});
const retracted = (messageId: string, by: Actor): ThreadEvent => ({
  type: 'MessageRetracted',
  data: { threadId, messageId, retractedBy: by, retractedAt: at },
});
const wasRead = (upToMessageId: string, upToSeq: number, reader: Actor): ThreadEvent => ({
  type: 'ThreadRead',
  data: { threadId, reader, upToMessageId, upToSeq, readAt: at },
});
const closed = (by: Actor = anna): ThreadEvent => ({ type: 'ThreadClosed', data: { threadId, closedBy: by, closedAt: at } });
const reopened = (by: Actor = anna): ThreadEvent => ({ type: 'ThreadReopened', data: { threadId, reopenedBy: by, reopenedAt: at } });

const givenThread = given(threadDecider);
const conversation = [opened(), posted('m1', 1, anna), posted('m2', 2, acmeBuyer)];

describe('opening a thread', () => {
  it('opens a thread with a partner about a subject, linked to an order', () => {
    givenThread().when(open()).then(opened());
    expect(threadStream(threadId)).toBe('thread-t-1');
  });

  it('posts the opening message with the thread, as message 1', () => {
    const attachments = [{ name: 'Delivery note.pdf', url: 'https://files.example/dn-42.pdf', contentType: 'application/pdf' }];
    givenThread()
      .when({
        type: 'OpenThread',
        data: {
          threadId,
          partnerId: 'acme',
          subject: 'Delivery of SO-00042',
          link,
          by: acmeBuyer,
          openedAt: at,
          message: { messageId: 'm1', body: 'Where is it?', attachments },
        },
      })
      .then(opened(acmeBuyer), {
        type: 'MessagePosted',
        data: { threadId, messageId: 'm1', seq: 1, author: acmeBuyer, body: 'Where is it?', attachments, postedAt: at },
      });
  });

  it('lets a dealer open a thread with its own partner only', () => {
    givenThread().when(open(acmeBuyer)).then(opened(acmeBuyer));
    givenThread().when(open(boltBuyer, 'acme')).thenRefuses('PARTNER_NOT_FOUND');
  });

  it('refuses an auditor, who reads but never writes', () => {
    givenThread().when(open(auditor)).thenRefuses('NOT_A_THREAD_PARTICIPANT');
  });

  it('refuses to open the same thread twice', () => {
    givenThread(opened()).when(open()).thenRefuses('THREAD_ALREADY_EXISTS');
  });

  it.each([post('m1', anna), edit('m1', anna, 'x'), retract('m1', anna), read('m1', anna), close(), reopen()].map((c) => [c.type, c] as const))(
    'refuses %s on a thread that was never opened',
    (_, command) => {
      givenThread().when(command).thenRefuses('THREAD_NOT_FOUND');
    },
  );
});

describe('posting', () => {
  it('numbers messages in the order they are posted', () => {
    givenThread(opened())
      .when(post('m1', anna))
      .then(posted('m1', 1, anna));
    givenThread(...conversation)
      .when(post('m3', felix))
      .then(posted('m3', 3, felix));
  });

  it('counts retracted messages in the numbering, so numbers are never reused', () => {
    givenThread(...conversation, retracted('m2', acmeBuyer))
      .when(post('m3', anna))
      .then(posted('m3', 3, anna));
  });

  it("answers another dealer as if the thread did not exist, and refuses an auditor's post", () => {
    givenThread(...conversation)
      .when(post('m3', boltBuyer))
      .thenRefuses('THREAD_NOT_FOUND');
    givenThread(...conversation)
      .when(post('m3', auditor))
      .thenRefuses('NOT_A_THREAD_PARTICIPANT');
  });

  it('refuses a message id already used in the thread', () => {
    givenThread(...conversation)
      .when(post('m2', anna))
      .thenRefuses('MESSAGE_ALREADY_EXISTS');
  });

  it('refuses posts to a closed thread', () => {
    givenThread(...conversation, closed())
      .when(post('m3', acmeBuyer))
      .thenRefuses('THREAD_CLOSED');
  });

  it('refuses an empty body, a body over 10,000 characters, and an attachment that is not an http(s) address', () => {
    const bad = [
      { ...post('m3', anna), data: { ...post('m3', anna).data, body: '   ' } },
      { ...post('m3', anna), data: { ...post('m3', anna).data, body: 'x'.repeat(10_001) } },
      { ...post('m3', anna), data: { ...post('m3', anna).data, attachments: [{ name: 'x', url: 'javascript:alert(1)' }] } },
    ];
    for (const command of bad) expect(ThreadCommand.safeParse(command).success).toBe(false);
    expect(ThreadCommand.safeParse(post('m3', anna, 'x'.repeat(10_000))).success).toBe(true);
  });
});

describe('editing', () => {
  it('records the new text; the original stays in the posted event', () => {
    givenThread(...conversation)
      .when(edit('m1', anna, 'Corrected: shipping Tuesday', later(2)))
      .then(edited('m1', anna, 'Corrected: shipping Tuesday', later(2)));
    const state = fold(threadDecider, [...conversation, edited('m1', anna, 'Corrected')]);
    expect(visibleMessages(state)[0]).toMatchObject({ body: 'Corrected', edits: 1 });
  });

  it("refuses to edit someone else's message", () => {
    givenThread(...conversation)
      .when(edit('m2', anna, 'x'))
      .thenRefuses('NOT_MESSAGE_AUTHOR');
    givenThread(...conversation)
      .when(edit('m1', felix, 'x'))
      .thenRefuses('NOT_MESSAGE_AUTHOR');
  });

  it('refuses an edit more than 24 hours after posting', () => {
    givenThread(...conversation)
      .when(edit('m1', anna, 'late fix', later(24)))
      .then(edited('m1', anna, 'late fix', later(24)));
    const error = givenThread(...conversation)
      .when(edit('m1', anna, 'too late', later(25)))
      .thenRefuses('EDIT_WINDOW_PASSED');
    expect(error.details).toMatchObject({ postedAt: at });
  });

  it('refuses an edit that changes nothing, of an unknown or retracted message, and in a closed thread', () => {
    givenThread(...conversation)
      .when(edit('m1', anna, 'text of m1'))
      .thenRefuses('MESSAGE_UNCHANGED');
    givenThread(...conversation)
      .when(edit('m9', anna, 'x'))
      .thenRefuses('MESSAGE_NOT_FOUND');
    givenThread(...conversation, retracted('m1', anna))
      .when(edit('m1', anna, 'x'))
      .thenRefuses('MESSAGE_RETRACTED');
    givenThread(...conversation, closed())
      .when(edit('m1', anna, 'x'))
      .thenRefuses('THREAD_CLOSED');
  });
});

describe('retracting', () => {
  it('takes the message out of the conversation, keeping the reason', () => {
    givenThread(...conversation)
      .when(retract('m2', acmeBuyer, 'wrong order number'))
      .then({ type: 'MessageRetracted', data: { threadId, messageId: 'm2', reason: 'wrong order number', retractedBy: acmeBuyer, retractedAt: at } });
    const state = fold(threadDecider, [...conversation, retracted('m2', acmeBuyer)]);
    expect(visibleMessages(state).map((m) => m.messageId)).toEqual(['m1']);
  });

  it('has no time window', () => {
    givenThread(opened(), posted('m1', 1, anna, 'old', later(-24 * 30)))
      .when(retract('m1', anna))
      .then(retracted('m1', anna));
  });

  it("refuses to retract someone else's message, an unknown one, one already retracted, or in a closed thread", () => {
    givenThread(...conversation)
      .when(retract('m1', acmeBuyer))
      .thenRefuses('NOT_MESSAGE_AUTHOR');
    givenThread(...conversation)
      .when(retract('m9', anna))
      .thenRefuses('MESSAGE_NOT_FOUND');
    givenThread(...conversation, retracted('m1', anna))
      .when(retract('m1', anna))
      .thenRefuses('MESSAGE_ALREADY_RETRACTED');
    givenThread(...conversation, closed())
      .when(retract('m1', anna))
      .thenRefuses('THREAD_CLOSED');
  });
});

describe('reading', () => {
  it('moves the reader’s marker to a message, giving unread counts per participant', () => {
    givenThread(...conversation)
      .when(read('m2', anna))
      .then(wasRead('m2', 2, anna));
    const state = fold(threadDecider, [...conversation, posted('m3', 3, acmeBuyer), wasRead('m2', 2, anna)]);
    expect(unreadCount(state, anna.id)).toBe(1);
    expect(unreadCount(state, acmeBuyer.id)).toBe(1); // m1 from anna; its own m2 and m3 never count
    expect(unreadCount(state, felix.id)).toBe(3);
  });

  it('never moves a marker backwards, and reading again records nothing', () => {
    givenThread(...conversation, wasRead('m2', 2, anna))
      .when(read('m1', anna))
      .then();
    givenThread(...conversation, wasRead('m2', 2, anna))
      .when(read('m2', anna))
      .then();
  });

  it('works on a closed thread, and refuses an unknown message', () => {
    givenThread(...conversation, closed())
      .when(read('m2', acmeBuyer))
      .then(wasRead('m2', 2, acmeBuyer));
    givenThread(...conversation)
      .when(read('m9', anna))
      .thenRefuses('MESSAGE_NOT_FOUND');
  });

  it('does not count retracted messages as unread', () => {
    const state = fold(threadDecider, [...conversation, retracted('m2', acmeBuyer)]);
    expect(unreadCount(state, anna.id)).toBe(0);
  });

  it('is refused to another dealer and to an auditor', () => {
    givenThread(...conversation)
      .when(read('m2', boltBuyer))
      .thenRefuses('THREAD_NOT_FOUND');
    givenThread(...conversation)
      .when(read('m2', auditor))
      .thenRefuses('NOT_A_THREAD_PARTICIPANT');
  });
});

describe('closing and reopening', () => {
  it('closes an open thread, with the reason, by staff or its dealer', () => {
    givenThread(...conversation)
      .when(close(anna, 'answered'))
      .then({ type: 'ThreadClosed', data: { threadId, reason: 'answered', closedBy: anna, closedAt: at } });
    givenThread(...conversation)
      .when(close(acmeBuyer))
      .then(closed(acmeBuyer));
  });

  it('refuses to close a closed thread and to reopen an open one', () => {
    givenThread(...conversation, closed())
      .when(close())
      .thenRefuses('THREAD_ALREADY_CLOSED');
    givenThread(...conversation)
      .when(reopen())
      .thenRefuses('THREAD_NOT_CLOSED');
  });

  it('reopens a closed thread, which then takes posts again', () => {
    givenThread(...conversation, closed())
      .when(reopen(acmeBuyer))
      .then(reopened(acmeBuyer));
    givenThread(...conversation, closed(), reopened())
      .when(post('m3', acmeBuyer))
      .then(posted('m3', 3, acmeBuyer));
  });

  it('is refused to another dealer and to an auditor', () => {
    givenThread(...conversation)
      .when(close(boltBuyer))
      .thenRefuses('THREAD_NOT_FOUND');
    givenThread(...conversation, closed())
      .when(reopen(auditor))
      .thenRefuses('NOT_A_THREAD_PARTICIPANT');
  });
});

describe('thread state', () => {
  it('ignores events for a thread that was never opened', () => {
    expect(fold(threadDecider, [posted('m1', 1, anna), closed()])).toEqual({ exists: false });
  });
});
