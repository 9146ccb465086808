// Commits to an embedded data directory, one row per transaction, writing a marker on stderr before
// each commit is sent and after it is acknowledged; test/integration/durability.test.ts runs it under
// strace to see whether an fsync falls between the two.
//
//   node --import tsx test/support/durable-commits.ts DATA_DIR on|off COMMITS
import { sql } from 'kysely';
import { openPglite } from '../../src/db/connection.js';

const [dir, fsync, commits] = process.argv.slice(2);
const handle = await openPglite(dir, { fsync: fsync === 'on' });
await sql`CREATE TABLE IF NOT EXISTS durable_commits (id serial PRIMARY KEY, note text NOT NULL)`.execute(handle.db);
for (let i = 0; i < Number(commits); i++) {
  process.stderr.write(`commit-sent ${i}\n`);
  await handle.db.transaction().execute((trx) => sql`INSERT INTO durable_commits (note) VALUES (${`commit ${i}`})`.execute(trx));
  process.stderr.write(`commit-acknowledged ${i}\n`);
}
await handle.close();
