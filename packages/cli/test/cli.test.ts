import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fold, type OrderEvent, orderDecider } from '@dms/domain';
import { openDatabase, stateAsJson } from '@dms/eventstore';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDms } from './support';

/** Runs `dms` in-process against a throwaway embedded data folder and captures what it prints. */
const dir = mkdtempSync(join(tmpdir(), 'dms-cli-'));
const run = runDms;
const DMS_BIN = join(import.meta.dirname, '..', 'bin', 'dms.js');

beforeAll(() => {
  process.env.DMS_DATA_DIR = join(dir, 'data');
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  delete process.env.DMS_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('dms', () => {
  it('seeds the demo through the command handler and prints a summary, saying where the data lives', async () => {
    const { code, stdout, stderr } = await run('demo', '--orders', '80', '--seed', '3');
    expect(code).toBe(0);
    expect(stderr).toContain(`data: embedded PostgreSQL (PGlite), data in ${join(dir, 'data')}`);
    expect(stdout).toContain('Orders by status and region');
    expect(stdout).toMatch(/total\s+\d+/);
    expect(stdout).toContain('Net invoiced revenue by month');
    expect(stdout).toMatch(/password for all of them: demo-\S+\)/);
    expect(stdout).toContain('dealer@nordic-flow.demo.dms');
  }, 300_000);

  it('does not seed a data folder that already holds events, and changes nothing in it', async () => {
    const before = await run('orders', 'list', '--limit', '500');
    const again = await run('demo', '--orders', '80', '--seed', '3');
    expect(again.stdout).toContain('not seeded again');
    expect(again.stdout).toContain('Orders by status and region');
    const after = await run('orders', 'list', '--limit', '500');
    expect(after.stdout).toBe(before.stdout);
    // Each run prints fresh keys and revokes the ones the run before printed: one working key per demo role.
    const keys = (await run('keys', 'list')).stdout.split('\n').filter((line) => line.includes('demo admin'));
    expect(keys).toHaveLength(2);
    const revoked = keys.filter((line) => line.match(/\d{4}-\d{2}-\d{2}/g)?.length === 2);
    expect(revoked).toHaveLength(1);
  });

  it("shows the demo's dated price lists, and where each order line's price came from", async () => {
    const gold = await run('pricing', 'versions', 'gold');
    expect(gold.stdout).toMatch(/gold-2026-autumn\s+2026-09-01 00:00\s+open\s+VLV-\d+\s+[\d,.]+ EUR\s+50\+: [\d,.]+ EUR; 100\+: [\d,.]+ EUR/);
    expect((await run('pricing', 'versions', '--dealer', 'alpine-systems')).stdout).toMatch(/alpine-2026-autumn\s+2026-09-01 00:00\s+open\s+PMP-\d+/);
    // Gold dealers' orders since September: valve lines priced by the autumn version, some at a quantity break.
    const shown: string[] = [];
    for (const partner of ['iberia-agua', 'danube-supply', 'alpine-systems', 'rhein-industrie']) {
      const list = await run('orders', 'list', '--partner', partner, '--from', '2026-09-01', '--limit', '50');
      for (const [, orderId] of list.stdout.matchAll(/^(SO-\S+)/gm)) shown.push((await run('orders', 'show', orderId!)).stdout);
    }
    expect(shown[0]).toMatch(/price source/);
    expect(shown.join('\n')).toMatch(/VLV-\d+\s+\d+\s+[\d,.]+ EUR\s+0\.00\s+[\d,.]+ EUR\s+tier gold-2026-autumn/);
  });

  it('shows the promotions running in the demo, their budgets used by the orders placed since, and the discount on those lines', async () => {
    const list = await run('promotions', 'list', '--active', '2026-11-15T00:00:00Z');
    expect(list.stdout).toMatch(
      /winter-pumps\s+Winter pumps: 5 % off\s+2026-11-01 00:00\s+2027-01-01 00:00\s+5\.00 % off\s+tiers gold, platinum; categories pumps\s+5,000\.00 EUR/,
    );
    expect(list.stdout).toContain('q4-big-orders');
    const shown = (await run('promotions', 'show', 'winter-pumps')).stdout;
    const used = /used ([\d,.]+) EUR/.exec(shown)?.[1];
    expect(Number(used?.replace(/,/g, ''))).toBeGreaterThan(0);
    const orderId = /^(SO-\S+)/m.exec(shown.split('\n').slice(4).join('\n'))?.[1];
    expect(orderId).toBeDefined();
    expect((await run('orders', 'show', orderId!)).stdout).toMatch(/winter-pumps -[\d,.]+ EUR/);
  });

  it('lists, shows and audits orders', async () => {
    const list = await run('orders', 'list', '--status', 'paid', '--limit', '3');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^order\s+placed\s+dealer/);
    const orderId = /SO-\d{5}/.exec(list.stdout)?.[0];
    expect(orderId).toBeDefined();
    const show = await run('orders', 'show', orderId!);
    expect(show.stdout).toContain(`Order ${orderId}  paid`);
    const history = await run('orders', 'history', orderId!);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('OrderPlaced');
    expect(history.stdout).toContain('Hash chain verified');
  });

  it('invoices an order or one of its shipments by hand, refused with the reason when the order or its agreement does not allow it', async () => {
    const list = await run('orders', 'list', '--status', 'paid', '--limit', '1');
    const orderId = /SO-\d{5}/.exec(list.stdout)![0];
    expect((await run('orders', 'show', orderId)).stdout).toMatch(/shipment\s+qty\s+carrier\s+shipped\s+delivered\s+invoice\s+amount\s+due/);
    const whole = await run('orders', 'invoice', orderId, '--due', '2026-12-31');
    expect(whole.code).toBe(2);
    expect(whole.stdout).toContain('Refused (ALREADY_INVOICED)');
    const shipment = await run('orders', 'invoice', orderId, '--shipment', `${orderId}-S1`);
    expect(shipment.code).toBe(2);
    expect(shipment.stdout).toContain('Refused (INVOICED_PER_ORDER)');
    expect((await run('orders', 'invoice', orderId, '--shipment', `${orderId}-S1`, '--due', '2026-12-31')).code).toBe(64);
    expect((await run('orders', 'invoice')).code).toBe(64);
  });

  it("shows a demo order's state at each step of its history: the fold of the events so far, by the domain's own evolve", async () => {
    const list = await run('orders', 'list', '--status', 'paid', '--limit', '1');
    const orderId = /SO-\d{5}/.exec(list.stdout)![0];
    const now = await run('audit', 'state', `order-${orderId}`, '--json');
    expect(now.code).toBe(0);
    const whole = JSON.parse(now.stdout) as { entries: { globalPosition: string; type: string; data: unknown }[]; status: string };
    expect(whole.status).toBe('paid');
    expect(whole.entries.length).toBeGreaterThan(5);
    const statuses: string[] = [];
    for (const [i, entry] of whole.entries.entries()) {
      const step = await run('audit', 'state', `order-${orderId}`, '--position', entry.globalPosition, '--json');
      const state = JSON.parse(step.stdout);
      expect(state.version).toBe(i);
      expect(state.entries.map((e: { type: string }) => e.type)).toEqual(whole.entries.slice(0, i + 1).map((e) => e.type));
      const folded = fold(orderDecider, whole.entries.slice(0, i + 1) as OrderEvent[]);
      expect(state.state).toEqual(stateAsJson(folded));
      statuses.push(state.status);
    }
    expect(statuses[0]).toBe('placed');
    expect(statuses.at(-1)).toBe('paid');
    const readable = await run('audit', 'state', `order-${orderId}`, '--position', whole.entries[0]!.globalPosition);
    expect(readable.stdout).toContain('OrderPlaced');
    expect(readable.stdout).toMatch(/State of order-SO-\d{5} \(order\) as of position \d+: version 0, folded from 1 of \d+ events/);
    expect(readable.stdout).toContain('Status then: placed');
    expect(readable.stdout).toContain('Hash chain verified');
    const before = await run('audit', 'state', `order-${orderId}`, '--at', '2000-01-01');
    expect(before.stdout).toContain('did not exist yet');
    const bad = await run('audit', 'state', `order-${orderId}`, '--at', 'last June');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('"last June" is not a time');
  });

  it("exports the demo's orders as a signed bundle that verifies in a process with no database and a fresh home, and names an event changed by one byte", async () => {
    const bundle = join(dir, 'orders.jsonl');
    const exported = await run('audit', 'export', '--prefix', 'order-', '--out', bundle, '--csv');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/Exported \d+ events of \d+ streams/);
    const key = await run('audit', 'public-key');
    expect(key.stdout).toContain('BEGIN PUBLIC KEY');
    expect((await run('audit', 'public-key')).stdout).toBe(key.stdout);
    const keyFile = join(dir, 'dms-audit.pem');
    writeFileSync(keyFile, key.stdout.slice(0, key.stdout.indexOf('Key id')));
    // The auditor's machine: no DATABASE_URL, no data folder, a home of its own, another working directory.
    const home = mkdtempSync(join(tmpdir(), 'dms-auditor-'));
    const alone = (file: string) =>
      spawnSync(process.execPath, [DMS_BIN, 'audit', 'verify-export', file, '--public-key', keyFile], {
        cwd: home,
        env: { PATH: process.env.PATH ?? '', HOME: home },
        encoding: 'utf8',
        timeout: 240_000,
      });
    const clean = alone(bundle);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('Signed by the key given');
    expect(clean.stdout).toMatch(/orders \(\d+\)\s+EUR\s+placed \d+/);
    expect(clean.stdout).toContain('Verified: the signature, every hash chain');
    expect(clean.stderr).not.toContain('[dms] data');
    expect(readdirSync(home)).toEqual([]);

    const lines = readFileSync(bundle, 'utf8').split('\n');
    const target = lines.findIndex((l) => l.includes('"type":"OrderInvoiced"'));
    const event = JSON.parse(lines[target]!);
    const text = lines[target]!;
    const digit = text.indexOf('"amountMinor":') + '"amountMinor":'.length;
    lines[target] = `${text.slice(0, digit)}${text[digit] === '9' ? '8' : '9'}${text.slice(digit + 1)}`;
    const tampered = join(dir, 'orders-tampered.jsonl');
    writeFileSync(tampered, lines.join('\n'));
    const caught = alone(tampered);
    expect(caught.status).toBe(2);
    expect(caught.stdout).toMatch(new RegExp(`${target + 1}\\s+${event.streamId}\\s+${event.streamVersion}\\s+${event.eventId}\\s+altered`));
    expect(caught.stdout).toMatch(/NOT VERIFIED: \d+ problems/);

    const csv = readFileSync(join(dir, 'orders.events.csv'), 'utf8').trimEnd().split('\r\n');
    expect(csv.length).toBe(lines.length - 1);
    expect(csv[0]).toMatch(/^globalPosition,streamId,streamVersion,recordedAt,type,/);
    const orderLines = readFileSync(join(dir, 'orders.order-lines.csv'), 'utf8');
    expect(orderLines).toMatch(/^orderId,partnerId,region,placedAt,status,lineNo,sku,quantity/);
    expect(orderLines).toMatch(/placed \d+ at/);
    expect((await run('audit', 'export', '--out', bundle)).code).toBe(64);
    // Settlement statements too: their closed totals are recomputed from their lines and rebates.
    const statements = join(dir, 'settlements.jsonl');
    expect((await run('audit', 'export', '--prefix', 'settlement-', '--out', statements)).code).toBe(0);
    const settled = await run('audit', 'verify-export', statements);
    expect(settled.stdout).toMatch(/settlements \(\d+, [1-9]\d* closed\)\s+EUR\s+lines -?\d+, closedTotal/);
    expect(settled.code, settled.stdout).toBe(0);
    // The stock valuation as of now, recomputed from the log, prints as the one from the read model.
    const fromTables = await run('stock', 'valuation');
    const fromLog = await run('stock', 'valuation', '--at', '2999-12-31');
    expect(fromLog.stdout).toBe(`Stock valuation as of 2999-12-31T23:59:59.999Z, recomputed from the events recorded by then:\n${fromTables.stdout}`);
    expect((await run('stock', 'valuation', '--at', 'June')).code).toBe(64);
    rmSync(home, { recursive: true, force: true });
  }, 600_000);

  it('draws a reproducible sample of the orders of a quarter, each with its steps, money trail and revenue split', async () => {
    const file = join(dir, 'sample.json');
    const first = await run('audit', 'sample', '--orders', '3', '--period', '2026-Q3', '--seed', '20261001', '--out', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^\d+ orders placed 2026-07-01 to 2026-09-30 \(2026-Q3\); drawn 3 with seed "20261001"/);
    expect(first.stdout).toContain('status after');
    const again = await run('audit', 'sample', '--orders', '3', '--period', '2026-Q3', '--seed', '20261001');
    expect(again.stdout).toBe(`${first.stdout.split('\n\nWritten to')[0]}\n`);
    const sample = JSON.parse(readFileSync(file, 'utf8'));
    expect(sample.orders).toHaveLength(3);
    for (const order of sample.orders) {
      expect(order.placedAt >= '2026-07-01' && order.placedAt < '2026-10-01').toBe(true);
      expect(order.steps[0]).toMatchObject({ entry: { type: 'OrderPlaced' }, status: 'placed' });
      expect(order.verified).toBe(true);
    }
    expect((await run('audit', 'sample', '--period', 'Q3', '--seed', '1')).code).toBe(64);
    expect((await run('audit', 'sample', '--period', '2026-Q3')).code).toBe(64);
    // Sales by dealer and quarter as of the end of the demo's data: from the log, every dealer with orders is there.
    const sales = await run('audit', 'sales', '--at', '2999-12-31', '--by', 'quarter');
    expect(sales.code).toBe(0);
    expect(sales.stdout).toMatch(
      /^Sales by dealer and quarter as of 2999-12-31T23:59:59.999Z, recomputed from the events recorded by then:\ndealer\s+quarter\s+orders/,
    );
    expect(sales.stdout).toMatch(/\n\S+\s+2026-Q3\s+[1-9]\d*\s/);
    expect((await run('audit', 'sales', '--by', 'week')).code).toBe(64);
  });

  it('reports projection status and rebuilds with progress', async () => {
    const status = await run('projections', 'status');
    // orders: its version (raised when its tables change), checkpoint, head, and nothing behind.
    expect(status.stdout).toMatch(/orders\s+\d+\s+\d+\s+\d+\s+0\s/);
    const rebuild = await run('projections', 'rebuild', 'orders');
    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toMatch(/Rebuilding orders done in/);
    const both = await run('projections', 'rebuild', 'orders', 'stock_levels', '--parallel', '2');
    expect(both.code).toBe(0);
    expect(both.stderr).toMatch(/Rebuilding orders done in/);
    expect(both.stderr).toMatch(/Rebuilding stock_levels done in/);
    expect(both.stdout).toMatch(/Rebuilt 2 read models from position 0 into fresh tables, 2 at a time: \d+ events/);
    expect((await run('projections', 'rebuild', '--parallel', '0')).code).toBe(64);
    const after = await run('orders', 'list', '--limit', '500');
    expect(after.stdout).toContain('SO-');
    const verify = await run('projections', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/orders\s+orders\s+\d+\s+0\s+0\s+same/);
    expect(verify.stdout).toMatch(/stock_levels\s+stock_levels\s+\d+\s+0\s+0\s+same/);
    expect(verify.stdout).toContain('Verified: every read model holds exactly what a replay of its events gives.');
    expect(verify.stderr).toMatch(/Replaying settlements done in/);
  });

  it('creates, lists and revokes API keys, showing the secret only once', async () => {
    const created = await run('keys', 'create', '--role', 'dealer', '--partner', 'nordic-flow', '--name', 'portal');
    expect(created.code).toBe(0);
    const token = /dms_([A-Za-z0-9]{12})_\S+/.exec(created.stdout);
    expect(token).not.toBeNull();
    const list = await run('keys', 'list');
    expect(list.stdout).toContain(token![1]);
    expect(list.stdout).toContain('nordic-flow');
    expect(list.stdout).not.toContain(token![0]);
    expect((await run('keys', 'revoke', token![1]!)).stdout).toContain('revoked');
    expect((await run('keys', 'list')).stdout).toMatch(new RegExp(`${token![1]}.*\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\s*$`, 'm'));
    expect((await run('keys', 'create', '--role', 'wizard')).code).toBe(64);
  });

  it('invites, lists, relinks, suspends and reactivates users; the demo made one per role', async () => {
    expect((await run('users', 'list')).stdout).toMatch(/dealer@nordic-flow\.demo\.dms.*dealer.*nordic-flow.*active/);
    const invited = await run('users', 'invite', '--email', 'Li.Wei@dealer.example', '--role', 'dealer', '--partner', 'nordic-flow', '--name', 'Li Wei');
    expect(invited.code, invited.stdout).toBe(0);
    expect(invited.stdout).toMatch(/http:\/\/127\.0\.0\.1:3000\/accept-invitation\?token=\S+/);
    const userId = /\(user ([0-9a-f-]{36})\)/.exec(invited.stdout)![1]!;
    const taken = await run('users', 'invite', '--email', 'li.wei@dealer.example', '--role', 'sales');
    expect([taken.code, taken.stdout]).toEqual([1, expect.stringContaining('already belongs')]);
    expect((await run('users', 'list', '--status', 'invited')).stdout).toContain('li.wei@dealer.example');
    expect((await run('users', 'link', userId)).stdout).toContain('accept-invitation?token=');
    expect((await run('users', 'role', userId, '--role', 'sales')).stdout).toContain('now sales');
    expect((await run('users', 'list', '--status', 'invited')).stdout).toMatch(/li\.wei@dealer\.example.*sales/);
    // A salesperson's regions: shown in the list; the demo's two salespeople own theirs.
    expect((await run('users', 'regions', userId, 'north, east')).stdout).toContain('owns east, north');
    expect((await run('users', 'list', '--status', 'invited')).stdout).toMatch(/li\.wei@dealer\.example.*sales.*east,north/);
    expect((await run('users', 'regions', userId, '--clear')).stdout).toContain('owns no region');
    expect((await run('users', 'regions', userId)).code).toBe(64);
    expect((await run('users', 'list')).stdout).toMatch(/sales\.south@demo\.dms.*sales.*south,west/);
    expect((await run('users', 'suspend', userId)).code).toBe(64);
    expect((await run('users', 'suspend', userId, '--reason', 'test')).stdout).toContain('suspended');
    expect((await run('users', 'list', '--status', 'suspended')).stdout).toContain('li.wei@dealer.example');
    expect((await run('users', 'reactivate', userId)).stdout).toContain('reactivated');
    expect((await run('users', 'invite', '--email', 'x@y.example', '--role', 'wizard')).code).toBe(64);
  });

  it('shows stock levels, the ledger, low-stock alerts and backorders from the demo as tables', async () => {
    const levels = await run('stock', 'levels', '--warehouse', 'WH-NORTH');
    expect(levels.code).toBe(0);
    expect(levels.stdout).toMatch(/^warehouse\s+region\s+sku\s+on hand\s+reserved\s+available/);
    expect(levels.stdout).toContain('WH-NORTH');
    expect((await run('stock', 'levels', '--by', 'region')).stdout).toMatch(/^region\s+sku\s+whs/);
    const ledger = await run('stock', 'ledger', '--warehouse', 'WH-HUB', '--limit', '200');
    expect(ledger.stdout).toMatch(/received/);
    expect(ledger.stdout).toMatch(/transferred out/);
    // A part delivery at the hub fills backorders waiting in a regional warehouse; resaleable returns go back into stock.
    const moved = await run('stock', 'ledger', '--kind', 'backorder_moved');
    expect(moved.stdout).toMatch(/PMP-005\s+backorder moved\s+-\d+.+SO-S\d{4}#\d\s+⇄ WH-HUB/);
    const returned = await run('stock', 'ledger', '--kind', 'returned');
    expect(returned.stdout).toMatch(/WH-\w+\s+[A-Z]{3}-\d{3}\s+returned\s+\+\d+.+SO-S\d{4}#\d\s+returned from shipment SO-S\d{4}-S\d/);
    expect((await run('stock', 'alerts')).stdout).toMatch(/PMP-005.+\d+\s+\d{4}-\d{2}-\d{2}/);
    const backorders = await run('stock', 'backorders');
    expect(backorders.stdout).toMatch(/^sku\s+warehouse\s+queue\s+order/);
    expect(backorders.stdout).toMatch(/PMP-005\s+WH-\w+\s+1\s+SO-S\d{4}#\d/);
    expect((await run('stock', 'valuation')).stdout).toContain('all regions');
    expect((await run('stock', 'nope')).code).toBe(64);
  });

  it('explains bad usage', async () => {
    expect((await run('frobnicate')).code).toBe(64);
    expect((await run('orders', 'show')).stderr).toContain('dms orders show <orderId>');
    expect((await run('orders', 'list', '--limit', 'many')).stderr).toContain('--limit must be a whole number');
    expect((await run('orders', 'show', 'nope')).stdout).toContain('does not exist');
    expect((await run('audit', 'verify', '--anchor', join(dir, 'missing.json'))).stderr).toContain('Cannot read the anchor');
  });

  // Last: it tampers with the data folder.
  it('verifies the whole store, saves an anchor, and later finds an event cut off the end of a stream', async () => {
    const anchorFile = join(dir, 'anchor.json');
    const first = await run('audit', 'verify', '--save-anchor', anchorFile);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^streams of\s+streams\s+events\s+problems/);
    expect(first.stdout).toMatch(/order\s+\d+\s+\d+\s+0/);
    expect(first.stdout).toContain('Verified: every hash chain holds');
    expect(first.stderr).toMatch(/Verifying done in/);
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8'));
    expect(anchor).toMatchObject({ format: 'dms-audit-anchor/1', streamPrefix: null });
    expect((await run('audit', 'history', 'partner-nope')).code).toBe(1);
    const partner = Object.keys(anchor.heads).find((s) => s.startsWith('partner-'))!;
    const history = await run('audit', 'history', partner);
    expect(history.stdout).toContain('PartnerOnboarded');
    expect(history.stdout).toContain('Hash chain verified');

    // Behind DMS's back: the last event of the longest order stream is deleted from the database.
    const database = await openDatabase({ dataDir: join(dir, 'data') });
    const { rows } = await sql<{ stream_id: string; v: number }>`
      select stream_id, max(stream_version) as v from eventstore.events where stream_id like 'order-%'
      group by stream_id order by 2 desc, 1 limit 1`.execute(database.db);
    const victim = rows[0]!;
    await sql`delete from eventstore.events where stream_id = ${victim.stream_id} and stream_version = ${victim.v}`.execute(database.db);
    await database.close();

    const chainOnly = await run('audit', 'verify', '--prefix', 'order-');
    expect(chainOnly.code).toBe(0);
    const later = await run('audit', 'verify', '--anchor', anchorFile);
    expect(later.code).toBe(2);
    expect(later.stdout).toMatch(new RegExp(`${victim.stream_id}\\s+${victim.v - 1}\\s+truncated`));
    expect(later.stdout).toContain('NOT VERIFIED: 1 problem.');
  });
});
