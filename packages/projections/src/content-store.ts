import { createHash } from 'node:crypto';
import { RESOURCE_MAX_BYTES, type ResourceContentType, SNIFF_BYTES, sniffMismatch } from '@dms/domain';
import { type Kysely, sql } from 'kysely';
import type { ReadModels } from './schema';

/** A stored file: its bytes and what they are. Files are addressed by the sha-256 of their bytes. */
export interface StoredContent {
  readonly sha256: string;
  readonly contentType: ResourceContentType;
  readonly sizeBytes: number;
  readonly bytes: Uint8Array;
}

/**
 * Where the resource library keeps file contents: by sha-256, written once, never changed. The default adapter is
 * {@link PostgresContentStore}; an S3-compatible store implements the same three methods (its key is the digest).
 */
export interface ContentStore {
  /** Stores the bytes under their digest; storing the same bytes again changes nothing. */
  put(content: StoredContent): Promise<void>;
  get(sha256: string): Promise<StoredContent | undefined>;
  has(sha256: string): Promise<boolean>;
}

/**
 * File contents in the `dms_content` schema, a bytea per digest (PostgreSQL and PGlite alike). Outside the read models:
 * no rebuild touches it, and it is backed up with the events, which refer to its rows by digest.
 */
export class PostgresContentStore implements ContentStore {
  #ready: Promise<void> | undefined;

  constructor(private readonly db: Kysely<ReadModels>) {}

  #ensure(): Promise<void> {
    this.#ready ??= (async () => {
      await sql`create schema if not exists dms_content`.execute(this.db);
      await sql`create table if not exists dms_content.files (
        sha256 text primary key, content_type text not null, size_bytes bigint not null, bytes bytea not null,
        stored_at timestamptz not null default now())`.execute(this.db);
    })().catch((error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async put(content: StoredContent): Promise<void> {
    await this.#ensure();
    await sql`insert into dms_content.files (sha256, content_type, size_bytes, bytes)
      values (${content.sha256}, ${content.contentType}, ${content.sizeBytes}, ${Buffer.from(content.bytes)}) on conflict (sha256) do nothing`.execute(this.db);
  }

  async get(sha256: string): Promise<StoredContent | undefined> {
    await this.#ensure();
    const { rows } = await sql<{ content_type: ResourceContentType; size_bytes: string | number; bytes: Uint8Array }>`
      select content_type, size_bytes, bytes from dms_content.files where sha256 = ${sha256}`.execute(this.db);
    const row = rows[0];
    return row && { sha256, contentType: row.content_type, sizeBytes: Number(row.size_bytes), bytes: new Uint8Array(row.bytes) };
  }

  async has(sha256: string): Promise<boolean> {
    await this.#ensure();
    const { rows } = await sql<{ one: number }>`select 1 as one from dms_content.files where sha256 = ${sha256}`.execute(this.db);
    return rows.length > 0;
  }
}

/** Why an upload was refused: too large (HTTP 413), or its bytes are not what its type says (HTTP 415). */
export type UploadRefusal =
  | { readonly code: 'FILE_TOO_LARGE'; readonly message: string; readonly maxBytes: number }
  | { readonly code: 'CONTENT_MISMATCH'; readonly message: string }
  | { readonly code: 'EMPTY_FILE'; readonly message: string };

export type UploadResult = { readonly ok: true; readonly content: Omit<StoredContent, 'bytes'> } | { readonly ok: false; readonly refusal: UploadRefusal };

/**
 * Reads an upload chunk by chunk, hashing as it goes, and stops reading as soon as it passes `maxBytes` (the rest is never
 * read, let alone held); then checks the first bytes against the declared type and stores the file. A refused upload
 * stores nothing.
 */
export const receiveContent = async (
  store: ContentStore,
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  contentType: ResourceContentType,
  maxBytes: number = RESOURCE_MAX_BYTES,
): Promise<UploadResult> => {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buffer.length;
    if (size > maxBytes) return tooLarge(maxBytes);
    hash.update(buffer);
    chunks.push(buffer);
  }
  if (size === 0) return { ok: false, refusal: { code: 'EMPTY_FILE', message: 'The file is empty.' } };
  const bytes = Buffer.concat(chunks, size);
  const mismatch = sniffMismatch(contentType, bytes.subarray(0, SNIFF_BYTES));
  if (mismatch) return { ok: false, refusal: { code: 'CONTENT_MISMATCH', message: `The file was sent as ${contentType} but ${mismatch}.` } };
  const content = { sha256: hash.digest('hex'), contentType, sizeBytes: size };
  await store.put({ ...content, bytes });
  return { ok: true, content };
};

export const tooLarge = (maxBytes: number): UploadResult => ({
  ok: false,
  refusal: { code: 'FILE_TOO_LARGE', message: `The file is larger than the ${maxBytes.toLocaleString('en')} bytes the library takes.`, maxBytes },
});
