import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { searchRequestsByJql, type JqlViewer } from '../../src/use-cases/filters/jql-search.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { factories, type ProjectFacts } from '../support/factories.js';

// Text search reads each request's stored words (requests.text_words, migration
// 20261202T1600_text_words) before its regular expressions: the words must follow every change of
// the texts they come from, or a search would miss a request. On PGlite and on PostgreSQL.

let t: TestDatabase;
let db: Db;
let make: ReturnType<typeof factories>;
let siteId: string;
let project: ProjectFacts;
let reporter: string;
let viewer: JqlViewer;
const now = new Date('2026-12-02T12:00:00Z');

async function keys(jql: string): Promise<string[]> {
  const r = await searchRequestsByJql(db, { siteId, jql, viewer, now, maxResults: 100 });
  const rows = r.requestIds.length
    ? await db.selectFrom('requests').select('key').where('id', 'in', r.requestIds).execute()
    : [];
  return rows.map((row) => row.key).sort();
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  make = factories(db);
  const site = await make.site();
  siteId = site.id;
  project = await make.project({ siteId, key: 'TW' });
  reporter = await make.customer({ siteId });
  const admin = await make.staff({ orgAdminOf: [site.orgId] });
  viewer = { accountId: admin, kind: 'staff' };
});

afterAll(async () => {
  await t?.close();
});

describe('stored words of a request', () => {
  it('hold the summary and description of a new request, split as JQL splits words', async () => {
    const r = await make.request({ project, reporterId: reporter, summary: 'Mail from alice@customer.test bounces', description: 'Since v1.2 of the e-mail client' });
    expect(await keys('text ~ alice')).toEqual([r.key]);
    expect(await keys('text ~ "customer"')).toEqual([r.key]);
    expect(await keys('text ~ "v1"')).toEqual([r.key]);
    expect(await keys('text ~ "mail"')).toEqual([r.key]);
    expect(await keys('text ~ "bounce"')).toEqual([]);
    expect(await keys('text ~ "bounce*"')).toEqual([r.key]);
    expect(await keys('summary ~ "client"')).toEqual([]);
  });

  it('follow public comments added later, and never internal ones', async () => {
    const r = await make.request({ project, reporterId: reporter, summary: 'Laptop', description: '' });
    expect(await keys('text ~ zebracorn')).toEqual([]);
    await make.comment({ request: r, authorId: reporter, body: 'The zebracorn sticker fell off', public: true });
    await make.comment({ request: r, authorId: reporter, body: 'Internal: unicornfish', public: false });
    expect(await keys('text ~ zebracorn')).toEqual([r.key]);
    expect(await keys('summary ~ zebracorn')).toEqual([]);
    expect(await keys('text ~ unicornfish')).toEqual([]);
  });

  it('follow a changed summary, description or comment, and a deleted comment', async () => {
    const r = await make.request({ project, reporterId: reporter, summary: 'Old words', description: 'nothing' });
    const c = await make.comment({ request: r, authorId: reporter, body: 'remember quokka', public: true });
    await db.updateTable('requests').set({ summary: 'New kestrel' }).where('id', '=', r.id).execute();
    expect(await keys('text ~ kestrel')).toEqual([r.key]);
    expect(await keys('text ~ quokka')).toEqual([r.key]); // the comment's words stay
    expect(await keys('summary ~ old')).not.toContain(r.key);
    await db.updateTable('comments').set({ body: 'remember wombat' }).where('id', '=', c).execute();
    expect(await keys('text ~ quokka')).toEqual([]);
    expect(await keys('text ~ wombat')).toEqual([r.key]);
    await db.updateTable('comments').set({ public: false }).where('id', '=', c).execute();
    expect(await keys('text ~ wombat')).toEqual([]);
    await db.updateTable('comments').set({ public: true }).where('id', '=', c).execute();
    expect(await keys('text ~ wombat')).toEqual([r.key]);
    await db.deleteFrom('comments').where('id', '=', c).execute();
    expect(await keys('text ~ wombat')).toEqual([]);
  });

  it('find words longer than the stored words keep, and wildcards and phrases', async () => {
    // a stored word is cut to 200 characters; a query word is at most 64 (the JQL budget)
    const long = 'y'.repeat(260);
    const r = await make.request({ project, reporterId: reporter, summary: `Token ${long} rejected`, description: 'full screen mode hangs' });
    expect(await keys(`text ~ "${'y'.repeat(63)}*"`)).toEqual([r.key]);
    expect(await keys(`text ~ ${'y'.repeat(64)}`)).toEqual([]); // a prefix of the word is not the word
    expect(await keys('text ~ "scr?en"')).toEqual([r.key]);
    expect(await keys('text ~ "\\"full screen\\""')).toEqual([r.key]);
    expect(await keys('text ~ "\\"screen full\\""')).toEqual([]);
  });

  it('a request whose words cannot be stored (NULL) is still searched by its texts', async () => {
    const r = await make.request({ project, reporterId: reporter, summary: 'Lost words platypus', description: '' });
    await sql`UPDATE requests SET text_words = NULL WHERE id = ${r.id}::bigint`.execute(db);
    expect(await keys('text ~ platypus')).toEqual([r.key]);
    expect(await keys('text ~ echidna')).toEqual([]);
  });
});
