import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

let api: TestApi;
const key: Record<string, string> = {};
let staffUser: string;
let acmeUser: string;

beforeAll(async () => {
  api = await startTestApi();
  for (const partnerId of ['acme', 'bolt']) {
    await api.as('admin', {
      method: 'POST',
      url: '/partners',
      payload: { partnerId, name: partnerId.toUpperCase(), region: 'north', tier: 'gold', creditLimit: { amountMinor: 100_000, currency: 'EUR' } },
    });
  }
  const invite = async (payload: object) => (await api.as('admin', { method: 'POST', url: '/users/invitations', payload })).json();
  staffUser = (await invite({ email: 'ada@maker.example', name: 'Ada Finance', role: 'finance' })).userId;
  const acme = await invite({ email: 'buyer@acme.example', name: 'Bo Buyer', role: 'dealer', partnerId: 'acme' });
  acmeUser = acme.userId;
  const keys = (await api.as('admin', { method: 'GET', url: `/api-keys?minPosition=${acme.position}` })).json();
  for (const k of keys.items as { keyId: string; name: string }[]) key[k.name.replace(/^test /, '')] = `key:${k.keyId}`;
});
afterAll(async () => {
  await api?.close();
});

const names = async (caller: 'sales' | 'auditor' | 'dealerAcme' | 'dealerBolt', ids: string[]) => {
  const res = await api.as(caller, { method: 'GET', url: `/actors?ids=${ids.map(encodeURIComponent).join(',')}` });
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries((res.json().items as { id: string; name: string | null }[]).map((a) => [a.id, a.name]));
};

describe('GET /actors: names for recorded actor ids', () => {
  it("gives the manufacturer's people every user's name and every key's label, in the order asked", async () => {
    const res = await api.as('sales', { method: 'GET', url: `/actors?ids=user:${staffUser},${key.dealerBolt},jwt:someone,user:nobody,user:${staffUser}` });
    expect(res.json().items).toEqual([
      { id: `user:${staffUser}`, name: 'Ada Finance', kind: 'user', role: 'finance' },
      { id: key.dealerBolt, name: 'test dealerBolt', kind: 'key', role: 'dealer' },
      { id: 'jwt:someone', name: null, kind: 'other', role: null },
      { id: 'user:nobody', name: null, kind: 'user', role: null },
    ]);
    expect(await names('auditor', [`user:${acmeUser}`])).toEqual({ [`user:${acmeUser}`]: 'Bo Buyer' });
  });

  it("names a dealer only its own people and keys: the manufacturer's staff and other dealers stay unnamed", async () => {
    const ids = [`user:${acmeUser}`, key.dealerAcme!, `user:${staffUser}`, key.finance!, key.dealerBolt!];
    expect(await names('dealerAcme', ids)).toEqual({
      [`user:${acmeUser}`]: 'Bo Buyer',
      [key.dealerAcme!]: 'test dealerAcme',
      [`user:${staffUser}`]: null,
      [key.finance!]: null,
      [key.dealerBolt!]: null,
    });
    expect(Object.values(await names('dealerBolt', ids)).filter((n) => n !== null)).toEqual(['test dealerBolt']);
  });

  it('answers 400 naming the field for no ids, too many, or an id that is not one', async () => {
    for (const query of ['', 'ids=', `ids=${Array.from({ length: 51 }, (_, i) => `user:u${i}`).join(',')}`, 'ids=user:a,,user:b', 'ids=user:%20x']) {
      const res = await api.as('sales', { method: 'GET', url: `/actors?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors?.[0]?.field ?? '', query).toMatch(/^querystring\.ids/);
    }
  });
});
