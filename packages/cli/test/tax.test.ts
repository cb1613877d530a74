import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

// The CLI's clock stands at 2026-11-20T00:00:00Z (DEMO_CLOCK).
const dir = mkdtempSync(join(tmpdir(), 'dms-tax-'));
const rateFile = join(dir, 'rate.json');

beforeAll(() => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  writeFileSync(rateFile, JSON.stringify({ rateId: 'east-std-27', category: 'standard', rateBps: 2_700, validFrom: '2026-12-01T00:00:00Z', name: 'VAT 27 %' }));
});
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms tax and dms reports tax', () => {
  it('publishes a rate from a file, lists it, ends it, and refuses an overlap', async () => {
    expect((await runDms('tax', 'rates')).stdout).toContain('No tax rates yet: every region is untaxed.');
    const published = await runDms('tax', 'publish', 'east', '--file', rateFile);
    expect(published.stdout).toContain('Tax rate east-std-27 published in east (TaxRatePublished).');
    expect(published.code).toBe(0);
    const listed = await runDms('tax', 'rates', '--region', 'east');
    expect(listed.stdout).toMatch(/east\s+east-std-27\s+standard\s+27\.00 %\s+2026-12-01 00:00\s+open\s+VAT 27 %/);
    expect((await runDms('tax', 'rates', '--at', '2026-11-25T00:00:00Z')).stdout).toContain('No tax rate in force at 2026-11-25T00:00:00Z.');
    const again = await runDms('tax', 'publish', 'east', '--file', rateFile);
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('Refused (TAX_RATE_EXISTS)');
    const ended = await runDms('tax', 'end', 'east', 'east-std-27', '--valid-to', '2027-01-01T00:00:00Z');
    expect(ended.code).toBe(0);
    expect((await runDms('tax', 'rates')).stdout).toMatch(/east-std-27\s+standard\s+27\.00 %\s+2026-12-01 00:00\s+2027-01-01 00:00/);
  }, 300_000);

  it('reports tax by period, and asks for what is missing', async () => {
    const report = await runDms('reports', 'tax', '--period', '2026-11');
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('Tax 2026-11 (2026-11-01 to 2026-11-30)');
    expect(report.stdout).toContain('No taxed invoice or credit note in the period.');
    expect((await runDms('reports', 'tax')).code).toBe(64);
    expect((await runDms('tax', 'end', 'east')).code).toBe(64);
    expect((await runDms('tax', 'category', 'NOPE-1', 'reduced')).stdout).toContain('Refused (PRODUCT_NOT_FOUND)');
  }, 300_000);

  it('sets how a region taxes early-payment discounts, lists it, and refuses what changes nothing', async () => {
    expect((await runDms('tax', 'treatments')).stdout).toContain('in every region they are a finance cost');
    const set = await runDms('tax', 'treatment', 'east', 'reducesTaxableAmount', '--valid-from', '2026-12-01T00:00:00Z');
    expect(set.stdout).toContain(
      'Early-payment discounts in east are treated as reducesTaxableAmount from 2026-12-01T00:00:00Z (EarlyPaymentDiscountTreatmentSet).',
    );
    expect((await runDms('tax', 'treatments', '--region', 'east')).stdout).toMatch(/east\s+reducesTaxableAmount\s+2026-12-01 00:00\s+2026-11-20 00:00/);
    const again = await runDms('tax', 'treatment', 'east', 'reducesTaxableAmount', '--valid-from', '2026-12-02T00:00:00Z');
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('Refused (TAX_TREATMENT_UNCHANGED)');
    expect((await runDms('tax', 'treatment', 'east', 'sometimes')).code).toBe(64);
  }, 300_000);
});
