import type { CommandBus } from '@dms/app';
import { cadenceOf, commissionLinesPolicy, dealerScorecardPolicy, type EvaluationEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { ImprovementActionsTable, PerformanceReviewsTable, ScorecardsTable } from './performance-schema';
import { policyReactor } from './policy-reactor';
import { type Projection, upsertRows } from './projection';
import type { Logger } from './runner';
import type { ReadModels } from './schema';

const key = (partnerId: string, period: string) => `${partnerId}.${period}`;
const actionKey = (partnerId: string, period: string, actionId: string) => `${partnerId}.${period}/${actionId}`;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The row a recorded scorecard is stored as. */
export const scorecardRow = (d: Extract<EvaluationEvent, { type: 'ScorecardRecorded' }>['data']): ScorecardsTable => ({
  partner_id: d.partnerId,
  period: d.period,
  cadence: cadenceOf(d.period),
  region: d.region,
  tier: d.tier,
  currency: d.currency,
  agreement_id: d.agreementId ?? null,
  agreement_version: d.agreementVersion ?? null,
  template_name: d.templateName,
  template_version: d.templateVersion,
  cutoff_position: d.cutoffPosition,
  score_bps: d.scoreBps,
  grade: d.grade,
  sales_attainment_bps: d.goals.find((g) => g.kpi === 'sales_value' && g.category === undefined)?.attainmentBps ?? null,
  measurements: d.measurements,
  goals: d.goals,
  criteria: d.criteria,
  recorded_at: d.recordedAt,
});

/**
 * `scorecards`, `performance_reviews`, `improvement_actions`: each dealer's scorecard per closed period, the review around
 * it (assessment, the dealer's feedback, meetings, the recommendation and its decision) and its improvement actions.
 */
export const performanceProjection: Projection = {
  name: 'performance',
  version: 1,
  eventTypes: [
    'ScorecardRecorded',
    'PerformanceReviewOpened',
    'ReviewerAssigned',
    'ReviewAssessed',
    'DealerFeedbackSubmitted',
    'ReviewMeetingRecorded',
    'ImprovementActionAdded',
    'ImprovementActionUpdated',
    'RecommendationAccepted',
    'RecommendationRejected',
    'PerformanceReviewCompleted',
    'ImprovementActionsHandedOver',
  ],
  tables: ['scorecards', 'performance_reviews', 'improvement_actions'],
  async createTables(db) {
    let t = db.schema.createTable('scorecards').ifNotExists();
    for (const col of ['partner_id', 'period', 'cadence', 'region', 'tier', 'currency', 'template_name', 'cutoff_position', 'recorded_at'])
      t = t.addColumn(col, 'text', (c) => c.notNull());
    t = t
      .addColumn('agreement_id', 'text')
      .addColumn('agreement_version', 'integer')
      .addColumn('template_version', 'integer', (c) => c.notNull())
      .addColumn('score_bps', 'integer')
      .addColumn('grade', 'text')
      .addColumn('sales_attainment_bps', 'integer');
    for (const col of ['measurements', 'goals', 'criteria']) t = t.addColumn(col, 'jsonb', (c) => c.notNull());
    await t.addPrimaryKeyConstraint('scorecards_pkey', ['partner_id', 'period'] as never).execute();

    let r = db.schema.createTable('performance_reviews').ifNotExists();
    for (const col of ['partner_id', 'period', 'status', 'opened_at', 'updated_at']) r = r.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['reviewer', 'decision', 'decision_note', 'decided_by', 'decided_at', 'previous_period', 'previous_grade', 'completed_at'])
      r = r.addColumn(col, 'text');
    r = r.addColumn('recommendation', 'jsonb').addColumn('assessment', 'jsonb');
    for (const col of ['feedback', 'meetings']) r = r.addColumn(col, 'jsonb', (c) => c.notNull());
    await r.addPrimaryKeyConstraint('performance_reviews_pkey', ['partner_id', 'period'] as never).execute();

    let a = db.schema.createTable('improvement_actions').ifNotExists();
    for (const col of ['partner_id', 'period', 'action_id', 'title', 'owner_name', 'owner_party', 'due_on', 'status', 'origin_period', 'updated_at'])
      a = a.addColumn(col, 'text', (c) => c.notNull());
    for (const col of ['description', 'carried_from', 'handed_over_to']) a = a.addColumn(col, 'text');
    a = a.addColumn('updates', 'jsonb', (c) => c.notNull());
    await a.addPrimaryKeyConstraint('improvement_actions_pkey', ['partner_id', 'period', 'action_id'] as never).execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('scorecards_period_idx').ifNotExists().on('scorecards').columns(['period', 'region', 'tier']).execute();
    await db.schema.createIndex('improvement_actions_due_idx').ifNotExists().on('improvement_actions').columns(['status', 'due_on']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    const keys = [...new Set(events.map((e) => e.streamId.slice('evaluation-'.length)))];
    const partners = [...new Set(events.map((e) => (e.data as { partnerId: string }).partnerId))];
    const [existingReviews, existingActions] = await Promise.all([
      db
        .selectFrom('performance_reviews')
        .selectAll()
        .where('partner_id', 'in', partners)
        .execute()
        .then((rows) => rows.filter((r) => keys.includes(key(r.partner_id, r.period)))),
      db
        .selectFrom('improvement_actions')
        .selectAll()
        .where('partner_id', 'in', partners)
        .execute()
        .then((rows) => rows.filter((r) => keys.includes(key(r.partner_id, r.period)))),
    ]);
    const reviews = new Map(existingReviews.map((r) => [key(r.partner_id, r.period), r]));
    const actions = new Map(existingActions.map((a) => [actionKey(a.partner_id, a.period, a.action_id), a]));
    const scorecards: ScorecardsTable[] = [];
    const changedReviews = new Set<string>();
    const changedActions = new Set<string>();
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as EvaluationEvent;
      const k = key(event.data.partnerId, event.data.period);
      const review = reviews.get(k);
      const touch = (at: string, change: Partial<PerformanceReviewsTable>) => {
        if (!review) return;
        reviews.set(k, { ...review, ...change, updated_at: at });
        changedReviews.add(k);
      };
      const setAction = (row: ImprovementActionsTable) => {
        const ak = actionKey(row.partner_id, row.period, row.action_id);
        actions.set(ak, row);
        changedActions.add(ak);
      };
      switch (event.type) {
        case 'ScorecardRecorded':
          scorecards.push(scorecardRow(event.data));
          break;
        case 'PerformanceReviewOpened': {
          const d = event.data;
          reviews.set(k, {
            partner_id: d.partnerId,
            period: d.period,
            status: 'open',
            reviewer: d.reviewer ?? null,
            recommendation: d.recommendation ?? null,
            decision: null,
            decision_note: null,
            decided_by: null,
            decided_at: null,
            previous_period: d.previous?.period ?? null,
            previous_grade: d.previous?.grade ?? null,
            assessment: null,
            feedback: [],
            meetings: [],
            opened_at: d.openedAt,
            completed_at: null,
            updated_at: d.openedAt,
          });
          changedReviews.add(k);
          for (const a of d.carriedActions)
            setAction({
              partner_id: d.partnerId,
              period: d.period,
              action_id: a.actionId,
              title: a.title,
              description: a.description ?? null,
              owner_name: a.owner.name,
              owner_party: a.owner.party,
              due_on: a.dueOn,
              status: a.status,
              origin_period: a.originPeriod,
              carried_from: a.carriedFrom ?? null,
              handed_over_to: null,
              updates: [],
              updated_at: d.openedAt,
            });
          break;
        }
        case 'ReviewerAssigned':
          touch(event.data.assignedAt, { reviewer: event.data.reviewer });
          break;
        case 'ReviewAssessed': {
          const { partnerId: _p, period: _q, ...assessment } = event.data;
          touch(event.data.assessedAt, { assessment });
          break;
        }
        case 'DealerFeedbackSubmitted': {
          const { partnerId: _p, period: _q, ...feedback } = event.data;
          touch(event.data.submittedAt, { feedback: [...list(review?.feedback), feedback] });
          break;
        }
        case 'ReviewMeetingRecorded': {
          const { partnerId: _p, period: _q, ...meeting } = event.data;
          touch(event.data.recordedAt, { meetings: [...list(review?.meetings), meeting] });
          break;
        }
        case 'RecommendationAccepted':
        case 'RecommendationRejected': {
          const d = event.data;
          const note = event.type === 'RecommendationAccepted' ? (event.data.note ?? null) : event.data.reason;
          touch(d.decidedAt, {
            decision: event.type === 'RecommendationAccepted' ? 'accepted' : 'rejected',
            decision_note: note,
            decided_by: d.by.id,
            decided_at: d.decidedAt,
          });
          break;
        }
        case 'PerformanceReviewCompleted':
          touch(event.data.completedAt, { status: 'completed', completed_at: event.data.completedAt });
          break;
        case 'ImprovementActionAdded': {
          const d = event.data;
          setAction({
            partner_id: d.partnerId,
            period: d.period,
            action_id: d.actionId,
            title: d.title,
            description: d.description ?? null,
            owner_name: d.owner.name,
            owner_party: d.owner.party,
            due_on: d.dueOn,
            status: 'open',
            origin_period: d.period,
            carried_from: null,
            handed_over_to: null,
            updates: [],
            updated_at: d.addedAt,
          });
          break;
        }
        case 'ImprovementActionUpdated': {
          const d = event.data;
          const row = actions.get(actionKey(d.partnerId, d.period, d.actionId));
          if (row)
            setAction({
              ...row,
              status: d.status,
              updates: [...list(row.updates), { from: d.from, status: d.status, note: d.note, by: d.by.id, at: d.updatedAt }],
              updated_at: d.updatedAt,
            });
          break;
        }
        case 'ImprovementActionsHandedOver': {
          const d = event.data;
          for (const id of d.actionIds) {
            const row = actions.get(actionKey(d.partnerId, d.period, id));
            if (row) setAction({ ...row, handed_over_to: d.toPeriod, updated_at: d.handedOverAt });
          }
          break;
        }
      }
    }
    await upsertRows(db, 'scorecards', ['partner_id', 'period'], scorecards);
    await upsertRows(
      db,
      'performance_reviews',
      ['partner_id', 'period'],
      [...changedReviews].map((k) => reviews.get(k)!),
    );
    await upsertRows(
      db,
      'improvement_actions',
      ['partner_id', 'period', 'action_id'],
      [...changedActions].map((k) => actions.get(k)!),
    );
  },
};

/**
 * The process managers of performance and commissions: a closed settlement statement scores the dealer's period and opens
 * its review; every sales agent's share of a split goes to its commission statement.
 */
export const performanceReactors = (bus: CommandBus, logger?: Logger): Projection[] =>
  [dealerScorecardPolicy, commissionLinesPolicy].map((policy) => policyReactor(policy as Parameters<typeof policyReactor>[0], bus, logger));
