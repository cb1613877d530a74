import type { ThreadEvent } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';
import type { ThreadMessagesTable, ThreadReadsTable, ThreadsTable } from './threads-schema';

const EVENT_TYPES = ['ThreadOpened', 'MessagePosted', 'MessageEdited', 'MessageRetracted', 'ThreadRead', 'ThreadClosed', 'ThreadReopened'] as const;

const threadIdOf = (e: RecordedEvent) => e.streamId.slice('thread-'.length);
const messageKey = (threadId: string, messageId: string) => `${threadId}\u0000${messageId}`;

/** The batch's working set: the rows it reads, folds in memory, and writes back in one statement per table. */
interface WorkingSet {
  readonly threads: Map<string, ThreadsTable>;
  readonly messages: Map<string, ThreadMessagesTable>;
  readonly reads: Map<string, ThreadReadsTable>;
  readonly changedThreads: Set<string>;
  readonly changedMessages: Set<string>;
  readonly changedReads: Set<string>;
}

/** After a retraction, the thread's last message is the last one still shown (the loaded messages hold all of them). */
const lastShown = (set: WorkingSet, threadId: string): ThreadMessagesTable | undefined => {
  let last: ThreadMessagesTable | undefined;
  for (const m of set.messages.values()) if (m.thread_id === threadId && !m.retracted && (!last || m.seq > last.seq)) last = m;
  return last;
};

const apply = (set: WorkingSet, recorded: RecordedEvent): void => {
  const event = recorded as unknown as ThreadEvent;
  const threadId = threadIdOf(recorded);
  if (event.type === 'ThreadOpened') {
    const d = event.data;
    set.threads.set(threadId, {
      thread_id: threadId,
      partner_id: d.partnerId,
      subject: d.subject,
      link_kind: d.link?.kind ?? null,
      link_id: d.link?.id ?? null,
      status: 'open',
      message_count: 0,
      last_seq: 0,
      last_message_at: null,
      last_message_by: null,
      last_activity_at: d.openedAt,
      opened_by: d.openedBy.id,
      opened_by_role: d.openedBy.role,
      opened_at: d.openedAt,
      closed_at: null,
      close_reason: null,
      updated_at: d.openedAt,
      version: recorded.streamVersion,
    });
    set.changedThreads.add(threadId);
    return;
  }
  const thread = set.threads.get(threadId);
  if (!thread) return;
  const update = (change: Partial<ThreadsTable>) => {
    set.threads.set(threadId, { ...thread, ...change, version: recorded.streamVersion });
    set.changedThreads.add(threadId);
  };
  const updateMessage = (messageId: string, change: Partial<ThreadMessagesTable>) => {
    const key = messageKey(threadId, messageId);
    const message = set.messages.get(key);
    if (!message) return undefined;
    const next = { ...message, ...change };
    set.messages.set(key, next);
    set.changedMessages.add(key);
    return next;
  };
  switch (event.type) {
    case 'MessagePosted': {
      const d = event.data;
      const key = messageKey(threadId, d.messageId);
      set.messages.set(key, {
        thread_id: threadId,
        message_id: d.messageId,
        seq: d.seq,
        author_id: d.author.id,
        author_role: d.author.role,
        author_partner_id: d.author.partnerId ?? null,
        body: d.body,
        attachments: d.attachments,
        posted_at: d.postedAt,
        edit_count: 0,
        edited_at: null,
        retracted: false,
        retracted_at: null,
        retract_reason: null,
      });
      set.changedMessages.add(key);
      update({
        message_count: thread.message_count + 1,
        last_seq: Math.max(thread.last_seq, d.seq),
        last_message_at: d.postedAt,
        last_message_by: d.author.id,
        last_activity_at: d.postedAt,
        updated_at: d.postedAt,
      });
      return;
    }
    case 'MessageEdited': {
      const message = set.messages.get(messageKey(threadId, event.data.messageId));
      updateMessage(event.data.messageId, { body: event.data.body, edit_count: (message?.edit_count ?? 0) + 1, edited_at: event.data.editedAt });
      update({ updated_at: event.data.editedAt });
      return;
    }
    case 'MessageRetracted': {
      const d = event.data;
      const retracted = updateMessage(d.messageId, {
        body: null,
        attachments: [],
        retracted: true,
        retracted_at: d.retractedAt,
        retract_reason: d.reason ?? null,
      });
      if (!retracted) return;
      const last = lastShown(set, threadId);
      update({
        message_count: Math.max(0, thread.message_count - 1),
        last_message_at: last?.posted_at ?? null,
        last_message_by: last?.author_id ?? null,
        last_activity_at: last?.posted_at ?? thread.opened_at,
        updated_at: d.retractedAt,
      });
      return;
    }
    case 'ThreadRead': {
      const d = event.data;
      const key = messageKey(threadId, d.reader.id);
      const previous = set.reads.get(key);
      if (previous && previous.up_to_seq >= d.upToSeq) return;
      set.reads.set(key, { thread_id: threadId, reader_id: d.reader.id, up_to_seq: d.upToSeq, read_at: d.readAt });
      set.changedReads.add(key);
      return;
    }
    case 'ThreadClosed':
      update({ status: 'closed', closed_at: event.data.closedAt, close_reason: event.data.reason ?? null, updated_at: event.data.closedAt });
      return;
    case 'ThreadReopened':
      update({ status: 'open', closed_at: null, close_reason: null, updated_at: event.data.reopenedAt });
      return;
  }
};

/**
 * `threads`, `thread_messages` and `thread_reads`: the collaboration space. A batch reads the rows it touches (every message
 * of a thread only when a message in it is edited or retracted), folds its events in memory and upserts the changes.
 */
export const threadsProjection: Projection = {
  name: 'threads',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: ['threads', 'thread_messages', 'thread_reads'],
  async createTables(db) {
    await db.schema
      .createTable('threads')
      .ifNotExists()
      .addColumn('thread_id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('link_kind', 'text')
      .addColumn('link_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message_count', 'integer', (c) => c.notNull())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addColumn('last_message_at', 'text')
      .addColumn('last_message_by', 'text')
      .addColumn('last_activity_at', 'text', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('opened_by_role', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('close_reason', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('thread_messages')
      .ifNotExists()
      .addColumn('thread_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_role', 'text', (c) => c.notNull())
      .addColumn('author_partner_id', 'text')
      .addColumn('body', 'text')
      .addColumn('attachments', 'jsonb', (c) => c.notNull())
      .addColumn('posted_at', 'text', (c) => c.notNull())
      .addColumn('edit_count', 'integer', (c) => c.notNull())
      .addColumn('edited_at', 'text')
      .addColumn('retracted', 'boolean', (c) => c.notNull())
      .addColumn('retracted_at', 'text')
      .addColumn('retract_reason', 'text')
      .addPrimaryKeyConstraint('thread_messages_pk', ['thread_id', 'message_id'])
      .execute();
    await db.schema
      .createTable('thread_reads')
      .ifNotExists()
      .addColumn('thread_id', 'text', (c) => c.notNull())
      .addColumn('reader_id', 'text', (c) => c.notNull())
      .addColumn('up_to_seq', 'integer', (c) => c.notNull())
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('thread_reads_pk', ['thread_id', 'reader_id'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('threads_partner_idx').ifNotExists().on('threads').columns(['partner_id', 'last_activity_at']).execute();
    await db.schema.createIndex('threads_activity_idx').ifNotExists().on('threads').columns(['last_activity_at', 'thread_id']).execute();
    await db.schema.createIndex('threads_link_idx').ifNotExists().on('threads').columns(['link_kind', 'link_id']).execute();
    await db.schema.createIndex('thread_messages_seq_idx').ifNotExists().on('thread_messages').columns(['thread_id', 'seq']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const ids = [...new Set(events.map(threadIdOf))];
    const rewritten = [...new Set(events.filter((e) => e.type === 'MessageEdited' || e.type === 'MessageRetracted').map(threadIdOf))];
    const readers = events.filter((e) => e.type === 'ThreadRead').map((e) => (e.data as { reader: { id: string } }).reader.id);
    // One query at a time: the batch runs inside the runner's transaction, on one connection.
    const threads = await db.selectFrom('threads').selectAll().where('thread_id', 'in', ids).execute();
    const messages = rewritten.length ? await db.selectFrom('thread_messages').selectAll().where('thread_id', 'in', rewritten).execute() : [];
    const reads = readers.length
      ? await db
          .selectFrom('thread_reads')
          .selectAll()
          .where('thread_id', 'in', ids)
          .where('reader_id', 'in', [...new Set(readers)])
          .execute()
      : [];
    const set: WorkingSet = {
      threads: new Map(threads.map((t) => [t.thread_id, t])),
      messages: new Map(messages.map((m) => [messageKey(m.thread_id, m.message_id), m])),
      reads: new Map(reads.map((r) => [messageKey(r.thread_id, r.reader_id), r])),
      changedThreads: new Set(),
      changedMessages: new Set(),
      changedReads: new Set(),
    };
    for (const e of events) apply(set, e);
    const pick = <T>(rows: Map<string, T>, keys: Set<string>) => [...keys].map((k) => rows.get(k)!);
    await upsertRows(db, 'threads', ['thread_id'], pick(set.threads, set.changedThreads));
    await upsertRows(db, 'thread_messages', ['thread_id', 'message_id'], pick(set.messages, set.changedMessages));
    await upsertRows(db, 'thread_reads', ['thread_id', 'reader_id'], pick(set.reads, set.changedReads));
  },
};
