import { openDatabase } from '@dms/eventstore';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeasedWork, LeaseHolder, leaseKey, leaseOwners } from '../src';

/**
 * Leases (leases.ts) on a PostgreSQL server: workers share the work fairly, a lease has one holder at a time, and the work
 * of a worker whose session ends goes to the others within a few looks. (The whole thing with real processes and SIGKILL:
 * cli/test/scale-out.test.ts.)
 */
const NAMES = ['orders', 'partners', 'stock_levels', 'policy_fulfilment', 'webhook_dispatcher', 'agreement_calendar', 'threads'];

/** Work that only records who runs it: at no moment may two workers run the same. */
const ledger = () => {
  const running = new Map<string, string>();
  const overlaps: string[] = [];
  const work = (worker: string): LeasedWork[] =>
    NAMES.map((name) => ({
      name,
      start: () => {
        const other = running.get(name);
        if (other !== undefined && other !== worker) overlaps.push(`${name}: ${worker} started while ${other} ran it`);
        running.set(name, worker);
      },
      stop: async () => {
        if (running.get(name) === worker) running.delete(name);
      },
    }));
  return { running, overlaps, work };
};

/** Waits, by looking every 50 ms, until `check` holds (the test's own timeout bounds it). */
const eventually = async (check: () => Promise<boolean> | boolean) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
};

const available = await postgresAvailable();

describe.skipIf(!available)(`leases on a PostgreSQL server (${TEST_DATABASE_URL})`, () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    testDb = await createTestDatabase('leases');
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('gives every name a key of its own', () => {
    expect(new Set(NAMES.map(leaseKey)).size).toBe(NAMES.length);
  });

  it('shares the work between two workers, one holder each, and gives a dead session’s work to the survivor', async () => {
    const a = await openDatabase({ databaseUrl: testDb.url });
    const b = await openDatabase({ databaseUrl: testDb.url });
    const { running, overlaps, work } = ledger();
    const holderA = new LeaseHolder(a.db, work('a'), { owner: 'a', checkEveryMs: 100 });
    const holderB = new LeaseHolder(b.db, work('b'), { owner: 'b', checkEveryMs: 100 });
    try {
      holderA.start();
      await eventually(() => holderA.owned().length === NAMES.length);
      holderB.start();
      // Fair share: 7 pieces, 2 workers, at most 4 each; a hands on its surplus one at a time.
      await eventually(() => holderA.owned().length + holderB.owned().length === NAMES.length && holderA.owned().length <= 4 && holderB.owned().length <= 4);
      expect(new Set([...holderA.owned(), ...holderB.owned()]).size).toBe(NAMES.length);
      const owners = await leaseOwners(a.db, NAMES);
      for (const name of holderA.owned()) expect(owners.get(name)).toBe('a');
      for (const name of holderB.owned()) expect(owners.get(name)).toBe('b');

      // a's session ends as a killed process's would (its locks go with it), and a stops trying.
      const orphaned = holderA.owned();
      const stopping = holderA.stop();
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'dms worker a'`.execute(b.db);
      await stopping;
      await eventually(() => holderB.owned().length === NAMES.length);
      expect(orphaned.every((name) => running.get(name) === 'b')).toBe(true);
      expect(await leaseOwners(b.db, NAMES)).toEqual(new Map(NAMES.map((n) => [n, 'b'])));
      expect(overlaps).toEqual([]);
    } finally {
      await holderA.stop();
      await holderB.stop();
      await a.close();
      await b.close();
    }
    // Stopped: nothing held, nothing running.
    expect(running.size).toBe(0);
  }, 60_000);

  it('stops at once when asked during a look, not after the next interval (the work is stopped before the session may go)', async () => {
    const a = await openDatabase({ databaseUrl: testDb.url });
    const { running, overlaps, work } = ledger();
    let stopping: Promise<void> | undefined;
    // The first lease taken asks the holder to stop: the look is still in flight then.
    const stopOnFirst = (w: LeasedWork): LeasedWork => ({
      ...w,
      start: () => {
        w.start();
        stopping ??= holder.stop();
      },
    });
    const items = work('a').map((w, i) => (i === 0 ? stopOnFirst(w) : w));
    const holder = new LeaseHolder(a.db, items, { owner: 'a', checkEveryMs: 600_000 });
    try {
      holder.start();
      await eventually(() => stopping !== undefined);
      // Without the fix this waits out the ten-minute interval and the test's timeout fails it.
      await stopping;
      expect(running.size).toBe(0);
      expect(holder.owned()).toEqual([]);
      expect(await leaseOwners(a.db, NAMES)).toEqual(new Map());
      expect(overlaps).toEqual([]);
    } finally {
      await holder.stop();
      await a.close();
    }
  }, 20_000);
});
