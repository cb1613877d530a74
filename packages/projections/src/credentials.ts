import { type Kysely, sql } from 'kysely';
import type { ReadModels } from './schema';

/**
 * What authentication keeps beside the event log, in the `dms_secrets` schema (outside the read models, so no rebuild
 * touches it; back it up with the events):
 *
 * - `credentials`: password hashes by credential id. Events name a credential id only (`UserActivated`,
 *   `PasswordChanged`), so a hash never enters the immutable, exported history; a superseded hash is deleted.
 * - `session_activity`: when each session was last used, for idle expiry (one row per session, written at most once a
 *   minute per session, not an event per request).
 */
export class CredentialStore {
  #ready: Promise<void> | undefined;

  constructor(private readonly db: Kysely<ReadModels>) {}

  #ensure(): Promise<void> {
    this.#ready ??= (async () => {
      await sql`create schema if not exists dms_secrets`.execute(this.db);
      await sql`create table if not exists dms_secrets.credentials (
        credential_id text primary key, user_id text not null, hash text not null, created_at timestamptz not null default now())`.execute(this.db);
      await sql`create index if not exists credentials_user on dms_secrets.credentials (user_id)`.execute(this.db);
      await sql`create table if not exists dms_secrets.session_activity (session_id text primary key, last_seen_at timestamptz not null)`.execute(this.db);
    })().catch((error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Stores a hash before the event that refers to it is appended: an unreferenced row is harmless. */
  async save(credentialId: string, userId: string, hash: string): Promise<void> {
    await this.#ensure();
    await sql`insert into dms_secrets.credentials (credential_id, user_id, hash) values (${credentialId}, ${userId}, ${hash})`.execute(this.db);
  }

  async hashOf(credentialId: string): Promise<string | undefined> {
    await this.#ensure();
    const { rows } = await sql<{ hash: string }>`select hash from dms_secrets.credentials where credential_id = ${credentialId}`.execute(this.db);
    return rows[0]?.hash;
  }

  /** Deletes every hash of the user but the current one (superseded passwords, and hashes whose event was refused). */
  async prune(userId: string, keep: string): Promise<void> {
    await this.#ensure();
    await sql`delete from dms_secrets.credentials where user_id = ${userId} and credential_id <> ${keep}`.execute(this.db);
  }

  async lastSeen(sessionId: string): Promise<Date | undefined> {
    await this.#ensure();
    const { rows } = await sql<{ last_seen_at: Date | string }>`select last_seen_at from dms_secrets.session_activity where session_id = ${sessionId}`.execute(
      this.db,
    );
    return rows[0] ? new Date(rows[0].last_seen_at) : undefined;
  }

  async touch(sessionId: string, at: Date): Promise<void> {
    await this.#ensure();
    await sql`insert into dms_secrets.session_activity (session_id, last_seen_at) values (${sessionId}, ${at.toISOString()})
      on conflict (session_id) do update set last_seen_at = greatest(dms_secrets.session_activity.last_seen_at, excluded.last_seen_at)`.execute(this.db);
  }

  async forgetSession(sessionId: string): Promise<void> {
    await this.#ensure();
    await sql`delete from dms_secrets.session_activity where session_id = ${sessionId}`.execute(this.db);
  }
}
