/**
 * Knowledge-base search at BENCH_ARTICLES articles in one portal (default 100,000; docs/product.md#knowledge-base):
 * prints the median time of the help center's searches (db/queries/kb-articles.ts, the statements a
 * search sends) on that portal and on one of 100 articles, and the same big searches with the GIN
 * index switched off (sequential scans only), so the index's share is visible. Runs on PostgreSQL
 * (PORTICO_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), in its own database.
 */
import { sql } from 'kysely';
import { createTestDatabase } from '../test/support/db.js';
import { loadDemoData } from '../src/db/demo.js';
import { searchKbArticleRows } from '../src/db/queries/kb-articles.js';
import { kbAnyWordQuery, kbHasPhrase } from '../src/domain/knowledge-base.js';
import { openPostgres, type Db } from '../src/db/connection.js';
import { median } from './support/timing.js';

const BIG = Number(process.env.BENCH_ARTICLES ?? 100_000);
const SMALL = 100;
// what customers type: a rare word, a sentence, a common word, a phrase, the word being typed, nothing
const QUERIES = ['printer', 'my vpn password is wrong', 'account', '"reset password"', 'troubles', ''];
const WORDS = [
  'account', 'password', 'reset', 'email', 'phone', 'laptop', 'monitor', 'network', 'cable', 'office', 'calendar', 'meeting',
  'invoice', 'billing', 'access', 'badge', 'desk', 'chair', 'software', 'licence', 'update', 'install', 'backup', 'drive',
  'folder', 'share', 'printer', 'scanner', 'wifi', 'guest', 'vpn', 'token', 'browser', 'screen', 'keyboard', 'mouse',
];

async function seedProject(db: Db, siteId: string, key: string, n: number): Promise<string> {
  const project = await db
    .insertInto('projects')
    .values({ site_id: siteId, key, name: key, portal_name: key, portal_description: '', customer_access: 'open' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // a title of one topic word (WORDS) and two others, a body of sixty words of which one in a
  // hundred is a topic word and the rest come from 5,000 others: each topic word is in about 4% of
  // the articles, as "printer" might be in a large IT knowledge base
  await sql`
    INSERT INTO kb_articles (site_id, project_id, title, body, category, published)
    SELECT ${siteId}::uuid, ${project.id}, initcap(w(i, 1)) || ' term' || abs(hashtext(i || 't2')) % 5000 || ' term' || abs(hashtext(i || 't3')) % 5000,
           (SELECT string_agg(CASE WHEN abs(hashtext(i || '/' || k || 'p')) % 100 = 0 THEN w(i, k) ELSE 'term' || abs(hashtext(i || '/' || k)) % 5000 END, ' ')
            FROM generate_series(4, 64) k),
           'Category ' || (i % 12), i % 10 <> 0
    FROM generate_series(1, ${n}::int) i`.execute(db);
  return String(project.id);
}

const database = await createTestDatabase('postgres');
const db = database.db;
try {
  await loadDemoData(db);
  // seeding writes every article in one statement: on a connection without the app's statement timeout
  const seeder = openPostgres(database.url!, { poolSize: 1, statementTimeoutMs: 0 });
  await sql`
    CREATE FUNCTION w(i int, k int) RETURNS text IMMUTABLE LANGUAGE sql
    AS $$ SELECT (${sql.raw(`ARRAY[${WORDS.map((x) => `'${x}'`).join(',')}]`)})[1 + abs(hashtext(i::text || '/' || k::text)) % ${sql.raw(String(WORDS.length))}] $$`.execute(seeder.db);
  const site = await db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  const t = Date.now();
  const small = await seedProject(seeder.db, site.id, 'SMALL', SMALL);
  const big = await seedProject(seeder.db, site.id, 'BIG', BIG);
  await sql`ANALYZE kb_articles`.execute(seeder.db);
  await seeder.close();
  console.log(`seeded ${SMALL} + ${BIG.toLocaleString('en')} articles in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const search = (projectId: string, text: string, conn: Db = db) =>
    searchKbArticleRows(conn, { siteId: site.id, projectIds: [projectId], publishedOnly: true, anyWords: kbAnyWordQuery(text), text, strict: kbHasPhrase(text), start: 0, limit: 20 });

  console.log('query | matches (big) | small portal ms | big portal ms | big, no index ms');
  for (const q of QUERIES) {
    const { total } = await search(big, q);
    const smallMs = await median(() => search(small, q), { warm: true });
    const bigMs = await median(() => search(big, q), { warm: true });
    const seqMs = await db.connection().execute(async (conn) => {
      await sql`SET enable_bitmapscan = off`.execute(conn);
      await sql`SET enable_indexscan = off`.execute(conn);
      try {
        return await median(() => search(big, q, conn), { warm: true, runs: 5 });
      } finally {
        await sql`RESET enable_bitmapscan`.execute(conn);
        await sql`RESET enable_indexscan`.execute(conn);
      }
    });
    console.log(`${JSON.stringify(q)} | ${total} | ${smallMs.toFixed(2)} | ${bigMs.toFixed(2)} | ${seqMs.toFixed(1)}`);
  }
} finally {
  await database.close();
}
