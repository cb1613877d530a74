/**
 * A process that holds an embedded data folder, for the lock tests: `hold-data-folder <folder> hold|share|share-busy`.
 * `share` serves it on its socket as `dms serve` does; `share-busy` also increments a counter in transactions, as fast
 * as it can, reading then writing, until SIGTERM; then it prints how many it made. Prints `ready` once it holds the folder.
 */
import { sql } from 'kysely';
import { openDatabase } from '../../src/sql/database';

const [folder, mode] = process.argv.slice(2);
const database = await openDatabase({ dataDir: folder });
await sql`create table if not exists counter (n int not null)`.execute(database.db);
await sql`insert into counter select 0 where not exists (select 1 from counter)`.execute(database.db);
if (mode !== 'hold') await database.share?.();
let running = true;
let made = 0;
const busy = (async () => {
  while (running && mode === 'share-busy') {
    await database.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ n: number }>`select n from counter`.execute(tx);
      await new Promise((r) => setTimeout(r, 2));
      await sql`update counter set n = ${rows[0]!.n + 1}`.execute(tx);
    });
    made++;
    await new Promise((r) => setImmediate(r));
  }
})();
process.once('SIGTERM', async () => {
  running = false;
  await busy;
  await database.close();
  process.stdout.write(`made ${made}\n`);
  process.exit(0);
});
process.stdout.write('ready\n');
