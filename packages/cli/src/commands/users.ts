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
      { header: 'regions', value: (u) => u.regions.join(',') },
      { header: 'last sign-in', value: (u) => dateTime(u.lastSignInAt) },
    ]),
  );
  return 0;
};

export const usersRole = async (runtime: DmsRuntime, userId: string, role: string, partner: string | undefined, out: Out): Promise<number> => {
  const valid = ROLES.find((r) => r === role);
  if (!valid) {
    out('Use: dms users role <userId> --role admin|sales|finance|auditor|dealer [--partner P]');
    return 64;
  }
  const at = new Date().toISOString();
  const result = await runtime.bus.execute(
    { type: 'ChangeUserRole', data: { userId, role: valid, ...(partner ? { partnerId: partner } : {}), changedAt: at } },
    { commandId: `role-${userId}-${at}`, actor: operator() },
  );
  if (result._tag === 'Left') {
    out(result.left.message);
    return 1;
  }
  out(`User ${userId} is now ${valid}${partner ? ` of ${partner}` : ''}, from their next request on.`);
  return 0;
};

/** The regions a sales user owns, replacing the ones before: a comma-separated list, or none with `--clear`. */
export const usersRegions = async (runtime: DmsRuntime, userId: string, list: string | undefined, clear: boolean, out: Out): Promise<number> => {
  if ((list === undefined) === !clear) {
    out('Use: dms users regions <userId> <region,...> | dms users regions <userId> --clear');
    return 64;
  }
  const regions = clear
    ? []
    : list!
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
  const at = new Date().toISOString();
  const result = await runtime.bus.execute(
    { type: 'AssignUserRegions', data: { userId, regions, assignedAt: at } },
    { commandId: `regions-${userId}-${at}`, actor: operator() },
  );
  if (result._tag === 'Left') {
    out(result.left.message);
    return 1;
  }
  out(
    regions.length === 0
      ? `User ${userId} owns no region: notifications of regions nobody owns reach them.`
      : `User ${userId} owns ${[...regions].sort().join(', ')}: those regions' notifications reach them (and regions nobody owns).`,
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
