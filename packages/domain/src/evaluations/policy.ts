import type { SettlementEvent } from '../settlements/events';
import type { Policy } from '../shared/policy';
import type { RecordDealerScorecard } from './commands';

/**
 * When a dealer's settlement statement is closed, the same close scores the dealer's period and opens its review
 * (`RecordDealerScorecard` measures the facts recorded before the statement's closing event).
 */
export const dealerScorecardPolicy: Policy<SettlementEvent, RecordDealerScorecard> = {
  name: 'dealer_scorecard',
  eventTypes: ['SettlementStatementClosed'],
  react: (event) =>
    event.type === 'SettlementStatementClosed'
      ? [{ type: 'RecordDealerScorecard', data: { partnerId: event.data.partnerId, period: event.data.period, recordedAt: event.data.closedAt } }]
      : [],
};
