import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-threads-'));
let demo: Awaited<ReturnType<typeof runDms>>;

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  demo = await runDms('demo', '--orders', '80', '--seed', '3');
  expect(demo.code).toBe(0);
}, 300_000);
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms threads', () => {
  it('lists the demo conversations: a delivery question (closed), a rebate question and an agreement renewal', async () => {
    const { code, stdout } = await runDms('threads', 'list');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^thread\s+dealer\s+subject\s+about\s+status\s+messages\s+last message\s+by$/);
    expect(stdout).toMatch(
      /TH-renewal-AGR-nordic-flow-2026\s+Nordic Flow AB\s+Renewing the 2026 distribution agreement\s+agreement AGR-nordic-flow-2026\s+open\s+4\s/,
    );
    expect(stdout).toMatch(/TH-rebate-iberia-agua-2026-Q2\s+Iberia Agua S\.L\.\s+Q2 rebate band\s+settlement iberia-agua\.2026-Q2\s+open\s+3\s/);
    expect(stdout).toMatch(/TH-delivery-SO-\d+\s+Atlantic Fluid Ltd\s+Delivery date for SO-\d+\s+order SO-\d+\s+closed\s+4\s/);
    // No thread command of the demo was refused.
    expect(demo.stdout).not.toMatch(/THREAD_|LINKED_RESOURCE|MESSAGE_/);

    expect((await runDms('threads', 'list', '--status', 'closed')).stdout.split('\n').filter((l) => l.startsWith('TH-'))).toHaveLength(1);
    const nordic = await runDms('threads', 'list', '--partner', 'nordic-flow');
    expect(nordic.stdout.split('\n').filter((l) => l.startsWith('TH-'))).toEqual([expect.stringContaining('TH-renewal')]);
    expect((await runDms('threads', 'list', '--status', 'archived')).code).toBe(64);
  });

  it('shows a thread as a conversation, with edits marked and retracted messages left out', async () => {
    const { code, stdout } = await runDms('threads', 'show', 'TH-renewal-AGR-nordic-flow-2026');
    expect(code).toBe(0);
    expect(stdout).toContain('Thread TH-renewal-AGR-nordic-flow-2026 with Nordic Flow AB (nordic-flow), about agreement AGR-nordic-flow-2026: open.');
    expect(stdout).toMatch(/#1 {2}2026-10-19 08:00 {2}anna\.sales \(sales\)\n {4}Your agreement ends on 15 December/);
    expect(stdout).toMatch(/#2 .* nordic-flow\.buyer \(dealer nordic-flow\)\n {4}\(retracted 2026-10-20 09:00\)/);
    expect(stdout).not.toContain('by mistake');
    const rebate = await runDms('threads', 'show', 'TH-rebate-iberia-agua-2026-Q2');
    expect(rebate.stdout).toMatch(/#2 .* felix\.finance \(finance\) {2}· edited/);
    expect(rebate.stdout).toContain('so 2% on all of Q2');
    expect(rebate.stdout).toContain('[attachment] Q2 purchase summary.xlsx <https://files.iberia-agua.example/reports/2026-q2-purchases.xlsx>');
    expect((await runDms('threads', 'show', 'TH-nope')).code).toBe(1);
  });

  it('posts as the CLI operator, and is refused on a closed thread', async () => {
    const posted = await runDms('threads', 'post', 'TH-renewal-AGR-nordic-flow-2026', '--body', 'Amended agreement sent for signature.');
    expect(posted).toMatchObject({ code: 0, stdout: 'Posted message #6 to TH-renewal-AGR-nordic-flow-2026.\n' });
    expect((await runDms('threads', 'show', 'TH-renewal-AGR-nordic-flow-2026')).stdout).toMatch(
      /#6 .* cli:\S+ \(admin\)\n {4}Amended agreement sent for signature\./,
    );
    const closed = (await runDms('threads', 'list', '--status', 'closed')).stdout.match(/TH-delivery-SO-\d+/)![0];
    const refused = await runDms('threads', 'post', closed, '--body', 'one more thing');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('Refused (THREAD_CLOSED)');
    expect((await runDms('threads', 'post', closed)).code).toBe(64);
    expect((await runDms('threads', 'frobnicate')).code).toBe(64);
  });
});
