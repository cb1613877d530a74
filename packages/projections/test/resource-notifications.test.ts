import { CommandBus } from '@dms/app';
import type { ResourceCommand } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore, type RecordedEvent } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, listNotifications, notificationReachesReader, notificationsReactor, ProjectionRunner } from '../src';
import { ok } from './support/commands';
import { anna, at, libraryContexts, onboardPartners, PARTNERS } from './support/resource-library';

/**
 * A resource published (or superseded by a new version while published) tells the dealers it targets, once, through the
 * notifications process manager; a dealer it does not target is told nothing (docs/notifications.md).
 */
const ctx = libraryContexts();
const link = (url: string) => ({ type: 'link', url }) as const;

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`notifications of the resource library on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const send = async (command: ResourceCommand) => ok(await bus.execute(command, ctx(command.data.by)));
    /** The process manager's notifications raised, then the inbox read model applied. */
    const settle = async () => {
      await runner.catchUp();
      await runner.catchUp();
    };
    const inbox = async (partnerId: string) =>
      (await listNotifications(database.db, { id: `user:${partnerId}.buyer`, role: 'dealer', partnerId }, { limit: 100 })).items.map((n) => [
        n.topic,
        n.title.en,
      ]);
    const raised = async () => {
      const events: RecordedEvent[] = [];
      for await (const e of store.readAll({ filter: { eventTypes: ['NotificationRaised'] } })) events.push(e);
      return events;
    };

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [...allProjections, notificationsReactor(bus)]);
      await onboardPartners(bus, ctx);
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('tells the gold dealers when the gold price policy is published and again when a version supersedes it, never the silver dealer', async () => {
      // Given a price policy for the gold tier, created as a draft and given a second version before anyone sees it.
      await send({
        type: 'CreateResource',
        data: {
          resourceId: 'pp-gold',
          kind: 'price_policy',
          title: '2027 price policy',
          targeting: { tiers: ['gold'], regions: [], partnerIds: [] },
          requiresAcknowledgement: true,
          content: link('https://files.example/pp-1.pdf'),
          by: anna,
          createdAt: at(2),
        },
      });
      await send({ type: 'AddResourceVersion', data: { resourceId: 'pp-gold', content: link('https://files.example/pp-2.pdf'), by: anna, addedAt: at(2) } });
      await settle();
      // Then a draft tells nobody.
      for (const p of PARTNERS) expect(await inbox(p.partnerId)).toEqual([]);

      // When it is published, and then superseded by a third version.
      await send({ type: 'PublishResource', data: { resourceId: 'pp-gold', by: anna, publishedAt: at(3) } });
      await settle();
      await send({ type: 'AddResourceVersion', data: { resourceId: 'pp-gold', content: link('https://files.example/pp-3.pdf'), by: anna, addedAt: at(4) } });
      await settle();

      // Then both gold dealers (north and south) are told each, newest first; the silver dealer nothing.
      const told = [
        ['resource_published', 'New version of 2027 price policy (version 3)'],
        ['resource_published', 'Published for you: 2027 price policy'],
      ];
      expect(await inbox('acme')).toEqual(told);
      expect(await inbox('bolt')).toEqual(told);
      expect(await inbox('cora')).toEqual([]);
      const [latest] = (await listNotifications(database.db, { id: 'user:acme.buyer', role: 'dealer', partnerId: 'acme' })).items;
      expect(latest).toMatchObject({ link: '/portal/library', subject: 'resource-pp-gold', partnerId: null });
      expect(await notificationReachesReader(database.db, latest!.notificationId, { id: 'user:cora.buyer', role: 'dealer', partnerId: 'cora' })).toBe(false);
      // Nor does a notification for the dealers reach the manufacturer's inboxes.
      expect((await listNotifications(database.db, { id: 'user:admin', role: 'admin' })).items).toEqual([]);
      expect((await listNotifications(database.db, { id: 'user:anna', role: 'sales' })).items).toEqual([]);
    });

    it('raises each once: events delivered again to the process manager raise nothing new', async () => {
      const before = await raised();
      expect(before).toHaveLength(2);
      const events: RecordedEvent[] = [];
      for await (const e of store.readAll({ filter: { streamPrefixes: ['resource-'] } })) events.push(e);
      await notificationsReactor(bus).react!(events);
      await settle();
      expect((await raised()).map((e) => e.eventId)).toEqual(before.map((e) => e.eventId));
      expect(await inbox('acme')).toHaveLength(2);
    });

    it('keeps the targeting of the publication: a later change of who it is for tells nobody and does not move what was told', async () => {
      // Given a kit for the dealers of the north and for bolt by name, published.
      await send({
        type: 'CreateResource',
        data: {
          resourceId: 'kit-north',
          kind: 'marketing_kit',
          title: 'Spring kit',
          targeting: { tiers: [], regions: ['north'], partnerIds: ['bolt'] },
          requiresAcknowledgement: false,
          content: link('https://brand.example/spring'),
          by: anna,
          createdAt: at(5),
        },
      });
      await send({ type: 'PublishResource', data: { resourceId: 'kit-north', by: anna, publishedAt: at(5) } });
      // When it is narrowed to the gold tier afterwards.
      await send({
        type: 'ChangeResourceTargeting',
        data: { resourceId: 'kit-north', targeting: { tiers: ['gold'], regions: [], partnerIds: [] }, by: anna, changedAt: at(6) },
      });
      await settle();
      // Then the north's dealers (acme gold, cora silver) and bolt, named, were told of its publication; nobody more.
      for (const partnerId of ['acme', 'bolt', 'cora'])
        expect((await inbox(partnerId)).filter(([, title]) => title?.includes('Spring kit'))).toEqual([
          ['resource_published', 'Published for you: Spring kit'],
        ]);
      expect(await raised()).toHaveLength(3);
    });

    it('tells every dealer of a resource for every dealer', async () => {
      await send({
        type: 'CreateResource',
        data: {
          resourceId: 'training',
          kind: 'training',
          title: 'Pump installation',
          targeting: { tiers: [], regions: [], partnerIds: [] },
          requiresAcknowledgement: false,
          content: link('https://training.example/pumps'),
          by: anna,
          createdAt: at(7),
        },
      });
      await send({ type: 'PublishResource', data: { resourceId: 'training', by: anna, publishedAt: at(7) } });
      await settle();
      for (const p of PARTNERS) expect((await inbox(p.partnerId))[0]).toEqual(['resource_published', 'Published for you: Pump installation']);
    });
  });

await onEveryDatabase('resource-notifications', suite);
