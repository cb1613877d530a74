import type { AgreementEvent } from '../agreements/events';
import type { RevenueSplitEvent } from '../revenue-splits/events';
import { dateOf } from '../shared/calendar';
import { formatMoney, type Money, negate, subtract, zero } from '../shared/money';
import type { Policy } from '../shared/policy';
import type { PostSettlementLine, SettlementLine } from './commands';

const SOURCE_NAMES = { invoice: 'Invoice', payment: 'Payment', credit_note: 'Credit note' } as const;
const percent = (bps: number) => `${(bps / 100).toFixed(2)} %`;

/** What a dealer's statement gets from each money event of its agreements, as a line ready to post. */
export const settlementLineFor = (event: RevenueSplitEvent | AgreementEvent): PostSettlementLine['data'] | undefined => {
  let line: SettlementLine;
  let cadence: PostSettlementLine['data']['cadence'];
  let at: string;
  switch (event.type) {
    case 'RevenueSplitRecorded': {
      const d = event.data;
      const dealer = d.lines.find((l) => l.role === 'dealer');
      if (!dealer) return undefined;
      line = {
        lineId: `rev:${d.orderId}:${d.source.kind}:${d.source.id}`,
        kind: 'revenue_share',
        agreementId: d.agreementId,
        agreementVersion: d.agreementVersion,
        orderId: d.orderId,
        reference: d.source.id,
        date: dateOf(d.source.at),
        description: `${SOURCE_NAMES[d.source.kind]} ${d.source.id} of order ${d.orderId}: ${percent(dealer.shareBps)} of ${formatMoney(d.amount)}`,
        base: d.amount,
        amount: dealer.amount,
        volume: d.amount,
      };
      cadence = d.settlementPeriod;
      at = d.source.at;
      break;
    }
    case 'JointMarketingSpendRecorded': {
      const d = event.data;
      const dealerShare = d.shares.find((s) => s.role === 'dealer');
      const share: Money = dealerShare?.amount ?? zero(d.amount.currency);
      // The dealer is owed what it paid beyond its share, or owes its share of what the manufacturer paid.
      const amount = d.paidBy === 'dealer' ? subtract(d.amount, share) : negate(share);
      if (amount.amountMinor === 0) return undefined;
      line = {
        lineId: `jm:${d.agreementId}:${d.spendId}`,
        kind: 'joint_marketing',
        agreementId: d.agreementId,
        agreementVersion: d.version,
        reference: d.spendId,
        date: d.spentOn,
        description: `Joint marketing: ${d.description} (${formatMoney(d.amount)} paid by the ${d.paidBy}; dealer's share ${percent(dealerShare?.shareBps ?? 0)})`,
        base: d.amount,
        amount,
        volume: zero(d.amount.currency),
      };
      cadence = d.settlementPeriod;
      at = d.recordedAt;
      break;
    }
    case 'AgreementBreachRecorded': {
      const d = event.data;
      line = {
        lineId: `breach:${d.agreementId}:${d.breachId}`,
        kind: 'penalty',
        agreementId: d.agreementId,
        agreementVersion: d.version,
        reference: d.breachId,
        date: d.occurredOn,
        description: `Penalty for breach of clause ${d.clauseId} by the ${d.breachingParty}: ${d.description}`,
        base: d.penalty,
        amount: d.breachingParty === 'dealer' ? negate(d.penalty) : d.penalty,
        volume: zero(d.penalty.currency),
      };
      cadence = d.settlementPeriod;
      at = d.recordedAt;
      break;
    }
    default:
      return undefined;
  }
  return { partnerId: event.data.partnerId, cadence, line, at };
};

/** Posts every revenue share, joint-marketing share and penalty to the dealer's settlement statement. */
export const settlementLinesPolicy: Policy<RevenueSplitEvent | AgreementEvent, PostSettlementLine> = {
  name: 'settlement_lines',
  eventTypes: ['RevenueSplitRecorded', 'JointMarketingSpendRecorded', 'AgreementBreachRecorded'],
  react: (event) => {
    const data = settlementLineFor(event);
    return data ? [{ type: 'PostSettlementLine', data }] : [];
  },
};
