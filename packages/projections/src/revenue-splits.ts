import type { AgreementEvent, RevenueSplitEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { RevenueSplitLinesTable } from './agreements-schema';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';

/**
 * `revenue_split_lines`: the split ledger, one line per party per split. Revenue lines come from every invoice, payment
 * and credit note the agreement in force on the order date split; joint-marketing lines are each party's share of a cost
 * (negative: a cost it bears). Every split's lines sum exactly to the amount split.
 */
export const revenueSplitsProjection: Projection = {
  name: 'revenue_splits',
  version: 1,
  eventTypes: ['RevenueSplitRecorded', 'JointMarketingSpendRecorded'],
  tables: ['revenue_split_lines'],
  async createTables(db) {
    await db.schema
      .createTable('revenue_split_lines')
      .ifNotExists()
      .addColumn('split_id', 'text', (c) => c.notNull())
      .addColumn('party_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('agreement_version', 'integer', (c) => c.notNull())
      .addColumn('order_id', 'text')
      .addColumn('source_kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('share_bps', 'integer', (c) => c.notNull())
      .addColumn('base_minor', 'bigint', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('revenue_split_lines_pkey', ['split_id', 'party_id'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('revenue_split_lines_party_idx').ifNotExists().on('revenue_split_lines').columns(['party_id', 'date']).execute();
    await db.schema.createIndex('revenue_split_lines_partner_idx').ifNotExists().on('revenue_split_lines').columns(['partner_id', 'date']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const rows: RevenueSplitLinesTable[] = [];
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as RevenueSplitEvent | AgreementEvent;
      const position = recorded.globalPosition.toString().padStart(20, '0');
      if (event.type === 'RevenueSplitRecorded') {
        const d = event.data;
        for (const line of d.lines) {
          rows.push({
            split_id: `${d.orderId}:${d.source.kind}:${d.source.id}`,
            party_id: line.partyId,
            role: line.role,
            kind: 'revenue',
            partner_id: d.partnerId,
            agreement_id: d.agreementId,
            agreement_version: d.agreementVersion,
            order_id: d.orderId,
            source_kind: d.source.kind,
            source_id: d.source.id,
            date: d.source.at.slice(0, 10),
            share_bps: line.shareBps,
            base_minor: d.amount.amountMinor,
            amount_minor: line.amount.amountMinor,
            currency: line.amount.currency,
            position,
          });
        }
      } else if (event.type === 'JointMarketingSpendRecorded') {
        const d = event.data;
        for (const share of d.shares) {
          rows.push({
            split_id: `jm:${d.agreementId}:${d.spendId}`,
            party_id: share.partyId,
            role: share.role,
            kind: 'joint_marketing',
            partner_id: d.partnerId,
            agreement_id: d.agreementId,
            agreement_version: d.version,
            order_id: null,
            source_kind: 'marketing_spend',
            source_id: d.spendId,
            date: d.spentOn,
            share_bps: share.shareBps,
            base_minor: d.amount.amountMinor,
            amount_minor: share.amount.amountMinor === 0 ? 0 : -share.amount.amountMinor,
            currency: share.amount.currency,
            position,
          });
        }
      }
    }
    await upsertRows(db, 'revenue_split_lines', ['split_id', 'party_id'], rows);
  },
};
