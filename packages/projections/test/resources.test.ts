import { Readable } from 'node:stream';
import { CommandBus } from '@dms/app';
import type { Actor, ResourceCommand } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgementReport, allProjections, getResource, listResources, PostgresContentStore, ProjectionRunner, receiveContent } from '../src';
import { ok } from './support/commands';
import { anna, at, libraryContexts, onboardPartners, PARTNERS } from './support/resource-library';

const dealer = (partnerId: string): Actor => ({ id: `${partnerId}.buyer`, role: 'dealer', partnerId });
const ctx = libraryContexts();

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`resource library on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    let contents: PostgresContentStore;
    const send = (command: ResourceCommand) => bus.execute(command, ctx(command.data.by));

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      contents = new PostgresContentStore(database.db);
      await onboardPartners(bus, ctx);
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('stores a file by its sha-256 once, reads it back byte for byte, and refuses what is too large or not what it says', async () => {
      const pdf = Buffer.from(`%PDF-1.7\n${'x'.repeat(5000)}\u00ff`, 'latin1');
      const stored = await receiveContent(contents, Readable.from([pdf.subarray(0, 100), pdf.subarray(100)]), 'application/pdf');
      expect(stored).toMatchObject({ ok: true, content: { sizeBytes: pdf.length, contentType: 'application/pdf' } });
      if (!stored.ok) throw new Error('refused');
      expect(stored.content.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await receiveContent(contents, Readable.from([pdf]), 'application/pdf')).toEqual(stored);
      expect(Buffer.from((await contents.get(stored.content.sha256))!.bytes).equals(pdf)).toBe(true);

      let pulled = 0;
      async function* endless() {
        for (;;) {
          pulled += 1024;
          yield Buffer.alloc(1024, 0x25);
        }
      }
      expect(await receiveContent(contents, endless(), 'application/pdf', 10_000)).toMatchObject({ ok: false, refusal: { code: 'FILE_TOO_LARGE' } });
      expect(pulled).toBeLessThanOrEqual(11 * 1024);
      const html = await receiveContent(contents, Readable.from([Buffer.from('<html><script>alert(1)</script></html>')]), 'application/pdf');
      expect(html).toMatchObject({ ok: false, refusal: { code: 'CONTENT_MISMATCH' } });
      expect(await contents.has('0'.repeat(64))).toBe(false);
    });

    it('shows a dealer only what targets it, and reports exactly who acknowledged', async () => {
      const content = { type: 'link', url: 'https://files.example/policy-2027.pdf' } as const;
      const targeting = { tiers: ['gold'], regions: [], partnerIds: [] };
      ok(
        await send({
          type: 'CreateResource',
          data: {
            resourceId: 'pp-2027',
            kind: 'price_policy',
            title: '2027 price policy',
            targeting,
            requiresAcknowledgement: true,
            content,
            by: anna,
            createdAt: at(2),
          },
        }),
      );
      ok(
        await send({
          type: 'CreateResource',
          data: {
            resourceId: 'training',
            kind: 'training',
            title: 'Pump installation',
            targeting: { tiers: [], regions: [], partnerIds: [] },
            requiresAcknowledgement: false,
            content: { type: 'link', url: 'https://training.example/pumps' },
            by: anna,
            createdAt: at(2),
          },
        }),
      );
      await runner.catchUp();
      expect(await listResources(database.db, { partnerId: 'acme' })).toEqual([]);
      for (const resourceId of ['pp-2027', 'training']) ok(await send({ type: 'PublishResource', data: { resourceId, by: anna, publishedAt: at(3) } }));
      ok(
        await send({
          type: 'AcknowledgeResource',
          data: { resourceId: 'pp-2027', version: 1, dealer: PARTNERS[0]!, by: dealer('acme'), acknowledgedAt: at(4) },
        }),
      );
      await runner.catchUp();

      expect((await listResources(database.db, { partnerId: 'acme' })).map((r) => [r.resourceId, r.acknowledged])).toEqual([
        ['pp-2027', true],
        ['training', null],
      ]);
      expect((await listResources(database.db, { partnerId: 'cora' })).map((r) => r.resourceId)).toEqual(['training']);
      expect(await getResource(database.db, 'pp-2027', { partnerId: 'cora' })).toBeUndefined();
      expect(await getResource(database.db, 'pp-2027', {})).toMatchObject({ status: 'published', currentVersion: 1, versions: [{ version: 1, content }] });

      const report = await acknowledgementReport(database.db, 'pp-2027');
      expect(report?.acknowledged.map((a) => [a.partnerId, a.acknowledgedBy, a.acknowledgedAt])).toEqual([['acme', 'acme.buyer', at(4)]]);
      expect(report?.pending.map((p) => p.partnerId)).toEqual(['bolt']);

      // A new version asks again; the first version's report stays as it was.
      ok(
        await send({
          type: 'AddResourceVersion',
          data: { resourceId: 'pp-2027', content: { type: 'link', url: 'https://files.example/policy-2027-v2.pdf' }, by: anna, addedAt: at(5) },
        }),
      );
      ok(await send({ type: 'WithdrawResource', data: { resourceId: 'training', by: anna, withdrawnAt: at(5) } }));
      await runner.catchUp();
      expect((await acknowledgementReport(database.db, 'pp-2027'))?.pending.map((p) => p.partnerId)).toEqual(['acme', 'bolt']);
      expect((await acknowledgementReport(database.db, 'pp-2027', 1))?.acknowledged.map((a) => a.partnerId)).toEqual(['acme']);
      expect((await listResources(database.db, { partnerId: 'acme' })).map((r) => [r.resourceId, r.currentVersion, r.acknowledged])).toEqual([
        ['pp-2027', 2, false],
      ]);
      expect((await listResources(database.db, {}, { status: 'withdrawn' })).map((r) => r.resourceId)).toEqual(['training']);
    });
  });

await onEveryDatabase('resources', suite);
