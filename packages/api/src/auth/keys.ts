import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor, Role } from '@dms/domain';
import { newId } from '@dms/eventstore';
import type { DmsRuntime } from '@dms/projections';

/**
 * API keys look like `dms_<keyId>_<secret>`. The key id finds the record; only sha256(secret) is stored, compared in
 * constant time. The token is shown once, at creation.
 */
const TOKEN = /^dms_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export const parseApiKey = (token: string): { keyId: string; secret: string } | undefined => {
  const m = TOKEN.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : undefined;
};

export const secretMatches = (secret: string, storedHash: string): boolean => {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
};

export interface IssuedKey {
  readonly keyId: string;
  /** The whole bearer token. Not recoverable later. */
  readonly token: string;
}

export interface ApiKeySpec {
  readonly name: string;
  readonly role: Exclude<Role, 'system'>;
  readonly partnerId?: string | undefined;
}

/** A new key id and secret, and the command that records the key (with only the secret's hash). */
export const prepareApiKey = (spec: ApiKeySpec, now: Date) => {
  const keyId = newId().replace(/-/g, '').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const command = {
    type: 'IssueApiKey' as const,
    data: {
      keyId,
      name: spec.name,
      role: spec.role,
      ...(spec.partnerId ? { partnerId: spec.partnerId } : {}),
      secretHash: hashSecret(secret),
      issuedAt: now.toISOString(),
    },
  };
  return { keyId, token: `dms_${keyId}_${secret}`, command };
};

/**
 * Creates a key through the command bus. Authentication reads the key's own stream, so it works at once; this also
 * waits (briefly) for the `api_keys` read model so that a list right after shows it.
 */
export const issueApiKey = async (runtime: DmsRuntime, spec: ApiKeySpec, by: Actor, now: Date = new Date()): Promise<IssuedKey> => {
  const { keyId, token, command } = prepareApiKey(spec, now);
  const result = await runtime.bus.execute(command, { commandId: `issue-key-${keyId}`, actor: by });
  if (result._tag === 'Left') throw new Error(result.left.message);
  // The CLI (and an API process beside workers) runs no live runner: project the keys' read model here then, and only it.
  if (!(await runtime.runner.waitForPosition(result.right.position, 200, ['access']))) await runtime.runner.catchUp(['access']);
  return { keyId, token };
};

export const principalOfKey = (key: { keyId: string; role: string; partnerId: string | null }): Actor => ({
  id: `key:${key.keyId}`,
  role: key.role as Role,
  ...(key.partnerId ? { partnerId: key.partnerId } : {}),
});
