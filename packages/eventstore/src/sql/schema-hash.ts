import { createHash } from 'node:crypto';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  sql,
} from 'kysely';

/**
 * Skipping set-up that already ran. Every process that opens DMS makes sure its schema is there: the event store's tables
 * and functions, the read models' tables and indexes. Sending all that DDL on every `dms` command costs a round trip a
 * statement (and its locks) on a busy server, and most of a query command's time. So each part of the set-up is hashed
 * from the very statements it would send (compiled without a database, below) and, once it has run, the hash is stored in
 * a small table of its schema: a process whose parts all have their hashes stored skips the set-up. A statement that
 * changes (a new index, a new column, another projection version) changes its part's hash, so the set-up runs again.
 */

// biome-ignore lint/suspicious/noExplicitAny: set-up functions create tables that no type describes yet.
export type SetupFunction = (db: Kysely<any>) => Promise<void>;

export interface SchemaPart {
  readonly name: string;
  /** What else the hash covers: a projection's version, the names of migrations run through kysely's Migrator. */
  readonly extra?: string;
  /** The set-up whose statements the hash covers (not run: compiled only). */
  readonly setup?: SetupFunction;
}

/** A connection that answers every statement with no rows and remembers its text and parameters. */
class Recording implements DatabaseConnection {
  readonly statements: string[] = [];
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    this.statements.push(`${query.sql} ${JSON.stringify(query.parameters, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return { rows: [] };
  }
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {}
}

/** The statements `setup` sends, in order, compiled for PostgreSQL without a database. */
export const setupStatements = async (setup: SetupFunction): Promise<readonly string[]> => {
  const connection = new Recording();
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  await setup(db);
  return connection.statements;
};

/** Each part's hash: of its name, its `extra` and the statements its set-up sends. */
export const schemaHashes = async (parts: readonly SchemaPart[]): Promise<ReadonlyMap<string, string>> => {
  const hashes = new Map<string, string>();
  for (const part of parts) {
    const hash = createHash('sha256')
      .update(part.name)
      .update('\0')
      .update(part.extra ?? '');
    for (const statement of part.setup ? await setupStatements(part.setup) : []) hash.update('\0').update(statement);
    hashes.set(part.name, hash.digest('hex'));
  }
  return hashes;
};

const table = (schema: string) => sql.id(schema, 'schema_hashes');

/**
 * True when `schema.schema_hashes` holds every one of these hashes: the set-up they stand for has run. False when one
 * differs or is missing, or the table (or the schema) does not exist yet.
 */
// biome-ignore lint/suspicious/noExplicitAny: any database with the schema.
export const schemaIsCurrent = async (db: Kysely<any>, schema: string, hashes: ReadonlyMap<string, string>): Promise<boolean> => {
  let rows: readonly { name: string; hash: string }[];
  try {
    ({ rows } = await sql<{ name: string; hash: string }>`select name, hash from ${table(schema)}`.execute(db));
  } catch (error) {
    // 42P01 undefined_table, 3F000 invalid_schema_name: never set up by this code. Anything else is a real failure.
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return false;
    throw error;
  }
  const stored = new Map(rows.map((r) => [r.name, r.hash]));
  return [...hashes].every(([name, hash]) => stored.get(name) === hash);
};

/** Records that the set-up of these parts has run (in `schema`, which exists by then). */
// biome-ignore lint/suspicious/noExplicitAny: any database with the schema.
export const recordSchemaHashes = async (db: Kysely<any>, schema: string, hashes: ReadonlyMap<string, string>): Promise<void> => {
  await sql`create table if not exists ${table(schema)} (name text primary key, hash text not null, recorded_at timestamptz not null default now())`.execute(
    db,
  );
  for (const [name, hash] of hashes) {
    await sql`insert into ${table(schema)} (name, hash) values (${name}, ${hash})
      on conflict (name) do update set hash = excluded.hash, recorded_at = now()`.execute(db);
  }
};
