import { readFileSync, writeFileSync } from 'node:fs';
import {
  type AsOf,
  type HistoryEntry,
  parseAsOfPosition,
  parseAsOfTime,
  type StoreAnchor,
  type StreamHistory,
  stateAsOf,
  streamHistory,
  verifyStore,
} from '@dms/eventstore';
import type { DmsRuntime } from '@dms/projections';
import { UsageError } from '../command';
import { ProgressBar } from '../ui/progress';
import { renderTable } from '../ui/table';

export { auditExport, auditPublicKey, auditVerifyExport, readSelection, readVerifyArgs } from './audit-export';
export { auditSales, auditSample, readSampleArgs } from './audit-sample';

type Out = (line: string) => void;

/** Every event of any stream, with who and when, and its hash chain verified. Exit 2 when the chain is broken. */
export const auditHistory = async (runtime: DmsRuntime, streamId: string, out: Out): Promise<number> => {
  const history = await streamHistory(runtime.store, streamId);
  if (history.entries.length === 0) {
    out(`Stream ${streamId} has no events: it does not exist.`);
    return 1;
  }
  return printHistory(history, out);
};

const historyTable = (entries: readonly HistoryEntry[]) =>
  renderTable(entries, [
    { header: 'v', value: (e) => e.streamVersion, align: 'right' },
    { header: 'position', value: (e) => e.globalPosition, align: 'right' },
    { header: 'recorded', value: (e) => e.recordedAt.replace('T', ' ').slice(0, 23) },
    { header: 'event', value: (e) => e.type },
    { header: 'by', value: (e) => `${e.actor.id} (${e.actor.role})` },
    { header: 'hash', value: (e) => e.hash.slice(0, 12) },
  ]);

/** Reads `--at` and `--position` before anything opens; a bad value is a usage error naming it. */
export const readAsOf = (flags: { at?: string | undefined; position?: string | undefined }): AsOf => {
  try {
    return {
      ...(flags.at === undefined ? {} : { at: parseAsOfTime(flags.at) }),
      ...(flags.position === undefined ? {} : { position: parseAsOfPosition(flags.position) }),
    };
  } catch (error) {
    throw new UsageError(`--${flags.at !== undefined && /time/.test((error as Error).message) ? 'at' : 'position'}: ${(error as Error).message}`);
  }
};

/**
 * The state of a stream's aggregate as of a time (`--at`, recorded at or before) and/or a global position (`--position`),
 * folded by the domain's own evolve, after the events that led to it. Exit 1 when the stream does not exist, 2 when its
 * hash chain is broken.
 */
export const auditState = async (runtime: DmsRuntime, streamId: string, asOf: AsOf, options: { json?: boolean | undefined }, out: Out): Promise<number> => {
  const { at, position } = asOf;
  const result = await stateAsOf(runtime.store, streamId, asOf);
  if (result.eventsInStream === 0) {
    out(`Stream ${streamId} has no events: it does not exist.`);
    return 1;
  }
  if (options.json) {
    out(JSON.stringify(result, null, 2));
    return result.verification.ok ? 0 : 2;
  }
  const cut = [at ? `recorded by ${at.toISOString()}` : null, position !== undefined ? `position ${position}` : null].filter(Boolean).join(' and ');
  if (result.entries.length > 0) {
    out(historyTable(result.entries));
    out('');
  }
  const later = result.eventsInStream - result.entries.length;
  out(
    result.version < 0
      ? `Nothing of ${streamId} was recorded ${cut}: the ${result.aggregate} did not exist yet (${later} events came later).`
      : `State of ${streamId} (${result.aggregate}) ${cut ? `as of ${cut}` : 'now'}: version ${result.version}, folded from ${result.entries.length} of ${result.eventsInStream} events${later > 0 ? ` (${later} recorded later are left out)` : ''}.`,
  );
  if (result.status) out(`Status then: ${result.status}`);
  out(JSON.stringify(result.state, null, 2));
  out('');
  const v = result.verification;
  out(
    v.ok
      ? `Hash chain verified: ${v.events} events, nothing altered, removed or reordered.`
      : `HASH CHAIN BROKEN: ${v.problems.map((p) => `${p.kind} at v${p.streamVersion}`).join(', ')}`,
  );
  return v.ok ? 0 : 2;
};

/** A stream's events as a table, then the verdict on its hash chain: 0 when it holds, 2 when it is broken. */
export const printHistory = (history: StreamHistory, out: Out): number => {
  out(
    renderTable(history.entries, [
      { header: 'v', value: (e) => e.streamVersion, align: 'right' },
      { header: 'recorded', value: (e) => e.recordedAt.replace('T', ' ').slice(0, 19) },
      { header: 'event', value: (e) => e.type },
      { header: 'by', value: (e) => `${e.actor.id} (${e.actor.role})` },
      { header: 'command', value: (e) => (e.commandId ?? '').slice(0, 24) },
      { header: 'hash', value: (e) => e.hash.slice(0, 12) },
    ]),
  );
  out('');
  const v = history.verification;
  out(
    v.ok
      ? `Hash chain verified: ${v.events} events, nothing altered, removed or reordered.`
      : `HASH CHAIN BROKEN: ${v.problems.map((p) => `${p.kind} at v${p.streamVersion}`).join(', ')}`,
  );
  return v.ok ? 0 : 2;
};

const readAnchor = (file: string): StoreAnchor => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the anchor ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as StoreAnchor;
  } catch {
    throw new Error(`${file} is not an anchor: it is not JSON.`);
  }
};

/**
 * Verifies every stream (or those under `--prefix`) in one pass, optionally against an anchor saved earlier, and saves a
 * new anchor when asked. Exit 0 when all is sound, 2 when anything is wrong.
 */
export const auditVerify = async (
  runtime: DmsRuntime,
  options: { prefix?: string | undefined; anchor?: string | undefined; saveAnchor?: string | undefined; limit: number },
  out: Out,
): Promise<number> => {
  const against = options.anchor ? readAnchor(options.anchor) : undefined;
  const bar = new ProgressBar('Verifying');
  const result = await verifyStore(runtime.store, {
    ...(options.prefix ? { streamPrefix: options.prefix } : {}),
    ...(against ? { against } : {}),
    maxProblems: options.limit,
    onProgress: (p) => bar.update(p.fraction, `${p.events} events`),
  });
  bar.done(`${result.events} events in ${result.streams} streams`);
  out(
    renderTable(
      [...result.categories, { category: 'all', streams: result.streams, events: result.events, problems: result.problemCount }],
      [
        { header: 'streams of', value: (c) => c.category },
        { header: 'streams', value: (c) => c.streams, align: 'right' },
        { header: 'events', value: (c) => c.events, align: 'right' },
        { header: 'problems', value: (c) => c.problems, align: 'right' },
      ],
    ),
  );
  out('');
  if (result.problems.length > 0) {
    out(
      renderTable(result.problems, [
        { header: 'stream', value: (p) => p.streamId },
        { header: 'v', value: (p) => p.streamVersion ?? '', align: 'right' },
        { header: 'problem', value: (p) => p.kind },
        { header: 'detail', value: (p) => p.detail },
      ]),
    );
    if (result.problemCount > result.problems.length) out(`… and ${result.problemCount - result.problems.length} more (--limit N shows more).`);
    out('');
  }
  if (result.against)
    out(`Checked against the anchor of ${result.against.takenAt} (${result.against.streams} streams, root ${result.against.rootHash.slice(0, 16)}).`);
  out(`Root hash of what was read: ${result.anchor.rootHash} (position ${result.anchor.position ?? '(empty)'}).`);
  if (options.saveAnchor) {
    writeFileSync(options.saveAnchor, `${JSON.stringify(result.anchor, null, 1)}\n`);
    out(`Anchor saved to ${options.saveAnchor}: keep it outside DMS, and verify against it later with --anchor.`);
  }
  out(
    result.ok
      ? 'Verified: every hash chain holds, every event matches its schema, and nothing the anchor saw is gone.'
      : `NOT VERIFIED: ${result.problemCount} problem${result.problemCount === 1 ? '' : 's'}.`,
  );
  return result.ok ? 0 : 2;
};
