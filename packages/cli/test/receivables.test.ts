import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-receivables-'));

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  expect((await runDms('demo', '--orders', '80', '--seed', '3')).code).toBe(0);
}, 300_000);
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms receivables', () => {
  it('prints the ageing per dealer with a totals row, and per region', async () => {
    const { code, stdout } = await runDms('receivables', 'ageing', '--as-of', '2026-12-31');
    expect(code).toBe(0);
    expect(stdout).toContain('Receivables ageing at the end of 2026-12-31, by partner');
    expect(stdout).toMatch(/^partner\s+open\s+current\s+1-30\s+31-60\s+61-90\s+over 90\s+outstanding\s+overdue\s+credit$/m);
    expect(stdout).toMatch(/^total EUR\s+\d+\s/m);
    const byRegion = await runDms('receivables', 'ageing', '--as-of', '2026-12-31', '--by', 'region');
    expect(byRegion.stdout).toMatch(/^region\s+open/m);
  });

  it('lists open invoices whose owed amounts add up to the ageing total', async () => {
    const ageing = (await runDms('receivables', 'ageing', '--as-of', '2026-12-31')).stdout;
    const open = await runDms('receivables', 'open', '--as-of', '2026-12-31');
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/^invoice\s+order\s+dealer\s+invoiced\s+due\s+amount\s+settled\s+owed\s+days past due\s+bucket$/m);
    const cents = (text: string) => Number(text.replaceAll(',', '').replace('.', ''));
    const owed = open.stdout
      .split('\n')
      .filter((l) => / EUR\s+\S+$/.test(l) && !l.startsWith('invoice'))
      .map((l) => cents(l.match(/([\d,]+\.\d\d) EUR\s+\S*\s*(current|d1_30|d31_60|d61_90|over90)$/)![1]!));
    const total = ageing.split('\n').find((l) => l.startsWith('total EUR'))!;
    const outstanding = [...total.matchAll(/([\d,]+\.\d\d) EUR/g)].map((m) => cents(m[1]!))[5]!;
    expect(owed.reduce((a, b) => a + b, 0)).toBe(outstanding);
  });

  it('prints DSO for a period and refuses bad flags with the usage', async () => {
    const dso = await runDms('receivables', 'dso', '--period', 'quarter', '--as-of', '2026-12-31');
    expect(dso.code).toBe(0);
    expect(dso.stdout).toContain('DSO from 2026-10-01 to 2026-12-31');
    expect(dso.stdout).toMatch(/^currency\s+receivables\s+net sales\s+days\s+DSO$/m);
    const bad = await runDms('receivables', 'dso', '--from', '2026-01-01');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--from and --to go together');
    expect((await runDms('receivables', 'ageing', '--by', 'dealer')).stderr).toContain('--by must be partner or region');
  });
});
