import { randomUUID } from 'node:crypto';
import type { Actor } from '@dms/domain';
import { PostgresEventStore, type StoreAnchor, verifyStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type DmsCommand } from '../src/command-bus';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const onboard = (partnerId: string): DmsCommand => ({
  type: 'OnboardPartner',
  data: { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: eur(100_000), contacts: [], onboardedAt: '2026-01-01T00:00:00Z' },
});
const suspend = (partnerId: string, reason: string): DmsCommand => ({
  type: 'SuspendPartner',
  data: { partnerId, reason, suspendedAt: '2026-02-01T00:00:00Z' },
});
const reactivate = (partnerId: string): DmsCommand => ({ type: 'ReactivatePartner', data: { partnerId, reactivatedAt: '2026-03-01T00:00:00Z' } });

const suite = (name: string, open: () => Promise<{ db: Kysely<unknown>; close: () => Promise<void> }>) =>
  describe(`verifying the whole store: ${name}`, () => {
    let db: Kysely<unknown>;
    let close: () => Promise<void>;
    let store: PostgresEventStore;
    let anchor: StoreAnchor;
    /** Runs `sql` as the database's owner would, behind the store's back. */
    const tamper = (statement: ReturnType<typeof sql>) => statement.execute(db);

    beforeAll(async () => {
      ({ db, close } = await open());
      store = await PostgresEventStore.create(db);
      const bus = new CommandBus(store);
      for (const command of [onboard('acme'), onboard('bolt'), onboard('crux'), suspend('acme', 'overdue'), reactivate('acme'), suspend('bolt', 'audit')]) {
        const result = await bus.execute(command, { commandId: randomUUID(), actor: admin });
        if (result._tag === 'Left') throw new Error(result.left.message);
      }
      // On a PostgreSQL server, a transaction open in any other database hides new events from $all readers until it
      // ends: wait for what was written rather than assume an idle server.
      for (const deadline = Date.now() + 15_000; ; ) {
        let seen = 0;
        for await (const _ of store.readAll({})) seen++;
        if (seen >= 6) break;
        if (Date.now() > deadline) throw new Error(`$all shows ${seen} of the 6 events written`);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    afterAll(() => close());

    it('finds nothing wrong in a store written through the command bus, and takes an anchor of it', async () => {
      const progress: number[] = [];
      const result = await verifyStore(store, { now: new Date('2026-11-27T00:00:00Z'), onProgress: (p) => progress.push(p.fraction) });
      expect(result).toMatchObject({ ok: true, streams: 3, events: 6, problemCount: 0, problems: [], against: null });
      expect(result.categories).toEqual([{ category: 'partner', streams: 3, events: 6, problems: 0 }]);
      expect(result.anchor).toMatchObject({ format: 'dms-audit-anchor/1', takenAt: '2026-11-27T00:00:00.000Z', streams: 3, events: 6, streamPrefix: null });
      expect(result.anchor.heads['partner-acme']?.version).toBe(2);
      expect(result.anchor.rootHash).toMatch(/^[0-9a-f]{64}$/);
      expect(progress.at(-1)).toBe(1);
      anchor = result.anchor;
      // The same store gives the same root hash: the anchor is a function of the events, not of when it was taken.
      expect((await verifyStore(store, { against: anchor })).anchor.rootHash).toBe(anchor.rootHash);
    });

    it('finds an event altered in place, with the stream, the version and what is wrong', async () => {
      await tamper(sql`update eventstore.events set data = jsonb_set(data, '{reason}', '"paid late"') where stream_id = 'partner-bolt' and stream_version = 1`);
      const result = await verifyStore(store, { against: anchor });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        expect.objectContaining({
          streamId: 'partner-bolt',
          kind: 'altered',
          streamVersion: 1,
          detail: expect.stringContaining('altered after it was written'),
        }),
      ]);
      expect(result.anchor.rootHash).toBe(anchor.rootHash);
    });

    it('finds an event removed from the middle of a stream, and one cut off its end that only the anchor remembers', async () => {
      await tamper(sql`update eventstore.events set data = jsonb_set(data, '{reason}', '"audit"') where stream_id = 'partner-bolt' and stream_version = 1`);
      await tamper(sql`delete from eventstore.events where stream_id = 'partner-acme' and stream_version = 1`);
      const withoutAnchor = await verifyStore(store);
      expect(withoutAnchor.problems.map((p) => [p.streamId, p.kind, p.streamVersion])).toEqual([
        ['partner-acme', 'version_gap', 2],
        ['partner-acme', 'broken_link', 2],
      ]);
      await tamper(sql`delete from eventstore.events where stream_id = 'partner-bolt' and stream_version = 1`);
      const chainOnly = await verifyStore(store);
      // Cutting off a stream's last event leaves a sound chain: only the anchor can tell.
      expect(chainOnly.problems.filter((p) => p.streamId === 'partner-bolt')).toEqual([]);
      const result = await verifyStore(store, { against: anchor });
      expect(result.problems.map((p) => [p.streamId, p.kind])).toEqual([
        ['partner-acme', 'version_gap'],
        ['partner-acme', 'broken_link'],
        ['partner-bolt', 'truncated'],
      ]);
      expect(result.categories).toEqual([{ category: 'partner', streams: 3, events: 4, problems: 3 }]);
    });

    it('finds a stream deleted whole, a history rewritten with fresh hashes, and events no schema accepts', async () => {
      await tamper(sql`delete from eventstore.events where stream_id = 'partner-crux'`);
      // A forger who recomputes the chain: every link checks out, but the head is not the one the anchor saw.
      const acme = await store.appendToStream('partner-forged', [
        {
          eventId: randomUUID(),
          type: 'PartnerOnboarded',
          data: { partnerId: 'forged', name: 'x' },
          metadata: { correlationId: randomUUID(), causationId: null, commandId: null, actor: admin, schemaVersion: 1 },
        },
      ]);
      expect(acme.streamVersion).toBe(0);
      await tamper(sql`delete from eventstore.events where stream_id = 'partner-acme'`);
      await tamper(sql`update eventstore.events set stream_id = 'partner-acme' where stream_id = 'partner-forged'`);
      await tamper(sql`update eventstore.events set stream_id = 'order-forged' where stream_id = 'partner-bolt'`);
      const result = await verifyStore(store, { against: anchor, maxProblems: 3 });
      const kinds = result.problems.map((p) => [p.streamId, p.kind]);
      expect(result.problemCount).toBeGreaterThan(3);
      expect(kinds).toHaveLength(3);
      const all = (await verifyStore(store, { against: anchor })).problems.map((p) => [p.streamId, p.kind]);
      expect(all).toEqual(
        expect.arrayContaining([
          ['partner-acme', 'altered'],
          ['partner-acme', 'undecodable'],
          ['partner-acme', 'truncated'],
          ['order-forged', 'altered'],
          ['order-forged', 'undecodable'],
          ['partner-bolt', 'stream_missing'],
          ['partner-crux', 'stream_missing'],
        ]),
      );
    });

    it('verifies the streams under a prefix, and refuses an anchor of other streams', async () => {
      const orders = await verifyStore(store, { streamPrefix: 'order-' });
      expect(orders).toMatchObject({ streams: 1, events: 1 });
      await expect(verifyStore(store, { streamPrefix: 'order-', against: anchor })).rejects.toThrow(/covers the whole store/);
      await expect(verifyStore(store, { against: { ...anchor, format: 'nonsense' as 'dms-audit-anchor/1' } })).rejects.toThrow(/Not a DMS audit anchor/);
    });
  });

await onEveryDatabase('audit', (name, open) =>
  suite(name, async () => {
    const { database, teardown } = await open();
    return { db: database.db, close: teardown };
  }),
);
