import { type DmsRuntime, openDms } from '@dms/projections';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { issueApiKey } from '../src/auth/keys';

let runtime: DmsRuntime;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  runtime = await openDms({ dataDir: 'memory://' });
  app = await buildApp({ runtime, readYourWritesTimeoutMs: 300 });
  token = (await issueApiKey(runtime, { name: 'admin', role: 'admin' }, { id: 'test-setup', role: 'admin' })).token;
  // Only the partners read model runs: every other projection and every process manager lags behind from here on.
  runtime.runner.start(['partners']);
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

describe('?minPosition= (read your own writes)', () => {
  it('waits only for the read models the route reads, not for lagging process managers or other projections', async () => {
    const onboarded = await as('POST', '/partners', {
      partnerId: 'acme',
      name: 'ACME Ltd',
      region: 'north',
      tier: 'gold',
      creditLimit: { amountMinor: 100_000, currency: 'EUR' },
    });
    expect(onboarded.statusCode).toBe(201);
    const { position } = onboarded.json() as { position: string };

    const partner = await as('GET', `/partners/acme?minPosition=${position}`);
    expect(partner.statusCode, partner.body).toBe(200);
    expect(partner.json()).toMatchObject({ partnerId: 'acme', name: 'ACME Ltd' });
    expect((await as('GET', `/partners?minPosition=${position}`)).json()).toMatchObject({ items: [{ partnerId: 'acme' }] });

    // A route over a read model that has not caught up still waits for it, and says so.
    const kpis = await as('GET', `/kpis?minPosition=${position}`);
    expect(kpis.statusCode).toBe(503);
    expect(kpis.json()).toMatchObject({ code: 'READ_MODEL_BEHIND' });
  });
});
