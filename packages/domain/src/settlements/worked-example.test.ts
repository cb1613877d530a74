/**
 * The worked example of docs/agreements.md, figure by figure: if this test passes, the document's numbers are what DMS
 * computes. Change both together.
 */
import { describe, expect, it } from 'vitest';
import type { AgreementEvent } from '../agreements/events';
import { rebateFor } from '../agreements/rebates';
import type { PartyShare, RebateTerms } from '../agreements/terms';
import type { RecordRevenueSplit } from '../revenue-splits/commands';
import type { RevenueSplitEvent } from '../revenue-splits/events';
import { type RevenueSplitState, revenueSplitDecider } from '../revenue-splits/split';
import { fold } from '../shared/decider';
import { allocate, money } from '../shared/money';
import type { SettlementCommand } from './commands';
import type { SettlementEvent } from './events';
import { settlementLineFor } from './policy';
import { statementDecider } from './statement';

const eur = (amountMinor: number) => money(amountMinor, 'EUR');
const shares: PartyShare[] = [
  { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500 },
  { partyId: 'acme', role: 'dealer', shareBps: 1_000 },
  { partyId: 'agent-li', role: 'sales_agent', shareBps: 500 },
];
const bands = [
  { from: eur(0), rateBps: 0 },
  { from: eur(10_000_00), rateBps: 200 },
  { from: eur(25_000_00), rateBps: 300 },
];
const bandTotal: RebateTerms = { basis: 'band_total', bands };

/** Splits an order's billing events in turn, as the revenue_split policy does; returns each split event. */
const splitOrder = (orderId: string, steps: [kind: 'invoice' | 'credit_note', id: string, at: string, recognizedMinor: number][]) => {
  let state: RevenueSplitState = revenueSplitDecider.initialState;
  const out: RevenueSplitEvent[] = [];
  for (const [kind, id, at, recognized] of steps) {
    const command: RecordRevenueSplit = {
      type: 'RecordRevenueSplit',
      data: {
        orderId,
        partnerId: 'acme',
        agreementId: 'AGR-ACME-2026',
        agreementVersion: 1,
        settlementBasis: 'on_invoice',
        settlementPeriod: 'month',
        shares,
        source: { kind, id, at },
        recognized: eur(recognized),
      },
    };
    const result = revenueSplitDecider.decide(command, state);
    if (result._tag === 'Left') throw new Error(result.left.message);
    out.push(...result.right);
    state = result.right.reduce(revenueSplitDecider.evolve, state);
  }
  return out;
};
const amounts = (e: RevenueSplitEvent | undefined) => e?.data.lines.map((l) => l.amount.amountMinor);

describe('the worked example of docs/agreements.md', () => {
  const so1 = splitOrder('SO-1', [
    ['invoice', 'INV-1', '2026-03-05T10:00:00Z', 12_345_67],
    // The credit note recorded after March was closed (see below).
    ['credit_note', 'CN-2', '2026-03-31T16:00:00Z', 12_000_00],
  ]);
  const so2 = splitOrder('SO-2', [
    ['invoice', 'INV-2', '2026-03-12T10:00:00Z', 9_000_00],
    ['credit_note', 'CN-1', '2026-03-20T10:00:00Z', 7_500_00],
  ]);

  it('splits each invoice by largest remainder: 12,345.67 as 10,493.82 / 1,234.57 / 617.28', () => {
    expect(amounts(so1[0])).toEqual([10_493_82, 1_234_57, 617_28]);
    expect(amounts(so2[0])).toEqual([7_650_00, 900_00, 450_00]);
  });

  it('splits a credit note as negative lines that keep each party at its share of what the order earned', () => {
    expect(amounts(so2[1])).toEqual([-1_275_00, -150_00, -75_00]);
    expect(amounts(so1[1])).toEqual([-293_82, -34_57, -17_28]);
    expect(allocate(eur(12_000_00), [8_500, 1_000, 500]).map((m) => m.amountMinor)).toEqual([10_200_00, 1_200_00, 600_00]);
  });

  it('earns the rebate of the band the month reached', () => {
    expect(rebateFor(eur(19_845_67), bandTotal).amount).toEqual(eur(396_91));
    expect(rebateFor(eur(19_845_67), { basis: 'band_marginal', bands }).amount).toEqual(eur(196_91));
  });

  it('closes March at 1,331.48 owed to the dealer, and puts the late credit note on April', () => {
    const spend: AgreementEvent = {
      type: 'JointMarketingSpendRecorded',
      data: {
        agreementId: 'AGR-ACME-2026',
        partnerId: 'acme',
        spendId: 'JM-1',
        version: 1,
        description: 'Spring trade fair',
        amount: eur(2_000_00),
        paidBy: 'manufacturer',
        spentOn: '2026-03-15',
        shares: [
          { partyId: 'manufacturer', role: 'manufacturer', shareBps: 6_000, amount: eur(1_200_00) },
          { partyId: 'acme', role: 'dealer', shareBps: 4_000, amount: eur(800_00) },
        ],
        settlementPeriod: 'month',
        recordedAt: '2026-03-15T12:00:00Z',
      },
    };
    const breach: AgreementEvent = {
      type: 'AgreementBreachRecorded',
      data: {
        agreementId: 'AGR-ACME-2026',
        partnerId: 'acme',
        breachId: 'BR-1',
        clauseId: 'B1',
        version: 1,
        breachingParty: 'dealer',
        description: 'Invoice paid 40 days late',
        occurredOn: '2026-03-25',
        penalty: eur(250_00),
        settlementPeriod: 'month',
        recordedAt: '2026-03-26T09:00:00Z',
      },
    };
    let march: SettlementEvent[] = [];
    const run = (command: SettlementCommand) => {
      const result = statementDecider.decide(command, fold(statementDecider, march));
      if (result._tag === 'Left') return result.left.code;
      march = [...march, ...result.right];
      return 'ok';
    };
    for (const event of [so1[0]!, so2[0]!, spend, so2[1]!, breach]) {
      const posted = settlementLineFor(event)!;
      expect(run({ type: 'AddSettlementLine', data: { partnerId: 'acme', period: '2026-03', line: posted.line, addedAt: posted.at } })).toBe('ok');
    }
    run({
      type: 'CloseSettlementStatement',
      data: {
        partnerId: 'acme',
        period: '2026-03',
        rebates: [{ agreementId: 'AGR-ACME-2026', agreementVersion: 1, terms: bandTotal }],
        by: { id: 'felix.finance', role: 'finance' },
        closedAt: '2026-04-03T08:00:00Z',
      },
    });
    expect(march.at(-1)).toMatchObject({
      type: 'SettlementStatementClosed',
      data: {
        volume: eur(19_845_67),
        rebates: [{ band: 2, rateBps: 200, amount: eur(396_91) }],
        totals: { revenueShare: eur(1_984_57), jointMarketing: eur(-800_00), penalties: eur(-250_00), rebates: eur(396_91), total: eur(1_331_48) },
      },
    });
    // CN-2 is dated 31 March but arrives after the close: March refuses it, and the command bus posts it to April.
    const late = settlementLineFor(so1[1]!)!;
    expect(run({ type: 'AddSettlementLine', data: { partnerId: 'acme', period: '2026-03', line: late.line, addedAt: late.at } })).toBe('STATEMENT_CLOSED');
    expect(late.line).toMatchObject({ date: '2026-03-31', amount: eur(-34_57), volume: eur(-345_67) });
  });
});
