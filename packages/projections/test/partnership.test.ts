import { CommandBus } from '@dms/app';
import type { Actor, AgreementTerms, Message } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgreementCalendarSchedule,
  allProjections,
  allReactors,
  getAgreement,
  getOrder,
  getStatement,
  listAgreements,
  listStatements,
  ProjectionRunner,
  rebateProgressByAgreement,
  reviewQueue,
  runAgreementCalendar,
  splitLedger,
} from '../src';
import { contexts, ok } from './support/commands';

/**
 * Agreements, automated review, splits and settlements with every reactor running, as `dms serve` runs them: commands go
 * in, the policies react, and the read models show the outcome.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const finance: Actor = { id: 'felix', role: 'finance' };
const controller: Actor = { id: 'greta', role: 'finance' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const ctx = contexts('p', admin);

const terms = (partnerId: string, changes: Partial<AgreementTerms> = {}): AgreementTerms => ({
  currency: 'EUR',
  // acme and bolt both sell pumps in the north: neither agreement may be exclusive (EXCLUSIVE_TERRITORY_TAKEN otherwise).
  scope: { productCategories: ['pumps'], regions: ['north'], exclusive: false },
  responsibilities: [],
  pricingTier: 'gold',
  revenueSplit: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 8_500 },
    { partyId: partnerId, role: 'dealer', shareBps: 1_000 },
    { partyId: 'agent-li', role: 'sales_agent', shareBps: 500 },
  ],
  rebate: {
    basis: 'band_marginal',
    bands: [
      { from: eur(0), rateBps: 0 },
      { from: eur(200_00), rateBps: 500 },
      { from: eur(1_000_00), rateBps: 1_000 },
    ],
  },
  jointMarketing: [
    { partyId: 'manufacturer', role: 'manufacturer', shareBps: 6_000 },
    { partyId: partnerId, role: 'dealer', shareBps: 4_000 },
  ],
  settlement: { basis: 'on_invoice', period: 'month' },
  paymentTerms: { netDays: 30 },
  ipClause: 'Trademarks stay with the manufacturer.',
  breachClauses: [{ clauseId: 'B1', title: 'Late payment', text: 'Paid over 30 days late.', penalty: eur(50_00) }],
  ...changes,
});

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`partnership read models and process managers on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Message, actor: Actor = admin) => ok(await bus.execute(command, ctx(actor)));
    /** Catches every projection and reactor up until the reactors cause nothing more. */
    const settle = async () => {
      for (let head = await store.headPosition(); ; ) {
        await runner.catchUp();
        const after = await store.headPosition();
        if (after === head) return;
        head = after;
      }
    };

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [...allProjections, ...allReactors(bus)]);
      for (const [sku, category, price] of [
        ['PUMP', 'pumps', 100_00],
        ['PIPE', 'pipes', 10_00],
      ] as const) {
        await run({ type: 'RegisterProduct', data: { sku, name: sku, category, unit: 'each', listPrice: eur(price), registeredAt: '2025-01-01T00:00:00Z' } });
      }
      for (const [partnerId, limit] of [
        ['acme', 2_000_00],
        ['bolt', 100_00],
      ] as const) {
        await run({
          type: 'OnboardPartner',
          data: {
            partnerId,
            name: `${partnerId} Ltd`,
            region: 'north',
            tier: 'gold',
            creditLimit: eur(limit),
            contacts: [],
            onboardedAt: '2025-01-01T00:00:00Z',
          },
        });
      }
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('activates an agreement when its last party signs on or after its effective date', async () => {
      await run({
        type: 'DraftAgreement',
        data: {
          agreementId: 'agr-acme',
          partnerId: 'acme',
          title: 'Acme pumps, north',
          terms: terms('acme'),
          effectiveFrom: '2025-01-01',
          expiresOn: '2025-12-31',
          draftedAt: '2024-12-01T00:00:00Z',
        },
      });
      await run({ type: 'ProposeAgreement', data: { agreementId: 'agr-acme', proposedAt: '2024-12-02T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId: 'agr-acme', party: 'manufacturer', signedBy: 'Jonas Berg', signedAt: '2024-12-20T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId: 'agr-acme', party: 'dealer', signedBy: 'Mei Lin', signedAt: '2025-01-02T09:00:00Z' } });
      await settle();
      const agreement = await getAgreement(runner.db, 'agr-acme', { asOf: '2025-01-02' });
      expect(agreement).toMatchObject({ status: 'active', currentVersion: 1, signedBy: { manufacturer: 'Jonas Berg', dealer: 'Mei Lin' }, daysToExpiry: 363 });
      expect(agreement?.activatedAt).toBe('2025-01-02T09:00:00Z');
    });

    it('approves a covered order automatically and queues the others with every reason', async () => {
      ok(await bus.placeOrder({ orderId: 'o-1', partnerId: 'acme', lines: [{ sku: 'PUMP', quantity: 5 }], placedAt: '2025-03-03T09:00:00Z' }, ctx()));
      ok(await bus.placeOrder({ orderId: 'o-2', partnerId: 'bolt', lines: [{ sku: 'PUMP', quantity: 2 }], placedAt: '2025-03-03T10:00:00Z' }, ctx()));
      ok(await bus.placeOrder({ orderId: 'o-3', partnerId: 'acme', lines: [{ sku: 'PIPE', quantity: 1 }], placedAt: '2025-03-03T11:00:00Z' }, ctx()));
      await settle();
      expect(await getOrder(runner.db, 'o-1')).toMatchObject({ status: 'approved' });
      const queue = await reviewQueue(runner.db);
      expect(queue.items.map((i) => [i.orderId, i.reasons.map((r) => r.code)])).toEqual([
        ['o-2', ['NO_AGREEMENT_IN_FORCE', 'CREDIT_LIMIT_EXCEEDED']],
        ['o-3', ['AGREEMENT_SCOPE_NOT_COVERED']],
      ]);
      expect(queue.items[0]?.credit).toEqual({ exposure: eur(0), limit: eur(100_00), available: eur(100_00) });
      expect((await getOrder(runner.db, 'o-2'))?.statusReason).toMatch(/^Waiting for review: Dealer bolt has no agreement in force on 2025-03-03\./);
      const approved = await reviewQueue(runner.db, { status: 'approved' });
      expect(approved.items).toMatchObject([{ orderId: 'o-1', automatic: true, decidedBy: 'policy:order_review (system)', credit: { exposure: eur(500_00) } }]);
      // A dealer sees only its own orders in the queue.
      expect((await reviewQueue(runner.db, { partnerId: 'acme' })).items.map((i) => i.orderId)).toEqual(['o-3']);
    });

    it('lets a person decide a queued order; credit follows approval, rejection and cancellation', async () => {
      await run({ type: 'ApproveQueuedOrder', data: { orderId: 'o-3', approvedAt: '2025-03-04T09:00:00Z', note: 'pipes by exception' } });
      await run({ type: 'RejectOrder', data: { orderId: 'o-2', reason: 'no agreement', rejectedAt: '2025-03-04T09:00:00Z' } });
      await settle();
      expect((await reviewQueue(runner.db)).items).toEqual([]);
      const decided = await reviewQueue(runner.db, { status: 'approved', partnerId: 'acme' });
      expect(decided.items.find((i) => i.orderId === 'o-3')).toMatchObject({
        automatic: false,
        decidedBy: 'anna (admin)',
        note: 'pipes by exception',
        credit: { exposure: eur(510_00) },
      });
    });

    it('splits invoices and credit notes per party, posts the dealer’s share, and closes a statement that reconciles to the invoices', async () => {
      for (const command of [
        { type: 'ConfirmOrder', data: { orderId: 'o-1', confirmedAt: '2025-03-04T09:00:00Z' } },
        { type: 'ShipOrder', data: { orderId: 'o-1', shipmentId: 's1', lines: [{ lineNo: 1, quantity: 5 }], shippedAt: '2025-03-05T09:00:00Z' } },
        { type: 'DeliverShipment', data: { orderId: 'o-1', shipmentId: 's1', deliveredAt: '2025-03-06T09:00:00Z' } },
        { type: 'InvoiceOrder', data: { orderId: 'o-1', invoiceId: 'inv-1', invoicedAt: '2025-03-07T09:00:00Z', dueDate: '2025-04-06' } },
        {
          type: 'ReturnGoods',
          data: {
            orderId: 'o-1',
            returnId: 'r-1',
            creditNoteId: 'cn-1',
            lines: [{ lineNo: 1, quantity: 1 }],
            reason: 'damaged',
            returnedAt: '2025-03-20T09:00:00Z',
          },
        },
        { type: 'RecordPayment', data: { orderId: 'o-1', paymentId: 'pay-1', amount: eur(400_00), paidAt: '2025-03-25T09:00:00Z', method: 'bank_transfer' } },
        {
          type: 'RecordJointMarketingSpend',
          data: {
            agreementId: 'agr-acme',
            spendId: 'fair',
            description: 'Trade fair',
            amount: eur(100_01),
            paidBy: 'dealer',
            spentOn: '2025-03-10',
            recordedAt: '2025-03-10T09:00:00Z',
          },
        },
        {
          type: 'RecordAgreementBreach',
          data: {
            agreementId: 'agr-acme',
            breachId: 'late-1',
            clauseId: 'B1',
            breachingParty: 'dealer',
            description: 'Invoice paid late',
            occurredOn: '2025-03-15',
            recordedAt: '2025-03-16T09:00:00Z',
          },
        },
      ])
        await run(command);
      await settle();

      const ledger = await splitLedger(runner.db, { partnerId: 'acme' });
      // 500.00 invoiced, 100.00 credited: 85 / 10 / 5 % of 400.00 net. Marketing 100.01 shared 60/40: 60.01 and 40.00.
      expect(ledger.totals).toEqual([
        { partyId: 'acme', role: 'dealer', revenue: eur(40_00), jointMarketing: eur(-40_00), net: eur(0), lines: 3 },
        { partyId: 'agent-li', role: 'sales_agent', revenue: eur(20_00), jointMarketing: eur(0), net: eur(20_00), lines: 2 },
        { partyId: 'manufacturer', role: 'manufacturer', revenue: eur(340_00), jointMarketing: eur(-60_01), net: eur(279_99), lines: 3 },
      ]);
      expect((await splitLedger(runner.db, { partyId: 'agent-li' })).items.map((l) => [l.source.kind, l.amount.amountMinor])).toEqual([
        ['invoice', 25_00],
        ['credit_note', -5_00],
      ]);
      expect((await getAgreement(runner.db, 'agr-acme'))?.breachList).toMatchObject([{ breachId: 'late-1', penalty: eur(50_00) }]);

      const progress = await rebateProgressByAgreement(runner.db, { partnerId: 'acme', asOf: '2025-03-31' });
      // Volume 400.00: band 2 (5 % from 200.00); 10 % from 1,000.00 is 600.00 away.
      expect(progress).toMatchObject([
        { agreementId: 'agr-acme', period: '2025-03', volume: eur(400_00), band: 1, rateBps: 500, amount: eur(10_00), next: { remaining: eur(600_00) } },
      ]);

      await run({ type: 'CloseSettlementPeriod', data: { partnerId: 'acme', period: '2025-03', by: finance, closedAt: '2025-04-02T09:00:00Z' } }, finance);
      await settle();
      const statement = await getStatement(runner.db, 'acme', '2025-03');
      // Revenue share 50.00 - 10.00, marketing +60.01 (the dealer paid, the manufacturer owes its 60 %), penalty -50.00,
      // rebate 5 % of (400.00 - 200.00) = 10.00: total 60.01.
      expect(statement).toMatchObject({
        status: 'closed',
        closedBy: 'felix',
        approvedBy: null,
        volume: eur(400_00),
        revenueShare: eur(40_00),
        jointMarketing: eur(60_01),
        penalties: eur(-50_00),
        rebates: eur(10_00),
        total: eur(60_01),
      });
      // Lines in the order they were posted (the splits come after the marketing and the breach, recorded directly); the rebate last.
      expect(statement?.lines.map((l) => [l.kind, l.reference, l.amount.amountMinor])).toEqual([
        ['joint_marketing', 'fair', 60_01],
        ['penalty', 'late-1', -50_00],
        ['revenue_share', 'inv-1', 50_00],
        ['revenue_share', 'cn-1', -10_00],
        ['rebate', 'agr-acme', 10_00],
      ]);
      expect(statement?.reconciliation).toEqual({
        invoices: { count: 1, onStatement: eur(500_00), perOrders: eur(500_00) },
        creditNotes: { count: 1, amount: eur(-100_00) },
        payments: { count: 0, amount: eur(0) },
        linesTotal: eur(60_01),
        reconciled: true,
      });
    });

    it('never changes a closed statement: a late credit lands in the next period as a correction', async () => {
      await run({
        type: 'ReturnGoods',
        data: {
          orderId: 'o-1',
          returnId: 'r-2',
          creditNoteId: 'cn-2',
          lines: [{ lineNo: 1, quantity: 1 }],
          reason: 'damaged',
          returnedAt: '2025-03-31T18:00:00Z',
        },
      });
      await settle();
      expect((await getStatement(runner.db, 'acme', '2025-03'))?.lines).toHaveLength(5);
      const april = await getStatement(runner.db, 'acme', '2025-04');
      expect(april?.lines).toMatchObject([{ kind: 'revenue_share', date: '2025-03-31', amount: eur(-10_00), correction: true }]);
      await run(
        { type: 'ApproveSettlementStatement', data: { partnerId: 'acme', period: '2025-03', by: controller, approvedAt: '2025-04-03T09:00:00Z' } },
        controller,
      );
      await run(
        {
          type: 'RecordSettlementPayment',
          data: { partnerId: 'acme', period: '2025-03', paymentReference: 'BT-1', amount: eur(60_01), paidAt: '2025-04-10T09:00:00Z' },
        },
        finance,
      );
      await settle();
      expect((await listStatements(runner.db, { partnerId: 'acme' })).items.map((s) => [s.period, s.status, s.payer, s.closedBy, s.approvedBy])).toEqual([
        ['2025-04', 'open', null, null, null],
        ['2025-03', 'paid', 'manufacturer', 'felix', 'greta'],
      ]);
    });

    it('lists the registry with expiry warnings, activates and expires by the calendar, and scopes a dealer to its own', async () => {
      await run({
        type: 'DraftAgreement',
        data: {
          agreementId: 'agr-bolt',
          partnerId: 'bolt',
          title: 'Bolt pumps, north',
          terms: terms('bolt'),
          effectiveFrom: '2025-06-01',
          expiresOn: '2025-06-30',
          draftedAt: '2025-05-01T00:00:00Z',
        },
      });
      await run({ type: 'ProposeAgreement', data: { agreementId: 'agr-bolt', proposedAt: '2025-05-02T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId: 'agr-bolt', party: 'manufacturer', signedBy: 'J', signedAt: '2025-05-03T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId: 'agr-bolt', party: 'dealer', signedBy: 'B', signedAt: '2025-05-04T00:00:00Z' } });
      await settle();
      expect((await getAgreement(runner.db, 'agr-bolt'))?.status).toBe('signed');

      const june = await runAgreementCalendar(runner.db, bus, '2025-06-01', admin);
      expect(june).toEqual({ activated: ['agr-bolt'], expired: [], refused: [] });
      expect(await runAgreementCalendar(runner.db, bus, '2025-06-01', admin)).toMatchObject({ activated: ['agr-bolt'] });
      await settle();
      const expiring = await listAgreements(runner.db, { expiringWithinDays: 30, asOf: '2025-06-10' });
      expect(expiring.items.map((a) => [a.agreementId, a.daysToExpiry])).toEqual([['agr-bolt', 20]]);
      expect((await listAgreements(runner.db, { expiringWithinDays: 90, asOf: '2025-10-05' })).items.map((a) => a.agreementId)).toEqual(['agr-acme']);

      expect(await runAgreementCalendar(runner.db, bus, '2025-07-01', admin)).toEqual({ activated: [], expired: ['agr-bolt'], refused: [] });
      await settle();
      expect((await getAgreement(runner.db, 'agr-bolt'))?.status).toBe('expired');

      expect((await listAgreements(runner.db, { partnerId: 'bolt' })).items.map((a) => a.agreementId)).toEqual(['agr-bolt']);
      expect(await getAgreement(runner.db, 'agr-acme', { partnerId: 'bolt' })).toBeUndefined();
      expect(await getStatement(runner.db, 'acme', '2025-03', { partnerId: 'bolt' })).toBeUndefined();
      expect((await splitLedger(runner.db, { partnerId: 'bolt' })).items).toEqual([]);
    });

    it('runs the calendar by itself in a server: at start and once on each new day, as its clock says', async () => {
      await run({
        type: 'DraftAgreement',
        data: {
          agreementId: 'agr-bolt-aug',
          partnerId: 'bolt',
          title: 'Bolt pumps, north, August',
          terms: terms('bolt'),
          effectiveFrom: '2025-08-01',
          expiresOn: '2025-08-31',
          draftedAt: '2025-07-01T00:00:00Z',
        },
      });
      await run({ type: 'ProposeAgreement', data: { agreementId: 'agr-bolt-aug', proposedAt: '2025-07-02T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId: 'agr-bolt-aug', party: 'manufacturer', signedBy: 'J', signedAt: '2025-07-03T00:00:00Z' } });
      await run({ type: 'SignAgreement', data: { agreementId: 'agr-bolt-aug', party: 'dealer', signedBy: 'B', signedAt: '2025-07-04T00:00:00Z' } });
      await settle();
      let now = new Date('2025-07-20T09:00:00Z');
      const schedule = new AgreementCalendarSchedule(runner, store, bus, { now: () => now });
      const status = async () => (await getAgreement(runner.db, 'agr-bolt-aug'))?.status;
      try {
        expect(await schedule.tick()).toEqual({ activated: [], expired: [], refused: [] });
        now = new Date('2025-08-01T00:00:30Z');
        expect(await schedule.tick()).toEqual({ activated: ['agr-bolt-aug'], expired: [], refused: [] });
        // The same day again: it does not run twice.
        now = new Date('2025-08-01T17:00:00Z');
        expect(await schedule.tick()).toBeNull();
        await settle();
        expect(await status()).toBe('active');
        // A server started later the same day (a restart) runs it again, and changes nothing of the agreement; it now reads
        // the agreement in force and ending within 30 days, and tells the channel managers (docs/notifications.md), once.
        const restarted = new AgreementCalendarSchedule(runner, store, bus, { now: () => now });
        expect(await restarted.tick()).toEqual({ activated: [], expired: [], refused: [] });
        await settle();
        const head = await store.headPosition();
        expect(await new AgreementCalendarSchedule(runner, store, bus, { now: () => now }).tick()).toEqual({ activated: [], expired: [], refused: [] });
        expect(await store.headPosition()).toBe(head);
        now = new Date('2025-09-01T06:00:00Z');
        expect(await schedule.tick()).toEqual({ activated: [], expired: ['agr-bolt-aug'], refused: [] });
        await settle();
        expect(await status()).toBe('expired');
      } finally {
        await schedule.stop();
      }
    });

    it('rebuilds every partnership read model from the events to the same rows', async () => {
      const before = await Promise.all([
        getAgreement(runner.db, 'agr-acme'),
        getStatement(runner.db, 'acme', '2025-03'),
        splitLedger(runner.db),
        reviewQueue(runner.db, { status: 'approved' }),
      ]);
      for (const name of ['agreements', 'order_reviews', 'revenue_splits', 'settlements']) await runner.rebuild(name);
      const after = await Promise.all([
        getAgreement(runner.db, 'agr-acme'),
        getStatement(runner.db, 'acme', '2025-03'),
        splitLedger(runner.db),
        reviewQueue(runner.db, { status: 'approved' }),
      ]);
      expect(after).toEqual(before);
    });
  });

await onEveryDatabase('partnership', suite);
