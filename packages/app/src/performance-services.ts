import {
  type Aggregate,
  type AgreementState,
  aggregates,
  agreementStream,
  cadenceOf,
  type EvaluationEvent,
  type ExistingAgreement,
  evaluationStream,
  FACT_EVENT_TYPES,
  type FactContext,
  factsOf,
  type Goal,
  type Message,
  measurePeriod,
  memoryFactContext,
  nextPeriod,
  openActions,
  type PartnerCommand,
  type PerformanceFact,
  PostCommissionLine,
  partnerStream,
  periodEnd,
  periodOf,
  periodStart,
  previousPeriod,
  RecordDealerScorecard,
  type RecordScorecard,
  registeredAgreements,
  SCORECARD_CONFIG_STREAM,
  scopeRegistryStream,
  settlementStream,
  templateFor,
} from '@dms/domain';
import { type CommandAccepted, type EventStore, type GlobalPosition, handleCommand, invalidCommand, loadAggregate, type RecordedEvent } from '@dms/eventstore';
import { left } from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as TE from 'fp-ts/TaskEither';
import { subContext } from './agreement-services';
import type { ApplicationService, CommandResult } from './service';
import { handleContended } from './stock-services';

/**
 * Dealer performance and agent commissions. `RecordDealerScorecard` (sent by the `dealer_scorecard` policy when a dealer's
 * settlement statement closes) measures the dealer's period from the facts recorded before the statement's closing event
 * and records its scorecard with everything as it stood at that position: the partner's tier and region, the goals of the
 * agreement version governing the period's last day, the tier's scorecard template and the tier ladder, and the order plan
 * filed. Reading only what was recorded before the close is what makes the scorecard reproducible from the events at any
 * time (`verifyScorecards` in projections does exactly that).
 */

// biome-ignore lint/suspicious/noExplicitAny: the registry holds aggregates of different command/event/state types.
type AnyAggregate = Aggregate<any, any, any>;

/** A stream folded over its events recorded before `cutoff` only. */
export const loadBefore = async <S>(store: EventStore, aggregate: Aggregate<Message, Message, S>, streamId: string, cutoff: GlobalPosition): Promise<S> => {
  const loaded = await loadAggregate(store, aggregate, streamId);
  let state = aggregate.decider.initialState;
  for (const e of loaded.events) if (e.globalPosition < cutoff) state = aggregate.decider.evolve(state, { type: e.type, data: e.data } as Message);
  return state;
};

const PAGE = 2_000;

/**
 * Every performance fact in the store, in global order, kept per process and extended as the store grows, so that
 * scoring dozens of dealers' periods reads each event once, not once per scorecard. Facts come from events of any
 * stream (an order's partner is known from its OrderPlaced), which is why they are not read per dealer.
 */
export class FactLog {
  private readonly context: FactContext = memoryFactContext();
  private readonly byPartner = new Map<string, PerformanceFact[]>();
  private position: GlobalPosition | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly store: EventStore) {}

  /** The dealer's facts recorded before `cutoff` (reading on from where the log stopped, when it has not got there yet). */
  async factsBefore(partnerId: string, cutoff: GlobalPosition): Promise<PerformanceFact[]> {
    const run = this.pending.then(() => this.readUpTo(cutoff));
    this.pending = run.catch(() => {});
    await run;
    return (this.byPartner.get(partnerId) ?? []).filter((f) => f.position < cutoff);
  }

  private async readUpTo(cutoff: GlobalPosition): Promise<void> {
    while (this.position === undefined || this.position < cutoff - 1n) {
      let read = 0;
      // Whole pages, each read to its end: a read is never left open half-way.
      for await (const e of this.store.readAll({
        ...(this.position !== undefined ? { from: this.position } : {}),
        maxCount: PAGE,
        filter: { eventTypes: FACT_EVENT_TYPES },
      })) {
        read++;
        this.position = e.globalPosition;
        const facts = factsOfRecorded(e, this.context);
        for (const f of facts) {
          const list = this.byPartner.get(f.partnerId);
          if (list) list.push(f);
          else this.byPartner.set(f.partnerId, [f]);
        }
      }
      if (read < PAGE) return;
    }
  }
}

/** The facts of one recorded event (see `factsOf`). */
export const factsOfRecorded = (e: RecordedEvent, context: FactContext): PerformanceFact[] =>
  factsOf({ type: e.type, data: e.data, position: e.globalPosition, actorRole: e.metadata.actor.role }, context);

export type FactsBefore = (partnerId: string, cutoff: GlobalPosition) => Promise<readonly PerformanceFact[]>;

const logs = new WeakMap<EventStore, FactLog>();
const factLog = (store: EventStore): FactLog => {
  let log = logs.get(store);
  if (!log) {
    log = new FactLog(store);
    logs.set(store, log);
  }
  return log;
};

/** The dealer's agreement that governed the period: of the period's cadence, in force on a day of it (the latest such). */
export const governingForPeriod = (agreements: readonly AgreementState[], period: string): ExistingAgreement | undefined => {
  const [start, end] = [periodStart(period), periodEnd(period)];
  const candidates = agreements.filter(
    (a): a is ExistingAgreement =>
      a.exists &&
      a.activatedAt !== undefined &&
      a.versions.some((v) => v.terms.settlement.period === cadenceOf(period)) &&
      a.versions[0]!.effectiveFrom <= end &&
      a.expiresOn >= start &&
      (a.endedAt === undefined || a.endedAt.slice(0, 10) >= start),
  );
  return candidates.sort((a, b) => (a.versions[0]!.effectiveFrom < b.versions[0]!.effectiveFrom ? -1 : 1)).at(-1);
};

/** The version of an agreement governing a period: the one in force on its last day, or the last one before that. */
const versionForPeriod = (agreement: ExistingAgreement, period: string) =>
  [...agreement.versions].reverse().find((v) => v.effectiveFrom <= periodEnd(period)) ?? agreement.versions[0]!;

/** What the scorecard of a dealer's closed period is computed from, as it stood just before the period was closed. */
export const scorecardInputs = async (
  store: EventStore,
  partnerId: string,
  period: string,
  recordedAt: string,
  /** Where the dealer's facts come from: by default this process's log of them, read on from the store. */
  factsBefore: FactsBefore = (p, cutoff) => factLog(store).factsBefore(p, cutoff),
): Promise<{ ok: true; command: RecordScorecard } | { ok: false; code: string; message: string }> => {
  const statement = await loadAggregate(store, aggregates.settlements, settlementStream(partnerId, period));
  const closing = statement.events.find((e) => e.type === 'SettlementStatementClosed');
  if (!closing)
    return { ok: false, code: 'PERIOD_NOT_CLOSED', message: `The ${period} statement of ${partnerId} is not closed; a scorecard is recorded when it is.` };
  const cutoff = closing.globalPosition;
  const partner = await loadBefore(store, aggregates.partners as AnyAggregate, partnerStream(partnerId), cutoff);
  if (!partner.exists) return { ok: false, code: 'PARTNER_NOT_FOUND', message: `There is no dealer ${partnerId}.` };
  const registry = await loadBefore(store, aggregates.agreementRegistry as AnyAggregate, scopeRegistryStream(partnerId), cutoff);
  const agreements: AgreementState[] = [];
  for (const id of registeredAgreements(registry)) agreements.push(await loadBefore(store, aggregates.agreements as AnyAggregate, agreementStream(id), cutoff));
  const agreement = governingForPeriod(agreements, period);
  const version = agreement ? versionForPeriod(agreement, period) : undefined;
  const goals: Goal[] = version?.terms.goals ?? [];
  const currency = version?.terms.currency ?? (statement.state.exists ? statement.state.currency : 'EUR');
  const config = await loadBefore(store, aggregates.scorecardConfig as AnyAggregate, SCORECARD_CONFIG_STREAM, cutoff);
  const evaluation = await loadBefore(store, aggregates.evaluations as AnyAggregate, evaluationStream(partnerId, period), cutoff);
  const planned = evaluation.exists && evaluation.plan?.planned.currency === currency ? evaluation.plan.planned.amountMinor : undefined;
  const chosen = templateFor(config, partner.tier);
  const categories = [
    ...new Set([...goals.map((g) => g.category), ...chosen.template.criteria.map((c: { category?: string }) => c.category)].filter((c): c is string => !!c)),
  ];
  const facts = await factsBefore(partnerId, cutoff);
  const measurements = measurePeriod({ partnerId, period, cutoff, currency, facts, planned, categories });
  // The review before: its grade, its reviewer, and its actions still open (they move on to this review).
  const before = (await loadAggregate(store, aggregates.evaluations, evaluationStream(partnerId, previousPeriod(period)))).state;
  const previous =
    before.exists && before.scorecard
      ? {
          period: before.period,
          grade: before.scorecard.grade,
          ...(before.review?.reviewer !== undefined ? { reviewer: before.review.reviewer } : {}),
          openActions: before.review ? openActions(before.review) : [],
        }
      : undefined;
  return {
    ok: true,
    command: {
      type: 'RecordScorecard',
      data: {
        partnerId,
        period,
        region: partner.region,
        tier: partner.tier,
        currency,
        ...(agreement && version ? { agreement: { agreementId: agreement.agreementId, version: version.version } } : {}),
        goals,
        template: chosen,
        ladder: [...config.ladder],
        measurements,
        cutoffPosition: cutoff.toString(),
        ...(previous ? { previous } : {}),
        recordedAt,
      },
    },
  };
};

const recordDealerScorecard: ApplicationService = async (command, context, bus): Promise<CommandResult> => {
  const parsed = RecordDealerScorecard.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { partnerId, period, recordedAt } = parsed.data.data;
  const inputs = await scorecardInputs(bus.store, partnerId, period, recordedAt);
  if (!inputs.ok) return left({ code: inputs.code, message: inputs.message, details: { partnerId, period } });
  const previous = inputs.command.data.previous;
  const handedOver = previous?.openActions.map((a) => a.actionId) ?? [];
  // The scorecard, then the open actions of the period before handed over to it (if any); the scorecard's result.
  return pipe(
    () => handleCommand(bus.store, aggregates.evaluations, inputs.command, context),
    TE.tap(() =>
      previous === undefined || handedOver.length === 0
        ? TE.right(undefined)
        : () =>
            handleCommand(
              bus.store,
              aggregates.evaluations,
              { type: 'HandOverActions', data: { partnerId, period: previous.period, toPeriod: period, actionIds: handedOver, handedOverAt: recordedAt } },
              subContext(context, 'handover'),
            ),
    ),
  )();
};

/** Statements a line may look ahead through before giving up: ten years of months. */
const MAX_PERIODS_AHEAD = 120;

/** Posts a sales agent's share to its statement for the line's period, or the next one still open. */
const postCommissionLine: ApplicationService = async (command, context, bus) => {
  const parsed = PostCommissionLine.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  const { agentId, cadence, line, at } = parsed.data.data;
  let period = periodOf(line.date, cadence);
  for (let i = 0; i < MAX_PERIODS_AHEAD; i++) {
    const result = await handleContended(
      bus.store,
      aggregates.commissions,
      { type: 'AddCommissionLine', data: { agentId, period, line, addedAt: at } },
      context,
    );
    if (result._tag === 'Right' || result.left.code !== 'STATEMENT_CLOSED') return result;
    period = nextPeriod(period);
  }
  return left({
    code: 'NO_OPEN_STATEMENT',
    message: `Sales agent ${agentId} has no open commission statement within ${MAX_PERIODS_AHEAD} periods.`,
    details: { agentId },
  });
};

/** Commission statement commands people send (closing, approving, paying); lines only come through `PostCommissionLine`. */
const commissionCommand: ApplicationService = async (command, context, bus) => {
  const parsed = aggregates.commissions.commandSchema.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  return handleCommand(bus.store, aggregates.commissions, parsed.data, context);
};

/**
 * Scorecards are only recorded by the service above; every other evaluation command goes straight to its stream. An
 * accepted promotion or demotion then changes the dealer's tier with the existing `ChangePartnerTier`, the review being
 * its reason (with a command id derived from the decision's, so a retry changes the tier once).
 */
const evaluationCommand: ApplicationService = async (command, context, bus) => {
  const parsed = aggregates.evaluations.commandSchema.safeParse(command);
  if (!parsed.success) return invalidCommand(command.type, parsed.error);
  // The evaluation command, then the tier change an accepted promotion or demotion asks for; the evaluation's result.
  return pipe(
    () => handleCommand(bus.store, aggregates.evaluations, parsed.data, context),
    TE.tap((result) => {
      const change = tierChangeOf(result);
      return change === undefined ? TE.right(undefined) : () => bus.execute(change, subContext(context, 'tier'));
    }),
  )();
};

/** The tier change a decision's accepted promotion or demotion asks for, if it is one. */
const tierChangeOf = (result: CommandAccepted): Extract<PartnerCommand, { type: 'ChangePartnerTier' }> | undefined => {
  const accepted = result.events.find((e) => e.type === 'RecommendationAccepted');
  if (!accepted) return undefined;
  const d = accepted.data as Extract<EvaluationEvent, { type: 'RecommendationAccepted' }>['data'];
  const { kind, toTier, reason } = d.recommendation;
  if ((kind !== 'promote' && kind !== 'demote') || !toTier) return undefined;
  return {
    type: 'ChangePartnerTier',
    data: { partnerId: d.partnerId, tier: toTier, reason: `Performance review ${d.period}: ${reason}`.slice(0, 500), changedAt: d.decidedAt },
  };
};

export const performanceServices: ReadonlyMap<string, ApplicationService> = new Map<string, ApplicationService>([
  ['RecordDealerScorecard', recordDealerScorecard],
  ...(
    [
      'FileOrderPlan',
      'AssignReviewer',
      'RecordAssessment',
      'SubmitDealerFeedback',
      'RecordReviewMeeting',
      'AddImprovementAction',
      'UpdateImprovementAction',
      'DecideRecommendation',
      'CompleteReview',
    ] as const
  ).map((type) => [type, evaluationCommand] as const),
  ['PostCommissionLine', postCommissionLine],
  ['CloseCommissionStatement', commissionCommand],
  ['ApproveCommissionStatement', commissionCommand],
  ['RecordCommissionPayment', commissionCommand],
]);
