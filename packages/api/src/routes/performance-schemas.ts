import { ActionOwner, ActionStatus, Grade, KpiId, RecommendationKind } from '@dms/domain';
import { z } from 'zod';
import { Money } from '../schemas';

const ScoredGoal = z.object({
  kpi: KpiId,
  category: z.string().optional(),
  target: z.number(),
  actual: z.number().nullable(),
  attainmentBps: z.number().int().nullable().describe('10000 = 100 % of the target reached'),
});

const ScoredCriterion = z.object({
  criterionId: z.string(),
  kpi: KpiId,
  category: z.string().optional(),
  weightBps: z.number().int(),
  scoring: z.enum(['goal', 'norm']),
  target: z.number().nullable(),
  floor: z.number().nullable(),
  actual: z.number().nullable(),
  scoreBps: z.number().int().nullable().describe('0..10000; null when it could not be scored (its weight went to the others)'),
  note: z.string().optional(),
});

export const ScorecardView = z
  .object({
    partnerId: z.string(),
    partnerName: z.string().nullable(),
    period: z.string(),
    region: z.string(),
    tier: z.string(),
    currency: z.string(),
    agreementId: z.string().nullable(),
    agreementVersion: z.number().int().nullable(),
    templateName: z.string(),
    templateVersion: z.number().int(),
    cutoffPosition: z.string().describe('The position of the event that closed the period: the scorecard counts what was recorded before it'),
    scoreBps: z.number().int().nullable(),
    grade: Grade.nullable(),
    salesAttainmentBps: z.number().int().nullable(),
    rankInRegion: z.number().int().nullable(),
    rankInTier: z.number().int().nullable(),
    measurements: z.array(z.object({ kpi: KpiId, category: z.string().optional(), value: z.number().nullable() })),
    goals: z.array(ScoredGoal),
    criteria: z.array(ScoredCriterion),
    recordedAt: z.string(),
  })
  .meta({ id: 'Scorecard' });

const ActorView = z.object({ id: z.string(), role: z.string(), partnerId: z.string().optional() });

export const ImprovementActionView = z
  .object({
    partnerId: z.string(),
    period: z.string(),
    actionId: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    owner: ActionOwner,
    dueOn: z.string(),
    status: ActionStatus,
    originPeriod: z.string(),
    carriedFrom: z.string().nullable(),
    handedOverTo: z.string().nullable().describe('The later review it moved on to, where it is followed up'),
    updates: z.array(z.object({ from: z.string(), status: z.string(), note: z.string(), by: z.string(), at: z.string() })),
  })
  .meta({ id: 'ImprovementAction' });

export const ReviewView = z
  .object({
    partnerId: z.string(),
    period: z.string(),
    status: z.enum(['open', 'completed']),
    reviewer: z.string().nullable(),
    recommendation: z.object({ kind: RecommendationKind, fromTier: z.string(), toTier: z.string().optional(), reason: z.string() }).nullable(),
    decision: z.object({ outcome: z.enum(['accepted', 'rejected']), note: z.string().nullable(), by: z.string(), at: z.string() }).nullable(),
    previous: z.object({ period: z.string(), grade: z.string().nullable() }).nullable(),
    assessment: z
      .object({ summary: z.string(), strengths: z.string().optional(), improvements: z.string().optional(), by: ActorView, assessedAt: z.string() })
      .nullable(),
    feedback: z.array(z.object({ feedbackId: z.string(), text: z.string(), by: ActorView, submittedAt: z.string() })),
    meetings: z.array(
      z.object({ meetingId: z.string(), heldOn: z.string(), attendees: z.array(z.string()), minutes: z.string(), by: ActorView, recordedAt: z.string() }),
    ),
    openedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'PerformanceReview' });

export const ReviewDetailView = ReviewView.extend({ scorecard: ScorecardView.nullable(), actions: z.array(ImprovementActionView) }).meta({
  id: 'PerformanceReviewDetail',
});

const CommissionTotals = z.object({ commission: Money, clawbacks: Money, total: Money });

export const CommissionStatementView = z
  .object({
    agentId: z.string(),
    period: z.string(),
    status: z.enum(['open', 'closed', 'approved', 'paid']),
    lineCount: z.number().int(),
    totals: CommissionTotals,
    closed: z.object({ at: z.string(), by: z.string() }).nullable(),
    approved: z.object({ at: z.string(), by: z.string() }).nullable(),
    paid: z.object({ at: z.string(), reference: z.string(), payer: z.enum(['manufacturer', 'agent']) }).nullable(),
  })
  .meta({ id: 'CommissionStatement' });

export const CommissionStatementDetailView = CommissionStatementView.extend({
  lines: z.array(
    z.object({
      lineId: z.string(),
      orderId: z.string(),
      partnerId: z.string(),
      agreementId: z.string(),
      agreementVersion: z.number().int(),
      source: z.object({ kind: z.enum(['invoice', 'payment', 'credit_note']), id: z.string() }),
      date: z.string(),
      description: z.string(),
      base: Money,
      shareBps: z.number().int(),
      amount: Money,
      correction: z.boolean(),
    }),
  ),
  reconciliation: z
    .object({ splits: Money, difference: Money, unmatched: z.number().int() })
    .describe('The statement against the agent’s lines in the split ledger: difference zero and nothing unmatched when they reconcile'),
}).meta({ id: 'CommissionStatementDetail' });
