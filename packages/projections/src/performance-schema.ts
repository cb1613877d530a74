/**
 * Read-model tables of dealer performance and agent commissions. Part of `ReadModels` (see `schema.ts`). A scorecard row is
 * its `ScorecardRecorded` event; the JSON columns hold the event's lists as they are (measurements, goals, criteria).
 */

/** One row per dealer and closed period. Ranks are not stored: queries rank within region and tier as they read. */
export interface ScorecardsTable {
  partner_id: string;
  period: string;
  cadence: 'month' | 'quarter';
  region: string;
  tier: string;
  currency: string;
  agreement_id: string | null;
  agreement_version: number | null;
  template_name: string;
  template_version: number;
  cutoff_position: string;
  /** 0..10000, null when no criterion could be scored. */
  score_bps: number | null;
  grade: string | null;
  /** Attainment of the total sales goal (10000 = 100 %), null without one: what the attainment chart shows. */
  sales_attainment_bps: number | null;
  measurements: unknown;
  goals: unknown;
  criteria: unknown;
  recorded_at: string;
}

/** One row per review (dealer and period), with what the review page shows apart from its actions. */
export interface PerformanceReviewsTable {
  partner_id: string;
  period: string;
  status: 'open' | 'completed';
  reviewer: string | null;
  /** `{ kind, fromTier, toTier?, reason }` or null. */
  recommendation: unknown;
  decision: 'accepted' | 'rejected' | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  previous_period: string | null;
  previous_grade: string | null;
  /** `{ summary, strengths?, improvements?, by, assessedAt }` (the latest) or null. */
  assessment: unknown;
  /** `[{ feedbackId, text, by, submittedAt }]`. */
  feedback: unknown;
  /** `[{ meetingId, heldOn, attendees, minutes, by }]`. */
  meetings: unknown;
  opened_at: string;
  completed_at: string | null;
  updated_at: string;
}

/** Every improvement action on a review; an action carried to the next review gets a row there too. */
export interface ImprovementActionsTable {
  partner_id: string;
  /** The review holding this row. */
  period: string;
  action_id: string;
  title: string;
  description: string | null;
  owner_name: string;
  owner_party: 'dealer' | 'manufacturer';
  due_on: string;
  status: 'open' | 'in_progress' | 'done' | 'dropped';
  origin_period: string;
  carried_from: string | null;
  /** The review it moved on to; it is followed up there. */
  handed_over_to: string | null;
  /** `[{ from, status, note, by, at }]`. */
  updates: unknown;
  updated_at: string;
}

/** One row per sales agent and period: `open -> closed -> approved -> paid`, with running totals while open. */
export interface CommissionStatementsTable {
  agent_id: string;
  period: string;
  status: 'open' | 'closed' | 'approved' | 'paid';
  currency: string;
  line_count: number;
  commission_minor: number | string;
  clawbacks_minor: number | string;
  total_minor: number | string;
  opened_at: string;
  closed_at: string | null;
  closed_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  paid_at: string | null;
  payment_reference: string | null;
  payer: 'manufacturer' | 'agent' | null;
  updated_at: string;
}

/** Every line of a commission statement: the agent's share of one invoice, payment or credit note. */
export interface CommissionLinesTable {
  agent_id: string;
  period: string;
  line_id: string;
  seq: number;
  order_id: string;
  partner_id: string;
  agreement_id: string;
  agreement_version: number;
  source_kind: 'invoice' | 'payment' | 'credit_note';
  source_id: string;
  date: string;
  description: string;
  base_minor: number | string;
  share_bps: number;
  amount_minor: number | string;
  correction: boolean;
}
