import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, startTestApi, type TestApi } from './support';

let api: TestApi;
const MAX = 512 * 1024;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const post = (caller: Caller, url: string, payload: object) => api.as(caller, { method: 'POST', url, payload });
const get = (caller: Caller, url: string) => api.as(caller, { method: 'GET', url });
const upload = (caller: Caller, contentType: string, payload: Buffer | Readable) =>
  api.as(caller, { method: 'POST', url: '/resource-files', payload, headers: { 'content-type': contentType } });
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);
let last = '0';
const track = <T extends { json(): { position?: string } }>(res: T): T => {
  const position = res.json().position;
  if (position) last = position;
  return res;
};

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date('2026-11-02T10:00:00.000Z'), auth: { requestsPerMinute: 100_000 }, resourceMaxBytes: MAX });
  for (const [partnerId, tier] of [
    ['acme', 'gold'],
    ['bolt', 'silver'],
    ['cora', 'gold'],
  ] as const) {
    await post('admin', '/partners', { partnerId, name: partnerId.toUpperCase(), region: 'north', tier, creditLimit: eur(10_000_000) });
  }
});
afterAll(async () => {
  await api?.close();
});

describe('the resource library over HTTP', () => {
  it('hides a document targeted at one tier from a dealer of another (404), and reports exactly who acknowledged it', async () => {
    const stored = await upload('sales', 'application/pdf', PDF);
    expect(stored.statusCode).toBe(201);
    const file = stored.json() as { sha256: string; sizeBytes: number; contentType: string };
    expect(file).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), sizeBytes: PDF.length, contentType: 'application/pdf' });

    const policy = track(
      await post('sales', '/resources', {
        resourceId: 'pp-2027',
        kind: 'price_policy',
        title: '2027 price policy (gold)',
        targeting: { tiers: ['gold'] },
        requiresAcknowledgement: true,
        file: { sha256: file.sha256, fileName: '2027 价格政策.pdf' },
        publish: true,
      }),
    );
    expect(policy.statusCode, policy.body).toBe(201);
    track(
      await post('sales', '/resources', {
        resourceId: 'install-training',
        kind: 'training',
        title: 'Installing the P-series pumps',
        url: 'https://training.example/p-series',
        publish: true,
      }),
    );

    // bolt is silver: the gold price policy does not exist for it, whichever way it asks.
    const boltList = (await get('dealerBolt', `/resources?minPosition=${last}`)).json() as { items: { resourceId: string }[] };
    expect(boltList.items.map((r) => r.resourceId)).toEqual(['install-training']);
    for (const res of [
      await get('dealerBolt', '/resources/pp-2027'),
      await get('dealerBolt', '/resources/pp-2027/content'),
      await post('dealerBolt', '/resources/pp-2027/acknowledge', {}),
    ])
      expect(res.statusCode, res.body).toBe(404);

    const acmeList = (await get('dealerAcme', '/resources')).json() as { items: { resourceId: string; acknowledged: boolean | null }[] };
    expect(acmeList.items.map((r) => [r.resourceId, r.acknowledged]).sort()).toEqual([
      ['install-training', null],
      ['pp-2027', false],
    ]);
    const download = await get('dealerAcme', '/resources/pp-2027/content');
    expect(download.statusCode).toBe(200);
    expect(Buffer.from(download.rawPayload).equals(PDF)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="2027 ____.pdf"; filename*=UTF-8''${encodeURIComponent('2027 价格政策.pdf')}`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    expect(track(await post('dealerAcme', '/resources/pp-2027/acknowledge', {})).statusCode).toBe(200);
    expect((await post('dealerAcme', '/resources/pp-2027/acknowledge', { version: 1 })).json().events).toEqual([]);
    expect((await post('dealerAcme', '/resources/install-training/acknowledge', {})).json().code).toBe('ACKNOWLEDGEMENT_NOT_REQUIRED');

    const report = (await get('sales', `/resources/pp-2027/acknowledgements?minPosition=${last}`)).json();
    expect(report).toMatchObject({
      resourceId: 'pp-2027',
      version: 1,
      acknowledged: [{ partnerId: 'acme', acknowledgedBy: expect.any(String), acknowledgedAt: '2026-11-02T10:00:00.000Z' }],
      pending: [{ partnerId: 'cora', tier: 'gold' }],
    });
    expect(report.acknowledged).toHaveLength(1);
    expect((await get('dealerAcme', '/resources/pp-2027/acknowledgements')).statusCode).toBe(403);

    // A new version supersedes the first: acme is asked again, and the first version's report is kept.
    const v2 = await upload('sales', 'application/pdf', Buffer.concat([PDF, Buffer.from('% v2\n')]));
    track(await post('sales', '/resources/pp-2027/versions', { file: { sha256: v2.json().sha256, fileName: '2027 price policy v2.pdf' }, note: 'rebates' }));
    const after = (await get('sales', `/resources/pp-2027/acknowledgements?minPosition=${last}`)).json();
    expect(after.version).toBe(2);
    expect(after.pending.map((p: { partnerId: string }) => p.partnerId)).toEqual(['acme', 'cora']);
    expect((await get('sales', '/resources/pp-2027/acknowledgements?version=1')).json().acknowledged).toHaveLength(1);
    expect((await get('dealerAcme', '/resources/pp-2027')).json()).toMatchObject({
      currentVersion: 2,
      acknowledged: false,
      versions: [{ version: 2 }, { version: 1 }],
    });

    // Withdrawn: gone for dealers, still there for the manufacturer.
    track(await post('sales', '/resources/pp-2027/withdraw', { reason: 'replaced by the 2027 Q2 policy' }));
    expect((await get('dealerAcme', `/resources/pp-2027?minPosition=${last}`)).statusCode).toBe(404);
    expect((await get('auditor', '/resources/pp-2027')).json()).toMatchObject({ status: 'withdrawn', withdrawReason: 'replaced by the 2027 Q2 policy' });
  });

  it('refuses a file over the limit with 413 without reading it all, and one whose bytes are not its type with 415', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 16 * 1024;
        this.push(Buffer.alloc(16 * 1024, 0x25));
      },
    });
    const big = await upload('sales', 'application/pdf', endless);
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('FILE_TOO_LARGE');
    expect(pulled).toBeLessThan(MAX + 64 * 1024);

    // Larger than the API's JSON body limit (256 KiB), within the library's: the upload has its own limit.
    const large = await upload('sales', 'application/pdf', Buffer.concat([PDF, Buffer.alloc(300 * 1024, 0x20)]));
    expect(large.statusCode, large.body).toBe(201);

    const html = await upload('sales', 'application/pdf', Buffer.from('<html><script>alert(document.cookie)</script></html>'));
    expect([html.statusCode, html.json().code]).toEqual([415, 'CONTENT_MISMATCH']);
    const declaredHtml = await upload('sales', 'text/html', Buffer.from('<html></html>'));
    expect(declaredHtml.statusCode).toBe(415);
    const json = await post('sales', '/resource-files', { not: 'a file' });
    expect(json.statusCode).toBe(415);
    expect((await upload('dealerAcme', 'application/pdf', PDF)).statusCode).toBe(403);
    // A digest nobody uploaded cannot be published.
    const missing = await post('sales', '/resources', { kind: 'product_sheet', title: 'Ghost', file: { sha256: 'f'.repeat(64), fileName: 'ghost.pdf' } });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'FILE_NOT_FOUND']);
    const both = await post('sales', '/resources', {
      kind: 'product_sheet',
      title: 'Both',
      url: 'https://x.example/a',
      file: { sha256: 'f'.repeat(64), fileName: 'a.pdf' },
    });
    expect(both.statusCode).toBe(400);
  });

  it('refuses dealers never onboarded, naming the entry, and writes nothing', async () => {
    const link = { kind: 'training', url: 'https://training.example/q-series' };
    const created = await post('sales', '/resources', { ...link, resourceId: 'q-training', title: 'Q series', targeting: { partnerIds: ['acme', 'acmee'] } });
    expect(created.statusCode, created.body).toBe(400);
    expect(created.json().errors).toEqual([{ field: 'body.targeting.partnerIds.1', message: 'no partner acmee has been onboarded' }]);
    expect((await get('sales', '/resources/q-training')).statusCode).toBe(404);

    track(await post('sales', '/resources', { ...link, resourceId: 'q-training', title: 'Q series', targeting: { partnerIds: ['acme'] } }));
    const changed = await post('sales', '/resources/q-training/targeting', { partnerIds: ['ghost', 'bolt'] });
    expect(changed.statusCode, changed.body).toBe(400);
    expect(changed.json().errors).toEqual([{ field: 'body.partnerIds.0', message: 'no partner ghost has been onboarded' }]);
    const after = (await get('sales', `/resources/q-training?minPosition=${last}`)).json() as { targeting: { partnerIds: string[] } };
    expect(after.targeting.partnerIds).toEqual(['acme']);
  });
});
