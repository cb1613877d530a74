import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '@dms/eventstore/testing';
import { type DmsRuntime, listApiKeys, openDms } from '@dms/projections';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { startTestApi, TEST_SCRYPT, type TestApi } from './support';

/** A clock the test moves: sessions expire by it. */
const clock = { now: new Date('2026-03-02T09:00:00.000Z') };
const advance = (minutes: number) => {
  clock.now = new Date(clock.now.getTime() + minutes * 60_000);
};

interface Browser {
  cookie: string | undefined;
  csrf: string | undefined;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

const suite = (name: string, databaseUrl: () => Promise<string | undefined>) =>
  describe(`people signing in, on ${name}`, () => {
    let api: TestApi;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const url = await databaseUrl();
      api = await startTestApi({ now: () => clock.now, ...(url ? { databaseUrl: url } : {}) });
      const admin = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
      await admin('/products', { sku: 'P1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 1000, currency: 'EUR' } });
      for (const partnerId of ['acme', 'bolt']) {
        await admin('/partners', { partnerId, name: partnerId, region: 'north', tier: 'gold', creditLimit: { amountMinor: 1_000_000, currency: 'EUR' } });
      }
      const placed = await admin('/orders', { orderId: 'bolt-1', partnerId: 'bolt', lines: [{ sku: 'P1', quantity: 1 }] });
      await api.runtime.runner.waitForPosition(BigInt(placed.json().position), 5000);
    });
    afterAll(async () => {
      await api?.close();
      await drop?.();
    });

    /** A browser: keeps the session cookie and sends the CSRF token it was given. */
    const browser = (): Browser => {
      const b: Browser = {
        cookie: undefined,
        csrf: undefined,
        async request(options) {
          const res = await api.app.inject({
            ...options,
            headers: { ...(b.csrf ? { 'x-csrf-token': b.csrf } : {}), ...(options.headers ?? {}) },
            ...(b.cookie ? { cookies: { dms_session: b.cookie } } : {}),
          });
          const set = res.cookies.find((c) => c.name === 'dms_session');
          if (set) b.cookie = set.value || undefined;
          if (res.statusCode === 200 && typeof res.json()?.csrfToken === 'string') b.csrf = res.json().csrfToken;
          return res;
        },
      };
      return b;
    };

    let seq = 0;
    const invite = async (role: string, partnerId?: string, email = `person${++seq}@example.com`) => {
      const res = await api.as('admin', {
        method: 'POST',
        url: '/users/invitations',
        payload: { email, name: `Person ${seq}`, role, ...(partnerId ? { partnerId } : {}) },
      });
      expect(res.statusCode, res.body).toBe(201);
      return { ...(res.json() as { userId: string; token: string; acceptUrl: string; position: string }), email };
    };
    const PASSWORD = 'correct horse battery';
    /** Invites a user and accepts the invitation in a fresh browser: signed in. */
    const signedInUser = async (role: string, partnerId?: string) => {
      const invited = await invite(role, partnerId);
      const b = browser();
      const res = await b.request({ method: 'POST', url: `/auth/invitations/${invited.token}/accept`, payload: { password: PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      return { ...invited, browser: b };
    };

    it('invites by e-mail, shows the invitation, sets the password and signs in with an httpOnly SameSite cookie', async () => {
      const invited = await invite('sales', undefined, '  Mia.Sales@Example.COM ');
      expect(invited.acceptUrl).toBe(`/accept-invitation?token=${encodeURIComponent(invited.token)}`);
      const shown = await api.as(null, { method: 'GET', url: `/auth/invitations/${invited.token}` });
      expect(shown.json()).toMatchObject({ email: 'mia.sales@example.com', role: 'sales', kind: 'invitation' });

      const b = browser();
      const weak = await b.request({ method: 'POST', url: `/auth/invitations/${invited.token}/accept`, payload: { password: 'short' } });
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ code: 'PASSWORD_TOO_WEAK', detail: expect.stringContaining('at least 10 characters') });
      const accepted = await b.request({ method: 'POST', url: `/auth/invitations/${invited.token}/accept`, payload: { password: PASSWORD, name: 'Mia' } });
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.json()).toMatchObject({ user: { userId: invited.userId, email: 'mia.sales@example.com', name: 'Mia', role: 'sales' } });
      const cookie = accepted.cookies.find((c) => c.name === 'dms_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie.secure).toBeFalsy();
      // The link was for one use.
      expect((await api.as(null, { method: 'GET', url: `/auth/invitations/${invited.token}` })).statusCode).toBe(404);

      const again = browser();
      const signIn = await again.request({ method: 'POST', url: '/auth/sign-in', payload: { email: 'MIA.sales@example.com', password: PASSWORD } });
      expect(signIn.statusCode, signIn.body).toBe(200);
      const me = await again.request({ method: 'GET', url: '/auth/me' });
      expect(me.json()).toMatchObject({
        user: { email: 'mia.sales@example.com', role: 'sales' },
        csrfToken: again.csrf,
        permissions: expect.arrayContaining(['orders:write']),
      });
      expect(me.json().permissions).not.toContain('access:manage');
      expect((await again.request({ method: 'GET', url: '/orders' })).statusCode).toBe(200);
      // The same role matrix as for keys.
      expect((await again.request({ method: 'GET', url: '/users' })).statusCode).toBe(403);
    });

    it('refuses a state-changing request from the browser without the session’s CSRF token', async () => {
      const { browser: b } = await signedInUser('sales');
      const payload = { reason: 'no' };
      const without = await api.app.inject({ method: 'POST', url: '/orders/bolt-1/reject', payload, cookies: { dms_session: b.cookie! } });
      expect(without.statusCode).toBe(403);
      expect(without.json().code).toBe('CSRF_TOKEN_INVALID');
      const wrong = await b.request({ method: 'POST', url: '/orders/bolt-1/reject', payload, headers: { 'x-csrf-token': 'x'.repeat(43) } });
      expect(wrong.statusCode).toBe(403);
      // Reads need none; a key needs none.
      expect((await api.app.inject({ method: 'GET', url: '/orders/bolt-1', cookies: { dms_session: b.cookie! } })).statusCode).toBe(200);
      expect(await api.runtime.store.headPosition()).toBeDefined();
    });

    it('answers wrong passwords and unknown addresses alike, then limits failures per account with 429 and Retry-After', async () => {
      const { email } = await signedInUser('finance');
      const attempt = (password: string, address = email) =>
        api.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email: address, password }, remoteAddress: `10.0.0.${seq}` });
      const unknown = await attempt('whatever-it-is', 'nobody@example.com');
      const wrong = await attempt('wrong password!');
      expect([unknown.statusCode, wrong.statusCode]).toEqual([401, 401]);
      expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
      expect(unknown.json().detail).toBe(wrong.json().detail);
      for (let i = 0; i < 4; i++) await attempt('wrong password!');
      const limited = await attempt(PASSWORD);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      advance(16);
      expect((await attempt(PASSWORD)).statusCode).toBe(200);
    });

    it('keeps e-mail addresses unique and checks a dealer user’s partner', async () => {
      const { email } = await invite('auditor');
      const twice = await api.as('admin', { method: 'POST', url: '/users/invitations', payload: { email: email.toUpperCase(), name: 'Copy', role: 'sales' } });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().code).toBe('EMAIL_TAKEN');
      const noPartner = await api.as('admin', { method: 'POST', url: '/users/invitations', payload: { email: 'd@example.com', name: 'D', role: 'dealer' } });
      expect(noPartner.json().code).toBe('DEALER_USER_NEEDS_PARTNER');
      const ghost = await api.as('admin', {
        method: 'POST',
        url: '/users/invitations',
        payload: { email: 'd@example.com', name: 'D', role: 'dealer', partnerId: 'ghost' },
      });
      expect(ghost.json().code).toBe('PARTNER_NOT_FOUND');
      const bad = await api.as('admin', { method: 'POST', url: '/users/invitations', payload: { email: 'not-an-address', name: 'D', role: 'sales' } });
      expect(bad.statusCode).toBe(400);
    });

    it('scopes a dealer user to its partner exactly as a dealer key', async () => {
      const { browser: b } = await signedInUser('dealer', 'acme');
      expect((await b.request({ method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(404);
      const placed = await b.request({
        method: 'POST',
        url: '/orders',
        payload: { orderId: 'acme-u1', partnerId: 'acme', lines: [{ sku: 'P1', quantity: 1 }] },
      });
      expect(placed.statusCode, placed.body).toBe(201);
      const history = await api.as('admin', { method: 'GET', url: `/orders/acme-u1/history?minPosition=${placed.json().position}` });
      expect(history.json().entries[0].actor).toMatchObject({ id: expect.stringMatching(/^user:/), role: 'dealer', partnerId: 'acme' });
      expect((await b.request({ method: 'POST', url: '/orders/acme-u1/approve', payload: {} })).statusCode).toBe(403);
    });

    it('signs out: the session ends server-side and the cookie is cleared', async () => {
      const { browser: b } = await signedInUser('auditor');
      const cookie = b.cookie!;
      const noToken = await api.app.inject({ method: 'POST', url: '/auth/sign-out', cookies: { dms_session: cookie } });
      expect(noToken.statusCode).toBe(403);
      const out = await b.request({ method: 'POST', url: '/auth/sign-out' });
      expect(out.statusCode).toBe(204);
      expect(b.cookie).toBeUndefined();
      const replay = await api.app.inject({ method: 'GET', url: '/orders', cookies: { dms_session: cookie } });
      expect(replay.statusCode).toBe(401);
      expect((await api.app.inject({ method: 'GET', url: '/auth/me' })).statusCode).toBe(401);
    });

    it('ends a session after 30 idle minutes, and after 12 hours whatever the activity', async () => {
      const { browser: b } = await signedInUser('auditor');
      advance(29);
      expect((await b.request({ method: 'GET', url: '/auth/me' })).statusCode).toBe(200);
      advance(31);
      expect((await b.request({ method: 'GET', url: '/auth/me' })).statusCode).toBe(401);

      const { browser: busy } = await signedInUser('auditor');
      for (let hour = 0; hour < 12 * 3; hour++) {
        advance(20);
        const res = await busy.request({ method: 'GET', url: '/auth/me' });
        expect(res.statusCode, `after ${(hour + 1) * 20} minutes`).toBe(hour < 12 * 3 - 1 ? 200 : 401);
      }
    });

    it('changes a password: other sessions end, this one goes on under a new cookie, the old password stops working', async () => {
      const { browser: first, email } = await signedInUser('finance');
      const second = browser();
      expect((await second.request({ method: 'POST', url: '/auth/sign-in', payload: { email, password: PASSWORD } })).statusCode).toBe(200);
      advance(1);
      const wrong = await first.request({
        method: 'POST',
        url: '/auth/password',
        payload: { currentPassword: 'not it at all', newPassword: 'a brand new secret' },
      });
      expect(wrong.statusCode).toBe(401);
      const changed = await first.request({ method: 'POST', url: '/auth/password', payload: { currentPassword: PASSWORD, newPassword: 'a brand new secret' } });
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await first.request({ method: 'GET', url: '/auth/me' })).statusCode).toBe(200);
      expect((await second.request({ method: 'GET', url: '/auth/me' })).statusCode).toBe(401);
      const old = await api.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password: PASSWORD } });
      expect(old.statusCode).toBe(401);
      expect((await api.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password: 'a brand new secret' } })).statusCode).toBe(200);
      // API keys have no password.
      expect((await api.as('sales', { method: 'POST', url: '/auth/password', payload: { currentPassword: 'x', newPassword: 'y' } })).json().code).toBe(
        'NOT_A_USER',
      );
    });

    it('applies a role change from the user’s next request, in the same session', async () => {
      const { browser: b, userId } = await signedInUser('sales');
      expect((await b.request({ method: 'GET', url: '/auth/me' })).json().user.role).toBe('sales');
      const changed = await api.as('admin', { method: 'POST', url: `/users/${userId}/role`, payload: { role: 'auditor', reason: 'moved to audit' } });
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await b.request({ method: 'GET', url: '/auth/me' })).json()).toMatchObject({ user: { role: 'auditor' } });
      expect((await b.request({ method: 'POST', url: '/orders/bolt-1/reject', payload: { reason: 'no' } })).statusCode).toBe(403);
      const toDealer = await api.as('admin', { method: 'POST', url: `/users/${userId}/role`, payload: { role: 'dealer', partnerId: 'ghost' } });
      expect(toDealer.json().code).toBe('PARTNER_NOT_FOUND');
      await api.as('admin', { method: 'POST', url: `/users/${userId}/role`, payload: { role: 'dealer', partnerId: 'acme' } });
      expect((await b.request({ method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(404);
      const list = await api.as('admin', { method: 'GET', url: `/users/${userId}?minPosition=${(await api.runtime.store.headPosition())!.toString()}` });
      expect(list.json()).toMatchObject({ role: 'dealer', partnerId: 'acme' });
    });

    it('lets an admin assign a sales user regions, and a region’s orders waiting for review reach its owner', async () => {
      const mia = await signedInUser('sales');
      const ned = await signedInUser('sales');
      const put = (caller: Parameters<typeof api.as>[0], userId: string, regions: unknown) =>
        api.as(caller, { method: 'PUT', url: `/users/${userId}/regions`, payload: { regions } });
      // Only an admin assigns regions; only a sales user owns them; a region once.
      for (const role of ['sales', 'finance', 'auditor', 'dealerAcme'] as const) expect((await put(role, mia.userId, ['north'])).statusCode).toBe(403);
      const auditor = await invite('auditor');
      expect((await put('admin', auditor.userId, ['north'])).json()).toMatchObject({ code: 'REGIONS_ONLY_FOR_SALES' });
      expect((await put('admin', mia.userId, ['north', 'north'])).statusCode).toBe(400);
      expect((await put('admin', 'nobody', ['north'])).statusCode).toBe(404);
      expect((await put('admin', mia.userId, ['north'])).statusCode).toBe(200);
      const assigned = await put('admin', ned.userId, ['south', 'east']);
      expect(assigned.json().events).toEqual([expect.objectContaining({ type: 'UserRegionsAssigned' })]);
      expect((await put('admin', ned.userId, ['east', 'south'])).json().events).toEqual([]);
      const listed = await api.as('admin', { method: 'GET', url: `/users?role=sales&minPosition=${assigned.json().position}` });
      expect(listed.json().items).toContainEqual(expect.objectContaining({ userId: ned.userId, regions: ['east', 'south'] }));

      // An order of a southern dealer over its credit limit waits for review: Ned is told, Mia is not; admins are.
      await api.as('admin', {
        method: 'POST',
        url: '/partners',
        payload: { partnerId: 'dune', name: 'Dune', region: 'south', tier: 'gold', creditLimit: { amountMinor: 1, currency: 'EUR' } },
      });
      expect(
        (await api.as('admin', { method: 'POST', url: '/orders', payload: { orderId: 'dune-1', partnerId: 'dune', lines: [{ sku: 'P1', quantity: 5 }] } }))
          .statusCode,
      ).toBe(201);
      type Inbox = { items: { link: string; region: string | null }[] };
      const inbox = async (b: Browser) => (await b.request({ method: 'GET', url: '/notifications' })).json() as Inbox;
      const told = (i: Inbox) => i.items.some((n) => n.link === '/console/orders/dune-1');
      let nedInbox = await inbox(ned.browser);
      for (let tries = 0; !told(nedInbox) && tries < 300; tries++) {
        await new Promise((r) => setTimeout(r, 50));
        nedInbox = await inbox(ned.browser);
      }
      expect(nedInbox.items).toContainEqual(expect.objectContaining({ link: '/console/orders/dune-1', region: 'south' }));
      expect(told(await inbox(mia.browser))).toBe(false);
      expect(told((await api.as('admin', { method: 'GET', url: '/notifications' })).json())).toBe(true);
    });

    it('lets an admin issue a password-reset link for an active user', async () => {
      const { userId, email } = await signedInUser('sales');
      const link = await api.as('admin', { method: 'POST', url: `/users/${userId}/invitation`, payload: {} });
      expect(link.statusCode).toBe(201);
      const { token } = link.json();
      expect((await api.as(null, { method: 'GET', url: `/auth/invitations/${token}` })).json().kind).toBe('password-reset');
      advance(1);
      const reset = await api.app.inject({ method: 'POST', url: `/auth/invitations/${token}/accept`, payload: { password: 'reset to this one' } });
      expect(reset.statusCode).toBe(200);
      expect((await api.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password: 'reset to this one' } })).statusCode).toBe(200);
    });

    it('resends an invitation: a new one-time link, the one before no longer works, the list shows the new expiry', async () => {
      const first = await invite('finance');
      advance(1);
      const renewed = await api.as('admin', { method: 'POST', url: `/users/${first.userId}/invitation`, payload: {} });
      expect(renewed.statusCode, renewed.body).toBe(201);
      const second = renewed.json() as { token: string; expiresAt: string; position: string };
      expect(second.token).not.toBe(first.token);
      expect((await api.as(null, { method: 'GET', url: `/auth/invitations/${second.token}` })).json()).toMatchObject({ kind: 'invitation' });
      expect((await api.as(null, { method: 'GET', url: `/auth/invitations/${first.token}` })).statusCode).toBe(404);
      const old = await api.app.inject({ method: 'POST', url: `/auth/invitations/${first.token}/accept`, payload: { password: PASSWORD } });
      expect(old.statusCode).toBe(404);
      const listed = await api.as('admin', { method: 'GET', url: `/users/${first.userId}?minPosition=${second.position}` });
      expect(listed.json()).toMatchObject({ status: 'invited', linkExpiresAt: second.expiresAt });
      const accepted = await browser().request({ method: 'POST', url: `/auth/invitations/${second.token}/accept`, payload: { password: PASSWORD } });
      expect(accepted.statusCode, accepted.body).toBe(200);
      // Only an admin may issue links or change roles.
      for (const role of ['sales', 'finance', 'auditor', 'dealerAcme'] as const) {
        expect((await api.as(role, { method: 'POST', url: `/users/${first.userId}/invitation`, payload: {} })).statusCode).toBe(403);
        expect((await api.as(role, { method: 'POST', url: `/users/${first.userId}/role`, payload: { role: 'admin' } })).statusCode).toBe(403);
      }
    });

    it('lists users for admins from the read model', async () => {
      const { userId, position } = await invite('auditor');
      const list = await api.as('admin', { method: 'GET', url: `/users?minPosition=${position}&status=invited` });
      expect(list.json().items).toContainEqual(expect.objectContaining({ userId, status: 'invited', role: 'auditor' }));
      expect((await api.as('admin', { method: 'GET', url: `/users/${userId}` })).json()).toMatchObject({ userId, status: 'invited' });
      expect((await api.as('admin', { method: 'GET', url: '/users/nobody' })).statusCode).toBe(404);
    });

    it('shows an API key as the principal in /auth/me', async () => {
      const me = await api.as('dealerAcme', { method: 'GET', url: '/auth/me' });
      expect(me.json()).toMatchObject({ user: { userId: expect.stringMatching(/^key:/), email: null, role: 'dealer', partnerId: 'acme' }, csrfToken: null });
    });

    it('creates, lists and revokes API keys over HTTP, for admins only', async () => {
      const created = await api.as('admin', { method: 'POST', url: '/api-keys', payload: { name: 'ERP', role: 'finance' } });
      expect(created.statusCode, created.body).toBe(201);
      const { keyId, token, position } = created.json();
      const withKey = (url: string) => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      expect((await withKey('/orders')).statusCode).toBe(200);
      const list = await api.as('admin', { method: 'GET', url: `/api-keys?minPosition=${position}` });
      expect(list.json().items).toContainEqual(expect.objectContaining({ keyId, name: 'ERP', role: 'finance', revokedAt: null }));
      expect(list.body).not.toMatch(/secret|hash/i);
      expect((await api.as('sales', { method: 'POST', url: '/api-keys', payload: { name: 'x', role: 'admin' } })).statusCode).toBe(403);
      const revoked = await api.as('admin', { method: 'POST', url: `/api-keys/${keyId}/revoke`, payload: { reason: 'rotated' } });
      expect(revoked.statusCode).toBe(200);
      expect((await withKey('/orders')).statusCode).toBe(401);
      expect((await api.as('admin', { method: 'POST', url: `/api-keys/${keyId}/revoke`, payload: {} })).json().code).toBe('API_KEY_ALREADY_REVOKED');
      expect((await api.as('admin', { method: 'POST', url: '/api-keys', payload: { name: 'x', role: 'dealer' } })).json().code).toBe(
        'DEALER_KEY_NEEDS_PARTNER',
      );
    });

    describe('while the read models are held back', () => {
      beforeAll(async () => {
        await api.runtime.runner.stop();
      });
      afterAll(() => {
        api.runtime.runner.start();
      });

      it('refuses a revoked key, a suspended user and a suspended partner’s keys and users at the next request', async () => {
        const created = (await api.as('admin', { method: 'POST', url: '/api-keys', payload: { name: 'temp', role: 'sales' } })).json();
        const key = (url: string) => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${created.token}` } });
        expect((await key('/orders')).statusCode).toBe(200);
        await api.as('admin', { method: 'POST', url: `/api-keys/${created.keyId}/revoke`, payload: {} });
        expect((await key('/orders')).statusCode).toBe(401);
        expect((await listApiKeys(api.runtime.runner.db)).find((k) => k.keyId === created.keyId)).toBeUndefined();

        const { browser: person, userId } = await signedInUserWhileHeld('sales');
        expect((await person.request({ method: 'GET', url: '/orders' })).statusCode).toBe(200);
        expect((await api.as('admin', { method: 'POST', url: `/users/${userId}/suspend`, payload: { reason: 'left the company' } })).statusCode).toBe(200);
        expect((await person.request({ method: 'GET', url: '/orders' })).statusCode).toBe(401);

        const { browser: buyer } = await signedInUserWhileHeld('dealer', 'bolt');
        expect((await buyer.request({ method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(200);
        expect((await api.as('dealerBolt', { method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(200);
        expect((await api.as('admin', { method: 'POST', url: '/partners/bolt/suspend', payload: { reason: 'unpaid invoices' } })).statusCode).toBe(200);
        expect((await buyer.request({ method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(401);
        expect((await api.as('dealerBolt', { method: 'GET', url: '/orders/bolt-1' })).statusCode).toBe(401);
        expect((await api.as('dealerAcme', { method: 'GET', url: '/orders' })).statusCode).toBe(200);
        expect((await api.as('admin', { method: 'POST', url: '/partners/bolt/reactivate', payload: {} })).statusCode).toBe(200);
        expect((await api.as('dealerBolt', { method: 'GET', url: '/orders/bolt-1' })).statusCode).not.toBe(401);
      });

      const signedInUserWhileHeld = async (role: string, partnerId?: string) => {
        const { token, userId } = (
          await api.as('admin', {
            method: 'POST',
            url: '/users/invitations',
            payload: { email: `held${++seq}@example.com`, name: 'H', role, ...(partnerId ? { partnerId } : {}) },
          })
        ).json();
        const b = browser();
        expect((await b.request({ method: 'POST', url: `/auth/invitations/${token}/accept`, payload: { password: PASSWORD } })).statusCode).toBe(200);
        return { browser: b, userId: userId as string };
      };
    });
  });

describe('the session cookie behind a TLS-terminating proxy', () => {
  it('is Secure when the trusted proxy says the request came over https', async () => {
    const api = await startTestApi({ trustProxy: true });
    try {
      const { token } = (
        await api.as('admin', { method: 'POST', url: '/users/invitations', payload: { email: 'tls@example.com', name: 'T', role: 'auditor' } })
      ).json();
      const res = await api.app.inject({
        method: 'POST',
        url: `/auth/invitations/${token}/accept`,
        payload: { password: 'correct horse battery' },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.cookies.find((c) => c.name === 'dms_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await api.close();
    }
  });
});

suite('PGlite (embedded)', async () => undefined);
if (await postgresAvailable()) {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  suite(`PostgreSQL server (${TEST_DATABASE_URL})`, async () => {
    db = await createTestDatabase('identity');
    return db.url;
  });
  afterAll(async () => db?.drop());

  describe('two API servers on one database', () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let a: TestApi;
    const others: { app: Awaited<ReturnType<typeof buildApp>>; runtime: DmsRuntime }[] = [];
    const server = async (maxStalenessMs?: number) => {
      const runtime = await openDms({ databaseUrl: db.url, dataDir: '' });
      const app = await buildApp({ runtime, auth: { scrypt: TEST_SCRYPT, ...(maxStalenessMs === undefined ? {} : { maxStalenessMs }) } });
      others.push({ app, runtime });
      return app;
    };
    beforeAll(async () => {
      db = await createTestDatabase('identity_two');
      a = await startTestApi({ databaseUrl: db.url });
    });
    afterAll(async () => {
      for (const o of others) {
        await o.app.close();
        await o.runtime.close();
      }
      await a?.close();
      await db?.drop();
    });

    it('sees a revocation made by the other server within its staleness bound (at once with 0, within a second by default)', async () => {
      const strict = await server(0);
      const relaxed = await server();
      const key = (await a.as('admin', { method: 'POST', url: '/api-keys', payload: { name: 'shared', role: 'auditor' } })).json();
      const call = (app: typeof strict) => app.inject({ method: 'GET', url: '/partners', headers: { authorization: `Bearer ${key.token}` } });
      expect((await call(strict)).statusCode).toBe(200);
      expect((await call(relaxed)).statusCode).toBe(200);
      expect((await a.as('admin', { method: 'POST', url: `/api-keys/${key.keyId}/revoke`, payload: {} })).statusCode).toBe(200);
      expect((await call(strict)).statusCode).toBe(401);
      // The relaxed server may answer from its cache for up to a second; it must not go on longer than that (5 s allowed for a loaded machine).
      const deadline = Date.now() + 5000;
      let status = (await call(relaxed)).statusCode;
      while (status === 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await call(relaxed)).statusCode;
      }
      expect(status).toBe(401);
    });
  });

  describe('with a transaction held open in another database of the server (projections cannot move past it)', () => {
    let api: TestApi;
    let dbs: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
    let holder: pg.Client;

    beforeAll(async () => {
      dbs = [await createTestDatabase('identity_held'), await createTestDatabase('identity_other')];
      api = await startTestApi({ databaseUrl: dbs[0]!.url });
      const admin = (url: string, payload: object) => api.as('admin', { method: 'POST', url, payload });
      await admin('/partners', { partnerId: 'bolt', name: 'Bolt', region: 'north', tier: 'gold', creditLimit: { amountMinor: 1_000_000, currency: 'EUR' } });
      holder = new pg.Client({ connectionString: dbs[1]!.url });
      await holder.connect();
      await holder.query('begin');
      await holder.query('select pg_current_xact_id()');
    });
    afterAll(async () => {
      await holder?.query('rollback').catch(() => {});
      await holder?.end();
      await api?.close();
      for (const d of dbs) await d.drop();
    });

    it('refuses a revoked key, a suspended user and a suspended partner’s dealer key at the next request', async () => {
      const created = await api.as('admin', { method: 'POST', url: '/api-keys', payload: { name: 'temp', role: 'sales' } });
      const { token, keyId, position } = created.json();
      // The read models are indeed held back: the new key is not in them.
      expect(await api.runtime.runner.waitForPosition(BigInt(position), 300)).toBe(false);
      const withKey = () => api.app.inject({ method: 'GET', url: '/partners', headers: { authorization: `Bearer ${token}` } });
      expect((await withKey()).statusCode).toBe(200);
      expect((await api.as('admin', { method: 'POST', url: `/api-keys/${keyId}/revoke`, payload: {} })).statusCode).toBe(200);
      expect((await withKey()).statusCode).toBe(401);

      const invited = (
        await api.as('admin', { method: 'POST', url: '/users/invitations', payload: { email: 'held@example.com', name: 'H', role: 'sales' } })
      ).json();
      const accepted = await api.app.inject({
        method: 'POST',
        url: `/auth/invitations/${invited.token}/accept`,
        payload: { password: 'correct horse battery' },
      });
      const cookie = accepted.cookies.find((c) => c.name === 'dms_session')!.value;
      const asUser = () => api.app.inject({ method: 'GET', url: '/partners', cookies: { dms_session: cookie } });
      expect((await asUser()).statusCode).toBe(200);
      expect((await api.as('admin', { method: 'POST', url: `/users/${invited.userId}/suspend`, payload: { reason: 'left' } })).statusCode).toBe(200);
      expect((await asUser()).statusCode).toBe(401);

      const dealer = (await api.as('admin', { method: 'POST', url: '/api-keys', payload: { name: 'portal', role: 'dealer', partnerId: 'bolt' } })).json();
      const asDealer = () => api.app.inject({ method: 'GET', url: '/partners', headers: { authorization: `Bearer ${dealer.token}` } });
      expect((await asDealer()).statusCode).toBe(200);
      expect((await api.as('admin', { method: 'POST', url: '/partners/bolt/suspend', payload: { reason: 'unpaid' } })).statusCode).toBe(200);
      expect((await asDealer()).statusCode).toBe(401);
      expect(await api.runtime.runner.waitForPosition(BigInt(position), 10)).toBe(false);
    });
  });
}
