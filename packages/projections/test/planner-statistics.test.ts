import type { Database } from '@dms/eventstore';
import { onEveryDatabase } from '@dms/eventstore/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshPlannerStatistics } from '../src/planner-statistics';

const suite = (name: string, open: () => Promise<{ database: Database; teardown(): Promise<void> }>) =>
  describe(`the planner's statistics on ${name}`, () => {
    let database: Database;
    let teardown: () => Promise<void>;
    beforeAll(async () => {
      ({ database, teardown } = await open());
    });
    afterAll(() => teardown());

    const planned = async () =>
      (await sql<{ rows: number }>`select reltuples::int as rows from pg_class where relname = 'planner_probe'`.execute(database.db)).rows[0]?.rows;

    it('given a table filled in bulk and never analysed, when refreshed, then the planner knows its rows', async () => {
      await sql`create table planner_probe (id int primary key, region text) with (autovacuum_enabled = false)`.execute(database.db);
      await sql`insert into planner_probe select i, 'r' || (i % 5) from generate_series(1, 2000) i`.execute(database.db);
      // Never analysed: PostgreSQL 14 and later say -1 (unknown), and plan as for a small table.
      expect(await planned()).toBe(-1);
      await refreshPlannerStatistics(database.db);
      expect(await planned()).toBe(2000);
    });
  });

await onEveryDatabase('planner_statistics', suite);
