import type { Recommendation } from '../performance/recommend';
import type { Money } from '../shared/money';
import type { ImprovementAction } from './commands';
import type { EvaluationEvent, ScorecardRecordedData } from './events';

export const evaluationId = (partnerId: string, period: string): string => `${partnerId}.${period}`;
export const evaluationStream = (partnerId: string, period: string): string => `evaluation-${evaluationId(partnerId, period)}`;

export interface ReviewState {
  readonly status: 'open' | 'completed';
  readonly reviewer?: string;
  readonly assessed: boolean;
  readonly recommendation?: Recommendation;
  readonly decision?: 'accepted' | 'rejected';
  readonly actions: ReadonlyMap<string, ImprovementAction>;
  /** Actions that came from the review before, and those of them updated here since. */
  readonly carried: ReadonlySet<string>;
  readonly followedUp: ReadonlySet<string>;
  /** Actions moved on to the next review, with its period. */
  readonly handedOver: ReadonlyMap<string, string>;
  readonly meetingIds: ReadonlySet<string>;
  readonly feedbackIds: ReadonlySet<string>;
}

/**
 * A dealer's evaluation for one period (`evaluation-<partnerId>.<period>`): the order plan it filed beforehand, then, once
 * the period is closed, its scorecard and the review around it.
 */
export type EvaluationState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly partnerId: string;
      readonly period: string;
      readonly plan?: { readonly planned: Money; readonly filedAt: string };
      readonly scorecard?: ScorecardRecordedData;
      readonly review?: ReviewState;
    };

export const initialEvaluationState: EvaluationState = { exists: false };

const withReview = (state: EvaluationState, change: (review: ReviewState) => Partial<ReviewState>): EvaluationState =>
  state.exists && state.review ? { ...state, review: { ...state.review, ...change(state.review) } } : state;

const setAction = (review: ReviewState, action: ImprovementAction) => ({ actions: new Map(review.actions).set(action.actionId, action) });

export const evolveEvaluation = (state: EvaluationState, event: EvaluationEvent): EvaluationState => {
  const base = state.exists ? state : { exists: true as const, partnerId: event.data.partnerId, period: event.data.period };
  switch (event.type) {
    case 'OrderPlanFiled':
      return { ...base, plan: { planned: event.data.planned, filedAt: event.data.filedAt } };
    case 'ScorecardRecorded':
      return { ...base, scorecard: event.data };
    case 'PerformanceReviewOpened': {
      const d = event.data;
      return {
        ...base,
        review: {
          status: 'open',
          ...(d.reviewer !== undefined ? { reviewer: d.reviewer } : {}),
          assessed: false,
          ...(d.recommendation ? { recommendation: d.recommendation } : {}),
          actions: new Map(d.carriedActions.map((a) => [a.actionId, a])),
          carried: new Set(d.carriedActions.map((a) => a.actionId)),
          followedUp: new Set(),
          handedOver: new Map(),
          meetingIds: new Set(),
          feedbackIds: new Set(),
        },
      };
    }
    case 'ReviewerAssigned':
      return withReview(state, () => ({ reviewer: event.data.reviewer }));
    case 'ReviewAssessed':
      return withReview(state, () => ({ assessed: true }));
    case 'DealerFeedbackSubmitted':
      return withReview(state, (r) => ({ feedbackIds: new Set(r.feedbackIds).add(event.data.feedbackId) }));
    case 'ReviewMeetingRecorded':
      return withReview(state, (r) => ({ meetingIds: new Set(r.meetingIds).add(event.data.meetingId) }));
    case 'ImprovementActionAdded': {
      const d = event.data;
      const action: ImprovementAction = {
        actionId: d.actionId,
        title: d.title,
        ...(d.description !== undefined ? { description: d.description } : {}),
        owner: d.owner,
        dueOn: d.dueOn,
        status: 'open',
        originPeriod: d.period,
      };
      return withReview(state, (r) => setAction(r, action));
    }
    case 'ImprovementActionUpdated':
      return withReview(state, (r) => {
        const action = r.actions.get(event.data.actionId);
        if (!action) return {};
        return {
          ...setAction(r, { ...action, status: event.data.status }),
          followedUp: r.carried.has(action.actionId) ? new Set(r.followedUp).add(action.actionId) : r.followedUp,
        };
      });
    case 'RecommendationAccepted':
      return withReview(state, () => ({ decision: 'accepted' }));
    case 'RecommendationRejected':
      return withReview(state, () => ({ decision: 'rejected' }));
    case 'PerformanceReviewCompleted':
      return withReview(state, () => ({ status: 'completed' }));
    case 'ImprovementActionsHandedOver':
      return withReview(state, (r) => {
        const handedOver = new Map(r.handedOver);
        for (const id of event.data.actionIds) handedOver.set(id, event.data.toPeriod);
        return { handedOver };
      });
  }
};

/** The review's actions still to be done (neither done nor dropped) and not yet handed over: what the next review follows up. */
export const openActions = (review: ReviewState): ImprovementAction[] =>
  [...review.actions.values()].filter((a) => (a.status === 'open' || a.status === 'in_progress') && !review.handedOver.has(a.actionId));
