import type { SessionEvent, UserEvent } from '@dms/domain';
import type { Kysely } from 'kysely';
import type { Projection } from './projection';
import type { ReadModels, UsersTable } from './schema';

/**
 * `users`: who may sign in, for the admin's list, and the regions each salesperson owns (`user_regions`, which the inbox
 * joins to send a region's notifications to its owners). Authentication never reads it (it reads the user's own stream, so a
 * suspension takes effect at once); a lag here only delays the list.
 */
export const usersProjection: Projection = {
  name: 'users',
  version: 2,
  eventTypes: [
    'UserInvited',
    'InvitationRenewed',
    'UserActivated',
    'PasswordChanged',
    'UserRoleChanged',
    'UserRegionsAssigned',
    'UserSuspended',
    'UserReactivated',
    'SessionStarted',
  ],
  tables: ['users', 'user_regions'],
  async createTables(db) {
    await db.schema
      .createTable('users')
      .ifNotExists()
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('activated', 'boolean', (c) => c.notNull())
      .addColumn('invited_at', 'text', (c) => c.notNull())
      .addColumn('link_expires_at', 'text')
      .addColumn('activated_at', 'text')
      .addColumn('suspended_at', 'text')
      .addColumn('suspension_reason', 'text')
      .addColumn('password_changed_at', 'text')
      .addColumn('last_sign_in_at', 'text')
      .execute();
    await db.schema
      .createTable('user_regions')
      .ifNotExists()
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_regions_pkey', ['user_id', 'region'])
      .execute();
  },
  async createIndexes(db) {
    await db.schema.createIndex('user_regions_region_idx').ifNotExists().on('user_regions').columns(['region', 'user_id']).execute();
  },
  async apply(db: Kysely<ReadModels>, events) {
    for (const recorded of events) {
      const event = recorded as unknown as UserEvent | SessionEvent;
      const update = (userId: string, set: Partial<UsersTable>) => db.updateTable('users').set(set).where('user_id', '=', userId).execute();
      switch (event.type) {
        case 'UserInvited': {
          const d = event.data;
          const row: UsersTable = {
            user_id: d.userId,
            email: d.email,
            name: d.name,
            role: d.role,
            partner_id: d.partnerId ?? null,
            status: 'invited',
            activated: false,
            invited_at: d.invitedAt,
            link_expires_at: d.expiresAt,
            activated_at: null,
            suspended_at: null,
            suspension_reason: null,
            password_changed_at: null,
            last_sign_in_at: null,
          };
          await db
            .insertInto('users')
            .values(row)
            .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
            .execute();
          break;
        }
        case 'InvitationRenewed':
          await update(event.data.userId, { link_expires_at: event.data.expiresAt });
          break;
        case 'UserActivated':
          await db
            .updateTable('users')
            .set({
              name: event.data.name,
              activated: true,
              activated_at: event.data.activatedAt,
              password_changed_at: event.data.activatedAt,
              link_expires_at: null,
            })
            .where('user_id', '=', event.data.userId)
            .execute();
          await db.updateTable('users').set({ status: 'active' }).where('user_id', '=', event.data.userId).where('status', '=', 'invited').execute();
          break;
        case 'PasswordChanged':
          await update(event.data.userId, { password_changed_at: event.data.changedAt, link_expires_at: null });
          break;
        case 'UserRoleChanged':
          await update(event.data.userId, { role: event.data.to, partner_id: event.data.partnerId ?? null });
          break;
        case 'UserRegionsAssigned': {
          const { userId, regions } = event.data;
          await db.deleteFrom('user_regions').where('user_id', '=', userId).execute();
          if (regions.length > 0)
            await db
              .insertInto('user_regions')
              .values(regions.map((region) => ({ user_id: userId, region })))
              .execute();
          break;
        }
        case 'UserSuspended':
          await update(event.data.userId, { status: 'suspended', suspended_at: event.data.suspendedAt, suspension_reason: event.data.reason });
          break;
        case 'UserReactivated':
          await db
            .updateTable('users')
            .set((eb) => ({
              status: eb.case().when('activated', '=', true).then('active').else('invited').end(),
              suspended_at: null,
              suspension_reason: null,
            }))
            .where('user_id', '=', event.data.userId)
            .execute();
          break;
        case 'SessionStarted':
          await update(event.data.userId, { last_sign_in_at: event.data.startedAt });
          break;
        case 'SessionEnded':
          break;
      }
    }
  },
};
