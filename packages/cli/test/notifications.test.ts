import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

const dir = mkdtempSync(join(tmpdir(), 'dms-notifications-'));

beforeAll(() => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms notifications', () => {
  it('shows an empty inbox, runs the date rules idempotently, and refuses to read what does not exist', async () => {
    expect((await runDms('notifications', 'list')).stdout).toContain('No notifications.');
    expect((await runDms('notifications', 'list', '--partner', 'acme', '--unread')).stdout).toContain('No notifications for acme.');
    const due = await runDms('notifications', 'due', '--date', '2026-12-01');
    expect(due.code).toBe(0);
    expect(due.stdout).toContain('As of 2026-12-01: 0 notifications raised (0 raised before).');
    expect((await runDms('notifications', 'due', '--date', 'tomorrow')).code).toBe(64);
    const read = await runDms('notifications', 'read', 'nope');
    expect(read.code).toBe(1);
    expect(read.stdout).toContain('Refused: NOTIFICATION_NOT_FOUND');
  });
});
