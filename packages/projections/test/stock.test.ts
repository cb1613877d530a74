import { CommandBus } from '@dms/app';
import { type Actor, aggregates, backorderSourcingPolicy, fulfilmentPolicy, stockStream } from '@dms/domain';
import { type Database, type EventStore, loadAggregate, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProjections,
  allReactors,
  getOrder,
  getStockLevel,
  listBackorders,
  listStockAlerts,
  listStockMovements,
  listStockReservations,
  ProjectionRunner,
  policyReactor,
  stockRollup,
  stockValuation,
} from '../src';
import { contexts, ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = contexts('stock-test', admin);
const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`stock and fulfilment on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;
    const run = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));
    /** Catches up until the reactors have nothing more to say: a receipt fills a backorder, which confirms an order, ... */
    const settle = async () => {
      for (;;) {
        const head = await store.headPosition();
        await runner.catchUp();
        if ((await store.headPosition()) === head) return;
      }
    };

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, [...allProjections, ...allReactors(bus)]);
      for (const [sku, price] of [
        ['PUMP', 100_00],
        ['VALVE', 20_00],
        ['HOSE', 5_00],
      ] as const) {
        await run({ type: 'RegisterProduct', data: { sku, name: sku, category: 'c', unit: 'each', listPrice: eur(price), registeredAt: at(1) } });
      }
      for (let i = 1; i <= 5; i++) {
        await run({
          type: 'OnboardPartner',
          data: { partnerId: `d${i}`, name: `Dealer ${i}`, region: 'north', tier: 'gold', creditLimit: eur(100_000_000), contacts: [], onboardedAt: at(1) },
        });
      }
      await run({ type: 'RegisterWarehouse', data: { warehouseId: 'N1', name: 'Oslo', region: 'north', registeredAt: at(1) } });
      await run({ type: 'RegisterWarehouse', data: { warehouseId: 'C1', name: 'Prague', region: 'central', registeredAt: at(1) } });
      await runner.catchUp();
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    const place = async (orderId: string, partner: string, day: number, hour: number, lines: { sku: string; quantity: number }[]) =>
      ok(await bus.placeOrder({ orderId, partnerId: partner, lines, placedAt: at(day, hour) }, ctx()));
    const approve = (orderId: string, day: number) => run({ type: 'ApproveOrder', data: { orderId, approvedAt: at(day, 12) } });
    const stockOf = async (warehouseId: string, sku: string) => (await loadAggregate(store, aggregates.stock, stockStream(warehouseId, sku))).state;
    const snapshot = async () => ({
      levels: (await sql`select * from stock_levels order by warehouse_id, sku`.execute(runner.db)).rows,
      ledger: (await sql`select * from stock_movements order by warehouse_id, sku, stream_version`.execute(runner.db)).rows,
      reservations: (await sql`select * from stock_reservations order by warehouse_id, sku, order_id, line_no`.execute(runner.db)).rows,
    });

    it('fills the region sourcing order as warehouses are registered, and refuses bad input without writing', async () => {
      const head = await store.headPosition();
      const refused = await bus.execute(
        {
          type: 'ReceiveStock',
          data: { warehouseId: 'NOPE', sku: 'PUMP', receiptId: 'r0', quantity: 1, unitCost: eur(1), businessDate: '2026-03-01', recordedAt: at(1) },
        },
        ctx(),
      );
      expect(refused).toMatchObject({ _tag: 'Left', left: { code: 'WAREHOUSE_NOT_FOUND' } });
      const invalid = await bus.execute({ type: 'ReceiveStock', data: { warehouseId: 'N1', sku: 'PUMP', receiptId: 'r0', quantity: -1 } }, ctx());
      expect(invalid).toMatchObject({ _tag: 'Left', left: { code: 'INVALID_COMMAND' } });
      expect((invalid as { left: { message: string } }).left.message).toContain('data.quantity');
      expect(await store.headPosition()).toBe(head);
      const sourcing = await loadAggregate(store, aggregates.sourcing, 'sourcing-north');
      expect(sourcing.state.warehouseIds).toEqual(['N1']);
      expect(await bus.execute({ type: 'SetSourcingOrder', data: { region: 'north', warehouseIds: ['N1', 'X9'], setAt: at(1) } }, ctx())).toMatchObject({
        _tag: 'Left',
        left: { code: 'WAREHOUSE_NOT_FOUND', details: { unknown: ['X9'] } },
      });
      await run({ type: 'SetSourcingOrder', data: { region: 'north', warehouseIds: ['N1', 'C1'], setAt: at(1) } });
    });

    it('races 50 orders of one unit for the last 10: exactly 10 reserved, 40 backordered, never negative, and a replay from zero agrees', async () => {
      await run({
        type: 'ReceiveStock',
        data: { warehouseId: 'N1', sku: 'PUMP', receiptId: 'r-pump-1', quantity: 10, unitCost: eur(60_00), businessDate: '2026-03-01', recordedAt: at(1) },
      });
      const orders = Array.from({ length: 50 }, (_, i) => `race-${String(i).padStart(2, '0')}`);
      // Placed in a shuffled order of time, so that placement order differs from id order and from approval order.
      for (const [i, orderId] of orders.entries()) await place(orderId, `d${(i % 5) + 1}`, 2, (i * 7) % 23, [{ sku: 'PUMP', quantity: 1 }]);
      for (const orderId of orders) await approve(orderId, 3);

      // 50 allocations at once: each reads 10 available and plans its unit in N1 ...
      const allocated = await Promise.all(
        orders.map((orderId) => bus.execute({ type: 'AllocateOrder', data: { orderId, onShortage: 'backorder', allocatedAt: at(3, 13) } }, ctx())),
      );
      const events = allocated.flatMap((r) => ok(r).events);
      expect(events.filter((e) => e.type === 'OrderStockAllocated')).toHaveLength(50);
      // ... and 50 reservations race for the stream of PUMP in N1, as the fulfilment policy sends them (same command ids).
      const reactor = policyReactor(fulfilmentPolicy, bus);
      await Promise.all(events.map((e) => reactor.react?.([e])));

      const stock = await stockOf('N1', 'PUMP');
      expect(stock).toMatchObject({ onHand: 10, reserved: 10, backordered: 40 });
      expect(stock.onHand - stock.reserved).toBe(0);

      // Now the runner delivers every event, twice over (a second worker, then a restart from a rewound checkpoint).
      const second = await ProjectionRunner.create(database.db, store, allReactors(bus));
      await Promise.all([runner.catchUp(), second.catchUp()]);
      await sql`update projections.checkpoints set position = null where name like 'policy_%'`.execute(database.db);
      await second.catchUp();
      await settle();
      expect(await stockOf('N1', 'PUMP')).toMatchObject({ onHand: 10, reserved: 10, backordered: 40 });

      const reservations = await listStockReservations(runner.db, { sku: 'PUMP', limit: 500 });
      expect(reservations.items.filter((r) => r.reserved === 1)).toHaveLength(10);
      expect(reservations.items.filter((r) => r.backordered === 1)).toHaveLength(40);
      const statuses = await Promise.all(orders.map(async (o) => (await getOrder(runner.db, o))?.status));
      expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(10);
      expect(statuses.filter((s) => s === 'approved')).toHaveLength(40);
      expect(await getStockLevel(runner.db, 'N1', 'PUMP')).toMatchObject({
        onHand: 10,
        reserved: 10,
        available: 0,
        backordered: 40,
        projected: -40,
        unitCost: eur(60_00),
        value: eur(600_00),
      });
      const negative = await sql<{ n: number }>`select count(*)::int as n from stock_movements where available_after < 0 or on_hand_after < 0`.execute(
        runner.db,
      );
      expect(negative.rows[0]?.n).toBe(0);

      const before = await snapshot();
      for (const p of ['stock_levels', 'stock_ledger', 'stock_reservations']) await runner.rebuild(p);
      expect(await snapshot()).toEqual(before);
    });

    it('fills backorders from a later receipt in the order the orders were placed, and confirms them', async () => {
      const queue = await listBackorders(runner.db, { sku: 'PUMP', warehouseId: 'N1', limit: 500 });
      expect(queue.items.map((b) => b.queuePosition)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const oldestFirst = queue.items.map((b) => b.orderId);
      const received = await run({
        type: 'ReceiveStock',
        data: { warehouseId: 'N1', sku: 'PUMP', receiptId: 'r-pump-2', quantity: 15, unitCost: eur(66_00), businessDate: '2026-03-04', recordedAt: at(4) },
      });
      const filled = received.events.filter((e) => e.type === 'StockReserved').map((e) => (e.data as { orderId: string }).orderId);
      expect(filled).toEqual(oldestFirst.slice(0, 15));
      await settle();
      for (const o of filled) expect((await getOrder(runner.db, o))?.status).toBe('confirmed');
      expect((await listBackorders(runner.db, { sku: 'PUMP' })).items[0]).toMatchObject({ orderId: oldestFirst[15], queuePosition: 1, aheadInQueue: 0 });
      // 10 at 60.00 + 15 at 66.00 = 1,590.00 for 25: 63.60 each.
      expect(await getStockLevel(runner.db, 'N1', 'PUMP')).toMatchObject({ onHand: 25, reserved: 25, backordered: 25, unitCost: eur(63_60) });
    });

    it('releases a cancelled order and gives its units to the next backorder; a shipment consumes its reservation', async () => {
      const [first] = (await listStockReservations(runner.db, { sku: 'PUMP', limit: 1 })).items;
      const nextInLine = (await listBackorders(runner.db, { sku: 'PUMP', limit: 1 })).items[0]!.orderId;
      await run({ type: 'CancelOrder', data: { orderId: first!.orderId, reason: 'project cancelled', cancelledAt: at(5) } });
      await settle();
      expect((await listStockReservations(runner.db, { orderId: first!.orderId })).items[0]).toMatchObject({ reserved: 0, released: 1 });
      // Releasing again (a redelivered cancellation under another id, or staff) finds nothing left to release.
      const again = await run({ type: 'ReleaseOrderStock', data: { orderId: first!.orderId, reason: 'again', releasedAt: at(5, 10) } });
      expect(again.events).toEqual([]);
      expect((await getOrder(runner.db, nextInLine))?.status).toBe('confirmed');

      const confirmed = (await listStockReservations(runner.db, { sku: 'PUMP', limit: 500 })).items.find((r) => r.reserved === 1)!;
      const shipped = await run({
        type: 'ShipOrder',
        data: { orderId: confirmed.orderId, shipmentId: 'ship-1', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: at(6) },
      });
      expect(shipped.events[0]?.data).toMatchObject({ warehouseId: 'N1' });
      await settle();
      expect((await listStockReservations(runner.db, { orderId: confirmed.orderId })).items[0]).toMatchObject({ reserved: 0, shipped: 1 });
      const level = await getStockLevel(runner.db, 'N1', 'PUMP');
      expect(level).toMatchObject({ onHand: 24, reserved: 24, backordered: 24 });
      const ledger = await listStockMovements(runner.db, { orderId: confirmed.orderId, order: 'asc' });
      expect(ledger.items.map((m) => m.kind)).toEqual(expect.arrayContaining(['shipped']));
      expect(ledger.items.at(-1)).toMatchObject({ kind: 'shipped', change: { onHand: -1, value: eur(-63_60) }, balance: { onHand: 24 } });
      // A backordered order cannot ship.
      const waiting = (await listBackorders(runner.db, { sku: 'PUMP', limit: 1 })).items[0]!;
      await run({ type: 'ConfirmOrder', data: { orderId: waiting.orderId, confirmedAt: at(6) } });
      expect(
        await bus.execute(
          { type: 'ShipOrder', data: { orderId: waiting.orderId, shipmentId: 'ship-2', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: at(6) } },
          ctx(),
        ),
      ).toMatchObject({ _tag: 'Left', left: { code: 'NOT_RESERVED' } });
    });

    it('moves stock between warehouses through transit, adjusts it, and raises a low-stock alert with a reorder suggestion', async () => {
      await run({
        type: 'ReceiveStock',
        data: { warehouseId: 'C1', sku: 'VALVE', receiptId: 'r-valve-1', quantity: 40, unitCost: eur(12_00), businessDate: '2026-03-05', recordedAt: at(5) },
      });
      await run({
        type: 'TransferStockOut',
        data: { warehouseId: 'C1', sku: 'VALVE', transferId: 'tr-1', toWarehouseId: 'N1', quantity: 15, businessDate: '2026-03-06', recordedAt: at(6) },
      });
      await settle();
      expect(await getStockLevel(runner.db, 'N1', 'VALVE')).toMatchObject({ onHand: 0, incoming: 15, projected: 15, incomingValue: eur(180_00) });
      await run({ type: 'SetReorderPolicy', data: { warehouseId: 'N1', sku: 'VALVE', min: 20, max: 60, packMultiple: 12, leadTimeDays: 10, setAt: at(6) } });
      await settle();
      expect((await listStockAlerts(runner.db, { warehouseId: 'N1' })).items).toEqual([
        expect.objectContaining({
          sku: 'VALVE',
          projected: 15,
          low: true,
          suggestedOrderQty: 36,
          reorderPolicy: { min: 20, max: 60, packMultiple: 12, leadTimeDays: 10 },
        }),
      ]);
      await run({ type: 'TransferStockIn', data: { warehouseId: 'N1', sku: 'VALVE', transferId: 'tr-1', businessDate: '2026-03-07', recordedAt: at(7) } });
      await run({
        type: 'AdjustStock',
        data: {
          warehouseId: 'N1',
          sku: 'VALVE',
          adjustmentId: 'adj-1',
          reason: 'damage',
          quantityChange: -2,
          note: 'forklift',
          businessDate: '2026-03-07',
          recordedAt: at(7),
        },
      });
      await run({
        type: 'AdjustStock',
        data: { warehouseId: 'C1', sku: 'VALVE', adjustmentId: 'cnt-1', reason: 'count', countedQuantity: 26, businessDate: '2026-03-07', recordedAt: at(7) },
      });
      await settle();
      expect(await getStockLevel(runner.db, 'N1', 'VALVE')).toMatchObject({ onHand: 13, incoming: 0, value: eur(156_00), low: true, suggestedOrderQty: 36 });
      expect(await getStockLevel(runner.db, 'C1', 'VALVE')).toMatchObject({ onHand: 26, value: eur(312_00), low: false });
      const ledger = await listStockMovements(runner.db, { warehouseId: 'N1', sku: 'VALVE', order: 'asc' });
      expect(ledger.items.map((m) => [m.kind, m.change.onHand, m.balance.onHand, m.balance.value?.amountMinor])).toEqual([
        ['in_transit', 0, 0, 0],
        ['transferred_in', 15, 15, 180_00],
        ['adjusted', -2, 13, 156_00],
      ]);
      expect(ledger.items[2]).toMatchObject({ note: 'damage: forklift', documentId: 'adj-1' });

      const regions = await stockRollup(runner.db, { by: 'region', sku: 'VALVE' });
      expect(regions.items.map((r) => [r.region, r.onHand, r.value?.amountMinor])).toEqual([
        ['central', 26, 312_00],
        ['north', 13, 156_00],
      ]);
      const total = await stockRollup(runner.db, { by: 'total', sku: 'VALVE' });
      expect(total.items).toEqual([expect.objectContaining({ region: null, onHand: 39, warehouses: 2, value: eur(468_00), unitCost: eur(12_00) })]);
      const valuation = await stockValuation(runner.db);
      const overall = valuation.find((v) => v.region === null)!;
      const byRegion = valuation.filter((v) => v.region !== null);
      expect(overall.value[0]!.amountMinor).toBe(byRegion.reduce((a, v) => a + (v.value[0]?.amountMinor ?? 0), 0));
    });

    it('fills backorders from any warehouse of the sourcing order, never twice when several receive at once', async () => {
      await run({ type: 'RegisterProduct', data: { sku: 'HOSE2', name: 'HOSE2', category: 'c', unit: 'each', listPrice: eur(5_00), registeredAt: at(1) } });
      await run({ type: 'RegisterWarehouse', data: { warehouseId: 'C2', name: 'Brno', region: 'central', registeredAt: at(1) } });
      await run({ type: 'SetSourcingOrder', data: { region: 'north', warehouseIds: ['N1', 'C1', 'C2'], setAt: at(7) } });
      const orders = Array.from({ length: 12 }, (_, i) => `hose-${String(i).padStart(2, '0')}`);
      for (const [i, orderId] of orders.entries()) await place(orderId, `d${(i % 5) + 1}`, 7, (i * 5) % 11, [{ sku: 'HOSE2', quantity: 1 }]);
      for (const orderId of orders) await approve(orderId, 7);
      await settle();
      expect(await stockOf('N1', 'HOSE2')).toMatchObject({ onHand: 0, backordered: 12 });
      const waiting = await listBackorders(runner.db, { sku: 'HOSE2', limit: 50 });
      expect(waiting.items.map((b) => b.fillableFrom)).toEqual(orders.map(() => ['N1', 'C1', 'C2']));

      // Three warehouses of the chain receive at once; the sourcing of the two fallbacks runs at once, as two workers would.
      const receipts = await Promise.all(
        (
          [
            ['N1', 4],
            ['C1', 5],
            ['C2', 5],
          ] as const
        ).map(([warehouseId, quantity]) =>
          run({
            type: 'ReceiveStock',
            data: {
              warehouseId,
              sku: 'HOSE2',
              receiptId: `r-hose-${warehouseId}`,
              quantity,
              unitCost: eur(4_00),
              businessDate: '2026-03-08',
              recordedAt: at(8),
            },
          }),
        ),
      );
      const reactor = policyReactor(backorderSourcingPolicy, bus);
      await Promise.all(receipts.flatMap((r) => r.events.filter((e) => e.type === 'StockReceived')).map((e) => reactor.react?.([e])));
      await settle();
      // Everything delivered again: a rewound checkpoint repeats no move.
      await sql`update projections.checkpoints set position = null where name like 'policy_%'`.execute(database.db);
      await settle();

      const stocks = await Promise.all(['N1', 'C1', 'C2'].map((w) => stockOf(w, 'HOSE2')));
      expect(stocks.map((s) => s.onHand)).toEqual([4, 5, 5]);
      expect(stocks.reduce((a, s) => a + s.reserved, 0)).toBe(12);
      expect(stocks.reduce((a, s) => a + s.backordered, 0)).toBe(0);
      for (const s of stocks) expect(s.onHand - s.reserved).toBeGreaterThanOrEqual(0);
      // Each order holds its one unit in exactly one warehouse, and is confirmed.
      const held = (await listStockReservations(runner.db, { sku: 'HOSE2', limit: 500 })).items;
      for (const orderId of orders) {
        const rows = held.filter((r) => r.orderId === orderId);
        expect(rows.reduce((a, r) => a + r.reserved, 0)).toBe(1);
        expect(rows.reduce((a, r) => a + r.backordered, 0)).toBe(0);
        const order = await loadAggregate(store, aggregates.orders, `order-${orderId}`);
        const allocations = order.state.exists ? (order.state.stock ?? []) : [];
        expect(allocations.reduce((a, x) => a + x.allocated, 0)).toBe(1);
        expect(allocations.reduce((a, x) => a + x.reserved, 0)).toBe(1);
        expect((await getOrder(runner.db, orderId))?.status).toBe('confirmed');
      }
      const negative = await sql<{ n: number }>`select count(*)::int as n from stock_movements where available_after < 0 or backordered_after < 0`.execute(
        runner.db,
      );
      expect(negative.rows[0]?.n).toBe(0);
      const moved = await listStockMovements(runner.db, { warehouseId: 'N1', sku: 'HOSE2', limit: 500 });
      expect(moved.items.filter((m) => m.kind === 'backorder_moved').length).toBeGreaterThan(0);
    });

    it('ships a line filled in two warehouses from each, and puts resaleable returns back where they shipped from, at their cost', async () => {
      await run({ type: 'RegisterProduct', data: { sku: 'GASKET', name: 'GASKET', category: 'c', unit: 'each', listPrice: eur(30_00), registeredAt: at(1) } });
      await place('g-1', 'd1', 9, 8, [{ sku: 'GASKET', quantity: 5 }]);
      await approve('g-1', 9);
      await settle();
      expect(await stockOf('N1', 'GASKET')).toMatchObject({ backordered: 5 });
      // Three arrive at the first fallback: they fill three of the five there, at once.
      await run({
        type: 'ReceiveStock',
        data: { warehouseId: 'C1', sku: 'GASKET', receiptId: 'r-g-c1', quantity: 3, unitCost: eur(10_00), businessDate: '2026-03-09', recordedAt: at(9, 10) },
      });
      await settle();
      expect((await listBackorders(runner.db, { orderId: 'g-1' })).items).toEqual([
        expect.objectContaining({ warehouseId: 'N1', backordered: 2, fillableFrom: ['N1', 'C1', 'C2'] }),
      ]);
      expect(await getStockLevel(runner.db, 'C1', 'GASKET')).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
      expect((await getOrder(runner.db, 'g-1'))?.status).toBe('approved');
      await run({
        type: 'ReceiveStock',
        data: { warehouseId: 'N1', sku: 'GASKET', receiptId: 'r-g-n1', quantity: 2, unitCost: eur(12_00), businessDate: '2026-03-09', recordedAt: at(9, 11) },
      });
      await settle();
      expect((await getOrder(runner.db, 'g-1'))?.status).toBe('confirmed');
      expect(
        await bus.execute({ type: 'ShipOrder', data: { orderId: 'g-1', shipmentId: 'g-s0', lines: [{ lineNo: 1, quantity: 5 }], shippedAt: at(10) } }, ctx()),
      ).toMatchObject({ _tag: 'Left', left: { code: 'WAREHOUSE_REQUIRED' } });
      for (const [shipmentId, warehouseId, quantity] of [
        ['g-s1', 'C1', 3],
        ['g-s2', 'N1', 2],
      ] as const) {
        await run({ type: 'ShipOrder', data: { orderId: 'g-1', shipmentId, warehouseId, lines: [{ lineNo: 1, quantity }], shippedAt: at(10) } });
        await run({ type: 'DeliverShipment', data: { orderId: 'g-1', shipmentId, deliveredAt: at(11) } });
      }
      await settle();
      expect((await getStockLevel(runner.db, 'C1', 'GASKET'))?.onHand).toBe(0);

      // Four come back: the first three delivered (from C1), then one from N1; each at the cost it left with.
      await run({
        type: 'ReturnGoods',
        data: { orderId: 'g-1', returnId: 'g-r1', creditNoteId: 'g-cn1', lines: [{ lineNo: 1, quantity: 4 }], reason: 'overstock', returnedAt: at(12) },
      });
      await settle();
      expect(await getStockLevel(runner.db, 'C1', 'GASKET')).toMatchObject({ onHand: 3, value: eur(30_00), unitCost: eur(10_00) });
      expect(await getStockLevel(runner.db, 'N1', 'GASKET')).toMatchObject({ onHand: 1, value: eur(12_00) });
      const back = await listStockMovements(runner.db, { orderId: 'g-1', order: 'asc', limit: 100 });
      expect(back.items.filter((m) => m.kind === 'returned').map((m) => [m.warehouseId, m.change.onHand, m.documentId])).toEqual([
        ['C1', 3, 'g-r1'],
        ['N1', 1, 'g-r1'],
      ]);
      // A damaged unit is credited, not restocked; running the restock again (another worker) changes nothing.
      await run({
        type: 'ReturnGoods',
        data: {
          orderId: 'g-1',
          returnId: 'g-r2',
          creditNoteId: 'g-cn2',
          lines: [{ lineNo: 1, quantity: 1 }],
          reason: 'broken seal',
          restock: false,
          returnedAt: at(12, 10),
        },
      });
      const again = await run({ type: 'RestockReturn', data: { orderId: 'g-1', returnId: 'g-r1', restockedAt: at(12, 11) } });
      expect(again.events).toEqual([]);
      await settle();
      expect(await getStockLevel(runner.db, 'N1', 'GASKET')).toMatchObject({ onHand: 1, value: eur(12_00) });
    });

    it('pages the ledger with a cursor, newest first', async () => {
      const first = await listStockMovements(runner.db, { limit: 7 });
      expect(first.items).toHaveLength(7);
      const second = await listStockMovements(runner.db, { limit: 7, cursor: first.nextCursor! });
      expect(BigInt(second.items[0]!.position)).toBeLessThan(BigInt(first.items.at(-1)!.position));
      const all = await listStockMovements(runner.db, { limit: 500 });
      expect(new Set(all.items.map((m) => m.position)).size).toBe(all.items.length);
    });
  });

await onEveryDatabase('stock', suite);
