import { type Either, right } from 'fp-ts/Either';
import type { Decider } from '../shared/decider';
import { type DomainError, refuse } from '../shared/errors';
import { add, allocate, type Money, subtract, zero } from '../shared/money';
import type { RevenueSplitCommand } from './commands';
import type { RevenueSplitEvent } from './events';

/**
 * The revenue split of one order (`revenuesplit-<orderId>`). Each party's running total is always exactly its share of the
 * order's cumulative recognised revenue, allocated by largest remainder; a split line is the change in that total. So a
 * return credited in full brings every party back to exactly zero, however it was split into parts.
 */
export type RevenueSplitState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly agreementId: string;
      readonly agreementVersion: number;
      readonly recognized: Money;
      readonly perParty: ReadonlyMap<string, Money>;
      readonly sources: ReadonlySet<string>;
    };

export const revenueSplitStream = (orderId: string): string => `revenuesplit-${orderId}`;

export const evolveRevenueSplit = (state: RevenueSplitState, event: RevenueSplitEvent): RevenueSplitState => {
  const d = event.data;
  const perParty = new Map(state.exists ? state.perParty : []);
  for (const line of d.lines) {
    const had = perParty.get(line.partyId);
    perParty.set(line.partyId, had ? add(had, line.amount) : line.amount);
  }
  return {
    exists: true,
    agreementId: d.agreementId,
    agreementVersion: d.agreementVersion,
    recognized: d.recognized,
    perParty,
    sources: new Set(state.exists ? state.sources : []).add(`${d.source.kind}:${d.source.id}`),
  };
};

export const decideRevenueSplit = (command: RevenueSplitCommand, state: RevenueSplitState): Either<DomainError, readonly RevenueSplitEvent[]> => {
  const d = command.data;
  const sourceKey = `${d.source.kind}:${d.source.id}`;
  if (state.exists) {
    if (state.agreementId !== d.agreementId || state.agreementVersion !== d.agreementVersion) {
      return refuse(
        'SPLIT_RULE_CHANGED',
        `Order ${d.orderId} is split under agreement ${state.agreementId} v${state.agreementVersion}; its later billing cannot be split under ${d.agreementId} v${d.agreementVersion}.`,
        { orderId: d.orderId, agreementId: state.agreementId, agreementVersion: state.agreementVersion },
      );
    }
    if (state.sources.has(sourceKey)) {
      return refuse('SPLIT_ALREADY_RECORDED', `The revenue of ${d.source.kind} ${d.source.id} on order ${d.orderId} is already split.`, { source: d.source });
    }
    if (state.recognized.currency !== d.recognized.currency) {
      return refuse('CURRENCY_MISMATCH', `Order ${d.orderId} is split in ${state.recognized.currency}.`, { expected: state.recognized.currency });
    }
  }
  const totalBps = d.shares.reduce((a, s) => a + s.shareBps, 0);
  if (totalBps !== 10_000) return refuse('SPLIT_SHARES_NOT_100', `The split shares add up to ${totalBps} basis points, not 10000.`, { totalBps });
  const before = state.exists ? state.recognized : zero(d.recognized.currency);
  const amount = subtract(d.recognized, before);
  if (amount.amountMinor === 0) return right([]);
  const cumulative = allocate(
    d.recognized,
    d.shares.map((s) => s.shareBps),
  );
  const lines = d.shares.map((s, i) => {
    const had = state.exists ? (state.perParty.get(s.partyId) ?? zero(d.recognized.currency)) : zero(d.recognized.currency);
    return { partyId: s.partyId, role: s.role, shareBps: s.shareBps, amount: subtract(cumulative[i]!, had) };
  });
  const { shares: _shares, ...rest } = d;
  return right([{ type: 'RevenueSplitRecorded', data: { ...rest, amount, lines } }]);
};

export const revenueSplitDecider: Decider<RevenueSplitCommand, RevenueSplitEvent, RevenueSplitState> = {
  initialState: { exists: false },
  decide: decideRevenueSplit,
  evolve: evolveRevenueSplit,
};
