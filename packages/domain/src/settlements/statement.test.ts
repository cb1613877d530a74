import { describe, expect, it } from 'vitest';
import type { RebateTerms } from '../agreements/terms';
import { fold } from '../shared/decider';
import type { Actor } from '../shared/ids';
import { money } from '../shared/money';
import { given } from '../testing';
import type { SettlementCommand, SettlementLine } from './commands';
import type { SettlementEvent } from './events';
import { statementDecider } from './statement';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const felix: Actor = { id: 'felix.finance', role: 'finance' };
const greta: Actor = { id: 'greta.finance', role: 'finance' };
const partnerId = 'acme';
const period = '2025-03';
const at = '2025-03-10T09:00:00Z';
const rebate: RebateTerms = {
  basis: 'band_total',
  bands: [
    { from: eur(0), rateBps: 0 },
    { from: eur(10_000_00), rateBps: 200 },
  ],
};
const revenue = (id: string, baseMinor: number, date = '2025-03-10'): SettlementLine => ({
  lineId: `rev:${id}`,
  kind: 'revenue_share',
  agreementId: 'agr-1',
  agreementVersion: 1,
  orderId: id,
  reference: `inv-${id}`,
  date,
  description: `Invoice of ${id}`,
  base: eur(baseMinor),
  amount: eur(baseMinor / 10),
  volume: eur(baseMinor),
});
const penalty: SettlementLine = {
  lineId: 'breach:agr-1:b1',
  kind: 'penalty',
  agreementId: 'agr-1',
  agreementVersion: 1,
  reference: 'b1',
  date: '2025-03-20',
  description: 'Late payment',
  base: eur(500_00),
  amount: eur(-500_00),
  volume: eur(0),
};
const add = (line: SettlementLine, p = period): SettlementCommand => ({ type: 'AddSettlementLine', data: { partnerId, period: p, line, addedAt: at } });
const opened = (): SettlementEvent => ({ type: 'SettlementStatementOpened', data: { partnerId, period, currency: 'EUR', openedAt: at } });
const added = (line: SettlementLine, correction = false): SettlementEvent => ({
  type: 'SettlementLineAdded',
  data: { partnerId, period, line, correction, addedAt: at },
});
const close = (closedAt = '2025-04-03T09:00:00Z', rebates = [{ agreementId: 'agr-1', agreementVersion: 1, terms: rebate }]): SettlementCommand => ({
  type: 'CloseSettlementStatement',
  data: { partnerId, period, rebates, by: felix, closedAt },
});
const givenStatement = given(statementDecider);
const closedHistory = (): SettlementEvent[] => {
  const history = [opened(), added(revenue('o1', 8_000_00)), added(revenue('o2', 4_000_00)), added(penalty)];
  const result = statementDecider.decide(close(), fold(statementDecider, history));
  if (result._tag === 'Left') throw new Error(result.left.message);
  return [...history, ...result.right];
};

describe('a settlement statement', () => {
  it('opens with its first line', () => {
    givenStatement()
      .when(add(revenue('o1', 8_000_00)))
      .then(opened(), added(revenue('o1', 8_000_00)));
  });

  it('closes after the period, adding the rebate the volume earned and totals that reconcile to the lines', () => {
    givenStatement(opened(), added(revenue('o1', 8_000_00)), added(revenue('o2', 4_000_00)), added(penalty))
      .when(close())
      .then({
        type: 'SettlementStatementClosed',
        data: {
          partnerId,
          period,
          // 12,000.00 of volume reaches the 2 % band: 240.00
          rebates: [{ agreementId: 'agr-1', agreementVersion: 1, basis: 'band_total', volume: eur(12_000_00), band: 2, rateBps: 200, amount: eur(240_00) }],
          volume: eur(12_000_00),
          totals: { revenueShare: eur(1_200_00), jointMarketing: eur(0), penalties: eur(-500_00), rebates: eur(240_00), total: eur(940_00) },
          lineCount: 3,
          by: felix,
          closedAt: '2025-04-03T09:00:00Z',
        },
      });
  });

  it('refuses to close before the period has ended, or without rebate terms for an agreement with volume', () => {
    givenStatement(opened(), added(revenue('o1', 1_00)))
      .when(close('2025-03-31T23:00:00Z'))
      .thenRefuses('PERIOD_NOT_ENDED');
    givenStatement(opened(), added(revenue('o1', 1_00)))
      .when(close(undefined, []))
      .thenRefuses('REBATE_TERMS_MISSING');
    givenStatement().when(close()).thenRefuses('STATEMENT_NOT_FOUND');
  });

  it('never changes once closed: a new line is refused (the command bus then posts it to the next period)', () => {
    givenStatement(...closedHistory())
      .when(add(revenue('o3', 1_00)))
      .thenRefuses('STATEMENT_CLOSED');
    givenStatement(...closedHistory())
      .when(close())
      .thenRefuses('STATEMENT_ALREADY_CLOSED');
  });

  it('marks a line for an earlier period as a correction, and refuses a line dated after the period', () => {
    const late = revenue('o9', 1_00, '2025-02-27');
    givenStatement(opened()).when(add(late)).then(added(late, true));
    givenStatement(opened())
      .when(add(revenue('o9', 1_00, '2025-04-01')))
      .thenRefuses('LINE_AFTER_PERIOD');
    givenStatement(opened(), added(revenue('o1', 1_00)))
      .when(add(revenue('o1', 1_00)))
      .thenRefuses('DUPLICATE_SETTLEMENT_LINE');
  });

  it('is approved by someone other than whoever closed it (four eyes), then paid with exactly its total by whoever owes it', () => {
    const approve = (by: Actor): SettlementCommand => ({
      type: 'ApproveSettlementStatement',
      data: { partnerId, period, by, approvedAt: '2025-04-05T09:00:00Z' },
    });
    givenStatement(...closedHistory())
      .when(approve(felix))
      .thenRefuses('SAME_PERSON_APPROVAL');
    const approved: SettlementEvent = {
      type: 'SettlementStatementApproved',
      data: { partnerId, period, total: eur(940_00), by: greta, approvedAt: '2025-04-05T09:00:00Z' },
    };
    givenStatement(...closedHistory())
      .when(approve(greta))
      .then(approved);
    const pay = (amountMinor: number): SettlementCommand => ({
      type: 'RecordSettlementPayment',
      data: { partnerId, period, paymentReference: 'BT-99', amount: eur(amountMinor), paidAt: '2025-04-10T09:00:00Z' },
    });
    givenStatement(...closedHistory(), approved)
      .when(pay(940_00))
      .then({
        type: 'SettlementStatementPaid',
        data: { partnerId, period, paymentReference: 'BT-99', amount: eur(940_00), payer: 'manufacturer', paidAt: '2025-04-10T09:00:00Z' },
      });
    givenStatement(...closedHistory(), approved)
      .when(pay(939_99))
      .thenRefuses('SETTLEMENT_AMOUNT_MISMATCH');
    givenStatement(...closedHistory())
      .when(pay(940_00))
      .thenRefuses('STATEMENT_NOT_APPROVED');
    givenStatement(opened())
      .when({ type: 'ApproveSettlementStatement', data: { partnerId, period, by: greta, approvedAt: at } })
      .thenRefuses('STATEMENT_NOT_CLOSED');
  });
});

describe('totals', () => {
  it('reconcile: the total is the sum of every line and rebate', () => {
    const state = fold(statementDecider, closedHistory());
    if (!state.exists || !state.totals) throw new Error('closed');
    const lines = [...state.lines.values()].reduce((a, l) => a + l.amount.amountMinor, 0);
    expect(state.totals.total.amountMinor).toBe(lines + state.totals.rebates.amountMinor);
  });
});

describe('a nil statement', () => {
  it('closes a period in which the dealer had nothing, so that later lines go to the next period', () => {
    givenStatement()
      .when({ type: 'CloseSettlementStatement', data: { partnerId, period, rebates: [], currency: 'EUR', by: felix, closedAt: '2025-04-03T09:00:00Z' } })
      .then(
        { type: 'SettlementStatementOpened', data: { partnerId, period, currency: 'EUR', openedAt: '2025-04-03T09:00:00Z' } },
        {
          type: 'SettlementStatementClosed',
          data: {
            partnerId,
            period,
            rebates: [],
            volume: eur(0),
            totals: { revenueShare: eur(0), jointMarketing: eur(0), penalties: eur(0), rebates: eur(0), total: eur(0) },
            lineCount: 0,
            by: felix,
            closedAt: '2025-04-03T09:00:00Z',
          },
        },
      );
    givenStatement()
      .when({ type: 'CloseSettlementStatement', data: { partnerId, period, rebates: [], currency: 'EUR', by: felix, closedAt: '2025-03-31T09:00:00Z' } })
      .thenRefuses('PERIOD_NOT_ENDED');
  });
});
