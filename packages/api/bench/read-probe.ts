/**
 * `pnpm bench:api:probe`: where one read request's time goes, in CPU time of this process (server side only, no socket:
 * requests go through `app.inject`), so that the figures move less with the machine's load than `pnpm bench:api`'s.
 *
 * Seeds `--orders` orders on a scratch database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and
 * measures, `--rounds` times in alternation, µs of Node CPU and wall-clock µs per request, `--concurrency` requests in flight:
 * a bare fastify route, an authenticated route that reads nothing (`GET /auth/me`, so the authentication alone), the
 * detail and list routes, the detail's former four queries (order, lines and shipments in parallel, review), its one
 * statement (also straight through node-postgres, as the order's ~40 columns and as one json column), and the list's query as it was built per request and as `listOrders` sends it now, each alone (`--only <text in a label>` to run some). The database is dropped at the end.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { getOrderWithReview, listOrders } from '@dms/projections';
import pg from 'pg';
import { buildApp } from '../src/index';
import { bareFastify, benchOrder, issueSalesKey, median, positive, seedOrders, utcMinute, withScratchDms } from './support';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '500' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const orders = positive('orders', args.orders);
const requests = positive('requests', args.requests);
const concurrency = positive('concurrency', args.concurrency);
const rounds = positive('rounds', args.rounds);

const main = () =>
  withScratchDms('dms_readprobe', async (runtime, url) => {
    const pool = new pg.Pool({ connectionString: url, max: concurrency });
    // The scratch database is dropped with its connections at the end: an idle client's error then is expected.
    pool.on('error', () => {});
    try {
      await seedOrders(runtime, { count: orders, order: (i) => benchOrder(i, { prefix: 'probe', lines: 2 }), commandPrefix: 'probe-place', writers: 1 });
      const key = await issueSalesKey(runtime, 'probe');
      const app = await buildApp({ runtime, logger: false, auth: { requestsPerMinute: 100_000_000 }, responseCache: false });
      await app.ready();
      const cachedApp = await buildApp({ runtime, logger: false, auth: { requestsPerMinute: 100_000_000 } });
      await cachedApp.ready();
      const bare = bareFastify();
      await bare.ready();
      const db = runtime.runner.db;
      // The same statement straight through node-postgres, as the order's columns or as one json column.
      const detailSql = `select orders.*, partners.name as partner_name,
      (select coalesce(json_agg(l order by l.line_no), '[]'::json) from order_lines l where l.order_id = orders.order_id) as lines_json,
      (select coalesce(json_agg(s order by s.shipped_at, s.shipment_id), '[]'::json) from order_shipments s where s.order_id = orders.order_id) as shipments_json,
      (select row_to_json(r) from order_reviews r where r.order_id = orders.order_id) as review_json
      from orders left join partners on partners.partner_id = orders.partner_id where orders.order_id = $1`;
      const id = `probe-${String(Math.floor(orders / 2)).padStart(6, '0')}`;
      const headers = { authorization: `Bearer ${key.token}` };
      const get =
        (a: typeof app | typeof bare, path: string, h = {}) =>
        async () => {
          const r = await a.inject({ method: 'GET', url: path, headers: h });
          if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        };
      const allVariants: [string, () => Promise<unknown>][] = [
        ['bare fastify route (inject)', get(bare, '/bare')],
        ['`GET /auth/me` (authentication, no read)', get(app, '/auth/me', headers)],
        ['`GET /orders/{id}`', get(app, `/orders/${id}`, headers)],
        ['`GET /orders?limit=20`', get(app, '/orders?limit=20', headers)],
        ['`GET /orders/{id}`, answered by the response cache', get(cachedApp, `/orders/${id}`, headers)],
        ['`GET /orders?limit=20`, answered by the response cache', get(cachedApp, '/orders?limit=20', headers)],
        [
          'detail as four queries (before)',
          async () => {
            await db
              .selectFrom('orders')
              .leftJoin('partners', 'partners.partner_id', 'orders.partner_id')
              .selectAll('orders')
              .select('partners.name')
              .where('orders.order_id', '=', id)
              .executeTakeFirst();
            await Promise.all([
              db.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('line_no').execute(),
              db.selectFrom('order_shipments').selectAll().where('order_id', '=', id).orderBy('shipped_at').orderBy('shipment_id').execute(),
            ]);
            await db.selectFrom('order_reviews').selectAll().where('order_id', '=', id).executeTakeFirst();
          },
        ],
        ['detail statement, ~40 columns (pg alone)', () => pool.query(detailSql, [id])],
        ['detail statement, one json column (pg alone)', () => pool.query(`select row_to_json(d) as doc from (${detailSql}) d`, [id])],
        ['detail as one statement, one json column (`getOrderWithReview`)', () => getOrderWithReview(db, id)],
        [
          'list query built per request, ~25 columns a row (before)',
          () =>
            db
              .selectFrom('orders')
              .leftJoin('partners', 'partners.partner_id', 'orders.partner_id')
              .selectAll('orders')
              .select('partners.name as partner_name')
              .orderBy('orders.placed_at', 'desc')
              .orderBy('orders.order_id', 'desc')
              .limit(21)
              .execute(),
        ],
        ['list query alone, prepared, one json column (`listOrders`, 20)', () => listOrders(db, { limit: 20 })],
      ];
      // --only: the variants whose label contains the text (to profile one, with node --cpu-prof).
      const variants = allVariants.filter(([label]) => !args.only || label.includes(args.only));
      const results = new Map<string, { cpu: number[]; wall: number[] }>();
      const load0 = loadavg()[0]!;
      for (let round = 0; round < rounds; round++) {
        for (const [label, f] of variants) {
          for (let i = 0; i < 100; i++) await f();
          let next = 0;
          const cpu0 = process.cpuUsage();
          const t0 = performance.now();
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              while (next++ < requests) await f();
            }),
          );
          const wall = ((performance.now() - t0) * 1000) / requests;
          const c = process.cpuUsage(cpu0);
          const r = results.get(label) ?? { cpu: [], wall: [] };
          r.cpu.push((c.user + c.system) / requests);
          r.wall.push(wall);
          results.set(label, r);
        }
      }
      console.log(
        `\n${utcMinute()} UTC, read probe: ${orders} orders, ${requests} requests x ${rounds} rounds per variant, ${concurrency} in flight; ${cpus().length} cores, Node ${process.version}; load average ${load0.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.\n`,
      );
      console.log('| variant | Node CPU µs per request (median of rounds) | wall µs per request (median) |');
      console.log('|---|--:|--:|');
      for (const [label] of variants) {
        const r = results.get(label)!;
        console.log(`| ${label} | ${Math.round(median(r.cpu))} | ${Math.round(median(r.wall))} |`);
      }
      await app.close();
      await cachedApp.close();
      await bare.close();
    } finally {
      await pool.end().catch(() => {});
    }
  });

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
