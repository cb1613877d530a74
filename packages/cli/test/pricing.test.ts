import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

// The CLI's clock stands at 2026-11-20T00:00:00Z (DEMO_CLOCK).
const dir = mkdtempSync(join(tmpdir(), 'dms-pricing-'));
const versionFile = join(dir, 'gold-2027.json');

beforeAll(() => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  writeFileSync(
    versionFile,
    JSON.stringify({
      versionId: 'gold-2027',
      validFrom: '2027-01-01T00:00:00Z',
      currency: 'EUR',
      prices: [{ sku: 'PUMP-1', unitPrice: eur(110_00), breaks: [{ minQuantity: 10, unitPrice: eur(104_50) }] }],
    }),
  );
});
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms pricing', () => {
  it('publishes a tier version from a file, lists it with its breaks, and ends it', async () => {
    const published = await runDms('pricing', 'publish', 'gold', '--file', versionFile);
    expect(published.stdout).toContain('Version gold-2027 of tier price list gold published (PriceListVersionPublished).');
    expect(published.code).toBe(0);

    const versions = await runDms('pricing', 'versions', 'gold');
    expect(versions.stdout).toMatch(/gold-2027\s+2027-01-01 00:00\s+open\s+PUMP-1\s+110\.00 EUR\s+10\+: 104\.50 EUR/);

    const ended = await runDms('pricing', 'end', 'gold', 'gold-2027', '--valid-to', '2027-07-01T00:00:00Z');
    expect(ended.code).toBe(0);
    expect((await runDms('pricing', 'versions', 'gold', '--at', '2027-07-01T00:00:00Z')).stdout).toContain(
      'No versions of tier price list gold in force at 2027-07-01T00:00:00Z.',
    );
  });

  it('says why a version is refused, and exits 2', async () => {
    const again = await runDms('pricing', 'publish', 'gold', '--file', versionFile);
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('Refused (PRICE_VERSION_EXISTS)');
    const past = await runDms('pricing', 'end', 'gold', 'gold-2027', '--valid-to', '2026-01-01T00:00:00Z');
    expect(past.stdout).toContain('Refused (PRICE_VERSION_BACKDATED)');
  });

  it("publishes a dealer's own version with --dealer, and needs a tier or a dealer", async () => {
    const dealer = await runDms('pricing', 'publish', '--dealer', 'acme', '--file', versionFile);
    expect(dealer.stdout).toContain('Version gold-2027 of dealer price list acme published (DealerPriceListVersionPublished).');
    expect((await runDms('pricing', 'versions', '--dealer', 'acme')).stdout).toContain('gold-2027');
    expect((await runDms('pricing', 'versions')).code).toBe(64);
  });
});
