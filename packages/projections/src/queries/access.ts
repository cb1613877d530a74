import type { Kysely } from 'kysely';
import type { ApiKeysTable, ReadModels } from '../schema';

export interface ApiKeyView {
  readonly keyId: string;
  readonly name: string;
  readonly role: string;
  readonly partnerId: string | null;
  readonly issuedAt: string;
  readonly revokedAt: string | null;
}

const view = (k: ApiKeysTable): ApiKeyView => ({
  keyId: k.key_id,
  name: k.name,
  role: k.role,
  partnerId: k.partner_id,
  issuedAt: k.issued_at,
  revokedAt: k.revoked_at,
});

/** The key with this id and its secret's hash, for authentication; never returned to clients. */
export const findApiKey = async (db: Kysely<ReadModels>, keyId: string): Promise<(ApiKeyView & { secretHash: string }) | undefined> => {
  const row = await db.selectFrom('api_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
  return row ? { ...view(row), secretHash: row.secret_hash } : undefined;
};

/** Every key, newest first, without hashes. */
export const listApiKeys = async (db: Kysely<ReadModels>): Promise<ApiKeyView[]> =>
  (await db.selectFrom('api_keys').selectAll().orderBy('issued_at', 'desc').orderBy('key_id').execute()).map(view);
