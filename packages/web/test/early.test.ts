import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callKey, dropEarly, startEarly, takeEarly } from '../src/api/early';

describe('answers asked for before the app arrives (src/api/early.ts)', () => {
  let server: Server;
  let origin = '';
  const asked: string[] = [];
  let refuseSession = true;
  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      const refused = req.url === '/auth/me' && refuseSession;
      if (req.url === '/auth/me') refuseSession = false;
      res.writeHead(refused ? 401 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, refused }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    (globalThis as { location?: unknown }).location = { origin, search: '' };
  });
  afterAll(async () => {
    delete (globalThis as { location?: unknown }).location;
    await new Promise((resolve) => server.close(resolve));
  });

  it('keys a call by its path and parameters, whatever their order', () => {
    expect(callKey(`${origin}/kpis?period=month&asOf=2026-10-31`)).toBe(callKey('/kpis?asOf=2026-10-31&period=month'));
    expect(callKey('/kpis?asOf=2026-10-31')).not.toBe(callKey('/kpis?asOf=2026-10-30'));
    expect(callKey('/kpis/sales?by=region')).not.toBe(callKey('/kpis?by=region'));
  });

  beforeEach(() => {
    // Each test is a page: a new store.
    delete (globalThis as { __dmsEarly?: unknown }).__dmsEarly;
  });

  it('gives the early answer to the same GET once, and lets every other request go to the server', async () => {
    await startEarly('/kpis', { period: 'month', asOf: '2026-10-31' });
    await startEarly('/stock/alerts', { limit: 50 });
    const request = new Request(`${origin}/kpis?asOf=2026-10-31&period=month`);
    const answer = await takeEarly(request);
    expect(await answer?.json()).toEqual({ url: '/kpis?period=month&asOf=2026-10-31', refused: false });
    expect(takeEarly(request), 'taken once').toBeUndefined();
    expect(takeEarly(new Request(`${origin}/kpis?asOf=2026-10-30&period=month`)), 'other parameters').toBeUndefined();
    expect(takeEarly(new Request(`${origin}/stock/alerts?limit=50`, { method: 'POST' })), 'not a GET').toBeUndefined();
    expect(await takeEarly(new Request(`${origin}/stock/alerts?limit=50`))?.then((r) => r.json())).toMatchObject({ url: '/stock/alerts?limit=50' });
    expect(asked.filter((a) => a.startsWith('GET /kpis'))).toHaveLength(1);
  });

  it('asks again when the early answer was a refusal (signed out then, perhaps signed in now)', async () => {
    const before = asked.length;
    await startEarly('/auth/me', {});
    const answer = await takeEarly(new Request(`${origin}/auth/me`));
    expect(answer?.status).toBe(200);
    expect(asked.slice(before)).toEqual(['GET /auth/me', 'GET /auth/me']);
  });

  it('starts nothing once the app has asked for something, and lets untaken answers go', async () => {
    await startEarly('/kpis/receivables', { asOf: '2026-10-31' });
    expect(takeEarly(new Request(`${origin}/auth/me`)), 'nothing early for it').toBeUndefined();
    expect(startEarly('/kpis', { period: 'month' }), 'the app has started').toBeUndefined();
    dropEarly();
    expect(takeEarly(new Request(`${origin}/kpis/receivables?asOf=2026-10-31`)), 'dropped').toBeUndefined();
  });
});
