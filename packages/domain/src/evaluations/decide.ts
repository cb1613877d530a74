import { type Either, right } from 'fp-ts/Either';
import { recommend } from '../performance/recommend';
import { computeScorecard } from '../performance/scorecard';
import { periodEnd, periodStart } from '../settlements/periods';
import { dateOf } from '../shared/calendar';
import { type DomainError, refuse } from '../shared/errors';
import type { Actor } from '../shared/ids';
import type { EvaluationCommand } from './commands';
import type { EvaluationEvent } from './events';
import type { EvaluationState, ReviewState } from './state';

type Decision = Either<DomainError, readonly EvaluationEvent[]>;
type Of<T extends EvaluationCommand['type']> = Extract<EvaluationCommand, { type: T }>['data'];
type Existing = Extract<EvaluationState, { exists: true }>;

const events = (...list: EvaluationEvent[]): Decision => right(list);
const name = (d: { partnerId: string; period: string }) => `the ${d.period} review of ${d.partnerId}`;

const staffOnly = (by: Actor, d: { partnerId: string; period: string }, what: string): Decision | undefined =>
  by.role === 'dealer' ? refuse('STAFF_ONLY', `Only the manufacturer's staff can ${what} on ${name(d)}.`, { role: by.role }) : undefined;

/** The review, open: or why a command cannot go on it. */
const openReview = (state: EvaluationState, d: { partnerId: string; period: string }): Either<DomainError, ReviewState> => {
  if (!state.exists || !state.review)
    return refuse('REVIEW_NOT_FOUND', `There is no ${d.period} review of ${d.partnerId}: a review opens when the period's settlement statement is closed.`, {
      partnerId: d.partnerId,
      period: d.period,
    });
  if (state.review.status === 'completed')
    return refuse('REVIEW_COMPLETED', `${name(d)} is completed; it no longer changes.`, { partnerId: d.partnerId, period: d.period });
  return right(state.review);
};

const filePlan = (state: EvaluationState, d: Of<'FileOrderPlan'>): Decision => {
  if (d.by.role === 'dealer' && d.by.partnerId !== d.partnerId)
    return refuse('NOT_YOUR_PLAN', `A dealer files plans for itself only, not for ${d.partnerId}.`, { partnerId: d.partnerId });
  const start = periodStart(d.period);
  if (dateOf(d.filedAt) >= start || (state.exists && state.scorecard))
    return refuse('PLAN_TOO_LATE', `A plan for ${d.period} must be filed before the period starts on ${start}.`, { period: d.period, periodStart: start });
  const { note, ...rest } = d;
  return events({ type: 'OrderPlanFiled', data: { ...rest, ...(note ? { note } : {}) } });
};

const recordScorecard = (state: EvaluationState, d: Of<'RecordScorecard'>): Decision => {
  if (state.exists && state.scorecard)
    return refuse('SCORECARD_ALREADY_RECORDED', `The ${d.period} scorecard of ${d.partnerId} is already recorded; it never changes.`, {
      partnerId: d.partnerId,
      period: d.period,
    });
  const end = periodEnd(d.period);
  if (dateOf(d.recordedAt) <= end)
    return refuse('PERIOD_NOT_ENDED', `The period ${d.period} runs until ${end}; its scorecard can be recorded from the day after.`, { period: d.period });
  const card = computeScorecard({ template: d.template.template, goals: d.goals, measurements: d.measurements, period: d.period });
  const previous = d.previous ? { period: d.previous.period, grade: d.previous.grade } : undefined;
  const recommendation = recommend({ period: d.period, grade: card.grade, previous, tier: d.tier, ladder: d.ladder });
  const key = { partnerId: d.partnerId, period: d.period };
  return events(
    {
      type: 'ScorecardRecorded',
      data: {
        ...key,
        region: d.region,
        tier: d.tier,
        currency: d.currency,
        ...(d.agreement ? { agreementId: d.agreement.agreementId, agreementVersion: d.agreement.version } : {}),
        ...(d.template.tier !== undefined ? { templateTier: d.template.tier } : {}),
        templateVersion: d.template.version,
        templateName: d.template.template.name,
        cutoffPosition: d.cutoffPosition,
        measurements: d.measurements,
        goals: [...card.goals],
        criteria: [...card.criteria],
        scoreBps: card.scoreBps,
        grade: card.grade,
        recordedAt: d.recordedAt,
      },
    },
    {
      type: 'PerformanceReviewOpened',
      data: {
        ...key,
        ...(d.previous?.reviewer !== undefined ? { reviewer: d.previous.reviewer } : {}),
        ...(recommendation ? { recommendation } : {}),
        ...(previous ? { previous } : {}),
        carriedActions: (d.previous?.openActions ?? []).map((a) => ({ ...a, carriedFrom: d.previous!.period })),
        openedAt: d.recordedAt,
      },
    },
  );
};

const updateAction = (state: Existing, review: ReviewState, d: Of<'UpdateImprovementAction'>): Decision => {
  const action = review.actions.get(d.actionId);
  if (!action) return refuse('ACTION_NOT_FOUND', `${name(d)} has no action ${d.actionId}.`, { actionId: d.actionId });
  const movedTo = review.handedOver.get(d.actionId);
  if (movedTo)
    return refuse('ACTION_HANDED_OVER', `Action ${d.actionId} moved on to the ${movedTo} review; update it there.`, { actionId: d.actionId, period: movedTo });
  if (action.status === 'done' || action.status === 'dropped')
    return refuse('ACTION_CLOSED', `Action ${d.actionId} is ${action.status}; it no longer changes.`, { actionId: d.actionId, status: action.status });
  if (d.by.role === 'dealer' && (d.by.partnerId !== state.partnerId || action.owner.party !== 'dealer'))
    return refuse('ACTION_NOT_YOURS', `Action ${d.actionId} is the manufacturer's to update; a dealer updates the actions it owns.`, { actionId: d.actionId });
  return events({ type: 'ImprovementActionUpdated', data: { ...d, from: action.status } });
};

const decideRecommendation = (review: ReviewState, d: Of<'DecideRecommendation'>): Decision => {
  if (!review.recommendation) return refuse('NO_RECOMMENDATION', `${name(d)} has no recommendation to decide on.`, {});
  if (review.decision)
    return refuse('RECOMMENDATION_ALREADY_DECIDED', `The recommendation of ${name(d)} was already ${review.decision}.`, { decision: review.decision });
  const { decision, note, ...rest } = d;
  if (decision === 'accept')
    return events({ type: 'RecommendationAccepted', data: { ...rest, recommendation: review.recommendation, ...(note ? { note } : {}) } });
  if (!note) return refuse('REASON_REQUIRED', `Say why the recommendation of ${name(d)} is rejected.`, {});
  return events({ type: 'RecommendationRejected', data: { ...rest, recommendation: review.recommendation, reason: note } });
};

const complete = (review: ReviewState, d: Of<'CompleteReview'>): Decision => {
  if (!review.assessed) return refuse('ASSESSMENT_MISSING', `Record the assessment of ${name(d)} before completing it.`, {});
  if (review.recommendation && !review.decision)
    return refuse('RECOMMENDATION_PENDING', `Accept or reject the recommendation of ${name(d)} (${review.recommendation.kind}) before completing it.`, {
      recommendation: review.recommendation.kind,
    });
  const missing = [...review.carried].filter((id) => !review.followedUp.has(id));
  if (missing.length > 0)
    return refuse(
      'FOLLOW_UP_MISSING',
      `Follow up the actions carried from the review before (${missing.join(', ')}): update each before completing ${name(d)}.`,
      { actionIds: missing },
    );
  return events({ type: 'PerformanceReviewCompleted', data: d });
};

export const decideEvaluation = (command: EvaluationCommand, state: EvaluationState): Decision => {
  switch (command.type) {
    case 'FileOrderPlan':
      return filePlan(state, command.data);
    case 'RecordScorecard':
      return recordScorecard(state, command.data);
    case 'HandOverActions': {
      const d = command.data;
      if (!state.exists || !state.review) return refuse('REVIEW_NOT_FOUND', `There is no ${d.period} review of ${d.partnerId}.`, {});
      const moving = d.actionIds.filter((id) => state.review!.actions.has(id) && !state.review!.handedOver.has(id));
      return moving.length === 0 ? right([]) : events({ type: 'ImprovementActionsHandedOver', data: { ...d, actionIds: moving } });
    }
    case 'SubmitDealerFeedback': {
      const d = command.data;
      if (d.by.role !== 'dealer' || d.by.partnerId !== d.partnerId)
        return refuse('FEEDBACK_NOT_FROM_DEALER', `Feedback on ${name(d)} comes from ${d.partnerId} itself; staff record theirs in the assessment.`, {});
      const review = openReview(state, d);
      if (review._tag === 'Left') return review;
      if (review.right.feedbackIds.has(d.feedbackId)) return refuse('DUPLICATE_FEEDBACK', `Feedback ${d.feedbackId} is already on ${name(d)}.`, {});
      return events({ type: 'DealerFeedbackSubmitted', data: d });
    }
    case 'UpdateImprovementAction': {
      const d = command.data;
      if (!state.exists || !state.review) return openReview(state, d) as Decision;
      return updateAction(state, state.review, d);
    }
  }
  const d = command.data;
  const notStaff = staffOnly(d.by, d, 'do that');
  if (notStaff) return notStaff;
  const open = openReview(state, d);
  if (open._tag === 'Left') return open;
  const review = open.right;
  switch (command.type) {
    case 'AssignReviewer':
      return events({ type: 'ReviewerAssigned', data: command.data });
    case 'RecordAssessment': {
      const { strengths, improvements, ...rest } = command.data;
      return events({ type: 'ReviewAssessed', data: { ...rest, ...(strengths ? { strengths } : {}), ...(improvements ? { improvements } : {}) } });
    }
    case 'RecordReviewMeeting': {
      const m = command.data;
      if (review.meetingIds.has(m.meetingId)) return refuse('DUPLICATE_MEETING', `Meeting ${m.meetingId} is already on ${name(m)}.`, {});
      if (m.heldOn > dateOf(m.recordedAt))
        return refuse('MEETING_IN_FUTURE', `A meeting is recorded once held; ${m.heldOn} is after today (${dateOf(m.recordedAt)}).`, { heldOn: m.heldOn });
      return events({ type: 'ReviewMeetingRecorded', data: m });
    }
    case 'AddImprovementAction': {
      const a = command.data;
      if (review.actions.has(a.actionId)) return refuse('DUPLICATE_ACTION', `Action ${a.actionId} is already on ${name(a)}.`, { actionId: a.actionId });
      if (a.dueOn < dateOf(a.addedAt))
        return refuse('DUE_DATE_IN_PAST', `Action ${a.actionId} would be due on ${a.dueOn}, before today (${dateOf(a.addedAt)}).`, { dueOn: a.dueOn });
      const { description, ...rest } = a;
      return events({ type: 'ImprovementActionAdded', data: { ...rest, ...(description ? { description } : {}) } });
    }
    case 'DecideRecommendation':
      return decideRecommendation(review, command.data);
    case 'CompleteReview':
      return complete(review, command.data);
  }
};
