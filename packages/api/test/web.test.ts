import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { startTestApi, TEST_SCRYPT, type TestApi } from './support';

/** The console home's inline first script in the stand-in build (the real one starts the dashboard's calls: src/early.ts). */
const EARLY = 'fetch("/kpis")';
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A stand-in build of packages/web: each shell says which it is; the console home's has an inline script. */
const fakeBuild = (shells: readonly string[]): string => {
  const root = mkdtempSync(join(tmpdir(), 'dms-web-root-'));
  mkdirSync(join(root, 'assets'));
  for (const shell of shells) {
    const early = shell === 'console-home.html' ? `<script>${EARLY}</script>` : '';
    writeFileSync(join(root, shell), `<!doctype html><title>${shell}</title>${early}`);
  }
  writeFileSync(join(root, 'assets', 'index-abc12345.js'), 'console.log(1)');
  // Stand-ins for the build's compressed copies: what is sent tells which copy was chosen.
  writeFileSync(join(root, 'assets', 'index-abc12345.js.br'), 'BROTLI');
  writeFileSync(join(root, 'assets', 'index-abc12345.js.gz'), 'GZIP');
  writeFileSync(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  return root;
};

describe('the web application served beside the API', () => {
  let api: TestApi;
  /** The same API over the same data, with a build that has only index.html. */
  let bare: FastifyInstance;
  const roots: string[] = [];
  beforeAll(async () => {
    roots.push(fakeBuild(['index.html', 'console-home.html', 'console.html', 'portal.html']), fakeBuild(['index.html']));
    api = await startTestApi({ web: { root: roots[0]! } });
    bare = await buildApp({ runtime: api.runtime, auth: { scrypt: TEST_SCRYPT }, web: { root: roots[1]! } });
  });
  afterAll(async () => {
    await bare?.close();
    await api?.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  const shellOf = async (app: FastifyInstance, url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, url).toBe(200);
    expect(res.headers['cache-control'], url).toBe('no-cache');
    expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
    return /<title>(.*)<\/title>/.exec(res.body)?.[1];
  };

  it("sends each area's shell, which preloads its first screen, and index.html for the rest", async () => {
    const expected: Record<string, string> = {
      '/console': 'console-home.html',
      '/console/': 'console-home.html',
      '/console?month=2026-10': 'console-home.html',
      '/console/orders': 'console.html',
      '/console/orders/o-1?tab=history': 'console.html',
      '/portal': 'portal.html',
      '/portal/cart': 'portal.html',
      '/': 'index.html',
      '/sign-in?next=%2Fconsole': 'index.html',
      '/accept-invitation': 'index.html',
      // The service worker precaches /index.html: the offline shell.
      '/index.html': 'index.html',
    };
    for (const [url, shell] of Object.entries(expected)) expect(await shellOf(api.app, url), url).toBe(shell);
  });

  it("allows exactly the build's inline scripts, by their hashes, and no other", async () => {
    for (const url of ['/console', '/portal', '/assets/index-abc12345.js']) {
      const res = await api.app.inject({ method: 'GET', url });
      const scriptSrc = /script-src ([^;]*)/.exec(String(res.headers['content-security-policy']))?.[1];
      expect(scriptSrc, url).toBe(`'self' ${sha256(EARLY)}`);
    }
    const res = await bare.inject({ method: 'GET', url: '/console' });
    expect(/script-src ([^;]*)/.exec(String(res.headers['content-security-policy']))?.[1]).toBe("'self'");
  });

  it('sends index.html for every area when the build has no per-area shells', async () => {
    for (const url of ['/console', '/console/orders', '/portal']) expect(await shellOf(bare, url), url).toBe('index.html');
  });

  it('caches hashed assets for a year and keeps API paths out of the app', async () => {
    const asset = await api.as(null, { method: 'GET', url: '/assets/index-abc12345.js' });
    expect([asset.statusCode, asset.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    const worker = await api.as(null, { method: 'GET', url: '/sw.js' });
    expect([worker.statusCode, worker.headers['cache-control']]).toEqual([200, 'no-cache']);
    const unknown = await api.as(null, { method: 'GET', url: '/consoles' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('sends the copy compressed as the browser accepts, with its type, and 304 when the browser has it', async () => {
    const get = (headers: Record<string, string>) => api.as(null, { method: 'GET', url: '/assets/index-abc12345.js', headers });
    const cases: [Record<string, string>, string, string | undefined][] = [
      [{ 'accept-encoding': 'gzip, deflate, br, zstd' }, 'BROTLI', 'br'],
      [{ 'accept-encoding': 'gzip, br;q=0' }, 'GZIP', 'gzip'],
      [{ 'accept-encoding': 'identity' }, 'console.log(1)', undefined],
      [{}, 'console.log(1)', undefined],
    ];
    for (const [headers, body, coding] of cases) {
      const res = await get(headers);
      expect([res.statusCode, res.body, res.headers['content-encoding']], JSON.stringify(headers)).toEqual([200, body, coding]);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers.vary).toContain('accept-encoding');
    }
    const etag = String((await get({})).headers.etag);
    const again = await get({ 'if-none-match': etag });
    expect([again.statusCode, again.body]).toEqual([304, '']);
    const shell = await api.as(null, { method: 'GET', url: '/console' });
    expect(shell.headers['content-type']).toBe('text/html; charset=utf-8');
    const revalidated = await api.as(null, { method: 'GET', url: '/console', headers: { 'if-none-match': String(shell.headers.etag) } });
    expect(revalidated.statusCode).toBe(304);
  });

  it('answers 404 for a file the build does not have, however the path is spelt', async () => {
    for (const url of ['/assets/missing-0000.js', '/assets/..%2findex.html', '/assets/..%2f..%2fpackage.json', '/assets/index-abc12345.js.br']) {
      const res = await api.as(null, { method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });
});
