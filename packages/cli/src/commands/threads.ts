import type { CommandResult } from '@dms/app';
import { newId } from '@dms/eventstore';
import { type DmsRuntime, getThread, listThreads, type ThreadListFilter } from '@dms/projections';
import { dateTime } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

/** Returned when the arguments do not name a threads command: the caller prints the usage. */
export const THREADS_USAGE =
  'Use: dms threads list [--partner P] [--status open|closed] | dms threads show <threadId> | dms threads post <threadId> --body TEXT';

const STATUSES = ['open', 'closed'];

export const threadsList = async (runtime: DmsRuntime, filter: ThreadListFilter, out: Out): Promise<number> => {
  if (filter.status !== undefined && !STATUSES.includes(filter.status)) {
    out(`--status must be open or closed, not "${filter.status}".`);
    return 64;
  }
  const page = await listThreads(runtime.runner.db, filter);
  if (page.items.length === 0) {
    out('No threads match.');
    return 0;
  }
  out(
    renderTable(page.items, [
      { header: 'thread', value: (t) => t.threadId },
      { header: 'dealer', value: (t) => t.partnerName ?? t.partnerId },
      { header: 'subject', value: (t) => t.subject },
      { header: 'about', value: (t) => (t.link ? `${t.link.kind} ${t.link.id}` : '') },
      { header: 'status', value: (t) => t.status },
      { header: 'messages', value: (t) => t.messageCount, align: 'right' },
      { header: 'last message', value: (t) => dateTime(t.lastMessageAt) },
      { header: 'by', value: (t) => t.lastMessageBy },
    ]),
  );
  if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
  return 0;
};

/** A thread as a conversation: who wrote what and when, edits marked, retracted messages as a placeholder. */
export const threadsShow = async (runtime: DmsRuntime, threadId: string, out: Out): Promise<number> => {
  const t = await getThread(runtime.runner.db, threadId);
  if (!t) {
    out(`Thread ${threadId} does not exist.`);
    return 1;
  }
  out(`${t.subject}`);
  out(
    `Thread ${t.threadId} with ${t.partnerName ?? t.partnerId} (${t.partnerId})${t.link ? `, about ${t.link.kind} ${t.link.id}` : ''}: ${t.status}` +
      `${t.closeReason ? ` (${t.closeReason})` : ''}. Opened by ${t.openedBy} on ${dateTime(t.openedAt)}.`,
  );
  for (const m of t.messages) {
    out('');
    const who = `${m.author.id} (${m.author.partnerId ? `dealer ${m.author.partnerId}` : m.author.role})`;
    out(`#${m.seq}  ${dateTime(m.postedAt)}  ${who}${m.edited ? `  · edited ${dateTime(m.editedAt)}` : ''}`);
    if (m.retracted) {
      out(`    (retracted ${dateTime(m.retractedAt)})`);
      continue;
    }
    for (const line of (m.body ?? '').split('\n')) out(`    ${line}`);
    for (const a of m.attachments) out(`    [attachment] ${a.name} <${a.url}>`);
  }
  if (t.messages.length === 0) out('\nNo messages yet.');
  return 0;
};

/** Posts as the CLI operator (an admin, like every CLI command that writes), then brings the read models up to date. */
export const threadsPost = async (runtime: DmsRuntime, threadId: string, body: string | undefined, out: Out): Promise<number> => {
  if (body === undefined || body.trim() === '') {
    out('--body is required: the text of the message.');
    return 64;
  }
  const result: CommandResult = await runtime.bus.execute(
    { type: 'PostMessage', data: { threadId, messageId: `msg-${newId()}`, by: operator(), body, attachments: [], postedAt: new Date().toISOString() } },
    { commandId: `cli-${newId()}`, actor: operator() },
  );
  if (result._tag === 'Left') {
    out(`Refused (${result.left.code}): ${result.left.message}`);
    return 2;
  }
  // Let the read models catch up, so the next `dms threads show` has the message.
  await runtime.runner.catchUp();
  const seq = (result.right.events[0]?.data as { seq?: number } | undefined)?.seq;
  out(`Posted message #${seq} to ${threadId}.`);
  return 0;
};
