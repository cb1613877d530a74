import { CommandBus, type CommandResult } from '@dms/app';
import { type Actor, fold, type ThreadCommand, type ThreadEvent, threadDecider, threadStream, unreadCount, visibleMessages } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, getThread, listThreads, ProjectionRunner } from '../src';
import { contexts, ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const anna: Actor = { id: 'anna.sales', role: 'sales' };
const acmeBuyer: Actor = { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' };
const boltBuyer: Actor = { id: 'bolt.buyer', role: 'dealer', partnerId: 'bolt' };
const ctx = contexts('cmd', admin);
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
const refused = (r: CommandResult) => (r._tag === 'Left' ? r.left.code : 'accepted');

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`thread read models on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const send = (command: ThreadCommand) => bus.execute(command, ctx(command.data.by));

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      const listPrice = { amountMinor: 10_000, currency: 'EUR' };
      ok(
        await bus.execute(
          { type: 'RegisterProduct', data: { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice, registeredAt: at(1) } },
          ctx(),
        ),
      );
      for (const partnerId of ['acme', 'bolt']) {
        const creditLimit = { amountMinor: 1_000_000, currency: 'EUR' };
        const data = { partnerId, name: partnerId.toUpperCase(), region: 'north', tier: 'gold', creditLimit, contacts: [], onboardedAt: at(1) };
        ok(await bus.execute({ type: 'OnboardPartner', data }, ctx()));
      }
      ok(await bus.placeOrder({ orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 2 }], placedAt: at(2) }, ctx(acmeBuyer)));

      const link = { kind: 'order', id: 'o-1' } as const;
      ok(
        await send({
          type: 'OpenThread',
          data: {
            threadId: 't-delivery',
            partnerId: 'acme',
            subject: 'Delivery date for o-1',
            link,
            by: acmeBuyer,
            openedAt: at(3),
            message: { messageId: 'm1', body: 'When will o-1 ship?', attachments: [] },
          },
        }),
      );
      ok(
        await send({
          type: 'PostMessage',
          data: { threadId: 't-delivery', messageId: 'm2', by: anna, body: 'Thursday.', attachments: [], postedAt: at(3, 10) },
        }),
      );
      ok(
        await send({
          type: 'PostMessage',
          data: {
            threadId: 't-delivery',
            messageId: 'm3',
            by: anna,
            body: 'Tracking: see the note.',
            attachments: [{ name: 'note.pdf', url: 'https://files.example/note.pdf' }],
            postedAt: at(3, 11),
          },
        }),
      );
      ok(await send({ type: 'EditMessage', data: { threadId: 't-delivery', messageId: 'm2', by: anna, body: 'Thursday morning.', editedAt: at(3, 12) } }));
      ok(await send({ type: 'RetractMessage', data: { threadId: 't-delivery', messageId: 'm3', by: anna, reason: 'wrong order', retractedAt: at(3, 13) } }));
      ok(await send({ type: 'MarkThreadRead', data: { threadId: 't-delivery', by: acmeBuyer, upToMessageId: 'm1', readAt: at(3, 14) } }));
      ok(await send({ type: 'OpenThread', data: { threadId: 't-bolt', partnerId: 'bolt', subject: 'Rebates', by: anna, openedAt: at(4) } }));
      ok(await send({ type: 'CloseThread', data: { threadId: 't-bolt', by: boltBuyer, reason: 'answered', closedAt: at(5) } }));
      await runner.catchUp();
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('refuses to open a thread with an unknown partner, or linked to a resource of another partner or none, writing nothing', async () => {
      const open = (partnerId: string, link?: { kind: 'order' | 'agreement' | 'settlement' | 'stock'; id: string }): ThreadCommand => ({
        type: 'OpenThread',
        data: { threadId: `t-${partnerId}-${link?.kind ?? 'none'}`, partnerId, subject: 's', ...(link ? { link } : {}), by: anna, openedAt: at(6) },
      });
      expect(refused(await send(open('nobody')))).toBe('PARTNER_NOT_FOUND');
      expect(refused(await send(open('bolt', { kind: 'order', id: 'o-1' })))).toBe('LINKED_RESOURCE_NOT_FOUND');
      for (const kind of ['order', 'agreement', 'settlement', 'stock'] as const)
        expect(refused(await send(open('acme', { kind, id: 'nope.x' })))).toBe('LINKED_RESOURCE_NOT_FOUND');
      for (const id of ['t-nobody-none', 't-bolt-order', 't-acme-order', 't-acme-agreement', 't-acme-settlement', 't-acme-stock']) {
        for await (const _ of store.readStream(threadStream(id))) throw new Error(`${id} was written`);
      }
    });

    it('lists threads with partner, subject, link, status, visible message count, last message and unread counts', async () => {
      const { items } = await listThreads(database.db, { readerId: acmeBuyer.id });
      expect(items.map((t) => t.threadId)).toEqual(['t-bolt', 't-delivery']);
      expect(items[1]).toMatchObject({
        partnerId: 'acme',
        partnerName: 'ACME',
        subject: 'Delivery date for o-1',
        link: { kind: 'order', id: 'o-1' },
        status: 'open',
        messageCount: 2,
        unreadCount: 1,
        lastMessageAt: at(3, 10),
        lastMessageBy: 'anna.sales',
        openedBy: 'acme.buyer',
      });
      expect(items[0]).toMatchObject({ status: 'closed', closeReason: 'answered', messageCount: 0, link: null });
    });

    it('filters by partner (a dealer sees only its own), status, link and unread, in keyset pages', async () => {
      expect((await listThreads(database.db, { partnerId: 'acme' })).items.map((t) => t.threadId)).toEqual(['t-delivery']);
      expect((await listThreads(database.db, { status: 'closed' })).items.map((t) => t.threadId)).toEqual(['t-bolt']);
      expect((await listThreads(database.db, { linkKind: 'order', linkId: 'o-1' })).items.map((t) => t.threadId)).toEqual(['t-delivery']);
      expect((await listThreads(database.db, { readerId: anna.id, unreadOnly: true })).items.map((t) => t.threadId)).toEqual(['t-delivery']);
      expect((await listThreads(database.db, { readerId: acmeBuyer.id, unreadOnly: true, partnerId: 'bolt' })).items).toEqual([]);
      const first = await listThreads(database.db, { limit: 1 });
      expect(first.items.map((t) => t.threadId)).toEqual(['t-bolt']);
      const second = await listThreads(database.db, { limit: 1, cursor: first.nextCursor! });
      expect(second.items.map((t) => t.threadId)).toEqual(['t-delivery']);
      expect(second.nextCursor).toBeNull();
    });

    it('shows a thread with its conversation: current text, edited flags, retracted messages emptied', async () => {
      const thread = await getThread(database.db, 't-delivery', { readerId: acmeBuyer.id });
      expect(thread).toMatchObject({ readUpTo: 1, unreadCount: 1 });
      expect(thread!.messages.map((m) => [m.seq, m.body, m.edited, m.retracted])).toEqual([
        [1, 'When will o-1 ship?', false, false],
        [2, 'Thursday morning.', true, false],
        [3, null, false, true],
      ]);
      expect(thread!.messages[2]!.attachments).toEqual([]);
      expect(await getThread(database.db, 't-delivery', { partnerId: 'bolt' })).toBeUndefined();
    });

    it('agrees with the domain on message counts and unread counts for any accepted sequence, and survives a rebuild', async () => {
      const actors = [anna, acmeBuyer, { id: 'acme.owner', role: 'dealer', partnerId: 'acme' } as Actor, { id: 'felix', role: 'finance' } as Actor];
      const messageIds = ['a', 'b', 'c', 'd'];
      const step = fc.record({ kind: fc.constantFrom('post', 'post', 'edit', 'retract', 'read', 'close', 'reopen'), by: fc.nat(3), message: fc.nat(3) });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
          const threadId = `p-${++run}`;
          ok(await send({ type: 'OpenThread', data: { threadId, partnerId: 'acme', subject: 'property', by: anna, openedAt: at(10) } }));
          let posted = 0;
          for (const [i, s] of steps.entries()) {
            const by = actors[s.by]!;
            const when = at(10, 1 + i);
            const messageId = s.kind === 'post' ? `m${++posted}-${messageIds[s.message]}` : `m${s.message + 1}-${messageIds[s.message]}`;
            const commands: Record<string, ThreadCommand> = {
              post: { type: 'PostMessage', data: { threadId, messageId, by, body: `b${i}`, attachments: [], postedAt: when } },
              edit: { type: 'EditMessage', data: { threadId, messageId, by, body: `e${i}`, editedAt: when } },
              retract: { type: 'RetractMessage', data: { threadId, messageId, by, retractedAt: when } },
              read: { type: 'MarkThreadRead', data: { threadId, by, upToMessageId: messageId, readAt: when } },
              close: { type: 'CloseThread', data: { threadId, by, closedAt: when } },
              reopen: { type: 'ReopenThread', data: { threadId, by, reopenedAt: when } },
            };
            await send(commands[s.kind]!);
          }
          const events: ThreadEvent[] = [];
          for await (const e of store.readStream(threadStream(threadId))) events.push({ type: e.type, data: e.data } as ThreadEvent);
          const state = fold(threadDecider, events);
          await runner.catchUp();
          for (const reader of actors) {
            const thread = await getThread(database.db, threadId, { readerId: reader.id });
            expect(thread!.messageCount).toBe(visibleMessages(state).length);
            expect(thread!.unreadCount).toBe(unreadCount(state, reader.id));
            expect(thread!.unreadCount).toBeGreaterThanOrEqual(0);
            expect(thread!.messages.filter((m) => m.retracted).every((m) => m.body === null)).toBe(true);
            const listed = await listThreads(database.db, { readerId: reader.id, partnerId: 'acme', unreadOnly: true, limit: 500 });
            expect(listed.items.some((t) => t.threadId === threadId)).toBe(unreadCount(state, reader.id) > 0);
          }
        }),
        { numRuns: 12 },
      );
      expect((await runner.verify('threads')).ok).toBe(true);
    });
  });

await onEveryDatabase('threads', suite);
