import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHs256 } from '../src/auth/jwt';
import { allows, type Permission } from '../src/auth/permissions';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

beforeAll(async () => {
  api = await startTestApi({
    auth: { jwt: { hs256Secret: JWT_SECRET, issuer: 'https://idp.example', audience: 'dms' }, requestsPerMinute: 100_000 },
    readYourWritesTimeoutMs: 1000,
  });
  const admin = (method: 'POST' | 'PUT', url: string, payload: object) => api.as('admin', { method, url, payload });
  await admin('POST', '/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 1000, currency: 'EUR' } });
  for (const partnerId of ['acme', 'bolt']) {
    await admin('POST', '/partners', {
      partnerId,
      name: partnerId.toUpperCase(),
      region: 'north',
      tier: 'gold',
      creditLimit: { amountMinor: 1_000_000, currency: 'EUR' },
    });
  }
  const placed = await admin('POST', '/orders', { orderId: 'bolt-1', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] });
  await api.runtime.runner.waitForPosition(BigInt(placed.json().position), 5000);
});
afterAll(async () => {
  await api?.close();
});

const ROLE_OF: Record<Caller, 'admin' | 'sales' | 'finance' | 'auditor' | 'dealer'> = {
  admin: 'admin',
  sales: 'sales',
  finance: 'finance',
  controller: 'finance',
  auditor: 'auditor',
  dealerAcme: 'dealer',
  dealerBolt: 'dealer',
};

/** Every route of the OpenAPI document, with a concrete URL. (Hostile input over every route: `hostile-input.test.ts`.) */
const documentedRoutes = async () => {
  const doc = (await api.as(null, { method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path, url: path.replace(/\{(\w+)\}/g, (_, name: string) => `x-${name}`) })),
  );
};

describe('who may do what', () => {
  it('every route in the OpenAPI document declares a rule, and each role gets exactly what the matrix grants', async () => {
    const routes = await documentedRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const rule = api.app.accessRules.find((r) => r.method === route.method && r.url === route.path.replace(/\{(\w+)\}/g, ':$1'));
      expect(rule, `${route.method} ${route.path} has no access rule`).toBeDefined();
      if (rule!.public) continue;
      const anonymous = await api.as(null, {
        method: route.method as 'GET',
        url: route.url,
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      expect(anonymous.statusCode, `${route.method} ${route.path} without a key`).toBe(401);
      for (const caller of Object.keys(ROLE_OF) as Caller[]) {
        const res = await api.as(caller, {
          method: route.method as 'GET',
          url: route.url,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        const granted = allows(ROLE_OF[caller], rule!.permission as Permission);
        if (granted) expect([401, 403], `${caller} on ${route.method} ${route.path}: ${res.body}`).not.toContain(res.statusCode);
        else expect(res.statusCode, `${caller} on ${route.method} ${route.path}`).toBe(403);
      }
    }
  });

  it('refuses to build an app with a route that declares no rule', async () => {
    const { buildApp } = await import('../src');
    const app = await buildApp({ runtime: api.runtime });
    expect(() => app.get('/sneaky', async () => 'ok')).toThrow(/declares no permission/);
    await app.close();
  });

  it('lets a dealer place and follow its own orders, and answers 404 for everyone else’s', async () => {
    const mine = await api.as('dealerAcme', {
      method: 'POST',
      url: '/orders',
      payload: { orderId: 'acme-1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 2 }] },
    });
    expect(mine.statusCode).toBe(201);
    const position = mine.json().position;
    expect((await api.as('dealerAcme', { method: 'GET', url: `/orders/acme-1?minPosition=${position}` })).json()).toMatchObject({
      orderId: 'acme-1',
      status: 'placed',
    });
    expect((await api.as('dealerAcme', { method: 'GET', url: '/orders/acme-1/history' })).statusCode).toBe(200);
    const list = (await api.as('dealerAcme', { method: 'GET', url: `/orders?partnerId=bolt&minPosition=${position}` })).json();
    expect(list.items.map((o: { orderId: string }) => o.orderId)).toEqual(['acme-1']);

    expect((await api.as('dealerAcme', { method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(404);
    expect((await api.as('dealerAcme', { method: 'GET', url: '/orders/bolt-1/history' })).statusCode).toBe(404);
    expect((await api.as('dealerAcme', { method: 'POST', url: '/orders/bolt-1/cancel', payload: { reason: 'mischief' } })).statusCode).toBe(404);
    expect(
      (await api.as('dealerAcme', { method: 'POST', url: '/orders', payload: { partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] } })).statusCode,
    ).toBe(404);
    expect((await api.as('dealerAcme', { method: 'GET', url: '/partners/bolt' })).statusCode).toBe(404);
    expect((await api.as('dealerAcme', { method: 'GET', url: '/partners' })).json().items.map((p: { partnerId: string }) => p.partnerId)).toEqual(['acme']);
    // Its own order it may cancel; approving is the manufacturer's job.
    expect((await api.as('dealerAcme', { method: 'POST', url: '/orders/acme-1/approve', payload: {} })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'POST', url: '/orders/acme-1/cancel', payload: { reason: 'changed plans' } })).statusCode).toBe(200);
  });

  it('lets an auditor read everything and change nothing', async () => {
    const head = await api.runtime.store.headPosition();
    expect((await api.as('auditor', { method: 'GET', url: '/orders/bolt-1/history' })).json().verified).toBe(true);
    expect((await api.as('auditor', { method: 'GET', url: '/orders' })).statusCode).toBe(200);
    expect((await api.as('auditor', { method: 'GET', url: '/reports/revenue-by-month' })).statusCode).toBe(200);
    expect((await api.as('auditor', { method: 'POST', url: '/orders/bolt-1/approve', payload: {} })).statusCode).toBe(403);
    expect((await api.as('auditor', { method: 'POST', url: '/partners', payload: {} })).statusCode).toBe(403);
    const partner = (await api.as('auditor', { method: 'GET', url: '/audit/streams/partner-bolt' })).json();
    expect(partner).toMatchObject({ streamId: 'partner-bolt', verified: true, entries: [expect.objectContaining({ type: 'PartnerOnboarded' })] });
    expect((await api.as('auditor', { method: 'GET', url: '/audit/streams/partner-nobody' })).statusCode).toBe(404);
    const verification = (await api.as('auditor', { method: 'GET', url: '/audit/verification' })).json();
    expect(verification).toMatchObject({ ok: true, problemCount: 0, problems: [], rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(verification.categories.map((c: { category: string }) => c.category)).toEqual(expect.arrayContaining(['order', 'partner']));
    const orders = (await api.as('auditor', { method: 'GET', url: '/audit/verification?streamPrefix=order-' })).json();
    expect(orders.categories).toEqual([expect.objectContaining({ category: 'order', problems: 0 })]);
    // Any aggregate's state as of a position: the partner as it stood after onboarding, before anything else.
    const onboarded = partner.entries[0].globalPosition;
    const state = (await api.as('auditor', { method: 'GET', url: `/audit/streams/partner-bolt/state?position=${onboarded}` })).json();
    expect(state).toMatchObject({
      aggregate: 'partner',
      version: 0,
      verified: true,
      asOf: { position: onboarded, at: null },
      entries: [{ type: 'PartnerOnboarded' }],
    });
    const order = (await api.as('auditor', { method: 'GET', url: '/audit/streams/order-bolt-1/state?at=2999-12-31' })).json();
    expect(order).toMatchObject({ aggregate: 'order', status: 'placed', state: { exists: true, partnerId: 'bolt' } });
    const before = (await api.as('auditor', { method: 'GET', url: '/audit/streams/order-bolt-1/state?at=2000-01-01T00:00:00Z' })).json();
    expect(before).toMatchObject({ version: -1, state: { exists: false }, entries: [] });
    const badTime = await api.as('auditor', { method: 'GET', url: '/audit/streams/order-bolt-1/state?at=June' });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().errors).toEqual([expect.objectContaining({ field: 'querystring.at' })]);
    expect((await api.as('auditor', { method: 'GET', url: '/audit/streams/order-nobody/state' })).statusCode).toBe(404);
    expect((await api.as('auditor', { method: 'GET', url: '/audit/streams/nothing-1/state' })).statusCode).toBe(400);
    // Histories of every stream are for staff and auditors: a dealer reads its own through its resources.
    expect((await api.as('dealerAcme', { method: 'GET', url: '/audit/streams/partner-acme' })).statusCode).toBe(403);
    expect((await api.as('dealerAcme', { method: 'GET', url: '/audit/streams/partner-acme/state' })).statusCode).toBe(403);
    expect(await api.runtime.store.headPosition()).toBe(head);
  });

  it('records the principal of every command as the actor', async () => {
    const history = (await api.as('admin', { method: 'GET', url: '/orders/acme-1/history' })).json();
    expect(history.entries[0].actor).toEqual({ id: expect.stringMatching(/^key:/), role: 'dealer', partnerId: 'acme' });
  });
});

describe('authentication', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const jwt = (claims: Record<string, unknown>, secret = JWT_SECRET) =>
    signHs256({ iss: 'https://idp.example', aud: 'dms', sub: 'user-1', exp: now() + 600, ...claims }, secret);
  const withToken = (token: string, url = '/orders') => api.as(null, { method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('accepts a JWT from the identity provider, mapped to a role', async () => {
    expect((await withToken(jwt({ role: 'auditor' }))).statusCode).toBe(200);
    const dealer = await withToken(jwt({ role: 'dealer', partner_id: 'bolt' }), '/orders/bolt-1');
    expect(dealer.statusCode).toBe(200);
  });

  it('refuses bad tokens with 401 and a reason', async () => {
    for (const token of [
      jwt({ role: 'admin' }, 'wrong-secret'),
      jwt({ role: 'admin', exp: now() - 10 }),
      jwt({ role: 'admin', aud: 'someone-else' }),
      jwt({ role: 'dealer' }),
      jwt({ role: 'system' }),
      'dms_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'garbage',
    ]) {
      const res = await withToken(token);
      expect(res.statusCode, token).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    const none = await api.as(null, { method: 'GET', url: '/orders' });
    expect(none.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('stops working once a key is revoked', async () => {
    const { issueApiKey } = await import('../src/auth/keys');
    const key = await issueApiKey(api.runtime, { name: 'temp', role: 'sales' }, { id: 'test', role: 'admin' });
    expect((await withToken(key.token)).statusCode).toBe(200);
    const revoked = await api.runtime.bus.execute(
      { type: 'RevokeApiKey', data: { keyId: key.keyId, revokedAt: new Date().toISOString() } },
      { commandId: `revoke-${key.keyId}`, actor: { id: 'test', role: 'admin' } },
    );
    if (revoked._tag === 'Right') await api.runtime.runner.waitForPosition(revoked.right.position, 5000);
    expect((await withToken(key.token)).statusCode).toBe(401);
  });

  it('sends security headers', async () => {
    const res = await api.as('admin', { method: 'GET', url: '/orders' });
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('limits the rate per key', async () => {
    const limited = await startTestApi({ auth: { requestsPerMinute: 5 } });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.as('auditor', { method: 'GET', url: '/orders' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await limited.as('sales', { method: 'GET', url: '/orders' })).statusCode).toBe(200);
    await limited.close();
  });
});
