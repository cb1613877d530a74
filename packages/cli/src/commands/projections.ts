import type { HoldingTransaction } from '@dms/eventstore';
import { AGREEMENT_CALENDAR, type DmsRuntime, leaseOwners, WEBHOOK_DISPATCHER } from '@dms/projections';
import { ProgressBar } from '../ui/progress';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

/** The read models a replay can rebuild or verify: not the process managers, nor the outboxes of what was done once. */
const replayable = (runtime: DmsRuntime) => runtime.runner.projections.filter((p) => !p.react && p.replayable !== false).map((p) => p.name);

export const projectionsStatus = async (runtime: DmsRuntime, out: Out): Promise<number> => {
  const status = await runtime.runner.status();
  // Workers (`dms worker`) hold each projection under a lease: who holds which, when any worker runs.
  const owners =
    runtime.database.kind === 'postgres'
      ? await leaseOwners(runtime.runner.db, [...status.map((s) => s.name), WEBHOOK_DISPATCHER, AGREEMENT_CALENDAR])
      : new Map<string, string>();
  out(
    renderTable(status, [
      { header: 'projection', value: (s) => s.name },
      { header: 'version', value: (s) => s.version, align: 'right' },
      { header: 'checkpoint', value: (s) => s.position ?? '(start)' },
      { header: 'head', value: (s) => s.headPosition ?? '(empty)' },
      { header: 'behind', value: (s) => `${s.behind}${s.behindCapped ? '+' : ''}`, align: 'right' },
      { header: 'updated', value: (s) => s.updatedAt?.toISOString().replace('T', ' ').slice(0, 19) ?? '' },
      ...(owners.size > 0 ? [{ header: 'owner', value: (s: (typeof status)[number]) => owners.get(s.name) ?? '(no worker)' }] : []),
    ]),
  );
  out('');
  out(
    'behind = events this projection handles that it has not applied yet. Run `dms serve` (or `dms worker`s beside `dms serve --no-projections`) to keep them live.',
  );
  if (owners.size > 0) {
    out(
      `owner = the \`dms worker\` holding its lease. Webhook dispatcher: ${owners.get(WEBHOOK_DISPATCHER) ?? '(no worker)'}; agreement calendar: ${owners.get(AGREEMENT_CALENDAR) ?? '(no worker)'}.`,
    );
  }
  if (runtime.oldestOpenTransaction) {
    out('');
    out(describeHolder(await runtime.oldestOpenTransaction()));
  }
  return 0;
};

/** Projections read only below the oldest open transaction on the server, in any database: name it and its age. */
export const describeHolder = (t: HoldingTransaction | null): string => {
  if (!t) return 'No open transaction on the server holds the projections back.';
  const who = t.preparedAs ? `prepared transaction "${t.preparedAs}"` : `pid ${t.pid}${t.application ? ` (${t.application})` : ''}, user ${t.user ?? '?'}`;
  const query = t.query ? `; last statement: ${t.query}` : '';
  return [
    `Oldest open transaction on the server: ${who}, database ${t.database ?? '?'}, ${t.state ?? 'open'} for ${duration(t.ageSeconds)} (since ${t.startedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC)${query}.`,
    `Until it ends, no event appended after it began reaches any projection, in any database on the server: ${t.eventsHeldBack} event${t.eventsHeldBack === 1 ? '' : 's'} of this store wait${t.eventsHeldBack === 1 ? 's' : ''} behind it.`,
    ...(t.ageSeconds >= 60 && !t.preparedAs ? [`If it is stuck, end it: select pg_terminate_backend(${t.pid});`] : []),
  ].join('\n');
};

const duration = (seconds: number): string => {
  const s = Math.floor(seconds);
  if (s < 60) return `${seconds < 10 ? seconds.toFixed(1) : s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
};

/**
 * Rebuilds each read model (or those named), `parallel` at a time, each on connections of its own (`rebuildMany`); with
 * several at once, each reports its progress as lines every 10 % instead of a bar redrawn in place.
 */
export const projectionsRebuild = async (
  runtime: DmsRuntime,
  names: readonly string[],
  options: { parallel?: number | undefined },
  out: Out,
): Promise<number> => {
  const targets = names.length > 0 ? names : replayable(runtime);
  const parallel = Math.min(options.parallel ?? 2, targets.length || 1);
  const bars = new Map<string, ProgressBar>();
  const bar = (name: string) => {
    const b = bars.get(name) ?? new ProgressBar(`Rebuilding ${name}`, process.stderr, parallel > 1);
    bars.set(name, b);
    return b;
  };
  const started = performance.now();
  const results = await runtime.runner.rebuildMany(targets, (p) => bar(p.projection).update(p.fraction, `${p.events} events`), {
    concurrency: parallel,
    onDone: (r) => bar(r.name).done(`${r.events} events, swapped in at position ${r.position ?? '(start)'}`),
  });
  const events = results.reduce((n, r) => n + r.events, 0);
  const seconds = (performance.now() - started) / 1000;
  out(
    `Rebuilt ${results.length} read model${results.length === 1 ? '' : 's'} from position 0 into fresh tables, ${parallel} at a time: ${events} events in ${seconds.toFixed(1)} s; readers saw the old tables until each swap.`,
  );
  return 0;
};

/** Replays each read model (or those named) beside the live one and compares every row. Exit 2 when any differs. */
export const projectionsVerify = async (runtime: DmsRuntime, names: readonly string[], out: Out): Promise<number> => {
  const targets = names.length > 0 ? names : replayable(runtime);
  const results = [];
  for (const name of targets) {
    const bar = new ProgressBar(`Replaying ${name}`);
    const result = await runtime.runner.verify(name, (p) => bar.update(p.fraction, `${p.events} events`));
    bar.done(`${result.events} events, compared at position ${result.position ?? '(start)'}`);
    results.push(result);
  }
  const rows = results.flatMap((r) => r.tables.map((t) => ({ ...t, projection: r.projection })));
  out(
    renderTable(rows, [
      { header: 'projection', value: (t) => t.projection },
      { header: 'table', value: (t) => t.table },
      { header: 'rows', value: (t) => t.rows, align: 'right' },
      { header: 'missing', value: (t) => t.missing, align: 'right' },
      { header: 'unexpected', value: (t) => t.unexpected, align: 'right' },
      { header: 'verdict', value: (t) => (t.missing === 0 && t.unexpected === 0 ? 'same' : 'DIFFERS') },
    ]),
  );
  for (const t of rows.filter((r) => r.missing > 0 || r.unexpected > 0)) {
    out('');
    out(`${t.table}: rows the replay has that the live table lacks or holds differently (first ${t.samples.missing.length}):`);
    for (const row of t.samples.missing) out(`  ${JSON.stringify(row)}`);
    out(`${t.table}: rows of the live table the replay does not have (first ${t.samples.unexpected.length}):`);
    for (const row of t.samples.unexpected) out(`  ${JSON.stringify(row)}`);
  }
  out('');
  const ok = results.every((r) => r.ok);
  out(
    ok
      ? 'Verified: every read model holds exactly what a replay of its events gives.'
      : 'NOT VERIFIED: a read model differs from a replay of its events. `dms projections rebuild <name>` replaces it with the replay.',
  );
  return ok ? 0 : 2;
};
