import type { CommissionEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { CommissionLinesTable, CommissionStatementsTable } from './performance-schema';
import { type Projection, upsertRows } from './projection';
import type { ReadModels } from './schema';

const key = (agentId: string, period: string) => `${agentId}.${period}`;

/** `commission_statements`, `commission_lines`: each sales agent's commission statement per period, with its lines. */
export const commissionsProjection: Projection = {
  name: 'commissions',
  version: 1,
  eventTypes: ['CommissionStatementOpened', 'CommissionLineAdded', 'CommissionStatementClosed', 'CommissionStatementApproved', 'CommissionStatementPaid'],
  tables: ['commission_statements', 'commission_lines'],
  async createTables(db) {
    let t = db.schema.createTable('commission_statements').ifNotExists();
    for (const col of ['agent_id', 'period', 'status', 'currency', 'opened_at', 'updated_at']) t = t.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['closed_at', 'closed_by', 'approved_at', 'approved_by', 'paid_at', 'payment_reference', 'payer']) t = t.addColumn(col, 'text');
    t = t.addColumn('line_count', 'integer', (c) => c.notNull());
    for (const col of ['commission_minor', 'clawbacks_minor', 'total_minor']) t = t.addColumn(col, 'bigint', (c) => c.notNull());
    await t.addPrimaryKeyConstraint('commission_statements_pkey', ['agent_id', 'period'] as never).execute();
    let l = db.schema.createTable('commission_lines').ifNotExists();
    for (const col of ['agent_id', 'period', 'line_id', 'order_id', 'partner_id', 'agreement_id', 'source_kind', 'source_id', 'date', 'description'])
      l = l.addColumn(col, 'text', (c) => c.notNull());
    l = l
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('agreement_version', 'integer', (c) => c.notNull())
      .addColumn('share_bps', 'integer', (c) => c.notNull())
      .addColumn('base_minor', 'bigint', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('correction', 'boolean', (c) => c.notNull());
    await l.addPrimaryKeyConstraint('commission_lines_pkey', ['agent_id', 'period', 'line_id'] as never).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const agents = [...new Set(events.map((e) => (e.data as { agentId: string }).agentId))];
    const existing = await db.selectFrom('commission_statements').selectAll().where('agent_id', 'in', agents).execute();
    const statements = new Map(existing.map((s) => [key(s.agent_id, s.period), s]));
    const changed = new Set<string>();
    const lines: CommissionLinesTable[] = [];
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as CommissionEvent;
      const k = key(event.data.agentId, event.data.period);
      const s = statements.get(k);
      const update = (change: Partial<CommissionStatementsTable>, at: string) => {
        if (!s) return;
        statements.set(k, { ...s, ...change, updated_at: at });
        changed.add(k);
      };
      switch (event.type) {
        case 'CommissionStatementOpened': {
          const d = event.data;
          statements.set(k, {
            agent_id: d.agentId,
            period: d.period,
            status: 'open',
            currency: d.currency,
            line_count: 0,
            commission_minor: 0,
            clawbacks_minor: 0,
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
          changed.add(k);
          break;
        }
        case 'CommissionLineAdded': {
          const { line, correction, addedAt } = event.data;
          if (!s) break;
          const clawback = line.source.kind === 'credit_note';
          lines.push({
            agent_id: s.agent_id,
            period: s.period,
            line_id: line.lineId,
            seq: s.line_count + 1,
            order_id: line.orderId,
            partner_id: line.partnerId,
            agreement_id: line.agreementId,
            agreement_version: line.agreementVersion,
            source_kind: line.source.kind,
            source_id: line.source.id,
            date: line.date,
            description: line.description,
            base_minor: line.base.amountMinor,
            share_bps: line.shareBps,
            amount_minor: line.amount.amountMinor,
            correction,
          });
          update(
            {
              line_count: s.line_count + 1,
              commission_minor: Number(s.commission_minor) + (clawback ? 0 : line.amount.amountMinor),
              clawbacks_minor: Number(s.clawbacks_minor) + (clawback ? line.amount.amountMinor : 0),
              total_minor: Number(s.total_minor) + line.amount.amountMinor,
            },
            addedAt,
          );
          break;
        }
        case 'CommissionStatementClosed': {
          const d = event.data;
          update(
            {
              status: 'closed',
              closed_at: d.closedAt,
              closed_by: d.by.id,
              commission_minor: d.totals.commission.amountMinor,
              clawbacks_minor: d.totals.clawbacks.amountMinor,
              total_minor: d.totals.total.amountMinor,
            },
            d.closedAt,
          );
          break;
        }
        case 'CommissionStatementApproved':
          update({ status: 'approved', approved_at: event.data.approvedAt, approved_by: event.data.by.id }, event.data.approvedAt);
          break;
        case 'CommissionStatementPaid': {
          const d = event.data;
          update({ status: 'paid', paid_at: d.paidAt, payment_reference: d.paymentReference, payer: d.payer }, d.paidAt);
          break;
        }
      }
    }
    await upsertRows(
      db,
      'commission_statements',
      ['agent_id', 'period'],
      [...changed].map((k) => statements.get(k)!),
    );
    await upsertRows(db, 'commission_lines', ['agent_id', 'period', 'line_id'], lines);
  },
};
