// Commits to an embedded data directory, one row per transaction, writing a marker on stderr before
// each commit is sent and after it is acknowledged: first with fsync on, then (the directory opened
// again) with fsync off. test/integration/durability.test.ts runs it under strace to see whether an
// fsync falls between the two markers. One process does both, so the data directory is made once.
//
// The new data directory is unpacked from the built server's image of a new database when IMAGE names
// a usable one, as a first `npm start` makes it (else PGlite's initdb makes it, several seconds more).
//
//   node --import tsx test/support/durable-commits.ts DATA_DIR COMMITS [IMAGE]
import { sql } from 'kysely';
import { openPglite } from '../../src/db/connection.js';
import { imageAt, usableImage } from '../../src/new-database-image.js';

const [dir, commits, image] = process.argv.slice(2);
for (const fsync of ['on', 'off'] as const) {
  const handle = await openPglite(dir, { fsync: fsync === 'on', newDatabaseImage: () => (image ? usableImage(imageAt(image)) : undefined) });
  await sql`CREATE TABLE IF NOT EXISTS durable_commits (id serial PRIMARY KEY, note text NOT NULL)`.execute(handle.db);
  for (let i = 0; i < Number(commits); i++) {
    process.stderr.write(`commit-sent ${fsync} ${i}\n`);
    await handle.db.transaction().execute((trx) => sql`INSERT INTO durable_commits (note) VALUES (${`commit ${i}`})`.execute(trx));
    process.stderr.write(`commit-acknowledged ${fsync} ${i}\n`);
  }
  await handle.close();
}
