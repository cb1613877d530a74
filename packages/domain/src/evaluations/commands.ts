import { z } from 'zod';
import { RegionId, TierId } from '../partners/commands';
import { Goal } from '../performance/goals';
import { Measurement } from '../performance/kpis';
import { Grade, ScorecardTemplate } from '../performance/scorecard';
import { PeriodId } from '../settlements/periods';
import { Actor, Id, IsoDate, IsoDateTime } from '../shared/ids';
import { Currency, PositiveMoney } from '../shared/money';
import { NonEmptyText, Text } from '../shared/text';

/** Every evaluation command names the dealer and the period: the stream `evaluation-<partnerId>.<period>`. */
const Key = { partnerId: Id, period: PeriodId };

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;
export const ActionStatus = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof ActionStatus>;

/** Who is to do it: a named person on the dealer's side or the manufacturer's. */
export const ActionOwner = z.strictObject({ name: NonEmptyText(120), party: z.enum(['dealer', 'manufacturer']) });
export type ActionOwner = z.infer<typeof ActionOwner>;

/** An improvement action as a review holds it. `originPeriod` is the review that agreed it; `carriedFrom` the one it came from. */
export const ImprovementAction = z.object({
  actionId: Id,
  title: z.string(),
  description: z.string().optional(),
  owner: ActionOwner,
  dueOn: IsoDate,
  status: ActionStatus,
  originPeriod: PeriodId,
  carriedFrom: PeriodId.optional(),
});
export type ImprovementAction = z.infer<typeof ImprovementAction>;

/** The dealer's own plan of what it will order in the period (its value), filed before the period starts. */
export const FileOrderPlan = z.strictObject({
  type: z.literal('FileOrderPlan'),
  data: z.strictObject({ ...Key, planned: PositiveMoney, note: Text(1000).optional(), by: Actor, filedAt: IsoDateTime }),
});

/**
 * Records the dealer's scorecard for a closed period and opens its review. Sent by the `RecordDealerScorecard` service,
 * which measures the facts recorded before the close (`cutoffPosition`) and gathers what was in force then: the dealer's
 * tier and region, the agreement's goals, the tier's template, the tier ladder, and the review before.
 */
export const RecordScorecard = z.strictObject({
  type: z.literal('RecordScorecard'),
  data: z.strictObject({
    ...Key,
    region: RegionId,
    tier: TierId,
    currency: Currency,
    agreement: z.strictObject({ agreementId: Id, version: z.number().int().min(1) }).optional(),
    goals: z.array(Goal).max(50),
    template: z.strictObject({ tier: TierId.optional(), version: z.number().int().min(0), template: ScorecardTemplate }),
    ladder: z.array(TierId).max(20),
    measurements: z.array(Measurement).max(200),
    cutoffPosition: z.string().regex(/^\d{1,20}$/),
    previous: z
      .strictObject({
        period: PeriodId,
        grade: Grade.nullable(),
        reviewer: z.string().optional(),
        /** Its actions not yet done or dropped: they move to this review, to be followed up here. */
        openActions: z.array(ImprovementAction).max(100),
      })
      .optional(),
    recordedAt: IsoDateTime,
  }),
});
export type RecordScorecard = z.infer<typeof RecordScorecard>;

export const AssignReviewer = z.strictObject({
  type: z.literal('AssignReviewer'),
  data: z.strictObject({ ...Key, reviewer: NonEmptyText(128), by: Actor, assignedAt: IsoDateTime }),
});

/** The manufacturer's assessment; recorded again, it replaces the earlier one (which stays in the history). */
export const RecordAssessment = z.strictObject({
  type: z.literal('RecordAssessment'),
  data: z.strictObject({
    ...Key,
    summary: NonEmptyText(4000),
    strengths: Text(4000).optional(),
    improvements: Text(4000).optional(),
    by: Actor,
    assessedAt: IsoDateTime,
  }),
});

/** The dealer's own word on its review: only the dealer itself gives it. */
export const SubmitDealerFeedback = z.strictObject({
  type: z.literal('SubmitDealerFeedback'),
  data: z.strictObject({ ...Key, feedbackId: Id, text: NonEmptyText(4000), by: Actor, submittedAt: IsoDateTime }),
});

export const RecordReviewMeeting = z.strictObject({
  type: z.literal('RecordReviewMeeting'),
  data: z.strictObject({
    ...Key,
    meetingId: Id,
    heldOn: IsoDate,
    attendees: z.array(NonEmptyText(120)).min(1).max(30),
    minutes: NonEmptyText(20_000),
    by: Actor,
    recordedAt: IsoDateTime,
  }),
});

export const AddImprovementAction = z.strictObject({
  type: z.literal('AddImprovementAction'),
  data: z.strictObject({
    ...Key,
    actionId: Id,
    title: NonEmptyText(200),
    description: Text(4000).optional(),
    owner: ActionOwner,
    dueOn: IsoDate,
    by: Actor,
    addedAt: IsoDateTime,
  }),
});

/** Moves an action on (or records progress on it, with the same status). A dealer may update the actions it owns. */
export const UpdateImprovementAction = z.strictObject({
  type: z.literal('UpdateImprovementAction'),
  data: z.strictObject({ ...Key, actionId: Id, status: ActionStatus, note: NonEmptyText(2000), by: Actor, updatedAt: IsoDateTime }),
});

/** Accepts or rejects the review's recommendation; a rejection says why. */
export const DecideRecommendation = z.strictObject({
  type: z.literal('DecideRecommendation'),
  data: z.strictObject({
    ...Key,
    decision: z.enum(['accept', 'reject']),
    note: Text(1000).optional(),
    by: Actor,
    decidedAt: IsoDateTime,
  }),
});

export const CompleteReview = z.strictObject({
  type: z.literal('CompleteReview'),
  data: z.strictObject({ ...Key, by: Actor, completedAt: IsoDateTime }),
});

/** Internal: the review's open actions moved to the next review (sent by `RecordDealerScorecard`). */
export const HandOverActions = z.strictObject({
  type: z.literal('HandOverActions'),
  data: z.strictObject({ ...Key, toPeriod: PeriodId, actionIds: z.array(Id).min(1).max(100), handedOverAt: IsoDateTime }),
});

export const EvaluationCommand = z.discriminatedUnion('type', [
  FileOrderPlan,
  RecordScorecard,
  AssignReviewer,
  RecordAssessment,
  SubmitDealerFeedback,
  RecordReviewMeeting,
  AddImprovementAction,
  UpdateImprovementAction,
  DecideRecommendation,
  CompleteReview,
  HandOverActions,
]);
export type EvaluationCommand = z.infer<typeof EvaluationCommand>;

/**
 * Intent, run by the command bus when a settlement statement closes (the `dealer_scorecard` policy): measures the dealer's
 * period from the facts recorded before the statement's closing event, and records its scorecard and opens its review.
 */
export const RecordDealerScorecard = z.strictObject({
  type: z.literal('RecordDealerScorecard'),
  data: z.strictObject({ ...Key, recordedAt: IsoDateTime }),
});
export type RecordDealerScorecard = z.infer<typeof RecordDealerScorecard>;
