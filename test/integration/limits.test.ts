import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomerAccountId } from '../../src/db/queries/customers.js';
import { normalizeForSearch, searchTermsFor, sortNameFor } from '../../src/domain/search-terms.js';
import { BODY_LIMIT_BYTES, MAX_OFFSET, SEARCH_TEXT_MAX_LENGTH } from '../../src/domain/limits.js';
import { encodePageToken } from '../../src/http/presenters/rest/search.js';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';
import { customerAuth, expectError, json, staffAuth, type Headers } from './rest-helpers.js';

// D4 and P8: offsets, page sizes and typed search text are capped, on every list and search.
// The site gets more of everything than one page holds: 1,050 customers named "Zeta …" (on the HELP
// customer list, 150 of them participants of HELP-1), 150 more requests of Alice's, 150 comments on
// HELP-1, 150 knowledge-base articles about zebras, 250 audit events and 150 mails of Acme's.

let t: TestApp;
let ada: Headers;
let alice: Headers;
let sam: AgentTestSession;
let orgId: string;

const ZETAS = 1050;
const MANY = 150;

beforeAll(async () => {
  t = await createTestApp();
  ada = await staffAuth(t, 'admin@acme.test');
  sam = await agentSession(t, 'agent@acme.test');
  alice = await customerAuth(t, 'acme', 'alice@customer.test');
  const site = await t.db.selectFrom('sites').select(['id', 'org_id']).where('slug', '=', 'acme').executeTakeFirstOrThrow();
  orgId = site.org_id;
  const help = await t.db.selectFrom('projects').select(['id', 'next_request_number']).where('site_id', '=', site.id).where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('project_id', '=', help.id).orderBy('id').executeTakeFirstOrThrow();
  const aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  const help1 = await t.db.selectFrom('requests').select('id').where('key', '=', 'HELP-1').executeTakeFirstOrThrow();
  await t.db.transaction().execute(async (trx) => {
    // customers as insertCustomer writes them (account and picker terms), a few hundred per statement
    const people = Array.from({ length: ZETAS }, (_, i) => {
      const n = String(i).padStart(4, '0');
      return { id: newCustomerAccountId(), name: `Zeta ${n}`, email: `zeta${n}@load.test` };
    });
    const zetas = people.map((p) => p.id);
    for (let i = 0; i < people.length; i += 300) {
      const batch = people.slice(i, i + 300);
      await trx.insertInto('accounts').values(batch.map((p) => ({
        account_id: p.id, kind: 'customer' as const, site_id: site.id, email: p.email, email_lower: normalizeForSearch(p.email), display_name: p.name, sort_name: sortNameFor(p.name),
      }))).execute();
      await trx.insertInto('account_search_terms').values(batch.flatMap((p) =>
        searchTermsFor(p.name, p.email).map((term) => ({ site_id: site.id, term, account_id: p.id, sort_name: sortNameFor(p.name) })),
      )).execute();
    }
    await trx.insertInto('project_customers').values(zetas.map((account_id) => ({ site_id: site.id, project_id: help.id, account_id }))).execute();
    await trx.insertInto('request_participants').values(zetas.slice(0, MANY).map((account_id) => ({ site_id: site.id, request_id: help1.id, account_id }))).execute();
    const first = Number(help.next_request_number);
    await sql`
      INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, reporter_id)
      SELECT ${site.id}::uuid, ${help.id}::bigint, ${type.id}::bigint, ${first}::int + i, 'HELP-' || (${first}::int + i), 'Load ' || i, ${aliceId}
      FROM generate_series(0, ${MANY - 1}::int) AS i`.execute(trx);
    await trx.updateTable('projects').set({ next_request_number: first + MANY }).where('id', '=', help.id).execute();
    await sql`
      INSERT INTO comments (site_id, request_id, author_id, body, public)
      SELECT ${site.id}::uuid, ${help1.id}::bigint, ${aliceId}, 'Comment ' || i, true FROM generate_series(1, ${MANY}::int) AS i`.execute(trx);
    await sql`
      INSERT INTO kb_articles (site_id, project_id, title, body)
      SELECT ${site.id}::uuid, ${help.id}::bigint, 'Zebra ' || i, 'All about zebras, part ' || i FROM generate_series(1, ${MANY}::int) AS i`.execute(trx);
    await sql`
      INSERT INTO audit_events (org_id, site_id, action, details)
      SELECT ${orgId}::uuid, ${site.id}::uuid, 'test.load', '{}' FROM generate_series(1, 250) AS i`.execute(trx);
    await sql`
      INSERT INTO outbox (org_id, site_id, to_address, subject, body)
      SELECT ${orgId}::uuid, ${site.id}::uuid, 'x@load.test', 'Mail ' || i, 'Hello' FROM generate_series(1, ${MANY}::int) AS i`.execute(trx);
  });
});
afterAll(() => t?.close());

interface PagedList {
  name: string;
  /** the URL of the page at `offset` of `size` results */
  url: (offset: number, size: number) => string;
  headers: () => Headers;
  offsetParam: string;
  /** the largest page it serves */
  maxPage: number;
  /** REST lowers a larger page size to its maximum (as Jira does); the internal APIs refuse it */
  lowers: boolean;
  /** the results of one answer */
  results: (body: any) => unknown[];
  /** whether the data here holds more than one page of its maximum size */
  overfull: boolean;
}

const values = (body: any) => body.values;
const LISTS: PagedList[] = [
  { name: 'REST service desks', url: (o, n) => `/s/acme/rest/servicedeskapi/servicedesk?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: true, results: values, overfull: false },
  { name: 'REST request types', url: (o, n) => `/s/acme/rest/servicedeskapi/servicedesk/HELP/requesttype?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: true, results: values, overfull: false },
  { name: 'REST service desk customers', url: (o, n) => `/s/acme/rest/servicedeskapi/servicedesk/HELP/customer?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: true, results: values, overfull: true },
  { name: 'REST participants', url: (o, n) => `/s/acme/rest/servicedeskapi/request/HELP-1/participant?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: true, results: values, overfull: true },
  { name: 'REST comments', url: (o, n) => `/s/acme/rest/servicedeskapi/request/HELP-1/comment?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: true, results: values, overfull: true },
  { name: 'REST knowledge base', url: (o, n) => `/s/acme/rest/servicedeskapi/knowledgebase/article?query=zebra&start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: true, results: values, overfull: true },
  { name: 'REST user search', url: (o, n) => `/s/acme/rest/api/3/user/search?query=zeta&startAt=${o}&maxResults=${n}`, headers: () => ada, offsetParam: 'startAt', maxPage: 1000, lowers: true, results: (b) => b, overfull: true },
  { name: 'admin audit log', url: (o, n) => `/api/admin/orgs/${orgId}/audit-log?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 200, lowers: false, results: values, overfull: true },
  { name: 'admin customers', url: (o, n) => `/api/admin/sites/acme/customers?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
  { name: 'admin outbox', url: (o, n) => `/api/orgs/${orgId}/outbox?start=${o}&limit=${n}`, headers: () => ada, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
  { name: 'agent queue', url: (o, n) => `/s/acme/api/agent/projects/HELP/queue?start=${o}&limit=${n}`, headers: () => sam.headers, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
  { name: 'agent issue search', url: (o, n) => `/s/acme/api/agent/search?jql=project%3DHELP&startAt=${o}&maxResults=${n}`, headers: () => sam.headers, offsetParam: 'startAt', maxPage: 100, lowers: false, results: (b) => b.issues, overfull: true },
  { name: 'agent project customers', url: (o, n) => `/s/acme/api/agent/projects/HELP/customers?start=${o}&limit=${n}`, headers: () => sam.headers, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
  { name: 'help-center my requests', url: (o, n) => `/s/acme/api/portal/requests?start=${o}&limit=${n}`, headers: () => alice, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
  { name: 'help-center comments', url: (o, n) => `/s/acme/api/portal/requests/HELP-1/comments?start=${o}&limit=${n}`, headers: () => alice, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
  { name: 'help-center knowledge base', url: (o, n) => `/s/acme/api/portal/kb?query=zebra&start=${o}&limit=${n}`, headers: () => alice, offsetParam: 'start', maxPage: 100, lowers: false, results: values, overfull: true },
];

const get = (url: string, headers: Headers) => t.app.inject({ method: 'GET', url, headers });

describe('offsets', () => {
  it(`P8, D4: every offset-paged list and search serves the page at offset ${MAX_OFFSET} and answers 400 naming the cap past it`, async () => {
    for (const list of LISTS) {
      const at = await get(list.url(MAX_OFFSET, 10), list.headers());
      expect(at.statusCode, `${list.name} at the cap: ${at.body}`).toBe(200);
      expect(list.results(at.json()), list.name).toEqual([]);
      const past = await get(list.url(MAX_OFFSET + 1, 10), list.headers());
      expect(past.statusCode, `${list.name} past the cap: ${past.body}`).toBe(400);
      const body = expectError(past, 400, new RegExp(`${list.offsetParam}.*${MAX_OFFSET.toLocaleString('en-US')}`));
      expect(Object.keys(body.errors), list.name).toContain(list.offsetParam);
    }
  });

  it(`P8, D4: a JQL page token for an offset past ${MAX_OFFSET} is a 400 that names the cap; at the cap the page is served`, async () => {
    const jql = 'project = HELP';
    const search = (token: string) => t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql, nextPageToken: token } });
    const at = json(await search(encodePageToken(jql, MAX_OFFSET)), 200);
    expect(at.issues).toEqual([]);
    expectError(await search(encodePageToken(jql, MAX_OFFSET + 1)), 400, new RegExp(`nextPageToken.*${MAX_OFFSET.toLocaleString('en-US')}|${MAX_OFFSET.toLocaleString('en-US')}.*nextPageToken`, 's'));
  });
});

describe('page sizes', () => {
  it('P8, D4: every list and search answers at most its page size, however many are asked for', async () => {
    for (const list of LISTS) {
      const full = await get(list.url(0, list.maxPage), list.headers());
      expect(full.statusCode, `${list.name}: ${full.body}`).toBe(200);
      const page = list.results(full.json());
      expect(page.length, list.name).toBeLessThanOrEqual(list.maxPage);
      if (list.overfull) expect(page.length, `${list.name} fills its page`).toBe(list.maxPage);
      if (list.lowers) {
        const more = await get(list.url(0, list.maxPage * 10), list.headers());
        expect(more.statusCode, `${list.name}: ${more.body}`).toBe(200);
        expect(list.results(more.json()).length, list.name).toBe(page.length);
      } else {
        expectError(await get(list.url(0, list.maxPage + 1), list.headers()), 400);
      }
    }
  });

  it('P8, D4: a JQL search answers at most 5,000 ids and keys, and at most 100 issues when it asks for other fields', async () => {
    const search = (payload: object) => t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql: 'project = HELP', ...payload } });
    const ids = json(await search({ maxResults: 5000 }), 200);
    expect(ids.issues.length).toBeGreaterThan(100);
    expect(ids.isLast).toBe(true);
    const withFields = json(await search({ maxResults: 5000, fields: ['summary'] }), 200);
    expect(withFields.issues).toHaveLength(100);
    expect(withFields.isLast).toBe(false);
    const rest = json(await search({ maxResults: 5000, fields: ['summary'], nextPageToken: withFields.nextPageToken }), 200);
    expect([...withFields.issues, ...rest.issues].map((i: { key: string }) => i.key)).toEqual(ids.issues.map((i: { key: string }) => i.key));
  });

  it('P8, D4: pickers answer at most their page size (50 in the web app and REST, 10 on the issue search page)', async () => {
    const web = json(await get('/s/acme/api/users/picker?query=zeta&limit=50', sam.headers), 200);
    expect(web.users).toHaveLength(50);
    expectError(await get('/s/acme/api/users/picker?query=zeta&limit=51', sam.headers), 400);
    const rest = json(await get('/s/acme/rest/api/3/user/picker?query=zeta&maxResults=500', ada), 200);
    expect(rest.users).toHaveLength(50);
    // REST's total counts matches up to the thousandth, as Atlassian's user searches do (docs/product.md#picker-search)
    expect(rest.total).toBe(1000);
    expect(rest.header).toBe('Showing 50 of 1000 matching users');
    const filterUsers = json(await get('/s/acme/api/agent/filter-users?query=zeta', sam.headers), 200);
    expect(filterUsers.users).toHaveLength(10);
  });
});

describe('typed search text', () => {
  it(`D2, D4: pickers, user search, customer lists, request types and the knowledge base answer 400 to an over-long query`, async () => {
    const q = encodeURIComponent('a'.repeat(SEARCH_TEXT_MAX_LENGTH + 1));
    const kb = encodeURIComponent('a '.repeat(251));
    const cases: Array<[string, () => Headers]> = [
      [`/s/acme/rest/api/3/user/search?query=${q}`, () => ada],
      [`/s/acme/rest/api/3/user/picker?query=${q}`, () => ada],
      [`/s/acme/rest/servicedeskapi/servicedesk/HELP/customer?query=${q}`, () => ada],
      [`/s/acme/rest/servicedeskapi/servicedesk/HELP/requesttype?searchQuery=${q}`, () => ada],
      [`/s/acme/rest/servicedeskapi/knowledgebase/article?query=${kb}`, () => ada],
      [`/s/acme/api/users/picker?query=${q}`, () => sam.headers],
      [`/s/acme/api/agent/filter-users?query=${q}`, () => sam.headers],
      [`/s/acme/api/agent/projects/HELP/customers?query=${q}`, () => sam.headers],
      [`/s/acme/api/portal/kb?query=${kb}`, () => alice],
      [`/api/admin/sites/acme/customers?query=${q}`, () => ada],
    ];
    for (const [url, headers] of cases) {
      const res = await get(url, headers());
      expect(res.statusCode, `${url.slice(0, 70)}: ${res.body}`).toBe(400);
      expectError(res, 400, /query|searchQuery/);
    }
  });
});

describe('bodies and bulk sizes', () => {
  it(`D4: a request body over ${BODY_LIMIT_BYTES} bytes (1 MiB) answers 413 in Atlassian's shape and changes nothing`, async () => {
    const before = await countRows();
    const big = 'x'.repeat(BODY_LIMIT_BYTES);
    const cases: Array<[string, string, () => Headers, object]> = [
      ['POST', '/s/acme/rest/api/3/search/jql', () => ada, { jql: big }],
      ['POST', '/s/acme/rest/servicedeskapi/request/HELP-1/comment', () => ada, { body: big, public: true }],
      ['POST', '/api/admin/sites/acme/customers/bulk', () => ada, { action: 'revoke', accountIds: [big] }],
      ['POST', '/s/acme/api/portal/requests/HELP-1/comments', () => alice, { body: big }],
    ];
    for (const [method, url, headers, payload] of cases) {
      const res = await t.app.inject({ method: method as 'POST', url, headers: { ...headers(), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
      expectError(res, 413, /too large/);
    }
    expect(await countRows()).toEqual(before);
  });

  it('D4: bulk sizes are capped — revoke/grant and service-desk customers 1,000 at a time, request participants 50 — one more is a 400 that changes nothing', async () => {
    const before = await countRows();
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `qm:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const cases: Array<[string, string, () => Headers, object]> = [
      ['POST', '/api/admin/sites/acme/customers/bulk', () => ada, { action: 'revoke', accountIds: ids(1001) }],
      ['POST', '/s/acme/api/agent/projects/HELP/customers', () => sam.headers, { accountIds: ids(1001) }],
      ['POST', '/s/acme/rest/servicedeskapi/servicedesk/HELP/customer', () => ada, { accountIds: ids(1001) }],
      ['DELETE', '/s/acme/rest/servicedeskapi/servicedesk/HELP/customer', () => ada, { accountIds: ids(1001) }],
      ['POST', '/s/acme/rest/servicedeskapi/request/HELP-1/participant', () => ada, { accountIds: ids(51) }],
      ['POST', '/s/acme/api/portal/requests/HELP-1/participants', () => alice, { accountIds: ids(51) }],
    ];
    for (const [method, url, headers, payload] of cases) {
      const res = await t.app.inject({ method: method as 'POST', url, headers: headers(), payload });
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBe(400);
      expectError(res, 400, /1,?000|50/);
    }
    expect(await countRows()).toEqual(before);
  });
});

describe('lists that are never paged', () => {
  it('D4: a person keeps at most 200 saved filters on a site (409 past it, nothing saved), so their list is one bounded answer', async () => {
    const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await t.db.insertInto('saved_filters').values(Array.from({ length: 200 }, (_, i) => ({ site_id: site.id, owner_id: sam.accountId, name: `Filter ${i}`, jql: 'project = HELP' }))).execute();
    const res = await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/filters', headers: sam.headers, payload: { name: 'one more', jql: 'project = HELP' } });
    expectError(res, 409, /at most 200 saved filters/);
    expect(json(await get('/s/acme/api/agent/filters', sam.headers), 200).values).toHaveLength(200);
  });
});

async function countRows() {
  const count = async (table: 'project_customers' | 'request_participants' | 'comments' | 'audit_events') =>
    (await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
  const revoked = await t.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'revoked').executeTakeFirstOrThrow();
  return {
    projectCustomers: await count('project_customers'),
    participants: await count('request_participants'),
    comments: await count('comments'),
    audit: await count('audit_events'),
    revoked: revoked.n,
  };
}
