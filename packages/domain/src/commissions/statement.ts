import { type Either, right } from 'fp-ts/Either';
import { periodEnd, periodStart } from '../settlements/periods';
import { dateOf } from '../shared/calendar';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { formatMoney, negate, sum } from '../shared/money';
import type { CommissionCommand, CommissionLine } from './commands';
import type { CommissionEvent, CommissionTotals } from './events';

/** `open -> closed -> approved -> paid`, like a dealer's settlement statement. */
export type CommissionStatus = 'open' | 'closed' | 'approved' | 'paid';

export type CommissionState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly agentId: string;
      readonly period: string;
      readonly currency: string;
      readonly status: CommissionStatus;
      readonly lines: ReadonlyMap<string, CommissionLine>;
      readonly totals?: CommissionTotals;
      /** Who closed it: someone else must approve it. */
      readonly closedBy?: string;
    };

export const commissionStatementId = (agentId: string, period: string): string => `${agentId}.${period}`;
export const commissionStream = (agentId: string, period: string): string => `commission-${commissionStatementId(agentId, period)}`;

export const evolveCommission = (state: CommissionState, event: CommissionEvent): CommissionState => {
  if (event.type === 'CommissionStatementOpened') {
    const d = event.data;
    return { exists: true, agentId: d.agentId, period: d.period, currency: d.currency, status: 'open', lines: new Map() };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'CommissionLineAdded':
      return { ...state, lines: new Map(state.lines).set(event.data.line.lineId, event.data.line) };
    case 'CommissionStatementClosed':
      return { ...state, status: 'closed', totals: event.data.totals, closedBy: event.data.by.id };
    case 'CommissionStatementApproved':
      return { ...state, status: 'approved' };
    case 'CommissionStatementPaid':
      return { ...state, status: 'paid' };
  }
};

/** Commission (invoices, payments) and clawbacks (credit notes) of a statement's lines, and their total. */
export const commissionTotals = (currency: string, lines: Iterable<CommissionLine>): CommissionTotals => {
  const all = [...lines];
  const commission = sum(
    currency,
    all.filter((l) => l.source.kind !== 'credit_note').map((l) => l.amount),
  );
  const clawbacks = sum(
    currency,
    all.filter((l) => l.source.kind === 'credit_note').map((l) => l.amount),
  );
  return { commission, clawbacks, total: sum(currency, [commission, clawbacks]) };
};

type Decision = Either<DomainError, readonly CommissionEvent[]>;
type Existing = Extract<CommissionState, { exists: true }>;

const wrongStatus = (s: Existing, status: CommissionStatus, action: string, code: string): Decision | undefined =>
  s.status === status
    ? undefined
    : refuse(code, `The ${s.period} commission statement of ${s.agentId} is ${s.status}; it can be ${action} only when ${status}.`, {
        agentId: s.agentId,
        period: s.period,
        status: s.status,
      });

const addLine = (state: CommissionState, data: Extract<CommissionCommand, { type: 'AddCommissionLine' }>['data']): Decision => {
  const { agentId, period, line } = data;
  if (line.date > periodEnd(period))
    return refuse('LINE_AFTER_PERIOD', `A line dated ${line.date} cannot go on the ${period} statement, which ends on ${periodEnd(period)}.`, { period });
  const currency = state.exists ? state.currency : line.amount.currency;
  const foreign = [line.amount, line.base].find((m) => m.currency !== currency);
  if (foreign)
    return refuse('CURRENCY_MISMATCH', `The ${period} commission statement of ${agentId} is in ${currency}, not ${foreign.currency}.`, { expected: currency });
  const events: CommissionEvent[] = [];
  if (!state.exists) {
    events.push({ type: 'CommissionStatementOpened', data: { agentId, period, currency, openedAt: data.addedAt } });
  } else {
    const wrong = wrongStatus(state, 'open', 'given new lines', 'STATEMENT_CLOSED');
    if (wrong) return wrong;
    if (state.lines.has(line.lineId))
      return refuse('DUPLICATE_COMMISSION_LINE', `Line ${line.lineId} is already on the ${period} statement.`, { lineId: line.lineId });
  }
  events.push({ type: 'CommissionLineAdded', data: { ...data, correction: line.date < periodStart(period) } });
  return right(events);
};

export const decideCommission = (command: CommissionCommand, state: CommissionState): Decision => {
  if (command.type === 'AddCommissionLine') return addLine(state, command.data);
  const { agentId, period } = command.data;
  if (!state.exists) return refuse('STATEMENT_NOT_FOUND', `Sales agent ${agentId} has no commission statement for ${period}.`, { agentId, period });
  switch (command.type) {
    case 'CloseCommissionStatement': {
      const wrong = wrongStatus(state, 'open', 'closed', 'STATEMENT_ALREADY_CLOSED');
      if (wrong) return wrong;
      const end = periodEnd(period);
      if (dateOf(command.data.closedAt) <= end)
        return refuse('PERIOD_NOT_ENDED', `The period ${period} runs until ${end}; its statement can be closed from the day after.`, {
          period,
          periodEnd: end,
        });
      const totals = commissionTotals(state.currency, state.lines.values());
      return right([{ type: 'CommissionStatementClosed', data: { ...command.data, totals, lineCount: state.lines.size } }]);
    }
    case 'ApproveCommissionStatement': {
      const wrong = wrongStatus(state, 'closed', 'approved', state.status === 'open' ? 'STATEMENT_NOT_CLOSED' : 'INVALID_STATEMENT_TRANSITION');
      if (wrong) return wrong;
      if (state.closedBy !== undefined && state.closedBy === command.data.by.id)
        return refuse('SAME_PERSON_APPROVAL', `${command.data.by.id} closed the ${period} commission statement of ${agentId}; someone else must approve it.`, {
          closedBy: state.closedBy,
        });
      const { note, ...rest } = command.data;
      return right([{ type: 'CommissionStatementApproved', data: { ...rest, ...(note ? { note } : {}), total: state.totals!.total } }]);
    }
    case 'RecordCommissionPayment': {
      const wrong = wrongStatus(state, 'approved', 'paid', state.status === 'paid' ? 'INVALID_STATEMENT_TRANSITION' : 'STATEMENT_NOT_APPROVED');
      if (wrong) return wrong;
      const total = state.totals!.total;
      const due = total.amountMinor < 0 ? negate(total) : total;
      const paid = command.data.amount;
      if (paid.currency !== due.currency || paid.amountMinor !== due.amountMinor)
        return refuse(
          'SETTLEMENT_AMOUNT_MISMATCH',
          `The ${period} commission statement of ${agentId} settles at ${formatMoney(due)}; a payment of ${formatMoney(paid)} does not settle it.`,
          { dueMinor: due.amountMinor, amountMinor: paid.amountMinor, currency: due.currency },
        );
      return right([{ type: 'CommissionStatementPaid', data: { ...command.data, payer: total.amountMinor >= 0 ? 'manufacturer' : 'agent' } }]);
    }
  }
};

export const commissionDecider: Decider<CommissionCommand, CommissionEvent, CommissionState> = {
  initialState: { exists: false },
  decide: decideCommission,
  evolve: evolveCommission,
};
