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
import { openPostgres, type Db } from '../src/db/connection.js';
import { median } from './support/timing.js';
import { FIRST, LAST } from './support/names.js';

const BIG = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SMALL = 10_000;
// Probes a person would type: common first-name and surname prefixes (many people share them), a
// whole name, an email's beginning, a rare prefix, and one that matches nobody.
const QUERIES = ['a', 'al', 'ma', 'zo', 'jo', 'smi', 'maria g', 'garcia', 'olivia.b', 'qx'];

async function seedSite(db: Db, orgId: string, slug: string, n: number): Promise<string> {
  const siteId = randomUUID();
  await db.insertInto('sites').values({ id: siteId, org_id: orgId, slug, name: slug }).execute();
  const batch = 200_000;
  for (let from = 1; from <= n; from += batch) {
    const to = Math.min(n, from + batch - 1);
    // A first name and a surname picked by hash; emails first.last<i>@<slug>.test; every 50th revoked.
    await sql`
      INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status)
      SELECT 'qm:' || md5(${slug} || i), 'customer', ${siteId}::uuid,
             lower(f || '.' || l) || i || '@' || ${slug} || '.test', lower(f || '.' || l) || i || '@' || ${slug} || '.test',
             f || ' ' || l, lower(f || ' ' || l),
             CASE WHEN i % 50 = 0 THEN 'revoked' ELSE 'active' END
      FROM generate_series(${from}::int, ${to}::int) AS i,
           LATERAL (SELECT (${FIRST}::text[])[1 + abs(hashtext('f' || i)) % ${FIRST.length}] AS f,
                           (${LAST}::text[])[1 + abs(hashtext('l' || i)) % ${LAST.length}] AS l) AS name`.execute(db);
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
  // Seeding statements write hundreds of thousands of rows each: on a connection of their own
  // without the app's statement timeout. The searches run on the app's connections, with it.
  const seeder = openPostgres(database.url!, { poolSize: 1, statementTimeoutMs: 0 });
  const small = await seedSite(seeder.db, orgId, 'small', SMALL);
  const big = await seedSite(seeder.db, orgId, 'big', BIG);
  await sql`ANALYZE`.execute(seeder.db);
  await seeder.close();
  console.log(`seeded ${SMALL.toLocaleString()} + ${BIG.toLocaleString()} customers in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // Each probe as a customer's picker (customers of the site only) and as an agent's (also staff);
  // `matches` is how many active people of each site it matches in all (REST's total), beside
  // the 20 a picker shows.
  console.log('\nquery       audience    matches(small)   matches(big)   small ms   big ms   big/small   naive big ms   naive/indexed');
  const ratios: number[] = [];
  for (const q of QUERIES) {
    for (const audience of ['customers', 'anyone'] as const) {
      const s = await median(() => searchUsersForPicker(db, { siteId: small, query: q, audience }));
      const b = await median(() => searchUsersForPicker(db, { siteId: big, query: q, audience }));
      const { total } = await searchUsersForPicker(db, { siteId: big, query: q, audience, withTotal: true });
      const { total: smallTotal } = await searchUsersForPicker(db, { siteId: small, query: q, audience, withTotal: true });
      const naive = await median(
        () =>
          sql`SELECT account_id FROM accounts WHERE site_id = ${big}::uuid AND status = 'active'
              AND (lower(display_name) LIKE ${q + '%'} OR lower(display_name) LIKE ${'% ' + q + '%'} OR email_lower LIKE ${q + '%'})
              ORDER BY sort_name, account_id LIMIT 20`.execute(db),
        { runs: 3 },
      );
      ratios.push(b / s);
      console.log(
        `${q.padEnd(11)} ${audience.padEnd(10)} ${String(smallTotal ?? '?').padStart(15)} ${String(total ?? '?').padStart(14)} ${s.toFixed(2).padStart(10)} ${b.toFixed(2).padStart(8)} ${(b / s).toFixed(2).padStart(11)} ${naive.toFixed(1).padStart(14)} ${(naive / b).toFixed(1).padStart(15)}`,
      );
    }
  }
  const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT account_id, term, sort_name FROM account_search_terms
      WHERE site_id = ${big}::uuid AND term >= 'a' AND term < ${'a\u{10FFFF}'} ORDER BY term, sort_name, account_id LIMIT 60`.execute(db);
  console.log('\nplan of a prefix search:\n' + plan.rows.map((r) => '  ' + r['QUERY PLAN']).join('\n'));
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`\ngeometric mean big/small latency ratio: ${geo.toFixed(2)} (site ${BIG / SMALL}x larger)`);
} finally {
  await database.close();
}
