import type { Attachment, ThreadLink } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import type { ThreadMessagesTable, ThreadsTable } from '../threads-schema';
import { decodeCursor, encodeCursor } from './cursor';

export interface ThreadSummary {
  readonly threadId: string;
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly subject: string;
  readonly link: ThreadLink | null;
  readonly status: ThreadsTable['status'];
  readonly messageCount: number;
  /** Messages shown that the reader has not read and did not write; 0 without a reader. */
  readonly unreadCount: number;
  readonly lastMessageAt: string | null;
  readonly lastMessageBy: string | null;
  readonly openedBy: string;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
}

export interface ThreadMessageView {
  readonly messageId: string;
  readonly seq: number;
  readonly author: { readonly id: string; readonly role: string; readonly partnerId: string | null };
  /** The current text; null once retracted (the text stays only in the thread's audit history). */
  readonly body: string | null;
  readonly attachments: readonly Attachment[];
  readonly postedAt: string;
  readonly edited: boolean;
  readonly editedAt: string | null;
  readonly retracted: boolean;
  readonly retractedAt: string | null;
}

export interface ThreadDetail extends ThreadSummary {
  /** The reader's marker: the number of the last message read, 0 for none. */
  readonly readUpTo: number;
  readonly messages: readonly ThreadMessageView[];
}

export interface ThreadListFilter {
  /** Only this partner's threads: a dealer's view, or a staff filter. */
  readonly partnerId?: string | undefined;
  readonly status?: string | undefined;
  readonly linkKind?: string | undefined;
  readonly linkId?: string | undefined;
  /** Whose unread counts to compute (the caller's actor id). */
  readonly readerId?: string | undefined;
  /** Only threads with messages the reader has not read (needs `readerId`). */
  readonly unreadOnly?: boolean | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Visible messages of the outer `t` thread that `readerId` neither wrote nor has read (a count, as text). */
const unreadOf = (readerId: string) =>
  sql<string>`(select count(*) from thread_messages m where m.thread_id = t.thread_id and not m.retracted and m.author_id <> ${readerId}
    and m.seq > coalesce((select r.up_to_seq from thread_reads r where r.thread_id = t.thread_id and r.reader_id = ${readerId}), 0))`;

type SummaryRow = ThreadsTable & { partner_name: string | null; unread: string | number };

const summary = (t: SummaryRow): ThreadSummary => ({
  threadId: t.thread_id,
  partnerId: t.partner_id,
  partnerName: t.partner_name,
  subject: t.subject,
  link: t.link_kind && t.link_id ? { kind: t.link_kind, id: t.link_id } : null,
  status: t.status,
  messageCount: t.message_count,
  unreadCount: Number(t.unread),
  lastMessageAt: t.last_message_at,
  lastMessageBy: t.last_message_by,
  openedBy: t.opened_by,
  openedAt: t.opened_at,
  closedAt: t.closed_at,
  closeReason: t.close_reason,
});

const message = (m: ThreadMessagesTable): ThreadMessageView => ({
  messageId: m.message_id,
  seq: m.seq,
  author: { id: m.author_id, role: m.author_role, partnerId: m.author_partner_id },
  body: m.retracted ? null : m.body,
  attachments: m.retracted ? [] : (m.attachments as Attachment[]),
  postedAt: m.posted_at,
  edited: m.edit_count > 0,
  editedAt: m.edited_at,
  retracted: m.retracted,
  retractedAt: m.retracted_at,
});

const threadsWith = (db: Kysely<ReadModels>, readerId: string | undefined) =>
  db
    .selectFrom('threads as t')
    .leftJoin('partners as p', 'p.partner_id', 't.partner_id')
    .selectAll('t')
    .select('p.name as partner_name')
    .select((readerId === undefined ? sql<string>`0` : unreadOf(readerId)).as('unread'));

/**
 * Threads, most recent activity first, in pages; with the reader's unread counts.
 *
 * @example
 *   const { items } = await listThreads(db, { partnerId: 'acme', status: 'open', readerId: 'key:k1', unreadOnly: true });
 */
export const listThreads = async (db: Kysely<ReadModels>, filter: ThreadListFilter = {}): Promise<{ items: ThreadSummary[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let q = threadsWith(db, filter.readerId);
  if (filter.partnerId !== undefined) q = q.where('t.partner_id', '=', filter.partnerId);
  if (filter.status) q = q.where('t.status', '=', filter.status as ThreadsTable['status']);
  if (filter.linkKind) q = q.where('t.link_kind', '=', filter.linkKind as NonNullable<ThreadsTable['link_kind']>);
  if (filter.linkId) q = q.where('t.link_id', '=', filter.linkId);
  if (filter.unreadOnly && filter.readerId !== undefined) {
    q = q.where(sql<boolean>`${unreadOf(filter.readerId)} > 0`);
  }
  if (filter.cursor) {
    const [at, id] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.where(sql<boolean>`(t.last_activity_at, t.thread_id) < (${at}, ${id})`);
  }
  const rows = await q
    .orderBy('t.last_activity_at', 'desc')
    .orderBy('t.thread_id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(summary), nextCursor: rows.length > limit && last ? encodeCursor([last.last_activity_at, last.thread_id]) : null };
};

/** One thread with its conversation in order (retracted messages as empty placeholders); `partnerId` confines a dealer. */
export const getThread = async (
  db: Kysely<ReadModels>,
  threadId: string,
  options: { partnerId?: string | undefined; readerId?: string | undefined } = {},
): Promise<ThreadDetail | undefined> => {
  let q = threadsWith(db, options.readerId).where('t.thread_id', '=', threadId);
  if (options.partnerId !== undefined) q = q.where('t.partner_id', '=', options.partnerId);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const [messages, read] = [
    await db.selectFrom('thread_messages').selectAll().where('thread_id', '=', threadId).orderBy('seq').execute(),
    options.readerId === undefined
      ? undefined
      : await db.selectFrom('thread_reads').select('up_to_seq').where('thread_id', '=', threadId).where('reader_id', '=', options.readerId).executeTakeFirst(),
  ];
  return { ...summary(row), readUpTo: read?.up_to_seq ?? 0, messages: messages.map(message) };
};
