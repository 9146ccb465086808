/**
 * A customer's picker under each sharing level (docs/product.md#customer-sharing), on a site of
 * BENCH_CUSTOMERS customers (default 1,000,000) who are ALL customers of one project — the worst case
 * for "anyone in the project", whose circle is then the whole site — with a request of 3 people and
 * an organization of 50. Prints the median latency of each level and query, beside the staff
 * picker's (the tuned B-tree range scan) for the same query. Runs on PostgreSQL
 * (PORTICO_BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), in its own database.
 */
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../test/support/db.js';
import { searchUsersForPicker } from '../src/db/queries/user-picker.js';
import { searchSharingCircleForPicker } from '../src/db/queries/sharing-circle.js';
import { sharingCirclesFor } from '../src/domain/policies/customer-organizations.js';
import { openPostgres } from '../src/db/connection.js';
import { median } from './support/timing.js';
import { FIRST, LAST } from './support/names.js';

const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const QUERIES = ['a', 'al', 'smi', 'maria g', 'qx'];

const database = await createTestDatabase('postgres');
const db = database.db;
try {
  const t = Date.now();
  const seeder = openPostgres(database.url!, { poolSize: 1, statementTimeoutMs: 0 });
  const s = seeder.db;
  const orgId = randomUUID();
  const siteId = randomUUID();
  await s.insertInto('organizations').values({ id: orgId, name: 'Bench', user_management: 'centralized' }).execute();
  await s.insertInto('sites').values({ id: siteId, org_id: orgId, slug: 'big', name: 'big' }).execute();
  for (let from = 1; from <= N; from += 200_000) {
    const to = Math.min(N, from + 199_999);
    await sql`
      INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status)
      SELECT 'qm:' || md5('big' || i), 'customer', ${siteId}::uuid,
             lower(f || '.' || l) || i || '@big.test', lower(f || '.' || l) || i || '@big.test', f || ' ' || l, lower(f || ' ' || l), 'active'
      FROM generate_series(${from}::int, ${to}::int) AS i,
           LATERAL (SELECT (${FIRST}::text[])[1 + abs(hashtext('f' || i)) % ${FIRST.length}] AS f,
                           (${LAST}::text[])[1 + abs(hashtext('l' || i)) % ${LAST.length}] AS l) AS name`.execute(s);
  }
  await sql`
    INSERT INTO account_search_terms (site_id, term, account_id, sort_name)
    SELECT a.site_id, t.term, a.account_id, a.sort_name FROM accounts a,
      LATERAL (SELECT DISTINCT unnest(string_to_array(a.sort_name, ' ') || a.email_lower) AS term) t
    WHERE a.site_id = ${siteId}::uuid`.execute(s);
  const project = await s.insertInto('projects').values({ site_id: siteId, key: 'BIG', name: 'Big', portal_name: 'Big', customer_access: 'restricted' }).returning('id').executeTakeFirstOrThrow();
  await sql`INSERT INTO project_customers (site_id, project_id, account_id) SELECT ${siteId}::uuid, ${project.id}::bigint, account_id FROM accounts WHERE site_id = ${siteId}::uuid`.execute(s);
  // a second project holding 1 in 100 of the site's customers (a sparse project list)
  const sparse = await s.insertInto('projects').values({ site_id: siteId, key: 'FEW', name: 'Few', portal_name: 'Few', customer_access: 'restricted' }).returning('id').executeTakeFirstOrThrow();
  await sql`INSERT INTO project_customers (site_id, project_id, account_id) SELECT ${siteId}::uuid, ${sparse.id}::bigint, account_id FROM accounts WHERE site_id = ${siteId}::uuid AND abs(hashtext(account_id)) % 100 = 0`.execute(s);
  const me = (await sql<{ account_id: string }>`SELECT account_id FROM accounts WHERE site_id = ${siteId}::uuid ORDER BY account_id LIMIT 1`.execute(s)).rows[0]!.account_id;
  const org = await s.insertInto('customer_organizations').values({ site_id: siteId, name: 'Fifty' }).returning('id').executeTakeFirstOrThrow();
  await sql`INSERT INTO customer_organization_members (site_id, organization_id, account_id)
    SELECT ${siteId}::uuid, ${org.id}::bigint, account_id FROM accounts WHERE site_id = ${siteId}::uuid ORDER BY account_id LIMIT 50`.execute(s);
  const rt = await s.insertInto('request_types').values({ site_id: siteId, project_id: project.id, name: 'Help' }).returning('id').executeTakeFirstOrThrow();
  const request = await s
    .insertInto('requests')
    .values({ site_id: siteId, project_id: project.id, request_type_id: rt.id, number: 1, key: 'BIG-1', summary: 'x', reporter_id: me })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`INSERT INTO request_participants (site_id, request_id, account_id)
    SELECT ${siteId}::uuid, ${request.id}::bigint, account_id FROM accounts WHERE site_id = ${siteId}::uuid ORDER BY account_id DESC LIMIT 2`.execute(s);
  await sql`ANALYZE`.execute(s);
  await seeder.close();
  console.log(`seeded ${N.toLocaleString()} customers, all on the project, in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const customer = { kind: 'customer' as const, accountId: me, siteId };
  console.log('\nquery      staff picker ms   request ms   organizations ms   project ms   found (project)   project 1% ms   found (1%)');
  for (const q of QUERIES) {
    const staff = await median(() => searchUsersForPicker(db, { siteId, query: q, audience: 'customers' }), { warm: true });
    const at = async (level: 'request' | 'organizations' | 'project', projectId = String(project.id)) => {
      const of = { siteId, customerId: me, projectId, requestId: String(request.id), circles: sharingCirclesFor(customer, level)! };
      const ms = await median(() => searchSharingCircleForPicker(db, { of, query: q, includeSelf: false }), { warm: true, runs: 7 });
      return { ms, found: (await searchSharingCircleForPicker(db, { of, query: q, includeSelf: false })).length };
    };
    const [r, o, p, f] = [await at('request'), await at('organizations'), await at('project'), await at('project', String(sparse.id))];
    console.log(
      `${q.padEnd(10)} ${staff.toFixed(2).padStart(15)} ${r.ms.toFixed(2).padStart(12)} ${o.ms.toFixed(2).padStart(18)} ${p.ms.toFixed(2).padStart(12)} ${String(p.found).padStart(17)} ${f.ms.toFixed(2).padStart(15)} ${String(f.found).padStart(12)}`,
    );
  }
} finally {
  await database.close();
}
