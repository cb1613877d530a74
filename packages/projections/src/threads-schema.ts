/**
 * Read-model tables of the collaboration space: threads between the manufacturer and a dealer, their messages, and each
 * participant's read marker. Part of `ReadModels` (see `schema.ts`). Timestamps are ISO text as the events carry them.
 */

/** One row per thread, with what its list shows: partner, subject, link, status, visible message count, last message. */
export interface ThreadsTable {
  thread_id: string;
  partner_id: string;
  subject: string;
  link_kind: 'order' | 'agreement' | 'settlement' | 'stock' | null;
  link_id: string | null;
  status: 'open' | 'closed';
  /** Messages shown in the conversation (retracted ones excluded). */
  message_count: number;
  /** The highest message number posted, retracted or not. */
  last_seq: number;
  last_message_at: string | null;
  last_message_by: string | null;
  /** The last message's time, or the opening time: the list's sort key. */
  last_activity_at: string;
  opened_by: string;
  opened_by_role: string;
  opened_at: string;
  closed_at: string | null;
  close_reason: string | null;
  updated_at: string;
  version: number;
}

/** Every message with its current text; a retracted message keeps its row (body null) so numbering stays intact. */
export interface ThreadMessagesTable {
  thread_id: string;
  message_id: string;
  seq: number;
  author_id: string;
  author_role: string;
  author_partner_id: string | null;
  /** The current text (last edit), or null once retracted. */
  body: string | null;
  attachments: unknown;
  posted_at: string;
  edit_count: number;
  edited_at: string | null;
  retracted: boolean;
  retracted_at: string | null;
  retract_reason: string | null;
}

/** Per participant (actor id), the number of the last message read in the thread. */
export interface ThreadReadsTable {
  thread_id: string;
  reader_id: string;
  up_to_seq: number;
  read_at: string;
}
