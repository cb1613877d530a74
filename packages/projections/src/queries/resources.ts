import { isTargeted, type ResourceContent, type ResourceKind, type ResourceTargeting } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { ResourcesTable } from '../resources-schema';
import type { ReadModels } from '../schema';

export interface ResourceSummary {
  readonly resourceId: string;
  readonly kind: ResourceKind;
  readonly title: string;
  readonly description: string | null;
  readonly status: ResourcesTable['status'];
  readonly targeting: ResourceTargeting;
  readonly requiresAcknowledgement: boolean;
  readonly currentVersion: number;
  readonly content: ResourceContent | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly publishedAt: string | null;
  readonly withdrawnAt: string | null;
  readonly withdrawReason: string | null;
  readonly updatedAt: string;
  /** For a dealer: whether it has acknowledged the current version (null for staff, or when none is asked for). */
  readonly acknowledged: boolean | null;
}

export interface ResourceVersionView {
  readonly version: number;
  readonly content: ResourceContent;
  readonly note: string | null;
  readonly addedBy: string;
  readonly addedAt: string;
}

export interface ResourceDetail extends ResourceSummary {
  /** Newest first; the first is the current version. */
  readonly versions: ResourceVersionView[];
}

/** Who reads: a dealer sees only published resources that target it; staff (no partner) see everything. */
export interface ResourceReader {
  readonly partnerId?: string | undefined;
}

export interface ResourceListFilter {
  readonly kind?: ResourceKind | undefined;
  readonly status?: ResourcesTable['status'] | undefined;
}

type Db = Kysely<ReadModels>;

const targetingOf = (r: ResourcesTable): ResourceTargeting => ({
  tiers: r.tiers as string[],
  regions: r.regions as string[],
  partnerIds: r.partner_ids as string[],
});

const summaryOf = (r: ResourcesTable, acknowledged: boolean | null): ResourceSummary => ({
  resourceId: r.resource_id,
  kind: r.kind as ResourceKind,
  title: r.title,
  description: r.description,
  status: r.status,
  targeting: targetingOf(r),
  requiresAcknowledgement: r.requires_acknowledgement,
  currentVersion: r.current_version,
  content: r.content as ResourceContent | null,
  createdBy: r.created_by,
  createdAt: r.created_at,
  publishedAt: r.published_at,
  withdrawnAt: r.withdrawn_at,
  withdrawReason: r.withdraw_reason,
  updatedAt: r.updated_at,
  acknowledged,
});

/** The dealer as targeting sees it (its tier and region now), or undefined for an unknown partner. */
const dealerOf = async (db: Db, partnerId: string) => {
  const row = await db.selectFrom('partners').select(['partner_id', 'tier', 'region']).where('partner_id', '=', partnerId).executeTakeFirst();
  return row && { partnerId: row.partner_id, tier: row.tier, region: row.region };
};

const acknowledgedByDealer = async (db: Db, partnerId: string, resourceIds: readonly string[]): Promise<Set<string>> => {
  if (resourceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('resource_acknowledgements as a')
    .innerJoin('resources as r', (j) => j.onRef('r.resource_id', '=', 'a.resource_id').onRef('r.current_version', '=', 'a.version'))
    .select('a.resource_id')
    .where('a.partner_id', '=', partnerId)
    .where('a.resource_id', 'in', resourceIds)
    .execute();
  return new Set(rows.map((r) => r.resource_id));
};

/**
 * The library, most recently changed first. A dealer's list holds only published resources that target it (by its tier,
 * region or id, with `isTargeted`, the domain's one rule), each saying whether it has acknowledged the current version.
 */
export const listResources = async (db: Db, reader: ResourceReader, filter: ResourceListFilter = {}): Promise<ResourceSummary[]> => {
  let query = db.selectFrom('resources').selectAll().orderBy('updated_at', 'desc').orderBy('resource_id');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (reader.partnerId !== undefined) {
    if (filter.status && filter.status !== 'published') return [];
    const dealer = await dealerOf(db, reader.partnerId);
    if (!dealer) return [];
    const rows = (await query.where('status', '=', 'published').execute()).filter((r) => isTargeted(targetingOf(r), dealer));
    const acknowledged = await acknowledgedByDealer(
      db,
      dealer.partnerId,
      rows.map((r) => r.resource_id),
    );
    return rows.map((r) => summaryOf(r, r.requires_acknowledgement ? acknowledged.has(r.resource_id) : null));
  }
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.execute()).map((r) => summaryOf(r, null));
};

/** One resource with its versions, or undefined when it does not exist or (for a dealer) is not published for it. */
export const getResource = async (db: Db, resourceId: string, reader: ResourceReader): Promise<ResourceDetail | undefined> => {
  const row = await db.selectFrom('resources').selectAll().where('resource_id', '=', resourceId).executeTakeFirst();
  if (!row) return undefined;
  let acknowledged: boolean | null = null;
  if (reader.partnerId !== undefined) {
    const dealer = await dealerOf(db, reader.partnerId);
    if (!dealer || row.status !== 'published' || !isTargeted(targetingOf(row), dealer)) return undefined;
    if (row.requires_acknowledgement) acknowledged = (await acknowledgedByDealer(db, dealer.partnerId, [resourceId])).has(resourceId);
  }
  const versions = await db.selectFrom('resource_versions').selectAll().where('resource_id', '=', resourceId).orderBy('version', 'desc').execute();
  return {
    ...summaryOf(row, acknowledged),
    versions: versions.map((v) => ({ version: v.version, content: v.content as ResourceContent, note: v.note, addedBy: v.added_by, addedAt: v.added_at })),
  };
};

export interface AcknowledgementReport {
  readonly resourceId: string;
  readonly title: string;
  readonly version: number;
  readonly requiresAcknowledgement: boolean;
  /** Targeted dealers that acknowledged this version, first first. */
  readonly acknowledged: { partnerId: string; name: string; acknowledgedBy: string; acknowledgedAt: string }[];
  /** Targeted dealers (not terminated) that have not, by name. */
  readonly pending: { partnerId: string; name: string; tier: string; region: string }[];
}

/**
 * Who has and has not acknowledged a version (the current one unless given) among the dealers the resource targets now
 * (by their tier and region now; terminated dealers are left out). An acknowledgement by a dealer no longer targeted
 * still counts as given.
 */
export const acknowledgementReport = async (db: Db, resourceId: string, version?: number): Promise<AcknowledgementReport | undefined> => {
  const row = await db.selectFrom('resources').selectAll().where('resource_id', '=', resourceId).executeTakeFirst();
  if (!row) return undefined;
  const wanted = version ?? row.current_version;
  if (wanted < 1 || wanted > row.current_version) return undefined;
  const [partners, acks] = await Promise.all([
    db.selectFrom('partners').select(['partner_id', 'name', 'tier', 'region', 'status']).orderBy('name').orderBy('partner_id').execute(),
    db
      .selectFrom('resource_acknowledgements')
      .selectAll()
      .where('resource_id', '=', resourceId)
      .where('version', '=', wanted)
      .orderBy('acknowledged_at')
      .orderBy('partner_id')
      .execute(),
  ]);
  const names = new Map(partners.map((p) => [p.partner_id, p.name]));
  const done = new Set(acks.map((a) => a.partner_id));
  const targeting = targetingOf(row);
  return {
    resourceId,
    title: row.title,
    version: wanted,
    requiresAcknowledgement: row.requires_acknowledgement,
    acknowledged: acks.map((a) => ({
      partnerId: a.partner_id,
      name: names.get(a.partner_id) ?? a.partner_id,
      acknowledgedBy: a.acknowledged_by,
      acknowledgedAt: a.acknowledged_at,
    })),
    pending: partners
      .filter((p) => p.status !== 'terminated' && !done.has(p.partner_id))
      .filter((p) => isTargeted(targeting, { partnerId: p.partner_id, tier: p.tier, region: p.region }))
      .map((p) => ({ partnerId: p.partner_id, name: p.name, tier: p.tier, region: p.region })),
  };
};
