import type { CommandBus, CommandResult, DmsCommand } from '@dms/app';
import {
  type Actor,
  type AgreementTerms,
  aggregates,
  cadenceOf,
  type DmsEvent,
  orderStream,
  periodEnd,
  periodStart,
  type SettlementCadence,
  settlementStream,
} from '@dms/domain';
import { type CommandContext, loadAggregate } from '@dms/eventstore';
import { DEALERS, SALES_GOALS } from './catalogue';

/**
 * The partnership part of the demo: agreements with most dealers (one with a narrow scope, one never signed, one
 * terminated after a breach, amendments, an expiry with its renewal, one signed for next year, one whose activation is
 * refused because another dealer already serves the territory it asks for exclusively), joint marketing, and
 * month-end settlement: statements closed, approved and paid, with one late credit note landing in the next period.
 * Orders go through automated review: staff decide only the queued ones.
 */

const DAY = 86_400_000;
const sales: Actor = { id: 'anna.sales', role: 'sales' };
const finance: Actor = { id: 'felix.finance', role: 'finance' };
/** Approves what felix closes: money going out needs two people. */
const controller: Actor = { id: 'greta.finance', role: 'finance' };
const iso = (t: number) => new Date(t).toISOString();
const at = (date: string, time = '09:00:00') => Date.parse(`${date}T${time}Z`);
const eur = (major: number) => ({ amountMinor: Math.round(major * 100), currency: 'EUR' });

/** A step only the demo takes: reads what happened so far, then sends commands (or nothing). */
export interface DemoTask {
  readonly kind: 'task';
  readonly run: (bus: CommandBus, context: CommandContext, settle: (() => Promise<void>) | undefined) => Promise<TaskOutcome>;
}
export interface TaskOutcome {
  readonly result?: CommandResult;
  /** The order's later steps no longer apply (it was rejected or cancelled). */
  readonly endsOrder?: boolean;
}
type Step = { kind: 'command'; command: DmsCommand } | DemoTask;
type Add = (at: number, actor: Actor, step: Step) => void;

const sub = (context: CommandContext, suffix: string): CommandContext => ({ ...context, commandId: `${context.commandId}:${suffix}` });

const ALL = ['pumps', 'valves', 'pipes', 'fittings', 'controls', 'filters'];

interface DealerTerms {
  readonly categories?: readonly string[];
  readonly dealerShareBps?: number;
  readonly agent?: { readonly partyId: string; readonly shareBps: number };
  readonly basis?: 'band_total' | 'band_marginal';
  /** Band starts in euros with rates in basis points. */
  readonly bands?: readonly (readonly [number, number])[];
  readonly marketingDealerBps?: number;
  readonly settlement?: 'on_invoice' | 'on_payment';
  readonly period?: SettlementCadence;
  readonly exclusive?: boolean;
  /** The dealer's own price list overrides its tier's (docs/pricing.md). */
  readonly dealerPrices?: boolean;
}

const termsFor = (partnerId: string, region: string, t: DealerTerms = {}): AgreementTerms => {
  const dealerShare = t.dealerShareBps ?? 800;
  const agentShare = t.agent?.shareBps ?? 0;
  return {
    currency: 'EUR',
    scope: { productCategories: [...(t.categories ?? ALL)], regions: [region], exclusive: t.exclusive ?? false },
    responsibilities: [
      { clauseId: 'R1', party: 'dealer', title: 'Stocking', text: 'The dealer keeps at least two weeks of expected demand of the core range in stock.' },
      { clauseId: 'R2', party: 'manufacturer', title: 'Training', text: 'The manufacturer trains the dealer’s sales and service staff twice a year.' },
      { clauseId: 'R3', party: 'dealer', title: 'Reporting', text: 'The dealer shares sell-out figures by product family every month.' },
    ],
    pricingTier: DEALERS.find((d) => d.partnerId === partnerId)?.tier ?? 'standard',
    ...(t.dealerPrices ? { dealerPrices: true } : {}),
    revenueSplit: [
      { partyId: 'manufacturer', role: 'manufacturer', shareBps: 10_000 - dealerShare - agentShare },
      { partyId: partnerId, role: 'dealer', shareBps: dealerShare },
      ...(t.agent ? [{ partyId: t.agent.partyId, role: 'sales_agent' as const, shareBps: t.agent.shareBps }] : []),
    ],
    rebate: {
      basis: t.basis ?? 'band_total',
      bands: (
        t.bands ?? [
          [0, 0],
          [20_000, 100],
          [50_000, 200],
          [100_000, 300],
        ]
      ).map(([from, rateBps]) => ({ from: eur(from), rateBps })),
    },
    jointMarketing: [
      { partyId: 'manufacturer', role: 'manufacturer', shareBps: 10_000 - (t.marketingDealerBps ?? 5_000) },
      { partyId: partnerId, role: 'dealer', shareBps: t.marketingDealerBps ?? 5_000 },
    ],
    settlement: { basis: t.settlement ?? 'on_invoice', period: t.period ?? 'month' },
    paymentTerms: { netDays: 30 },
    ipClause: 'All trademarks, designs and software remain the manufacturer’s; the dealer may use the marks to sell the products in scope.',
    // The goals the dealer agreed to: its sales, and few returns. Its scorecards measure it against them.
    ...(SALES_GOALS[partnerId] !== undefined
      ? {
          goals: [
            { kpi: 'sales_value' as const, target: eur(SALES_GOALS[partnerId]! * ((t.period ?? 'month') === 'quarter' ? 3 : 1)) },
            { kpi: 'return_rate' as const, target: 200 },
          ],
        }
      : {}),
    breachClauses: [
      { clauseId: 'B1', title: 'Late payment', text: 'Invoices paid more than 30 days after their due date.', penalty: eur(2_500) },
      { clauseId: 'B2', title: 'Out-of-territory sales', text: 'Selling products in scope outside the agreed regions.', penalty: eur(10_000) },
      { clauseId: 'B3', title: 'Stocking obligation', text: 'Stock of the core range below two weeks of demand for a full month.', penalty: eur(1_500) },
    ],
  };
};

interface PlannedAgreement {
  readonly agreementId: string;
  readonly partnerId: string;
  readonly title: string;
  readonly terms: AgreementTerms;
  readonly effectiveFrom: string;
  readonly expiresOn: string;
  readonly draftedOn: string;
  /** Left out: the agreement stays a draft (or proposed). */
  readonly signedOn?: string;
  readonly proposedOnly?: boolean;
  /** The day it was terminated, if it was. */
  readonly endsOn?: string;
}

const regionOf = (partnerId: string) => DEALERS.find((d) => d.partnerId === partnerId)!.region;
const agreement = (
  partnerId: string,
  suffix: string,
  dates: Omit<PlannedAgreement, 'agreementId' | 'partnerId' | 'terms' | 'title'>,
  t: DealerTerms = {},
): PlannedAgreement => ({
  agreementId: `AGR-${partnerId}-${suffix}`,
  partnerId,
  title: `${DEALERS.find((d) => d.partnerId === partnerId)!.name} distribution agreement ${suffix}`,
  terms: termsFor(partnerId, regionOf(partnerId), t),
  ...dates,
});

const TERMINATED_ON = '2026-06-22';
const firstYear = { draftedOn: '2025-10-23', signedOn: '2025-10-28', effectiveFrom: '2025-11-01' };

/** Every dealer's agreements but the refused one below. adriatic-tech has none in force (see REFUSED_AGREEMENT), so every one of its orders waits for a person. */
export const DEMO_AGREEMENTS: readonly PlannedAgreement[] = [
  // nordic-flow shares the north with baltic-pumps, so neither is exclusive there until nordic-flow's agreement ends.
  agreement('nordic-flow', '2026', { ...firstYear, expiresOn: '2026-12-15' }, { dealerShareBps: 1_000, agent: { partyId: 'agent-sven', shareBps: 200 } }),
  agreement(
    'baltic-pumps',
    '2026',
    { ...firstYear, expiresOn: '2027-01-31' },
    { categories: ['pumps', 'valves', 'controls'], basis: 'band_marginal', settlement: 'on_payment' },
  ),
  agreement(
    'baltic-pumps',
    '2027',
    { draftedOn: '2026-10-20', signedOn: '2026-11-10', effectiveFrom: '2027-02-01', expiresOn: '2028-01-31' },
    // The sole north dealer from February 2027, once nordic-flow's agreement has ended.
    { basis: 'band_marginal', exclusive: true },
  ),
  agreement(
    'iberia-agua',
    '2026',
    { ...firstYear, expiresOn: '2027-10-31' },
    {
      period: 'quarter',
      bands: [
        [0, 0],
        [60_000, 100],
        [150_000, 200],
        [300_000, 300],
      ],
    },
  ),
  agreement('danube-supply', '2026', { ...firstYear, expiresOn: '2026-10-31' }),
  agreement(
    'danube-supply',
    '2027',
    { draftedOn: '2026-09-21', signedOn: '2026-10-12', effectiveFrom: '2026-11-01', expiresOn: '2027-10-31' },
    { dealerShareBps: 900 },
  ),
  agreement('vistula-hydro', '2026', { ...firstYear, expiresOn: '2027-01-10' }, { categories: ['pumps', 'valves', 'pipes', 'fittings'] }),
  // Not exclusive: brittany-valves serves the west too.
  agreement('atlantic-fluid', '2026', { ...firstYear, expiresOn: '2027-10-31' }, { dealerShareBps: 1_000, marketingDealerBps: 4_000 }),
  agreement(
    'brittany-valves',
    '2026',
    { draftedOn: '2025-11-10', signedOn: '2025-12-03', effectiveFrom: '2025-12-01', expiresOn: '2026-11-30' },
    { categories: ['valves', 'fittings', 'pipes', 'filters'] },
  ),
  agreement('alpine-systems', '2026', { ...firstYear, expiresOn: '2027-04-30' }, { basis: 'band_marginal' }),
  agreement('rhein-industrie', '2026', { ...firstYear, expiresOn: '2027-06-30' }),
  agreement(
    'bohemia-trade',
    '2026',
    { ...firstYear, expiresOn: '2026-10-31', endsOn: TERMINATED_ON },
    {
      dealerShareBps: 600,
      bands: [
        [0, 0],
        [30_000, 100],
      ],
    },
  ),
  agreement('po-valley', '2027', { draftedOn: '2026-10-05', effectiveFrom: '2027-01-01', expiresOn: '2027-12-31', proposedOnly: true }),
];

/**
 * adriatic-tech asks to become the exclusive dealer of the south, which iberia-agua already serves: signed, but its
 * activation is refused (EXCLUSIVE_TERRITORY_TAKEN), so it never governs anything and adriatic-tech stays without an
 * agreement in force. Kept out of DEMO_AGREEMENTS, which lists the agreements that settle.
 */
const REFUSED_AGREEMENT: PlannedAgreement = agreement(
  'adriatic-tech',
  '2026',
  { draftedOn: '2026-02-02', signedOn: '2026-02-16', effectiveFrom: '2026-03-01', expiresOn: '2027-02-28' },
  { exclusive: true, dealerShareBps: 800 },
);

const find = (agreementId: string) => DEMO_AGREEMENTS.find((a) => a.agreementId === agreementId)!;

/** Plans the agreements' lives, the marketing, the breaches and the month-end settlements of the demo year. */
export const planAgreements = (add: Add, window: { start: number; end: number }): void => {
  const command = (t: number, actor: Actor, c: DmsCommand) => add(t, actor, { kind: 'command', command: c });
  for (const a of [...DEMO_AGREEMENTS, REFUSED_AGREEMENT]) {
    const drafted = at(a.draftedOn);
    command(drafted, sales, {
      type: 'DraftAgreement',
      data: {
        agreementId: a.agreementId,
        partnerId: a.partnerId,
        title: a.title,
        terms: a.terms,
        effectiveFrom: a.effectiveFrom,
        expiresOn: a.expiresOn,
        draftedAt: iso(drafted),
      },
    });
    command(drafted + DAY, sales, { type: 'ProposeAgreement', data: { agreementId: a.agreementId, proposedAt: iso(drafted + DAY) } });
    if (!a.signedOn || a.proposedOnly) continue;
    const signed = at(a.signedOn);
    command(signed, sales, {
      type: 'SignAgreement',
      data: { agreementId: a.agreementId, party: 'dealer', signedBy: `${a.partnerId} managing director`, signedAt: iso(signed) },
    });
    command(signed + 3_600_000, sales, {
      type: 'SignAgreement',
      data: { agreementId: a.agreementId, party: 'manufacturer', signedBy: 'Jonas Berg, head of channel sales', signedAt: iso(signed + 3_600_000) },
    });
    // Signed before its effective date: the agreement calendar puts it in force that morning. Signed later, the
    // activation policy does it at once (brittany-valves): the process managers run right after the signature.
    if (a.signedOn >= a.effectiveFrom) add(signed + 2 * 3_600_000, sales, settleProcesses);
    if (a.signedOn < a.effectiveFrom)
      command(at(a.effectiveFrom, '06:00:00'), sales, {
        type: 'ActivateAgreement',
        data: { agreementId: a.agreementId, activatedAt: iso(at(a.effectiveFrom, '06:00:00')) },
      });
  }

  // Amendments: new bands for nordic-flow from June; alpine-systems takes on a sales agent in March, and in September new
  // bands and its own pump prices (its price list is published in seed.ts).
  const amend = (agreementId: string, on: string, effectiveFrom: string, t: DealerTerms, reason: string) => {
    const a = find(agreementId);
    command(at(on), sales, {
      type: 'AmendAgreement',
      data: {
        agreementId,
        terms: termsFor(a.partnerId, regionOf(a.partnerId), t),
        effectiveFrom,
        reason,
        signedBy: { manufacturer: 'Jonas Berg, head of channel sales', dealer: `${a.partnerId} managing director` },
        amendedAt: iso(at(on)),
      },
    });
  };
  amend(
    'AGR-nordic-flow-2026',
    '2026-05-18',
    '2026-06-01',
    {
      dealerShareBps: 1_000,
      agent: { partyId: 'agent-sven', shareBps: 200 },
      bands: [
        [0, 0],
        [15_000, 150],
        [40_000, 250],
        [80_000, 350],
      ],
    },
    'Mid-year review: volume bands lowered to reward growth',
  );
  amend(
    'AGR-alpine-systems-2026',
    '2026-02-20',
    '2026-03-01',
    { basis: 'band_marginal', agent: { partyId: 'agent-greta', shareBps: 300 } },
    'Sales agent appointed for Austria',
  );
  amend(
    'AGR-alpine-systems-2026',
    '2026-08-25',
    '2026-09-01',
    {
      basis: 'band_marginal',
      agent: { partyId: 'agent-greta', shareBps: 300 },
      dealerPrices: true,
      bands: [
        [0, 50],
        [20_000, 150],
        [50_000, 250],
        [100_000, 350],
      ],
    },
    'Autumn campaign: a base rebate from the first euro, and the dealer’s own pump prices',
  );

  // Joint marketing and breaches.
  const spend = (agreementId: string, spendId: string, on: string, description: string, amount: number, paidBy: 'manufacturer' | 'dealer') =>
    command(at(on, '14:00:00'), sales, {
      type: 'RecordJointMarketingSpend',
      data: { agreementId, spendId, description, amount: eur(amount), paidBy, spentOn: on, recordedAt: iso(at(on, '14:00:00')) },
    });
  spend('AGR-atlantic-fluid-2026', 'JM-1', '2026-03-12', 'Booth at the Nantes water-tech fair', 18_400, 'manufacturer');
  spend('AGR-atlantic-fluid-2026', 'JM-2', '2026-09-08', 'Regional installer campaign (print and web)', 6_250.5, 'dealer');
  spend('AGR-nordic-flow-2026', 'JM-1', '2026-04-22', 'Co-branded catalogue for Scandinavian installers', 9_900, 'dealer');
  spend('AGR-alpine-systems-2026', 'JM-1', '2026-10-06', 'Demo pump truck tour, Bavaria and Tyrol', 12_000, 'manufacturer');
  const breach = (agreementId: string, breachId: string, clauseId: string, on: string, occurredOn: string, description: string, penalty?: number) =>
    command(at(on, '11:00:00'), finance, {
      type: 'RecordAgreementBreach',
      data: {
        agreementId,
        breachId,
        clauseId,
        breachingParty: 'dealer',
        description,
        occurredOn,
        ...(penalty !== undefined ? { penalty: eur(penalty) } : {}),
        recordedAt: iso(at(on, '11:00:00')),
      },
    });
  breach('AGR-bohemia-trade-2026', 'BR-1', 'B1', '2026-06-16', '2026-06-12', 'Three invoices more than 60 days overdue');
  breach('AGR-rhein-industrie-2026', 'BR-1', 'B3', '2026-04-08', '2026-03-31', 'Core range out of stock for most of March', 750);
  command(at(TERMINATED_ON, '16:00:00'), sales, {
    type: 'TerminateAgreement',
    data: {
      agreementId: 'AGR-bohemia-trade-2026',
      reason: 'Repeated late payment (breach BR-1) and suspension of the dealer',
      terminatedAt: iso(at(TERMINATED_ON, '16:00:00')),
    },
  });
  // danube-supply's first agreement runs out on 31 October; its renewal starts the next day.
  command(at('2026-11-01', '05:00:00'), sales, {
    type: 'ExpireAgreement',
    data: { agreementId: 'AGR-danube-supply-2026', expiredAt: iso(at('2026-11-01', '05:00:00')) },
  });

  // A return reported late: credited after March was closed, it lands on April's statement as a correction.
  add(at('2026-04-06', '10:00:00'), sales, lateReturn('2026-03'));

  // The process managers catch up every third night (credit released by payments, revenue split, statement lines posted)
  // and before each month-end; automated review itself runs as each order is reviewed (see reviewDecision).
  for (let t = Date.parse(`${iso(window.start).slice(0, 10)}T23:30:00Z`); t < window.end; t += 3 * DAY) add(t, finance, settleProcesses);

  // Month-end: close each period's statements on the 3rd, approve on the 6th, pay on the 21st (the last ones stay open).
  for (let m = new Date(window.start); m.getTime() < window.end; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    const period = `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
    const quarter = m.getUTCMonth() % 3 === 2 ? `${m.getUTCFullYear()}-Q${Math.floor(m.getUTCMonth() / 3) + 1}` : undefined;
    const next = Date.parse(`${periodEnd(period)}T00:00:00Z`) + DAY;
    for (const p of [period, ...(quarter ? [quarter] : [])]) {
      add(next + 2 * DAY + 8 * 3_600_000, finance, statements(p, 'close'));
      add(next + 5 * DAY + 8 * 3_600_000, controller, statements(p, 'approve'));
      add(next + 20 * DAY + 8 * 3_600_000, finance, statements(p, 'pay'));
    }
  }
};

const settleProcesses: DemoTask = {
  kind: 'task',
  run: async (_bus, _context, settle) => {
    await settle?.();
    return {};
  },
};

/** The statements of every dealer with an agreement for a period, moved one step on (those that exist and are ready). */
const statements = (period: string, step: 'close' | 'approve' | 'pay'): DemoTask => ({
  kind: 'task',
  run: async (bus, context, settle) => {
    // Without the process managers nothing reaches the statements: there is nothing to settle.
    if (!settle) return {};
    // Every split and line of the period must be posted before it is closed.
    if (step === 'close') await settle();
    const partners = [...new Set(DEMO_AGREEMENTS.map((a) => a.partnerId))];
    let last: CommandResult | undefined;
    for (const partnerId of partners) {
      const statement = (await loadAggregate(bus.store, aggregates.settlements, settlementStream(partnerId, period))).state;
      // Every dealer with an agreement is closed for the period, with a nil statement if nothing happened; a statement
      // with nothing to pay is not approved for payment.
      if (!statement.exists && step !== 'close') continue;
      const ctx = sub(context, partnerId);
      const when = { partnerId, period };
      if (step === 'close' && (!statement.exists || statement.status === 'open')) {
        if (!statement.exists && !hadAgreement(partnerId, period)) continue;
        last = await bus.execute({ type: 'CloseSettlementPeriod', data: { ...when, by: ctx.actor, closedAt: closedAt(period, 2) } }, ctx);
      } else if (!statement.exists) {
        continue;
      } else if (step === 'approve' && statement.status === 'closed' && statement.totals?.total.amountMinor !== 0) {
        last = await bus.execute({ type: 'ApproveSettlementStatement', data: { ...when, by: ctx.actor, approvedAt: closedAt(period, 5) } }, ctx);
      } else if (step === 'pay' && statement.status === 'approved' && statement.totals) {
        const total = statement.totals.total;
        const amount = { amountMinor: Math.abs(total.amountMinor), currency: total.currency };
        last = await bus.execute(
          {
            type: 'RecordSettlementPayment',
            data: { ...when, paymentReference: `SET-${partnerId.slice(0, 6).toUpperCase()}-${period}`, amount, paidAt: closedAt(period, 20) },
          },
          ctx,
        );
      }
      if (last?._tag === 'Left') return { result: last };
    }
    return last ? { result: last } : {};
  },
});

/** Whether the dealer had an agreement in force at some point of the period with this period's cadence, by the plan. */
const hadAgreement = (partnerId: string, period: string): boolean =>
  DEMO_AGREEMENTS.some(
    (a) =>
      a.partnerId === partnerId &&
      a.signedOn !== undefined &&
      !a.proposedOnly &&
      a.terms.settlement.period === cadenceOf(period) &&
      a.effectiveFrom <= periodEnd(period) &&
      (a.endsOn ?? a.expiresOn) >= periodStart(period),
  );

const closedAt = (period: string, days: number) => iso(Date.parse(`${periodEnd(period)}T08:00:00Z`) + (days + 1) * DAY);

/** Returns one unit of an order invoiced in `period`, dated within that period, after its statement was closed. */
const lateReturn = (period: string): DemoTask => ({
  kind: 'task',
  run: async (bus, context, settle) => {
    // Read to the end (never leave a read open half-way), then pick.
    const invoiced: string[] = [];
    for await (const e of bus.store.readAll({ filter: { eventTypes: ['OrderInvoiced'] } })) {
      const data = e.data as Extract<DmsEvent, { type: 'OrderInvoiced' }>['data'];
      if (data.invoicedAt.startsWith(period)) invoiced.push(data.orderId);
    }
    for (const orderId of invoiced) {
      const order = (await loadAggregate(bus.store, aggregates.orders, orderStream(orderId))).state;
      if (
        !order.exists ||
        !DEMO_AGREEMENTS.some(
          (a) => a.partnerId === order.partnerId && a.terms.settlement.period === 'month' && a.terms.settlement.basis === 'on_invoice' && a.signedOn,
        )
      )
        continue;
      // Chosen by what this task does not change, so that a re-run picks the same order and replays its own return.
      const line = order.lines.find((l) => l.delivered > 0);
      if (!line || [...order.returnIds].some((id) => id !== `${order.orderId}-RL`)) continue;
      const result = await bus.execute(
        {
          type: 'ReturnGoods',
          data: {
            orderId: order.orderId,
            returnId: `${order.orderId}-RL`,
            creditNoteId: `${order.orderId}-CNL`,
            lines: [{ lineNo: line.lineNo, quantity: 1 }],
            reason: 'Damaged on arrival; reported late by the dealer',
            returnedAt: iso(Date.parse(`${periodEnd(period)}T15:00:00Z`)),
          },
        },
        context,
      );
      await settle?.();
      return { result };
    }
    return {};
  },
});

/**
 * The reviewer's step on an order: automated review runs first (as the `order_review` policy would, with its command id,
 * so the policy finds it done); an order it approved needs nothing. A queued order is approved (over the credit limit only when the plan says so) or rejected.
 * `plannedRejection` orders are rejected if queued, or cancelled by the dealer if they were approved automatically.
 */
export const reviewDecision = (orderId: string, plan: { plannedRejection?: string; approveOverLimit: boolean }): DemoTask => ({
  kind: 'task',
  run: async (bus, context) => {
    await reviewNow(bus, orderId);
    const order = (await loadAggregate(bus.store, aggregates.orders, orderStream(orderId))).state;
    if (!order.exists) return { endsOrder: true };
    const at = iso(Date.parse(order.placedAt) + 3 * 3_600_000);
    if (plan.plannedRejection) {
      if (order.review && order.lifecycle === 'placed') {
        return {
          result: await bus.execute({ type: 'RejectOrder', data: { orderId, reason: plan.plannedRejection, rejectedAt: at } }, context),
          endsOrder: true,
        };
      }
      const cancel = { type: 'CancelOrder' as const, data: { orderId, reason: 'Customer project postponed', cancelledAt: at } };
      return {
        result: await bus.execute(cancel, { ...context, actor: { id: `${order.partnerId}.buyer`, role: 'dealer', partnerId: order.partnerId } }),
        endsOrder: true,
      };
    }
    if (!order.review || order.lifecycle !== 'placed') return {};
    const overLimit = order.review.reasons.some((r) => r.code === 'CREDIT_LIMIT_EXCEEDED');
    if (overLimit && !plan.approveOverLimit) {
      const reason = 'Over the credit limit: the dealer is asked to settle overdue invoices first';
      return { result: await bus.execute({ type: 'RejectOrder', data: { orderId, reason, rejectedAt: at } }, context), endsOrder: true };
    }
    const note = order.review.reasons.map((r) => r.code).join(', ');
    return {
      result: await bus.execute(
        { type: 'ApproveQueuedOrder', data: { orderId, approvedAt: at, overrideCreditLimit: overLimit, note: `Reviewed (${note}): approved` } },
        context,
      ),
    };
  },
});

/** Reviews the order as the `order_review` policy does, with the command id it would use: running the policy later changes nothing. */
const reviewNow = async (bus: CommandBus, orderId: string) => {
  const placed = (await loadAggregate(bus.store, aggregates.orders, orderStream(orderId))).events[0];
  if (!placed) return;
  const data = placed.data as { placedAt: string };
  await bus.execute(
    { type: 'ReviewOrder', data: { orderId, reviewedAt: data.placedAt } },
    { commandId: `order_review:${placed.eventId}:0`, actor: { id: 'policy:order_review', role: 'system' }, causationId: placed.eventId },
  );
};
