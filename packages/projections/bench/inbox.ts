/**
 * `pnpm exec tsx bench/inbox.ts [notifications] [resource notifications]`: a dealer's inbox (`listNotifications`, first
 * page and unread count) over many notifications, most addressed to other dealers, some to roles, some to the dealers a
 * resource targets (docs/notifications.md). Prints each query's plan (EXPLAIN ANALYZE) and the median time of the whole
 * inbox read, without and then with the partial index on resource notifications. Makes and drops its own database
 * (`dms_inbox_<pid>`) on BENCH_DATABASE_URL.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '@dms/eventstore';
import { type Kysely, sql } from 'kysely';
import { listNotifications, notificationsProjection, partnersProjection } from '../src';
import type { ReadModels } from '../src/schema';
import { pg } from './pg';

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.argv[2] ?? 20_000);
const RESOURCES = Number(process.argv[3] ?? 1_000);
const name = `dms_inbox_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`create database "${name}"`);
const url = new URL(base);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
const db = database.db as unknown as Kysely<ReadModels>;
try {
  await partnersProjection.createTables(db);
  await notificationsProjection.createTables(db);
  await notificationsProjection.createIndexes?.(db);
  await sql`drop index if exists notifications_dealers_idx`.execute(db);
  // 200 dealers over three tiers and four regions; the reader is p-7 (silver, south).
  await sql`insert into partners (partner_id, name, region, tier, status, credit_limit_minor, currency, contacts, onboarded_at, updated_at, version)
    select 'p-' || i, 'P' || i, (array['north','south','east','west'])[1 + i % 4], (array['gold','silver','bronze'])[1 + i % 3],
           'active', 0, 'EUR', '[]'::jsonb, '2026-01-01', '2026-01-01', 1
    from generate_series(0, 199) i`.execute(db);
  // One in 20 a role's (sales or admin); RESOURCES of them, spread evenly, resource notifications (a third
  // for every dealer, a third for the gold tier, a third for the south and p-3 by name); the rest each to one dealer.
  const every = Math.max(1, Math.floor(N / RESOURCES));
  await sql`insert into notifications (notification_id, topic, audience_kind, title_zh, title_en, subject_stream, link, raised_at,
      role, region, partner_id, label, target_tiers, target_regions, target_partners, position)
    select 'n-' || i, t.topic, t.kind, 't', 't', 's-' || i, '/x', '2026-01-01', t.role, null, t.partner, null,
           t.tiers, t.regions, t.partners, (i::bigint * 1048576)::numeric
    from generate_series(1, ${N}) i,
    lateral (select case when i % ${every} = 0 then 'resource_published' else 'order_placed' end as topic,
                    case when i % ${every} = 0 then 'dealers' when i % 20 = 10 then 'role' else 'dealer' end as kind,
                    case when i % ${every} <> 0 and i % 20 = 10 then (array['sales','admin'])[1 + i % 40 / 20] end as role,
                    case when i % ${every} <> 0 and i % 20 <> 10 then 'p-' || (i::bigint * 7919 % 200) end as partner,
                    case when i % ${every} = 0 then (array['[]','["gold"]','[]'])[1 + (i / ${every}) % 3]::jsonb end as tiers,
                    case when i % ${every} = 0 then (array['[]','[]','["south"]'])[1 + (i / ${every}) % 3]::jsonb end as regions,
                    case when i % ${every} = 0 then (array['[]','[]','["p-3"]'])[1 + (i / ${every}) % 3]::jsonb end as partners) t`.execute(db);
  await sql`analyze`.execute(db);
  const counts = await sql<{ kind: string; n: number }>`select audience_kind as kind, count(*)::int as n from notifications group by 1 order by 1`.execute(db);
  console.log(`notifications: ${counts.rows.map((r) => `${r.kind} ${r.n}`).join(', ')}`);

  const reader = { id: 'user:p-7.buyer', role: 'dealer', partnerId: 'p-7' };

  const measure = async (label: string) => {
    const page = await listNotifications(db, reader, { limit: 20 });
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await listNotifications(db, reader, { limit: 20 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`${label}: inbox of p-7, ${page.items.length} on the first page, ${page.unread} unread; median ${times[15]!.toFixed(2)} ms per read`);
  };
  const explain = async (label: string) => {
    for (const q of [
      sql`explain (analyze, costs off, timing on, summary on) select n.*, r.read_at from notifications n left join notification_reads r
            on r.notification_id = n.notification_id and r.reader_id = ${reader.id}
          where ${reachesDealerSql(reader.partnerId)} order by n.position desc limit 21`,
      sql`explain (analyze, costs off, timing on, summary on) select count(*)::int from notifications n left join notification_reads r
            on r.notification_id = n.notification_id and r.reader_id = ${reader.id}
          where ${reachesDealerSql(reader.partnerId)} and r.read_at is null`,
    ]) {
      const { rows } = await q.execute(db);
      console.log(`--- ${label}\n${(rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  };
  // Interleaved, three rounds, to even out other load on the machine; the plans once each.
  for (let round = 0; round < 3; round++) {
    await sql`drop index if exists notifications_dealers_idx`.execute(db);
    await sql`analyze notifications`.execute(db);
    await measure('without an index for resource notifications');
    if (round === 0) await explain('without');
    await notificationsProjection.createIndexes?.(db);
    await sql`analyze notifications`.execute(db);
    await measure('with the partial index on resource notifications');
    if (round === 0) await explain('with');
  }
} finally {
  await database.close();
  await admin.query(`drop database "${name}"`);
  await admin.end();
}

/** The same condition as `reachesDealer` in queries/notifications.ts, to EXPLAIN it. */
function reachesDealerSql(partnerId: string) {
  return sql`((n.audience_kind = 'dealer' and n.partner_id = ${partnerId})
    or (n.audience_kind = 'dealers' and exists (
      select 1 from partners p where p.partner_id = ${partnerId} and (
        (jsonb_array_length(n.target_tiers) = 0 and jsonb_array_length(n.target_regions) = 0 and jsonb_array_length(n.target_partners) = 0)
        or n.target_partners @> jsonb_build_array(p.partner_id)
        or ((not jsonb_array_length(n.target_tiers) = 0 or not jsonb_array_length(n.target_regions) = 0)
            and (jsonb_array_length(n.target_tiers) = 0 or n.target_tiers @> jsonb_build_array(p.tier))
            and (jsonb_array_length(n.target_regions) = 0 or n.target_regions @> jsonb_build_array(p.region)))))))`;
}
