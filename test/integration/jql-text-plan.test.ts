import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/connection.js';
import { loadDemoData } from '../../src/db/demo.js';
import { textTestShape, WALK_MIN_SHARE } from '../../src/db/jql-plan.js';
import { textSearch } from '../../src/domain/jql/text-search.js';
import { commonTextWords } from '../../src/db/queries/text-word-stats.js';
import { planJqlPage, searchRequestsByJql } from '../../src/use-cases/filters/jql-search.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// docs/architecture.md, "Data and indexes" (text search): how a `text ~` test is planned depends on whether PostgreSQL's
// statistics list the word as common. A listed word is planned by the words index's estimate (which
// lets the planner walk the requests newest first and stop after a page when the word is in many);
// an unlisted one keeps its LIKE and regex in sight of the planner, which then takes the words index
// — at a million requests the estimate PostgreSQL guesses for an unlisted word made it walk every
// request of the site for a word in none (docs/benchmarks.md). Both shapes find the same requests.

let database: TestDatabase;
let siteId: string;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase(undefined, { demo: true });
  if (!database.hasDemo) await loadDemoData(database.db);
  // 300 requests that share a small vocabulary, and the statistics ANALYZE makes of their words
  await addPrinterRequests(300, 10000);
  siteId = (await database.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
  adminId = (await database.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'admin@acme.test').executeTakeFirstOrThrow()).account_id;
});
/** `count` requests on acme/HELP numbered from `from` + 1 that share a small vocabulary, and the statistics ANALYZE makes of their words. */
async function addPrinterRequests(count: number, from: number) {
  await sql`
    INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, description, status, reporter_id, created_at, updated_at, status_changed_at, priority)
    SELECT r.site_id, r.project_id, r.request_type_id, ${from}::int + g, p.key || '-' || (${from}::int + g), 'Printer jam in the office', 'The printer on floor two jams.', 'Open', r.reporter_id, now(), now(), now(), 'Medium'
    FROM requests r JOIN projects p ON p.id = r.project_id, generate_series(1, ${count}::int) AS g
    WHERE r.key = 'HELP-1'`.execute(database.db);
  await sql`ANALYZE requests`.execute(database.db);
}

afterAll(async () => {
  await database?.close();
});

const input = (jql: string) => ({ siteId, jql, viewer: { accountId: adminId, kind: 'staff' as const }, maxResults: 50 });

describe('text search plans by what the statistics know', () => {
  it("the statistics' common words hold a word of most requests and not a word of none", async () => {
    const common = await commonTextWords(database.db, {});
    expect(common.has('printer')).toBe(true);
    expect(common.has('jam')).toBe(true);
    expect(common.has('toner')).toBe(false);
    // with the share of requests holding each: "printer" is in 300 of the site's few hundred
    expect(common.get('printer')).toBeGreaterThan(0.5);
    expect(common.get('printer')).toBeLessThanOrEqual(1);
  });

  it('a common word is tested by portico_text_matches (planned by the words index); a word the statistics lack keeps its LIKE in sight', async () => {
    const printer = (await planJqlPage(database.db, input('text ~ "printer"'))).page.compile().sql;
    const toner = (await planJqlPage(database.db, input('text ~ "toner"'))).page.compile().sql;
    expect(printer).toMatch(/portico_text_matches\("requests"\."summary"/);
    expect(toner).not.toMatch(/portico_text_matches/);
    expect(toner).toMatch(/lower\("requests"\."summary"\) like/);
    // a prefix counts as common when a common word begins with it
    expect((await planJqlPage(database.db, input('summary ~ "print*"'))).page.compile().sql).toMatch(/portico_text_matches/);
    // and a search of a common word with a rare one is planned as rare
    expect((await planJqlPage(database.db, input('summary ~ "printer toner"'))).page.compile().sql).not.toMatch(/portico_text_matches/);
  });

  it('both shapes find the same requests', async () => {
    const printer = await searchRequestsByJql(database.db, input('text ~ "printer"'));
    expect(printer.requestIds).toHaveLength(50);
    expect(printer.isLast).toBe(false);
    // "floor" is in every new request's description; whether the statistics list it or not, the answer is the same
    const rare = await searchRequestsByJql(database.db, input('text ~ "floor" AND text ~ "toner"'));
    expect(rare.requestIds).toEqual([]);
    const both = await searchRequestsByJql(database.db, { ...input('text ~ "floor" ORDER BY key ASC'), maxResults: 300 });
    const plain = await sql<{ id: string }>`SELECT id::text FROM requests WHERE site_id = ${siteId} AND description ILIKE '%floor%' ORDER BY key ASC`.execute(database.db);
    expect([...both.requestIds].sort()).toEqual(plain.rows.map((r) => r.id).sort());
  });

  it('a word in many requests, on a page an index gives in order, is written so that only walking the requests answers it; any other order or a rarer word is planned by its estimate', async () => {
    const printer = (await planJqlPage(database.db, input('text ~ "printer"'))).page.compile().sql;
    expect(printer).toMatch(/coalesce\(requests\.text_words @@/);
    for (const order of ['ORDER BY created ASC', 'ORDER BY updated DESC']) {
      expect((await planJqlPage(database.db, input(`text ~ "printer" ${order}`))).page.compile().sql).toMatch(/coalesce\(requests\.text_words @@/);
    }
    for (const other of ['text ~ "printer" ORDER BY priority DESC', 'text ~ "printer" ORDER BY created DESC, key ASC', 'summary ~ "print*"']) {
      const compiled = (await planJqlPage(database.db, input(other))).page.compile().sql;
      expect(compiled, other).not.toMatch(/coalesce\(requests\.text_words/);
      expect(compiled, other).toMatch(/portico_text_matches/);
    }
    // by the shares: a word under WALK_MIN_SHARE, or words whose shares multiply to less, are estimated
    const terms = (q: string) => textSearch(q, 'text');
    const hints = (shares: Record<string, number>) => ({ commonWords: new Map(Object.entries(shares)), walksInOrder: true });
    expect(textTestShape(terms('printer'), hints({ printer: 0.2 }))).toBe('walk');
    expect(textTestShape(terms('printer'), hints({ printer: WALK_MIN_SHARE / 2 }))).toBe('estimated');
    expect(textTestShape(terms('printer jam'), hints({ printer: 0.2, jam: 0.2 }))).toBe('walk');
    expect(textTestShape(terms('printer jam'), hints({ printer: 0.05, jam: 0.1 }))).toBe('estimated');
    expect(textTestShape(terms('printer'), { ...hints({ printer: 0.9 }), walksInOrder: false })).toBe('estimated');
    expect(textTestShape(terms('toner'), hints({ printer: 0.9 }))).toBe('indexed');
    expect(textTestShape(terms('printer'), {})).toBe('estimated');
  });

  it('every page of a walked word holds the requests a plain search finds, once each (the page\'s size and place written into the statement)', async () => {
    const found: string[] = [];
    for (let startAt = 0; ; startAt += 40) {
      const page = await searchRequestsByJql(database.db, { ...input('text ~ "printer"'), maxResults: 40, startAt });
      found.push(...page.requestIds);
      if (page.isLast) break;
    }
    const word = '(^|[^a-z0-9])printer([^a-z0-9]|$)';
    const plain = await sql<{ id: string }>`SELECT id::text FROM requests WHERE site_id = ${siteId} AND (lower(summary) ~ ${word} OR lower(description) ~ ${word}) ORDER BY created_at DESC, id DESC`.execute(database.db);
    expect(plain.rows.length).toBeGreaterThanOrEqual(300);
    expect(found).toEqual(plain.rows.map((r) => r.id));
  });

  it('a page of a walked word keeps its plan: PostgreSQL stops planning it again for every search', async () => {
    // a site of some thousands of requests, on which the plan PostgreSQL keeps for the other shapes of
    // the same test asks the words index
    await addPrinterRequests(5000, 20000);
    // the app's own connection: PGlite's only one, or a pool of one on the server
    const handle = database.url ? openPostgres(database.url, 1) : database;
    try {
      for (const word of ['printer', 'jam', 'office', 'printer', 'jam', 'office', 'printer', 'jam', 'office']) {
        const page = await searchRequestsByJql(handle.db, { ...input(`text ~ "${word}"`), maxResults: 20 });
        expect(page.requestIds, word).toHaveLength(20);
      }
      // the page's statement (with or without the check of a kept look-up: docs/architecture.md, "Kept look-ups")
      const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
        SELECT generic_plans::int AS generic_plans, custom_plans::int AS custom_plans FROM pg_prepared_statements
        WHERE statement LIKE '%requests.text_words @@%' AND statement LIKE '%limit 21 offset 0%' AND statement NOT LIKE '%pg_prepared_statements%'`.execute(handle.db);
      expect(rows.reduce((n, r) => n + r.generic_plans + r.custom_plans, 0)).toBe(9);
      expect(rows.reduce((n, r) => n + r.generic_plans, 0), 'searches run on the kept plan').toBeGreaterThanOrEqual(3);

      // and the plan kept for every word walks the requests newest first; it does not ask the words
      // index, whose answer for a word in every request would be the whole site
      const page = (await planJqlPage(handle.db, { ...input('text ~ "printer"'), maxResults: 20 })).page.compile();
      const literal = (v: unknown) => {
        if (v === null) return 'NULL';
        if (typeof v === 'object') throw new Error(`no literal for ${JSON.stringify(v)}`);
        return `'${String(v).replace(/'/g, "''")}'`;
      };
      await sql.raw(`PREPARE walked AS ${page.sql}`).execute(handle.db);
      await sql.raw('SET plan_cache_mode = force_generic_plan').execute(handle.db);
      try {
        const plan = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE walked(${page.parameters.map(literal).join(', ')})`).execute(handle.db);
        const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(text).toMatch(/Index Scan( Backward)? using requests_site_created_idx/);
        expect(text).not.toMatch(/requests_text_words/);
      } finally {
        await sql.raw('RESET plan_cache_mode').execute(handle.db);
        await sql.raw('DEALLOCATE walked').execute(handle.db);
      }
    } finally {
      if (handle !== database) await handle.close();
    }
  });
});
