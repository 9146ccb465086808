/**
 * Filters (JQL, docs/jql.md) at a million customers: the median latency of the first page
 * (maxResults 50) of typical searches on a site with BENCH_CUSTOMERS customers (default 1,000,000;
 * 2% revoked) and BENCH_REQUESTS requests (default 300,000; reporters, 0–3 participants and an
 * "Affected user" picker value spread over those customers), against the same searches on a site
 * with 10,000 customers and 3,000 requests. A ratio near 1 means the user look-up and the request
 * query are index-driven; a ratio near the size ratio means something scans. For every search it
 * prints the EXPLAIN (ANALYZE) plan nodes of each query the engine ran on the big site, and flags a
 * sequential scan over accounts or requests. BENCH_WITHOUT_FILTER_INDEXES=1 drops the indexes of
 * migration 20261128T2330_filter_indexes first, to compare. Prints numbers, never pass/fail. Runs on PostgreSQL
 * (PORTICO_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), in its own database.
 */
import { CompiledQuery, createQueryId, sql, type KyselyPlugin, type RawBuilder, type RootOperationNode } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../test/support/db.js';
import { searchRequestsByJql, type JqlViewer } from '../src/use-cases/filters/jql-search.js';
import type { Db } from '../src/db/connection.js';
import { GENERATED } from './support/big-site.js';
import { median } from './support/timing.js';
import * as filterIndexes from '../src/db/migrations/20261128T2330_filter_indexes.js';

const BIG_CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const BIG_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300_000);
const SMALL_CUSTOMERS = 10_000;
const SMALL_REQUESTS = 3_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);

interface Site {
  slug: string;
  siteId: string;
  customers: number;
  requests: number;
}

/** Customers user<i>@<slug>.test with md5 names, every 50th revoked — as bench/picker.ts seeds them. */
async function seedCustomers(db: Db, site: Site): Promise<void> {
  const batch = 200_000;
  for (let from = 1; from <= site.customers; from += batch) {
    const to = Math.min(site.customers, from + batch - 1);
    await sql`
      INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status, revoked_at)
      SELECT 'qm:' || md5(${site.slug} || i), 'customer', ${site.siteId}::uuid,
             'user' || i || '@' || ${site.slug} || '.test', 'user' || i || '@' || ${site.slug} || '.test',
             initcap(substr(md5('f' || i), 1, 6)) || ' ' || initcap(substr(md5('l' || i), 1, 8)),
             substr(md5('f' || i), 1, 6) || ' ' || substr(md5('l' || i), 1, 8),
             CASE WHEN i % 50 = 0 THEN 'revoked' ELSE 'active' END,
             CASE WHEN i % 50 = 0 THEN now() END
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
  }
}

/** The customer numbered by a hash of (salt, i): spreads references evenly over all customers. */
function customerOf(site: Site, salt: string, i: RawBuilder<unknown>) {
  return sql`'qm:' || md5(${site.slug} || (1 + abs(hashtext(${salt} || ${i}::text)) % ${site.customers}::int))`;
}

/**
 * Two projects (HELP, IT) with one request type each, the "Affected user" picker, and requests
 * alternating between the projects, newest first by number, statuses in rotation, one summary in
 * 199 about a printer, a public comment on every third request.
 */
async function seedRequests(db: Db, site: Site): Promise<void> {
  const projects: Array<{ id: string; typeId: string; key: string }> = [];
  for (const key of ['HELP', 'IT']) {
    const p = await db
      .insertInto('projects')
      .values({ site_id: site.siteId, key, name: `${key} desk`, portal_name: `${key} portal`, customer_access: 'open' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const t = await db
      .insertInto('request_types')
      .values({ site_id: site.siteId, project_id: p.id, name: 'Get help' })
      .returning('id')
      .executeTakeFirstOrThrow();
    projects.push({ id: String(p.id), typeId: String(t.id), key });
  }
  const field = await db
    .insertInto('custom_fields')
    .values({ site_id: site.siteId, name: 'Affected user', type: 'user' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [help, it] = projects;
  const i = sql<number>`i`;
  const batch = 100_000;
  for (let from = 1; from <= site.requests; from += batch) {
    const to = Math.min(site.requests, from + batch - 1);
    await sql`
      INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, description, status,
                            reporter_id, created_at, updated_at, status_changed_at)
      SELECT ${site.siteId}::uuid,
             CASE WHEN i % 2 = 0 THEN ${help.id}::bigint ELSE ${it.id}::bigint END,
             CASE WHEN i % 2 = 0 THEN ${help.typeId}::bigint ELSE ${it.typeId}::bigint END,
             (i + 1) / 2,
             CASE WHEN i % 2 = 0 THEN ${help.key} ELSE ${it.key} END || '-' || ((i + 1) / 2),
             ${GENERATED.summary}, ${GENERATED.description}, ${GENERATED.status},
             ${customerOf(site, 'r', i)},
             ${GENERATED.at}, ${GENERATED.at}, ${GENERATED.at}
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
  }
  // Back from (project, number) to the generator's i: HELP holds the even i, IT the odd ones.
  const seq = sql<number>`(r.number * 2 - (r.project_id <> ${help.id}::bigint)::int)`;
  // 0–3 participants per request (i % 4 of them), distinct customers by construction of the salts.
  for (const k of [1, 2, 3]) {
    await sql`
      INSERT INTO request_participants (site_id, request_id, account_id, added_at)
      SELECT r.site_id, r.id, ${customerOf(site, 'p' + k, seq)}, r.created_at
      FROM requests r
      WHERE r.site_id = ${site.siteId}::uuid AND ${seq} % 4 >= ${k}::int
      ON CONFLICT DO NOTHING`.execute(db);
  }
  // The "Affected user" picker is set on half of the requests.
  await sql`
    INSERT INTO request_user_values (site_id, request_id, custom_field_id, account_id, position)
    SELECT r.site_id, r.id, ${field.id}::bigint, ${customerOf(site, 'a', seq)}, 0
    FROM requests r
    WHERE r.site_id = ${site.siteId}::uuid AND ${seq} % 2 = 1`.execute(db);
  await sql`
    INSERT INTO comments (site_id, request_id, author_id, body, public, created_at)
    SELECT r.site_id, r.id, r.reporter_id,
           CASE WHEN ${seq} % 3 = 0 THEN 'Any update on this? Ticket ' || r.key ELSE 'Note for agents: check ' || r.key END,
           ${seq} % 3 = 0, r.created_at + interval '5 minutes'
    FROM requests r
    WHERE r.site_id = ${site.siteId}::uuid AND ${seq} % 3 <> 1`.execute(db);
}

async function seedSite(db: Db, orgId: string, slug: string, customers: number, requests: number): Promise<Site> {
  const siteId = randomUUID();
  await db.insertInto('sites').values({ id: siteId, org_id: orgId, slug, name: slug }).execute();
  await db.insertInto('site_products').values({ site_id: siteId, product: 'service-management' }).execute();
  const site = { slug, siteId, customers, requests };
  await seedCustomers(db, site);
  await seedRequests(db, site);
  return site;
}

/** Real people of the seeded data to write into the queries: each reported or is named somewhere. */
async function peopleOf(db: Db, site: Site) {
  const one = async (q: ReturnType<typeof sql<{ account_id: string; email: string; display_name: string }>>) => {
    const row = (await q.execute(db)).rows[0];
    if (!row) throw new Error(`no person found on ${site.slug}`);
    return row;
  };
  const reporter = (status: string, offset: number) =>
    one(sql`SELECT a.account_id, a.email, a.display_name FROM requests r JOIN accounts a ON a.account_id = r.reporter_id
            WHERE r.site_id = ${site.siteId}::uuid AND a.status = ${status}
            ORDER BY r.id LIMIT 1 OFFSET ${offset}::int`);
  return {
    revoked: await reporter('revoked', 0),
    active: await reporter('active', 10),
    other: await reporter('active', 20),
    participant: await one(sql`SELECT a.account_id, a.email, a.display_name FROM request_participants p
            JOIN accounts a ON a.account_id = p.account_id
            WHERE p.site_id = ${site.siteId}::uuid AND a.status = 'active' ORDER BY p.request_id LIMIT 1 OFFSET 30`),
    affected: await one(sql`SELECT a.account_id, a.email, a.display_name FROM request_user_values v
            JOIN accounts a ON a.account_id = v.account_id
            WHERE v.site_id = ${site.siteId}::uuid AND a.status = 'active' ORDER BY v.request_id LIMIT 1 OFFSET 40`),
  };
}

type People = Awaited<ReturnType<typeof peopleOf>>;

interface Case {
  label: string;
  jql: (p: People) => string;
  viewer: 'admin' | 'customer';
}

const CASES: Case[] = [
  { label: 'reporter = revoked email', jql: (p) => `reporter = "${p.revoked.email}"`, viewer: 'admin' },
  { label: 'reporter = email', jql: (p) => `reporter = "${p.active.email}"`, viewer: 'admin' },
  { label: 'reporter = accountId', jql: (p) => `reporter = "${p.active.account_id}"`, viewer: 'admin' },
  { label: 'participant = email', jql: (p) => `participant = "${p.participant.email}"`, viewer: 'admin' },
  { label: '"Affected user" = email', jql: (p) => `"Affected user" = "${p.affected.email}"`, viewer: 'admin' },
  { label: 'reporter in (2 emails)', jql: (p) => `reporter in ("${p.active.email}", "${p.other.email}")`, viewer: 'admin' },
  { label: 'reporter = display name', jql: (p) => `reporter = "${p.active.display_name}"`, viewer: 'admin' },
  { label: 'project+status ORDER BY', jql: () => 'project = HELP AND status = Open ORDER BY created DESC', viewer: 'admin' },
  { label: 'text ~ "printer"', jql: () => 'text ~ "printer"', viewer: 'admin' },
  // A word no request has: the worst case of ~, every visible request is tested.
  { label: 'text ~ "toner" (no hit)', jql: () => 'text ~ "toner"', viewer: 'admin' },
  { label: 'currentUser() (customer)', jql: () => 'reporter = currentUser()', viewer: 'customer' },
];

/** Records the operation tree of every query run through the returned Kysely, to EXPLAIN later. */
function recording(db: Db): { db: Db; nodes: RootOperationNode[] } {
  const nodes: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      nodes.push(args.node);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), nodes };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

const SHOWN = /Scan|Join|Nested Loop|Limit|Sort|BitmapOr|Result|Append|Gather/;

function describePlan(node: PlanNode, depth: number, out: string[], seqScans: string[]): void {
  const type = node['Node Type'];
  const show = SHOWN.test(type);
  if (show) {
    const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
    const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
    const sub = node['Subplan Name'] ? ` [${node['Subplan Name']}]` : '';
    const removed = node['Rows Removed by Filter'] ? `, ${node['Rows Removed by Filter']} removed by filter` : '';
    out.push(
      `${'  '.repeat(depth + 2)}${type}${on}${using}${sub}  (rows ${node['Actual Rows']} × ${node['Actual Loops']} loops${removed}, ${node['Actual Total Time']?.toFixed(2)} ms)`,
    );
    if (type === 'Seq Scan' && (node['Relation Name'] === 'accounts' || node['Relation Name'] === 'requests')) {
      seqScans.push(`Seq Scan on ${node['Relation Name']}`);
    }
  }
  for (const child of node.Plans ?? []) describePlan(child, show ? depth + 1 : depth, out, seqScans);
}

/** Runs the search once through a recorder, then EXPLAIN (ANALYZE)s each query it ran. */
async function explainSearch(
  db: Db,
  run: (db: Db) => Promise<unknown>,
): Promise<{ lines: string[]; seqScans: string[]; serverMs: number }> {
  const rec = recording(db);
  await run(rec.db);
  const lines: string[] = [];
  const seqScans: string[] = [];
  let serverMs = 0;
  for (const node of rec.nodes) {
    const compiled = db.getExecutor().compileQuery(node, createQueryId());
    const table = /from "(\w+)"/.exec(compiled.sql)?.[1] ?? '?';
    if (table === 'custom_fields' || table === 'projects') continue; // per-site metadata: tiny
    const result = await db.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> }>(
      CompiledQuery.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
    );
    const plan = result.rows[0]['QUERY PLAN'][0];
    serverMs += plan['Execution Time'];
    lines.push(`    query on ${table} (${plan['Execution Time'].toFixed(2)} ms):`);
    describePlan(plan.Plan, 0, lines, seqScans);
  }
  return { lines, seqScans, serverMs };
}

const database = await createTestDatabase('postgres');
const db = database.db;
try {
  const orgId = randomUUID();
  await db.insertInto('organizations').values({ id: orgId, name: 'Bench', user_management: 'centralized' }).execute();
  const adminId = 'bench-org-admin';
  await db
    .insertInto('accounts')
    .values({ account_id: adminId, kind: 'staff', email: 'admin@bench.test', email_lower: 'admin@bench.test', display_name: 'Bench Admin', sort_name: 'bench admin' })
    .execute();
  await db.insertInto('org_admins').values({ org_id: orgId, account_id: adminId }).execute();

  const t = Date.now();
  const small = await seedSite(db, orgId, 'small', SMALL_CUSTOMERS, SMALL_REQUESTS);
  const big = await seedSite(db, orgId, 'big', BIG_CUSTOMERS, BIG_REQUESTS);
  if (process.env.BENCH_WITHOUT_FILTER_INDEXES === '1') {
    // To see what 20261128T2330_filter_indexes buys: the same run without its indexes.
    await filterIndexes.down(db);
    console.log('without the indexes of migration 20261128T2330_filter_indexes');
  }
  await sql`VACUUM ANALYZE`.execute(db);
  const counts = await sql<{ participants: string; values: string; comments: string }>`
    SELECT (SELECT count(*) FROM request_participants WHERE site_id = ${big.siteId}::uuid) AS participants,
           (SELECT count(*) FROM request_user_values WHERE site_id = ${big.siteId}::uuid) AS values,
           (SELECT count(*) FROM comments WHERE site_id = ${big.siteId}::uuid) AS comments`.execute(db);
  const c = counts.rows[0];
  console.log(
    `seeded small: ${SMALL_CUSTOMERS.toLocaleString()} customers / ${SMALL_REQUESTS.toLocaleString()} requests; ` +
      `big: ${BIG_CUSTOMERS.toLocaleString()} customers / ${BIG_REQUESTS.toLocaleString()} requests ` +
      `(${Number(c.participants).toLocaleString()} participants, ${Number(c.values).toLocaleString()} picker values, ` +
      `${Number(c.comments).toLocaleString()} comments) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );

  const people = { small: await peopleOf(db, small), big: await peopleOf(db, big) };
  const viewerFor = (kase: Case, p: People): JqlViewer =>
    kase.viewer === 'admin' ? { accountId: adminId, kind: 'staff' } : { accountId: p.active.account_id, kind: 'customer' };
  const search = (on: Db, site: Site, p: People, kase: Case) =>
    searchRequestsByJql(on, { siteId: site.siteId, jql: kase.jql(p), viewer: viewerFor(kase, p), startAt: 0, maxResults: 50 });

  console.log(`\nmedian of ${RUNS} runs (3 for a search over 1 s), first page (maxResults 50); viewer: org admin unless marked`);
  console.log('(big server ms: the Execution Time EXPLAIN ANALYZE reports for the queries other than the custom_fields/projects look-ups)\n');
  console.log('search                       small ms   big ms   big/small   hits(big)   big server ms');
  const ratios: number[] = [];
  const plans: string[] = [];
  for (const kase of CASES) {
    const s = await median(() => search(db, small, people.small, kase), { runs: RUNS, warm: true });
    const b = await median(() => search(db, big, people.big, kase), { runs: RUNS, warm: true });
    const hits = (await search(db, big, people.big, kase)).requestIds.length;
    const { lines, seqScans, serverMs } = await explainSearch(db, (on) => search(on, big, people.big, kase));
    ratios.push(b / s);
    console.log(
      `${kase.label.padEnd(28)} ${s.toFixed(2).padStart(8)} ${b.toFixed(2).padStart(8)} ${(b / s).toFixed(2).padStart(11)} ${String(hits).padStart(11)} ${serverMs.toFixed(2).padStart(15)}`,
    );
    plans.push(`  ${kase.jql(people.big)}${seqScans.length ? `   <-- ${[...new Set(seqScans)].join(', ')}` : ''}`, ...lines);
  }
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`\ngeometric mean big/small latency ratio: ${geo.toFixed(2)} (site ${BIG_CUSTOMERS / SMALL_CUSTOMERS}x more customers)`);
  console.log('\nEXPLAIN (ANALYZE) of each query a search runs on the big site (custom_fields/projects look-ups omitted):');
  console.log(plans.join('\n'));
} finally {
  await database.close();
}
