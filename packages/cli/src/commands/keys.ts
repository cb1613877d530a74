import { userInfo } from 'node:os';
import { issueApiKey } from '@dms/api';
import { Role } from '@dms/domain';
import { type DmsRuntime, listApiKeys } from '@dms/projections';
import { dateTime } from '../format';
import { renderTable } from '../ui/table';

type Out = (line: string) => void;

/** The CLI runs with direct access to the database: it acts as an operator (admin) named after the OS user. */
export const operator = () => ({ id: `cli:${userInfo().username}`, role: 'admin' as const });

export const keysCreate = async (
  runtime: DmsRuntime,
  spec: { role: string | undefined; partner: string | undefined; name: string | undefined },
  out: Out,
): Promise<number> => {
  const role = Role.exclude(['system']).safeParse(spec.role);
  if (!role.success) {
    out('Use: dms keys create --role admin|sales|finance|auditor|dealer [--partner <partnerId>] [--name <label>]');
    return 64;
  }
  const key = await issueApiKey(runtime, { name: spec.name ?? `${role.data} key`, role: role.data, partnerId: spec.partner }, operator());
  out(`Key ${key.keyId} (${role.data}${spec.partner ? ` for ${spec.partner}` : ''}). Shown once; only its hash is stored:`);
  out('');
  out(`  ${key.token}`);
  out('');
  out(`Use it as: curl -H "Authorization: Bearer ${key.token.slice(0, 22)}…" http://127.0.0.1:3000/orders`);
  return 0;
};

export const keysList = async (runtime: DmsRuntime, out: Out): Promise<number> => {
  const keys = await listApiKeys(runtime.runner.db);
  if (keys.length === 0) {
    out('No API keys yet: dms keys create --role admin');
    return 0;
  }
  out(
    renderTable(keys, [
      { header: 'key', value: (k) => k.keyId },
      { header: 'name', value: (k) => k.name },
      { header: 'role', value: (k) => k.role },
      { header: 'partner', value: (k) => k.partnerId ?? '' },
      { header: 'issued', value: (k) => dateTime(k.issuedAt) },
      { header: 'revoked', value: (k) => dateTime(k.revokedAt) },
    ]),
  );
  return 0;
};

export const keysRevoke = async (runtime: DmsRuntime, keyId: string, reason: string | undefined, out: Out): Promise<number> => {
  const result = await runtime.bus.execute(
    { type: 'RevokeApiKey', data: { keyId, ...(reason ? { reason } : {}), revokedAt: new Date().toISOString() } },
    { commandId: `revoke-${keyId}`, actor: operator() },
  );
  if (result._tag === 'Left') {
    out(result.left.message);
    return 1;
  }
  await runtime.runner.catchUp();
  out(`Key ${keyId} revoked: requests with it now answer 401.`);
  return 0;
};
