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
}

const view = (u: UsersTable): UserView => ({
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
});

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
  return (await q.orderBy('email').execute()).map(view);
};

export const getUser = async (db: Kysely<ReadModels>, userId: string): Promise<UserView | undefined> => {
  const row = await db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? view(row) : undefined;
};
