import type { NotificationTopic } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from '../schema';
import { decodeCursor } from './cursor';
import { limitOf, type Page, page } from './stock-shared';

/** The inbox: what reaches whom, read and unread (read model `notifications`). */

/**
 * Whoever asks: the principal's id as events record it (`user:<userId>` for a person, `key:<keyId>`, ...; their reads are
 * theirs), role and, for a dealer, its partner.
 */
export interface Reader {
  readonly id: string;
  readonly role: string;
  readonly partnerId?: string | undefined;
}

export interface NotificationView {
  readonly notificationId: string;
  readonly topic: NotificationTopic;
  readonly title: { readonly 'zh-CN': string; readonly en: string };
  readonly link: string;
  readonly subject: string;
  readonly region: string | null;
  readonly partnerId: string | null;
  readonly label: string | null;
  readonly raisedAt: string;
  readonly read: boolean;
  readonly readAt: string | null;
}

/**
 * Whether a notification reaches the dealer `partnerId`: addressed to it, or to the dealers a resource targets and the
 * targeting includes it, by its tier and region now (`partners`). The SQL form of `isTargeted` (domain/resources), which
 * the library applies to what a dealer sees: nothing named is every dealer; a dealer named is targeted; otherwise it must
 * match each of the tiers and regions lists that is given.
 */
const reachesDealer = (partnerId: string) => {
  const empty = (column: string) => sql`jsonb_array_length(${sql.ref(column)}) = 0`;
  const has = (column: string, value: ReturnType<typeof sql>) => sql`${sql.ref(column)} @> jsonb_build_array(${value})`;
  return sql<boolean>`((n.audience_kind = 'dealer' and n.partner_id = ${partnerId})
    or (n.audience_kind = 'dealers' and exists (
      select 1 from partners p where p.partner_id = ${partnerId} and (
        (${empty('n.target_tiers')} and ${empty('n.target_regions')} and ${empty('n.target_partners')})
        or ${has('n.target_partners', sql`p.partner_id`)}
        or ((not ${empty('n.target_tiers')} or not ${empty('n.target_regions')})
            and (${empty('n.target_tiers')} or ${has('n.target_tiers', sql`p.tier`)})
            and (${empty('n.target_regions')} or ${has('n.target_regions', sql`p.region`)}))))))`;
};

/**
 * What reaches a reader, in SQL: a dealer only what is addressed to its own partner (or to the dealers a resource
 * targets, when it is among them); a manufacturer role what is
 * addressed to it; an admin (who runs the channel) whatever is addressed to any role. An auditor reads nothing here.
 *
 * A sales-team notification with a region reaches the salespeople who own that region (`user_regions`, joined at read
 * time, so notifications raised before an assignment follow it); one whose region nobody owns reaches every salesperson,
 * so nothing is lost. An owner counts while their role is sales and they are not suspended.
 */
// biome-ignore lint/suspicious/noExplicitAny: a query builder over the notifications table, whatever it selects.
const reaching = <Q extends { where: (...args: any[]) => Q }>(q: Q, who: Reader): Q => {
  if (who.role === 'dealer') return who.partnerId ? q.where(reachesDealer(who.partnerId)) : q.where(sql<boolean>`false`);
  if (who.role === 'admin') return q.where('n.audience_kind', '=', 'role');
  const mine = q.where('n.audience_kind', '=', 'role').where('n.role', '=', who.role);
  if (who.role !== 'sales') return mine;
  // Only a person (`user:<userId>`) owns regions; a key or another principal sees only what nobody owns.
  const userId = who.id.startsWith('user:') ? who.id.slice('user:'.length) : undefined;
  const owned = userId ? sql`exists (select 1 from user_regions mr where mr.user_id = ${userId} and mr.region = n.region)` : sql`false`;
  return mine.where(
    sql<boolean>`(n.region is null
      or ${owned}
      or not exists (select 1 from user_regions o join users u on u.user_id = o.user_id
                     where o.region = n.region and u.role = 'sales' and u.status <> 'suspended'))`,
  );
};

/** A reader's inbox, newest first, keyset-paginated; `unread` only what they have not read. */
export const listNotifications = async (
  db: Kysely<ReadModels>,
  who: Reader,
  filter: { unread?: boolean | undefined; limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<Page<NotificationView> & { unread: number }> => {
  const limit = limitOf(filter.limit);
  const base = reaching(
    db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (j) => j.onRef('r.notification_id', '=', 'n.notification_id').on('r.reader_id', '=', who.id)),
    who,
  );
  let q = base.selectAll('n').select('r.read_at');
  if (filter.unread) q = q.where('r.read_at', 'is', null);
  if (filter.cursor) {
    const [position] = decodeCursor(filter.cursor, 1) as [string];
    q = q.where(sql<boolean>`n.position < ${position}::numeric`);
  }
  const [rows, count] = await Promise.all([
    q
      .orderBy('n.position', 'desc')
      .limit(limit + 1)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('unread')).where('r.read_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  const result = page(
    rows,
    limit,
    (r) => ({
      notificationId: r.notification_id,
      topic: r.topic as NotificationTopic,
      title: { 'zh-CN': r.title_zh, en: r.title_en },
      link: r.link,
      subject: r.subject_stream,
      region: r.region,
      partnerId: r.partner_id,
      label: r.label,
      raisedAt: r.raised_at,
      read: r.read_at !== null,
      readAt: r.read_at,
    }),
    (r) => [String(r.position)],
  );
  return { ...result, unread: count.unread };
};

/** Whether a notification exists and reaches this reader (else a caller answers 404, as if it did not exist). */
export const notificationReachesReader = async (db: Kysely<ReadModels>, notificationId: string, who: Reader): Promise<boolean> =>
  (await reaching(db.selectFrom('notifications as n').select('n.notification_id').where('n.notification_id', '=', notificationId), who).executeTakeFirst()) !==
  undefined;
