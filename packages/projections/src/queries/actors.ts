import type { Kysely } from 'kysely';
import type { ReadModels } from '../schema';

/** Whose names a caller may learn: everyone's for the manufacturer's people, only its own partner's for a dealer. */
export interface ActorScope {
  /** Set for a dealer: only users and keys of this partner are named; any other actor stays unnamed. */
  readonly partnerId?: string | undefined;
}

export interface ActorName {
  /** The actor id as events record it: `user:<userId>`, `key:<keyId>`, or another principal (`jwt:<sub>`, `system:...`). */
  readonly id: string;
  /** The person's display name or the key's label; null when unknown or not the caller's to know. */
  readonly name: string | null;
  readonly kind: 'user' | 'key' | 'other';
  /** The role the user or key has now (null when unnamed). */
  readonly role: string | null;
}

const kindOf = (id: string): ActorName['kind'] => (id.startsWith('user:') ? 'user' : id.startsWith('key:') ? 'key' : 'other');

/**
 * The display names of recorded actors (who closed a statement, who placed an order), in the order asked, each id once.
 * Scoped in SQL: a dealer learns only its own people's and keys' names, and cannot tell another actor from an unknown one.
 */
export const actorNames = async (db: Kysely<ReadModels>, ids: readonly string[], scope: ActorScope = {}): Promise<ActorName[]> => {
  const unique = [...new Set(ids)];
  const userIds = unique.filter((id) => kindOf(id) === 'user').map((id) => id.slice('user:'.length));
  const keyIds = unique.filter((id) => kindOf(id) === 'key').map((id) => id.slice('key:'.length));
  const named = new Map<string, { name: string; role: string }>();
  if (userIds.length > 0) {
    let q = db.selectFrom('users').select(['user_id', 'name', 'role']).where('user_id', 'in', userIds);
    if (scope.partnerId !== undefined) q = q.where('partner_id', '=', scope.partnerId);
    for (const u of await q.execute()) named.set(`user:${u.user_id}`, { name: u.name, role: u.role });
  }
  if (keyIds.length > 0) {
    let q = db.selectFrom('api_keys').select(['key_id', 'name', 'role']).where('key_id', 'in', keyIds);
    if (scope.partnerId !== undefined) q = q.where('partner_id', '=', scope.partnerId);
    for (const k of await q.execute()) named.set(`key:${k.key_id}`, { name: k.name, role: k.role });
  }
  return unique.map((id) => {
    const found = named.get(id);
    return { id, name: found?.name ?? null, kind: kindOf(id), role: found?.role ?? null };
  });
};
