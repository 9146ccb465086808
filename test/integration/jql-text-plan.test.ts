import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/db/demo.js';
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
  await sql`
    INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, description, status, reporter_id, created_at, updated_at, status_changed_at, priority)
    SELECT r.site_id, r.project_id, r.request_type_id, 10000 + g, p.key || '-' || (10000 + g), 'Printer jam in the office', 'The printer on floor two jams.', 'Open', r.reporter_id, now(), now(), now(), 'Medium'
    FROM requests r JOIN projects p ON p.id = r.project_id, generate_series(1, 300) AS g
    WHERE r.key = 'HELP-1'`.execute(database.db);
  await sql`ANALYZE requests`.execute(database.db);
  siteId = (await database.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
  adminId = (await database.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'admin@acme.test').executeTakeFirstOrThrow()).account_id;
});
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
});
