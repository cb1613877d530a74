import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { type DmsRuntime, openDms } from '@dms/projections';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { issueApiKey } from '../src/auth/keys';

/**
 * `DATABASE_READ_URL`: the API's queries read the read models there, and `?minPosition=` waits for the checkpoints there.
 * No replica runs on the test server, so it stands in two ways: a second URL to the same database (a replica that is
 * never behind: reads go through the read pool and see every write), and another database whose read models never
 * advance (a replica that lags: a read of one's own write waits, then answers 503, never the stale rows).
 */
const available = await postgresAvailable();

describe.skipIf(!available)(`queries on a read replica (DATABASE_READ_URL; stood in for on ${TEST_DATABASE_URL})`, () => {
  const dbs: { drop(): Promise<void> }[] = [];
  const opened: { runtime: DmsRuntime; app: FastifyInstance }[] = [];
  afterAll(async () => {
    for (const { app, runtime } of opened) {
      await app.close();
      await runtime.close();
    }
    for (const db of dbs) await db.drop();
  });

  const start = async (databaseUrl: string, databaseReadUrl: string) => {
    const runtime = await openDms({ databaseUrl, databaseReadUrl, dataDir: '' });
    runtime.runner.start();
    const app = await buildApp({ runtime, readYourWritesTimeoutMs: 300 });
    opened.push({ runtime, app });
    const { token } = await issueApiKey(runtime, { name: 'admin', role: 'admin' }, { id: 'test-setup', role: 'admin' });
    const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    return { runtime, as };
  };
  const onboard = { partnerId: 'acme', name: 'ACME Ltd', region: 'north', tier: 'gold', creditLimit: { amountMinor: 100_000, currency: 'EUR' } };

  let primary: string;
  beforeAll(async () => {
    const db = await createTestDatabase('h15_replica');
    dbs.push(db);
    primary = db.url;
  });

  it('reads through the read pool and sees its own write there (a replica that keeps up)', async () => {
    const readUrl = new URL(primary);
    readUrl.searchParams.set('application_name', 'dms-read-replica-test');
    const { runtime, as } = await start(primary, readUrl.toString());
    expect(runtime.description).toContain('queries read the replica');
    const placed = await as('POST', '/partners', onboard);
    expect(placed.statusCode).toBe(201);
    const read = await as('GET', `/partners/acme?minPosition=${placed.json().position}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ partnerId: 'acme', name: 'ACME Ltd' });
    // The query went over the read pool: its connections carry the replica URL's application name.
    const client = new pg.Client({ connectionString: primary });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where application_name = 'dms-read-replica-test' and datname = current_database()",
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('waits for the replica’s checkpoints, and answers 503 rather than stale rows while it lags', async () => {
    // The "replica": a database with the same read models, whose checkpoints never move (nothing replicates into it).
    const lagging = await createTestDatabase('h15_replica_lag');
    dbs.push(lagging);
    const setUp = await openDms({ databaseUrl: lagging.url, dataDir: '' });
    await setUp.close();
    const { as } = await start(primary, lagging.url);
    const placed = await as('POST', '/partners', { ...onboard, partnerId: 'bolt', name: 'Bolt GmbH' });
    expect(placed.statusCode).toBe(201);
    const read = await as('GET', `/partners/bolt?minPosition=${placed.json().position}`);
    expect(read.statusCode).toBe(503);
    expect(read.json()).toMatchObject({ code: 'READ_MODEL_BEHIND' });
    // Without minPosition it answers from the replica as it stands: no such partner there yet.
    expect((await as('GET', '/partners/bolt')).statusCode).toBe(404);
  });

  it('refuses a read URL without a server to replicate', async () => {
    await expect(openDms({ dataDir: 'memory://', databaseReadUrl: primary })).rejects.toThrow('set DATABASE_URL to that server too');
  });
});
