import { formatMoney, type SettlementEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { SettlementLinesTable, SettlementStatementsTable } from './agreements-schema';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';

const idOf = (partnerId: string, period: string) => `${partnerId}.${period}`;

/** Running totals of an open statement, from its lines; a closed statement's totals are the ones its closing event fixed. */
const addLine = (s: SettlementStatementsTable, line: SettlementLinesTable) => {
  s.line_count += 1;
  s.volume_minor = Number(s.volume_minor) + line.volume_minor;
  if (line.kind === 'revenue_share') s.revenue_share_minor = Number(s.revenue_share_minor) + line.amount_minor;
  if (line.kind === 'joint_marketing') s.joint_marketing_minor = Number(s.joint_marketing_minor) + line.amount_minor;
  if (line.kind === 'penalty') s.penalties_minor = Number(s.penalties_minor) + line.amount_minor;
  s.total_minor = Number(s.total_minor) + line.amount_minor;
};

/** `settlement_statements`, `settlement_lines`: each dealer's statement per period, with its lines and, once closed, its rebates. */
export const settlementsProjection: Projection = {
  name: 'settlements',
  version: 2,
  eventTypes: ['SettlementStatementOpened', 'SettlementLineAdded', 'SettlementStatementClosed', 'SettlementStatementApproved', 'SettlementStatementPaid'],
  tables: ['settlement_statements', 'settlement_lines'],
  async createTables(db) {
    let t = db.schema
      .createTable('settlement_statements')
      .ifNotExists()
      .addColumn('statement_id', 'text', (c) => c.primaryKey());
    for (const col of ['partner_id', 'period', 'status', 'currency', 'opened_at', 'updated_at']) t = t.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['closed_at', 'closed_by', 'approved_at', 'approved_by', 'paid_at', 'payment_reference', 'payer']) t = t.addColumn(col, 'text');
    t = t.addColumn('line_count', 'integer', (c) => c.notNull());
    for (const col of ['volume_minor', 'revenue_share_minor', 'joint_marketing_minor', 'penalties_minor', 'rebates_minor', 'total_minor'])
      t = t.addColumn(col, 'bigint', (c) => c.notNull());
    await t.execute();
    await db.schema
      .createTable('settlement_lines')
      .ifNotExists()
      .addColumn('statement_id', 'text', (c) => c.notNull())
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('agreement_version', 'integer', (c) => c.notNull())
      .addColumn('order_id', 'text')
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('base_minor', 'bigint', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('volume_minor', 'bigint', (c) => c.notNull())
      .addColumn('correction', 'boolean', (c) => c.notNull())
      .addPrimaryKeyConstraint('settlement_lines_pkey', ['statement_id', 'line_id'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('settlement_statements_partner_idx').ifNotExists().on('settlement_statements').columns(['partner_id', 'period']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const ids = [...new Set(events.map((e) => e.streamId.slice('settlement-'.length)))];
    const existing = await db.selectFrom('settlement_statements').selectAll().where('statement_id', 'in', ids).execute();
    const statements = new Map(existing.map((s) => [s.statement_id, s]));
    const lines: SettlementLinesTable[] = [];
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as SettlementEvent;
      const id = idOf(event.data.partnerId, event.data.period);
      if (event.type === 'SettlementStatementOpened') {
        const d = event.data;
        statements.set(id, {
          statement_id: id,
          partner_id: d.partnerId,
          period: d.period,
          status: 'open',
          currency: d.currency,
          line_count: 0,
          volume_minor: 0,
          revenue_share_minor: 0,
          joint_marketing_minor: 0,
          penalties_minor: 0,
          rebates_minor: 0,
          total_minor: 0,
          opened_at: d.openedAt,
          closed_at: null,
          closed_by: null,
          approved_at: null,
          approved_by: null,
          paid_at: null,
          payment_reference: null,
          payer: null,
          updated_at: d.openedAt,
        });
        continue;
      }
      const s = statements.get(id);
      if (!s) continue;
      switch (event.type) {
        case 'SettlementLineAdded': {
          const l = event.data.line;
          const line: SettlementLinesTable = {
            statement_id: id,
            line_id: l.lineId,
            seq: s.line_count + 1,
            partner_id: s.partner_id,
            period: s.period,
            kind: l.kind,
            agreement_id: l.agreementId,
            agreement_version: l.agreementVersion,
            order_id: l.orderId ?? null,
            reference: l.reference,
            date: l.date,
            description: l.description,
            base_minor: l.base.amountMinor,
            amount_minor: l.amount.amountMinor,
            volume_minor: l.volume.amountMinor,
            correction: event.data.correction,
          };
          addLine(s, line);
          lines.push(line);
          s.updated_at = event.data.addedAt;
          break;
        }
        case 'SettlementStatementClosed': {
          const d = event.data;
          d.rebates.forEach((r, i) => {
            lines.push({
              statement_id: id,
              line_id: `rebate:${r.agreementId}`,
              seq: d.lineCount + i + 1,
              partner_id: s.partner_id,
              period: s.period,
              kind: 'rebate',
              agreement_id: r.agreementId,
              agreement_version: r.agreementVersion,
              order_id: null,
              reference: r.agreementId,
              date: d.closedAt.slice(0, 10),
              description: `Rebate (${r.basis.replace('_', ' ')}): volume ${formatMoney(r.volume)} reached band ${r.band}, ${(r.rateBps / 100).toFixed(2)} %`,
              base_minor: r.volume.amountMinor,
              amount_minor: r.amount.amountMinor,
              volume_minor: 0,
              correction: false,
            });
          });
          Object.assign(s, {
            status: 'closed',
            volume_minor: d.volume.amountMinor,
            revenue_share_minor: d.totals.revenueShare.amountMinor,
            joint_marketing_minor: d.totals.jointMarketing.amountMinor,
            penalties_minor: d.totals.penalties.amountMinor,
            rebates_minor: d.totals.rebates.amountMinor,
            total_minor: d.totals.total.amountMinor,
            closed_at: d.closedAt,
            closed_by: d.by?.id ?? null,
            updated_at: d.closedAt,
          });
          break;
        }
        case 'SettlementStatementApproved':
          Object.assign(s, {
            status: 'approved',
            approved_at: event.data.approvedAt,
            approved_by: event.data.by?.id ?? null,
            updated_at: event.data.approvedAt,
          });
          break;
        case 'SettlementStatementPaid':
          Object.assign(s, {
            status: 'paid',
            paid_at: event.data.paidAt,
            payment_reference: event.data.paymentReference,
            payer: event.data.payer,
            updated_at: event.data.paidAt,
          });
          break;
      }
    }
    await upsertRows(db, 'settlement_statements', ['statement_id'], [...statements.values()]);
    await upsertRows(db, 'settlement_lines', ['statement_id', 'line_id'], lines);
  },
};
