/**
 * Filters (JQL, docs/jql.md) at a million customers: the median latency of the first page
 * (maxResults 50) of typical searches on a site with BENCH_CUSTOMERS customers (default 1,000,000;
 * 2% revoked; names from bench/support/names.ts, so thousands share a first name and many share a
 * whole name) and BENCH_REQUESTS requests (default 300,000; reporters, 0–3 participants and an
 * "Affected user" picker value spread over those customers), against the same searches on a site
 * with 10,000 customers and 3,000 requests.
 *
 * Every search runs as three viewers: the org admin (who sees every request: no visibility filter),
 * an agent of one of the site's two projects, and a customer (who sees the requests she reported or
 * takes part in). Two times for each: `ids`, the JQL engine alone (searchRequestsByJql: the user
 * look-up and the query that returns one page of ids), and `route`, what the REST search route does
 * for the page a search screen shows (POST /s/{site}/rest/api/3/search/jql with summary, status,
 * reporter, assignee-less fields, created and updated: authentication, the search, the issues'
 * fields, serialization), through the app in this process (inject, no network). Beside each time
 * the hits: the requests on the first page and, counted apart, how many match in all (up to 5,000).
 *
 * A ratio near 1 means the user look-up and the request query are index-driven; a ratio near the
 * size ratio means something scans. For every search it prints the EXPLAIN (ANALYZE) plan nodes of
 * each query the engine ran on the big site as the org admin, and flags a sequential scan over
 * accounts or requests. BENCH_WITHOUT_FILTER_INDEXES=1 drops the indexes of migration
 * 20261128T2330_filter_indexes first, to compare. Prints numbers, never pass/fail. Runs on
 * PostgreSQL (PORTICO_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), in its own
 * database.
 */
import { CompiledQuery, createQueryId, sql, type KyselyPlugin, type RawBuilder, type RootOperationNode } from 'kysely';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../test/support/db.js';
import { searchRequestsByJql, type JqlViewer } from '../src/use-cases/filters/jql-search.js';
import { openPostgres, type Db } from '../src/db/connection.js';
import { GENERATED } from './support/big-site.js';
import { median } from './support/timing.js';
import { FIRST, LAST } from './support/names.js';
import { buildApp } from '../src/http/app.js';
import { loadConfig } from '../src/config.js';
import { createOutboxMailer } from '../src/mailer.js';
import { createSession } from '../src/db/queries/session-store.js';
import { hashSecret, newSecret } from '../src/domain/secrets.js';
import type { App } from '../src/http/deps.js';
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

/**
 * Customers with a first name and a surname of bench/support/names.ts picked by hash (as
 * bench/picker.ts seeds them: thousands share a first name, and at a million about seventy share a
 * whole name), emails first.last<i>@<slug>.test, every 50th revoked.
 */
async function seedCustomers(db: Db, site: Site): Promise<void> {
  const batch = 200_000;
  for (let from = 1; from <= site.customers; from += batch) {
    const to = Math.min(site.customers, from + batch - 1);
    await sql`
      INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status, revoked_at)
      SELECT 'qm:' || md5(${site.slug} || i), 'customer', ${site.siteId}::uuid,
             lower(f || '.' || l) || i || '@' || ${site.slug} || '.test', lower(f || '.' || l) || i || '@' || ${site.slug} || '.test',
             f || ' ' || l, lower(f || ' ' || l),
             CASE WHEN i % 50 = 0 THEN 'revoked' ELSE 'active' END,
             CASE WHEN i % 50 = 0 THEN now() END
      FROM generate_series(${from}::int, ${to}::int) AS i,
           LATERAL (SELECT (${FIRST}::text[])[1 + abs(hashtext('f' || i)) % ${FIRST.length}] AS f,
                           (${LAST}::text[])[1 + abs(hashtext('l' || i)) % ${LAST.length}] AS l) AS name`.execute(db);
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
async function seedRequests(db: Db, site: Site): Promise<{ helpProjectId: string }> {
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
  return { helpProjectId: help.id };
}

/** A site with its customers and requests; `agentId` is made an agent of its HELP project (not of IT). */
async function seedSite(db: Db, orgId: string, slug: string, customers: number, requests: number, agentId: string): Promise<Site> {
  const siteId = randomUUID();
  await db.insertInto('sites').values({ id: siteId, org_id: orgId, slug, name: slug }).execute();
  await db.insertInto('site_products').values({ site_id: siteId, product: 'service-management' }).execute();
  const site = { slug, siteId, customers, requests };
  await seedCustomers(db, site);
  const { helpProjectId } = await seedRequests(db, site);
  await db.insertInto('project_agents').values({ site_id: siteId, project_id: helpProjectId, account_id: agentId }).execute();
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
}

const CASES: Case[] = [
  { label: 'reporter = revoked email', jql: (p) => `reporter = "${p.revoked.email}"` },
  { label: 'reporter = email', jql: (p) => `reporter = "${p.active.email}"` },
  { label: 'reporter = accountId', jql: (p) => `reporter = "${p.active.account_id}"` },
  { label: 'participant = email', jql: (p) => `participant = "${p.participant.email}"` },
  { label: '"Affected user" = email', jql: (p) => `"Affected user" = "${p.affected.email}"` },
  { label: 'reporter in (2 emails)', jql: (p) => `reporter in ("${p.active.email}", "${p.other.email}")` },
  // about seventy customers of the big site share a whole name: the search finds all their requests
  { label: 'reporter = display name', jql: (p) => `reporter = "${p.active.display_name}"` },
  { label: 'project+status ORDER BY', jql: () => 'project = HELP AND status = Open ORDER BY created DESC' },
  { label: 'text ~ "printer"', jql: () => 'text ~ "printer"' },
  // A word no request has: the worst case of ~, every visible request is tested.
  { label: 'text ~ "toner" (no hit)', jql: () => 'text ~ "toner"' },
  { label: 'reporter = currentUser()', jql: () => 'reporter = currentUser()' },
];

type ViewerName = 'org admin' | 'agent' | 'customer';
const VIEWERS: ViewerName[] = ['org admin', 'agent', 'customer'];
/** The fields a search screen shows for each request (the route's page; ids alone are `ids`). */
const PAGE_FIELDS = ['summary', 'status', 'reporter', 'created', 'updated'];

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
  const agentId = 'bench-agent';
  await db
    .insertInto('accounts')
    .values({ account_id: agentId, kind: 'staff', email: 'agent@bench.test', email_lower: 'agent@bench.test', display_name: 'Bench Agent', sort_name: 'bench agent' })
    .execute();

  const t = Date.now();
  // Seeding statements write hundreds of thousands of rows each: on a connection of their own
  // without the app's statement timeout. The searches run on the app's connections, with it.
  const seeder = openPostgres(database.url!, { poolSize: 1, statementTimeoutMs: 0 });
  const small = await seedSite(seeder.db, orgId, 'small', SMALL_CUSTOMERS, SMALL_REQUESTS, agentId);
  const big = await seedSite(seeder.db, orgId, 'big', BIG_CUSTOMERS, BIG_REQUESTS, agentId);
  if (process.env.BENCH_WITHOUT_FILTER_INDEXES === '1') {
    // To see what 20261128T2330_filter_indexes buys: the same run without its indexes.
    await filterIndexes.down(seeder.db);
    console.log('without the indexes of migration 20261128T2330_filter_indexes');
  }
  await sql`VACUUM ANALYZE`.execute(seeder.db);
  await seeder.close();
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
  // The viewers: API tokens of the org admin and the agent, a help-center session of the customer
  // (the active reporter of the people above) on each site, as the route authenticates them.
  const app: App = await buildApp({ db, mailer: createOutboxMailer(), config: { ...loadConfig({}), logLevel: 'silent' } });
  await app.ready();
  const tokenFor = async (accountId: string, email: string) => {
    const token = newSecret();
    await db.insertInto('api_tokens').values({ id: randomUUID(), account_id: accountId, label: 'bench', token_hash: hashSecret(token) }).execute();
    return { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` };
  };
  const staffHeaders = { 'org admin': await tokenFor(adminId, 'admin@bench.test'), agent: await tokenFor(agentId, 'agent@bench.test') };
  const customerHeaders = new Map<Site, Record<string, string>>();
  for (const site of [small, big]) {
    const p = site === small ? people.small : people.big;
    const session = await createSession(db, { accountId: p.active.account_id, siteId: site.siteId, ip: null, userAgent: null, idleMinutes: 120, absoluteHours: 24 });
    customerHeaders.set(site, { cookie: `portico_csid=${session.sessionId}`, 'x-csrf-token': session.csrfToken });
  }
  const viewerOf = (viewer: ViewerName, p: People): JqlViewer =>
    viewer === 'org admin' ? { accountId: adminId, kind: 'staff' } : viewer === 'agent' ? { accountId: agentId, kind: 'staff' } : { accountId: p.active.account_id, kind: 'customer' };
  const search = (on: Db, site: Site, p: People, kase: Case, viewer: ViewerName, maxResults = 50) =>
    searchRequestsByJql(on, { siteId: site.siteId, jql: kase.jql(p), viewer: viewerOf(viewer, p), startAt: 0, maxResults });
  const route = async (site: Site, p: People, kase: Case, viewer: ViewerName) => {
    const res = await app.inject({
      method: 'POST',
      url: `/s/${site.slug}/rest/api/3/search/jql`,
      headers: { ...(viewer === 'customer' ? customerHeaders.get(site)! : staffHeaders[viewer]), 'content-type': 'application/json' },
      payload: { jql: kase.jql(p), fields: PAGE_FIELDS, maxResults: 50 },
    });
    if (res.statusCode !== 200) throw new Error(`${viewer} on ${site.slug}: ${kase.jql(p)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return (res.json() as { issues: unknown[] }).issues.length;
  };
  /** How many requests the viewer may see match, counted up to 5,000. */
  const total = async (site: Site, p: People, kase: Case, viewer: ViewerName) => {
    const r = await search(db, site, p, kase, viewer, 5000);
    return r.isLast ? String(r.requestIds.length) : '5000+';
  };

  console.log(`\nmedian of ${RUNS} runs (3 for a search over 1 s), first page (maxResults 50)`);
  console.log('ids: the JQL engine alone (user look-up + one page of ids); route: POST …/rest/api/3/search/jql with ' + PAGE_FIELDS.join(', ') + ' (in-process inject)');
  console.log('hits: requests on the first page of the big site / all that match for this viewer (counted up to 5,000) / all that match on the small site');
  console.log('big server ms: the Execution Time EXPLAIN ANALYZE reports for the engine\'s queries on the big site other than the custom_fields/projects look-ups\n');
  console.log(`${'search'.padEnd(26)} ${'viewer'.padEnd(9)} ${'small ids'.padStart(9)} ${'big ids'.padStart(8)} ${'big/small'.padStart(9)} ${'small route'.padStart(11)} ${'big route'.padStart(9)} ${'hits: page / big / small'.padStart(24)} ${'big server ms'.padStart(13)}`);
  const ratios: number[] = [];
  const plans: string[] = [];
  for (const kase of CASES) {
    for (const viewer of VIEWERS) {
      const s = await median(() => search(db, small, people.small, kase, viewer), { runs: RUNS, warm: true });
      const b = await median(() => search(db, big, people.big, kase, viewer), { runs: RUNS, warm: true });
      const sr = await median(() => route(small, people.small, kase, viewer), { runs: RUNS, warm: true });
      const br = await median(() => route(big, people.big, kase, viewer), { runs: RUNS, warm: true });
      const page = await route(big, people.big, kase, viewer);
      const hits = `${page} / ${await total(big, people.big, kase, viewer)} / ${await total(small, people.small, kase, viewer)}`;
      const { lines, seqScans, serverMs } = await explainSearch(db, (on) => search(on, big, people.big, kase, viewer));
      ratios.push(b / s);
      console.log(
        `${kase.label.padEnd(26)} ${viewer.padEnd(9)} ${s.toFixed(2).padStart(9)} ${b.toFixed(2).padStart(8)} ${(b / s).toFixed(2).padStart(9)} ${sr.toFixed(2).padStart(11)} ${br.toFixed(2).padStart(9)} ${hits.padStart(24)} ${serverMs.toFixed(2).padStart(13)}`,
      );
      plans.push(`  ${kase.jql(people.big)} (${viewer})${seqScans.length ? `   <-- ${[...new Set(seqScans)].join(', ')}` : ''}`, ...lines);
    }
  }
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`\ngeometric mean big/small latency ratio of the engine: ${geo.toFixed(2)} (site ${BIG_CUSTOMERS / SMALL_CUSTOMERS}x more customers)`);
  console.log('\nEXPLAIN (ANALYZE) of each query a search runs on the big site (custom_fields/projects look-ups omitted):');
  console.log(plans.join('\n'));
  await app.close();
} finally {
  await database.close();
}
