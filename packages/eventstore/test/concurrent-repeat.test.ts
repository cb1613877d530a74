import { aggregates } from '@dms/domain';
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../src/adapters/memory';
import { PostgresEventStore } from '../src/adapters/postgres';
import { handleCommand } from '../src/command-handler';
import type { EventStore } from '../src/port';
import { onEveryDatabase } from './support/databases';

/**
 * The same command sent several times at once (a client retrying before its first attempt answered): every run may read
 * the stream before any has written, so all decide and all append the same event ids. One writes; the store answers the
 * others with the stored events, and they must say `replayed`, exactly like a repeat that came later.
 */
const onboard = {
  type: 'OnboardPartner' as const,
  data: {
    partnerId: 'twice',
    name: 'Twice',
    region: 'north',
    tier: 'gold',
    creditLimit: { amountMinor: 0, currency: 'EUR' },
    contacts: [],
    onboardedAt: '2026-01-01T00:00:00Z',
  },
};

const sendAtOnce = async (store: EventStore) => {
  const context = { commandId: 'onboard-twice', actor: { id: 'anna', role: 'admin' as const } };
  const results = await Promise.all(Array.from({ length: 5 }, () => handleCommand(store, aggregates.partners, onboard, context)));
  const accepted = results.map((r) => (r._tag === 'Right' ? r.right : undefined));
  expect(accepted.every((a) => a !== undefined)).toBe(true);
  expect(accepted.filter((a) => !a!.replayed)).toHaveLength(1);
  expect(new Set(accepted.map((a) => a!.position)).size).toBe(1);
};

describe('a command repeated concurrently', () => {
  it('in memory: one run writes, every other says replayed', async () => {
    await sendAtOnce(new MemoryEventStore());
  });
});

await onEveryDatabase('concurrent_repeat', (name, open) => {
  describe(`a command repeated concurrently on ${name}`, () => {
    it('one run writes, every other says replayed', async () => {
      const db = await open();
      try {
        await sendAtOnce(await PostgresEventStore.create(db.database.db));
      } finally {
        await db.teardown();
      }
    });
  });
});
