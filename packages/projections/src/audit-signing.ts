import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from './schema';

/**
 * The installation's audit signing key (Ed25519): it signs the manifest of every audit bundle (`dms audit export`), so that
 * an auditor holding the installation's public key (`dms audit public-key`) knows a bundle came from this installation.
 *
 * `DMS_AUDIT_SIGNING_KEY` (a PKCS#8 PEM private key, e.g. from a secrets manager) when set; otherwise one made once, at
 * first use, and kept in the database beside the webhook signing key (`dms_secrets.keys`, outside the read models, so no
 * rebuild touches it; back it up with the events). Concurrent first uses keep one key: the insert does nothing when a key
 * is already there, and everyone reads the one stored.
 */
export const auditSigningKeys = async (
  db: Kysely<ReadModels>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ readonly privateKey: KeyObject; readonly publicKey: KeyObject }> => {
  if (env.DMS_AUDIT_SIGNING_KEY) return fromPem(env.DMS_AUDIT_SIGNING_KEY, 'DMS_AUDIT_SIGNING_KEY');
  await sql`create schema if not exists dms_secrets`.execute(db);
  await sql`create table if not exists dms_secrets.keys (name text primary key, value text not null, created_at timestamptz not null default now())`.execute(
    db,
  );
  const fresh = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await sql`insert into dms_secrets.keys (name, value) values ('audit-signing', ${fresh}) on conflict (name) do nothing`.execute(db);
  const { rows } = await sql<{ value: string }>`select value from dms_secrets.keys where name = 'audit-signing'`.execute(db);
  return fromPem(rows[0]!.value, 'dms_secrets.keys (audit-signing)');
};

const fromPem = (pem: string, where: string) => {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${where} is not a PEM private key.`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${where} must be an Ed25519 key, not ${privateKey.asymmetricKeyType}.`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
