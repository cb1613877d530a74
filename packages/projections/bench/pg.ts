import { createRequire } from 'node:module';

/**
 * node-postgres, for the raw INSERT ceilings and the scratch database. `@dms/projections` depends on `pg` but not on
 * `@types/pg`, so the little of its API the bench uses is typed here rather than adding a dependency for a script.
 */
export interface PgQueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

export interface PgQueryable {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<PgQueryResult<R>>;
}

export interface PgPool extends PgQueryable {
  end(): Promise<void>;
}

export interface PgClient extends PgQueryable {
  connect(): Promise<void>;
  end(): Promise<void>;
}

/** node-postgres' type parsers: process-wide (`pg.types`), or a client's own (the `types` option of a pool or client). */
export interface PgTypes {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
  setTypeParser(oid: number, parser: (value: string) => unknown): void;
}

interface PgModule {
  types: PgTypes;
  Pool: new (config: { connectionString: string; max?: number; types?: Pick<PgTypes, 'getTypeParser'> }) => PgPool;
  Client: new (config: { connectionString: string; connectionTimeoutMillis?: number }) => PgClient;
}

export const pg = createRequire(import.meta.url)('pg') as PgModule;
