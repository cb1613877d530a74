import { z } from 'zod';
import { KpiId, Measurement } from '../performance/kpis';
import { Recommendation } from '../performance/recommend';
import { Grade } from '../performance/scorecard';
import { PeriodId } from '../settlements/periods';
import { Actor, Id, IsoDate, IsoDateTime } from '../shared/ids';
import { Money } from '../shared/money';
import { ActionOwner, ActionStatus, ImprovementAction } from './commands';

const Key = { partnerId: Id, period: PeriodId };

export const OrderPlanFiled = z.object({
  type: z.literal('OrderPlanFiled'),
  data: z.object({ ...Key, planned: Money, note: z.string().optional(), by: Actor, filedAt: IsoDateTime }),
});

export const ScoredGoalView = z.object({
  kpi: KpiId,
  category: z.string().optional(),
  target: z.number(),
  actual: z.number().nullable(),
  attainmentBps: z.number().int().nullable(),
});

export const ScoredCriterionView = z.object({
  criterionId: Id,
  kpi: KpiId,
  category: z.string().optional(),
  weightBps: z.number().int(),
  scoring: z.enum(['goal', 'norm']),
  target: z.number().nullable(),
  floor: z.number().nullable(),
  actual: z.number().nullable(),
  scoreBps: z.number().int().nullable(),
  note: z.string().optional(),
});

/**
 * A dealer's scorecard for a closed period: every KPI measured from the facts recorded before `cutoffPosition` (the
 * position of the event that closed the period), each goal's attainment, each criterion's score, the weighted score and
 * the grade. `dms performance verify` recomputes it from the events.
 */
export const ScorecardRecorded = z.object({
  type: z.literal('ScorecardRecorded'),
  data: z.object({
    ...Key,
    region: z.string(),
    tier: z.string(),
    currency: z.string(),
    agreementId: Id.optional(),
    agreementVersion: z.number().int().optional(),
    templateTier: z.string().optional(),
    templateVersion: z.number().int(),
    templateName: z.string(),
    cutoffPosition: z.string(),
    measurements: z.array(Measurement),
    goals: z.array(ScoredGoalView),
    criteria: z.array(ScoredCriterionView),
    scoreBps: z.number().int().nullable(),
    grade: Grade.nullable(),
    recordedAt: IsoDateTime,
  }),
});

/** The review of the period opens with the scorecard: its recommendation, and the open actions of the review before. */
export const PerformanceReviewOpened = z.object({
  type: z.literal('PerformanceReviewOpened'),
  data: z.object({
    ...Key,
    reviewer: z.string().optional(),
    recommendation: Recommendation.optional(),
    previous: z.object({ period: PeriodId, grade: Grade.nullable() }).optional(),
    carriedActions: z.array(ImprovementAction),
    openedAt: IsoDateTime,
  }),
});

export const ReviewerAssigned = z.object({
  type: z.literal('ReviewerAssigned'),
  data: z.object({ ...Key, reviewer: z.string(), by: Actor, assignedAt: IsoDateTime }),
});

export const ReviewAssessed = z.object({
  type: z.literal('ReviewAssessed'),
  data: z.object({
    ...Key,
    summary: z.string(),
    strengths: z.string().optional(),
    improvements: z.string().optional(),
    by: Actor,
    assessedAt: IsoDateTime,
  }),
});

export const DealerFeedbackSubmitted = z.object({
  type: z.literal('DealerFeedbackSubmitted'),
  data: z.object({ ...Key, feedbackId: Id, text: z.string(), by: Actor, submittedAt: IsoDateTime }),
});

export const ReviewMeetingRecorded = z.object({
  type: z.literal('ReviewMeetingRecorded'),
  data: z.object({ ...Key, meetingId: Id, heldOn: IsoDate, attendees: z.array(z.string()), minutes: z.string(), by: Actor, recordedAt: IsoDateTime }),
});

export const ImprovementActionAdded = z.object({
  type: z.literal('ImprovementActionAdded'),
  data: z.object({
    ...Key,
    actionId: Id,
    title: z.string(),
    description: z.string().optional(),
    owner: ActionOwner,
    dueOn: IsoDate,
    by: Actor,
    addedAt: IsoDateTime,
  }),
});

export const ImprovementActionUpdated = z.object({
  type: z.literal('ImprovementActionUpdated'),
  data: z.object({ ...Key, actionId: Id, from: ActionStatus, status: ActionStatus, note: z.string(), by: Actor, updatedAt: IsoDateTime }),
});

export const RecommendationAccepted = z.object({
  type: z.literal('RecommendationAccepted'),
  data: z.object({ ...Key, recommendation: Recommendation, note: z.string().optional(), by: Actor, decidedAt: IsoDateTime }),
});

export const RecommendationRejected = z.object({
  type: z.literal('RecommendationRejected'),
  data: z.object({ ...Key, recommendation: Recommendation, reason: z.string(), by: Actor, decidedAt: IsoDateTime }),
});

export const PerformanceReviewCompleted = z.object({
  type: z.literal('PerformanceReviewCompleted'),
  data: z.object({ ...Key, by: Actor, completedAt: IsoDateTime }),
});

/** The review's open actions moved to the next review, where they are followed up; here they no longer change. */
export const ImprovementActionsHandedOver = z.object({
  type: z.literal('ImprovementActionsHandedOver'),
  data: z.object({ ...Key, toPeriod: PeriodId, actionIds: z.array(Id), handedOverAt: IsoDateTime }),
});

export const EvaluationEvent = z.discriminatedUnion('type', [
  OrderPlanFiled,
  ScorecardRecorded,
  PerformanceReviewOpened,
  ReviewerAssigned,
  ReviewAssessed,
  DealerFeedbackSubmitted,
  ReviewMeetingRecorded,
  ImprovementActionAdded,
  ImprovementActionUpdated,
  RecommendationAccepted,
  RecommendationRejected,
  PerformanceReviewCompleted,
  ImprovementActionsHandedOver,
]);
export type EvaluationEvent = z.infer<typeof EvaluationEvent>;
export type ScorecardRecordedData = z.infer<typeof ScorecardRecorded>['data'];
