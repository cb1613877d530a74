import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-reports-'));

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  expect((await runDms('demo', '--orders', '80', '--seed', '3')).code).toBe(0);
}, 300_000);
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

/** The figures of the `total` row: every cell after the label. */
const totalRow = (stdout: string) =>
  stdout
    .split('\n')
    .find((l) => l.startsWith('total '))
    ?.replace(/^total\s+/, '')
    .trim();

describe('dms reports sales', () => {
  it('prints sales by region with right-aligned money and a totals row', async () => {
    const { code, stdout } = await runDms('reports', 'sales', '--by', 'region');
    expect(code).toBe(0);
    expect(stdout).toContain('Sales by region');
    expect(stdout).toMatch(/^region\s+orders\s+qty\s+shipped\s+returned\s+ordered\s+credited\s+net\s+invoiced\s+paid\s+share$/m);
    expect(stdout).toMatch(/^north\s+\d+\s+\d+\s+\d+\s+\d+\s+[\d,]+\.\d\d EUR/m);
    expect(totalRow(stdout)).toMatch(/100\.0 %$/);
    // Right-aligned: every money cell of a column ends at the same place as its header.
    const lines = stdout.split('\n');
    const header = lines.find((l) => l.startsWith('region'))!;
    const netEnd = header.indexOf(' net') + ' net'.length;
    for (const line of lines.filter((l) => /^(north|south|total)\b/.test(l))) expect(line.slice(netEnd - 4, netEnd)).toBe(' EUR');
    // No chart unless asked for one, or grouped by a period alone.
    expect(stdout).not.toContain('█');
  });

  it('adds up to the same totals whether read by order or by order line', async () => {
    const byRegion = totalRow((await runDms('reports', 'sales', '--by', 'region')).stdout)!;
    const byCategory = totalRow((await runDms('reports', 'sales', '--by', 'category')).stdout)!;
    // Payments are per order, so the line-level report shows none; every other figure agrees.
    const figures = (row: string) => row.split(/\s{2,}/).filter((_, i) => i !== 8 && i !== 0);
    expect(figures(byCategory)).toEqual(figures(byRegion));
  });

  it('charts a single period by default, with growth against the period before', async () => {
    const { code, stdout } = await runDms('reports', 'sales', '--by', 'month');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^month\s+orders.*share\s+growth$/m);
    expect(stdout).toMatch(/^\d{4}-\d\d\s+.*[+-]\d+\.\d %$/m);
    expect(stdout).toContain('Net value (EUR)');
    expect(stdout).toMatch(/^\d{4}-\d\d\s+█+/m);
    // The clock stands on 20 November: November has not ended, and says so; October has.
    expect(stdout).toMatch(/^2026-11\s+.*[+-]\d+\.\d %\*$/m);
    expect(stdout).toMatch(/^2026-10\s+.*[+-]\d+\.\d %$/m);
    expect(stdout).toContain('* partial: a month not ended by 2026-11-20 or cut by the range, compared with whole ones.');
    expect(stdout).toMatch(/^2026-11 \*\s+█/m);
  });

  it('filters, groups by two dimensions and charts on request', async () => {
    const { code, stdout } = await runDms(
      'reports',
      'sales',
      '--by',
      'region,quarter',
      '--from',
      '2026-01-01',
      '--to',
      '2026-06-30',
      '--region',
      'north',
      '--chart',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Sales by region and quarter placed 2026-01-01 to 2026-06-30');
    const rows = stdout.split('\n').filter((l) => /^north\s+2026-Q\d/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(['2026-Q1', '2026-Q2']);
    expect(stdout).not.toMatch(/^(south|east|west|central)\s/m);
    expect(stdout).toContain('Growth of the totals against 2025-07-01 to 2025-12-31');
    expect(stdout).toMatch(/^north · 2026-Q1\s+█/m);
  });

  it('refuses a query it cannot answer, naming the option', async () => {
    const unknown = await runDms('reports', 'sales', '--by', 'colour');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('--by unknown dimension "colour"');
    const three = await runDms('reports', 'sales', '--by', 'region,month,partner');
    expect(three.stderr).toContain('--by must name one or two dimensions, not 3');
    const backwards = await runDms('reports', 'sales', '--by', 'region', '--from', '2026-05-01', '--to', '2026-01-01');
    expect(backwards.code).toBe(64);
    expect(backwards.stderr).toContain('--from must not be after to (2026-01-01)');
    expect((await runDms('reports', '--help')).stdout).toContain('dms reports sales --by');
  });
});
