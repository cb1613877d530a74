import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORECARD_TEMPLATE } from '../performance/scorecard';
import { fold } from '../shared/decider';
import type { Actor } from '../shared/ids';
import { money } from '../shared/money';
import { given } from '../testing';
import type { EvaluationCommand, ImprovementAction, RecordScorecard } from './commands';
import type { EvaluationEvent } from './events';
import { evaluationDecider } from './index';
import { openActions } from './state';

const key = { partnerId: 'acme', period: '2026-03' };
const anna: Actor = { id: 'anna.sales', role: 'sales' };
const felix: Actor = { id: 'felix.finance', role: 'finance' };
const acme: Actor = { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' };
const other: Actor = { id: 'zeta.buyer', role: 'dealer', partnerId: 'zeta' };
const at = '2026-04-05T09:00:00Z';
const givenEvaluation = given(evaluationDecider);

const carried: ImprovementAction = {
  actionId: 'A-1',
  title: 'Pay the overdue invoices',
  owner: { name: 'Acme finance', party: 'dealer' },
  dueOn: '2026-03-20',
  status: 'open',
  originPeriod: '2026-02',
};

const record = (overrides: Partial<RecordScorecard['data']> = {}): EvaluationCommand => ({
  type: 'RecordScorecard',
  data: {
    ...key,
    region: 'north',
    tier: 'silver',
    currency: 'EUR',
    agreement: { agreementId: 'AGR-1', version: 2 },
    goals: [{ kpi: 'sales_value', target: money(2_000_000, 'EUR') }],
    template: { version: 0, template: DEFAULT_SCORECARD_TEMPLATE },
    ladder: ['standard', 'silver', 'gold'],
    measurements: [
      { kpi: 'sales_value', value: 2_400_000 },
      { kpi: 'breaches', value: 0 },
    ],
    cutoffPosition: '1234',
    previous: { period: '2026-02', grade: 'A', reviewer: 'anna.sales', openActions: [carried] },
    recordedAt: '2026-04-03T08:00:00Z',
    ...overrides,
  },
});

/** The scorecard and opened review `record()` yields. */
const opened = (): EvaluationEvent[] => {
  const r = evaluationDecider.decide(record(), evaluationDecider.initialState);
  if (r._tag === 'Left') throw new Error(r.left.message);
  return [...r.right];
};
const assessed: EvaluationEvent = { type: 'ReviewAssessed', data: { ...key, summary: 'Strong quarter', by: anna, assessedAt: at } };
const followedUp: EvaluationEvent = {
  type: 'ImprovementActionUpdated',
  data: { ...key, actionId: 'A-1', from: 'open', status: 'done', note: 'Paid on 28 March', by: acme, updatedAt: at },
};
const accepted: EvaluationEvent = {
  type: 'RecommendationAccepted',
  data: { ...key, recommendation: { kind: 'promote', fromTier: 'silver', toTier: 'gold', reason: 'x' }, by: anna, decidedAt: at },
};

describe('recording a scorecard', () => {
  it('scores the period and opens its review with the recommendation, the reviewer before, and the open actions carried over', () => {
    const [scorecard, review] = opened();
    expect(scorecard).toMatchObject({
      type: 'ScorecardRecorded',
      data: {
        ...key,
        agreementId: 'AGR-1',
        agreementVersion: 2,
        templateVersion: 0,
        templateName: 'Standard dealer scorecard',
        cutoffPosition: '1234',
        goals: [{ kpi: 'sales_value', target: 2_000_000, actual: 2_400_000, attainmentBps: 12_000 }],
        scoreBps: 10_000,
        grade: 'A',
      },
    });
    expect(review).toEqual({
      type: 'PerformanceReviewOpened',
      data: {
        ...key,
        reviewer: 'anna.sales',
        recommendation: { kind: 'promote', fromTier: 'silver', toTier: 'gold', reason: 'Promote from silver to gold: grade A in 2026-03 after A in 2026-02.' },
        previous: { period: '2026-02', grade: 'A' },
        carriedActions: [{ ...carried, carriedFrom: '2026-02' }],
        openedAt: '2026-04-03T08:00:00Z',
      },
    });
  });

  it('records it once, and only after the period', () => {
    givenEvaluation(...opened())
      .when(record())
      .thenRefuses('SCORECARD_ALREADY_RECORDED');
    givenEvaluation()
      .when(record({ recordedAt: '2026-03-31T23:00:00Z' }))
      .thenRefuses('PERIOD_NOT_ENDED');
  });
});

describe('the order plan', () => {
  const plan = (by: Actor, filedAt = '2026-02-25T10:00:00Z'): EvaluationCommand => ({
    type: 'FileOrderPlan',
    data: { ...key, planned: money(2_000_000, 'EUR'), by, filedAt },
  });
  it('is filed by the dealer (or staff) before the period starts, and may be filed again until then', () => {
    givenEvaluation()
      .when(plan(acme))
      .then({ type: 'OrderPlanFiled', data: { ...key, planned: money(2_000_000, 'EUR'), by: acme, filedAt: '2026-02-25T10:00:00Z' } });
    givenEvaluation().when(plan(acme, '2026-03-01T00:00:00Z')).thenRefuses('PLAN_TOO_LATE');
    givenEvaluation().when(plan(other)).thenRefuses('NOT_YOUR_PLAN');
    expect(fold(evaluationDecider, [{ type: 'OrderPlanFiled', data: { ...key, planned: money(1, 'EUR'), by: anna, filedAt: at } }])).toMatchObject({
      exists: true,
      plan: { planned: money(1, 'EUR') },
    });
  });
});

describe('the review', () => {
  it('takes the manufacturer’s assessment, meetings and actions from staff only', () => {
    givenEvaluation(...opened())
      .when({ type: 'RecordAssessment', data: { ...key, summary: 'Strong quarter', by: anna, assessedAt: at } })
      .then(assessed);
    givenEvaluation(...opened())
      .when({ type: 'RecordAssessment', data: { ...key, summary: 'We did great', by: acme, assessedAt: at } })
      .thenRefuses('STAFF_ONLY');
    givenEvaluation()
      .when({ type: 'RecordAssessment', data: { ...key, summary: 'x', by: anna, assessedAt: at } })
      .thenRefuses('REVIEW_NOT_FOUND');
    const meeting = (heldOn: string): EvaluationCommand => ({
      type: 'RecordReviewMeeting',
      data: { ...key, meetingId: 'M-1', heldOn, attendees: ['Anna (sales)', 'Acme MD'], minutes: 'Discussed', by: anna, recordedAt: at },
    });
    givenEvaluation(...opened())
      .when(meeting('2026-04-04'))
      .then({
        type: 'ReviewMeetingRecorded',
        data: { ...key, meetingId: 'M-1', heldOn: '2026-04-04', attendees: ['Anna (sales)', 'Acme MD'], minutes: 'Discussed', by: anna, recordedAt: at },
      });
    givenEvaluation(...opened())
      .when(meeting('2026-04-06'))
      .thenRefuses('MEETING_IN_FUTURE');
  });

  it('takes the dealer’s feedback from the dealer itself, and nobody else', () => {
    const feedback = (by: Actor): EvaluationCommand => ({
      type: 'SubmitDealerFeedback',
      data: { ...key, feedbackId: 'F-1', text: 'Deliveries were late', by, submittedAt: at },
    });
    givenEvaluation(...opened())
      .when(feedback(acme))
      .then({ type: 'DealerFeedbackSubmitted', data: { ...key, feedbackId: 'F-1', text: 'Deliveries were late', by: acme, submittedAt: at } });
    givenEvaluation(...opened())
      .when(feedback(other))
      .thenRefuses('FEEDBACK_NOT_FROM_DEALER');
    givenEvaluation(...opened())
      .when(feedback(anna))
      .thenRefuses('FEEDBACK_NOT_FROM_DEALER');
  });

  it('tracks improvement actions: due from today on, updated by staff or by the dealer when it owns them, final once done', () => {
    const add = (dueOn: string): EvaluationCommand => ({
      type: 'AddImprovementAction',
      data: { ...key, actionId: 'A-2', title: 'Train the new sales rep', owner: { name: 'Anna', party: 'manufacturer' }, dueOn, by: anna, addedAt: at },
    });
    givenEvaluation(...opened())
      .when(add('2026-04-04'))
      .thenRefuses('DUE_DATE_IN_PAST');
    const added: EvaluationEvent = {
      type: 'ImprovementActionAdded',
      data: {
        ...key,
        actionId: 'A-2',
        title: 'Train the new sales rep',
        owner: { name: 'Anna', party: 'manufacturer' },
        dueOn: '2026-04-30',
        by: anna,
        addedAt: at,
      },
    };
    givenEvaluation(...opened())
      .when(add('2026-04-30'))
      .then(added);
    const update = (actionId: string, by: Actor): EvaluationCommand => ({
      type: 'UpdateImprovementAction',
      data: { ...key, actionId, status: 'in_progress', note: 'Started', by, updatedAt: at },
    });
    givenEvaluation(...opened(), added)
      .when(update('A-2', acme))
      .thenRefuses('ACTION_NOT_YOURS');
    givenEvaluation(...opened(), added)
      .when(update('A-2', felix))
      .then({
        type: 'ImprovementActionUpdated',
        data: { ...key, actionId: 'A-2', from: 'open', status: 'in_progress', note: 'Started', by: felix, updatedAt: at },
      });
    givenEvaluation(...opened())
      .when(update('A-1', acme))
      .then({
        type: 'ImprovementActionUpdated',
        data: { ...key, actionId: 'A-1', from: 'open', status: 'in_progress', note: 'Started', by: acme, updatedAt: at },
      });
    givenEvaluation(...opened(), followedUp)
      .when(update('A-1', anna))
      .thenRefuses('ACTION_CLOSED');
    givenEvaluation(...opened())
      .when(update('A-9', anna))
      .thenRefuses('ACTION_NOT_FOUND');
  });

  it('hands its open actions over to the next review, after which they are updated there', () => {
    const handOver: EvaluationCommand = { type: 'HandOverActions', data: { ...key, toPeriod: '2026-04', actionIds: ['A-1'], handedOverAt: at } };
    const handedOver: EvaluationEvent = { type: 'ImprovementActionsHandedOver', data: { ...key, toPeriod: '2026-04', actionIds: ['A-1'], handedOverAt: at } };
    givenEvaluation(...opened())
      .when(handOver)
      .then(handedOver);
    givenEvaluation(...opened(), handedOver)
      .when(handOver)
      .then();
    givenEvaluation(...opened(), handedOver)
      .when({ type: 'UpdateImprovementAction', data: { ...key, actionId: 'A-1', status: 'done', note: 'x', by: anna, updatedAt: at } })
      .thenRefuses('ACTION_HANDED_OVER');
    const state = fold(evaluationDecider, [...opened(), handedOver]);
    expect(state.exists && state.review ? openActions(state.review) : 'none').toEqual([]);
  });

  it('decides the recommendation once: accepted, or rejected with a reason', () => {
    const decide = (decision: 'accept' | 'reject', note?: string): EvaluationCommand => ({
      type: 'DecideRecommendation',
      data: { ...key, decision, ...(note ? { note } : {}), by: anna, decidedAt: at },
    });
    const recommendation = {
      kind: 'promote' as const,
      fromTier: 'silver',
      toTier: 'gold',
      reason: 'Promote from silver to gold: grade A in 2026-03 after A in 2026-02.',
    };
    givenEvaluation(...opened())
      .when(decide('accept'))
      .then({ type: 'RecommendationAccepted', data: { ...key, recommendation, by: anna, decidedAt: at } });
    givenEvaluation(...opened())
      .when(decide('reject'))
      .thenRefuses('REASON_REQUIRED');
    givenEvaluation(...opened())
      .when(decide('reject', 'Wait for the new warehouse'))
      .then({ type: 'RecommendationRejected', data: { ...key, recommendation, reason: 'Wait for the new warehouse', by: anna, decidedAt: at } });
    givenEvaluation(...opened(), accepted)
      .when(decide('accept'))
      .thenRefuses('RECOMMENDATION_ALREADY_DECIDED');
  });

  it('completes only with an assessment, a decided recommendation and every carried action followed up; then it stays as it is', () => {
    const complete: EvaluationCommand = { type: 'CompleteReview', data: { ...key, by: anna, completedAt: at } };
    givenEvaluation(...opened())
      .when(complete)
      .thenRefuses('ASSESSMENT_MISSING');
    givenEvaluation(...opened(), assessed)
      .when(complete)
      .thenRefuses('RECOMMENDATION_PENDING');
    const error = givenEvaluation(...opened(), assessed, accepted)
      .when(complete)
      .thenRefuses('FOLLOW_UP_MISSING');
    expect(error.details).toEqual({ actionIds: ['A-1'] });
    const completed: EvaluationEvent = { type: 'PerformanceReviewCompleted', data: { ...key, by: anna, completedAt: at } };
    givenEvaluation(...opened(), assessed, accepted, followedUp)
      .when(complete)
      .then(completed);
    givenEvaluation(...opened(), assessed, accepted, followedUp, completed)
      .when({ type: 'SubmitDealerFeedback', data: { ...key, feedbackId: 'F-9', text: 'late', by: acme, submittedAt: at } })
      .thenRefuses('REVIEW_COMPLETED');
  });
});
