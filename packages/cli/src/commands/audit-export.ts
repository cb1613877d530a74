import { closeSync, createReadStream, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type BundleEvent,
  EVENTS_CSV_HEADER,
  type ExportSelection,
  eventCsvRow,
  exportBundle,
  keyIdOf,
  ORDER_LINES_CSV_HEADER,
  OrderLinesCsv,
  type RecordedEvent,
  readPublicKey,
  verifyBundle,
} from '@dms/eventstore';
import { auditSigningKeys, type DmsRuntime } from '@dms/projections';
import { UsageError } from '../command';
import { ProgressBar } from '../ui/progress';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

/** This DMS's version, from the CLI's package.json (the same path from src/ and from dist/). */
const dmsVersion = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Where the CSV views of a bundle go: beside it, `<name>.events.csv` and `<name>.order-lines.csv`. */
const csvPaths = (bundle: string) => {
  const base = bundle.replace(/\.jsonl$/, '');
  return { events: `${base}.events.csv`, orderLines: `${base}.order-lines.csv` };
};

/** Writes the two CSV views, fed one event at a time; `finish` writes the order lines and closes both files. */
const csvWriter = (bundle: string) => {
  const paths = csvPaths(bundle);
  const events = openSync(paths.events, 'w');
  writeSync(events, EVENTS_CSV_HEADER);
  const orderLines = new OrderLinesCsv();
  return {
    paths,
    push: (e: RecordedEvent | BundleEvent) => {
      writeSync(events, eventCsvRow(e));
      orderLines.push(e);
    },
    finish: () => {
      closeSync(events);
      const lines = openSync(paths.orderLines, 'w');
      writeSync(lines, ORDER_LINES_CSV_HEADER);
      for (const row of orderLines.rows()) writeSync(lines, row);
      closeSync(lines);
    },
  };
};

/** Checks the export flags before anything opens: a selection is needed, and a file to write. */
export const readSelection = (flags: {
  stream?: string | undefined;
  prefix?: string | undefined;
  partner?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): ExportSelection => {
  const selection: ExportSelection = {
    ...(flags.stream === undefined ? {} : { streamId: flags.stream }),
    ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
    ...(flags.partner === undefined ? {} : { partnerId: flags.partner }),
    ...(flags.from === undefined ? {} : { from: instant(flags.from, 'from') }),
    ...(flags.to === undefined ? {} : { to: instant(flags.to, 'to') }),
  };
  if (Object.keys(selection).length === 0)
    throw new UsageError('dms audit export needs a selection: --stream S, --prefix P, --partner P, --from/--to (or --prefix "" for everything).');
  return selection;
};

const instant = (text: string, flag: string): string => {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const t = Date.parse(bare ? `${text}T${flag === 'to' ? '23:59:59.999' : '00:00:00.000'}Z` : text);
  if (Number.isNaN(t) || !(bare || /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(text)))
    throw new UsageError(`--${flag}: "${text}" is not a time: give an ISO-8601 instant with its offset or a date.`);
  return new Date(t).toISOString();
};

/**
 * `dms audit export`: the selection as a signed bundle (JSON Lines), written to a temporary file renamed into place once
 * complete, so a failed export leaves nothing half-written; with `--csv`, the CSV views beside it.
 */
export const auditExport = async (
  runtime: DmsRuntime,
  selection: ExportSelection,
  options: { out: string; csv: boolean; now: Date },
  out: Out,
): Promise<number> => {
  const keys = await auditSigningKeys(runtime.runner.db);
  const partial = `${options.out}.partial`;
  const fd = openSync(partial, 'w');
  const csv = options.csv ? csvWriter(options.out) : null;
  const bar = new ProgressBar('Exporting');
  let manifest: Awaited<ReturnType<typeof exportBundle>>;
  try {
    manifest = await exportBundle(runtime.store, selection, {
      keys,
      dmsVersion: dmsVersion(),
      now: options.now,
      write: (chunk) => {
        writeSync(fd, chunk);
      },
      ...(csv ? { onEvent: csv.push } : {}),
      onProgress: (p) => bar.update(p.pass === 1 ? 0.25 : 0.75, `pass ${p.pass}: ${p.events} events`),
    });
    closeSync(fd);
    csv?.finish();
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, options.out);
  bar.done(`${manifest.counts.events} events`);
  out(
    `Exported ${manifest.counts.events} events of ${manifest.counts.streams} streams (positions ${manifest.positions.first ?? '-'} to ${manifest.positions.last ?? '-'}) to ${options.out}.`,
  );
  out(
    renderTable(
      Object.entries(manifest.counts.byType).map(([type, n]) => ({ type, n })),
      [
        { header: 'event', value: (r) => r.type },
        { header: 'count', value: (r) => r.n, align: 'right' },
      ],
    ),
  );
  out(`Signed with the installation's key ${keyIdOf(keys.publicKey)} (Ed25519; dms audit public-key prints it).`);
  if (csv) out(`CSV views: ${csv.paths.events}, ${csv.paths.orderLines}.`);
  out(`Verify anywhere, with no database: dms audit verify-export ${options.out} --public-key <the key>`);
  return 0;
};

/** `dms audit public-key`: the installation's public key (made at first use), to hand to auditors. */
export const auditPublicKey = async (runtime: DmsRuntime, out: Out): Promise<number> => {
  const { publicKey } = await auditSigningKeys(runtime.runner.db);
  out(publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd());
  out(`Key id (SHA-256 of the key): ${keyIdOf(publicKey)}`);
  return 0;
};

const readKey = (given: string) => {
  const text = existsSync(given) ? readFileSync(given, 'utf8') : given;
  try {
    return readPublicKey(text);
  } catch {
    throw new UsageError(`--public-key: "${given.slice(0, 60)}" is neither a public key (PEM or base64) nor a file holding one.`);
  }
};

/** Checks the verify-export arguments before anything is read. */
export const readVerifyArgs = (file: string, publicKey: string | undefined) => {
  if (!existsSync(file)) throw new UsageError(`No bundle at ${file}.`);
  return { file, publicKey: publicKey === undefined ? undefined : readKey(publicKey) };
};

/**
 * `dms audit verify-export <file>`: verifies a bundle with nothing but the bundle and this CLI (no database, no access to
 * the installation). Exit 0 when everything verifies, 2 when anything does not, each problem naming its line and event.
 */
export const auditVerifyExport = async (args: ReturnType<typeof readVerifyArgs>, options: { csv: boolean; limit: number }, out: Out): Promise<number> => {
  const csv = options.csv ? csvWriter(args.file) : null;
  const lines = createInterface({ input: createReadStream(args.file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  const result = await verifyBundle(lines, {
    ...(args.publicKey ? { publicKey: args.publicKey } : {}),
    maxProblems: options.limit,
    ...(csv ? { onEvent: csv.push } : {}),
  });
  csv?.finish();
  const m = result.manifest;
  if (m) {
    const selection = Object.entries(m.selection)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out(`Bundle made ${m.createdAt} by DMS ${m.dmsVersion}; selection: ${selection || 'everything'}; up to position ${m.upToPosition ?? '-'}.`);
  }
  out(`Read ${result.events} events of ${result.streams} streams.`);
  if (result.keyId)
    out(
      result.keyTrusted === true
        ? `Signed by the key given (${result.keyId}).`
        : result.keyTrusted === false
          ? `Signed by ANOTHER key than the one given: ${result.keyId}.`
          : `Signed by key ${result.keyId}: compare it with what \`dms audit public-key\` prints at the installation (or pass --public-key).`,
    );
  if (result.totals) {
    const rows = [
      ...Object.entries(result.totals.orders.byCurrency).map(([currency, t]) => ({ what: `orders (${result.totals!.orders.streams})`, currency, t })),
      ...Object.entries(result.totals.settlements.byCurrency).map(([currency, t]) => ({
        what: `settlements (${result.totals!.settlements.streams}, ${result.totals!.settlements.closed} closed)`,
        currency,
        t,
      })),
    ];
    if (rows.length > 0) {
      out('');
      out('Totals recomputed from the events with the domain (minor units):');
      out(
        renderTable(rows, [
          { header: 'of', value: (r) => r.what },
          { header: 'currency', value: (r) => r.currency },
          {
            header: 'amounts',
            value: (r) =>
              Object.entries(r.t)
                .map(([k, v]) => `${k} ${v}`)
                .join(', '),
          },
        ]),
      );
    }
    if (result.totals.partialStreams > 0) out(`${result.totals.partialStreams} order or settlement streams start mid-way (a period): not in the totals.`);
  }
  out('');
  if (result.problems.length > 0) {
    out(
      renderTable(result.problems, [
        { header: 'line', value: (p) => p.line ?? '', align: 'right' },
        { header: 'stream', value: (p) => p.streamId ?? '' },
        { header: 'v', value: (p) => p.streamVersion ?? '', align: 'right' },
        { header: 'event', value: (p) => p.eventId ?? '' },
        { header: 'problem', value: (p) => p.kind },
        { header: 'detail', value: (p) => p.detail },
      ]),
    );
    if (result.problemCount > result.problems.length) out(`… and ${result.problemCount - result.problems.length} more (--limit N shows more).`);
    out('');
  }
  if (csv) out(`CSV views: ${csv.paths.events}, ${csv.paths.orderLines}.`);
  out(
    result.ok
      ? `Verified: the signature, every hash chain, every event against its schema, every position and head against the manifest, and the totals.${result.keyTrusted === true ? '' : ' The key is not yet compared with the installation’s.'}`
      : `NOT VERIFIED: ${result.problemCount} problem${result.problemCount === 1 ? '' : 's'}.`,
  );
  return result.ok ? 0 : 2;
};
