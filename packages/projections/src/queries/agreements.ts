import { type AgreementTerms, addDays, daysBetween, type Money } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { AgreementBreachesTable, AgreementsTable, AgreementVersionsTable } from '../agreements-schema';
import type { ReadModels } from '../schema';
import { decodeCursor, encodeCursor } from './cursor';

export interface AgreementSummary {
  readonly agreementId: string;
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly title: string;
  readonly status: AgreementsTable['status'];
  readonly currentVersion: number;
  readonly effectiveFrom: string;
  readonly currentVersionEffectiveFrom: string;
  readonly expiresOn: string;
  /** Days from `asOf` to the last day in force; null when no `asOf` was given. */
  readonly daysToExpiry: number | null;
  readonly categories: string[];
  readonly regions: string[];
  readonly exclusive: boolean;
  readonly pricingTier: string;
  readonly settlementBasis: string;
  readonly settlementPeriod: string;
  readonly rebateBasis: string;
  readonly signedBy: { readonly manufacturer: string | null; readonly dealer: string | null };
  readonly activatedAt: string | null;
  readonly endedAt: string | null;
  readonly endReason: string | null;
  readonly breaches: number;
  readonly penalties: Money;
  readonly marketingSpend: Money;
  readonly updatedAt: string;
}

export interface AgreementVersionView {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string;
  readonly reason: string | null;
  readonly recordedAt: string;
  readonly terms: AgreementTerms;
}

export interface AgreementDetail extends AgreementSummary {
  readonly versions: AgreementVersionView[];
  readonly breachList: {
    readonly breachId: string;
    readonly clauseId: string;
    readonly version: number;
    readonly breachingParty: string;
    readonly description: string;
    readonly occurredOn: string;
    readonly penalty: Money;
    readonly recordedAt: string;
  }[];
}

export interface AgreementListFilter {
  readonly partnerId?: string | undefined;
  readonly status?: string | undefined;
  /** Only agreements in force (active) whose last day falls within this many days of `asOf`. */
  readonly expiringWithinDays?: number | undefined;
  /** Today, for expiry: a calendar date. */
  readonly asOf?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

const money = (amountMinor: number | bigint, currency: string): Money => ({ amountMinor: Number(amountMinor), currency });

type Row = AgreementsTable & { partner_name: string | null };

const summary = (a: Row, asOf: string | undefined): AgreementSummary => ({
  agreementId: a.agreement_id,
  partnerId: a.partner_id,
  partnerName: a.partner_name,
  title: a.title,
  status: a.status,
  currentVersion: a.current_version,
  effectiveFrom: a.effective_from,
  currentVersionEffectiveFrom: a.current_effective_from,
  expiresOn: a.expires_on,
  daysToExpiry: asOf ? daysBetween(asOf, a.expires_on) : null,
  categories: a.categories as string[],
  regions: a.regions as string[],
  exclusive: a.exclusive,
  pricingTier: a.pricing_tier,
  settlementBasis: a.settlement_basis,
  settlementPeriod: a.settlement_period,
  rebateBasis: a.rebate_basis,
  signedBy: { manufacturer: a.signed_by_manufacturer, dealer: a.signed_by_dealer },
  activatedAt: a.activated_at,
  endedAt: a.ended_at,
  endReason: a.end_reason,
  breaches: a.breach_count,
  penalties: money(a.penalties_minor, a.currency),
  marketingSpend: money(a.marketing_spend_minor, a.currency),
  updatedAt: a.updated_at,
});

const base = (db: Kysely<ReadModels>) =>
  db
    .selectFrom('agreements')
    .leftJoin('partners', 'partners.partner_id', 'agreements.partner_id')
    .selectAll('agreements')
    .select('partners.name as partner_name');

/**
 * The agreement registry: agreements by dealer and start date, filtered, in pages. With `expiringWithinDays` (30, 60, 90)
 * only agreements in force whose last day is within that many days of `asOf`, soonest first.
 */
export const listAgreements = async (
  db: Kysely<ReadModels>,
  filter: AgreementListFilter = {},
): Promise<{ items: AgreementSummary[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let q = base(db);
  if (filter.partnerId !== undefined) q = q.where('agreements.partner_id', '=', filter.partnerId);
  if (filter.status) q = q.where('agreements.status', '=', filter.status as AgreementsTable['status']);
  if (filter.expiringWithinDays !== undefined && filter.asOf) {
    q = q
      .where('agreements.status', '=', 'active')
      .where('agreements.expires_on', '>=', filter.asOf)
      .where('agreements.expires_on', '<=', addDays(filter.asOf, filter.expiringWithinDays));
  }
  if (filter.cursor) {
    const [expires, id] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.where(sql<boolean>`(agreements.expires_on, agreements.agreement_id) > (${expires}, ${id})`);
  }
  const rows = await q
    .orderBy('agreements.expires_on')
    .orderBy('agreements.agreement_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => summary(r, filter.asOf)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.expires_on, last.agreement_id]) : null,
  };
};

/** One agreement with every version and breach; with `partnerId`, only if it is that dealer's (a dealer's view). */
export const getAgreement = async (
  db: Kysely<ReadModels>,
  agreementId: string,
  scope: { partnerId?: string | undefined; asOf?: string | undefined } = {},
): Promise<AgreementDetail | undefined> => {
  let q = base(db).where('agreements.agreement_id', '=', agreementId);
  if (scope.partnerId !== undefined) q = q.where('agreements.partner_id', '=', scope.partnerId);
  const a = await q.executeTakeFirst();
  if (!a) return undefined;
  const [versions, breaches] = await Promise.all([
    db.selectFrom('agreement_versions').selectAll().where('agreement_id', '=', agreementId).orderBy('version').execute(),
    db.selectFrom('agreement_breaches').selectAll().where('agreement_id', '=', agreementId).orderBy('occurred_on').orderBy('breach_id').execute(),
  ]);
  return {
    ...summary(a, scope.asOf),
    versions: versions.map((v: AgreementVersionsTable) => ({
      version: v.version,
      effectiveFrom: v.effective_from,
      effectiveUntil: v.effective_until,
      reason: v.reason,
      recordedAt: v.recorded_at,
      terms: v.terms as AgreementTerms,
    })),
    breachList: breaches.map((b: AgreementBreachesTable) => ({
      breachId: b.breach_id,
      clauseId: b.clause_id,
      version: b.version,
      breachingParty: b.breaching_party,
      description: b.description,
      occurredOn: b.occurred_on,
      penalty: money(b.penalty_minor, b.currency),
      recordedAt: b.recorded_at,
    })),
  };
};

/** Signed agreements whose effective date has come, and agreements in force whose last day has passed, as of a date. */
export const agreementsDue = async (db: Kysely<ReadModels>, asOf: string): Promise<{ toActivate: string[]; toExpire: string[] }> => {
  const [activate, expire] = await Promise.all([
    db
      .selectFrom('agreements')
      .select('agreement_id')
      .where('status', '=', 'signed')
      .where('effective_from', '<=', asOf)
      .where('expires_on', '>=', asOf)
      .orderBy('effective_from')
      .orderBy('agreement_id')
      .execute(),
    db
      .selectFrom('agreements')
      .select('agreement_id')
      .where('status', 'in', ['signed', 'active'])
      .where('expires_on', '<', asOf)
      .orderBy('expires_on')
      .orderBy('agreement_id')
      .execute(),
  ]);
  return { toActivate: activate.map((r) => r.agreement_id), toExpire: expire.map((r) => r.agreement_id) };
};
