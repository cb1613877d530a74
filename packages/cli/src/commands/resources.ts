import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { type CommandResult, firstUnknownPartner } from '@dms/app';
import { RESOURCE_KINDS, type ResourceCommand, type ResourceContent, type ResourceContentType, type ResourceKind, type ResourceTargeting } from '@dms/domain';
import { newId } from '@dms/eventstore';
import { acknowledgementReport, type DmsRuntime, getResource, listResources, PostgresContentStore, receiveContent } from '@dms/projections';
import { dateTime } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

const STATUSES = ['draft', 'published', 'withdrawn'];

/** The content type a file's extension stands for; the bytes are checked against it when the file is stored. */
const TYPES: Record<string, ResourceContentType> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.mp4': 'video/mp4',
};

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const audience = (t: ResourceTargeting): string => {
  const parts = [t.tiers.length ? `tier ${t.tiers.join('/')}` : '', t.regions.length ? `region ${t.regions.join('/')}` : ''].filter(Boolean).join(', ');
  const named = t.partnerIds.length ? `dealers ${t.partnerIds.join(', ')}` : '';
  return [parts, named].filter(Boolean).join(' + ') || 'every dealer';
};

const describeContent = (c: ResourceContent | null): string =>
  c === null ? '' : c.type === 'link' ? c.url : `${c.fileName} (${c.contentType}, ${c.sizeBytes.toLocaleString('en')} bytes)`;

const execute = async (runtime: DmsRuntime, command: ResourceCommand, out: Out): Promise<boolean> => {
  const result: CommandResult = await runtime.bus.execute(command, { commandId: `cli-${newId()}`, actor: operator() });
  if (result._tag === 'Left') {
    out(`Refused (${result.left.code}): ${result.left.message}`);
    return false;
  }
  return true;
};

export const resourcesList = async (
  runtime: DmsRuntime,
  filter: { kind?: string | undefined; status?: string | undefined; partnerId?: string | undefined },
  out: Out,
): Promise<number> => {
  if (filter.kind !== undefined && !(RESOURCE_KINDS as readonly string[]).includes(filter.kind)) {
    out(`--kind must be one of ${RESOURCE_KINDS.join(', ')}, not "${filter.kind}".`);
    return 64;
  }
  if (filter.status !== undefined && !STATUSES.includes(filter.status)) {
    out(`--status must be draft, published or withdrawn, not "${filter.status}".`);
    return 64;
  }
  const items = await listResources(
    runtime.runner.db,
    { partnerId: filter.partnerId },
    { kind: filter.kind as ResourceKind | undefined, status: filter.status as 'draft' | undefined },
  );
  if (items.length === 0) {
    out(filter.partnerId ? `No resources for ${filter.partnerId} match.` : 'No resources match.');
    return 0;
  }
  out(
    renderTable(items, [
      { header: 'resource', value: (r) => r.resourceId },
      { header: 'kind', value: (r) => r.kind },
      { header: 'title', value: (r) => r.title },
      { header: 'status', value: (r) => r.status },
      { header: 'version', value: (r) => r.currentVersion, align: 'right' },
      { header: 'for', value: (r) => audience(r.targeting) },
      {
        header: filter.partnerId ? 'acknowledged' : 'ack',
        value: (r) => (!r.requiresAcknowledgement ? '' : filter.partnerId ? (r.acknowledged ? 'yes' : 'no') : 'required'),
      },
      { header: 'updated', value: (r) => dateTime(r.updatedAt) },
    ]),
  );
  return 0;
};

export const resourcesShow = async (runtime: DmsRuntime, resourceId: string, out: Out): Promise<number> => {
  const r = await getResource(runtime.runner.db, resourceId, {});
  if (!r) {
    out(`Resource ${resourceId} does not exist.`);
    return 1;
  }
  out(r.title);
  out(
    `Resource ${r.resourceId} (${r.kind}): ${r.status}${r.withdrawReason ? ` (${r.withdrawReason})` : ''}, for ${audience(r.targeting)}` +
      `${r.requiresAcknowledgement ? ', acknowledgement required' : ''}. Created by ${r.createdBy} on ${dateTime(r.createdAt)}.`,
  );
  if (r.description) out(r.description);
  out('');
  out(
    renderTable(r.versions, [
      { header: 'version', value: (v) => v.version, align: 'right' },
      { header: 'content', value: (v) => describeContent(v.content) },
      { header: 'sha-256', value: (v) => (v.content.type === 'file' ? `${v.content.sha256.slice(0, 12)}…` : '') },
      { header: 'note', value: (v) => v.note },
      { header: 'by', value: (v) => v.addedBy },
      { header: 'added', value: (v) => dateTime(v.addedAt) },
    ]),
  );
  return 0;
};

/** A version's content from --file (stored by its sha-256, type from the extension, checked) or --url. */
const contentFrom = async (runtime: DmsRuntime, file: string | undefined, url: string | undefined, out: Out): Promise<ResourceContent | number> => {
  if ((file === undefined) === (url === undefined)) {
    out('Give either --file PATH or --url URL.');
    return 64;
  }
  if (url !== undefined) return { type: 'link', url };
  const type = TYPES[extname(file!).toLowerCase()];
  if (!type) {
    out(`${file} is not a type the library takes; use one of ${Object.keys(TYPES).join(' ')}.`);
    return 64;
  }
  let result: Awaited<ReturnType<typeof receiveContent>>;
  try {
    result = await receiveContent(new PostgresContentStore(runtime.runner.db), createReadStream(file!), type);
  } catch (error) {
    out(`Cannot read ${file}: ${(error as Error).message}`);
    return 66;
  }
  if (!result.ok) {
    out(`Refused (${result.refusal.code}): ${result.refusal.message}`);
    return 2;
  }
  return { type: 'file', ...result.content, fileName: basename(file!) };
};

export interface PublishOptions {
  readonly resourceId?: string | undefined;
  readonly kind?: string | undefined;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly file?: string | undefined;
  readonly url?: string | undefined;
  readonly tiers?: string | undefined;
  readonly regions?: string | undefined;
  readonly dealers?: string | undefined;
  readonly ack?: boolean | undefined;
  readonly note?: string | undefined;
}

/**
 * With --file or --url: creates a resource and publishes it at once. Without: publishes an existing draft or withdrawn
 * resource again. As the CLI operator (an admin).
 */
export const resourcesPublish = async (runtime: DmsRuntime, o: PublishOptions, out: Out): Promise<number> => {
  const now = new Date().toISOString();
  if (o.file === undefined && o.url === undefined) {
    if (!o.resourceId) {
      out('Name the resource to publish, or give --kind, --title and --file or --url to create one.');
      return 64;
    }
    if (!(await execute(runtime, { type: 'PublishResource', data: { resourceId: o.resourceId, by: operator(), publishedAt: now } }, out))) return 2;
    await runtime.runner.catchUp();
    out(`Published ${o.resourceId}.`);
    return 0;
  }
  if (o.kind === undefined || !(RESOURCE_KINDS as readonly string[]).includes(o.kind)) {
    out(`--kind is required: one of ${RESOURCE_KINDS.join(', ')}.`);
    return 64;
  }
  if (!o.title?.trim()) {
    out('--title is required.');
    return 64;
  }
  const targeting = { tiers: list(o.tiers), regions: list(o.regions), partnerIds: list(o.dealers) };
  if (!(await dealersKnown(runtime, targeting.partnerIds, out))) return 64;
  const content = await contentFrom(runtime, o.file, o.url, out);
  if (typeof content === 'number') return content;
  const resourceId = o.resourceId ?? `res-${newId().slice(0, 8)}`;
  const created = await execute(
    runtime,
    {
      type: 'CreateResource',
      data: {
        resourceId,
        kind: o.kind as ResourceKind,
        title: o.title,
        ...(o.description ? { description: o.description } : {}),
        targeting,
        requiresAcknowledgement: o.ack ?? false,
        content,
        ...(o.note ? { note: o.note } : {}),
        by: operator(),
        createdAt: now,
      },
    },
    out,
  );
  if (!created || !(await execute(runtime, { type: 'PublishResource', data: { resourceId, by: operator(), publishedAt: now } }, out))) return 2;
  await runtime.runner.catchUp();
  out(`Published ${resourceId} (version 1) for ${audience(targeting)}${o.ack ? '; dealers are asked to acknowledge it' : ''}.`);
  return 0;
};

export const resourcesVersion = async (
  runtime: DmsRuntime,
  resourceId: string,
  o: { file?: string | undefined; url?: string | undefined; note?: string | undefined },
  out: Out,
): Promise<number> => {
  const content = await contentFrom(runtime, o.file, o.url, out);
  if (typeof content === 'number') return content;
  const command: ResourceCommand = {
    type: 'AddResourceVersion',
    data: { resourceId, content, ...(o.note ? { note: o.note } : {}), by: operator(), addedAt: new Date().toISOString() },
  };
  if (!(await execute(runtime, command, out))) return 2;
  await runtime.runner.catchUp();
  const r = await getResource(runtime.runner.db, resourceId, {});
  out(`Added version ${r?.currentVersion ?? '?'} of ${resourceId}; it supersedes the one before.`);
  return 0;
};

/** Whether every dealer `--dealers` names has been onboarded; says which one has not. */
const dealersKnown = async (runtime: DmsRuntime, partnerIds: readonly string[], out: Out): Promise<boolean> => {
  const unknown = await firstUnknownPartner(runtime.store, partnerIds);
  if (unknown) out(`--dealers: no dealer ${unknown.partnerId} has been onboarded.`);
  return unknown === undefined;
};

/**
 * Changes who a resource is for: the tiers, regions and dealers given replace those before (none of the three: every
 * dealer). The same audience again changes nothing.
 */
export const resourcesTarget = async (
  runtime: DmsRuntime,
  resourceId: string,
  o: { tiers?: string | undefined; regions?: string | undefined; dealers?: string | undefined },
  out: Out,
): Promise<number> => {
  const targeting = { tiers: list(o.tiers), regions: list(o.regions), partnerIds: list(o.dealers) };
  if (!(await dealersKnown(runtime, targeting.partnerIds, out))) return 64;
  const before = await getResource(runtime.runner.db, resourceId, {});
  const command: ResourceCommand = {
    type: 'ChangeResourceTargeting',
    data: { resourceId, targeting, by: operator(), changedAt: new Date().toISOString() },
  };
  if (!(await execute(runtime, command, out))) return 2;
  await runtime.runner.catchUp();
  const after = await getResource(runtime.runner.db, resourceId, {});
  const was = before ? audience(before.targeting) : undefined;
  const now = after ? audience(after.targeting) : audience(targeting);
  out(was === now ? `${resourceId} is already for ${now}: nothing changed.` : `${resourceId} is now for ${now}${was ? ` (was: ${was})` : ''}.`);
  return 0;
};

export const resourcesWithdraw = async (runtime: DmsRuntime, resourceId: string, reason: string | undefined, out: Out): Promise<number> => {
  const command: ResourceCommand = {
    type: 'WithdrawResource',
    data: { resourceId, ...(reason ? { reason } : {}), by: operator(), withdrawnAt: new Date().toISOString() },
  };
  if (!(await execute(runtime, command, out))) return 2;
  await runtime.runner.catchUp();
  out(`Withdrew ${resourceId}: dealers no longer see it.`);
  return 0;
};

/** Who has and has not acknowledged a version, among the dealers the resource targets. */
export const resourcesAcks = async (runtime: DmsRuntime, resourceId: string, version: number | undefined, out: Out): Promise<number> => {
  const report = await acknowledgementReport(runtime.runner.db, resourceId, version);
  if (!report) {
    out(version ? `Resource ${resourceId} has no version ${version}.` : `Resource ${resourceId} does not exist.`);
    return 1;
  }
  const targeted = report.acknowledged.length + report.pending.length;
  out(`${report.title}, version ${report.version}: ${report.acknowledged.length} of ${targeted} targeted dealers have acknowledged it.`);
  if (!report.requiresAcknowledgement) out('(This resource does not ask for acknowledgement.)');
  if (report.acknowledged.length > 0) {
    out('');
    out(
      renderTable(report.acknowledged, [
        { header: 'acknowledged by dealer', value: (a) => `${a.name} (${a.partnerId})` },
        { header: 'who', value: (a) => a.acknowledgedBy },
        { header: 'when', value: (a) => dateTime(a.acknowledgedAt) },
      ]),
    );
  }
  if (report.pending.length > 0) {
    out('');
    out(
      renderTable(report.pending, [
        { header: 'not yet', value: (p) => `${p.name} (${p.partnerId})` },
        { header: 'tier', value: (p) => p.tier },
        { header: 'region', value: (p) => p.region },
      ]),
    );
  }
  return 0;
};
