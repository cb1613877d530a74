import { CommandBus } from '@dms/app';
import type { Actor, AgreementTerms, DmsEvent, Message } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore, type RecordedEvent } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, allReactors, getReview, listScorecards, overdueActions, ProjectionRunner, verifyScorecards } from '../src';
import { contexts, ok } from './support/commands';

/**
 * Dealer performance with every reactor running, as `dms serve` runs them: closing a dealer's settlement statement scores
 * its period and opens its review; the scorecard is stored, ranked, and reproducible from the events.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const acmeBuyer: Actor = { id: 'acme.buyer', role: 'dealer', partnerId: 'acme' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const ctx = contexts('perf', admin);

const terms = (partnerId: string, region: string, goals: AgreementTerms['goals']): AgreementTerms => ({
  currency: 'EUR',
  scope: { productCategories: ['pumps', 'pipes'], regions: [region], exclusive: false },
  responsibilities: [],
  pricingTier: 'silver',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500 },
    { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
    { partyId: 'agent-li', role: 'sales_agent', shareBps: 500 },
  ],
  rebate: { basis: 'band_total', bands: [{ from: eur(0), rateBps: 0 }] },
  jointMarketing: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 5_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 5_000 },
  ],
  settlement: { basis: 'on_invoice', period: 'month' },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [{ clauseId: 'B1', title: 'Late payment', text: 'Paid over 30 days late.', penalty: eur(50_00) }],
  ...(goals ? { goals } : {}),
});

/** A dealer's month with one order of `quantity` pumps: delivered, invoiced, some returned, paid on `paidAt` if given. */
const month = (orderId: string, o: { quantity: number; day: string; returned?: number; paidAt?: string; due: string }): Message[] => [
  { type: 'ConfirmOrder', data: { orderId, confirmedAt: `${o.day}T10:00:00Z` } },
  { type: 'ShipOrder', data: { orderId, shipmentId: `${orderId}-s`, lines: [{ lineNo: 1, quantity: o.quantity }], shippedAt: `${o.day}T11:00:00Z` } },
  { type: 'DeliverShipment', data: { orderId, shipmentId: `${orderId}-s`, deliveredAt: `${o.day}T15:00:00Z` } },
  { type: 'InvoiceOrder', data: { orderId, invoiceId: `inv-${orderId}`, invoicedAt: `${o.day}T16:00:00Z`, dueDate: o.due } },
  ...(o.returned
    ? [
        {
          type: 'ReturnGoods',
          data: {
            orderId,
            returnId: `${orderId}-r`,
            creditNoteId: `${orderId}-cn`,
            lines: [{ lineNo: 1, quantity: o.returned }],
            reason: 'damaged',
            returnedAt: `${o.day}T17:00:00Z`,
          },
        },
      ]
    : []),
  ...(o.paidAt
    ? [
        {
          type: 'RecordPayment',
          data: { orderId, paymentId: `pay-${orderId}`, amount: eur((o.quantity - (o.returned ?? 0)) * 100_00), paidAt: o.paidAt, method: 'bank_transfer' },
        },
      ]
    : []),
];

/**
 * The KPIs, computed straight from the recorded events without the performance module: what a test of the formulas
 * in docs/performance.md would compute by hand.
 */
const byHand = (events: readonly RecordedEvent[], partnerId: string, from: string, to: string, cutoff: bigint) => {
  const mine = new Set<string>();
  const inPeriod = (at: string) => at.slice(0, 10) >= from && at.slice(0, 10) <= to;
  let invoiced = 0;
  let credited = 0;
  let unitsInvoiced = 0;
  let unitsReturned = 0;
  let delivered = 0;
  let reviewed = 0;
  let automatic = 0;
  const quantities = new Map<string, number>();
  const seen = new Set<string>();
  for (const e of events) {
    if (e.globalPosition >= cutoff) break;
    const event = { type: e.type, data: e.data } as DmsEvent;
    if (event.type === 'OrderPlaced' && event.data.partnerId === partnerId) {
      mine.add(event.data.orderId);
      quantities.set(
        event.data.orderId,
        event.data.lines.reduce((a, l) => a + l.quantity, 0),
      );
    }
    const orderId = (e.data as { orderId?: string }).orderId;
    if (!orderId || !mine.has(orderId)) continue;
    if (event.type === 'OrderInvoiced' && inPeriod(event.data.invoicedAt)) {
      invoiced += event.data.amount.amountMinor;
      unitsInvoiced += quantities.get(orderId)!;
    }
    if (event.type === 'CreditNoteIssued' && inPeriod(event.data.issuedAt)) credited += event.data.amount.amountMinor;
    if (event.type === 'GoodsReturned' && inPeriod(event.data.returnedAt)) unitsReturned += event.data.lines.reduce((a, l) => a + l.quantity, 0);
    if (event.type === 'ShipmentDelivered' && inPeriod(event.data.deliveredAt)) delivered += event.data.lines.reduce((a, l) => a + l.quantity, 0);
    if ((event.type === 'OrderApproved' || event.type === 'OrderQueuedForReview') && !seen.has(orderId)) {
      seen.add(orderId);
      reviewed++;
      if (event.type === 'OrderApproved' && e.metadata.actor.role === 'system') automatic++;
    }
  }
  return {
    sales_value: invoiced - credited,
    sales_volume: unitsInvoiced - unitsReturned,
    return_rate: delivered === 0 ? null : Math.round((unitsReturned * 10_000) / delivered),
    review_pass_rate: reviewed === 0 ? null : Math.round((automatic * 10_000) / reviewed),
  };
};

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`dealer performance on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Message, actor: Actor = admin) => ok(await bus.execute(command, ctx(actor)));
    const settle = async () => {
      for (let head = await store.headPosition(); ; ) {
        await runner.catchUp();
        const after = await store.headPosition();
        if (after === head) return;
        head = after;
      }
    };
    const allEvents = async () => {
      const events: RecordedEvent[] = [];
      for await (const e of store.readAll()) events.push(e);
      return events;
    };
    const agree = async (partnerId: string, region: string, goals: AgreementTerms['goals']) => {
      const agreementId = `agr-${partnerId}`;
      await run({
        type: 'DraftAgreement',
        data: {
          agreementId,
          partnerId,
          title: `${partnerId} 2025`,
          terms: terms(partnerId, region, goals),
          effectiveFrom: '2025-01-01',
          expiresOn: '2025-12-31',
          draftedAt: '2024-12-01T00:00:00Z',
        },
      });
      await run({ type: 'ProposeAgreement', data: { agreementId, proposedAt: '2024-12-02T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId, party: 'manufacturer', signedBy: 'Jonas', signedAt: '2024-12-20T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId, party: 'dealer', signedBy: 'Mei', signedAt: '2025-01-02T09:00:00Z' } });
    };
    const order = async (orderId: string, partnerId: string, quantity: number, day: string) =>
      ok(await bus.placeOrder({ orderId, partnerId, lines: [{ sku: 'PUMP', quantity }], placedAt: `${day}T09:00:00Z` }, ctx()));
    const close = (partnerId: string, period: string, closedAt: string) =>
      run({ type: 'CloseSettlementPeriod', data: { partnerId, period, by: admin, closedAt } });

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [...allProjections, ...allReactors(bus)]);
      await run({
        type: 'RegisterProduct',
        data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: '2024-11-01T00:00:00Z' },
      });
      await run({ type: 'SetTierLadder', data: { tiers: ['silver', 'gold'], setAt: '2024-11-01T00:00:00Z' } });
      for (const [partnerId, region] of [
        ['acme', 'north'],
        ['bolt', 'north'],
        ['cedar', 'south'],
      ] as const) {
        await run({
          type: 'OnboardPartner',
          data: {
            partnerId,
            name: `${partnerId} Ltd`,
            region,
            tier: 'silver',
            creditLimit: eur(100_000_00),
            contacts: [],
            onboardedAt: '2024-11-01T00:00:00Z',
          },
        });
      }
      await agree('acme', 'north', [
        { kpi: 'sales_value', target: eur(1_000_00) },
        { kpi: 'return_rate', target: 500 },
      ]);
      await agree('bolt', 'north', [{ kpi: 'sales_value', target: eur(2_000_00) }]);
      await agree('cedar', 'south', [{ kpi: 'sales_value', target: eur(500_00) }]);
      await settle();
      // March: acme sells 12 pumps, returns 2 and pays on time; bolt sells 5 and pays late; cedar sells 6.
      await order('a-1', 'acme', 12, '2025-03-03');
      await order('b-1', 'bolt', 5, '2025-03-04');
      await order('c-1', 'cedar', 6, '2025-03-05');
      await settle();
      for (const c of month('a-1', { quantity: 12, day: '2025-03-05', returned: 2, paidAt: '2025-03-20T10:00:00Z', due: '2025-03-25' })) await run(c);
      for (const c of month('b-1', { quantity: 5, day: '2025-03-06', paidAt: '2025-04-20T10:00:00Z', due: '2025-03-30' })) await run(c);
      for (const c of month('c-1', { quantity: 6, day: '2025-03-07', due: '2025-04-06' })) await run(c);
      await settle();
      for (const p of ['acme', 'bolt', 'cedar']) await close(p, '2025-03', '2025-04-03T08:00:00Z');
      await settle();
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('scores every dealer when its period closes and ranks it within its region and tier', async () => {
      const cards = await listScorecards(runner.db, { period: '2025-03' });
      // acme: every scored criterion full but returns (2 of 12 units, past the 10 % floor): 8,000 of 9,000 weight = 88.89.
      // bolt: a quarter of its sales goal, its invoice unpaid at its due date. Response time and planning are not scored
      // (no threads, no plan), so the other criteria share their weight.
      expect(cards.map((c) => [c.partnerId, c.region, c.tier, c.scoreBps, c.grade, c.rankInRegion, c.rankInTier])).toEqual([
        ['acme', 'north', 'silver', 8_889, 'A', 1, 2],
        ['bolt', 'north', 'silver', 5_392, 'C', 2, 3],
        ['cedar', 'south', 'silver', 9_970, 'A', 1, 1],
      ]);
      const acme = cards[0]!;
      // 12 pumps at 100.00 invoiced, 2 credited: 1,000.00 against a goal of 1,000.00.
      expect(acme.goals).toEqual([
        { kpi: 'sales_value', target: 1_000_00, actual: 1_000_00, attainmentBps: 10_000 },
        { kpi: 'return_rate', target: 500, actual: 1_667, attainmentBps: 2_999 },
      ]);
      expect([acme.agreementId, acme.templateName, acme.salesAttainmentBps]).toEqual(['agr-acme', 'Standard dealer scorecard', 10_000]);
      // A dealer's own view: its scorecard only, still ranked among all dealers.
      expect((await listScorecards(runner.db, { partnerId: 'bolt' })).map((c) => [c.partnerId, c.rankInRegion])).toEqual([['bolt', 2]]);
    });

    it('measures the KPIs as an independent computation from the events does', async () => {
      const events = await allEvents();
      for (const card of await listScorecards(runner.db, { period: '2025-03' })) {
        const measured = Object.fromEntries(card.measurements.filter((m) => m.category === undefined).map((m) => [m.kpi, m.value]));
        const expected = byHand(events, card.partnerId, '2025-03-01', '2025-03-31', BigInt(card.cutoffPosition));
        expect({ partner: card.partnerId, ...measured }).toMatchObject({ partner: card.partnerId, ...expected });
      }
      const bolt = (await listScorecards(runner.db, { partnerId: 'bolt' }))[0]!;
      const value = (kpi: string) => bolt.measurements.find((m) => m.kpi === kpi)?.value;
      // bolt's invoice fell due on 30 March and was still unpaid at the close: not on time, all of it overdue.
      expect([value('on_time_payment'), value('overdue_share')]).toEqual([0, 10_000]);
    });

    it('recomputes every stored scorecard from the events, and finds one that was altered', async () => {
      expect(await verifyScorecards(store, runner.db)).toEqual({ checked: 3, problems: [] });
      await sql`update scorecards set score_bps = score_bps + 1 where partner_id = 'cedar'`.execute(runner.db);
      const tampered = await verifyScorecards(store, runner.db);
      expect(tampered.problems).toMatchObject([{ partnerId: 'cedar', period: '2025-03', kind: 'differs' }]);
      expect(tampered.problems[0]!.detail).toMatch(/^score_bps: stored \d+, from the events \d+$/);
      await runner.rebuild('performance');
      expect((await verifyScorecards(store, runner.db)).problems).toEqual([]);
    });

    it('runs the review: assessment, the dealer’s feedback, actions carried into the next review and overdue in the queue', async () => {
      const key = { partnerId: 'acme', period: '2025-03' };
      await run({ type: 'AssignReviewer', data: { ...key, reviewer: 'anna', by: admin, assignedAt: '2025-04-04T09:00:00Z' } });
      await run({ type: 'RecordAssessment', data: { ...key, summary: 'On target; too many returns', by: admin, assessedAt: '2025-04-04T09:00:00Z' } });
      await run({
        type: 'SubmitDealerFeedback',
        data: { ...key, feedbackId: 'f-1', text: 'Two pumps arrived damaged', by: acmeBuyer, submittedAt: '2025-04-05T09:00:00Z' },
      });
      await run({
        type: 'AddImprovementAction',
        data: {
          ...key,
          actionId: 'pack',
          title: 'Check packaging with the carrier',
          owner: { name: 'Acme logistics', party: 'dealer' },
          dueOn: '2025-04-20',
          by: admin,
          addedAt: '2025-04-05T10:00:00Z',
        },
      });
      await settle();
      const review = await getReview(runner.db, 'acme', '2025-03');
      expect(review).toMatchObject({
        status: 'open',
        reviewer: 'anna',
        assessment: { summary: 'On target; too many returns' },
        feedback: [{ feedbackId: 'f-1', text: 'Two pumps arrived damaged', by: { id: 'acme.buyer' } }],
        scorecard: { partnerId: 'acme', period: '2025-03' },
        actions: [{ actionId: 'pack', status: 'open', owner: { party: 'dealer' }, handedOverTo: null }],
      });
      expect((await overdueActions(runner.db, '2025-04-30')).map((a) => [a.partnerId, a.period, a.actionId])).toEqual([['acme', '2025-03', 'pack']]);

      // April closes with the action still open: it moves to the April review, where it is followed up (and overdue).
      await close('acme', '2025-04', '2025-05-03T08:00:00Z');
      await settle();
      const april = await getReview(runner.db, 'acme', '2025-04');
      expect(april).toMatchObject({
        previous: { period: '2025-03' },
        reviewer: 'anna',
        actions: [{ actionId: 'pack', carriedFrom: '2025-03', originPeriod: '2025-03' }],
      });
      expect((await getReview(runner.db, 'acme', '2025-03'))?.actions[0]?.handedOverTo).toBe('2025-04');
      expect((await overdueActions(runner.db, '2025-05-05')).map((a) => [a.period, a.actionId])).toEqual([['2025-04', 'pack']]);
      expect((await verifyScorecards(store, runner.db)).problems).toEqual([]);
    });

    it('proposes a promotion after two A grades, and accepting it changes the tier with the review as its reason', async () => {
      // Silver dealers are scored by breaches alone from here on: cedar, with none, earns A again in April.
      await run({
        type: 'SetScorecardTemplate',
        data: {
          tier: 'silver',
          template: {
            name: 'Silver: compliance',
            criteria: [{ criterionId: 'breaches', kpi: 'breaches', weightBps: 10_000, scoring: { kind: 'norm', target: 0, floor: 2 } }],
            grades: { A: 8_500, B: 7_000, C: 5_000 },
          },
          setAt: '2025-05-01T00:00:00Z',
        },
      });
      await close('cedar', '2025-04', '2025-05-03T08:00:00Z');
      await settle();
      const review = await getReview(runner.db, 'cedar', '2025-04');
      expect(review?.scorecard).toMatchObject({ templateName: 'Silver: compliance', templateVersion: 1, scoreBps: 10_000, grade: 'A' });
      expect(review?.recommendation).toEqual({
        kind: 'promote',
        fromTier: 'silver',
        toTier: 'gold',
        reason: 'Promote from silver to gold: grade A in 2025-04 after A in 2025-03.',
      });
      const key = { partnerId: 'cedar', period: '2025-04' };
      await run({
        type: 'DecideRecommendation',
        data: { ...key, decision: 'accept', note: 'Agreed in the May meeting', by: admin, decidedAt: '2025-05-06T09:00:00Z' },
      });
      await settle();
      const changed: RecordedEvent[] = [];
      for await (const e of store.readStream('partner-cedar')) if (e.type === 'PartnerTierChanged') changed.push(e);
      expect(changed.map((e) => e.data)).toMatchObject([
        { partnerId: 'cedar', to: 'gold', reason: 'Performance review 2025-04: Promote from silver to gold: grade A in 2025-04 after A in 2025-03.' },
      ]);
      expect((await getReview(runner.db, 'cedar', '2025-04'))?.decision).toMatchObject({ outcome: 'accepted', by: 'anna', note: 'Agreed in the May meeting' });
      expect((await verifyScorecards(store, runner.db)).problems).toEqual([]);
    });
  });

await onEveryDatabase('performance', suite);
