import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { type DmsRuntime, openDms } from '@dms/projections';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { issueApiKey } from '../src/auth/keys';
import { ResponseCache } from '../src/response-cache';
import { startTestApi, TEST_SCRYPT, type TestApi } from './support';

/**
 * The response cache of the hot read routes (`GET /orders`, `GET /orders/{id}`, `GET /kpis`, `GET /kpis/sales`): an
 * answer is served again only while the read models behind it have not moved, only to the same scope, and never past
 * authentication.
 */
const NOW = new Date('2026-03-02T10:00:00.000Z');
const product = { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 12_500, currency: 'EUR' } };
const partner = (partnerId: string) => ({
  partnerId,
  name: `${partnerId} Ltd`,
  region: 'north',
  tier: 'gold',
  creditLimit: { amountMinor: 5_000_000, currency: 'EUR' },
});
const ids = (body: { items: { orderId: string }[] }) => body.items.map((o) => o.orderId).sort();

const suite = (name: string, databaseUrl: () => Promise<string | undefined>) =>
  describe(name, () => {
    let api: TestApi;
    const cache = new ResponseCache();
    const admin = (method: 'GET' | 'POST', url: string, payload?: object) => api.as('admin', { method, url, ...(payload ? { payload } : {}) });
    /** Until every projection has applied every event, those the process managers append in reply included. */
    const settle = async () => {
      for (;;) {
        const head = await api.runtime.store.headPosition();
        if (head !== null) expect(await api.runtime.runner.waitForPosition(head, 10_000)).toBe(true);
        if ((await api.runtime.store.headPosition()) === head) return;
      }
    };
    /** Places an order and waits until the read models have it and all that follows from it. */
    const place = async (orderId: string, partnerId: string) => {
      const placed = await admin('POST', '/orders', { orderId, partnerId, lines: [{ sku: 'PUMP-1', quantity: 2 }] });
      expect(placed.statusCode, placed.body).toBe(201);
      await settle();
    };

    beforeAll(async () => {
      const url = await databaseUrl();
      api = await startTestApi({ now: () => NOW, responseCache: cache, ...(url ? { databaseUrl: url } : {}) });
      expect((await admin('POST', '/products', product)).statusCode).toBe(201);
      for (const p of ['acme', 'bolt']) expect((await admin('POST', '/partners', partner(p))).statusCode).toBe(201);
      await place('o-a1', 'acme');
      await place('o-b1', 'bolt');
    });
    beforeEach(settle);
    afterAll(async () => api?.close());

    it('given a cached list, when an order is placed, then the next read shows it (with or without minPosition)', async () => {
      const first = await admin('GET', '/orders?limit=20');
      const hitsBefore = cache.hits;
      const again = await admin('GET', '/orders?limit=20');
      expect(again.body).toBe(first.body);
      expect(cache.hits).toBe(hitsBefore + 1);
      expect(ids(first.json())).toEqual(['o-a1', 'o-b1']);

      const placed = await admin('POST', '/orders', { orderId: 'o-a2', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 1 }] });
      const withPosition = await admin('GET', `/orders?limit=20&minPosition=${placed.json().position}`);
      expect(withPosition.statusCode).toBe(200);
      expect(ids(withPosition.json())).toEqual(['o-a1', 'o-a2', 'o-b1']);
      // Without minPosition, once the read model has it: the answer cached before the write is not served.
      const plain = await admin('GET', '/orders?limit=20');
      expect(ids(plain.json())).toEqual(['o-a1', 'o-a2', 'o-b1']);
    });

    it('given a cached order, when it is approved, then its detail shows the approval', async () => {
      expect((await admin('GET', '/orders/o-b1')).json()).toMatchObject({ orderId: 'o-b1' });
      const before = (await admin('GET', '/orders/o-b1')).json().status;
      const approved = await admin('POST', '/orders/o-b1/approve', {});
      expect(approved.statusCode, approved.body).toBe(200);
      await api.runtime.runner.waitForPosition(BigInt(approved.json().position), 10_000);
      const after = await admin('GET', '/orders/o-b1');
      expect(after.json().status).toBe('approved');
      expect(before).not.toBe('approved');
    });

    it('never serves one scope an answer cached for another', async () => {
      // Staff first, so that the staff answers are cached when the dealers ask the same URLs.
      expect(ids((await admin('GET', '/orders?limit=5')).json())).toEqual(['o-a1', 'o-a2', 'o-b1']);
      expect((await admin('GET', '/orders/o-b1')).statusCode).toBe(200);
      const acme = await api.as('dealerAcme', { method: 'GET', url: '/orders?limit=5' });
      const bolt = await api.as('dealerBolt', { method: 'GET', url: '/orders?limit=5' });
      expect(ids(acme.json())).toEqual(['o-a1', 'o-a2']);
      expect(ids(bolt.json())).toEqual(['o-b1']);
      // Again, now that each dealer's answer is cached too.
      expect(ids((await api.as('dealerBolt', { method: 'GET', url: '/orders?limit=5' })).json())).toEqual(['o-b1']);
      expect(ids((await api.as('dealerAcme', { method: 'GET', url: '/orders?limit=5' })).json())).toEqual(['o-a1', 'o-a2']);
      expect((await api.as('dealerAcme', { method: 'GET', url: '/orders/o-b1' })).statusCode).toBe(404);
      expect((await api.as('dealerBolt', { method: 'GET', url: '/orders/o-b1' })).statusCode).toBe(200);
      const staffKpis = await admin('GET', '/kpis/sales?by=partner');
      const acmeKpis = await api.as('dealerAcme', { method: 'GET', url: '/kpis/sales?by=partner' });
      expect(staffKpis.statusCode, staffKpis.body).toBe(200);
      expect(acmeKpis.json().rows.map((r: { group: string }) => r.group)).toEqual(['acme']);
      expect(
        staffKpis
          .json()
          .rows.map((r: { group: string }) => r.group)
          .sort(),
      ).toEqual(['acme', 'bolt']);
    });

    it('answers every cached route exactly as the API without the cache does, for each scope, asked in turn', async () => {
      const plain = await buildApp({ runtime: api.runtime, now: () => NOW, responseCache: false, auth: { scrypt: TEST_SCRYPT } });
      try {
        const urls = [
          '/orders?limit=20',
          '/orders/o-a1',
          '/orders/o-b1',
          '/kpis',
          '/kpis/sales?by=region',
          '/kpis/series?metric=sales&by=month',
          '/kpis/stock?by=week',
          '/kpis/receivables?by=partner',
        ];
        for (const round of [1, 2])
          for (const caller of ['admin', 'dealerAcme', 'dealerBolt', 'sales'] as const)
            for (const url of urls) {
              const headers = { authorization: `Bearer ${api.tokens[caller]}` };
              const viaCache = await api.app.inject({ method: 'GET', url, headers });
              const direct = await plain.inject({ method: 'GET', url, headers });
              expect([viaCache.statusCode, viaCache.body], `${caller} ${url}, round ${round}`).toEqual([direct.statusCode, direct.body]);
            }
      } finally {
        await plain.close();
      }
    });

    it('refuses a revoked key at once, though the answer it read is cached', async () => {
      const { keyId, token } = await issueApiKey(api.runtime, { name: 'revoked soon', role: 'dealer', partnerId: 'acme' }, { id: 'test-setup', role: 'admin' });
      const read = () => api.app.inject({ method: 'GET', url: '/orders?limit=5', headers: { authorization: `Bearer ${token}` } });
      expect((await read()).statusCode).toBe(200);
      expect((await read()).statusCode).toBe(200);
      const revoked = await admin('POST', `/api-keys/${keyId}/revoke`, { reason: 'leaked' });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect((await read()).statusCode).toBe(401);
    });

    it('answers 304 to If-None-Match with the current ETag, and 200 once the answer changed', async () => {
      const first = await admin('GET', '/orders/o-a1');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"/);
      const same = await api.as('admin', { method: 'GET', url: '/orders/o-a1', headers: { 'if-none-match': etag } });
      expect(same.statusCode).toBe(304);
      expect(same.body).toBe('');
      const approved = await admin('POST', '/orders/o-a1/approve', {});
      await api.runtime.runner.waitForPosition(BigInt(approved.json().position), 10_000);
      const changed = await api.as('admin', { method: 'GET', url: '/orders/o-a1', headers: { 'if-none-match': etag } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    });

    it('keeps CSV answers out of the cache and its bounds', async () => {
      const csv = await admin('GET', '/kpis/sales?by=partner&format=csv');
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(cache.size).toBeGreaterThan(0);
      const small = new ResponseCache({ maxEntries: 2 });
      for (const key of ['a', 'b', 'c']) await small.get(key, async () => key);
      expect(small.size).toBe(2);
      expect(await small.get('a', async () => 'recomputed')).toMatchObject({ body: 'recomputed' });
    });
  });

suite('PGlite (embedded)', async () => undefined);

if (await postgresAvailable()) {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });
  suite(`PostgreSQL server (${TEST_DATABASE_URL})`, async () => {
    const db = await createTestDatabase('response_cache');
    dbs.push(db);
    return db.url;
  });

  describe(`two API processes on one database, one without projections (${TEST_DATABASE_URL})`, () => {
    const opened: { runtime: DmsRuntime; app: FastifyInstance }[] = [];
    afterAll(async () => {
      for (const { app, runtime } of opened) {
        await app.close();
        await runtime.close();
      }
    });

    it('each serves the writes made through the other, not its cached answer', async () => {
      const db = await createTestDatabase('response_cache_two');
      dbs.push(db);
      const open = async (projections: boolean) => {
        const runtime = await openDms({ databaseUrl: db.url, dataDir: '' });
        if (projections) runtime.runner.start();
        const app = await buildApp({ runtime, now: () => NOW, auth: { scrypt: TEST_SCRYPT } });
        opened.push({ runtime, app });
        return { runtime, app };
      };
      const a = await open(true);
      const b = await open(false); // as `dms serve --no-projections`
      const { token } = await issueApiKey(a.runtime, { name: 'admin', role: 'admin' }, { id: 'test-setup', role: 'admin' });
      const as = (app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: object) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
      expect((await as(a.app, 'POST', '/products', product)).statusCode).toBe(201);
      const onboarded = await as(a.app, 'POST', '/partners', partner('acme'));
      await a.runtime.runner.waitForPosition(BigInt(onboarded.json().position), 10_000);

      // Both cache an empty list.
      for (const app of [a.app, b.app]) for (let i = 0; i < 2; i++) expect(ids((await as(app, 'GET', '/orders')).json())).toEqual([]);
      // A write through the process without projections; the other applies it.
      const viaB = await as(b.app, 'POST', '/orders', { orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 1 }] });
      expect(viaB.statusCode, viaB.body).toBe(201);
      await a.runtime.runner.waitForPosition(BigInt(viaB.json().position), 10_000);
      expect(ids((await as(b.app, 'GET', '/orders')).json())).toEqual(['o-1']);
      expect(ids((await as(a.app, 'GET', '/orders')).json())).toEqual(['o-1']);
      // And a write through the one with projections, read through the other with and without minPosition.
      const viaA = await as(a.app, 'POST', '/orders', { orderId: 'o-2', partnerId: 'acme', lines: [{ sku: 'PUMP-1', quantity: 1 }] });
      expect(ids((await as(b.app, 'GET', `/orders?minPosition=${viaA.json().position}`)).json())).toEqual(['o-1', 'o-2']);
      expect(ids((await as(b.app, 'GET', '/orders')).json())).toEqual(['o-1', 'o-2']);
    });
  });
}
