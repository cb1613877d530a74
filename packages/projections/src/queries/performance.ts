import type { Grade, Measurement, Recommendation, ScorecardRecordedData } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ImprovementActionsTable, PerformanceReviewsTable, ScorecardsTable } from '../performance-schema';
import type { ReadModels } from '../schema';

export interface ScorecardView {
  readonly partnerId: string;
  readonly partnerName: string | null;
  readonly period: string;
  readonly region: string;
  readonly tier: string;
  readonly currency: string;
  readonly agreementId: string | null;
  readonly agreementVersion: number | null;
  readonly templateName: string;
  readonly templateVersion: number;
  readonly cutoffPosition: string;
  readonly scoreBps: number | null;
  readonly grade: Grade | null;
  readonly salesAttainmentBps: number | null;
  /** 1 = best score of the period in the dealer's region (and in its tier); null when not scored. */
  readonly rankInRegion: number | null;
  readonly rankInTier: number | null;
  readonly measurements: Measurement[];
  readonly goals: ScorecardRecordedData['goals'];
  readonly criteria: ScorecardRecordedData['criteria'];
  readonly recordedAt: string;
}

export interface ScorecardFilter {
  readonly period?: string | undefined;
  /** A dealer sees only its own. */
  readonly partnerId?: string | undefined;
  readonly region?: string | undefined;
  readonly tier?: string | undefined;
  readonly limit?: number | undefined;
}

type Ranked = ScorecardsTable & { partner_name: string | null; rank_in_region: number | string | null; rank_in_tier: number | string | null };

const view = (r: Ranked): ScorecardView => ({
  partnerId: r.partner_id,
  partnerName: r.partner_name,
  period: r.period,
  region: r.region,
  tier: r.tier,
  currency: r.currency,
  agreementId: r.agreement_id,
  agreementVersion: r.agreement_version,
  templateName: r.template_name,
  templateVersion: r.template_version,
  cutoffPosition: r.cutoff_position,
  scoreBps: r.score_bps,
  grade: r.grade as Grade | null,
  salesAttainmentBps: r.sales_attainment_bps,
  rankInRegion: r.score_bps === null || r.rank_in_region === null ? null : Number(r.rank_in_region),
  rankInTier: r.score_bps === null || r.rank_in_tier === null ? null : Number(r.rank_in_tier),
  measurements: r.measurements as Measurement[],
  goals: r.goals as ScorecardView['goals'],
  criteria: r.criteria as ScorecardView['criteria'],
  recordedAt: r.recorded_at,
});

/**
 * Scorecards with their rank within the dealer's region and within its tier for the same period (ties share a rank),
 * best first: by period (latest first), region, rank. Ranks are over every dealer of the period, whatever the filter.
 */
export const listScorecards = async (db: Kysely<ReadModels>, filter: ScorecardFilter = {}): Promise<ScorecardView[]> => {
  const limit = Math.min(Math.max(filter.limit ?? 500, 1), 5000);
  const ranked = db
    .selectFrom('scorecards as s')
    .leftJoin('partners as p', 'p.partner_id', 's.partner_id')
    .selectAll('s')
    .select([
      'p.name as partner_name',
      sql<number>`rank() over (partition by s.period, s.region order by s.score_bps desc nulls last)`.as('rank_in_region'),
      sql<number>`rank() over (partition by s.period, s.tier order by s.score_bps desc nulls last)`.as('rank_in_tier'),
    ])
    .$if(filter.period !== undefined, (q) => q.where('s.period', '=', filter.period!));
  let q = db.selectFrom(ranked.as('r')).selectAll();
  if (filter.partnerId !== undefined) q = q.where('r.partner_id', '=', filter.partnerId);
  if (filter.region !== undefined) q = q.where('r.region', '=', filter.region);
  if (filter.tier !== undefined) q = q.where('r.tier', '=', filter.tier);
  const rows = await q.orderBy('r.period', 'desc').orderBy('r.region').orderBy('r.rank_in_region').orderBy('r.partner_id').limit(limit).execute();
  return (rows as unknown as Ranked[]).map(view);
};

export const getScorecard = async (db: Kysely<ReadModels>, partnerId: string, period: string): Promise<ScorecardView | undefined> =>
  (await listScorecards(db, { partnerId, period })).at(0);

export interface ImprovementActionView {
  readonly partnerId: string;
  readonly period: string;
  readonly actionId: string;
  readonly title: string;
  readonly description: string | null;
  readonly owner: { readonly name: string; readonly party: 'dealer' | 'manufacturer' };
  readonly dueOn: string;
  readonly status: ImprovementActionsTable['status'];
  readonly originPeriod: string;
  readonly carriedFrom: string | null;
  readonly handedOverTo: string | null;
  readonly updates: { from: string; status: string; note: string; by: string; at: string }[];
}

const actionView = (a: ImprovementActionsTable): ImprovementActionView => ({
  partnerId: a.partner_id,
  period: a.period,
  actionId: a.action_id,
  title: a.title,
  description: a.description,
  owner: { name: a.owner_name, party: a.owner_party },
  dueOn: a.due_on,
  status: a.status,
  originPeriod: a.origin_period,
  carriedFrom: a.carried_from,
  handedOverTo: a.handed_over_to,
  updates: a.updates as ImprovementActionView['updates'],
});

export interface ReviewView {
  readonly partnerId: string;
  readonly period: string;
  readonly status: PerformanceReviewsTable['status'];
  readonly reviewer: string | null;
  readonly recommendation: Recommendation | null;
  readonly decision: { readonly outcome: 'accepted' | 'rejected'; readonly note: string | null; readonly by: string; readonly at: string } | null;
  readonly previous: { readonly period: string; readonly grade: string | null } | null;
  readonly assessment: { summary: string; strengths?: string; improvements?: string; by: { id: string; role: string }; assessedAt: string } | null;
  readonly feedback: { feedbackId: string; text: string; by: { id: string; role: string; partnerId?: string }; submittedAt: string }[];
  readonly meetings: { meetingId: string; heldOn: string; attendees: string[]; minutes: string; by: { id: string; role: string }; recordedAt: string }[];
  readonly openedAt: string;
  readonly completedAt: string | null;
}

const reviewView = (r: PerformanceReviewsTable): ReviewView => ({
  partnerId: r.partner_id,
  period: r.period,
  status: r.status,
  reviewer: r.reviewer,
  recommendation: r.recommendation as Recommendation | null,
  decision: r.decision ? { outcome: r.decision, note: r.decision_note, by: r.decided_by ?? '', at: r.decided_at ?? '' } : null,
  previous: r.previous_period ? { period: r.previous_period, grade: r.previous_grade } : null,
  assessment: r.assessment as ReviewView['assessment'],
  feedback: r.feedback as ReviewView['feedback'],
  meetings: r.meetings as ReviewView['meetings'],
  openedAt: r.opened_at,
  completedAt: r.completed_at,
});

export interface ReviewFilter {
  readonly partnerId?: string | undefined;
  readonly period?: string | undefined;
  readonly status?: 'open' | 'completed' | undefined;
  readonly reviewer?: string | undefined;
  readonly limit?: number | undefined;
}

/** Reviews, latest period first. */
export const listReviews = async (db: Kysely<ReadModels>, filter: ReviewFilter = {}): Promise<ReviewView[]> => {
  let q = db.selectFrom('performance_reviews').selectAll();
  if (filter.partnerId !== undefined) q = q.where('partner_id', '=', filter.partnerId);
  if (filter.period !== undefined) q = q.where('period', '=', filter.period);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.reviewer !== undefined) q = q.where('reviewer', '=', filter.reviewer);
  const rows = await q
    .orderBy('period', 'desc')
    .orderBy('partner_id')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 2000))
    .execute();
  return rows.map(reviewView);
};

export interface ReviewDetail extends ReviewView {
  readonly scorecard: ScorecardView | null;
  readonly actions: ImprovementActionView[];
}

/** One review with its scorecard and its improvement actions (those carried from the review before first). */
export const getReview = async (db: Kysely<ReadModels>, partnerId: string, period: string): Promise<ReviewDetail | undefined> => {
  const review = await db.selectFrom('performance_reviews').selectAll().where('partner_id', '=', partnerId).where('period', '=', period).executeTakeFirst();
  if (!review) return undefined;
  const actions = await db
    .selectFrom('improvement_actions')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('period', '=', period)
    .orderBy(sql`carried_from is null`)
    .orderBy('due_on')
    .orderBy('action_id')
    .execute();
  return { ...reviewView(review), scorecard: (await getScorecard(db, partnerId, period)) ?? null, actions: actions.map(actionView) };
};

/**
 * The reviewer's queue: improvement actions still open or in progress whose due date is before `asOf`, on the review that
 * holds them now (not ones handed over to a later review), most overdue first.
 */
export const overdueActions = async (
  db: Kysely<ReadModels>,
  asOf: string,
  filter: { partnerId?: string | undefined } = {},
): Promise<ImprovementActionView[]> => {
  let q = db
    .selectFrom('improvement_actions')
    .selectAll()
    .where('status', 'in', ['open', 'in_progress'])
    .where('handed_over_to', 'is', null)
    .where('due_on', '<', asOf);
  if (filter.partnerId !== undefined) q = q.where('partner_id', '=', filter.partnerId);
  return (await q.orderBy('due_on').orderBy('partner_id').orderBy('action_id').execute()).map(actionView);
};
