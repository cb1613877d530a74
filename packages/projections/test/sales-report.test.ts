import { CommandBus } from '@dms/app';
import type { Actor, OrderRequest } from '@dms/domain';
import { type Database, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, ProjectionRunner, rangeBefore, SALES_DIMENSIONS, type SalesDimension, type SalesFigures, type SalesReport, salesReport } from '../src';
import { contexts, ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = contexts('sales', admin);
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

/** A small deterministic generator, so the background orders are the same on every run. */
const prng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`sales report on ${name}`, () => {
    let teardown: () => Promise<void>;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const step = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));
    const place = async (orderId: string, partnerId: string, placedAt: string, lines: OrderRequest['lines']) =>
      ok(await bus.placeOrder({ orderId, partnerId, lines, placedAt }, ctx()));
    /** Approves, confirms, ships and delivers everything, and invoices. */
    const fulfil = async (orderId: string, lines: { lineNo: number; quantity: number }[], at: string) => {
      await step({ type: 'ApproveOrder', data: { orderId, approvedAt: at } });
      await step({ type: 'ConfirmOrder', data: { orderId, confirmedAt: at } });
      await step({ type: 'ShipOrder', data: { orderId, shipmentId: `${orderId}-s`, lines, shippedAt: at } });
      await step({ type: 'DeliverShipment', data: { orderId, shipmentId: `${orderId}-s`, deliveredAt: at } });
      await step({ type: 'InvoiceOrder', data: { orderId, invoiceId: `${orderId}-inv`, invoicedAt: at, dueDate: '2027-12-31' } });
    };

    beforeAll(async () => {
      let database: Database;
      ({ database, teardown } = await open());
      const store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      const since = '2024-01-01T00:00:00.000Z';
      for (const [sku, name, category, listPrice] of [
        ['PUMP-1', 'Pump', 'pumps', eur(10_000)],
        ['VALVE-2', 'Valve', 'valves', eur(2_500)],
        ['HOSE-3', 'Hose', 'hoses', { amountMinor: 1_000, currency: 'USD' }],
      ] as const) {
        await step({ type: 'RegisterProduct', data: { sku, name, category, unit: 'each', listPrice, registeredAt: since } });
      }
      await step({ type: 'SetTierDiscount', data: { tier: 'gold', discountBps: 1000, setAt: since } });
      await step({ type: 'SetTierPrice', data: { tier: 'gold', sku: 'VALVE-2', unitPrice: eur(2_000), setAt: since } });
      for (const [partnerId, region] of [
        ['acme', 'north'],
        ['bolt', 'south'],
        ['cobalt', 'west'],
        ['dune', 'west'],
      ] as const) {
        await step({
          type: 'OnboardPartner',
          data: {
            partnerId,
            name: `${partnerId.toUpperCase()} Ltd`,
            region,
            tier: 'gold',
            // Dune trades in dollars.
            creditLimit: { amountMinor: 1_000_000_000, currency: partnerId === 'dune' ? 'USD' : 'EUR' },
            contacts: [],
            onboardedAt: since,
          },
        });
      }

      // Hand-checkable: gold pays 90.00 a pump (10 % off 100.00) and 20.00 a valve (tier price).
      // o-1 acme/north, January: 3 pumps 270.00 + 10 valves 200.00 = 470.00, delivered, invoiced, paid, one valve returned (credit 20.00).
      await place('o-1', 'acme', '2026-01-10T09:00:00.000Z', [
        { sku: 'PUMP-1', quantity: 3 },
        { sku: 'VALVE-2', quantity: 10 },
      ]);
      await fulfil(
        'o-1',
        [
          { lineNo: 1, quantity: 3 },
          { lineNo: 2, quantity: 10 },
        ],
        '2026-01-12T09:00:00.000Z',
      );
      await step({
        type: 'RecordPayment',
        data: { orderId: 'o-1', paymentId: 'p-1', amount: eur(47_000), paidAt: '2026-01-20T09:00:00.000Z', method: 'bank_transfer' },
      });
      await step({
        type: 'ReturnGoods',
        data: {
          orderId: 'o-1',
          returnId: 'r-1',
          creditNoteId: 'cn-1',
          lines: [{ lineNo: 2, quantity: 1 }],
          reason: 'damaged',
          returnedAt: '2026-01-25T09:00:00.000Z',
        },
      });
      // o-2 bolt/south, February: 1 pump 90.00, approved only.
      await place('o-2', 'bolt', '2026-02-05T09:00:00.000Z', [{ sku: 'PUMP-1', quantity: 1 }]);
      await step({ type: 'ApproveOrder', data: { orderId: 'o-2', approvedAt: '2026-02-06T09:00:00.000Z' } });
      // o-3 acme, February: cancelled, so it never counts.
      await place('o-3', 'acme', '2026-02-20T09:00:00.000Z', [{ sku: 'VALVE-2', quantity: 5 }]);
      await step({ type: 'CancelOrder', data: { orderId: 'o-3', reason: 'changed plans', cancelledAt: '2026-02-21T09:00:00.000Z' } });
      // o-4 bolt, March: 2 pumps 180.00, placed. o-5 bolt, March: rejected, never counts.
      await place('o-4', 'bolt', '2026-03-31T23:59:00.000Z', [{ sku: 'PUMP-1', quantity: 2 }]);
      await place('o-5', 'bolt', '2026-03-15T09:00:00.000Z', [{ sku: 'PUMP-1', quantity: 7 }]);
      await step({ type: 'RejectOrder', data: { orderId: 'o-5', reason: 'duplicate', rejectedAt: '2026-03-15T10:00:00.000Z' } });
      // The quarter before: o-0 acme in December (1 pump 90.00), o-6 acme in November (1 valve 20.00).
      await place('o-0', 'acme', '2025-12-15T09:00:00.000Z', [{ sku: 'PUMP-1', quantity: 1 }]);
      await place('o-6', 'acme', '2025-11-20T09:00:00.000Z', [{ sku: 'VALVE-2', quantity: 1 }]);
      // One outside both: after the range.
      await place('o-7', 'acme', '2026-04-01T00:00:00.000Z', [{ sku: 'PUMP-1', quantity: 50 }]);

      // Background orders in 2024 in the west, in two currencies, for the property test.
      const random = prng(11);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      for (let i = 0; i < 30; i++) {
        const orderId = `bg-${i}`;
        const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 360) * 86_400_000).toISOString();
        const skus = random() < 0.3 ? ['HOSE-3'] : random() < 0.5 ? ['PUMP-1', 'VALVE-2'] : [pick(['PUMP-1', 'VALVE-2'])];
        const lines = skus.map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 9) }));
        await place(orderId, skus[0] === 'HOSE-3' ? 'dune' : 'cobalt', day, lines);
        const fate = random();
        if (fate < 0.15) await step({ type: 'CancelOrder', data: { orderId, reason: 'changed plans', cancelledAt: day } });
        else if (fate < 0.25) await step({ type: 'RejectOrder', data: { orderId, reason: 'duplicate', rejectedAt: day } });
        else if (fate < 0.75) {
          await fulfil(
            orderId,
            lines.map((l, n) => ({ lineNo: n + 1, quantity: l.quantity })),
            day,
          );
          if (random() < 0.5) {
            await step({
              type: 'ReturnGoods',
              data: {
                orderId,
                returnId: `${orderId}-r`,
                creditNoteId: `${orderId}-cn`,
                lines: [{ lineNo: 1, quantity: 1 }],
                reason: 'damaged',
                returnedAt: day,
              },
            });
          }
          if (random() < 0.6) {
            const currency = skus[0] === 'HOSE-3' ? 'USD' : 'EUR';
            await step({
              type: 'RecordPayment',
              data: { orderId, paymentId: `${orderId}-p`, amount: { amountMinor: 500, currency }, paidAt: day, method: 'bank_transfer' },
            });
          }
        }
      }
      await runner.catchUp();
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    const Q1 = { from: '2026-01-01', to: '2026-03-31' } as const;
    const figures = (r: SalesFigures) => ({
      orders: r.orders,
      orderedQty: r.orderedQty,
      returnedQty: r.returnedQty,
      ordered: r.ordered.amountMinor,
      credited: r.credited.amountMinor,
      net: r.net.amountMinor,
      invoiced: r.invoiced.amountMinor,
      paid: r.paid?.amountMinor ?? null,
    });

    it('sums sales by region over a quarter, without cancelled or rejected orders, returns netted, against the quarter before', async () => {
      const report = await salesReport(runner.db, { groupBy: ['region'], ...Q1 });
      expect(report.rows.map((r) => [r.group.region, r.currency, figures(r), r.shareBps])).toEqual([
        ['north', 'EUR', { orders: 1, orderedQty: 13, returnedQty: 1, ordered: 47_000, credited: 2_000, net: 45_000, invoiced: 47_000, paid: 47_000 }, 6250],
        ['south', 'EUR', { orders: 2, orderedQty: 3, returnedQty: 0, ordered: 27_000, credited: 0, net: 27_000, invoiced: 0, paid: 0 }, 3750],
      ]);
      expect(report.rows[0]).toMatchObject({ shippedQty: 13, deliveredQty: 13, previous: null, growthBps: null });
      expect(report.previousRange).toEqual({ from: '2025-10-01', to: '2025-12-31' });
      expect(report.totals).toHaveLength(1);
      const [total] = report.totals;
      expect(figures(total!)).toEqual({
        orders: 3,
        orderedQty: 16,
        returnedQty: 1,
        ordered: 74_000,
        credited: 2_000,
        net: 72_000,
        invoiced: 47_000,
        paid: 47_000,
      });
      // The quarter before: 90.00 + 20.00 = 110.00; growth (720 - 110) / 110 = 554.55 %.
      expect(total!.previous?.net).toEqual(eur(11_000));
      expect(total!.growthBps).toBe(55_455);
    });

    it('compares each month with the month before, for the same group', async () => {
      const report = await salesReport(runner.db, { groupBy: ['month'], ...Q1 });
      expect(report.rows.map((r) => [r.group.month, r.net.amountMinor, r.previous?.net.amountMinor, r.growthBps])).toEqual([
        ['2026-01', 45_000, 9_000, 40_000],
        ['2026-02', 9_000, 45_000, -8_000],
        ['2026-03', 18_000, 9_000, 10_000],
      ]);
      const byPartner = await salesReport(runner.db, { groupBy: ['partner', 'quarter'], from: '2025-10-01', to: '2026-03-31' });
      expect(byPartner.rows.map((r) => [r.group.partner, r.partnerName, r.group.quarter, r.net.amountMinor, r.previous?.net.amountMinor, r.growthBps])).toEqual(
        [
          ['acme', 'ACME Ltd', '2025-Q4', 11_000, 0, null],
          ['acme', 'ACME Ltd', '2026-Q1', 45_000, 11_000, 30_909],
          ['bolt', 'BOLT Ltd', '2026-Q1', 27_000, 0, null],
        ],
      );
    });

    it('marks a period as partial when it has not ended by today or the range cuts it, and whole ones not', async () => {
      // Today is 2026-03-10: March has not ended; the range starts on 5 January, so January is cut too.
      const report = await salesReport(runner.db, { groupBy: ['month'], from: '2026-01-05', to: '2026-03-31', today: '2026-03-10' });
      expect(report.rows.map((r) => [r.group.month, r.partial])).toEqual([
        ['2026-01', true],
        ['2026-02', false],
        ['2026-03', true],
      ]);
      expect(report.totals.map((t) => t.partial)).toEqual([true]);
      // Once the quarter is over, nothing in it is partial; a whole quarter is whole.
      const later = await salesReport(runner.db, { groupBy: ['region', 'quarter'], ...Q1, today: '2026-04-01' });
      expect(later.rows.every((r) => !r.partial)).toBe(true);
      expect(later.totals.map((t) => t.partial)).toEqual([false]);
      // The last day of the period is still part of it: not ended yet.
      const lastDay = await salesReport(runner.db, { groupBy: ['quarter'], ...Q1, today: '2026-03-31' });
      expect(lastDay.rows.map((r) => [r.group.quarter, r.partial])).toEqual([['2026-Q1', true]]);
      // No period dimension: rows are never partial.
      expect((await salesReport(runner.db, { groupBy: ['region'], ...Q1, today: '2026-03-10' })).rows.every((r) => r.partial === false)).toBe(true);
    });

    it('breaks sales down by product and category from the order lines, largest first, with no payments per line', async () => {
      const byProduct = await salesReport(runner.db, { groupBy: ['product'], ...Q1 });
      expect(byProduct.rows.map((r) => [r.group.product, r.productName, figures(r)])).toEqual([
        ['PUMP-1', 'Pump', { orders: 3, orderedQty: 6, returnedQty: 0, ordered: 54_000, credited: 0, net: 54_000, invoiced: 27_000, paid: null }],
        ['VALVE-2', 'Valve', { orders: 1, orderedQty: 10, returnedQty: 1, ordered: 20_000, credited: 2_000, net: 18_000, invoiced: 20_000, paid: null }],
      ]);
      const byCategory = await salesReport(runner.db, { groupBy: ['category', 'region'], ...Q1, measure: 'quantity' });
      expect(byCategory.rows.map((r) => [r.group.category, r.group.region, r.orderedQty, r.shareBps])).toEqual([
        ['valves', 'north', 10, 6250],
        ['pumps', 'north', 3, 1875],
        ['pumps', 'south', 3, 1875],
      ]);
      const valves = await salesReport(runner.db, { groupBy: ['month'], ...Q1, category: 'valves' });
      expect(valves.rows.map((r) => [r.group.month, r.net.amountMinor])).toEqual([['2026-01', 18_000]]);
      const pumps = await salesReport(runner.db, { groupBy: ['region'], ...Q1, sku: 'PUMP-1', region: 'south' });
      expect(pumps.totals.map(figures)).toEqual([
        { orders: 2, orderedQty: 3, returnedQty: 0, ordered: 27_000, credited: 0, net: 27_000, invoiced: 0, paid: null },
      ]);
    });

    it('confines a dealer to its own orders in the query itself', async () => {
      const report = await salesReport(runner.db, { groupBy: ['region'], ...Q1 }, { partnerId: 'bolt' });
      expect(report.rows.map((r) => [r.group.region, r.net.amountMinor])).toEqual([['south', 27_000]]);
      const asked = await salesReport(runner.db, { groupBy: ['partner'], ...Q1, partnerId: 'acme' }, { partnerId: 'bolt' });
      expect(asked.rows).toEqual([]);
      expect(asked.totals).toEqual([]);
    });

    it('never adds up different currencies', async () => {
      const report = await salesReport(runner.db, { groupBy: ['year'] });
      expect(report.totals.map((t) => t.currency)).toEqual(['EUR', 'USD']);
      expect(report.rows.filter((r) => r.group.year === '2024').map((r) => r.currency)).toEqual(['EUR', 'USD']);
    });

    it('refuses a query it cannot answer, naming the field', async () => {
      await expect(salesReport(runner.db, { groupBy: ['colour'] })).rejects.toThrow(/groupBy unknown dimension "colour"/);
      await expect(salesReport(runner.db, { groupBy: ['region', 'month', 'partner'] })).rejects.toThrow(/groupBy must name one or two dimensions/);
      await expect(salesReport(runner.db, { groupBy: ['month', 'year'] })).rejects.toThrow(/only one of month, quarter, year/);
      await expect(salesReport(runner.db, { groupBy: ['region'], from: '2026-02-01', to: '2026-01-01' })).rejects.toThrow(/from must not be after to/);
    });

    it('gives rows that add up exactly to the totals, for any grouping and filter', async () => {
      const dimensionPair = fc
        .uniqueArray(fc.constantFrom(...SALES_DIMENSIONS), { minLength: 1, maxLength: 2 })
        .filter((ds) => ds.filter((d) => d === 'month' || d === 'quarter' || d === 'year').length <= 1);
      const day = fc.integer({ min: 0, max: 900 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
      const sum = (report: SalesReport, currency: string, field: (r: SalesFigures) => number | undefined) =>
        report.rows.filter((r) => r.currency === currency).reduce((a, r) => a + BigInt(field(r) ?? 0), 0n);
      await fc.assert(
        fc.asyncProperty(
          dimensionPair,
          fc.option(fc.tuple(day, day), { nil: undefined }),
          fc.option(fc.constantFrom('north', 'south', 'west'), { nil: undefined }),
          fc.option(fc.constantFrom('PUMP-1', 'VALVE-2', 'HOSE-3'), { nil: undefined }),
          fc.constantFrom('net', 'ordered', 'invoiced', 'quantity' as const),
          async (groupBy: SalesDimension[], range, region, sku, measure) => {
            const [from, to] = range ? [...range].sort() : [undefined, undefined];
            const report = await salesReport(runner.db, { groupBy, from, to, region, sku, measure });
            const lineLevel = groupBy.includes('product') || groupBy.includes('category');
            for (const total of report.totals) {
              const c = total.currency;
              for (const field of [
                (r: SalesFigures) => r.orderedQty,
                (r: SalesFigures) => r.shippedQty,
                (r: SalesFigures) => r.deliveredQty,
                (r: SalesFigures) => r.returnedQty,
                (r: SalesFigures) => r.ordered.amountMinor,
                (r: SalesFigures) => r.credited.amountMinor,
                (r: SalesFigures) => r.net.amountMinor,
                (r: SalesFigures) => r.invoiced.amountMinor,
                (r: SalesFigures) => r.paid?.amountMinor,
              ]) {
                expect(sum(report, c, field)).toBe(BigInt(field(total) ?? 0));
              }
              // An order with lines of two products counts in both rows.
              if (lineLevel) expect(sum(report, c, (r) => r.orders)).toBeGreaterThanOrEqual(total.orders);
              else expect(sum(report, c, (r) => r.orders)).toBe(BigInt(total.orders));
            }
            // Orders and order lines agree: the same filter grouped by region gives the same totals, payments aside.
            const byRegion = await salesReport(runner.db, { groupBy: ['region'], from, to, region, sku });
            const unpaid = (t: SalesFigures & { currency: string }) => ({ currency: t.currency, ...figures(t), paid: null });
            expect(report.totals.map(unpaid)).toEqual(byRegion.totals.map(unpaid));
          },
        ),
        { numRuns: 40 },
      );
    });
  });

await onEveryDatabase('sales_report', suite);

describe('the range growth compares with', () => {
  it('is the calendar period before for whole months, quarters and years, and as many days before otherwise', () => {
    expect(rangeBefore('2026-07-01', '2026-09-30')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(rangeBefore('2026-01-01', '2026-03-31')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(rangeBefore('2026-03-01', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(rangeBefore('2028-03-01', '2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(rangeBefore('2026-01-01', '2026-12-31')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(rangeBefore('2026-03-10', '2026-03-19')).toEqual({ from: '2026-02-28', to: '2026-03-09' });
  });
});
