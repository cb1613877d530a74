import type { RevenueSplitEvent } from '../revenue-splits/events';
import { dateOf } from '../shared/calendar';
import { formatMoney } from '../shared/money';
import type { Policy } from '../shared/policy';
import type { PostCommissionLine } from './commands';

const SOURCE_NAMES = { invoice: 'Invoice', payment: 'Payment', credit_note: 'Credit note' } as const;

/** The commission lines a split gives: one per sales agent in it (an agreement names at most a few). */
export const commissionLinesFor = (event: RevenueSplitEvent): PostCommissionLine['data'][] => {
  const d = event.data;
  return d.lines
    .filter((l) => l.role === 'sales_agent' && l.amount.amountMinor !== 0)
    .map((l) => ({
      agentId: l.partyId,
      cadence: d.settlementPeriod,
      at: d.source.at,
      line: {
        lineId: `rev:${d.orderId}:${d.source.kind}:${d.source.id}`,
        orderId: d.orderId,
        partnerId: d.partnerId,
        agreementId: d.agreementId,
        agreementVersion: d.agreementVersion,
        source: { kind: d.source.kind, id: d.source.id },
        date: dateOf(d.source.at),
        description: `${SOURCE_NAMES[d.source.kind]} ${d.source.id} of order ${d.orderId} (${d.partnerId}): ${(l.shareBps / 100).toFixed(2)} % of ${formatMoney(d.amount)}`,
        base: d.amount,
        shareBps: l.shareBps,
        amount: l.amount,
      },
    }));
};

/** Posts every sales agent's share of an invoice, payment or credit note to its commission statement. */
export const commissionLinesPolicy: Policy<RevenueSplitEvent, PostCommissionLine> = {
  name: 'commission_lines',
  eventTypes: ['RevenueSplitRecorded'],
  react: (event) => commissionLinesFor(event).map((data) => ({ type: 'PostCommissionLine', data })),
};
