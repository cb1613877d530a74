import type { Database } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiOrdersProjection } from '../src/kpi-orders';
import type { KpiReceivablesTable } from '../src/kpis-schema';
import { amongKeys, upsertRows } from '../src/projection';

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
  });

await onEveryDatabase('upsert_rows', suite);
