import { describe, expect, it } from 'vitest';
import { runDms } from './support';

/**
 * `dms worker` and `dms serve --no-projections` split DMS over processes on a PostgreSQL server; on an embedded data folder,
 * which one process owns, they are refused with a sentence that says why and what to do, before anything is opened.
 * (Both at work, two of each on one database: scale-out.test.ts.)
 */
const withoutServer = async <T>(run: () => Promise<T>): Promise<T> => {
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = '';
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
};

describe('dms worker and dms serve --no-projections', () => {
  it('dms worker --help says what a worker runs and names its flags', async () => {
    const { code, stdout } = await runDms('worker', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('dms worker [--name N] [--health-port N] [--host 127.0.0.1]');
    expect(stdout).toContain('projections, process managers, webhook deliveries and the agreement calendar');
    expect(stdout).toMatch(/--health-port N\s+answer GET \/health/);
  });

  it('dms serve --help offers --no-projections', async () => {
    const { stdout } = await runDms('serve', '--help');
    expect(stdout).toMatch(/--no-projections\s+the API only, beside `dms worker`s/);
  });

  it('a worker on an embedded data folder is refused: one process owns it, and dms serve already runs everything', async () => {
    const { code, stderr } = await withoutServer(() => runDms('worker'));
    expect(code).toBe(1);
    expect(stderr).toContain('`dms worker` needs a PostgreSQL server (set DATABASE_URL)');
    expect(stderr).toContain('`dms serve` alone already runs the API, the projections, webhook deliveries and the calendar');
    expect(stderr).not.toContain('[dms] data:');
  });

  it('an API without projections on an embedded data folder is refused likewise', async () => {
    const { code, stderr } = await withoutServer(() => runDms('serve', '--no-projections', '--port', '3159'));
    expect(code).toBe(1);
    expect(stderr).toContain('`dms serve --no-projections` needs a PostgreSQL server (set DATABASE_URL)');
  });
});
