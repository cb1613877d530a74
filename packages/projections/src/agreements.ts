import { type AgreementEvent, type AgreementState, agreementDecider, currentVersion, type ExistingAgreement, versionPeriods } from '@dms/domain';
import type { RecordedEvent } from '@dms/eventstore';
import type { Kysely } from 'kysely';
import type { AgreementBreachesTable, AgreementsTable, AgreementVersionsTable } from './agreements-schema';
import { groupBy, type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';

const EVENT_TYPES: readonly AgreementEvent['type'][] = [
  'AgreementDrafted',
  'AgreementTermsRevised',
  'AgreementProposed',
  'AgreementSigned',
  'AgreementActivated',
  'AgreementAmended',
  'AgreementTerminated',
  'AgreementExpired',
  'AgreementBreachRecorded',
  'JointMarketingSpendRecorded',
];

const idOf = (e: RecordedEvent) => e.streamId.slice('agreement-'.length);

/** When an event happened, by its own timestamp. */
const happenedAt = (e: AgreementEvent): string => {
  switch (e.type) {
    case 'AgreementDrafted':
      return e.data.draftedAt;
    case 'AgreementTermsRevised':
      return e.data.revisedAt;
    case 'AgreementProposed':
      return e.data.proposedAt;
    case 'AgreementSigned':
      return e.data.signedAt;
    case 'AgreementActivated':
      return e.data.activatedAt;
    case 'AgreementAmended':
      return e.data.amendedAt;
    case 'AgreementTerminated':
      return e.data.terminatedAt;
    case 'AgreementExpired':
      return e.data.expiredAt;
    case 'AgreementBreachRecorded':
    case 'JointMarketingSpendRecorded':
      return e.data.recordedAt;
  }
};

const row = (a: ExistingAgreement, previous: AgreementsTable | undefined, event: AgreementEvent, version: number): AgreementsTable => {
  const current = currentVersion(a);
  const { terms } = current;
  return {
    agreement_id: a.agreementId,
    partner_id: a.partnerId,
    title: a.title,
    status: a.status,
    current_version: current.version,
    effective_from: a.versions[0]!.effectiveFrom,
    current_effective_from: current.effectiveFrom,
    expires_on: a.expiresOn,
    signed_by_manufacturer: a.signatures.manufacturer?.signedBy ?? null,
    signed_by_dealer: a.signatures.dealer?.signedBy ?? null,
    activated_at: a.activatedAt ?? null,
    ended_at: a.endedAt ?? null,
    end_reason: a.endReason ?? null,
    currency: terms.currency,
    categories: terms.scope.productCategories,
    regions: terms.scope.regions,
    exclusive: terms.scope.exclusive,
    pricing_tier: terms.pricingTier,
    settlement_basis: terms.settlement.basis,
    settlement_period: terms.settlement.period,
    rebate_basis: terms.rebate.basis,
    breach_count: (previous?.breach_count ?? 0) + (event.type === 'AgreementBreachRecorded' ? 1 : 0),
    penalties_minor: Number(previous?.penalties_minor ?? 0) + (event.type === 'AgreementBreachRecorded' ? event.data.penalty.amountMinor : 0),
    marketing_spend_minor: Number(previous?.marketing_spend_minor ?? 0) + (event.type === 'JointMarketingSpendRecorded' ? event.data.amount.amountMinor : 0),
    drafted_at: previous?.drafted_at ?? happenedAt(event),
    updated_at: happenedAt(event),
    version,
  };
};

/**
 * `agreements`, `agreement_versions`, `agreement_breaches`: the agreement registry. Each batch re-folds the agreements it
 * touches from their own events (read back from the store would be I/O outside the transaction, so the projection keeps
 * the full state it needs in the rows: the versions table holds every version's terms).
 */
export const agreementsProjection: Projection = {
  name: 'agreements',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: ['agreements', 'agreement_versions', 'agreement_breaches'],
  async createTables(db) {
    let t = db.schema
      .createTable('agreements')
      .ifNotExists()
      .addColumn('agreement_id', 'text', (c) => c.primaryKey());
    for (const col of [
      'partner_id',
      'title',
      'status',
      'effective_from',
      'current_effective_from',
      'expires_on',
      'currency',
      'pricing_tier',
      'settlement_basis',
      'settlement_period',
      'rebate_basis',
      'drafted_at',
      'updated_at',
    ])
      t = t.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['signed_by_manufacturer', 'signed_by_dealer', 'activated_at', 'ended_at', 'end_reason']) t = t.addColumn(col, 'text');
    for (const col of ['categories', 'regions']) t = t.addColumn(col, 'jsonb', (c) => c.notNull());
    t = t.addColumn('exclusive', 'boolean', (c) => c.notNull());
    for (const col of ['current_version', 'breach_count', 'version']) t = t.addColumn(col, 'integer', (c) => c.notNull());
    for (const col of ['penalties_minor', 'marketing_spend_minor']) t = t.addColumn(col, 'bigint', (c) => c.notNull());
    await t.execute();
    await db.schema.createIndex('agreements_partner_idx').ifNotExists().on('agreements').columns(['partner_id', 'effective_from']).execute();
    await db.schema.createIndex('agreements_expiry_idx').ifNotExists().on('agreements').columns(['status', 'expires_on']).execute();

    await db.schema
      .createTable('agreement_versions')
      .ifNotExists()
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('effective_until', 'text', (c) => c.notNull())
      .addColumn('terms', 'jsonb', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agreement_versions_pkey', ['agreement_id', 'version'])
      .execute();

    await db.schema
      .createTable('agreement_breaches')
      .ifNotExists()
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('breach_id', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('clause_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('breaching_party', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('occurred_on', 'text', (c) => c.notNull())
      .addColumn('penalty_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agreement_breaches_pkey', ['agreement_id', 'breach_id'])
      .execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const ids = [...new Set(events.map(idOf))];
    const [rows, versions] = await Promise.all([
      db.selectFrom('agreements').selectAll().where('agreement_id', 'in', ids).execute(),
      db.selectFrom('agreement_versions').selectAll().where('agreement_id', 'in', ids).orderBy('version').execute(),
    ]);
    const existing = new Map(rows.map((r) => [r.agreement_id, r]));
    const written: AgreementsTable[] = [];
    const versionRows: AgreementVersionsTable[] = [];
    const breaches: AgreementBreachesTable[] = [];
    for (const [id, batch] of groupBy(events, idOf)) {
      // The agreement's state before this batch, rebuilt from its rows; then its events folded on top.
      let state: AgreementState = agreementDecider.initialState;
      const before = existing.get(id);
      const known = versions.filter((v) => v.agreement_id === id);
      if (before && known.length > 0) state = agreementFromRows(before, known);
      let out = before;
      for (const recorded of batch) {
        const event = { type: recorded.type, data: recorded.data } as AgreementEvent;
        state = agreementDecider.evolve(state, event);
        if (!state.exists) continue;
        out = row(state, out, event, recorded.streamVersion);
        if (event.type === 'AgreementBreachRecorded') {
          const d = event.data;
          breaches.push({
            agreement_id: d.agreementId,
            breach_id: d.breachId,
            partner_id: d.partnerId,
            clause_id: d.clauseId,
            version: d.version,
            breaching_party: d.breachingParty,
            description: d.description,
            occurred_on: d.occurredOn,
            penalty_minor: d.penalty.amountMinor,
            currency: d.penalty.currency,
            recorded_at: d.recordedAt,
          });
        }
      }
      if (!out || !state.exists) continue;
      written.push(out);
      for (const p of versionPeriods(state)) {
        versionRows.push({
          agreement_id: id,
          version: p.version.version,
          effective_from: p.from,
          effective_until: p.until,
          terms: p.version.terms,
          reason: p.version.reason ?? null,
          recorded_at: p.version.recordedAt,
        });
      }
    }
    // A revision replaces version 1, so the version rows of a touched agreement are rewritten whole.
    await upsertRows(db, 'agreements', ['agreement_id'], written);
    await upsertRows(db, 'agreement_versions', ['agreement_id', 'version'], versionRows);
    await upsertRows(db, 'agreement_breaches', ['agreement_id', 'breach_id'], breaches);
  },
};

/**
 * The agreement as the rows describe it: enough state to fold further events onto, and to tell which agreement governs
 * an order (`governingAgreement`).
 */
export const agreementFromRows = (r: AgreementsTable, versions: readonly AgreementVersionsTable[]): ExistingAgreement => ({
  exists: true,
  agreementId: r.agreement_id,
  partnerId: r.partner_id,
  title: r.title,
  status: r.status,
  expiresOn: r.expires_on,
  versions: versions.map((v) => ({
    version: v.version,
    effectiveFrom: v.effective_from,
    terms: v.terms as ExistingAgreement['versions'][number]['terms'],
    recordedAt: v.recorded_at,
    ...(v.reason ? { reason: v.reason } : {}),
  })),
  signatures: {
    ...(r.signed_by_manufacturer ? { manufacturer: { signedBy: r.signed_by_manufacturer, signedAt: '' } } : {}),
    ...(r.signed_by_dealer ? { dealer: { signedBy: r.signed_by_dealer, signedAt: '' } } : {}),
  },
  ...(r.activated_at ? { activatedAt: r.activated_at } : {}),
  ...(r.ended_at ? { endedAt: r.ended_at } : {}),
  ...(r.end_reason ? { endReason: r.end_reason } : {}),
  breachIds: new Set(),
  spendIds: new Set(),
});
