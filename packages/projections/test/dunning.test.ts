import { CommandBus } from '@dms/app';
import type { Actor, Message } from '@dms/domain';
import { type Database, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, dunningList, listNotifications, ProjectionRunner, raiseDueNotifications } from '../src';
import { agreementInForce, contexts, dealerTerms, ok } from './support/commands';

/**
 * Dunning (docs/receivables.md#dunning): the date rule reminds each dealer of its invoices past due, one level at a time,
 * once per level, never after the invoice is paid, and never tells a dealer about another dealer's invoices.
 */
const admin: Actor = { id: 'anna', role: 'admin' };
const system: Actor = { id: 'policy:order_review', role: 'system' };
const ctx = contexts('dn', admin);
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

/** cove's agreement: reminded from 5 days past due, the dealer and the sales team from 10; nothing after that. */
const coveTerms = dealerTerms('cove', {
  paymentTerms: { netDays: 30 },
  dunning: {
    levels: [
      { fromDaysPastDue: 5, tell: ['dealer'] },
      { fromDaysPastDue: 10, tell: ['dealer', 'sales'], name: { 'zh-CN': '催款函', en: 'demand letter' } },
    ],
  },
});

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`dunning on ${name}`, () => {
    let teardown: () => Promise<void>;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Message, actor: Actor = admin) => ok(await bus.execute(command, ctx(actor)));
    /** Runs the date rules on a day (the read models caught up first, as `dms serve` does), then catches the inbox up. */
    const due = async (asOf: string) => {
      await runner.catchUp();
      const result = await raiseDueNotifications(bus, runner.db, asOf, new Date(`${asOf}T06:00:00Z`));
      await runner.catchUp();
      return result.raised;
    };
    const inbox = async (who: { id: string; role: string; partnerId?: string }) =>
      (await listNotifications(runner.db, who, { limit: 100 })).items.filter((n) => n.topic === 'invoice_overdue');
    const invoice = async (partnerId: string, orderId: string, quantity: number, dueDate: string) => {
      const placedAt = '2026-01-05T09:00:00Z';
      ok(
        await bus.placeOrder(
          { orderId, partnerId, lines: [{ sku: 'PUMP', quantity }], placedAt },
          ctx({ id: `${partnerId}.buyer`, role: 'dealer', partnerId }),
        ),
      );
      await run({ type: 'ApproveOrder', data: { orderId, approvedAt: '2026-01-05T10:00:00Z' } }, system);
      await run({ type: 'ConfirmOrder', data: { orderId, confirmedAt: '2026-01-05T11:00:00Z' } });
      await run({ type: 'ShipOrder', data: { orderId, shipmentId: `${orderId}-s`, lines: [{ lineNo: 1, quantity }], shippedAt: '2026-01-06T09:00:00Z' } });
      await run({ type: 'DeliverShipment', data: { orderId, shipmentId: `${orderId}-s`, deliveredAt: '2026-01-08T09:00:00Z' } });
      await run({ type: 'InvoiceOrder', data: { orderId, invoiceId: `INV-${orderId}`, invoicedAt: '2026-01-09T09:00:00Z', dueDate } });
    };

    beforeAll(async () => {
      let database: Database;
      ({ database, teardown } = await open());
      const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      const since = '2025-12-01T00:00:00.000Z';
      await run({ type: 'RegisterProduct', data: { sku: 'PUMP', name: 'Pump', category: 'pumps', unit: 'each', listPrice: eur(100_00), registeredAt: since } });
      for (const [partnerId, region] of [
        ['acme', 'north'],
        ['bolt', 'south'],
        ['cove', 'north'],
      ] as const) {
        await run({
          type: 'OnboardPartner',
          data: {
            partnerId,
            name: `${partnerId} Ltd`,
            region,
            tier: 'gold',
            creditLimit: eur(1_000_000_00),
            contacts: [
              { name: `${partnerId} buyer`, email: `buy@${partnerId}.example`, role: 'purchasing' },
              { name: `${partnerId} finance`, email: `fin@${partnerId}.example`, role: 'finance' },
            ],
            onboardedAt: since,
          },
        });
      }
      const agreementId = 'agr-cove';
      for (const command of agreementInForce(
        { agreementId, partnerId: 'cove', title: 'Pumps', terms: coveTerms, effectiveFrom: '2025-12-01', expiresOn: '2026-12-31' },
        since,
      ))
        await run(command);
      await invoice('acme', 'SO-A', 3, '2026-02-08');
      await invoice('bolt', 'SO-B', 1, '2026-02-08');
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    it('reminds nobody on the due day; on day 3 each dealer gets a level 1 reminder for its own invoice only, once', async () => {
      expect(await due('2026-02-08')).toBe(0);
      expect(await due('2026-02-11')).toBe(2);
      const acme = await inbox({ id: 'acme.fin', role: 'dealer', partnerId: 'acme' });
      expect(acme.map((n) => [n.notificationId, n.label, n.link])).toEqual([['dn1-INV-SO-A', 'acme finance', '/portal/orders/SO-A']]);
      expect(acme[0]!.title.en).toBe('Level 1 reminder: invoice INV-SO-A has 300.00 EUR outstanding, due on 2026-02-08, 3 days past due');
      expect(JSON.stringify(acme)).not.toContain('bolt');
      const bolt = await inbox({ id: 'bolt.fin', role: 'dealer', partnerId: 'bolt' });
      expect(bolt.map((n) => n.notificationId)).toEqual(['dn1-INV-SO-B']);
      expect(JSON.stringify(bolt)).not.toContain('acme');
      // Level 1 tells only the dealer.
      expect(await inbox({ id: 'sam', role: 'sales' })).toEqual([]);
      expect(await due('2026-02-11')).toBe(0);
      expect(await due('2026-02-20')).toBe(0);
    });

    it("at 20 days sends the second reminder once, to the dealer and to the sales team of the dealer's region", async () => {
      expect(await due('2026-02-28')).toBe(4);
      expect(await due('2026-02-28')).toBe(0);
      expect(await due('2026-03-01')).toBe(0);
      const acme = await inbox({ id: 'acme.fin', role: 'dealer', partnerId: 'acme' });
      expect(acme.map((n) => n.notificationId)).toEqual(['dn2-INV-SO-A', 'dn1-INV-SO-A']);
      const sales = await inbox({ id: 'sam', role: 'sales' });
      expect(sales.map((n) => [n.notificationId, n.region, n.link]).sort()).toEqual([
        ['dn2s-INV-SO-A', 'north', '/console/orders/SO-A'],
        ['dn2s-INV-SO-B', 'south', '/console/orders/SO-B'],
      ]);
    });

    it('never sends the final notice for an invoice paid before 30 days; the unpaid one gets it once', async () => {
      await run({
        type: 'RecordPayment',
        data: { orderId: 'SO-A', paymentId: 'PAY-A', amount: eur(300_00), paidAt: '2026-03-05T10:00:00Z', method: 'bank_transfer' },
      });
      expect(await due('2026-03-12')).toBe(2);
      expect(await due('2026-03-12')).toBe(0);
      expect(await due('2026-04-30')).toBe(0);
      expect((await inbox({ id: 'acme.fin', role: 'dealer', partnerId: 'acme' })).map((n) => n.notificationId)).toEqual(['dn2-INV-SO-A', 'dn1-INV-SO-A']);
      expect((await inbox({ id: 'bolt.fin', role: 'dealer', partnerId: 'bolt' })).map((n) => n.notificationId)).toEqual([
        'dn3-INV-SO-B',
        'dn2-INV-SO-B',
        'dn1-INV-SO-B',
      ]);
    });

    it('sends only the level reached when the rule first runs late', async () => {
      await invoice('acme', 'SO-C', 1, '2026-03-01');
      expect(await due('2026-04-15')).toBe(2);
      const acme = await inbox({ id: 'acme.fin', role: 'dealer', partnerId: 'acme' });
      expect(acme.filter((n) => n.notificationId.endsWith('SO-C')).map((n) => n.notificationId)).toEqual(['dn3-INV-SO-C']);
    });

    it('reminds by the levels of the agreement governing the order, and lists them with the next level', async () => {
      await invoice('cove', 'SO-K', 2, '2026-05-01');
      // 3 days past due: the defaults would remind; cove's agreement starts at 5.
      expect(await due('2026-05-04')).toBe(0);
      expect(await due('2026-05-06')).toBe(1);
      const list = async (asOf: string) =>
        (await dunningList(runner.db, { asOf }, { partnerId: 'cove' })).map((i) => [
          i.invoiceId,
          i.daysPastDue,
          i.level,
          i.levelName,
          i.agreementId,
          i.nextLevel,
          i.sent,
        ]);
      expect(await list('2026-05-08')).toEqual([
        [
          'INV-SO-K',
          7,
          1,
          'reminder',
          'agr-cove',
          { level: 2, on: '2026-05-11' },
          [{ level: 1, sentAt: '2026-05-06T06:00:00.000Z', notificationId: 'dn1-INV-SO-K' }],
        ],
      ]);
      expect(await due('2026-05-11')).toBe(2);
      expect(await due('2026-07-30')).toBe(0);
      const cove = await inbox({ id: 'cove.fin', role: 'dealer', partnerId: 'cove' });
      expect(cove.map((n) => [n.notificationId, n.title.en.split(':')[0]])).toEqual([
        ['dn2-INV-SO-K', 'Level 2 demand letter'],
        ['dn1-INV-SO-K', 'Level 1 reminder'],
      ]);
      expect((await inbox({ id: 'sam', role: 'sales' })).filter((n) => n.notificationId.endsWith('SO-K')).map((n) => [n.notificationId, n.region])).toEqual([
        ['dn2s-INV-SO-K', 'north'],
      ]);
      expect((await list('2026-07-30'))[0]!.slice(0, 6)).toEqual(['INV-SO-K', 90, 2, 'demand letter', 'agr-cove', null]);
      // acme has no agreement: its invoices keep the default levels.
      const acme = await dunningList(runner.db, { asOf: '2026-07-30' }, { partnerId: 'acme' });
      expect(acme.map((i) => [i.invoiceId, i.level, i.levelName, i.agreementId, i.nextLevel])).toEqual([['INV-SO-C', 3, 'final notice', null, null]]);
    });
  });

await onEveryDatabase('dunning', suite);
