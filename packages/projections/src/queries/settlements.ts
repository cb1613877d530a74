import { type AgreementTerms, type Money, periodEnd, periodOf, type RebateProgress, rebateProgress, type SettlementCadence } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { SettlementLinesTable, SettlementStatementsTable } from '../agreements-schema';
import type { ReadModels } from '../schema';
import { decodeCursor, encodeCursor } from './cursor';

const money = (amountMinor: number | bigint | string | null, currency: string): Money => ({ amountMinor: Number(amountMinor ?? 0), currency });

// The split ledger

export interface SplitLineView {
  readonly splitId: string;
  readonly partyId: string;
  readonly role: string;
  readonly kind: 'revenue' | 'joint_marketing';
  readonly partnerId: string;
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly orderId: string | null;
  readonly source: { readonly kind: string; readonly id: string };
  readonly date: string;
  readonly shareBps: number;
  /** What was split: the order's revenue change, or the marketing spend. */
  readonly base: Money;
  readonly amount: Money;
}

export interface SplitLedgerFilter {
  readonly partyId?: string | undefined;
  /** The dealer whose orders and agreement the lines belong to (a dealer sees only its own). */
  readonly partnerId?: string | undefined;
  readonly agreementId?: string | undefined;
  readonly from?: string | undefined;
  /** Inclusive. */
  readonly to?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface SplitLedger {
  readonly items: SplitLineView[];
  readonly nextCursor: string | null;
  /** Per party over the whole filter (not only this page): revenue earned, marketing cost borne, net. */
  readonly totals: {
    readonly partyId: string;
    readonly role: string;
    readonly revenue: Money;
    readonly jointMarketing: Money;
    readonly net: Money;
    readonly lines: number;
  }[];
}

/** Each party's split lines, by date, with totals per party; every split's lines sum exactly to what was split. */
export const splitLedger = async (db: Kysely<ReadModels>, filter: SplitLedgerFilter = {}): Promise<SplitLedger> => {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  let q = db.selectFrom('revenue_split_lines');
  if (filter.partyId !== undefined) q = q.where('party_id', '=', filter.partyId);
  if (filter.partnerId !== undefined) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.agreementId !== undefined) q = q.where('agreement_id', '=', filter.agreementId);
  if (filter.from) q = q.where('date', '>=', filter.from);
  if (filter.to) q = q.where('date', '<=', filter.to);
  let page = q.selectAll();
  if (filter.cursor) {
    const [position, party] = decodeCursor(filter.cursor, 2) as [string, string];
    page = page.where(sql<boolean>`(position, party_id) > (${position}, ${party})`);
  }
  const [rows, totals] = await Promise.all([
    page
      .orderBy('position')
      .orderBy('party_id')
      .limit(limit + 1)
      .execute(),
    q
      .select([
        'party_id',
        'role',
        'currency',
        sql<string>`coalesce(sum(amount_minor) filter (where kind = 'revenue'), 0)::text`.as('revenue'),
        sql<string>`coalesce(sum(amount_minor) filter (where kind = 'joint_marketing'), 0)::text`.as('marketing'),
        sql<number>`count(*)::int`.as('lines'),
      ])
      .groupBy(['party_id', 'role', 'currency'])
      .orderBy('party_id')
      .execute(),
  ]);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map((r) => ({
      splitId: r.split_id,
      partyId: r.party_id,
      role: r.role,
      kind: r.kind,
      partnerId: r.partner_id,
      agreementId: r.agreement_id,
      agreementVersion: r.agreement_version,
      orderId: r.order_id,
      source: { kind: r.source_kind, id: r.source_id },
      date: r.date,
      shareBps: r.share_bps,
      base: money(r.base_minor, r.currency),
      amount: money(r.amount_minor, r.currency),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.position, last.party_id]) : null,
    totals: totals.map((t) => ({
      partyId: t.party_id,
      role: t.role,
      revenue: money(BigInt(t.revenue), t.currency),
      jointMarketing: money(BigInt(t.marketing), t.currency),
      net: money(BigInt(t.revenue) + BigInt(t.marketing), t.currency),
      lines: t.lines,
    })),
  };
};

// Settlement statements

export interface StatementSummary {
  readonly statementId: string;
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly period: string;
  readonly status: SettlementStatementsTable['status'];
  readonly lineCount: number;
  readonly volume: Money;
  readonly revenueShare: Money;
  readonly jointMarketing: Money;
  readonly penalties: Money;
  readonly rebates: Money;
  /** Positive: the manufacturer owes the dealer; negative: the dealer owes the manufacturer. */
  readonly total: Money;
  readonly openedAt: string;
  readonly closedAt: string | null;
  /** Who closed it (actor id); null while open, or when closed before the four-eyes rule was recorded. */
  readonly closedBy: string | null;
  readonly approvedAt: string | null;
  /** Who approved it for payment: never whoever closed it. */
  readonly approvedBy: string | null;
  readonly paidAt: string | null;
  readonly paymentReference: string | null;
  readonly payer: string | null;
}

export interface StatementLineView {
  readonly lineId: string;
  readonly seq: number;
  readonly kind: SettlementLinesTable['kind'];
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly orderId: string | null;
  readonly reference: string;
  readonly date: string;
  readonly description: string;
  readonly base: Money;
  readonly amount: Money;
  readonly volume: Money;
  /** A line of an earlier period whose statement was already closed when it arrived. */
  readonly correction: boolean;
}

export interface StatementDetail extends StatementSummary {
  readonly lines: StatementLineView[];
  /**
   * How the statement ties back to billing: the invoices, credit notes and payments its revenue lines split, and the
   * same invoices as the orders read model has them. `reconciled` when both invoice totals agree and the lines add up
   * to the total.
   */
  readonly reconciliation: {
    readonly invoices: { readonly count: number; readonly onStatement: Money; readonly perOrders: Money };
    readonly creditNotes: { readonly count: number; readonly amount: Money };
    readonly payments: { readonly count: number; readonly amount: Money };
    readonly linesTotal: Money;
    readonly reconciled: boolean;
  };
}

export interface StatementListFilter {
  readonly partnerId?: string | undefined;
  readonly status?: SettlementStatementsTable['status'] | undefined;
  readonly period?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

type StatementRow = SettlementStatementsTable & { partner_name: string | null };

const statementSummary = (s: StatementRow): StatementSummary => ({
  statementId: s.statement_id,
  partnerId: s.partner_id,
  partnerName: s.partner_name,
  period: s.period,
  status: s.status,
  lineCount: s.line_count,
  volume: money(s.volume_minor, s.currency),
  revenueShare: money(s.revenue_share_minor, s.currency),
  jointMarketing: money(s.joint_marketing_minor, s.currency),
  penalties: money(s.penalties_minor, s.currency),
  rebates: money(s.rebates_minor, s.currency),
  total: money(s.total_minor, s.currency),
  openedAt: s.opened_at,
  closedAt: s.closed_at,
  closedBy: s.closed_by,
  approvedAt: s.approved_at,
  approvedBy: s.approved_by,
  paidAt: s.paid_at,
  paymentReference: s.payment_reference,
  payer: s.payer,
});

const statements = (db: Kysely<ReadModels>) =>
  db
    .selectFrom('settlement_statements')
    .leftJoin('partners', 'partners.partner_id', 'settlement_statements.partner_id')
    .selectAll('settlement_statements')
    .select('partners.name as partner_name');

/** Statements, newest period first, filtered, in pages. */
export const listStatements = async (
  db: Kysely<ReadModels>,
  filter: StatementListFilter = {},
): Promise<{ items: StatementSummary[]; nextCursor: string | null }> => {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  let q = statements(db);
  if (filter.partnerId !== undefined) q = q.where('settlement_statements.partner_id', '=', filter.partnerId);
  if (filter.status) q = q.where('settlement_statements.status', '=', filter.status);
  if (filter.period) q = q.where('settlement_statements.period', '=', filter.period);
  if (filter.cursor) {
    const [period, id] = decodeCursor(filter.cursor, 2) as [string, string];
    q = q.where(sql<boolean>`(settlement_statements.period, settlement_statements.statement_id) < (${period}, ${id})`);
  }
  const rows = await q
    .orderBy('settlement_statements.period', 'desc')
    .orderBy('settlement_statements.statement_id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(statementSummary), nextCursor: rows.length > limit && last ? encodeCursor([last.period, last.statement_id]) : null };
};

/** One dealer's statement for a period, with its lines and how they reconcile to the invoices. */
export const getStatement = async (
  db: Kysely<ReadModels>,
  partnerId: string,
  period: string,
  scope: { partnerId?: string | undefined } = {},
): Promise<StatementDetail | undefined> => {
  if (scope.partnerId !== undefined && scope.partnerId !== partnerId) return undefined;
  const s = await statements(db).where('settlement_statements.statement_id', '=', `${partnerId}.${period}`).executeTakeFirst();
  if (!s) return undefined;
  const lines = await db.selectFrom('settlement_lines').selectAll().where('statement_id', '=', s.statement_id).orderBy('seq').execute();
  const revenue = lines.filter((l) => l.kind === 'revenue_share');
  const of = (prefix: string) => revenue.filter((l) => l.line_id.startsWith(`rev:${l.order_id}:${prefix}:`));
  const invoices = of('invoice');
  const sumOf = (ls: readonly SettlementLinesTable[], f: (l: SettlementLinesTable) => number) => ls.reduce((a, l) => a + BigInt(f(l)), 0n);
  let perOrders = 0n;
  if (invoices.length > 0) {
    const billed = await db
      .selectFrom('orders')
      .select(sql<string>`coalesce(sum(invoiced_minor), 0)::text`.as('total'))
      .where('partner_id', '=', partnerId)
      .where(
        'invoice_id',
        'in',
        invoices.map((l) => l.reference),
      )
      .executeTakeFirstOrThrow();
    perOrders = BigInt(billed.total);
  }
  const onStatement = sumOf(invoices, (l) => Number(l.base_minor));
  const linesTotal = sumOf(lines, (l) => Number(l.amount_minor));
  return {
    ...statementSummary(s),
    lines: lines.map((l) => ({
      lineId: l.line_id,
      seq: l.seq,
      kind: l.kind,
      agreementId: l.agreement_id,
      agreementVersion: l.agreement_version,
      orderId: l.order_id,
      reference: l.reference,
      date: l.date,
      description: l.description,
      base: money(l.base_minor, s.currency),
      amount: money(l.amount_minor, s.currency),
      volume: money(l.volume_minor, s.currency),
      correction: l.correction,
    })),
    reconciliation: {
      invoices: { count: invoices.length, onStatement: money(onStatement, s.currency), perOrders: money(perOrders, s.currency) },
      creditNotes: {
        count: of('credit_note').length,
        amount: money(
          sumOf(of('credit_note'), (l) => Number(l.base_minor)),
          s.currency,
        ),
      },
      payments: {
        count: of('payment').length,
        amount: money(
          sumOf(of('payment'), (l) => Number(l.base_minor)),
          s.currency,
        ),
      },
      linesTotal: money(linesTotal, s.currency),
      reconciled: onStatement === perOrders && linesTotal === BigInt(Number(s.total_minor)),
    },
  };
};

// Rebate progress

export interface RebateProgressView extends RebateProgress {
  readonly agreementId: string;
  readonly agreementVersion: number;
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly period: string;
  readonly statementStatus: SettlementStatementsTable['status'] | null;
}

/**
 * For each agreement in force, where its dealer stands in the settlement period containing `asOf`: the volume so far,
 * the band reached, the rebate earned, and the way to the next band.
 */
export const rebateProgressByAgreement = async (
  db: Kysely<ReadModels>,
  filter: { partnerId?: string | undefined; asOf: string },
): Promise<RebateProgressView[]> => {
  let q = db
    .selectFrom('agreements')
    .leftJoin('partners', 'partners.partner_id', 'agreements.partner_id')
    .select(['agreements.agreement_id', 'agreements.partner_id', 'agreements.settlement_period', 'agreements.currency', 'partners.name as partner_name'])
    .where('agreements.status', '=', 'active');
  if (filter.partnerId !== undefined) q = q.where('agreements.partner_id', '=', filter.partnerId);
  const agreements = await q.orderBy('agreements.partner_id').orderBy('agreements.agreement_id').execute();
  const out: RebateProgressView[] = [];
  for (const a of agreements) {
    const period = periodOf(filter.asOf, a.settlement_period as SettlementCadence);
    const statementId = `${a.partner_id}.${period}`;
    const [statement, volume, version] = await Promise.all([
      db.selectFrom('settlement_statements').select('status').where('statement_id', '=', statementId).executeTakeFirst(),
      db
        .selectFrom('settlement_lines')
        .select(sql<string>`coalesce(sum(volume_minor), 0)::text`.as('volume'))
        .where('statement_id', '=', statementId)
        .where('agreement_id', '=', a.agreement_id)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('agreement_versions')
        .select(['version', 'terms'])
        .where('agreement_id', '=', a.agreement_id)
        .where('effective_from', '<=', periodEnd(period))
        .orderBy('version', 'desc')
        .executeTakeFirst(),
    ]);
    if (!version) continue;
    const terms = version.terms as AgreementTerms;
    out.push({
      agreementId: a.agreement_id,
      agreementVersion: version.version,
      partnerId: a.partner_id,
      partnerName: a.partner_name,
      period,
      statementStatus: statement?.status ?? null,
      ...rebateProgress(money(BigInt(volume.volume), a.currency), terms.rebate),
    });
  }
  return out;
};
