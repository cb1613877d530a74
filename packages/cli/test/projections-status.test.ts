import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, PostgresEventStore } from '@dms/eventstore';
import { createTestDatabase, holdTransactionOpen, newEvent, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const available = await postgresAvailable();

describe('dms projections status: what holds the projections back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dms-status-'));
  afterAll(() => {
    delete process.env.DMS_DATA_DIR;
    delete process.env.DATABASE_URL;
    rmSync(dir, { recursive: true, force: true });
  });

  it('says nothing of transactions on the embedded store, where no other session can hold readers back', async () => {
    process.env.DMS_DATA_DIR = 'memory://';
    delete process.env.DATABASE_URL;
    const status = await runDms('projections', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('behind = events');
    expect(status.stdout).not.toContain('transaction');
  });

  describe.skipIf(!available)(`on a PostgreSQL server (${available ? TEST_DATABASE_URL : 'SKIPPED: unreachable'})`, () => {
    let events: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      events = await createTestDatabase('cli_status');
      process.env.DATABASE_URL = events.url;
    });
    afterAll(async () => {
      delete process.env.DATABASE_URL;
      await events?.drop();
    });

    it('names the oldest open transaction on the server, in any database, its age and the events waiting behind it', async () => {
      expect((await runDms('keys', 'create', '--role', 'admin')).code).toBe(0);
      const held = await holdTransactionOpen('dms-status-test');
      try {
        // An append the projections cannot see while the transaction stays open (a CLI command would wait for it).
        const database = await openDatabase({ databaseUrl: events.url, poolSize: 1 });
        const store = await PostgresEventStore.create(database.db);
        await store.appendToStream('partner-held-back', [newEvent('Noted')]);
        await database.close();
        const status = await runDms('projections', 'status');
        expect(status.code).toBe(0);
        expect(status.stdout).toMatch(/Oldest open transaction on the server: .* for [\d.]+ (s|min)/);
        expect(status.stdout).toMatch(/no event appended after it began reaches any projection, in any database on the server: [1-9]\d* events? of this store/);
        // On a shared server an older transaction of someone else's may be the one named.
        if (status.stdout.includes(`pid ${held.pid} `)) {
          expect(status.stdout).toContain(`pid ${held.pid} (dms-status-test), user postgres, database ${held.database}, idle in transaction for`);
          expect(status.stdout).toContain(`last statement: ${held.lastStatement}`);
        }
      } finally {
        await held.end();
      }
    });
  });
});
