import { formatMoney, KPIS } from '@dms/domain';
import {
  type DmsRuntime,
  getReview,
  listCommissionStatements,
  listReviews,
  listScorecards,
  overdueActions,
  type ReadDb,
  type ScorecardView,
  verifyScorecards,
} from '@dms/projections';
import { date } from '../format';
import { renderBarChart } from '../ui/chart';
import { ProgressBar } from '../ui/progress';
import { renderTable } from '../ui/table';
import { printCommissionStatements } from './commission-table';

type Out = (line: string) => void;

export interface PerformanceOptions {
  readonly period?: string | undefined;
  readonly region?: string | undefined;
  readonly tier?: string | undefined;
  readonly partner?: string | undefined;
  readonly agent?: string | undefined;
  readonly asOf?: string | undefined;
  readonly now: string;
}

/** Returned when a subcommand lacks its arguments: the command table turns it into a usage error. */
export const USAGE = -64;

const pct = (bps: number | null | undefined) => (bps === null || bps === undefined ? '' : `${(bps / 100).toFixed(2)} %`);
const score = (bps: number | null) => (bps === null ? 'n/a' : (bps / 100).toFixed(2));

/** A measured value in its KPI's unit, for people. */
const shown = (kpi: keyof typeof KPIS, value: number | null, currency: string) => {
  if (value === null) return 'n/a';
  switch (KPIS[kpi].unit) {
    case 'money':
      return formatMoney({ amountMinor: value, currency });
    case 'bps':
      return pct(value);
    case 'days':
      return `${value} days`;
    case 'minutes':
      return `${value} min`;
    default:
      return String(value);
  }
};

/** The latest closed period with scorecards (months before quarters when both closed last). */
const latestPeriod = async (db: ReadDb): Promise<string | undefined> =>
  (await db.selectFrom('scorecards').select('period').orderBy('recorded_at', 'desc').orderBy('period').limit(1).executeTakeFirst())?.period;

/** The scorecards of one period, a ranked table per region. */
export const printRankedScorecards = async (
  db: ReadDb,
  out: Out,
  filter: { period?: string | undefined; region?: string | undefined; tier?: string | undefined } = {},
) => {
  const period = filter.period ?? (await latestPeriod(db));
  if (!period) {
    out('No scorecards yet: a dealer is scored when its settlement statement for a period is closed.');
    return;
  }
  const cards = await listScorecards(db, { period, region: filter.region, tier: filter.tier });
  if (cards.length === 0) {
    out(`No scorecards for ${period}.`);
    return;
  }
  for (const region of [...new Set(cards.map((c) => c.region))].sort()) {
    out(`Scorecards ${period}, region ${region}`);
    out(
      renderTable(
        cards.filter((c) => c.region === region),
        [
          { header: 'rank', value: (c: ScorecardView) => c.rankInRegion ?? '', align: 'right' },
          { header: 'dealer', value: (c) => c.partnerName ?? c.partnerId },
          { header: 'tier', value: (c) => `${c.tier} (#${c.rankInTier ?? '-'})` },
          { header: 'score', value: (c) => score(c.scoreBps), align: 'right' },
          { header: 'grade', value: (c) => c.grade ?? '' },
          { header: 'sales vs goal', value: (c) => pct(c.salesAttainmentBps) || 'no goal', align: 'right' },
          {
            header: 'sales',
            value: (c) => shown('sales_value', c.measurements.find((m) => m.kpi === 'sales_value' && !m.category)?.value ?? null, c.currency),
            align: 'right',
          },
          { header: 'template', value: (c) => `${c.templateName} v${c.templateVersion}` },
        ],
      ),
    );
    out('');
  }
};

/** One dealer's review: its scorecard, the assessment, the dealer's feedback, meetings and the improvement actions. */
export const printReview = async (db: ReadDb, out: Out, partnerId: string, period: string): Promise<boolean> => {
  const review = await getReview(db, partnerId, period);
  if (!review) {
    out(`There is no ${period} review of ${partnerId}: a review opens when the period's settlement statement is closed.`);
    return false;
  }
  const card = review.scorecard;
  out(
    `Review ${period} of ${card?.partnerName ?? partnerId}: ${review.status}${review.reviewer ? `, reviewer ${review.reviewer}` : ''}` +
      (card ? `; score ${score(card.scoreBps)}, grade ${card.grade ?? 'n/a'}, #${card.rankInRegion ?? '-'} in ${card.region}` : '') +
      (review.previous ? ` (${review.previous.period}: ${review.previous.grade ?? 'n/a'})` : ''),
  );
  if (card) {
    out(
      renderTable(card.criteria, [
        { header: 'criterion', value: (c) => c.criterionId },
        { header: 'KPI', value: (c) => KPIS[c.kpi].title },
        { header: 'weight', value: (c) => pct(c.weightBps), align: 'right' },
        { header: 'actual', value: (c) => shown(c.kpi, c.actual, card.currency), align: 'right' },
        { header: 'target', value: (c) => (c.target === null ? '' : shown(c.kpi, c.target, card.currency)), align: 'right' },
        { header: 'score', value: (c) => (c.scoreBps === null ? (c.note ?? 'n/a') : score(c.scoreBps)), align: 'right' },
      ]),
    );
  }
  if (review.recommendation)
    out(
      `Recommendation: ${review.recommendation.reason}${review.decision ? ` — ${review.decision.outcome} by ${review.decision.by}${review.decision.note ? ` (${review.decision.note})` : ''}` : ' — awaiting a decision'}`,
    );
  if (review.assessment) out(`Assessment (${review.assessment.by.id}): ${review.assessment.summary}`);
  for (const f of review.feedback) out(`Dealer feedback (${f.by.id}, ${date(f.submittedAt)}): ${f.text}`);
  for (const m of review.meetings) out(`Meeting ${m.heldOn} with ${m.attendees.join(', ')}: ${m.minutes}`);
  if (review.actions.length > 0) {
    out('Improvement actions');
    out(
      renderTable(review.actions, [
        { header: 'action', value: (a) => a.actionId },
        { header: 'title', value: (a) => a.title },
        { header: 'owner', value: (a) => `${a.owner.name} (${a.owner.party})` },
        { header: 'due', value: (a) => a.dueOn },
        { header: 'status', value: (a) => (a.handedOverTo ? `${a.status}, moved to ${a.handedOverTo}` : a.status) },
        { header: 'from', value: (a) => (a.carriedFrom ? `carried from ${a.carriedFrom}` : 'this review') },
        { header: 'last update', value: (a) => a.updates.at(-1)?.note ?? '' },
      ]),
    );
  }
  return true;
};

/**
 * What the demo prints about performance: the latest period's scorecards ranked per region, the overdue queue, and the
 * review holding the most overdue action (a dealer on the watch list), with its feedback and follow-up actions.
 */
export const printPerformanceSummary = async (db: ReadDb, asOf: string, out: Out): Promise<void> => {
  out('');
  await printRankedScorecards(db, out);
  const overdue = await overdueActions(db, asOf);
  out(`Improvement actions overdue on ${asOf}: ${overdue.length} (dms performance overdue --as-of ${asOf})`);
  const focus = overdue[0] ?? (await listReviews(db, { partnerId: 'nordic-flow', limit: 1 }))[0];
  if (focus) {
    out('');
    await printReview(db, out, focus.partnerId, focus.period);
  }
};

/** `dms performance ...`: scorecards, one review, the attainment chart, the overdue queue, commissions, verification. */
export const performanceCommand = async (runtime: DmsRuntime, sub: string, args: readonly string[], o: PerformanceOptions, out: Out): Promise<number> => {
  await runtime.runner.catchUp();
  const db = runtime.runner.db;
  switch (sub) {
    case 'scorecards': {
      if (o.partner) {
        const cards = await listScorecards(db, { partnerId: o.partner, region: o.region, tier: o.tier, period: o.period });
        if (cards.length === 0) {
          out(`No scorecards for ${o.partner}.`);
          return 0;
        }
        out(
          renderTable(cards, [
            { header: 'period', value: (c) => c.period },
            { header: 'tier', value: (c) => c.tier },
            { header: 'score', value: (c) => score(c.scoreBps), align: 'right' },
            { header: 'grade', value: (c) => c.grade ?? '' },
            { header: 'rank in region', value: (c) => c.rankInRegion ?? '', align: 'right' },
            { header: 'rank in tier', value: (c) => c.rankInTier ?? '', align: 'right' },
            { header: 'sales vs goal', value: (c) => pct(c.salesAttainmentBps) || 'no goal', align: 'right' },
          ]),
        );
        return 0;
      }
      await printRankedScorecards(db, out, o);
      return 0;
    }
    case 'show': {
      const [partnerId, period] = args;
      if (!partnerId || !period) return USAGE;
      return (await printReview(db, out, partnerId, period)) ? 0 : 1;
    }
    case 'chart': {
      const [partnerId] = args;
      if (!partnerId) return USAGE;
      const cards = (await listScorecards(db, { partnerId })).reverse();
      if (cards.length === 0) {
        out(`No scorecards for ${partnerId}.`);
        return 1;
      }
      out(`Sales against goal, ${cards[0]!.partnerName ?? partnerId}, by period (grade and score on the right)`);
      out(
        renderBarChart(
          cards.map((c) => ({
            label: c.period,
            value: Math.max(0, c.salesAttainmentBps ?? 0),
            display: `${pct(c.salesAttainmentBps) || 'no goal'}  ${c.grade ?? '-'} ${score(c.scoreBps)}`,
          })),
        ),
      );
      return 0;
    }
    case 'overdue': {
      const asOf = o.asOf ?? o.now.slice(0, 10);
      const actions = await overdueActions(db, asOf, { partnerId: o.partner });
      if (actions.length === 0) {
        out(`No improvement action is overdue on ${asOf}.`);
        return 0;
      }
      out(`Improvement actions overdue on ${asOf}, most overdue first`);
      out(
        renderTable(actions, [
          { header: 'dealer', value: (a) => a.partnerId },
          { header: 'review', value: (a) => a.period },
          { header: 'action', value: (a) => `${a.actionId}: ${a.title}` },
          { header: 'owner', value: (a) => `${a.owner.name} (${a.owner.party})` },
          { header: 'due', value: (a) => a.dueOn },
          { header: 'status', value: (a) => a.status },
          { header: 'agreed in', value: (a) => a.originPeriod },
        ]),
      );
      return 0;
    }
    case 'commissions': {
      const statements = await listCommissionStatements(db, { agentId: o.agent, period: o.period });
      printCommissionStatements(statements, out);
      return 0;
    }
    case 'verify': {
      const bar = new ProgressBar('Recomputing scorecards from the events');
      const result = await verifyScorecards(runtime.store, db, { onProgress: (done, total) => bar.update(done / Math.max(total, 1), `${done}/${total}`) });
      bar.done(`${result.checked} scorecards`);
      if (result.problems.length === 0) {
        out(`Verified: all ${result.checked} stored scorecards equal their recomputation from the events.`);
        return 0;
      }
      out(
        renderTable(result.problems, [
          { header: 'dealer', value: (p) => p.partnerId },
          { header: 'period', value: (p) => p.period },
          { header: 'problem', value: (p) => p.kind },
          { header: 'detail', value: (p) => p.detail },
        ]),
      );
      out(`${result.problems.length} problem(s) among ${result.checked} scorecards.`);
      return 2;
    }
    default:
      return USAGE;
  }
};
