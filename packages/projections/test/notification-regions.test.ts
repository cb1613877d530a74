import { CommandBus } from '@dms/app';
import type { Actor } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, getUser, listNotifications, ProjectionRunner } from '../src';
import { contexts, ok } from './support/commands';

/**
 * Salespeople own regions (`UserRegionsAssigned`); the inbox joins on them at read time: a sales-team notification with a
 * region reaches its owners, and one whose region nobody owns reaches every salesperson.
 */
const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = contexts('cmd', admin);
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`notifications by region on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;

    const invite = async (userId: string, role: 'sales' | 'admin' | 'finance') =>
      ok(
        await bus.execute(
          {
            type: 'InviteUser',
            data: {
              userId,
              email: `${userId}@example.com`,
              name: userId,
              role,
              invitationId: `inv-${userId}`,
              tokenHash: 'a'.repeat(64),
              expiresAt: at(59),
              invitedAt: at(0),
            },
          },
          ctx(),
        ),
      );
    const accept = async (userId: string) =>
      ok(
        await bus.execute(
          {
            type: 'AcceptInvitation',
            data: { userId, invitationId: `inv-${userId}`, tokenHash: 'a'.repeat(64), credentialId: `cred-${userId}`, acceptedAt: at(1) },
          },
          ctx(),
        ),
      );
    const assign = async (userId: string, regions: string[]) => bus.execute({ type: 'AssignUserRegions', data: { userId, regions, assignedAt: at(2) } }, ctx());
    /** An order queued for review in `region`, as the process manager raises it. */
    const queued = async (orderId: string, region: string) =>
      ok(
        await bus.execute(
          {
            type: 'RaiseNotification',
            data: {
              notificationId: `rv-${orderId}`,
              topic: 'order_waiting_for_review',
              audience: { kind: 'role', role: 'sales', region },
              title: { 'zh-CN': `订单 ${orderId} 待审核`, en: `Order ${orderId} is waiting for review` },
              subject: { streamId: `order-${orderId}`, link: `/console/orders/${orderId}` },
              raisedAt: at(3),
            },
          },
          ctx(),
        ),
      );
    const inboxOf = async (id: string, role: string) =>
      (await listNotifications(database.db, { id: id.includes(':') ? id : `user:${id}`, role }, { limit: 100 })).items.map((n) => n.notificationId).sort();

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      for (const userId of ['nina', 'sven', 'otto']) await invite(userId, 'sales');
      for (const userId of ['nina', 'sven', 'otto']) await accept(userId);
      await invite('fay', 'finance');
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('sends a region’s queued orders to its owner only, an unowned region’s to every salesperson, and all to admins', async () => {
      // Given Nina owns north, Sven south and east; Otto owns none; and Lars (suspended) owned west.
      ok(await assign('nina', ['north']));
      ok(await assign('sven', ['south', 'east']));
      await invite('lars', 'sales');
      await accept('lars');
      ok(await assign('lars', ['west']));
      ok(await bus.execute({ type: 'SuspendUser', data: { userId: 'lars', reason: 'left', suspendedAt: at(2) } }, ctx()));
      // When orders are queued for review in north, south, central (nobody's) and west (only a suspended owner).
      for (const [orderId, region] of [
        ['n-1', 'north'],
        ['s-1', 'south'],
        ['c-1', 'central'],
        ['w-1', 'west'],
      ] as const)
        await queued(orderId, region);
      await runner.catchUp();
      // Then each owner sees their own region's and the unowned ones; nobody else's.
      expect(await inboxOf('nina', 'sales')).toEqual(['rv-c-1', 'rv-n-1', 'rv-w-1']);
      expect(await inboxOf('sven', 'sales')).toEqual(['rv-c-1', 'rv-s-1', 'rv-w-1']);
      // A salesperson without regions (or an API key of the sales role) sees only what nobody owns.
      expect(await inboxOf('otto', 'sales')).toEqual(['rv-c-1', 'rv-w-1']);
      expect(await inboxOf('key:sales', 'sales')).toEqual(['rv-c-1', 'rv-w-1']);
      expect(await inboxOf('admin-1', 'admin')).toEqual(['rv-c-1', 'rv-n-1', 'rv-s-1', 'rv-w-1']);
      expect(await inboxOf('fay', 'finance')).toEqual([]);
      // The unread count follows the same rule.
      expect((await listNotifications(database.db, { id: 'user:nina', role: 'sales' })).unread).toBe(3);

      // When Nina gives up north, north is nobody's: it reaches every salesperson, the notifications raised before included.
      ok(await assign('nina', []));
      await runner.catchUp();
      expect(await inboxOf('otto', 'sales')).toEqual(['rv-c-1', 'rv-n-1', 'rv-w-1']);
      expect(await inboxOf('sven', 'sales')).toEqual(['rv-c-1', 'rv-n-1', 'rv-s-1', 'rv-w-1']);
      // A user who is no longer in sales owns nothing: Sven moves to finance, and south reaches the salespeople left.
      ok(await bus.execute({ type: 'ChangeUserRole', data: { userId: 'sven', role: 'finance', changedAt: at(4) } }, ctx()));
      await runner.catchUp();
      expect(await inboxOf('otto', 'sales')).toEqual(['rv-c-1', 'rv-n-1', 'rv-s-1', 'rv-w-1']);
      expect(await getUser(database.db, 'sven')).toMatchObject({ role: 'finance', regions: ['east', 'south'] });
    });

    it('assigns regions to sales users only', async () => {
      const refused = await assign('fay', ['north']);
      expect(refused._tag === 'Left' && refused.left.code).toBe('REGIONS_ONLY_FOR_SALES');
      // Sven, moved to finance, keeps his regions until they are cleared.
      expect((await assign('sven', []))._tag).toBe('Right');
      await runner.catchUp();
      expect(await getUser(database.db, 'sven')).toMatchObject({ role: 'finance', regions: [] });
      expect((await runner.verify('users')).ok).toBe(true);
    });
  });

await onEveryDatabase('notification-regions', suite);
