import { startEsdbTestServer } from '@dms/eventstore/testing';
import { type DmsRuntime, openDms } from '@dms/projections';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed';

/**
 * The demo with its events in EventStoreDB (the in-process wire server standing in, through the official client) must
 * produce exactly the read models it produces with its events in PostgreSQL.
 */
const BUSINESS_TABLES = ['partners', 'products', 'tier_prices', 'tier_discounts', 'orders', 'order_lines', 'order_shipments'];

const snapshot = async (runtime: DmsRuntime) => {
  const tables: Record<string, unknown[]> = {};
  for (const table of BUSINESS_TABLES) {
    tables[table] = (await sql`select * from ${sql.table(table)} order by 1, 2`.execute(runtime.runner.db)).rows;
  }
  return tables;
};

describe('the demo on EventStoreDB', () => {
  let server: Awaited<ReturnType<typeof startEsdbTestServer>>;
  const runtimes: DmsRuntime[] = [];

  beforeAll(async () => {
    server = await startEsdbTestServer();
  });
  afterAll(async () => {
    for (const r of runtimes) await r.close();
    await server?.stop();
  });

  it('builds read models identical to a run with events in PostgreSQL', async () => {
    const onEsdb = await openDms({ dataDir: 'memory://', eventstoreConnectionString: server.connectionString });
    const onPostgres = await openDms({ dataDir: 'memory://' });
    runtimes.push(onEsdb, onPostgres);
    expect(onEsdb.description).toMatch(/^events in EventStoreDB esdb:\/\/127\.0\.0\.1:\d+/);

    for (const runtime of [onEsdb, onPostgres]) {
      const report = await seedDemo(runtime.bus, { orders: 40, seed: 11 });
      expect(report.commands).toBeGreaterThan(200);
      await runtime.runner.catchUp();
    }
    const [a, b] = [await snapshot(onEsdb), await snapshot(onPostgres)];
    expect((a.orders ?? []).length).toBeGreaterThan(30);
    expect(a).toEqual(b);
  }, 240_000); // two demos and two projection runs: 15 s alone, far more on a loaded machine
});
