import type { CommandBus, CommandResult, DmsCommand } from '@dms/app';
import { type Actor, aggregates, type EvaluationState, evaluationStream, type Message, periodEnd } from '@dms/domain';
import { type CommandContext, loadAggregate } from '@dms/eventstore';
import { DEMO_AGREEMENTS, type DemoTask } from './agreements';
import { DEALERS } from './catalogue';

/**
 * The year's performance reviews. Each dealer's period is scored when its statement closes (the `dealer_scorecard`
 * policy, run as the process managers catch up); a week later the channel manager runs the review round: assesses each
 * review, agrees improvement actions where the grade is C or D, follows up the actions carried from the review before,
 * records a meeting for weak grades, and decides the recommendation. Dealers on the watch list do not finish their
 * actions, which carry on from review to review until they are overdue. Tier changes wait for the year end (a promotion
 * mid-year would reprice every later order of the demo): `finishReviews` then accepts the latest promotion proposed.
 */
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const sales: Actor = { id: 'anna.sales', role: 'sales' };
const dealer = (partnerId: string): Actor => ({ id: `${partnerId}.buyer`, role: 'dealer', partnerId });
const sub = (context: CommandContext, suffix: string): CommandContext => ({ ...context, commandId: `${context.commandId}:${suffix}` });

/** The tiers from the lowest: what reviews promote and demote along. */
export const TIER_LADDER = ['standard', 'silver', 'gold', 'platinum'];

const evaluation = async (bus: CommandBus, partnerId: string, period: string): Promise<EvaluationState> =>
  (await loadAggregate(bus.store, aggregates.evaluations, evaluationStream(partnerId, period))).state;

const ASSESSMENTS: Record<string, string> = {
  A: 'Excellent period: ahead of its goals, pays on time, no breaches.',
  B: 'A good period on the whole; keep the momentum.',
  C: 'Below expectations: sales short of the goal and slow payments.',
  D: 'A weak period: the gaps need a plan and close follow-up.',
};

/** The review round of one period: every dealer's review of it, a week after the period closed. */
const reviewRound = (period: string, partners: readonly string[]): DemoTask => ({
  kind: 'task',
  run: async (bus, context, settle) => {
    if (!settle) return {};
    await settle();
    const at = Date.parse(`${periodEnd(period)}T10:00:00Z`) + 8 * DAY;
    let last: CommandResult | undefined;
    for (const partnerId of partners) {
      const state = await evaluation(bus, partnerId, period);
      if (!state.exists || !state.review || !state.scorecard || state.review.status !== 'open') continue;
      const review = state.review;
      const grade = state.scorecard.grade;
      const key = { partnerId, period };
      let n = 0;
      const send = async (command: Message, actor: Actor = sales) => {
        const result = await bus.execute(command, sub({ ...context, actor }, `${partnerId}:${n++}`));
        last = result;
        return result;
      };
      const when = (minutes: number) => iso(at + minutes * 60_000);
      const watched = review.recommendation?.kind === 'watch_list';
      if (!review.reviewer) await send({ type: 'AssignReviewer', data: { ...key, reviewer: sales.id, by: sales, assignedAt: when(0) } });
      const sales_ = state.scorecard.goals.find((g) => g.kpi === 'sales_value' && g.category === undefined);
      const attained =
        sales_?.attainmentBps !== null && sales_?.attainmentBps !== undefined ? ` Sales at ${(sales_.attainmentBps / 100).toFixed(0)} % of the goal.` : '';
      await send({ type: 'RecordAssessment', data: { ...key, summary: `${ASSESSMENTS[grade ?? 'C']}${attained}`, by: sales, assessedAt: when(5) } });
      // The actions carried from the review before: done, unless the dealer is on the watch list.
      for (const actionId of review.carried) {
        const action = review.actions.get(actionId);
        if (!action || action.status === 'done' || action.status === 'dropped') continue;
        const actor = action.owner.party === 'dealer' ? dealer(partnerId) : sales;
        await send({
          type: 'UpdateImprovementAction',
          data: watched
            ? { ...key, actionId, status: 'in_progress', note: 'Started, not finished: the dealer asks for more time', by: actor, updatedAt: when(10) }
            : { ...key, actionId, status: 'done', note: 'Done and checked in the review', by: actor, updatedAt: when(10) },
        });
      }
      if (grade === 'C' || grade === 'D') {
        await send({
          type: 'AddImprovementAction',
          data: {
            ...key,
            actionId: `${period}-payments`,
            title: grade === 'D' ? 'Recovery plan: clear overdue invoices and agree a monthly sales plan' : 'Settle overdue invoices and pay within terms',
            owner: { name: `${DEALERS.find((d) => d.partnerId === partnerId)?.name ?? partnerId} finance`, party: 'dealer' },
            dueOn: iso(at + 21 * DAY).slice(0, 10),
            by: sales,
            addedAt: when(15),
          },
        });
      }
      if (grade === 'D' || watched || partnerId === 'nordic-flow') {
        await send({
          type: 'RecordReviewMeeting',
          data: {
            ...key,
            meetingId: `${period}-meeting`,
            heldOn: iso(at).slice(0, 10),
            attendees: ['Anna (sales)', `${partnerId} managing director`],
            minutes: `Went through the ${period} scorecard (grade ${grade ?? 'n/a'}) and agreed the follow-up actions.`,
            by: sales,
            recordedAt: when(20),
          },
        });
        await send(
          {
            type: 'SubmitDealerFeedback',
            data: {
              ...key,
              feedbackId: `${period}-feedback`,
              text: watched
                ? 'Our customers pay us late, so we pay late. We need longer payment terms on project orders.'
                : 'Deliveries were on time; we would like the spring price list earlier.',
              by: dealer(partnerId),
              submittedAt: when(240),
            },
          },
          dealer(partnerId),
        );
      }
      const kind = review.recommendation?.kind;
      if (kind === 'keep_tier' || kind === 'watch_list') {
        await send({ type: 'DecideRecommendation', data: { ...key, decision: 'accept', by: sales, decidedAt: when(30) } });
      } else if (kind === 'demote' || kind === 'do_not_renew') {
        await send({
          type: 'DecideRecommendation',
          data: { ...key, decision: 'reject', note: 'One more period to recover with the actions agreed', by: sales, decidedAt: when(30) },
        });
      }
      // A proposed promotion waits for the year end; every other review is completed.
      if (kind !== 'promote') await send({ type: 'CompleteReview', data: { ...key, by: sales, completedAt: when(35) } });
    }
    return last ? { result: last } : {};
  },
});

type Add = (at: number, actor: Actor, step: DemoTask | { kind: 'command'; command: DmsCommand }) => void;

/** The tier ladder, and a review round a week after each monthly and quarterly close of the demo year. */
export const planReviews = (add: Add, window: { start: number; end: number }): void => {
  add(window.start - 30 * DAY, sales, {
    kind: 'command',
    command: { type: 'SetTierLadder', data: { tiers: TIER_LADDER, setAt: iso(window.start - 30 * DAY) } },
  });
  const partners = [...new Set(DEMO_AGREEMENTS.map((a) => a.partnerId))];
  for (let m = new Date(window.start); m.getTime() < window.end; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    const period = `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
    const quarter = m.getUTCMonth() % 3 === 2 ? `${m.getUTCFullYear()}-Q${Math.floor(m.getUTCMonth() / 3) + 1}` : undefined;
    for (const p of [period, ...(quarter ? [quarter] : [])]) add(Date.parse(`${periodEnd(p)}T10:00:00Z`) + 8 * DAY, sales, reviewRound(p, partners));
  }
};

/**
 * The year end, after everything else (no order is priced after it): the latest promotion proposed is accepted, which
 * changes the dealer's tier through `ChangePartnerTier`; earlier proposals still open are rejected as superseded.
 */
export const finishReviews = async (bus: CommandBus, at: string, settle: () => Promise<void>, seed: number): Promise<{ promoted?: string }> => {
  await settle();
  const pending: { partnerId: string; period: string; recordedAt: string }[] = [];
  for await (const e of bus.store.readAll({ filter: { eventTypes: ['PerformanceReviewOpened'] } })) {
    const d = e.data as { partnerId: string; period: string; recommendation?: { kind: string }; openedAt: string };
    if (d.recommendation?.kind === 'promote') pending.push({ partnerId: d.partnerId, period: d.period, recordedAt: d.openedAt });
  }
  pending.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.partnerId < b.partnerId ? -1 : 1));
  const latest = pending.at(-1);
  let promoted: string | undefined;
  for (const p of pending) {
    const state = await evaluation(bus, p.partnerId, p.period);
    if (!state.exists || !state.review || state.review.decision || state.review.status !== 'open') continue;
    const accept = p === latest;
    const context = { commandId: `demo-${seed}-yearend-${p.partnerId}-${p.period}`, actor: sales };
    const decided = await bus.execute(
      {
        type: 'DecideRecommendation',
        data: accept
          ? { partnerId: p.partnerId, period: p.period, decision: 'accept', note: 'Confirmed at the year-end review', by: sales, decidedAt: at }
          : { partnerId: p.partnerId, period: p.period, decision: 'reject', note: 'Superseded by a later review', by: sales, decidedAt: at },
      },
      context,
    );
    if (decided._tag === 'Right') {
      if (accept) promoted = p.partnerId;
      await bus.execute({ type: 'CompleteReview', data: { partnerId: p.partnerId, period: p.period, by: sales, completedAt: at } }, sub(context, 'complete'));
    }
  }
  await settle();
  return promoted ? { promoted } : {};
};
