import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, preparedStatement, rawQueryOf } from '../src/sql/database';
import { createTestDatabase, postgresAvailable } from './support/postgres';

const TYPES_SQL = `select $1::int + 1 as n, null::text as none, '{"a":1}'::jsonb as j, 1.5::float8 as f, true as b, 7::bigint as big`;

/** The raw path the append takes (`rawQueryOf`): rows as text on both storage modes, errors with their code. */
const suite = (name: string, open: () => Promise<{ database: Database; close: () => Promise<void> }>) =>
  describe(`the raw query path: ${name}`, () => {
    let database: Database;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ database, close } = await open());
    });
    afterAll(() => close());

    it('gives every column as text, null as null, for unnamed and named statements alike', async () => {
      const raw = rawQueryOf(database.db)!;
      const expected = [['42', null, '{"a": 1}', '1.5', 't', '7']];
      expect(await raw(TYPES_SQL, ['41'])).toEqual(expected);
      const named = preparedStatement(`${TYPES_SQL} -- named`);
      expect(await raw(named, ['41'])).toEqual(expected);
      expect(await raw(named, ['1'])).toEqual([['2', null, '{"a": 1}', '1.5', 't', '7']]);
      expect(await raw('select g::text from generate_series(1, 3) g', [])).toEqual([['1'], ['2'], ['3']]);
    });

    it('rejects with the server error and its code, and the next statement runs', async () => {
      const raw = rawQueryOf(database.db)!;
      await expect(raw('select 1 / $1::int', ['0'])).rejects.toMatchObject({ code: '22012' });
      const named = preparedStatement('select 1 / $1::int as q -- named');
      await expect(raw(named, ['0'])).rejects.toMatchObject({ code: '22012' });
      expect(await raw(named, ['1'])).toEqual([['1']]);
    });

    it('is only the database’s own kysely instance: a transaction or a kysely with a plugin has none', async () => {
      expect(rawQueryOf(database.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result }))).toBeUndefined();
      await database.db.transaction().execute(async (trx) => {
        expect(rawQueryOf(trx)).toBeUndefined();
        await sql`select 1`.execute(trx);
      });
    });
  });

suite('PGlite', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  return { database, close: () => database.close() };
});

if (await postgresAvailable()) {
  suite('PostgreSQL server, one connection', async () => {
    const testDb = await createTestDatabase('raw_query');
    const database = await openDatabase({ databaseUrl: testDb.url, poolSize: 1 });
    return {
      database,
      close: async () => {
        await database.close();
        await testDb.drop();
      },
    };
  });
}
