import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-resources-'));
let demo: Awaited<ReturnType<typeof runDms>>;

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  demo = await runDms('demo', '--orders', '60', '--seed', '3');
  expect(demo.code).toBe(0);
}, 300_000);
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms resources', () => {
  it('lists the demo library, and what one dealer sees of it', async () => {
    expect(demo.stdout).toContain('Resource library: 2 resources published');
    const all = await runDms('resources', 'list');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^resource\s+kind\s+title\s+status\s+version\s+for\s+ack\s+updated$/);
    expect(all.stdout).toMatch(/price-policy-2027-platinum\s+price_policy\s+2027 price policy \(platinum\)\s+published\s+1\s+tier platinum\s+required/);
    expect(all.stdout).toMatch(/training-p-series-installation\s+training\s+.*published\s+1\s+every dealer/);
    // A silver dealer does not see the platinum price policy; a platinum one does, with its acknowledgement.
    const baltic = await runDms('resources', 'list', '--partner', 'brittany-valves');
    expect(baltic.stdout).not.toContain('price-policy-2027-platinum');
    expect(baltic.stdout).toContain('training-p-series-installation');
    expect((await runDms('resources', 'list', '--partner', 'nordic-flow')).stdout).toMatch(/price-policy-2027-platinum\s.*\syes\s/);
    expect((await runDms('resources', 'list', '--kind', 'flyer')).code).toBe(64);
  });

  it('reports who has acknowledged the price policy, and asks again after a new version', async () => {
    const acks = await runDms('resources', 'acks', 'price-policy-2027-platinum');
    expect(acks.code).toBe(0);
    expect(acks.stdout).toMatch(/version 1: 1 of \d+ targeted dealers have acknowledged it/);
    expect(acks.stdout).toMatch(/Nordic Flow AB \(nordic-flow\)\s+nordic-flow\.buyer\s+2026-11-04 14:30/);
    expect(acks.stdout).toMatch(/not yet[\s\S]*Atlantic Fluid Ltd \(atlantic-fluid\)\s+platinum\s+west/);

    const file = join(dir, 'policy-v2.pdf');
    writeFileSync(file, '%PDF-1.4\n% corrected rebate bands\n%%EOF\n');
    const version = await runDms('resources', 'version', 'price-policy-2027-platinum', '--file', file, '--note', 'rebate bands corrected');
    expect(version).toMatchObject({ code: 0, stdout: 'Added version 2 of price-policy-2027-platinum; it supersedes the one before.\n' });
    expect((await runDms('resources', 'acks', 'price-policy-2027-platinum')).stdout).toMatch(/version 2: 0 of \d+ targeted/);
    const show = await runDms('resources', 'show', 'price-policy-2027-platinum');
    expect(show.stdout).toMatch(/2\s+policy-v2\.pdf \(application\/pdf, 40 bytes\)\s+[0-9a-f]{12}…\s+rebate bands corrected/);

    // A file that is not what its name says is refused, and nothing changes.
    const fake = join(dir, 'fake.pdf');
    writeFileSync(fake, '<html><script>alert(1)</script></html>');
    const refused = await runDms('resources', 'version', 'price-policy-2027-platinum', '--file', fake);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('CONTENT_MISMATCH');
  });

  it('publishes a new resource for named dealers and withdraws it', async () => {
    const published = await runDms(
      'resources',
      'publish',
      'kit-spring',
      '--kind',
      'marketing_kit',
      '--title',
      'Spring campaign kit',
      '--url',
      'https://brand.example/spring',
      '--dealers',
      'iberia-agua,po-valley',
    );
    expect(published).toMatchObject({ code: 0, stdout: 'Published kit-spring (version 1) for dealers iberia-agua, po-valley.\n' });
    expect((await runDms('resources', 'list', '--partner', 'po-valley')).stdout).toContain('kit-spring');
    expect((await runDms('resources', 'list', '--partner', 'nordic-flow')).stdout).not.toContain('kit-spring');
    expect((await runDms('resources', 'withdraw', 'kit-spring', '--reason', 'campaign over')).code).toBe(0);
    expect((await runDms('resources', 'list', '--partner', 'po-valley')).stdout).not.toContain('kit-spring');
    expect((await runDms('resources', 'withdraw', 'kit-spring')).stdout).toContain('RESOURCE_NOT_PUBLISHED');
    expect((await runDms('resources', 'show', 'nope')).code).toBe(1);
  });

  it('changes who a published resource is for: the dealers named replace those before, the same again changes nothing', async () => {
    const args = ['--kind', 'market_info', '--title', 'Autumn market report', '--url', 'https://brand.example/autumn'];
    expect((await runDms('resources', 'publish', 'market-autumn', ...args, '--dealers', 'iberia-agua,po-valley')).code).toBe(0);
    expect(await runDms('resources', 'target', 'market-autumn', '--dealers', 'po-valley,nordic-flow')).toMatchObject({
      code: 0,
      stdout: 'market-autumn is now for dealers nordic-flow, po-valley (was: dealers iberia-agua, po-valley).\n',
    });
    expect((await runDms('resources', 'list', '--partner', 'nordic-flow')).stdout).toContain('market-autumn');
    expect((await runDms('resources', 'list', '--partner', 'iberia-agua')).stdout).not.toContain('market-autumn');
    expect((await runDms('resources', 'target', 'market-autumn', '--dealers', 'nordic-flow,po-valley')).stdout).toBe(
      'market-autumn is already for dealers nordic-flow, po-valley: nothing changed.\n',
    );
    // A mistyped dealer would reach nobody: refused, and nothing changes.
    expect(await runDms('resources', 'target', 'market-autumn', '--dealers', 'nordic-flow,po-vally')).toMatchObject({
      code: 64,
      stdout: '--dealers: no dealer po-vally has been onboarded.\n',
    });
    expect((await runDms('resources', 'list', '--partner', 'po-valley')).stdout).toContain('market-autumn');
    expect((await runDms('resources', 'publish', 'market-winter', ...args, '--dealers', 'nordik-flow')).code).toBe(64);
    expect((await runDms('resources', 'list')).stdout).not.toContain('market-winter');
  });
});
