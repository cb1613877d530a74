import { type BundleKeys, type BundleManifest, bundleLine, type ExportSelection, headerLine, ManifestBuilder } from './audit-bundle';
import { InvalidArgument } from './errors';
import type { EventStore, GlobalPosition, RecordedEvent } from './port';

/**
 * Writes an audit bundle (see `audit-bundle.ts`) of a selection of the store: one stream, the streams under a prefix, a
 * dealer's streams, the events recorded in a period, or any of these together. Reads the selection twice through `$all`,
 * up to the head position when it started: once to build the manifest (which comes first in the file), once to write the
 * events; memory grows with the number of streams, not events.
 */

export interface ExportOptions {
  readonly keys: BundleKeys;
  readonly dmsVersion: string;
  /** When the bundle is made: the caller's clock. */
  readonly now: Date;
  readonly write: (chunk: string) => void | Promise<void>;
  /** Each event written, after its line: the CSV views. */
  readonly onEvent?: (event: RecordedEvent) => void;
  readonly onProgress?: (progress: { readonly pass: 1 | 2; readonly events: number }) => void;
}

const dashAt = (streamId: string) => streamId.indexOf('-');

/**
 * Whether a stream is a dealer's, decided on its first event: its id names the dealer (`partner-acme`, `credit-acme`,
 * `settlement-acme.2026-06`, `evaluation-acme.2026-Q2`), or its first event does (`data.partnerId`: orders, agreements,
 * threads, revenue splits).
 */
const belongsTo = (event: RecordedEvent, partnerId: string): boolean => {
  const id = event.streamId.slice(dashAt(event.streamId) + 1);
  if (id === partnerId || id.startsWith(`${partnerId}.`)) return true;
  const data = event.data as { partnerId?: unknown } | null;
  return typeof data === 'object' && data !== null && data.partnerId === partnerId;
};

const checkSelection = (selection: ExportSelection) => {
  if (selection.streamId !== undefined && dashAt(selection.streamId) <= 0)
    throw new InvalidArgument(`"${selection.streamId}" is not a stream id (<category>-<id>).`);
  for (const [name, value] of [
    ['from', selection.from],
    ['to', selection.to],
  ] as const)
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new InvalidArgument(`--${name} "${value}" is not a time.`);
  if (selection.from && selection.to && Date.parse(selection.from) > Date.parse(selection.to))
    throw new InvalidArgument(`The period runs from ${selection.from} to ${selection.to}: it ends before it starts.`);
};

/** The events of a selection, in `$all` order, up to a position. */
async function* selected(store: EventStore, selection: ExportSelection, upTo: GlobalPosition): AsyncIterable<RecordedEvent> {
  const from = selection.from === undefined ? undefined : Date.parse(selection.from);
  const to = selection.to === undefined ? undefined : Date.parse(selection.to);
  const prefix = selection.streamId ?? selection.prefix;
  const members = new Map<string, boolean>();
  for await (const event of store.readAll(prefix ? { filter: { streamPrefixes: [prefix] } } : {})) {
    if (event.globalPosition > upTo) break;
    if (selection.streamId !== undefined && event.streamId !== selection.streamId) continue;
    if (selection.prefix !== undefined && !event.streamId.startsWith(selection.prefix)) continue;
    if (selection.partnerId !== undefined) {
      let member = members.get(event.streamId);
      if (member === undefined) {
        member = belongsTo(event, selection.partnerId);
        members.set(event.streamId, member);
      }
      if (!member) continue;
    }
    const at = event.recordedAt.getTime();
    if ((from !== undefined && at < from) || (to !== undefined && at > to)) continue;
    yield event;
  }
}

/** Writes the bundle through `options.write`: the signed manifest, then one line per event. Returns the manifest. */
export const exportBundle = async (store: EventStore, selection: ExportSelection, options: ExportOptions): Promise<BundleManifest> => {
  checkSelection(selection);
  const head = await store.headPosition();
  const upTo = head ?? 0n;
  const builder = new ManifestBuilder();
  let events = 0;
  for await (const event of selected(store, selection, upTo)) {
    builder.push(event, bundleLine(event));
    if (++events % 1000 === 0) options.onProgress?.({ pass: 1, events });
  }
  const manifest = builder.finish({ createdAt: options.now, dmsVersion: options.dmsVersion, selection, upToPosition: head === null ? null : head.toString() });
  await options.write(headerLine(manifest, options.keys));
  const again = new ManifestBuilder();
  events = 0;
  for await (const event of selected(store, selection, upTo)) {
    const line = bundleLine(event);
    again.push(event, line);
    await options.write(line);
    options.onEvent?.(event);
    if (++events % 1000 === 0) options.onProgress?.({ pass: 2, events });
  }
  const written = again.finish({ createdAt: options.now, dmsVersion: options.dmsVersion, selection, upToPosition: manifest.upToPosition });
  if (written.eventsSha256 !== manifest.eventsSha256)
    throw new Error('The selection changed while it was exported (an event below the head committed late): export it again.');
  return manifest;
};
