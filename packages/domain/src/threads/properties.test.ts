import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../shared/ids';
import type { ThreadCommand } from './commands';
import { ThreadEvent } from './events';
import { type ThreadState, threadDecider, unreadCount, visibleMessages } from './index';

const threadId = 't-1';
const ACTORS: readonly Actor[] = [
  { id: 'anna.sales', role: 'sales' },
  { id: 'felix.finance', role: 'finance' },
  { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' },
  { id: 'acme.owner', role: 'dealer', partnerId: 'acme' },
  { id: 'bolt.buyer', role: 'dealer', partnerId: 'bolt' },
  { id: 'ines.audit', role: 'auditor' },
];
const START = Date.parse('2025-03-01T09:00:00Z');

const actor = fc.constantFrom(...ACTORS);
const messageId = fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6');
const body = fc.constantFrom('Where is it?', 'Shipping Tuesday.', 'Thanks!', 'Corrected text');

/** Any command a participant (or an intruder) might send to one thread, at some hour after the start. */
const command: fc.Arbitrary<(at: string) => ThreadCommand> = fc.oneof(
  fc.record({ by: actor }).map(
    ({ by }) =>
      (at: string): ThreadCommand => ({ type: 'OpenThread', data: { threadId, partnerId: 'acme', subject: 'Rebate question', by, openedAt: at } }),
  ),
  fc.record({ by: actor, messageId, body }).map(
    ({ by, messageId, body }) =>
      (at: string): ThreadCommand => ({ type: 'PostMessage', data: { threadId, messageId, by, body, attachments: [], postedAt: at } }),
  ),
  fc.record({ by: actor, messageId, body }).map(
    ({ by, messageId, body }) =>
      (at: string): ThreadCommand => ({ type: 'EditMessage', data: { threadId, messageId, by, body, editedAt: at } }),
  ),
  fc.record({ by: actor, messageId }).map(
    ({ by, messageId }) =>
      (at: string): ThreadCommand => ({ type: 'RetractMessage', data: { threadId, messageId, by, retractedAt: at } }),
  ),
  fc.record({ by: actor, messageId }).map(
    ({ by, messageId }) =>
      (at: string): ThreadCommand => ({ type: 'MarkThreadRead', data: { threadId, by, upToMessageId: messageId, readAt: at } }),
  ),
  fc.record({ by: actor }).map(
    ({ by }) =>
      (at: string): ThreadCommand => ({ type: 'CloseThread', data: { threadId, by, closedAt: at } }),
  ),
  fc.record({ by: actor }).map(
    ({ by }) =>
      (at: string): ThreadCommand => ({ type: 'ReopenThread', data: { threadId, by, reopenedAt: at } }),
  ),
);

const session = fc.array(fc.tuple(command, fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 60 });

describe('any sequence of thread commands', () => {
  it('folds its accepted events into a state where every invariant holds', () => {
    fc.assert(
      fc.property(session, (steps) => {
        let state: ThreadState = threadDecider.initialState;
        let clock = START;
        const retracted = new Set<string>();
        for (const [make, hours] of steps) {
          clock += hours * 3_600_000;
          const c = make(new Date(clock).toISOString());
          const decision = threadDecider.decide(c, state);
          if (decision._tag === 'Left') continue;
          for (const event of decision.right) {
            // Every accepted event matches its schema (it could be stored and read back).
            expect(ThreadEvent.safeParse(event).success).toBe(true);
            // Nobody outside the thread's partner and the manufacturer's staff ever writes in it.
            expect(c.data.by.role).not.toBe('auditor');
            expect(c.data.by.partnerId ?? 'acme').toBe('acme');
            // A closed thread takes no posts, edits or retractions.
            if (['MessagePosted', 'MessageEdited', 'MessageRetracted'].includes(event.type)) expect(state.exists && state.status).toBe('open');
            if (event.type === 'MessageRetracted') retracted.add(event.data.messageId);
            state = threadDecider.evolve(state, event);
          }
        }
        if (!state.exists) return;
        // Messages are numbered 1..n with no gap, and retracted ones never reach the conversation.
        expect(state.messages.map((m) => m.seq)).toEqual(state.messages.map((_, i) => i + 1));
        const visible = visibleMessages(state);
        for (const m of visible) expect(retracted.has(m.messageId)).toBe(false);
        for (const p of ACTORS) {
          const unread = unreadCount(state, p.id);
          expect(unread).toBeGreaterThanOrEqual(0);
          expect(unread).toBeLessThanOrEqual(visible.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
