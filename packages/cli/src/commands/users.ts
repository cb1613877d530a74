import { inviteUser, renewLink } from '@dms/api';
import { type DmsRuntime, listUsers } from '@dms/projections';
import { dateTime } from '../format';
import { renderTable } from '../ui/table';
import { operator } from './keys';

type Out = (line: string) => void;

const ROLES = ['admin', 'sales', 'finance', 'auditor', 'dealer'] as const;

/** Links are printed for the server's address: DMS_PUBLIC_URL, or the default of `dms serve`. */
const publicUrl = () => (process.env.DMS_PUBLIC_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');

const refused = (error: unknown, out: Out): number => {
  const p = (error as { problem?: { detail: string } }).problem;
  if (!p) throw error;
  out(p.detail);
  return 1;
};

export const usersInvite = async (
  runtime: DmsRuntime,
  spec: { email: string | undefined; role: string | undefined; partner: string | undefined; name: string | undefined },
  out: Out,
): Promise<number> => {
  const role = ROLES.find((r) => r === spec.role);
  if (!spec.email || !role) {
    out('Use: dms users invite --email E --role admin|sales|finance|auditor|dealer [--partner P] [--name N]');
    return 64;
  }
  try {
    const link = await inviteUser(
      runtime.bus,
      { email: spec.email, role, partnerId: spec.partner, name: spec.name ?? spec.email.split('@')[0]! },
      { actor: operator() },
      new Date(),
    );
    out(`Invited ${spec.email.trim().toLowerCase()} as ${role}${spec.partner ? ` of ${spec.partner}` : ''} (user ${link.userId}).`);
    out('Send them this link (shown once; it works until ' + `${dateTime(link.expiresAt)}):`);
    out('');
    out(`  ${publicUrl()}${link.acceptUrl}`);
    return 0;
  } catch (error) {
    return refused(error, out);
  }
};

export const usersLink = async (runtime: DmsRuntime, userId: string, out: Out): Promise<number> => {
  try {
    const link = await renewLink(runtime.bus, userId, { actor: operator() }, new Date());
    out(`A new one-time link for user ${userId} (the previous one no longer works; this one until ${dateTime(link.expiresAt)}):`);
    out('');
    out(`  ${publicUrl()}${link.acceptUrl}`);
    return 0;
  } catch (error) {
    return refused(error, out);
  }
};

export const usersList = async (runtime: DmsRuntime, status: string | undefined, out: Out): Promise<number> => {
  await runtime.runner.catchUp();
  const users = await listUsers(runtime.runner.db, { status });
  if (users.length === 0) {
    out('No users yet: dms users invite --email E --role R');
    return 0;
  }
  out(
    renderTable(users, [
      { header: 'user', value: (u) => u.userId },
      { header: 'e-mail', value: (u) => u.email },
      { header: 'name', value: (u) => u.name },
      { header: 'role', value: (u) => u.role },
      { header: 'partner', value: (u) => u.partnerId ?? '' },
      { header: 'status', value: (u) => u.status },
      { header: 'last sign-in', value: (u) => dateTime(u.lastSignInAt) },
    ]),
  );
  return 0;
};

export const usersSetStatus = async (
  runtime: DmsRuntime,
  action: 'suspend' | 'reactivate',
  userId: string,
  reason: string | undefined,
  out: Out,
): Promise<number> => {
  const at = new Date().toISOString();
  const result = await runtime.bus.execute(
    action === 'suspend'
      ? { type: 'SuspendUser', data: { userId, reason: reason!, suspendedAt: at } }
      : { type: 'ReactivateUser', data: { userId, reactivatedAt: at } },
    { commandId: `${action}-${userId}-${at}`, actor: operator() },
  );
  if (result._tag === 'Left') {
    out(result.left.message);
    return 1;
  }
  out(
    action === 'suspend'
      ? `User ${userId} suspended: their sessions are refused from the next request on.`
      : `User ${userId} reactivated: they can sign in again.`,
  );
  return 0;
};
