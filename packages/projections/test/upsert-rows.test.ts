import type { Database, RecordedEvent } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiOrdersProjection } from '../src/kpi-orders';
import type { KpiReceivablesTable } from '../src/kpis-schema';
import { ordersProjection } from '../src/orders';
import { addToRows, amongKeys, keysToRead, upsertRows } from '../src/projection';
import type { OrderSalesDailyTable, ReadModels } from '../src/schema';

const entry = (orderId: string, entryId: string, amount: number | bigint): KpiReceivablesTable => ({
  order_id: orderId,
  kind: 'payment',
  entry_id: entryId,
  invoice_id: '',
  on_date: '2026-03-01',
  amount_minor: amount as number,
});

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`upsertRows and amongKeys on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ database, teardown } = await open());
      await kpiOrdersProjection.createTables(database.db);
    });
    afterAll(() => teardown());

    it('given rows with an int8 beyond 2^53 (a bigint), when upserted, then they are stored exactly, beside plain numbers', async () => {
      const big = 2n ** 60n + 7n;
      await upsertRows(database.db, 'kpi_receivables', ['order_id', 'kind', 'entry_id', 'invoice_id'], [entry('o-1', 'p-1', 1_250), entry('o-1', 'p-2', big)]);
      const { rows } = await sql<{
        entry_id: string;
        amount: string;
      }>`select entry_id, amount_minor::text as amount from kpi_receivables order by entry_id`.execute(database.db);
      expect(rows).toEqual([
        { entry_id: 'p-1', amount: '1250' },
        { entry_id: 'p-2', amount: big.toString() },
      ]);
    });

    it('given stored rows, when upserted again by key, then they are replaced, and amongKeys selects exactly the keys asked for', async () => {
      await upsertRows(
        database.db,
        'kpi_receivables',
        ['order_id', 'kind', 'entry_id', 'invoice_id'],
        [entry('o-1', 'p-1', 99), entry('o-2', 'p-1', 5), entry('o-3', 'p-1', 6)],
      );
      const found = await database.db
        .selectFrom('kpi_receivables')
        .select(['order_id', 'entry_id', 'amount_minor'])
        .where(amongKeys('order_id', ['o-1', 'o-3', 'o-missing']))
        .orderBy('order_id')
        .orderBy('entry_id')
        .execute();
      expect(found.map((r) => [r.order_id, r.entry_id, String(r.amount_minor)])).toEqual([
        ['o-1', 'p-1', '99'],
        ['o-1', 'p-2', (2n ** 60n + 7n).toString()],
        ['o-3', 'p-1', '6'],
      ]);
      expect(await database.db.selectFrom('kpi_receivables').selectAll().where(amongKeys('order_id', [])).execute()).toEqual([]);
    });

    it('given values of every kind, when upserted (one array per column), then the rows read back are those json_populate_recordset makes of their JSON', async () => {
      await sql`create table upsert_kinds (id integer primary key, t text, n integer, b bigint, num numeric, f boolean, at timestamptz, j jsonb, js json)`.execute(
        database.db,
      );
      const strings = ['', 'NULL', 'null', 'a,b', '{x}', '(y)', ' padded ', 'quote " and \\ backslash', '\\"', 'line\nbreak\ttab', 'é ü 日本 🚗', "it's"];
      const jsons: unknown[] = [
        null,
        undefined,
        { k: 'v "q" \\' },
        [1, 'two', { three: null }],
        'a string',
        42,
        true,
        { nested: { a: [] } },
        Number.NaN,
        { big: 2n ** 60n },
      ];
      const rows = Array.from({ length: 40 }, (_, i) => ({
        id: i,
        t: i % 13 === 12 ? null : strings[i % strings.length],
        n: i % 5 === 0 ? null : i - 20,
        b: i % 7 === 0 ? 2n ** 60n + BigInt(i) : i * 1_000_000_007,
        num: i % 3 === 0 ? '12345678901234567890.25' : i / 4,
        f: i % 4 === 0 ? null : i % 2 === 0,
        at: i % 6 === 0 ? null : new Date(Date.UTC(2026, 0, 1, 0, 0, i, 123)),
        j: jsons[i % jsons.length],
        js: jsons[(i + 3) % jsons.length],
      }));
      // biome-ignore lint/suspicious/noExplicitAny: a table of this test's own, not a read model.
      await upsertRows(database.db, 'upsert_kinds' as any, ['id'] as never, rows as never);
      const asJson = JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
      const stored = await sql<{ r: string }>`select row_to_json(x)::text as r from upsert_kinds x order by id`.execute(database.db);
      const expected = await sql<{
        r: string;
      }>`select row_to_json(x)::text as r from json_populate_recordset(null::upsert_kinds, ${asJson}::json) x order by id`.execute(database.db);
      expect(stored.rows.map((x) => x.r)).toEqual(expected.rows.map((x) => x.r));
      expect(stored.rows).toHaveLength(40);
    });

    it('given transactions adding to the same rows at once, each in its own order, when they commit, then every addition counts and none deadlocks', async () => {
      await ordersProjection.createTables(database.db);
      const KEY = ['day', 'region', 'partner_id', 'currency'] as const;
      const keys = Array.from({ length: 300 }, (_, i) => ({ day: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`, partner: `p-${Math.floor(i / 28)}` }));
      const sale = (k: (typeof keys)[number], n: number): OrderSalesDailyTable => ({
        day: k.day,
        region: 'east',
        partner_id: k.partner,
        currency: 'CNY',
        orders: n,
        ordered_qty: 2 * n,
        shipped_qty: n,
        delivered_qty: n,
        returned_qty: 0,
        ordered_minor: 1_000 * n,
        credited_minor: 0,
        invoiced_minor: 500 * n,
        paid_minor: -n,
      });
      // The first half of the keys there already, the rest inserted by whichever transaction comes first
      await addToRows(
        database.db,
        'order_sales_daily',
        [...KEY],
        keys.slice(0, 150).map((k) => sale(k, 1)),
      );
      // Six transactions, each adding t to every key, the keys turned round by a different amount (and reversed for odd t)
      await Promise.all(
        [1, 2, 3, 4, 5, 6].map((t) =>
          (database.db as Kysely<ReadModels>).transaction().execute(async (tx) => {
            const turned = [...keys.slice(t * 50), ...keys.slice(0, t * 50)];
            await addToRows(
              tx,
              'order_sales_daily',
              [...KEY],
              (t % 2 ? turned.reverse() : turned).map((k) => sale(k, t)),
            );
            await sql`select pg_sleep(0.02)`.execute(tx);
          }),
        ),
      );
      const { rows } = await sql<{ day: string; partner_id: string; orders: number; ordered_minor: string; paid_minor: string }>`
        select day, partner_id, orders, ordered_minor::text, paid_minor::text from order_sales_daily order by day, partner_id`.execute(database.db);
      expect(rows).toHaveLength(300);
      for (const r of rows) {
        const n = 21 + (keys.findIndex((k) => k.day === r.day && k.partner === r.partner_id) < 150 ? 1 : 0);
        expect([r.orders, r.ordered_minor, r.paid_minor]).toEqual([n, String(1_000 * n), String(-n)]);
      }
    });
  });

describe('keysToRead', () => {
  const event = (streamId: string, type: string, streamVersion: number): RecordedEvent =>
    ({
      streamId,
      type,
      streamVersion,
      globalPosition: 0n,
      eventId: `${streamId}-${streamVersion}`,
      data: {},
      metadata: {},
      recordedAt: new Date(0),
    }) as RecordedEvent;

  it('given a batch that begins some streams and continues others, when asked what to read, then only the continued keys come, once each, in order', () => {
    const events = [
      event('order-a', 'OrderApproved', 1),
      event('order-b', 'OrderPlaced', 0),
      event('order-a', 'OrderConfirmed', 2),
      event('order-b', 'OrderApproved', 1),
      event('order-c', 'OrderPaid', 7),
    ];
    expect(
      keysToRead(
        events,
        (e) => e.streamId.slice('order-'.length),
        (e) => e.type === 'OrderPlaced',
      ),
    ).toEqual(['a', 'c']);
  });

  it('given a key whose creating event comes after another of its events, when asked what to read, then that key is read', () => {
    const events = [event('order-a', 'OrderApproved', 1), event('order-a', 'OrderPlaced', 0)];
    expect(
      keysToRead(
        events,
        (e) => e.streamId.slice('order-'.length),
        (e) => e.type === 'OrderPlaced',
      ),
    ).toEqual(['a']);
  });
});

await onEveryDatabase('upsert_rows', suite);
