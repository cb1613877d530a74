import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-forecast-'));

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  const demo = await runDms('demo', '--orders', '80', '--seed', '5');
  expect(demo.code).toBe(0);
}, 300_000);
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms stock forecast', () => {
  it('prints demand, its forecast, days of cover and what to order per SKU and region', async () => {
    const { code, stdout } = await runDms('stock', 'forecast', '--as-of', '2026-11', '--limit', '500');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sku\s+region\s+last 3 months\s+forecast from 2026-11\s+method\s+± \(MAE\)\s+projected\s+days of cover\s+lead time\s+order now/);
    expect(stdout).toMatch(/ of \d+ shown will run out before an order placed today arrives/);
  });

  it('charts one series, history and forecast', async () => {
    const all = await runDms('stock', 'forecast', '--as-of', '2026-11', '--limit', '1');
    const [sku, region] = all.stdout.split('\n')[2]!.trim().split(/\s+/) as [string, string];
    const one = await runDms('stock', 'forecast', '--as-of', '2026-11', '--sku', sku, '--region', region, '--history', '6', '--horizon', '2');
    expect(one.stdout).toContain(`${sku} in ${region}: units per month (▌ forecast)`);
    expect(one.stdout).toMatch(/^2026-05\s/m);
    expect(one.stdout).toMatch(/^2026-12 ▌/m);
    expect(one.stdout).not.toMatch(/^2027-01/m);
  });

  it('explains what is wrong with its options', async () => {
    for (const month of ['November', '2026-13']) {
      const bad = await runDms('stock', 'forecast', '--as-of', month);
      expect(bad.code).toBe(64);
      expect(bad.stderr).toContain(`--as-of must be a month as YYYY-MM, not "${month}"`);
    }
    expect((await runDms('stock', 'forecast', '--history', 'lots')).stderr).toContain('--history must be a whole number');
    expect((await runDms('stock', 'forecast', '--as-of', '1999-01')).stdout).toContain('No demand in the 12 months before 1999-01');
  });
});
