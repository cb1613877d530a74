/**
 * Read-model tables of agreements, automated order review, credit exposure, revenue splits and settlements. Part of
 * `ReadModels` (see `schema.ts`). Money is integer minor units (`*_minor`) in the row's `currency`; dates are ISO text.
 */

/** The agreement registry: one row per agreement with its current version's headline terms. */
export interface AgreementsTable {
  agreement_id: string;
  partner_id: string;
  title: string;
  status: 'draft' | 'proposed' | 'signed' | 'active' | 'expired' | 'terminated';
  current_version: number;
  /** When version 1 takes effect. */
  effective_from: string;
  /** When the current version took (or takes) effect. */
  current_effective_from: string;
  expires_on: string;
  signed_by_manufacturer: string | null;
  signed_by_dealer: string | null;
  activated_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  currency: string;
  categories: unknown;
  regions: unknown;
  exclusive: boolean;
  pricing_tier: string;
  settlement_basis: string;
  settlement_period: string;
  rebate_basis: string;
  breach_count: number;
  penalties_minor: number;
  marketing_spend_minor: number;
  drafted_at: string;
  updated_at: string;
  version: number;
}

/** Every version of every agreement, with the dates it governs; earlier versions stay readable. */
export interface AgreementVersionsTable {
  agreement_id: string;
  version: number;
  effective_from: string;
  effective_until: string;
  terms: unknown;
  reason: string | null;
  recorded_at: string;
}

export interface AgreementBreachesTable {
  agreement_id: string;
  breach_id: string;
  partner_id: string;
  clause_id: string;
  version: number;
  breaching_party: string;
  description: string;
  occurred_on: string;
  penalty_minor: number;
  currency: string;
  recorded_at: string;
}

/** Automated review of every order: its outcome, and for queued orders every reason, until a person decides. */
export interface OrderReviewsTable {
  order_id: string;
  partner_id: string;
  region: string;
  placed_at: string;
  total_minor: number;
  currency: string;
  /** `pending` (not reviewed yet), `queued` (waiting for a person), `approved`, `rejected`, `cancelled`. */
  status: 'pending' | 'queued' | 'approved' | 'rejected' | 'cancelled';
  /** True when approved by automated review. */
  automatic: boolean;
  reasons: unknown;
  queued_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
}

export interface CreditExposureTable {
  partner_id: string;
  currency: string;
  exposure_minor: number;
  /** The credit limit as of the last reservation. */
  limit_minor: number;
  orders_holding: number;
  updated_at: string;
}

export interface CreditReservationsTable {
  partner_id: string;
  order_id: string;
  reserved_minor: number;
  over_limit: boolean;
  updated_at: string;
}

/** The split ledger: one line per party per split (revenue) or per shared cost (joint marketing). */
export interface RevenueSplitLinesTable {
  split_id: string;
  party_id: string;
  role: string;
  kind: 'revenue' | 'joint_marketing';
  partner_id: string;
  agreement_id: string;
  agreement_version: number;
  order_id: string | null;
  source_kind: string;
  source_id: string;
  date: string;
  share_bps: number;
  /** The order's revenue change (or the spend) that was split. */
  base_minor: number;
  /** This party's part: revenue earned (negative for a credit note), or the cost it bears (negative). */
  amount_minor: number;
  currency: string;
  position: string;
}

export interface SettlementStatementsTable {
  statement_id: string;
  partner_id: string;
  period: string;
  status: 'open' | 'closed' | 'approved' | 'paid';
  currency: string;
  line_count: number;
  volume_minor: number;
  revenue_share_minor: number;
  joint_marketing_minor: number;
  penalties_minor: number;
  rebates_minor: number;
  total_minor: number;
  opened_at: string;
  closed_at: string | null;
  /** Actor ids: who closed the statement, and who approved it (never the same person). */
  closed_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  paid_at: string | null;
  payment_reference: string | null;
  payer: string | null;
  updated_at: string;
}

export interface SettlementLinesTable {
  statement_id: string;
  line_id: string;
  seq: number;
  partner_id: string;
  period: string;
  kind: 'revenue_share' | 'joint_marketing' | 'penalty' | 'rebate';
  agreement_id: string;
  agreement_version: number;
  order_id: string | null;
  reference: string;
  date: string;
  description: string;
  base_minor: number;
  amount_minor: number;
  volume_minor: number;
  correction: boolean;
}
