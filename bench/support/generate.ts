// The data of bench/scale.ts: one big site (the demo data's acme, with its org admin, HELP project and
// "Affected user" picker field) with `customers` customers, `otherSites` more sites of `otherCustomers`
// customers each, `requests` requests on acme/HELP and `refsPerRequest` participant and picker
// references per request (three quarters participants, a quarter picker values), on a migrated
// database of either kind. Everything is INSERT … SELECT over generate_series: no row crosses from
// Node. Every number below is deterministic (hashtext of the row's number), so a run can be repeated.
//
// Customers: realistic names (bench/support/names.ts: 120 first names × 120 surnames, so thousands
// share a prefix), emails made from them (`mary.smith123@…`), every 50th revoked. The first `heavy`
// customers are the "heavy" ones: each has `heavyRefs` references (the first participant of a block
// of requests; the rest as picker values) and, before each revoke, `heavySessions` live sessions
// (bench/scale.ts writes those). The next `heavy` are "light": one reference each (a participant of
// one request) and one session. Everybody else's references are spread by hash.
//
// Fast because the big tables' secondary indexes are dropped first and built again at the end, and
// the inserts run with session_replication_role = replica (no foreign-key triggers, no
// requests/comments triggers: the generator writes requests.text_words itself when the column exists).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.js';
import { loadDemoData } from '../../src/db/demo.js';
import { FIRST, LAST } from './names.js';

export interface ScaleSizes {
  customers: number;
  otherSites: number;
  otherCustomers: number;
  requests: number;
  refsPerRequest: number;
  heavy: number;
  heavyRefs: number;
  heavySessions: number;
}

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw.replace(/_/g, ''));
};

/** The issue's sizes unless BENCH_* say otherwise (BENCH_CUSTOMERS=20000 BENCH_REQUESTS=50000 … for a small run). */
export function scaleSizes(prefix: 'BENCH' | 'BENCH_EMBEDDED', defaults: ScaleSizes): ScaleSizes {
  return {
    customers: num(`${prefix}_CUSTOMERS`, defaults.customers),
    otherSites: num(`${prefix}_OTHER_SITES`, defaults.otherSites),
    otherCustomers: num(`${prefix}_OTHER_CUSTOMERS`, defaults.otherCustomers),
    requests: num(`${prefix}_REQUESTS`, defaults.requests),
    refsPerRequest: num(`${prefix}_REFS_PER_REQUEST`, defaults.refsPerRequest),
    heavy: num(`${prefix}_HEAVY`, defaults.heavy),
    heavyRefs: num(`${prefix}_HEAVY_REFS`, defaults.heavyRefs),
    heavySessions: num(`${prefix}_HEAVY_SESSIONS`, defaults.heavySessions),
  };
}

/** The account id of the i-th customer (1-based) of site `slug`: qm: and a UUID made from an md5. */
export const customerId = (slug: string, i: number) => `qm:${uuidOfMd5(`${slug}:${i}`)}`;
const idSql = (slug: string, i: ReturnType<typeof sql>) => sql<string>`'qm:' || md5(${slug + ':'} || ${i})::uuid::text`;

function uuidOfMd5(text: string): string {
  // the same as PostgreSQL's md5(text)::uuid
  const h = createHashHex(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function createHashHex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** The tables the generator fills; their plain indexes are dropped while it does. */
const BIG_TABLES = ['accounts', 'account_search_terms', 'requests', 'request_participants', 'request_user_values', 'comments', 'sessions'];

// Words of a help center: summaries from a list with a variable part, descriptions of two sentences
// picked by hash and an asset tag, a public comment on every third request and an internal note on
// every third.
const SUMMARIES = [
  'VPN drops every hour', 'Cannot log in to payroll', 'New laptop for the new hire', 'Password expired', 'Email quota full',
  'Access to the shared drive', 'Monitor flickers', 'Software install request', 'Printer on floor {n} jams', 'Outlook keeps asking for my password',
  'Wi-Fi in meeting room {n} is slow', 'Request a new phone', 'Teams calls drop', 'Invoice portal shows an error', 'Reset my MFA device',
  'Keyboard not working', 'Cannot open attachments', 'Need admin rights for an installer', 'Calendar invites are missing', 'Badge does not open door {n}',
];
const SENTENCES = [
  'It started this morning after the update.', 'I have restarted the computer twice and it did not help.',
  'My manager approved the request last week.', 'The error message says the service is not available.',
  'This blocks the whole team from working.', 'Please call me when you have a moment.',
  'It happens on the office network but not at home.', 'I attached a screenshot of the problem.',
  'The same thing happened to a colleague yesterday.', 'Could you look at it before the end of the day?',
  'I am working from the branch office this week.', 'The deadline for the report is on Friday.',
];
const COMMENTS_PUBLIC = ['Any update on this?', 'Thanks, that fixed it.', 'It happened again today.', 'I am out of office until Monday.', 'Is there a workaround for now?'];
const COMMENTS_INTERNAL = ['Escalated to the network team.', 'Waiting for the vendor.', 'Checked the logs, nothing obvious.', 'Duplicate of an older request.'];

const arr = (values: string[]) => sql`${sql.val(values)}::text[]`;
const pickSql = (values: string[], salt: string, i: ReturnType<typeof sql>) =>
  sql<string>`(${arr(values)})[1 + abs(hashtext(${salt} || ${i}::text)) % ${values.length}::int]`;

export const SUMMARY = (i: ReturnType<typeof sql>) => sql<string>`replace(${pickSql(SUMMARIES, 's', i)}, '{n}', (1 + ${i} % 9)::text)`;
// Real descriptions name things no list holds (asset tags, error codes, host names): the asset tag
// gives the corpus a long tail of rare words (200,000 numbers).
export const DESCRIPTION = (i: ReturnType<typeof sql>) =>
  sql<string>`${pickSql(SENTENCES, 'd1', i)} || ' ' || ${pickSql(SENTENCES, 'd2', i)} || ' Asset tag PC-' || (abs(hashtext('t' || ${i}::text)) % 200000)::text || '.'`;
export const PUBLIC_COMMENT = (i: ReturnType<typeof sql>) => sql<string>`${pickSql(COMMENTS_PUBLIC, 'c', i)}`;
const INTERNAL_COMMENT = (i: ReturnType<typeof sql>) => sql<string>`${pickSql(COMMENTS_INTERNAL, 'n', i)}`;

export interface Fixture {
  siteId: string;
  orgId: string;
  heavyIds: string[];
  lightIds: string[];
}

export async function fixtureOf(db: Db, sizes: ScaleSizes): Promise<Fixture> {
  const site = await db.selectFrom('sites').select(['id', 'org_id']).where('slug', '=', 'acme').executeTakeFirstOrThrow();
  const ids = (from: number) => Array.from({ length: sizes.heavy }, (_, k) => customerId('acme', from + k));
  return { siteId: site.id, orgId: site.org_id, heavyIds: ids(1), lightIds: ids(1 + sizes.heavy) };
}

/**
 * Fills a migrated, empty database; `log` gets one line per step with its time. Returns the fixture.
 * Runs on one connection: session_replication_role and maintenance_work_mem are settings of it.
 */
export async function generate(db: Db, sizes: ScaleSizes, log: (line: string) => void, options: { maintenanceMemory?: string } = {}): Promise<Fixture> {
  return db.connection().execute((conn) => generateOn(conn, sizes, log, options));
}

async function generateOn(db: Db, sizes: ScaleSizes, log: (line: string) => void, options: { maintenanceMemory?: string }): Promise<Fixture> {
  if (sizes.heavy * 2 > sizes.customers) throw new Error('BENCH_HEAVY: more heavy and light customers than customers');
  if (sizes.heavy * (sizes.heavyRefs + 1) > sizes.requests) {
    throw new Error('BENCH_HEAVY × (BENCH_HEAVY_REFS + 1) must not exceed BENCH_REQUESTS: each heavy reference is a request of its own');
  }
  const step = async (label: string, fn: () => Promise<unknown>) => {
    const t = Date.now();
    await fn();
    log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  await loadDemoData(db);
  const { siteId, orgId } = await fixtureOf(db, sizes);
  const hasWords = (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'requests' AND column_name = 'text_words'`.execute(db)
  ).rows[0].n > 0;

  await sql`SET session_replication_role = replica`.execute(db);
  await sql.raw(`SET maintenance_work_mem = '${options.maintenanceMemory ?? '512MB'}'`).execute(db);
  const indexes = (
    await sql<{ indexname: string; indexdef: string }>`
      SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY (${sql.val(BIG_TABLES)}::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`.execute(db)
  ).rows;
  await step(`dropped ${indexes.length} secondary indexes`, async () => {
    for (const ix of indexes) await sql`DROP INDEX ${sql.ref(ix.indexname)}`.execute(db);
  });

  const customers = async (slug: string, site: string, n: number) => {
    const batch = 250_000;
    for (let from = 1; from <= n; from += batch) {
      const to = Math.min(n, from + batch - 1);
      await sql`
        INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status, created_at)
        SELECT ${idSql(slug, sql`i`)}, 'customer', ${site}::uuid, e, e, f || ' ' || l, lower(f || ' ' || l),
               CASE WHEN i % 50 = 0 AND i > ${2 * sizes.heavy}::int THEN 'revoked' ELSE 'active' END,
               timestamptz '2026-01-01Z' + (i % 300) * interval '1 day'
        FROM generate_series(${from}::int, ${to}::int) AS i,
             LATERAL (SELECT (${arr(FIRST)})[1 + abs(hashtext('f' || i)) % ${FIRST.length}::int] AS f,
                             (${arr(LAST)})[1 + abs(hashtext('l' || i)) % ${LAST.length}::int] AS l) AS name,
             LATERAL (SELECT lower(f || '.' || l) || i || '@' || ${slug} || '-mail.test' AS e) AS email`.execute(db);
    }
    // Picker terms of active customers, as insertSearchTerms writes them (name words and the email),
    // each with all of its account's terms (`words`, which a trigger writes for the app: no trigger
    // runs here; migration 20261207T0900_picker_term_words).
    await sql`
      INSERT INTO account_search_terms (site_id, term, account_id, sort_name, words)
      SELECT a.site_id, t.term, a.account_id, a.sort_name, w.words
      FROM accounts a,
           LATERAL (SELECT DISTINCT unnest(string_to_array(a.sort_name, ' ') || a.email_lower) AS term) t,
           LATERAL (SELECT E'\n' || string_agg(x, E'\n' ORDER BY x COLLATE "C") AS words
                    FROM (SELECT DISTINCT unnest(string_to_array(a.sort_name, ' ') || a.email_lower) AS x) AS d) w
      WHERE a.site_id = ${site}::uuid AND a.kind = 'customer' AND a.status = 'active' AND a.account_id LIKE 'qm:%'
        AND a.email_lower LIKE ${'%@' + slug + '-mail.test'}`.execute(db);
  };
  await step(`${sizes.customers.toLocaleString('en')} customers on acme (and their picker terms)`, () => customers('acme', siteId, sizes.customers));
  await step(`${sizes.otherSites} other sites of ${sizes.otherCustomers.toLocaleString('en')} customers`, async () => {
    for (let s = 1; s <= sizes.otherSites; s++) {
      const slug = `site${String(s).padStart(2, '0')}`;
      const id = (await sql<{ id: string }>`SELECT md5(${slug})::uuid::text AS id`.execute(db)).rows[0].id;
      await db.insertInto('sites').values({ id, org_id: orgId, slug, name: `Site ${s}` }).execute();
      await db.insertInto('site_products').values({ site_id: id, product: 'service-management' }).execute();
      await customers(slug, id, sizes.otherCustomers);
    }
  });

  const project = await db.selectFrom('projects').select(['id', 'next_request_number']).where('site_id', '=', siteId).where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await db.selectFrom('request_types').select('id').where('project_id', '=', project.id).orderBy('id').executeTakeFirstOrThrow();
  const field = await db.selectFrom('custom_fields').select('id').where('site_id', '=', siteId).where('type', '=', 'user').orderBy('id').executeTakeFirstOrThrow();
  const first = Number(project.next_request_number);
  const N = sizes.customers;
  const H = sizes.heavy;
  // Everybody but the heavy and light customers: 2H+1 … N, picked by hash; slot k of the same request
  // is offset by k × 7919, so reporter, participants and picker value of one request are all different.
  const ordinary = (i: ReturnType<typeof sql>, k: number) =>
    idSql('acme', sql`(${2 * H + 1}::int + ((abs(hashtext('r' || ${i}::text))::bigint + ${k * 7919}::bigint) % ${N - 2 * H}::bigint))`);
  const participants = Math.max(1, Math.round((sizes.refsPerRequest * 3) / 4));
  const pickers = Math.max(0, sizes.refsPerRequest - participants);
  // Heavy customer h (1 … H) is the first participant of requests [(h−1) × heavyRefs, h × heavyRefs);
  // light customer H + j the first participant of request H × heavyRefs + j − 1.
  const perHeavy = sizes.heavyRefs;

  const batch = 500_000;
  await step(`${sizes.requests.toLocaleString('en')} requests on acme/HELP`, async () => {
    for (let from = 0; from < sizes.requests; from += batch) {
      const to = Math.min(sizes.requests, from + batch) - 1;
      const words = hasWords
        ? sql`, portico_text_words(summary || ' ' || description || CASE WHEN i % 3 = 0 THEN ' ' || ${PUBLIC_COMMENT(sql`i`)} ELSE '' END)`
        : sql``;
      await sql`
        INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, description, status,
                              reporter_id, created_at, updated_at, status_changed_at ${hasWords ? sql`, text_words` : sql``})
        SELECT ${siteId}::uuid, ${project.id}::bigint, ${type.id}::bigint, ${first}::int + i, 'HELP-' || (${first}::int + i),
               summary, description, (ARRAY['Open', 'In progress', 'Resolved', 'Closed'])[1 + (i / 3) % 4],
               ${ordinary(sql`i`, 0)}, at, at, at ${words}
        FROM generate_series(${from}::int, ${to}::int) AS i,
             LATERAL (SELECT ${SUMMARY(sql`i`)} AS summary, ${DESCRIPTION(sql`i`)} AS description,
                             timestamptz '2026-11-01 00:00Z' - i * interval '10 seconds' AS at) AS t`.execute(db);
    }
  });
  await db.updateTable('projects').set({ next_request_number: first + sizes.requests }).where('id', '=', project.id).execute();
  const range = sql`(SELECT r.id, r.number - ${first}::int AS i, r.created_at FROM requests r WHERE r.project_id = ${project.id}::bigint AND r.number >= ${first}::int) AS r`;

  await step(`${(participants * sizes.requests).toLocaleString('en')} participants`, async () => {
    for (let k = 1; k <= participants; k++) {
      const who =
        k === 1
          ? sql`CASE WHEN r.i < ${perHeavy * H}::int THEN ${idSql('acme', sql`(1 + r.i / ${perHeavy}::int)`)}
                     WHEN r.i >= ${perHeavy * H}::int AND r.i < ${perHeavy * H + H}::int THEN ${idSql('acme', sql`(${H + 1}::int + r.i - ${perHeavy * H}::int)`)}
                     ELSE ${ordinary(sql`r.i`, k)} END`
          : ordinary(sql`r.i`, k);
      await sql`
        INSERT INTO request_participants (site_id, request_id, account_id, added_at)
        SELECT ${siteId}::uuid, r.id, ${who}, r.created_at FROM ${range}`.execute(db);
    }
  });
  await step(`${(pickers * sizes.requests).toLocaleString('en')} picker values`, async () => {
    for (let k = 0; k < pickers; k++) {
      const who = ordinary(sql`r.i`, 10 + k);
      await sql`
        INSERT INTO request_user_values (site_id, request_id, custom_field_id, account_id, position)
        SELECT ${siteId}::uuid, r.id, ${field.id}::bigint, ${who}, ${k}::int FROM ${range}`.execute(db);
    }
  });
  await step(`${Math.round((2 * sizes.requests) / 3).toLocaleString('en')} comments (half public)`, async () => {
    await sql`
      INSERT INTO comments (site_id, request_id, author_id, body, public, created_at)
      SELECT ${siteId}::uuid, r.id, ${ordinary(sql`r.i`, 0)},
             CASE WHEN r.i % 3 = 0 THEN ${PUBLIC_COMMENT(sql`r.i`)} ELSE ${INTERNAL_COMMENT(sql`r.i`)} END,
             r.i % 3 = 0, r.created_at + interval '5 minutes'
      FROM ${range} WHERE r.i % 3 <> 1`.execute(db);
  });
  await sql`SET session_replication_role = DEFAULT`.execute(db);
  await step(`built ${indexes.length} indexes again`, async () => {
    for (const ix of indexes) await sql.raw(ix.indexdef).execute(db);
  });
  await step('VACUUM ANALYZE', () => sql`VACUUM ANALYZE`.execute(db));
  return fixtureOf(db, sizes);
}

/**
 * Gives each customer of `ids` exactly `perAccount` live customer sessions on the site (the ones a
 * revoke must end), replacing any they have.
 */
export async function writeSessions(db: Db, siteId: string, ids: string[], perAccount: number): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', 'in', ids).execute();
  // What the revokes and grants of the round before left dead, cleared as autovacuum clears it on a
  // server in use. This machine's PostgreSQL runs with autovacuum off (its conf.d/90-ci.conf): without
  // this each round's revokes met every earlier round's dead sessions, and a heavy customer's revoke
  // alone went 3.8 -> 13 ms over four runs on one database (docs/benchmarks.md, 2026-12-04, "Barriers shared").
  await sql`VACUUM (ANALYZE) sessions, accounts, account_search_terms, one_time_tokens`.execute(db);
  await sql`
    INSERT INTO sessions (id_hash, account_id, site_id, csrf_token, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
    SELECT md5(random()::text || a || s), a, ${siteId}::uuid, md5(a || s), now(), now(), now() + interval '1 day', now() + interval '30 days'
    FROM unnest(${sql.val(ids)}::text[]) AS a, generate_series(1, ${perAccount}::int) AS s`.execute(db);
}
