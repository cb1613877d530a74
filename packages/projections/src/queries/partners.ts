import type { Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { PartnersTable, ReadModels } from '../schema';
import { decodeCursor, encodeCursor } from './cursor';

export interface PartnerView {
  readonly partnerId: string;
  readonly name: string;
  readonly region: string;
  readonly tier: string;
  readonly status: PartnersTable['status'];
  readonly statusReason: string | null;
  readonly creditLimit: Money;
  readonly contacts: unknown;
  readonly onboardedAt: string;
  readonly updatedAt: string;
}

const view = (p: PartnersTable): PartnerView => ({
  partnerId: p.partner_id,
  name: p.name,
  region: p.region,
  tier: p.tier,
  status: p.status,
  statusReason: p.status_reason,
  creditLimit: { amountMinor: Number(p.credit_limit_minor), currency: p.currency },
  contacts: p.contacts,
  onboardedAt: p.onboarded_at,
  updatedAt: p.updated_at,
});

export interface PartnerListFilter {
  /** Only this partner: a dealer's view of the list. */
  readonly partnerId?: string | undefined;
  readonly region?: string | undefined;
  readonly status?: string | undefined;
  readonly tier?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Partners by name, filtered, in pages. */
export const listPartners = async (db: Kysely<ReadModels>, filter: PartnerListFilter = {}): Promise<{ items: PartnerView[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let q = db.selectFrom('partners').selectAll();
  if (filter.partnerId !== undefined) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.region) q = q.where('region', '=', filter.region);
  if (filter.status) q = q.where('status', '=', filter.status as PartnersTable['status']);
  if (filter.tier) q = q.where('tier', '=', filter.tier);
  if (filter.cursor) {
    const [name, id] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.where(sql<boolean>`(name, partner_id) > (${name}, ${id})`);
  }
  const rows = await q
    .orderBy('name')
    .orderBy('partner_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.partner_id]) : null };
};

export const getPartner = async (db: Kysely<ReadModels>, partnerId: string): Promise<PartnerView | undefined> => {
  const row = await db.selectFrom('partners').selectAll().where('partner_id', '=', partnerId).executeTakeFirst();
  return row ? view(row) : undefined;
};
