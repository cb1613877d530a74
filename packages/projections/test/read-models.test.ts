import { CommandBus } from '@dms/app';
import type { Actor, OrderRequest } from '@dms/domain';
import { type Database, type EventStore, PostgresEventStore } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProjections,
  catalogueProjection,
  getOrder,
  listOrders,
  listPartners,
  listProducts,
  openInvoices,
  ordersByStatusAndRegion,
  ordersProjection,
  type Projection,
  ProjectionRunner,
  partnersProjection,
  revenueByMonth,
} from '../src';
import { contexts, ok } from './support/commands';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const ctx = contexts('cmd', admin);
const at = (day: number) => new Date(Date.UTC(2026, 0, day, 9)).toISOString();

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`read models on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    let store: EventStore;
    let bus: CommandBus;
    let runner: ProjectionRunner;

    beforeAll(async () => {
      ({ database, teardown } = await open());
      store = await PostgresEventStore.create(database.db, { pollIntervalMs: 10 });
      bus = new CommandBus(store);
      runner = await ProjectionRunner.create(database.db, store, allProjections);
      ok(
        await bus.execute(
          {
            type: 'RegisterProduct',
            data: { sku: 'PUMP-1', name: 'Pump', category: 'pumps', unit: 'each', listPrice: { amountMinor: 10_000, currency: 'EUR' }, registeredAt: at(1) },
          },
          ctx(),
        ),
      );
      ok(
        await bus.execute(
          {
            type: 'RegisterProduct',
            data: { sku: 'VALVE-2', name: 'Valve', category: 'valves', unit: 'each', listPrice: { amountMinor: 2_550, currency: 'EUR' }, registeredAt: at(1) },
          },
          ctx(),
        ),
      );
      ok(await bus.execute({ type: 'SetTierDiscount', data: { tier: 'gold', discountBps: 1000, setAt: at(1) } }, ctx()));
      ok(
        await bus.execute(
          { type: 'SetTierPrice', data: { tier: 'gold', sku: 'VALVE-2', unitPrice: { amountMinor: 2_000, currency: 'EUR' }, setAt: at(1) } },
          ctx(),
        ),
      );
      for (const [id, region] of [
        ['acme', 'north'],
        ['bolt', 'south'],
      ] as const) {
        ok(
          await bus.execute(
            {
              type: 'OnboardPartner',
              data: {
                partnerId: id,
                name: `${id.toUpperCase()} Ltd`,
                region,
                tier: 'gold',
                creditLimit: { amountMinor: 10_000_000, currency: 'EUR' },
                contacts: [],
                onboardedAt: at(1),
              },
            },
            ctx(),
          ),
        );
      }
    });
    afterAll(async () => {
      await runner?.stop();
      await teardown?.();
    });

    const place = (orderId: string, partnerId: string, day: number, lines: OrderRequest['lines']) =>
      bus.placeOrder({ orderId, partnerId, lines, placedAt: at(day) }, ctx());

    it('follows an order through its whole lifecycle, with the price snapshotted at placement', async () => {
      ok(
        await place('o-1', 'acme', 2, [
          { sku: 'PUMP-1', quantity: 3 },
          { sku: 'VALVE-2', quantity: 10 },
        ]),
      );
      // A later list-price change must not reprice the placed order.
      ok(await bus.execute({ type: 'ChangeListPrice', data: { sku: 'PUMP-1', listPrice: { amountMinor: 99_999, currency: 'EUR' }, changedAt: at(3) } }, ctx()));
      const step = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));
      await step({ type: 'ApproveOrder', data: { orderId: 'o-1', approvedAt: at(3) } });
      await step({ type: 'ConfirmOrder', data: { orderId: 'o-1', confirmedAt: at(3) } });
      await step({
        type: 'ShipOrder',
        data: {
          orderId: 'o-1',
          shipmentId: 's-1',
          lines: [
            { lineNo: 1, quantity: 3 },
            { lineNo: 2, quantity: 4 },
          ],
          shippedAt: at(4),
          carrier: 'DHL',
        },
      });
      await runner.catchUp();
      expect((await getOrder(runner.db, 'o-1'))?.status).toBe('partially_shipped');
      await step({ type: 'ShipOrder', data: { orderId: 'o-1', shipmentId: 's-2', lines: [{ lineNo: 2, quantity: 6 }], shippedAt: at(5) } });
      await step({ type: 'DeliverShipment', data: { orderId: 'o-1', shipmentId: 's-1', deliveredAt: at(6) } });
      await step({ type: 'DeliverShipment', data: { orderId: 'o-1', shipmentId: 's-2', deliveredAt: at(7) } });
      await step({ type: 'InvoiceOrder', data: { orderId: 'o-1', invoiceId: 'inv-1', invoicedAt: at(8), dueDate: '2026-02-07' } });
      await step({
        type: 'RecordPayment',
        data: { orderId: 'o-1', paymentId: 'p-1', amount: { amountMinor: 20_000, currency: 'EUR' }, paidAt: at(10), method: 'bank_transfer' },
      });
      const last = await step({
        type: 'ReturnGoods',
        data: { orderId: 'o-1', returnId: 'r-1', creditNoteId: 'cn-1', lines: [{ lineNo: 2, quantity: 1 }], reason: 'damaged', returnedAt: at(11) },
      });
      await runner.catchUp();
      expect(await runner.waitForPosition(last.position, 1000)).toBe(true);

      const order = await getOrder(runner.db, 'o-1');
      // 3 x 100.00 less 10 % = 270.00; 10 x 20.00 tier price = 200.00.
      expect(order?.total).toEqual({ amountMinor: 47_000, currency: 'EUR' });
      expect(order?.lines.map((l) => [l.sku, l.unitPrice.amountMinor, l.discountBps, l.netAmount.amountMinor, l.shipped, l.delivered, l.returned])).toEqual([
        ['PUMP-1', 10_000, 1000, 27_000, 3, 3, 0],
        ['VALVE-2', 2_000, 0, 20_000, 10, 10, 1],
      ]);
      expect(order).toMatchObject({
        status: 'invoiced',
        partnerName: 'ACME Ltd',
        region: 'north',
        credited: { amountMinor: 2_000 },
        paid: { amountMinor: 20_000 },
        outstanding: { amountMinor: 25_000 },
        invoice: { invoiceId: 'inv-1', amount: { amountMinor: 47_000 } },
      });
      expect(order?.dates).toMatchObject({
        placedAt: at(2),
        approvedAt: at(3),
        firstShippedAt: at(4),
        shippedAt: at(5),
        deliveredAt: at(7),
        invoicedAt: at(8),
        paidAt: null,
      });
      expect(order?.shipments.map((s) => [s.shipmentId, s.quantity, s.deliveredAt])).toEqual([
        ['s-1', 7, at(6)],
        ['s-2', 6, at(7)],
      ]);
      ok(
        await bus.execute(
          {
            type: 'RecordPayment',
            data: { orderId: 'o-1', paymentId: 'p-2', amount: { amountMinor: 25_000, currency: 'EUR' }, paidAt: at(12), method: 'bank_transfer' },
          },
          ctx(),
        ),
      );
      await runner.catchUp();
      expect(await getOrder(runner.db, 'o-1')).toMatchObject({ status: 'paid', outstanding: { amountMinor: 0 }, dates: { paidAt: at(12) } });
      expect(await revenueByMonth(runner.db)).toEqual([
        { month: '2026-01', invoices: 1, revenue: { amountMinor: 45_000, currency: 'EUR' }, collected: { amountMinor: 45_000, currency: 'EUR' } },
      ]);
    });

    it('lists orders newest first with filters and cursor pagination', async () => {
      for (let i = 0; i < 7; i++) ok(await place(`p-${i}`, i % 2 ? 'bolt' : 'acme', 13 + i, [{ sku: 'VALVE-2', quantity: 1 + i }]));
      ok(await bus.execute({ type: 'RejectOrder', data: { orderId: 'p-0', reason: 'duplicate', rejectedAt: at(20) } }, ctx()));
      await runner.catchUp();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listOrders(runner.db, { partnerId: 'acme', limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((o) => o.orderId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(['p-6', 'p-4', 'p-2', 'p-0', 'o-1']);
      expect((await listOrders(runner.db, { status: 'rejected' })).items).toMatchObject([{ orderId: 'p-0', statusReason: 'duplicate' }]);
      expect((await listOrders(runner.db, { region: 'south' })).items.map((o) => o.orderId)).toEqual(['p-5', 'p-3', 'p-1']);
      expect((await listOrders(runner.db, { placedFrom: at(15), placedTo: at(17) })).items.map((o) => o.orderId)).toEqual(['p-3', 'p-2']);
      const byStatus = await ordersByStatusAndRegion(runner.db);
      expect(byStatus.find((r) => r.region === 'south' && r.status === 'placed')?.orders).toBe(3);
    });

    it('shows partners and the catalogue as a tier sees it', async () => {
      ok(await bus.execute({ type: 'SuspendPartner', data: { partnerId: 'bolt', reason: 'overdue invoices', suspendedAt: at(21) } }, ctx()));
      await runner.catchUp();
      const partners = await listPartners(runner.db);
      expect(partners.items.map((p) => [p.partnerId, p.status, p.statusReason])).toEqual([
        ['acme', 'active', null],
        ['bolt', 'suspended', 'overdue invoices'],
      ]);
      const products = await listProducts(runner.db, { tier: 'gold' });
      expect(products.items.map((p) => [p.sku, p.listPrice.amountMinor, p.tierPrice?.unitPrice.amountMinor, p.tierPrice?.discountBps])).toEqual([
        ['PUMP-1', 99_999, 99_999, 1000],
        ['VALVE-2', 2_550, 2_000, 0],
      ]);
    });

    /** Every row of the `orders` projection's tables, in key order. */
    const orderTables = async () => ({
      orders: (await sql`select * from orders order by order_id`.execute(runner.db)).rows,
      lines: (await sql`select * from order_lines order by order_id, line_no`.execute(runner.db)).rows,
      shipments: (await sql`select * from order_shipments order by order_id, shipment_id`.execute(runner.db)).rows,
      salesDays: (await sql`select * from order_sales_daily order by day, region, partner_id, currency`.execute(runner.db)).rows,
    });

    it('rebuilds every projection from zero into identical tables', async () => {
      const snapshot = async () => ({
        ...(await orderTables()),
        partners: (await sql`select * from partners order by partner_id`.execute(runner.db)).rows,
        products: (await sql`select * from products order by sku`.execute(runner.db)).rows,
        // Query indexes are built after a rebuild's catch-up: the swapped-in tables must carry every one of them.
        indexes: (await sql`select tablename, indexdef from pg_indexes where schemaname = 'public' order by indexname`.execute(runner.db)).rows,
      });
      await runner.catchUp();
      const before = await snapshot();
      const progress: number[] = [];
      for (const p of allProjections) await runner.rebuild(p.name, (x) => progress.push(x.fraction));
      expect(await snapshot()).toEqual(before);
      expect(progress.at(-1)).toBe(1);
      const status = await runner.status();
      expect(status.every((s) => s.behind === 0)).toBe(true);
    });

    it('rebuildMany finds the read models without events in one pass over the log, and reads the log for the others only', async () => {
      // Given a log that holds events of some read models' types and none of others'
      await runner.catchUp();
      const log = await store.typesInLog!();
      expect(log.position).toBe(await store.headPosition());
      const names = allProjections.filter((p) => !p.react && p.replayable !== false).map((p) => p.name);
      const withEvents = allProjections.filter((p) => names.includes(p.name) && p.eventTypes.some((t) => log.types.has(t))).map((p) => p.name);
      expect(withEvents.length).toBeGreaterThan(0);
      expect(withEvents.length).toBeLessThan(names.length);
      const rebuildWith = async (typesInLog: EventStore['typesInLog']) => {
        const subscribed: (readonly string[] | undefined)[] = [];
        // The filters of the replays that read on to the log's end (were told they had caught up).
        const readToEnd: (readonly string[] | undefined)[] = [];
        const watched: EventStore = {
          appendToStream: (s, e, o) => store.appendToStream(s, e, o),
          readStream: (s, o) => store.readStream(s, o),
          readAll: (o) => store.readAll(o),
          headPosition: () => store.headPosition(),
          close: () => store.close(),
          ...(typesInLog ? { typesInLog } : {}),
          subscribeToAll: (o) => {
            subscribed.push(o?.filter?.eventTypes);
            const inner = store.subscribeToAll(o);
            return {
              close: () => inner.close(),
              async *[Symbol.asyncIterator]() {
                for await (const item of inner) {
                  if (item.kind === 'caughtUp') readToEnd.push(o?.filter?.eventTypes);
                  yield item;
                }
              },
            };
          },
        };
        const many = await ProjectionRunner.create(database.db, watched, allProjections, { rebuildConcurrency: 2 });
        const results = await many.rebuildMany(names);
        const readers = allProjections.filter((p) => subscribed.includes(p.eventTypes)).map((p) => p.name);
        const toEnd = allProjections.filter((p) => readToEnd.includes(p.eventTypes)).map((p) => p.name);
        return { results, readers, toEnd };
      };
      const snapshot = async () => ({
        orders: (await sql`select * from orders order by order_id`.execute(runner.db)).rows,
        partners: (await sql`select * from partners order by partner_id`.execute(runner.db)).rows,
        products: (await sql`select * from products order by sku`.execute(runner.db)).rows,
      });
      const live = await snapshot();

      // When they are all rebuilt at once
      const { results, readers, toEnd } = await rebuildWith(() => store.typesInLog!());

      // Then only those with events read the log; the others are swapped in empty, caught up to the log's last event
      expect(readers.sort()).toEqual([...withEvents].sort());
      for (const r of results) if (!withEvents.includes(r.name)) expect(r).toMatchObject({ events: 0, position: log.position });
      expect((await runner.status()).every((s) => s.behind === 0 && s.position === log.position!.toString())).toBe(true);
      // And those with events stopped reading at the last event of their types, not at the log's end (for some, well before it)
      const lastOf = (name: string) =>
        allProjections
          .find((p) => p.name === name)!
          .eventTypes.reduce((m, t) => (log.types.has(t) && log.types.get(t)!.last > m ? log.types.get(t)!.last : m), -1n);
      expect(withEvents.filter((n) => lastOf(n) < log.position!).length).toBeGreaterThan(0);
      expect(toEnd).toEqual([]);
      expect(await snapshot()).toEqual(live);

      // And when the answer is older than the log's head (events appended since), each reads the log for itself, to its end
      const stale = { types: new Map(), position: log.position! - 1n };
      const again = await rebuildWith(async () => stale);
      expect(again.readers.sort()).toEqual([...names].sort());
      expect(again.toEnd.sort()).toEqual([...names].sort());
      expect((await runner.status()).every((s) => s.behind === 0)).toBe(true);
      expect(await snapshot()).toEqual(live);
    });

    it('rebuildMany starts the read models with the most events first, so that none of the long ones runs alone at the end', async () => {
      // Given a log whose read models hold different numbers of events
      await runner.catchUp();
      const names = allProjections.filter((p) => !p.react && p.replayable !== false).map((p) => p.name);
      const log = await store.typesInLog!();
      expect([...log.types.values()].reduce((a, b) => a + b.events, 0)).toBe(
        Number((await sql<{ n: string }>`select count(*) as n from eventstore.events`.execute(runner.db)).rows[0]!.n),
      );

      // When they are rebuilt one at a time
      const one = await ProjectionRunner.create(database.db, store, allProjections, { rebuildConcurrency: 1 });
      const done: { name: string; events: number }[] = [];
      const results = await one.rebuildMany(names, undefined, { onDone: (r) => done.push(r) });

      // Then they ran from the most events to the fewest (those without any keep their order), and the answer keeps the names' order
      const events = done.map((r) => r.events);
      expect(new Set(events).size).toBeGreaterThan(2);
      expect(events).toEqual([...events].sort((a, b) => b - a));
      expect(done.filter((r) => r.events === 0).map((r) => r.name)).toEqual(names.filter((n) => done.find((r) => r.name === n)!.events === 0));
      expect(results.map((r) => r.name)).toEqual(names);
    });

    it('rebuilds several projections at once (rebuildMany) into the same tables as one after another', async () => {
      const snapshot = async () => ({
        orders: (await sql`select * from orders order by order_id`.execute(runner.db)).rows,
        lines: (await sql`select * from order_lines order by order_id, line_no`.execute(runner.db)).rows,
        partners: (await sql`select * from partners order by partner_id`.execute(runner.db)).rows,
        products: (await sql`select * from products order by sku`.execute(runner.db)).rows,
        indexes: (await sql`select tablename, indexdef from pg_indexes where schemaname = 'public' order by indexname`.execute(runner.db)).rows,
      });
      await runner.catchUp();
      const before = await snapshot();
      const names = allProjections.filter((p) => !p.react && p.replayable !== false).map((p) => p.name);
      const parallel = await ProjectionRunner.create(database.db, store, allProjections, { rebuildConcurrency: 3, rebuildBatchSize: 3 });
      const calls: string[] = [];
      const results = await parallel.rebuildMany(names, (p) => calls.push(p.projection));
      expect(results.map((r) => r.name)).toEqual(names);
      expect(results.find((r) => r.name === 'orders')!.events).toBeGreaterThan(0);
      // Each rebuild reports from its first batch to its swap: some other projection reported while `orders` ran.
      const span = (name: string) => [calls.indexOf(name), calls.lastIndexOf(name)] as const;
      const [first, last] = span('orders');
      expect(calls.slice(first, last).some((n) => n !== 'orders')).toBe(true);
      expect(await snapshot()).toEqual(before);
      expect((await runner.status()).every((s) => s.behind === 0)).toBe(true);
      expect(await sql`select nspname from pg_namespace where nspname like 'rebuild_%'`.execute(runner.db)).toMatchObject({ rows: [] });
    });

    it('rebuilds orders with each batch in parts at once (rebuildParts), a stream whole in one part, into the same rows as one transaction a batch', async () => {
      await runner.catchUp();
      const before = await orderTables();
      expect(before.salesDays.length).toBeGreaterThan(0);
      for (const parts of [1, 3]) {
        // Given a runner that parts each batch of 7 events in `parts`, watching what each transaction applies
        const applied: { streams: Set<string>; events: number; at: number }[] = [];
        let batch = 0;
        const watched: Projection = {
          ...ordersProjection,
          apply: async (db, events) => {
            applied.push({ streams: new Set(events.map((e) => e.streamId)), events: events.length, at: batch });
            await ordersProjection.apply(db, events);
          },
        };
        const parted = await ProjectionRunner.create(database.db, store, [watched], { rebuildParts: parts, rebuildBatchSize: 7 });
        // When `orders` is rebuilt (progress marks where one batch ends and the next begins)
        const { events } = await parted.rebuild('orders', () => batch++);
        // Then each batch went in at most `parts` transactions, no stream in two of them, and every event once
        const batches = [...new Set(applied.map((a) => a.at))];
        for (const b of batches) {
          const of = applied.filter((a) => a.at === b);
          expect(of.length).toBeLessThanOrEqual(parts);
          const streams = of.flatMap((a) => [...a.streams]);
          expect(new Set(streams).size).toBe(streams.length);
        }
        if (parts > 1) expect(applied.length).toBeGreaterThan(batches.length);
        expect(applied.reduce((n, a) => n + a.events, 0)).toBe(events);
        // And the tables, the sums per day among them, are those the live projection made
        expect(await orderTables()).toEqual(before);
      }
      expect((await runner.verify('orders')).ok).toBe(true);
    });

    it('verifies a read model against a replay of its events, and shows the rows that differ', async () => {
      await runner.catchUp();
      const sound = await runner.verify('orders');
      expect(sound.ok).toBe(true);
      expect(sound.tables.map((t) => [t.table, t.missing, t.unexpected])).toEqual([
        ['orders', 0, 0],
        ['order_lines', 0, 0],
        ['order_shipments', 0, 0],
        ['order_sales_daily', 0, 0],
      ]);
      expect(sound.tables[0]!.rows).toBeGreaterThan(0);
      expect(sound.position).toBe((await runner.status()).find((x) => x.name === 'orders')?.position);

      // Someone edits the read model by hand, and events arrive that the live projection has not applied yet.
      const { rows } = await sql<{ order_id: string }>`select order_id from orders order by order_id limit 1`.execute(runner.db);
      const victim = rows[0]!.order_id;
      await sql`update orders set total_minor = total_minor + 1 where order_id = ${victim}`.execute(runner.db);
      ok(await place('verify-late', 'acme', 24, [{ sku: 'VALVE-2', quantity: 3 }]));
      const tampered = await runner.verify('orders');
      expect(tampered.ok).toBe(false);
      const orders = tampered.tables.find((t) => t.table === 'orders')!;
      expect([orders.missing, orders.unexpected]).toEqual([1, 1]);
      expect(orders.samples.unexpected).toEqual([expect.objectContaining({ order_id: victim })]);
      expect(tampered.tables.filter((t) => t.table !== 'orders').every((t) => t.missing === 0 && t.unexpected === 0)).toBe(true);
      // The live projection was brought up to the replay before comparing: the late order is in both.
      expect(await getOrder(runner.db, 'verify-late')).toMatchObject({ status: 'placed' });
      expect(await sql`select 1 from pg_namespace where nspname = 'verify_orders'`.execute(runner.db)).toMatchObject({ rows: [] });

      await runner.rebuild('orders');
      expect((await runner.verify('orders')).ok).toBe(true);
    });

    it('leaves the read model and its checkpoint as they were when a rebuild fails part-way', async () => {
      await runner.catchUp();
      const orders = async () => (await sql`select * from orders order by order_id`.execute(runner.db)).rows;
      const before = { rows: await orders(), status: await runner.status() };
      let batches = 0;
      const failing: Projection = {
        ...ordersProjection,
        apply: async (db, events) => {
          if (++batches === 3) throw new Error('disk full');
          await ordersProjection.apply(db, events);
        },
      };
      const broken = await ProjectionRunner.create(database.db, store, [failing], { rebuildBatchSize: 2 });
      await expect(broken.rebuild('orders')).rejects.toThrow('disk full');
      expect(batches).toBe(3);
      expect(await orders()).toEqual(before.rows);
      expect((await runner.status()).find((s) => s.name === 'orders')?.position).toBe(before.status.find((s) => s.name === 'orders')?.position);
    });

    it('rebuildMany starts no further rebuild after one fails, and leaves that one as it was', async () => {
      await runner.catchUp();
      const orders = async () => (await sql`select * from orders order by order_id`.execute(runner.db)).rows;
      const before = await orders();
      const failing: Projection = {
        ...ordersProjection,
        apply: async () => {
          throw new Error('disk full');
        },
      };
      const started: string[] = [];
      const broken = await ProjectionRunner.create(database.db, store, [failing, partnersProjection, catalogueProjection], { rebuildConcurrency: 1 });
      await expect(broken.rebuildMany(['orders', 'partners', 'catalogue'], (p) => started.push(p.projection))).rejects.toThrow('disk full');
      expect(started.filter((n) => n !== 'orders')).toEqual([]);
      expect(await orders()).toEqual(before);
    });

    it('applies each batch exactly once when several runners race', async () => {
      const others = await Promise.all([1, 2].map(() => ProjectionRunner.create(database.db, store, allProjections)));
      for (let i = 0; i < 20; i++) ok(await place(`race-${i}`, 'acme', 22, [{ sku: 'VALVE-2', quantity: 1 }]));
      await Promise.all([runner, ...others].map((r) => r.catchUp()));
      const { rows } = await sql<{
        n: number;
        qty: number;
      }>`select count(*)::int as n, sum(ordered_qty)::int as qty from orders where order_id like 'race-%'`.execute(runner.db);
      expect(rows[0]).toEqual({ n: 20, qty: 20 });
      const lines = await sql<{ n: number }>`select count(*)::int as n from order_lines where order_id like 'race-%'`.execute(runner.db);
      expect(lines.rows[0]?.n).toBe(20);
    });

    it('never applies an event twice, even with a projection whose effect is not idempotent', async () => {
      // A counter that adds one per event: any double application would show up in the total.
      const counting: Projection = {
        name: 'event_counter',
        version: 1,
        eventTypes: ['OrderPlaced', 'OrderApproved'],
        tables: [],
        createTables: async (db) => {
          await sql`create table if not exists event_counter (id int primary key, n int not null)`.execute(db);
          await sql`insert into event_counter values (1, 0) on conflict do nothing`.execute(db);
        },
        apply: async (db, events) => {
          await sql`update event_counter set n = n + ${events.length}`.execute(db);
        },
      };
      const racers = await Promise.all([1, 2, 3].map(() => ProjectionRunner.create(database.db, store, [counting], { batchSize: 3 })));
      for (let i = 0; i < 15; i++) ok(await place(`count-${i}`, 'acme', 22, [{ sku: 'VALVE-2', quantity: 1 }]));
      for (const r of racers) r.start();
      for (let i = 0; i < 15; i++) ok(await bus.execute({ type: 'ApproveOrder', data: { orderId: `count-${i}`, approvedAt: at(22) } }, ctx()));
      await Promise.all(racers.map((r) => r.catchUp()));
      await Promise.all(racers.map((r) => r.stop()));
      const expected = (
        await sql<{ n: number }>`select count(*)::int as n from eventstore.events where type in ('OrderPlaced', 'OrderApproved')`.execute(runner.db)
      ).rows[0]?.n;
      const counted = (await sql<{ n: number }>`select n from event_counter`.execute(runner.db)).rows[0]?.n;
      expect(counted).toBe(expected);
    });

    it('lets a writer read its own write when running live', async () => {
      runner.start();
      const placed = ok(await place('live-1', 'acme', 23, [{ sku: 'PUMP-1', quantity: 1 }]));
      expect(await runner.waitForPosition(placed.position, 5000)).toBe(true);
      expect((await getOrder(runner.db, 'live-1'))?.status).toBe('placed');
      await runner.stop();
      const unseen = ok(await bus.execute({ type: 'ApproveOrder', data: { orderId: 'live-1', approvedAt: at(23) } }, ctx()));
      expect(await runner.waitForPosition(unseen.position, 100)).toBe(false);
    });

    it('counts an early-payment discount as settling the invoice: the order is paid and no invoice is left open', async () => {
      const step = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));
      ok(await place('o-disc', 'acme', 2, [{ sku: 'PUMP-1', quantity: 1 }]));
      await step({ type: 'ApproveOrder', data: { orderId: 'o-disc', approvedAt: at(2) } });
      await step({ type: 'ConfirmOrder', data: { orderId: 'o-disc', confirmedAt: at(2) } });
      await step({ type: 'ShipOrder', data: { orderId: 'o-disc', shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 1 }], shippedAt: at(3) } });
      await step({ type: 'DeliverShipment', data: { orderId: 'o-disc', shipmentId: 's-1', deliveredAt: at(4) } });
      // Under 2/10 net 30, invoiced on 5 January: 98 % by 15 January settles it.
      await step({
        type: 'InvoiceOrder',
        data: { orderId: 'o-disc', invoiceId: 'inv-disc', invoicedAt: at(5), paymentTerms: { netDays: 30, earlyPayment: { days: 10, discountBps: 200 } } },
      });
      await runner.catchUp();
      const invoiced = (await getOrder(runner.db, 'o-disc'))!.invoice!.amount.amountMinor;
      const discount = Math.floor((invoiced * 200 + 5_000) / 10_000);
      await step({
        type: 'RecordPayment',
        data: {
          orderId: 'o-disc',
          paymentId: 'p-disc',
          amount: { amountMinor: invoiced - discount, currency: 'EUR' },
          paidAt: at(15),
          method: 'bank_transfer',
        },
      });
      await runner.catchUp();
      const order = await getOrder(runner.db, 'o-disc');
      expect(order).toMatchObject({
        status: 'paid',
        outstanding: { amountMinor: 0 },
        paid: { amountMinor: invoiced - discount },
        invoice: { dueDate: '2026-02-04' },
      });
      expect((await openInvoices(runner.db, { asOf: '2026-01-14' })).filter((i) => i.orderId === 'o-disc')).toHaveLength(1);
      expect((await openInvoices(runner.db, { asOf: '2026-01-15' })).filter((i) => i.orderId === 'o-disc')).toEqual([]);
      const entries = await sql<{ kind: string; amount_minor: string }>`
        select kind, amount_minor::text from kpi_receivables where order_id = 'o-disc' order by kind`.execute(runner.db);
      expect(entries.rows).toEqual([
        { kind: 'discount', amount_minor: String(discount) },
        { kind: 'payment', amount_minor: String(invoiced - discount) },
      ]);
    });

    it('writes back only the lines and shipments an event changed: the others keep their row version', async () => {
      const step = async (command: Parameters<CommandBus['execute']>[0]) => ok(await bus.execute(command, ctx()));
      ok(
        await place('o-rows', 'acme', 2, [
          { sku: 'PUMP-1', quantity: 2 },
          { sku: 'VALVE-2', quantity: 5 },
        ]),
      );
      await step({ type: 'ApproveOrder', data: { orderId: 'o-rows', approvedAt: at(2) } });
      await step({ type: 'ConfirmOrder', data: { orderId: 'o-rows', confirmedAt: at(2) } });
      await step({ type: 'ShipOrder', data: { orderId: 'o-rows', shipmentId: 's-1', lines: [{ lineNo: 1, quantity: 2 }], shippedAt: at(3) } });
      await step({ type: 'ShipOrder', data: { orderId: 'o-rows', shipmentId: 's-2', lines: [{ lineNo: 2, quantity: 5 }], shippedAt: at(3) } });
      await runner.catchUp();
      // xmin: the transaction that wrote the row's current version; an upsert of unchanged values would still move it.
      const versions = async () => {
        const lines = await sql<{ key: number; xmin: string }>`
          select line_no as key, xmin::text from order_lines where order_id = 'o-rows' order by line_no`.execute(runner.db);
        const shipments = await sql<{ key: string; xmin: string }>`
          select shipment_id as key, xmin::text from order_shipments where order_id = 'o-rows' order by shipment_id`.execute(runner.db);
        return { lines: lines.rows.map((r) => r.xmin), shipments: shipments.rows.map((r) => r.xmin) };
      };
      const before = await versions();
      await step({ type: 'DeliverShipment', data: { orderId: 'o-rows', shipmentId: 's-1', deliveredAt: at(4) } });
      await runner.catchUp();
      const after = await versions();
      expect(after.lines[0]).not.toBe(before.lines[0]);
      expect(after.lines[1]).toBe(before.lines[1]);
      expect(after.shipments[0]).not.toBe(before.shipments[0]);
      expect(after.shipments[1]).toBe(before.shipments[1]);
      const order = await getOrder(runner.db, 'o-rows');
      expect(order?.lines.map((l) => [l.shipped, l.delivered])).toEqual([
        [2, 2],
        [5, 0],
      ]);
      expect(order?.shipments.map((s) => [s.shipmentId, s.deliveredAt])).toEqual([
        ['s-1', at(4)],
        ['s-2', null],
      ]);
      expect((await runner.verify('orders')).ok).toBe(true);
    });
  });

await onEveryDatabase('read_models', suite);
