import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthOptions } from '../src/auth/config';
import { parseCorsOrigin } from '../src/auth/plugin';
import { startTestApi, type TestApi } from './support';

const DASHBOARD = 'https://dashboard.example.com';

describe('CORS', () => {
  let off: TestApi;
  let on: TestApi;
  beforeAll(async () => {
    off = await startTestApi();
    on = await startTestApi({ auth: { corsOrigins: [DASHBOARD] } });
  });
  afterAll(async () => {
    await off?.close();
    await on?.close();
  });

  it('is off by default: no CORS headers for any origin, no preflight', async () => {
    const res = await off.as('auditor', { method: 'GET', url: '/orders', headers: { origin: DASHBOARD } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await off.app.inject({ method: 'OPTIONS', url: '/orders', headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows the listed origins, with credentials, and no other', async () => {
    const listed = await on.as('auditor', { method: 'GET', url: '/orders', headers: { origin: DASHBOARD } });
    expect(listed.headers).toMatchObject({ 'access-control-allow-origin': DASHBOARD, 'access-control-allow-credentials': 'true' });
    expect(String(listed.headers.vary)).toMatch(/origin/i);
    const other = await on.as('auditor', { method: 'GET', url: '/orders', headers: { origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await on.app.inject({
      method: 'OPTIONS',
      url: '/orders',
      headers: { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-csrf-token' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': DASHBOARD, 'access-control-allow-credentials': 'true' });
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-csrf-token');
    const refused = await on.app.inject({
      method: 'OPTIONS',
      url: '/orders',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reads DMS_CORS_ORIGINS and refuses anything that is not an exact origin', () => {
    expect(loadAuthOptions({ DMS_CORS_ORIGINS: `${DASHBOARD}, http://localhost:5173` }).corsOrigins).toEqual([DASHBOARD, 'http://localhost:5173']);
    expect(loadAuthOptions({}).corsOrigins).toEqual([]);
    for (const bad of ['*', `${DASHBOARD}/`, `${DASHBOARD}/app`, 'dashboard.example.com', 'ftp://x.example.com']) {
      expect(() => parseCorsOrigin(bad), bad).toThrow(/is not an origin/);
    }
  });
});
