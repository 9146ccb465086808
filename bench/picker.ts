/**
 * Picker search at a million customers (docs/product.md#picker-search): prints the ratio of the median picker
 * latency on a site with BENCH_CUSTOMERS customers (default 1,000,000) to the same searches on a
 * site with 10,000 — near 1 means the B-tree range scan keeps the picker flat as a site grows —
 * and the ratio to a naive substring scan of the same big site. Runs on PostgreSQL
 * (PORTICO_BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), in its own database.
 */
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../test/support/db.js';
import { searchUsersForPicker } from '../src/db/queries/user-picker.js';
import type { Db } from '../src/db/connection.js';
import { median } from './support/timing.js';

const BIG = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SMALL = 10_000;
const QUERIES = ['a', 'al', 'ma', 'zo', 'be4', 'user12', 'user777', 'user99999@', 'qx', 'c1d'];

async function seedSite(db: Db, orgId: string, slug: string, n: number): Promise<string> {
  const siteId = randomUUID();
  await db.insertInto('sites').values({ id: siteId, org_id: orgId, slug, name: slug }).execute();
  const batch = 200_000;
  for (let from = 1; from <= n; from += batch) {
    const to = Math.min(n, from + batch - 1);
    // Pseudo-random two-word names from md5, emails user<i>@<slug>.test.
    await sql`
      INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status)
      SELECT 'qm:' || md5(${slug} || i), 'customer', ${siteId}::uuid,
             'user' || i || '@' || ${slug} || '.test', 'user' || i || '@' || ${slug} || '.test',
             initcap(substr(md5('f' || i), 1, 6)) || ' ' || initcap(substr(md5('l' || i), 1, 8)),
             substr(md5('f' || i), 1, 6) || ' ' || substr(md5('l' || i), 1, 8),
             CASE WHEN i % 50 = 0 THEN 'revoked' ELSE 'active' END
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
  }
  // Terms of active customers only, as the application writes them.
  await sql`
    INSERT INTO account_search_terms (site_id, term, account_id, sort_name)
    SELECT a.site_id, t.term, a.account_id, a.sort_name
    FROM accounts a,
         LATERAL (SELECT DISTINCT unnest(string_to_array(a.sort_name, ' ') || a.email_lower) AS term) t
    WHERE a.site_id = ${siteId}::uuid AND a.status = 'active'`.execute(db);
  return siteId;
}

const database = await createTestDatabase('postgres');
const db = database.db;
try {
  const orgId = randomUUID();
  await db.insertInto('organizations').values({ id: orgId, name: 'Bench', user_management: 'centralized' }).execute();
  const t = Date.now();
  const small = await seedSite(db, orgId, 'small', SMALL);
  const big = await seedSite(db, orgId, 'big', BIG);
  await sql`ANALYZE`.execute(db);
  console.log(`seeded ${SMALL.toLocaleString()} + ${BIG.toLocaleString()} customers in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  console.log('\nquery        small ms   big ms   big/small   naive big ms   naive/indexed');
  const ratios: number[] = [];
  for (const q of QUERIES) {
    const s = await median(() => searchUsersForPicker(db, { siteId: small, query: q, audience: 'customers' }));
    const b = await median(() => searchUsersForPicker(db, { siteId: big, query: q, audience: 'customers' }));
    const naive = await median(
      () =>
        sql`SELECT account_id FROM accounts WHERE site_id = ${big}::uuid AND status = 'active'
            AND (lower(display_name) LIKE ${q + '%'} OR lower(display_name) LIKE ${'% ' + q + '%'} OR email_lower LIKE ${q + '%'})
            ORDER BY sort_name, account_id LIMIT 20`.execute(db),
      { runs: 3 },
    );
    ratios.push(b / s);
    console.log(`${q.padEnd(12)} ${s.toFixed(2).padStart(8)} ${b.toFixed(2).padStart(8)} ${(b / s).toFixed(2).padStart(11)} ${naive.toFixed(1).padStart(14)} ${(naive / b).toFixed(1).padStart(15)}`);
  }
  const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT account_id, term, sort_name FROM account_search_terms
      WHERE site_id = ${big}::uuid AND term >= 'a' AND term < ${'a\u{10FFFF}'} ORDER BY term, sort_name, account_id LIMIT 60`.execute(db);
  console.log('\nplan of a prefix search:\n' + plan.rows.map((r) => '  ' + r['QUERY PLAN']).join('\n'));
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`\ngeometric mean big/small latency ratio: ${geo.toFixed(2)} (site ${BIG / SMALL}x larger)`);
} finally {
  await database.close();
}
