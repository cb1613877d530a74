import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDms as run } from './support';

// The CLI acts as `cli:<login name>`: a second person approving is a second login name.
const login = vi.hoisted(() => ({ name: undefined as string | undefined }));
vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os')>();
  const userInfo = ((options?: object) => ({ ...os.userInfo(options as never), ...(login.name ? { username: login.name } : {}) })) as typeof os.userInfo;
  return { ...os, default: { ...os, userInfo }, userInfo };
});

/** `dms performance` on a small demo data set, in-process, in a throwaway embedded data folder; the clock stands on the demo's end. */
const dir = mkdtempSync(join(tmpdir(), 'dms-performance-'));
let demoOutput = '';

beforeAll(async () => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
  const demo = await run('demo', '--orders', '60', '--seed', '5');
  if (demo.code !== 0) throw new Error(demo.stderr);
  demoOutput = demo.stdout;
}, 300_000); // a demo: a minute alone, more on a loaded machine
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms performance', () => {
  it('the demo prints the ranked scorecards per region and one review with its feedback and follow-up actions', () => {
    expect(demoOutput).toMatch(/^Scorecards 2026-10, region central\nrank\s+dealer\s+tier\s+score\s+grade\s+sales vs goal/m);
    expect(demoOutput).toMatch(/^Improvement actions overdue on 2026-11-20: [1-9]\d*/m);
    expect(demoOutput).toMatch(/^Review \d{4}-(\d{2}|Q\d) of .+: (open|completed), reviewer anna\.sales; score/m);
    expect(demoOutput).toMatch(/^Dealer feedback \(.+\.buyer, \d{4}-\d{2}-\d{2}\): /m);
    expect(demoOutput).toMatch(/carried from \d{4}-(\d{2}|Q\d)/);
  });

  it('ranks scorecards, shows a dealer over time and charts its attainment', async () => {
    const ranked = await run('performance', 'scorecards', '--period', '2026-09');
    expect(ranked.code).toBe(0);
    expect(ranked.stdout).toMatch(/^Scorecards 2026-09, region north\nrank\s+dealer/m);
    const own = await run('performance', 'scorecards', '--partner', 'nordic-flow');
    expect(own.stdout).toMatch(/^period\s+tier\s+score\s+grade\s+rank in region\s+rank in tier\s+sales vs goal/);
    expect(own.stdout).toMatch(/^2026-10\s+platinum\s+\d+\.\d{2}\s+[ABCD]/m);
    const chart = await run('performance', 'chart', 'nordic-flow');
    expect(chart.stdout).toContain('Sales against goal, Nordic Flow AB, by period');
    expect(chart.stdout).toMatch(/^2025-12\s+█*\S*\s+\d+\.\d{2} %\s+[ABCD] \d+\.\d{2}$/m);
    const review = await run('performance', 'show', 'nordic-flow', '2026-10');
    expect(review.stdout).toMatch(/^Review 2026-10 of Nordic Flow AB: /);
    expect(review.stdout).toMatch(/^sales\s+Net sales \(invoiced less credited\)\s+35\.00 %/m);
  });

  it('lists overdue actions and agent commissions, and verifies every scorecard against the events', async () => {
    const overdue = await run('performance', 'overdue', '--as-of', '2026-11-20');
    expect(overdue.stdout).toMatch(/^Improvement actions overdue on 2026-11-20, most overdue first\ndealer\s+review\s+action/);
    expect((await run('performance', 'commissions', '--agent', 'agent-sven')).stdout).toMatch(/^agent-sven\s+2026-\d{2}\s+open/m);
    const verify = await run('performance', 'verify');
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^Verified: all \d+ stored scorecards equal their recomputation from the events\.$/m);
  });

  it('refuses bad arguments with exit 64, naming what is wrong', async () => {
    const period = await run('performance', 'scorecards', '--period', '2026-13');
    expect([period.code, period.stderr]).toEqual([64, expect.stringContaining('--period 2026-13 is not a period')]);
    expect((await run('performance', 'show', 'nordic-flow')).code).toBe(64);
    expect((await run('performance', 'overdue', '--as-of', 'yesterday')).code).toBe(64);
  });

  it('closes, approves (someone else) and pays a commission statement with dms commissions', async () => {
    const open = await run('commissions', 'list', '--agent', 'agent-sven', '--status', 'open');
    expect(open.code).toBe(0);
    // An ended period: the demo's clock stands in late November.
    const period = [...open.stdout.matchAll(/^agent-sven\s+(2026-\d{2})\s+open/gm)].map((m) => m[1]!).find((p) => p < '2026-11');
    expect(period).toBeDefined();
    login.name = 'fay';
    const closed = await run('commissions', 'close', 'agent-sven', period!);
    expect(closed.stdout).toContain(`Commission statement ${period} of agent-sven closed (CommissionStatementClosed).`);
    const same = await run('commissions', 'approve', 'agent-sven', period!);
    expect(same.code).toBe(2);
    expect(same.stdout).toContain('Refused (SAME_PERSON_APPROVAL): cli:fay closed the');
    login.name = 'greta';
    const approved = await run('commissions', 'approve', 'agent-sven', period!);
    expect(approved.stdout).toContain(`Commission statement ${period} of agent-sven approved (CommissionStatementApproved).`);
    expect((await run('commissions', 'pay', 'agent-sven', period!)).code).toBe(64);
    const paid = await run('commissions', 'pay', 'agent-sven', period!, '--reference', 'BANK-9921');
    expect(paid.stdout).toMatch(
      new RegExp(`^Commission statement ${period} of agent-sven paid: [\\d,.]+ EUR to the agent \\(CommissionStatementPaid\\)\\.$`, 'm'),
    );
    expect((await run('commissions', 'list', '--agent', 'agent-sven', '--period', period!)).stdout).toMatch(
      new RegExp(`^agent-sven\\s+${period}\\s+paid`, 'm'),
    );
    expect((await run('commissions', 'close', 'agent-sven')).code).toBe(64);
    expect((await run('commissions', 'list', '--status', 'done')).code).toBe(64);
    login.name = undefined;
  });
});
