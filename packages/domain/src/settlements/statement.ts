import { type Either, right } from 'fp-ts/Either';
import { rebateFor } from '../agreements/rebates';
import { dateOf } from '../shared/calendar';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { formatMoney, negate, sum, zero } from '../shared/money';
import type { SettlementCommand, SettlementLine } from './commands';
import type { RebateEarned, SettlementEvent, StatementTotals } from './events';
import { periodEnd, periodStart } from './periods';

/** `open -> closed -> approved -> paid`. A closed statement's lines never change; later corrections go to the next period. */
export type StatementStatus = 'open' | 'closed' | 'approved' | 'paid';

export type StatementState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly partnerId: string;
      readonly period: string;
      readonly currency: string;
      readonly status: StatementStatus;
      readonly lines: ReadonlyMap<string, SettlementLine>;
      readonly totals?: StatementTotals;
      /** Who closed it (an actor id): the one person who may not approve it. */
      readonly closedBy?: string;
    };

export const statementId = (partnerId: string, period: string): string => `${partnerId}.${period}`;
export const settlementStream = (partnerId: string, period: string): string => `settlement-${statementId(partnerId, period)}`;

export const evolveStatement = (state: StatementState, event: SettlementEvent): StatementState => {
  if (event.type === 'SettlementStatementOpened') {
    const d = event.data;
    return { exists: true, partnerId: d.partnerId, period: d.period, currency: d.currency, status: 'open', lines: new Map() };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'SettlementLineAdded':
      return { ...state, lines: new Map(state.lines).set(event.data.line.lineId, event.data.line) };
    case 'SettlementStatementClosed':
      return { ...state, status: 'closed', totals: event.data.totals, ...(event.data.by ? { closedBy: event.data.by.id } : {}) };
    case 'SettlementStatementApproved':
      return { ...state, status: 'approved' };
    case 'SettlementStatementPaid':
      return { ...state, status: 'paid' };
  }
};

/** The agreements whose revenue counts towards a rebate on this statement, in the order their first line arrived. */
export const agreementsWithVolume = (lines: Iterable<SettlementLine>): string[] => [
  ...new Set([...lines].filter((l) => l.kind === 'revenue_share').map((l) => l.agreementId)),
];

type Decision = Either<DomainError, readonly SettlementEvent[]>;
type Existing = Extract<StatementState, { exists: true }>;

const requireStatus = (s: Existing, status: StatementStatus, action: string, code: string): DomainError | undefined =>
  s.status === status
    ? undefined
    : {
        code,
        message: `The ${s.period} statement of ${s.partnerId} is ${s.status}; it can be ${action} only when ${status}.`,
        details: { partnerId: s.partnerId, period: s.period, status: s.status },
      };

const fail = (e: DomainError): Decision => refuse(e.code, e.message, e.details as Record<string, unknown>);

const close = (s: Existing, data: Extract<SettlementCommand, { type: 'CloseSettlementStatement' }>['data']): Decision => {
  const wrong = requireStatus(s, 'open', 'closed', 'STATEMENT_ALREADY_CLOSED');
  if (wrong) return fail(wrong);
  const end = periodEnd(s.period);
  if (dateOf(data.closedAt) <= end) {
    return refuse('PERIOD_NOT_ENDED', `The period ${s.period} runs until ${end}; its statement can be closed from the day after.`, {
      period: s.period,
      periodEnd: end,
    });
  }
  const lines = [...s.lines.values()];
  const rebates: RebateEarned[] = [];
  for (const agreementId of agreementsWithVolume(lines)) {
    const rebateTerms = data.rebates.find((r) => r.agreementId === agreementId);
    if (!rebateTerms) {
      return refuse('REBATE_TERMS_MISSING', `The ${s.period} statement has revenue under agreement ${agreementId} but no rebate terms were given for it.`, {
        agreementId,
      });
    }
    const foreign = rebateTerms.terms.bands.find((b) => b.from.currency !== s.currency);
    if (foreign)
      return refuse('CURRENCY_MISMATCH', `Rebate bands of ${agreementId} are in ${foreign.from.currency}, the statement in ${s.currency}.`, { agreementId });
    const volume = sum(
      s.currency,
      lines.filter((l) => l.agreementId === agreementId).map((l) => l.volume),
    );
    const earned = rebateFor(volume, rebateTerms.terms);
    rebates.push({
      agreementId,
      agreementVersion: rebateTerms.agreementVersion,
      basis: rebateTerms.terms.basis,
      volume,
      band: earned.band + 1,
      rateBps: earned.rateBps,
      amount: earned.amount,
    });
  }
  const of = (kind: SettlementLine['kind']) =>
    sum(
      s.currency,
      lines.filter((l) => l.kind === kind).map((l) => l.amount),
    );
  const revenueShare = of('revenue_share');
  const jointMarketing = of('joint_marketing');
  const penalties = of('penalty');
  const rebateTotal = sum(
    s.currency,
    rebates.map((r) => r.amount),
  );
  const totals: StatementTotals = {
    revenueShare,
    jointMarketing,
    penalties,
    rebates: rebateTotal,
    total: sum(s.currency, [revenueShare, jointMarketing, penalties, rebateTotal]),
  };
  return right([
    {
      type: 'SettlementStatementClosed',
      data: {
        partnerId: s.partnerId,
        period: s.period,
        rebates,
        volume: sum(
          s.currency,
          lines.map((l) => l.volume),
        ),
        totals,
        lineCount: lines.length,
        by: data.by,
        closedAt: data.closedAt,
      },
    },
  ]);
};

export const decideStatement = (command: SettlementCommand, state: StatementState): Decision => {
  const { partnerId, period } = command.data;
  if (command.type === 'AddSettlementLine') {
    const { line } = command.data;
    if (line.date > periodEnd(period)) {
      return refuse('LINE_AFTER_PERIOD', `A line dated ${line.date} cannot go on the ${period} statement, which ends on ${periodEnd(period)}.`, {
        date: line.date,
        period,
      });
    }
    const currency = state.exists ? state.currency : line.amount.currency;
    const foreign = [line.amount, line.base, line.volume].find((m) => m.currency !== currency);
    if (foreign)
      return refuse('CURRENCY_MISMATCH', `The ${period} statement of ${partnerId} is in ${currency}, not ${foreign.currency}.`, { expected: currency });
    const events: SettlementEvent[] = [];
    if (!state.exists) {
      events.push({ type: 'SettlementStatementOpened', data: { partnerId, period, currency, openedAt: command.data.addedAt } });
    } else {
      const wrong = requireStatus(state, 'open', 'given new lines', 'STATEMENT_CLOSED');
      if (wrong) return fail(wrong);
      if (state.lines.has(line.lineId))
        return refuse('DUPLICATE_SETTLEMENT_LINE', `Line ${line.lineId} is already on the ${period} statement.`, { lineId: line.lineId });
    }
    events.push({ type: 'SettlementLineAdded', data: { ...command.data, correction: line.date < periodStart(period) } });
    return right(events);
  }
  if (!state.exists) {
    if (command.type === 'CloseSettlementStatement' && command.data.currency) {
      // Nothing happened in the period: a nil statement, opened and closed at once.
      const opened: SettlementEvent = {
        type: 'SettlementStatementOpened',
        data: { partnerId, period, currency: command.data.currency, openedAt: command.data.closedAt },
      };
      const closed = close(evolveStatement(state, opened) as Existing, command.data);
      return closed._tag === 'Left' ? closed : right([opened, ...closed.right]);
    }
    return refuse('STATEMENT_NOT_FOUND', `Dealer ${partnerId} has no statement for ${period}.`, { partnerId, period });
  }
  switch (command.type) {
    case 'CloseSettlementStatement':
      return close(state, command.data);
    case 'ApproveSettlementStatement': {
      const wrong = requireStatus(state, 'closed', 'approved', state.status === 'open' ? 'STATEMENT_NOT_CLOSED' : 'INVALID_STATEMENT_TRANSITION');
      if (wrong) return fail(wrong);
      if (state.closedBy === command.data.by.id)
        return refuse('SAME_PERSON_APPROVAL', `${command.data.by.id} closed the ${period} statement of ${partnerId}; someone else must approve it.`, {
          closedBy: state.closedBy,
        });
      const total = state.totals?.total ?? zero(state.currency);
      return right([{ type: 'SettlementStatementApproved', data: { ...command.data, total } }]);
    }
    case 'RecordSettlementPayment': {
      const wrong = requireStatus(state, 'approved', 'paid', state.status === 'paid' ? 'INVALID_STATEMENT_TRANSITION' : 'STATEMENT_NOT_APPROVED');
      if (wrong) return fail(wrong);
      const total = state.totals?.total ?? zero(state.currency);
      const due = total.amountMinor < 0 ? negate(total) : total;
      if (command.data.amount.currency !== due.currency || command.data.amount.amountMinor !== due.amountMinor) {
        return refuse(
          'SETTLEMENT_AMOUNT_MISMATCH',
          `The ${period} statement of ${partnerId} settles at ${formatMoney(due)}; a payment of ${formatMoney(command.data.amount)} does not settle it.`,
          { dueMinor: due.amountMinor, amountMinor: command.data.amount.amountMinor, currency: due.currency },
        );
      }
      return right([{ type: 'SettlementStatementPaid', data: { ...command.data, payer: total.amountMinor >= 0 ? 'manufacturer' : 'dealer' } }]);
    }
  }
};

export const statementDecider: Decider<SettlementCommand, SettlementEvent, StatementState> = {
  initialState: { exists: false },
  decide: decideStatement,
  evolve: evolveStatement,
};
