import type { Kysely } from 'kysely';
import type { ReadModels, UsersTable } from '../schema';

export interface UserView {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly partnerId: string | null;
  readonly status: 'invited' | 'active' | 'suspended';
  readonly invitedAt: string;
  readonly linkExpiresAt: string | null;
  readonly activatedAt: string | null;
  readonly suspendedAt: string | null;
  readonly suspensionReason: string | null;
  readonly passwordChangedAt: string | null;
  readonly lastSignInAt: string | null;
  /** The regions the user owns, sorted: they count while the user's role is sales. */
  readonly regions: string[];
}

const view = (u: UsersTable, regions: string[]): UserView => ({
  userId: u.user_id,
  email: u.email,
  name: u.name,
  role: u.role,
  partnerId: u.partner_id,
  status: u.status as UserView['status'],
  invitedAt: u.invited_at,
  linkExpiresAt: u.link_expires_at,
  activatedAt: u.activated_at,
  suspendedAt: u.suspended_at,
  suspensionReason: u.suspension_reason,
  passwordChangedAt: u.password_changed_at,
  lastSignInAt: u.last_sign_in_at,
  regions,
});

/** Each user's regions, by user id. */
const regionsOf = async (db: Kysely<ReadModels>, userIds: readonly string[]): Promise<Map<string, string[]>> => {
  const byUser = new Map<string, string[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db.selectFrom('user_regions').select(['user_id', 'region']).where('user_id', 'in', userIds).orderBy('region').execute();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.region]);
  return byUser;
};

export interface UserFilter {
  readonly status?: string | undefined;
  readonly role?: string | undefined;
  readonly partnerId?: string | undefined;
}

/** Every user, by e-mail address. */
export const listUsers = async (db: Kysely<ReadModels>, filter: UserFilter = {}): Promise<UserView[]> => {
  let q = db.selectFrom('users').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.role) q = q.where('role', '=', filter.role);
  if (filter.partnerId) q = q.where('partner_id', '=', filter.partnerId);
  const rows = await q.orderBy('email').execute();
  const regions = await regionsOf(
    db,
    rows.map((u) => u.user_id),
  );
  return rows.map((u) => view(u, regions.get(u.user_id) ?? []));
};

export const getUser = async (db: Kysely<ReadModels>, userId: string): Promise<UserView | undefined> => {
  const row = await db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? view(row, (await regionsOf(db, [userId])).get(userId) ?? []) : undefined;
};
