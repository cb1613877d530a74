import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { issueApiKey, provisionUsers } from '@dms/api';
import { DataFolderInUse, dataFolderHolder } from '@dms/eventstore';
import type { DmsConfig, DmsRuntime } from '@dms/projections';
import {
  listApiKeys,
  listNotifications,
  listPartners,
  ordersByStatusAndRegion,
  raiseDueNotifications,
  refreshPlannerStatistics,
  revenueByMonth,
} from '@dms/projections';
import { seedResources } from '../demo/resources';
import { DEMO_END, seedDemo } from '../demo/seed';
import { compact } from '../format';
import { renderBarChart } from '../ui/chart';
import { ProgressBar } from '../ui/progress';
import { renderTable } from '../ui/table';
import { printPartnershipSummary } from './agreements';
import { operator } from './keys';
import { printPerformanceSummary } from './performance';
import { printStockSummary, processSettler } from './stock';

export interface DemoOptions {
  readonly orders: number;
  readonly seed: number;
  readonly fresh: boolean;
}

/** Removes the embedded data folder, refusing anything that does not look like one. */
export const wipeEmbeddedData = (config: DmsConfig): void => {
  if (config.databaseUrl) throw new Error('--fresh only wipes the embedded data folder; with DATABASE_URL, use a fresh database instead.');
  if (config.dataDir.startsWith('memory://')) return;
  const folder = resolve(config.dataDir);
  const holder = dataFolderHolder(folder);
  if (holder) throw new DataFolderInUse(folder, holder, 'Stop it before wiping the folder with --fresh.');
  rmSync(folder, { recursive: true, force: true });
};

/**
 * The demo's people, one per role, a second salesperson and a buyer of one dealer. The salespeople own regions (central is
 * nobody's, so its notifications reach both).
 */
export const DEMO_USERS = [
  { email: 'admin@demo.dms', name: 'Ada Admin', role: 'admin' },
  { email: 'sales@demo.dms', name: 'Sam Sales', role: 'sales', regions: ['east', 'north'] },
  { email: 'sales.south@demo.dms', name: 'Sofia Sales', role: 'sales', regions: ['south', 'west'] },
  { email: 'finance@demo.dms', name: 'Fay Finance', role: 'finance' },
  { email: 'auditor@demo.dms', name: 'Otto Auditor', role: 'auditor' },
  { email: 'dealer@nordic-flow.demo.dms', name: 'Nora Buyer (Nordic Flow)', role: 'dealer', partnerId: 'nordic-flow' },
] as const;

/**
 * Makes sure the demo's users exist and sets one fresh password for all of them on every run (only hashes are kept, so
 * an earlier one cannot be shown again): `DMS_DEMO_PASSWORD` when set, so scripts and browser tests can sign in.
 */
const printDemoUsers = async (runtime: DmsRuntime, out: (line: string) => void) => {
  const password = process.env.DMS_DEMO_PASSWORD || `demo-${randomBytes(9).toString('base64url')}`;
  const ids = await provisionUsers(runtime, DEMO_USERS, password, operator());
  for (const [i, spec] of DEMO_USERS.entries()) {
    if (!('regions' in spec)) continue;
    const assigned = await runtime.bus.execute(
      { type: 'AssignUserRegions', data: { userId: ids[i]!, regions: [...spec.regions], assignedAt: new Date().toISOString() } },
      { commandId: `demo-regions-${ids[i]}-${spec.regions.join(',')}`, actor: operator() },
    );
    if (assigned._tag === 'Left') throw new Error(`could not assign ${spec.email} its regions: ${assigned.left.message}`);
  }
  out('');
  out(`People who sign in at http://127.0.0.1:3000 after \`pnpm dms serve\` (password for all of them: ${password})`);
  out(
    renderTable(DEMO_USERS, [
      { header: 'role', value: (u) => u.role },
      { header: 'e-mail', value: (u) => u.email },
      { header: 'for', value: (u) => ('partnerId' in u ? u.partnerId : 'manufacturer') },
      { header: 'regions', value: (u) => ('regions' in u ? u.regions.join(', ') : '') },
    ]),
  );
  return ids;
};

/** Seeds a year of channel activity through the command bus, projects it, and prints what a channel manager would ask first. */
export const runDemo = async (runtime: DmsRuntime, options: DemoOptions, out: (line: string) => void): Promise<void> => {
  // A data folder that already holds events is not seeded again: replaying the plan onto a world that has moved on
  // (a dealer reactivated since, stock already shipped) would not reproduce it. `--fresh` starts over.
  if ((await runtime.store.headPosition()) !== null) {
    out('The data folder already holds events, so the demo is not seeded again (use --fresh to start over). Summary of what is there:');
  } else {
    const seeding = new ProgressBar('Seeding (commands through the command handler)');
    const report = await seedDemo(runtime.bus, {
      orders: options.orders,
      seed: options.seed,
      onProgress: (done, total) => seeding.update(done / total, `${done}/${total}`),
      settle: processSettler(runtime),
    });
    seeding.done(`${report.commands} commands`);
    const refusedList = Object.entries(report.refused);
    if (refusedList.length > 0) out(`Refused by the domain, as in real life: ${refusedList.map(([code, n]) => `${n} × ${code}`).join(', ')}`);
    if (report.stock && !report.stock.alreadySeeded) out(`Stock weeks: ${report.stock.commands} commands, ${report.stock.orders} orders served from stock.`);
    if (report.promoted) out(`Promoted at the year-end performance review: ${report.promoted}.`);
    const library = await seedResources(runtime, options.seed);
    out(
      `Resource library: ${library.published} resources published (the 2027 platinum price policy, acknowledged by ${library.acknowledged} dealer so far; a training sheet for all).`,
    );
  }

  const projecting = new ProgressBar('Projecting read models');
  projecting.update(0);
  await runtime.runner.catchUp();
  // The notification rules that depend on the date, as of the demo's last day (`dms serve` runs them daily); the others were
  // raised by the process manager while projecting.
  await raiseDueNotifications(runtime.bus, runtime.runner.db, new Date(DEMO_END).toISOString().slice(0, 10), new Date(DEMO_END));
  await runtime.runner.catchUp();
  projecting.done();

  const db = runtime.runner.db;
  const byStatusRegion = await ordersByStatusAndRegion(db);
  const statuses = [...new Set(byStatusRegion.map((r) => r.status))].sort();
  const regions = [...new Set(byStatusRegion.map((r) => r.region))].sort();
  const count = (region: string | null, status: string | null) =>
    byStatusRegion.filter((r) => (region === null || r.region === region) && (status === null || r.status === status)).reduce((a, r) => a + r.orders, 0);

  out('');
  out('Orders by status and region');
  out(
    renderTable(
      [...statuses.map((s) => ({ status: s })), { status: 'total' }],
      [
        { header: 'status', value: (r) => r.status },
        ...regions.map((region) => ({
          header: region,
          value: (r: { status: string }) => count(region, r.status === 'total' ? null : r.status),
          align: 'right' as const,
        })),
        { header: 'all', value: (r) => count(null, r.status === 'total' ? null : r.status), align: 'right' },
      ],
    ),
  );

  const revenue = await revenueByMonth(db);
  out('');
  out('Net invoiced revenue by month (invoiced less credit notes)');
  out(renderBarChart(revenue.map((m) => ({ label: m.month, value: m.revenue.amountMinor, display: `${compact(m.revenue)}  (${m.invoices} invoices)` }))));

  const partners = await listPartners(db, { limit: 100 });
  out('');
  out(
    `Dealers: ${partners.items.length} (${
      partners.items
        .filter((p) => p.status !== 'active')
        .map((p) => `${p.name}: ${p.status}`)
        .join(', ') || 'all active'
    })`,
  );
  // Fresh keys on every run: only their hashes are stored, so earlier ones cannot be shown again. The ones an earlier run
  // printed are revoked, so that demo runs do not pile up working admin keys.
  const specs = [
    { role: 'admin', name: 'demo admin' },
    { role: 'sales', name: 'demo sales' },
    { role: 'finance', name: 'demo finance' },
    { role: 'auditor', name: 'demo auditor' },
    { role: 'dealer', name: 'demo dealer (Nordic Flow)', partnerId: 'nordic-flow' },
  ] as const;
  const demoNames = new Set<string>(specs.map((s) => s.name));
  for (const earlier of (await listApiKeys(db)).filter((k) => k.revokedAt === null && demoNames.has(k.name))) {
    const revoked = await runtime.bus.execute(
      { type: 'RevokeApiKey', data: { keyId: earlier.keyId, reason: 'replaced by a later demo run', revokedAt: new Date().toISOString() } },
      { commandId: `demo-replaces-${earlier.keyId}`, actor: operator() },
    );
    if (revoked._tag === 'Left') throw new Error(`could not revoke the earlier demo key ${earlier.keyId}: ${revoked.left.message}`);
  }
  const keys = [];
  for (const spec of specs) keys.push({ ...spec, token: (await issueApiKey(runtime, spec, operator())).token });
  out('');
  out('API keys for `pnpm dms serve` (shown once; those of an earlier demo run are revoked; revoke with `dms keys revoke <keyId>`)');
  out(
    renderTable(keys, [
      { header: 'role', value: (k) => k.role },
      { header: 'for', value: (k) => ('partnerId' in k ? k.partnerId : 'manufacturer') },
      { header: 'bearer token', value: (k) => k.token },
    ]),
  );
  const userIds = await printDemoUsers(runtime, out);
  await printStockSummary(runtime, out);
  await printPartnershipSummary(runtime, new Date(DEMO_END).toISOString().slice(0, 10), out);
  await printPerformanceSummary(db, new Date(DEMO_END).toISOString().slice(0, 10), out);
  await runtime.runner.catchUp();
  // A year of rows written in bulk: the query planner's statistics, which embedded PGlite never refreshes by itself.
  await refreshPlannerStatistics(db);
  const unread = [];
  for (const [i, spec] of DEMO_USERS.entries()) {
    if (!('regions' in spec)) continue;
    const inbox = await listNotifications(db, { id: `user:${userIds[i]}`, role: 'sales' }, { limit: 1 });
    unread.push(`${inbox.unread} for ${spec.name} (${spec.regions.join(', ')})`);
  }
  out('');
  out(
    `Notifications unread: ${unread.join(', ')}; a region nobody owns reaches every salesperson (dms notifications list shows the admin's; a dealer's: --partner <id>).`,
  );
  out('');
  out(`Data: ${runtime.description}`);
  out(
    'Next: `pnpm dms serve`, then curl -H "Authorization: Bearer <token>" http://127.0.0.1:3000/orders (docs at /docs), or `pnpm dms orders list --status invoiced`.',
  );
};
