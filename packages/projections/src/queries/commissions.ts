import type { Money } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { CommissionLinesTable, CommissionStatementsTable } from '../performance-schema';
import type { ReadModels } from '../schema';

const money = (amountMinor: number | string | bigint | null, currency: string): Money => ({ amountMinor: Number(amountMinor ?? 0), currency });

export interface CommissionStatementView {
  readonly agentId: string;
  readonly period: string;
  readonly status: CommissionStatementsTable['status'];
  readonly lineCount: number;
  /** Commission on invoices and payments; clawbacks on credit notes (zero or negative); what settles the statement. */
  readonly totals: { readonly commission: Money; readonly clawbacks: Money; readonly total: Money };
  readonly closed: { readonly at: string; readonly by: string } | null;
  readonly approved: { readonly at: string; readonly by: string } | null;
  readonly paid: { readonly at: string; readonly reference: string; readonly payer: 'manufacturer' | 'agent' } | null;
}

const view = (s: CommissionStatementsTable): CommissionStatementView => ({
  agentId: s.agent_id,
  period: s.period,
  status: s.status,
  lineCount: s.line_count,
  totals: { commission: money(s.commission_minor, s.currency), clawbacks: money(s.clawbacks_minor, s.currency), total: money(s.total_minor, s.currency) },
  closed: s.closed_at ? { at: s.closed_at, by: s.closed_by ?? '' } : null,
  approved: s.approved_at ? { at: s.approved_at, by: s.approved_by ?? '' } : null,
  paid: s.paid_at ? { at: s.paid_at, reference: s.payment_reference ?? '', payer: s.payer ?? 'manufacturer' } : null,
});

/** Commission statements, latest period first. */
export const listCommissionStatements = async (
  db: Kysely<ReadModels>,
  filter: { agentId?: string | undefined; status?: CommissionStatementsTable['status'] | undefined; period?: string | undefined } = {},
): Promise<CommissionStatementView[]> => {
  let q = db.selectFrom('commission_statements').selectAll();
  if (filter.agentId !== undefined) q = q.where('agent_id', '=', filter.agentId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.period !== undefined) q = q.where('period', '=', filter.period);
  return (await q.orderBy('period', 'desc').orderBy('agent_id').limit(1000).execute()).map(view);
};

export interface CommissionLineView {
  readonly lineId: string;
  readonly orderId: string;
  readonly partnerId: string;
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly source: { readonly kind: CommissionLinesTable['source_kind']; readonly id: string };
  readonly date: string;
  readonly description: string;
  readonly base: Money;
  readonly shareBps: number;
  readonly amount: Money;
  /** A line of an earlier period whose statement was already closed. */
  readonly correction: boolean;
}

export interface CommissionStatementDetail extends CommissionStatementView {
  readonly lines: CommissionLineView[];
  /**
   * The statement against the split ledger: the agent's split lines for the same orders and sources add up to
   * `splits`; `difference` is the statement's total less that (zero when they reconcile), `unmatched` the lines with no split.
   */
  readonly reconciliation: { readonly splits: Money; readonly difference: Money; readonly unmatched: number };
}

export const getCommissionStatement = async (db: Kysely<ReadModels>, agentId: string, period: string): Promise<CommissionStatementDetail | undefined> => {
  const s = await db.selectFrom('commission_statements').selectAll().where('agent_id', '=', agentId).where('period', '=', period).executeTakeFirst();
  if (!s) return undefined;
  const rows = await db
    .selectFrom('commission_lines as l')
    .leftJoin('revenue_split_lines as r', (j) =>
      j
        .onRef('r.party_id', '=', 'l.agent_id')
        .onRef('r.order_id', '=', 'l.order_id')
        .onRef('r.source_kind', '=', 'l.source_kind')
        .onRef('r.source_id', '=', 'l.source_id')
        .on('r.kind', '=', 'revenue'),
    )
    .selectAll('l')
    .select(['r.amount_minor as split_minor', 'r.split_id as split_id'])
    .where('l.agent_id', '=', agentId)
    .where('l.period', '=', period)
    .orderBy('l.seq')
    .execute();
  const splits = rows.reduce((a, r) => a + Number(r.split_minor ?? 0), 0);
  const base = view(s);
  return {
    ...base,
    lines: rows.map((l) => ({
      lineId: l.line_id,
      orderId: l.order_id,
      partnerId: l.partner_id,
      agreementId: l.agreement_id,
      agreementVersion: l.agreement_version,
      source: { kind: l.source_kind, id: l.source_id },
      date: l.date,
      description: l.description,
      base: money(l.base_minor, s.currency),
      shareBps: l.share_bps,
      amount: money(l.amount_minor, s.currency),
      correction: l.correction,
    })),
    reconciliation: {
      splits: money(splits, s.currency),
      difference: money(rows.reduce((a, r) => a + Number(r.amount_minor), 0) - splits, s.currency),
      unmatched: rows.filter((r) => r.split_id === null).length,
    },
  };
};
