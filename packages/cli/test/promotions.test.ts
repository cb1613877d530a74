import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

// The CLI's clock stands at 2026-11-20T00:00:00Z (DEMO_CLOCK).
const dir = mkdtempSync(join(tmpdir(), 'dms-promotions-'));
const promotionFile = join(dir, 'winter.json');

beforeAll(() => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  writeFileSync(
    promotionFile,
    JSON.stringify({
      promotionId: 'winter',
      name: 'Winter pumps',
      validFrom: '2026-12-01T00:00:00Z',
      validTo: '2027-03-01T00:00:00Z',
      currency: 'EUR',
      target: { tiers: ['gold'], categories: ['pumps'] },
      benefit: { kind: 'buy_n_get_m', buy: 10, free: 1 },
      budget: { amountMinor: 2_500_00, currency: 'EUR' },
    }),
  );
});
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms promotions', () => {
  it('creates a promotion from a file, lists and shows it with its budget, and ends it', async () => {
    const created = await runDms('promotions', 'create', '--file', promotionFile);
    expect(created.stdout).toContain('Promotion winter created (PromotionCreated, PromotionRegistered).');
    expect(created.code).toBe(0);

    const list = await runDms('promotions', 'list', '--active', '2026-12-15T00:00:00Z');
    expect(list.stdout).toMatch(
      /winter\s+Winter pumps\s+2026-12-01 00:00\s+2027-03-01 00:00\s+buy 10 get 1\s+tiers gold; categories pumps\s+2,500\.00 EUR\s+0\.00 EUR\s+2,500\.00 EUR/,
    );
    expect((await runDms('promotions', 'list', '--active', '2026-11-20T00:00:00Z')).stdout).toContain('No promotion in force at 2026-11-20T00:00:00Z.');

    const shown = await runDms('promotions', 'show', 'winter');
    expect(shown.stdout).toContain('budget 2,500.00 EUR: used 0.00 EUR, left 2,500.00 EUR');
    expect(shown.stdout).toContain('No order holds any of its budget.');

    const ended = await runDms('promotions', 'end', 'winter', '--reason', 'moved to spring');
    expect(ended.code).toBe(0);
    expect((await runDms('promotions', 'show', 'winter')).stdout).toContain('ended 2026-11-20 00:00 (moved to spring)');
  });

  it('says why a promotion is refused, and exits 2; asks for what is missing, and exits 64', async () => {
    const again = await runDms('promotions', 'create', '--file', promotionFile);
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('Refused (PROMOTION_EXISTS)');
    expect((await runDms('promotions', 'end', 'winter')).code).toBe(64);
    expect((await runDms('promotions', 'show', 'nope')).code).toBe(1);
  });
});
