import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RevenueSplitEvent } from '../revenue-splits/events';
import { fold } from '../shared/decider';
import type { Actor } from '../shared/ids';
import { money } from '../shared/money';
import { given } from '../testing';
import type { CommissionCommand, CommissionLine } from './commands';
import type { CommissionEvent } from './events';
import { commissionLinesFor } from './policy';
import { commissionDecider } from './statement';

const eur = (minor: number) => money(minor, 'EUR');
const key = { agentId: 'agent-li', period: '2026-03' };
const felix: Actor = { id: 'felix.finance', role: 'finance' };
const greta: Actor = { id: 'greta.finance', role: 'finance' };
const at = '2026-03-10T09:00:00Z';
const line = (id: string, amountMinor: number, kind: 'invoice' | 'credit_note' = 'invoice', date = '2026-03-10'): CommissionLine => ({
  lineId: `rev:${id}:${kind}:${kind}-${id}`,
  orderId: id,
  partnerId: 'acme',
  agreementId: 'AGR-1',
  agreementVersion: 1,
  source: { kind, id: `${kind}-${id}` },
  date,
  description: `${kind} of ${id}`,
  base: eur(amountMinor * 20),
  shareBps: 500,
  amount: eur(amountMinor),
});
const opened: CommissionEvent = { type: 'CommissionStatementOpened', data: { ...key, currency: 'EUR', openedAt: at } };
const added = (l: CommissionLine, correction = false): CommissionEvent => ({ type: 'CommissionLineAdded', data: { ...key, line: l, correction, addedAt: at } });
const close = (by = felix, closedAt = '2026-04-03T08:00:00Z'): CommissionCommand => ({ type: 'CloseCommissionStatement', data: { ...key, by, closedAt } });
const givenStatement = given(commissionDecider);
const closedHistory = (): CommissionEvent[] => {
  const history = [opened, added(line('SO-1', 61_728)), added(line('SO-2', 45_000)), added(line('SO-2', -7_500, 'credit_note'))];
  const r = commissionDecider.decide(close(), fold(commissionDecider, history));
  if (r._tag === 'Left') throw new Error(r.left.message);
  return [...history, ...r.right];
};

describe('an agent’s commission statement', () => {
  it('opens with its first line and marks a line of an earlier period as a correction', () => {
    givenStatement()
      .when({ type: 'AddCommissionLine', data: { ...key, line: line('SO-1', 100), addedAt: at } })
      .then(opened, added(line('SO-1', 100)));
    givenStatement(opened)
      .when({ type: 'AddCommissionLine', data: { ...key, line: line('SO-9', 100, 'invoice', '2026-02-27'), addedAt: at } })
      .then(added(line('SO-9', 100, 'invoice', '2026-02-27'), true));
  });

  it('closes after its period with commission, clawbacks on returned goods and their total', () => {
    givenStatement(opened, added(line('SO-1', 61_728)), added(line('SO-2', 45_000)), added(line('SO-2', -7_500, 'credit_note')))
      .when(close())
      .then({
        type: 'CommissionStatementClosed',
        data: {
          ...key,
          totals: { commission: eur(106_728), clawbacks: eur(-7_500), total: eur(99_228) },
          lineCount: 3,
          by: felix,
          closedAt: '2026-04-03T08:00:00Z',
        },
      });
    givenStatement(opened).when(close(felix, '2026-03-31T20:00:00Z')).thenRefuses('PERIOD_NOT_ENDED');
    givenStatement(...closedHistory())
      .when({ type: 'AddCommissionLine', data: { ...key, line: line('SO-3', 1), addedAt: at } })
      .thenRefuses('STATEMENT_CLOSED');
  });

  it('is approved by someone other than whoever closed it, then paid with exactly its total', () => {
    const approve = (by: Actor): CommissionCommand => ({ type: 'ApproveCommissionStatement', data: { ...key, by, approvedAt: '2026-04-06T09:00:00Z' } });
    givenStatement(...closedHistory())
      .when(approve(felix))
      .thenRefuses('SAME_PERSON_APPROVAL');
    const approved: CommissionEvent = {
      type: 'CommissionStatementApproved',
      data: { ...key, total: eur(99_228), by: greta, approvedAt: '2026-04-06T09:00:00Z' },
    };
    givenStatement(...closedHistory())
      .when(approve(greta))
      .then(approved);
    const pay = (amountMinor: number): CommissionCommand => ({
      type: 'RecordCommissionPayment',
      data: { ...key, paymentReference: 'COM-1', amount: eur(amountMinor), paidAt: '2026-04-21T09:00:00Z' },
    });
    givenStatement(...closedHistory(), approved)
      .when(pay(99_227))
      .thenRefuses('SETTLEMENT_AMOUNT_MISMATCH');
    givenStatement(...closedHistory(), approved)
      .when(pay(99_228))
      .then({
        type: 'CommissionStatementPaid',
        data: { ...key, paymentReference: 'COM-1', amount: eur(99_228), payer: 'manufacturer', paidAt: '2026-04-21T09:00:00Z' },
      });
    givenStatement(...closedHistory())
      .when(pay(99_228))
      .thenRefuses('STATEMENT_NOT_APPROVED');
  });

  it('totals exactly the agent’s split lines, whatever they are', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.boolean()), { maxLength: 30 }), (lines) => {
        const history: CommissionEvent[] = [opened, ...lines.map(([amount, credit], i) => added(line(`SO-${i}`, amount, credit ? 'credit_note' : 'invoice')))];
        const r = commissionDecider.decide(close(), fold(commissionDecider, history));
        if (r._tag === 'Left') throw new Error(r.left.message);
        const { totals } = (r.right[0] as Extract<CommissionEvent, { type: 'CommissionStatementClosed' }>).data;
        expect(totals.total.amountMinor).toBe(lines.reduce((a, [amount]) => a + amount, 0));
        expect(totals.commission.amountMinor + totals.clawbacks.amountMinor).toBe(totals.total.amountMinor);
      }),
    );
  });
});

describe('the commission_lines policy', () => {
  it('posts each sales agent’s line of a split, and nothing for a split without one', () => {
    const split = (lines: { partyId: string; role: 'manufacturer' | 'dealer' | 'sales_agent'; shareBps: number; amount: number }[]): RevenueSplitEvent => ({
      type: 'RevenueSplitRecorded',
      data: {
        orderId: 'SO-2',
        partnerId: 'acme',
        agreementId: 'AGR-1',
        agreementVersion: 1,
        settlementBasis: 'on_invoice',
        settlementPeriod: 'month',
        source: { kind: 'credit_note', id: 'CN-1', at: '2026-03-20T10:00:00Z' },
        amount: eur(-150_000),
        recognized: eur(750_000),
        lines: lines.map((l) => ({ ...l, amount: eur(l.amount) })),
      },
    });
    expect(
      commissionLinesFor(
        split([
          { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500, amount: -127_500 },
          { partyId: 'acme', role: 'dealer', shareBps: 1_000, amount: -15_000 },
          { partyId: 'agent-li', role: 'sales_agent', shareBps: 500, amount: -7_500 },
        ]),
      ),
    ).toEqual([
      {
        agentId: 'agent-li',
        cadence: 'month',
        at: '2026-03-20T10:00:00Z',
        line: {
          lineId: 'rev:SO-2:credit_note:CN-1',
          orderId: 'SO-2',
          partnerId: 'acme',
          agreementId: 'AGR-1',
          agreementVersion: 1,
          source: { kind: 'credit_note', id: 'CN-1' },
          date: '2026-03-20',
          description: 'Credit note CN-1 of order SO-2 (acme): 5.00 % of -1,500.00 EUR',
          base: eur(-150_000),
          shareBps: 500,
          amount: eur(-7_500),
        },
      },
    ]);
    expect(commissionLinesFor(split([{ partyId: 'acme', role: 'dealer', shareBps: 10_000, amount: -150_000 }]))).toEqual([]);
  });
});
