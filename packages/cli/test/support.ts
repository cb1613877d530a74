import { vi } from 'vitest';
import { DEMO_END } from '../src/demo/seed';
import { main } from '../src/main';

/** The CLI tests run on demo data, so their clock stands where the demo's year ends, whatever today's date. */
export const DEMO_CLOCK = () => new Date(DEMO_END);

/** Runs `dms` in-process and captures what it prints. */
export const runDms = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv, { now: DEMO_CLOCK });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
};
