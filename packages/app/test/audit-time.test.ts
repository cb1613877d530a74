import { randomUUID } from 'node:crypto';
import { contentHash, linkHash, MemoryEventStore, PostgresEventStore, type RecordedEvent, type StoreAnchor, verifyChain, verifyStore } from '@dms/eventstore';
import { collect, onEveryDatabase } from '@dms/eventstore/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type DmsCommand } from '../src/command-bus';

/**
 * The hash chain covers every stored field a history shows: type, data, metadata and, since link version 2, when the event
 * was recorded. Moving `recorded_at` is found by `verifyStore` (what `dms audit verify` runs), with and without an anchor;
 * events linked before (version 1, no `hashVersion`) still verify.
 */
const admin = { id: 'admin-1', role: 'admin' as const };
const onboard = (partnerId: string): DmsCommand => ({
  type: 'OnboardPartner',
  data: {
    partnerId,
    name: partnerId,
    region: 'north',
    tier: 'gold',
    creditLimit: { amountMinor: 0, currency: 'EUR' },
    contacts: [],
    onboardedAt: '2026-01-01T00:00:00Z',
  },
});
const suspend = (partnerId: string): DmsCommand => ({ type: 'SuspendPartner', data: { partnerId, reason: 'audit', suspendedAt: '2026-02-01T00:00:00Z' } });

describe('a recording time moved in memory', () => {
  it('breaks the link of a version-2 event, and not of a version-1 event', async () => {
    const store = new MemoryEventStore(() => new Date('2026-03-01T10:00:00.123Z'));
    const bus = new CommandBus(store);
    await bus.execute(onboard('acme'), { commandId: randomUUID(), actor: admin });
    const [event] = await collect(store.readStream('partner-acme'));
    expect(event!.metadata.hashVersion).toBe(2);
    const moved = (e: RecordedEvent): RecordedEvent => ({ ...e, recordedAt: new Date(e.recordedAt.getTime() - 400 * 86_400_000) });
    expect(verifyChain('partner-acme', [event!]).ok).toBe(true);
    expect(verifyChain('partner-acme', [moved(event!)]).problems).toEqual([expect.objectContaining({ kind: 'altered', streamVersion: 0 })]);
    const { hashVersion: _, ...v1Metadata } = event!.metadata;
    const v1: RecordedEvent = { ...event!, metadata: { ...v1Metadata, hash: linkHash(null, 'partner-acme', 0, contentHash(event!)) } };
    expect(verifyChain('partner-acme', [v1]).ok).toBe(true);
    expect(verifyChain('partner-acme', [moved(v1)]).ok).toBe(true);
  });
});

await onEveryDatabase('audit_time', (name, open) =>
  describe(`a recording time moved in the database: ${name}`, () => {
    let db: Kysely<unknown>;
    let close: () => Promise<void>;
    let store: PostgresEventStore;
    let anchor: StoreAnchor;
    beforeAll(async () => {
      const opened = await open();
      db = opened.database.db;
      close = () => opened.teardown();
      store = await PostgresEventStore.create(db);
      const bus = new CommandBus(store);
      for (const command of [onboard('acme'), suspend('acme'), onboard('bolt'), onboard('old')]) {
        const result = await bus.execute(command, { commandId: randomUUID(), actor: admin });
        if (result._tag === 'Left') throw new Error(result.left.message);
      }
      // `old` stands for a store written before link version 2: its event relinked the version-1 way, as it was stored then.
      const [old] = await collect(store.readStream('partner-old'));
      const v1 = linkHash(null, 'partner-old', 0, contentHash(old!));
      await sql`update eventstore.events set metadata = (metadata - 'hashVersion') || jsonb_build_object('hash', ${v1}::text) where stream_id = 'partner-old'`.execute(
        db,
      );
      for (const deadline = Date.now() + 15_000; ; ) {
        if ((await collect(store.readAll({}))).length >= 4) break;
        if (Date.now() > deadline) throw new Error('$all does not show the 4 events written');
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    afterAll(() => close?.());

    it('verifies a store whose events are linked with versions 1 and 2, and anchors it', async () => {
      const events = await collect(store.readAll({}));
      expect(events.map((e) => e.metadata.hashVersion ?? 1)).toEqual([2, 2, 2, 1]);
      const result = await verifyStore(store);
      expect(result).toMatchObject({ ok: true, problemCount: 0 });
      anchor = result.anchor;
    });

    it('finds a recording time moved back 400 days, with and without the anchor', async () => {
      await sql`update eventstore.events set recorded_at = recorded_at - interval '400 days' where stream_id = 'partner-acme' and stream_version = 1`.execute(
        db,
      );
      for (const against of [undefined, anchor]) {
        const result = await verifyStore(store, against ? { against } : {});
        expect(result.ok).toBe(false);
        expect(result.problems).toEqual([expect.objectContaining({ streamId: 'partner-acme', kind: 'altered', streamVersion: 1 })]);
      }
    });
  }),
);
