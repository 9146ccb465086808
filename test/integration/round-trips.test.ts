import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadConfig } from '../../src/config.js';
import { loadDemoData } from '../../src/db/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { StatementLog } from '../support/statement-log.js';
import { as, loginCustomer, loginStaff } from '../support/app.js';
import { staffAuth, type Headers } from './rest-helpers.js';
import { insertWebhookSubscription } from '../../src/db/queries/webhooks.js';
import { grantRevokedCustomer } from '../../src/db/queries/customer-access.js';
import { SEARCH_TERMS_VERSION } from '../../src/domain/search-terms.js';

// docs/architecture.md, "One round trip per request": whoever calls — an API token (Basic or
// Bearer), a staff session, a customer session, nobody — the server learns the caller, the
// account's status and a staff account's roles in ONE statement before the handler runs (the site of
// the URL from the instance's site cache, read at most once a second), and that statement writes
// nothing when the session or token was used in the last minute.

let database: TestDatabase;
let app: App;
const log = new StatementLog();
/** statements logged when the counted request started, and before its handler ran */
let startedAt = 0;
let counted: number | undefined;

beforeAll(async () => {
  database = await createTestDatabase(undefined, { demo: true });
  if (!database.hasDemo) await loadDemoData(database.db);
  const config = { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent' as const };
  // The site cache's clock stands still here, so that counting statements does not depend on how
  // fast the tests run (a site is read again once its second has passed: tested below on its own app).
  const db = database.db.withPlugin(log);
  app = await buildApp({ db, mailer: createOutboxMailer(), config }, { siteCacheClock: () => 0 });
  app.addHook('preHandler', async (request) => {
    if (request.headers['x-count'] === '1') counted = log.entries.length - startedAt;
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** Sends a request and answers how many statements ran before its handler. */
async function statementsBeforeHandler(url: string, headers: Headers): Promise<{ status: number; count: number }> {
  counted = undefined;
  startedAt = log.entries.length; // requests here run one at a time
  const res = await app.inject({ method: 'GET', url, headers: { ...headers, 'x-count': '1' } });
  if (counted === undefined) throw new Error(`the handler of ${url} never ran (${res.statusCode} ${res.body})`);
  return { status: res.statusCode, count: counted };
}

describe('one database round trip before the handler', () => {
  it('an API token (Basic and Bearer), a staff session and a customer session each cost one statement; an anonymous caller none', async () => {
    const ways: Array<[string, string, Headers, number?, number?]> = [
      ['Basic token', '/s/acme/rest/api/3/myself', await staffAuth({ db: database.db } as never, 'admin@acme.test')],
      ['Bearer token', '/s/acme/rest/api/3/myself', await staffAuth({ db: database.db } as never, 'agent@acme.test', 'bearer')],
      ['staff session', '/s/acme/api/agent/projects/HELP/queue', as(await loginStaff(app, 'agent@acme.test'))],
      ['customer session', '/s/acme/api/portal/session', as(await loginCustomer(app, 'acme', 'alice@customer.test'))],
      ['nobody', '/s/acme/api/portal/session', {}, 401, 0], // the handler answers: nobody is signed in
    ];
    for (const [who, url, headers, expected = 200, statements = 1] of ways) {
      // the first request of a credential may record its use; the second must be one plain read
      await statementsBeforeHandler(url, headers);
      const { status, count } = await statementsBeforeHandler(url, headers);
      expect(status, `${who}: ${url}`).toBe(expected);
      expect(count, `${who}: statements before the handler`).toBe(statements);
    }
  });
});

describe('myself reads nothing twice', () => {
  it('GET …/myself as an org admin and as a customer is the one caller statement in all; an agent adds only its projects', async () => {
    const cases: Array<[string, Headers, number, RegExp]> = [
      ['org admin (token)', await staffAuth({ db: database.db } as never, 'admin@acme.test'), 1, /^admin@acme\.test$/],
      ['customer (session)', as(await loginCustomer(app, 'acme', 'alice@customer.test')), 1, /^alice@customer\.test$/],
      ['agent (token)', await staffAuth({ db: database.db } as never, 'agent@acme.test'), 2, /^agent@acme\.test$/],
    ];
    for (const [who, headers, statements, email] of cases) {
      await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers }); // a first use may record it
      const from = log.entries.length;
      const res = await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers });
      expect(res.statusCode, who).toBe(200);
      expect(res.json().emailAddress, who).toMatch(email);
      expect(res.json().active, who).toBe(true);
      expect(log.entries.length - from, `${who}: ${JSON.stringify(log.entries.slice(from))}`).toBe(statements);
    }
  });
});

describe('a user picker search is one statement after the caller', () => {
  it('REST user/picker and user/search, and the web picker, as an org admin, an agent and a customer: the caller, then the picker', async () => {
    const cases: Array<[string, Headers, string, RegExp]> = [
      ['org admin (token), user/picker', await staffAuth({ db: database.db } as never, 'admin@acme.test'), '/s/acme/rest/api/3/user/picker?query=ali', /"displayName":"Alice/],
      ['agent (token), user/picker', await staffAuth({ db: database.db } as never, 'agent@acme.test'), '/s/acme/rest/api/3/user/picker?query=sam', /"displayName":"Sam Agent"/],
      ['agent (token), user/search', await staffAuth({ db: database.db } as never, 'agent@acme.test'), '/s/acme/rest/api/3/user/search?query=bob', /"displayName":"Bob/],
      // a customer's REST picker finds only the customer (docs/product.md: customers find others only in a request's circle)
      ['customer (session), user/picker', as(await loginCustomer(app, 'acme', 'alice@customer.test')), '/s/acme/rest/api/3/user/picker?query=ali', /"displayName":"Alice/],
      ['agent (session), web picker', as(await loginStaff(app, 'agent@acme.test')), '/s/acme/api/users/picker?query=ali&fieldKey=reporter', /Alice/],
    ];
    for (const [who, headers, url, found] of cases) {
      await app.inject({ method: 'GET', url, headers }); // a first use may record it
      const from = log.entries.length;
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      expect(res.body, who).toMatch(found);
      expect(log.entries.length - from, `${who}: ${JSON.stringify(log.entries.slice(from))}`).toBe(2);
    }
  });
});

describe('a JQL search reads nothing twice, and only what it presents', () => {
  /** One search as Ada (API token); its answer and how many of its statements named each table. */
  async function search(jql: string, fields: string[]) {
    const headers = await staffAuth({ db: database.db } as never, 'admin@acme.test');
    await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers }); // a first use may record it
    const from = log.entries.length;
    const res = await app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers, payload: { jql, fields } });
    expect(res.statusCode, res.body).toBe(200);
    const read = (table: string) => log.entries.slice(from).filter((e) => e.tables.includes(table)).length;
    return {
      issues: res.json().issues as Array<{ fields: Record<string, unknown> }>,
      customFields: read('custom_fields'),
      participants: read('request_participants'),
      values: read('request_user_values'),
      statements: log.entries.length - from,
      reporters: (res.json().issues as Array<{ fields: { reporter?: { emailAddress?: string } } }>).map((i) => i.fields.reporter?.emailAddress),
    };
  }

  it("POST …/search/jql reads the site's custom fields once: the search binds the query with them and the page is presented with the same", async () => {
    const found = await search('"Affected user" IS NOT EMPTY OR reporter = "alice@customer.test"', ['summary', 'customfield_10001']);
    expect(found.issues.length).toBeGreaterThan(0);
    expect(found.customFields).toBe(1);
  });

  it("the reporter of each issue comes with its row: a search by email is the caller, the custom fields with the people named, and the page (its ids and their rows in one statement)", async () => {
    // an email this file searches for nowhere else, so that this instance has not kept its look-up
    const found = await search('reporter = "ALICE@customer.test"', ['summary', 'reporter']);
    expect(found.issues.length).toBeGreaterThan(0);
    expect(new Set(found.reporters)).toEqual(new Set(['alice@customer.test']));
    // caller, custom_fields with the accounts the query names (one statement), the page's rows with their reporters
    expect(found.statements).toBe(3);
    // the same search again: the caller, and the page with the kept look-up's version (docs/architecture.md, "Kept look-ups")
    const again = await search('reporter = "ALICE@customer.test"', ['summary', 'reporter']);
    expect(again.reporters).toEqual(found.reporters);
    expect(again.statements).toBe(2);
  });

  it('participants and user-picker values are read only when their fields are asked for', async () => {
    const plain = await search('key = HELP-1', ['summary', 'reporter']);
    expect(plain.issues[0].fields.summary).toBeTruthy();
    expect(plain).toMatchObject({ participants: 0, values: 0 });
    // asked for by id and by a custom field's name: both are read and presented
    const full = await search('key = HELP-1', ['summary', 'participants', 'Affected user']);
    expect(full).toMatchObject({ participants: 1, values: 1 });
    expect(full.issues[0].fields.participants).toEqual(expect.any(Array));
    expect(Object.keys(full.issues[0].fields).some((k) => k.startsWith('customfield_'))).toBe(true);
  });
});

describe('the site of the URL is read at most once a second, and never again in the use case', () => {
  const siteReads = (from: number) =>
    log.entries.slice(from).filter((e) => e.kind === 'SelectQueryNode' && e.tables.includes('sites') && e.tables.includes('organizations')).length;

  it("the admin console's customer list reads its site from the instance's site cache, not in the use case", async () => {
    const ada = as(await loginStaff(app, 'admin@acme.test'));
    const from = log.entries.length;
    expect((await app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers', headers: ada })).statusCode).toBe(200);
    expect(siteReads(from)).toBeLessThanOrEqual(1); // read if no request of this app had read it yet
    const again = log.entries.length;
    const res = await app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers', headers: ada });
    expect(res.statusCode).toBe(200);
    expect(siteReads(again)).toBe(0);
    // and an unknown site is still a 404
    expect((await app.inject({ method: 'GET', url: '/api/admin/sites/nosuchsite/customers', headers: ada })).statusCode).toBe(404);
  });

  it('a site changed in the database is seen within a second; a switch of experience made here is seen at once', async () => {
    // an app of its own, with the site cache as the server has it (the real clock)
    const config = { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent' as const };
    const live = await buildApp({ db: database.db, mailer: createOutboxMailer(), config });
    onTestFinished(() => live.close());
    const ada = as(await loginStaff(live, 'admin@acme.test'));
    const adminSite = async () => (await live.inject({ method: 'GET', url: '/api/admin/sites/acme', headers: ada })).json() as { name: string; org: { id: string; userManagement: string } };
    const name = async () => (await adminSite()).name;
    const before = await name();
    expect(before).toBeTruthy();
    // another instance (here: SQL) renames the site
    await database.db.updateTable('sites').set({ name: 'Acme Renamed' }).where('slug', '=', 'acme').execute();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await name()).toBe('Acme Renamed');
    } finally {
      await database.db.updateTable('sites').set({ name: before }).where('slug', '=', 'acme').execute();
    }
    // the org admin switches the experience on this instance: the site's next answer shows it
    const { org } = await adminSite();
    const [orgId, current] = [org.id, org.userManagement];
    const other = current === 'original' ? 'centralized' : 'original';
    expect((await live.inject({ method: 'PUT', url: `/api/admin/orgs/${orgId}/settings`, headers: ada, payload: { userManagement: other } })).statusCode).toBe(200);
    try {
      expect((await adminSite()).org.userManagement).toBe(other);
    } finally {
      await live.inject({ method: 'PUT', url: `/api/admin/orgs/${orgId}/settings`, headers: ada, payload: { userManagement: current } });
    }
  });
});

describe('no write on the hot path', () => {
  it("a token's last use is written at most once a minute", async () => {
    const headers = await staffAuth({ db: database.db } as never, 'admin@acme.test');
    const tokenId = (await database.db.selectFrom('api_tokens').select(['id', 'last_used_at']).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    const lastUsed = async () =>
      (await database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', tokenId).executeTakeFirstOrThrow()).last_used_at;

    expect(await lastUsed()).toBeNull();
    expect((await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers })).statusCode).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();

    // 30 seconds ago: not due, so the next use writes nothing
    await sql`UPDATE api_tokens SET last_used_at = now() - interval '30 seconds' WHERE id = ${tokenId}`.execute(database.db);
    const recent = await lastUsed();
    expect((await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers })).statusCode).toBe(200);
    expect((await lastUsed())!.getTime()).toBe(recent!.getTime());

    // two minutes ago: due, so it is written again
    await sql`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = ${tokenId}`.execute(database.db);
    const old = await lastUsed();
    expect((await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers })).statusCode).toBe(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(old!.getTime());
  });

  it("a session slides, and the account's last activity is written, at most once a minute", async () => {
    const session = await loginCustomer(app, 'acme', 'bob@customer.test');
    const state = async () =>
      await database.db
        .selectFrom('sessions as s')
        .innerJoin('accounts as a', 'a.account_id', 's.account_id')
        .select(['s.last_seen_at', 's.idle_expires_at', 'a.last_active_at'])
        .where('s.account_id', '=', session.accountId)
        .orderBy('s.created_at', 'desc')
        .executeTakeFirstOrThrow();
    const url = '/s/acme/api/portal/session';

    await sql`UPDATE sessions SET last_seen_at = now() - interval '30 seconds', idle_expires_at = now() + interval '10 minutes' WHERE account_id = ${session.accountId}`.execute(database.db);
    await sql`UPDATE accounts SET last_active_at = now() - interval '30 seconds' WHERE account_id = ${session.accountId}`.execute(database.db);
    const before = await state();
    expect((await app.inject({ method: 'GET', url, headers: as(session) })).statusCode).toBe(200);
    const unchanged = await state();
    expect(unchanged.last_seen_at.getTime()).toBe(before.last_seen_at.getTime());
    expect(unchanged.idle_expires_at.getTime()).toBe(before.idle_expires_at.getTime());
    expect(unchanged.last_active_at!.getTime()).toBe(before.last_active_at!.getTime());

    await sql`UPDATE sessions SET last_seen_at = now() - interval '2 minutes', idle_expires_at = now() + interval '10 minutes' WHERE account_id = ${session.accountId}`.execute(database.db);
    const due = await state();
    expect((await app.inject({ method: 'GET', url, headers: as(session) })).statusCode).toBe(200);
    const slid = await state();
    expect(slid.last_seen_at.getTime()).toBeGreaterThan(due.last_seen_at.getTime());
    expect(slid.idle_expires_at.getTime()).toBeGreaterThan(due.idle_expires_at.getTime());
    expect(slid.last_active_at!.getTime()).toBeGreaterThan(due.last_active_at!.getTime());
  });
});

describe('nothing about the caller is cached', () => {
  it("M2: a staff role taken away is felt on the very next request, and given back on the next", async () => {
    const sam = as(await loginStaff(app, 'agent@acme.test'));
    const queue = () => app.inject({ method: 'GET', url: '/s/acme/api/agent/projects/HELP/queue', headers: sam });
    expect((await queue()).statusCode).toBe(200);
    const removed = await database.db
      .deleteFrom('project_agents')
      .where('account_id', '=', (await database.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'agent@acme.test').executeTakeFirstOrThrow()).account_id)
      .returningAll()
      .execute();
    expect(removed.length).toBeGreaterThan(0);
    expect((await queue()).statusCode).not.toBe(200);
    await database.db.insertInto('project_agents').values(removed).execute();
    expect((await queue()).statusCode).toBe(200);
  });
});

describe('a revoke and a grant write in one statement', () => {
  const headersOf = async () => {
    const headers = await staffAuth({ db: database.db } as never, 'admin@acme.test');
    await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers }); // a first use may record it
    return headers;
  };
  const accountOf = async (email: string) =>
    (await database.db.selectFrom('accounts').select(['account_id', 'site_id']).where('email_lower', '=', email).executeTakeFirstOrThrow());
  const audited = async (accountId: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_events WHERE target_id = ${accountId}`.execute(database.db)).rows[0].n);
  /** one revoke or grant over REST: its status, and the tables each of its statements named */
  const change = async (headers: Headers, accountId: string, verb: 'revoke' | 'grant') => {
    const { result: res, ran } = await log.during(() =>
      app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/customer/user/${accountId}/${verb}-portal-only-access`, headers }),
    );
    expect(res.statusCode, res.body).toBe(204);
    return ran.map((e) => e.tables);
  };
  const writes = ['account_search_terms', 'accounts', 'audit_events', 'dormant_search_terms', 'one_time_tokens', 'sessions', 'webhook_subscriptions'];

  const termsOf = async (accountId: string) =>
    (await database.db.selectFrom('account_search_terms').select(['site_id', 'term', 'sort_name', 'words']).where('account_id', '=', accountId).orderBy('term').execute());

  const dormantOf = async (accountId: string) =>
    database.db.selectFrom('dormant_search_terms').selectAll().where('account_id', '=', accountId).executeTakeFirst();

  it("a revoke is ONE statement after the caller: her status, sessions, tokens, picker terms (kept aside) and audit event; so is a grant, her terms put back from what the revoke kept", async () => {
    const headers = await headersOf();
    const bob = await accountOf('bob@customer.test');
    const termsBefore = await termsOf(bob.account_id);
    expect(termsBefore.length).toBeGreaterThan(0);
    // the revoke: the caller, then one statement that writes everything (no lock, no transaction)
    let before = await audited(bob.account_id);
    const revoke = await change(headers, bob.account_id, 'revoke');
    expect(revoke.length, JSON.stringify(revoke)).toBe(2);
    expect(revoke[1]).toEqual(expect.arrayContaining(writes));
    expect(await audited(bob.account_id), 'revoke: one audit event').toBe(before + 1);
    const revoked = await database.db.selectFrom('accounts').select('status').where('account_id', '=', bob.account_id).executeTakeFirstOrThrow();
    expect(revoked.status).toBe('revoked');
    const terms = await database.db.selectFrom('account_search_terms').select('term').where('account_id', '=', bob.account_id).execute();
    expect(terms).toEqual([]);
    // out of every picker, kept aside with what they were made from
    const kept = await dormantOf(bob.account_id);
    expect(kept).toMatchObject({ site_id: bob.site_id, display_name: 'Bob Builder', email: 'bob@customer.test', made_by: SEARCH_TERMS_VERSION });
    expect(kept!.terms).toEqual(termsBefore.map((t) => t.term));
    // the grant: the caller, then one statement that writes everything and puts her terms back
    before = await audited(bob.account_id);
    const grant = await change(headers, bob.account_id, 'grant');
    expect(grant.length, JSON.stringify(grant)).toBe(2);
    expect(grant[1]).toEqual(expect.arrayContaining(writes));
    expect(await audited(bob.account_id), 'grant: one audit event').toBe(before + 1);
    expect(await dormantOf(bob.account_id), 'the kept copy is gone with the grant').toBeUndefined();
    // her picker terms are back as they were, and the picker finds her
    expect(await termsOf(bob.account_id)).toEqual(termsBefore);
    const found = await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/user/picker?query=bob', headers });
    expect(found.json().users.map((u: { accountId: string }) => u.accountId)).toContain(bob.account_id);
  });

  it('a grant whose kept terms are not hers as she is (renamed while revoked, made by another version, never kept), or who somehow has picker terms, changes nothing in one statement and takes the locked path', async () => {
    const headers = await headersOf();
    const bob = await accountOf('bob@customer.test');
    const termsBefore = await termsOf(bob.account_id);
    const site = await database.db.selectFrom('sites').select('org_id').where('id', '=', bob.site_id!).executeTakeFirstOrThrow();
    const audit = { action: 'customer.access.granted', orgId: site.org_id, siteId: bob.site_id, actorId: null, targetId: bob.account_id, ip: null, userAgent: null };
    const grantInOne = () => grantRevokedCustomer(database.db, { siteId: bob.site_id!, accountId: bob.account_id, now: new Date(), audit, orgId: site.org_id, event: 'customer.access.granted' });
    const statusOf = async () => (await database.db.selectFrom('accounts').select('status').where('account_id', '=', bob.account_id).executeTakeFirstOrThrow()).status;

    await change(headers, bob.account_id, 'revoke');
    // a stray term row of hers (no code writes one for a revoked customer): the locked path replaces it
    await database.db.insertInto('account_search_terms').values({ site_id: bob.site_id!, term: 'stray', account_id: bob.account_id, sort_name: 'stray', words: '\nstray' }).execute();
    const before = await audited(bob.account_id);
    const grant = await change(headers, bob.account_id, 'grant');
    // the caller, the statement that changed nothing, then the lock, the writes and the terms
    expect(grant.length, JSON.stringify(grant)).toBe(5);
    expect(await audited(bob.account_id)).toBe(before + 1);
    expect(await termsOf(bob.account_id)).toEqual(termsBefore);
    expect(await dormantOf(bob.account_id), 'the locked grant takes the kept copy out too').toBeUndefined();

    // renamed while revoked, by any writer: the database drops the kept copy, and the statement leaves her as she is
    await change(headers, bob.account_id, 'revoke');
    expect(await dormantOf(bob.account_id)).toBeDefined();
    await database.db.updateTable('accounts').set({ display_name: 'Robert Renamed' }).where('account_id', '=', bob.account_id).execute();
    expect(await dormantOf(bob.account_id), 'a rename drops the kept terms').toBeUndefined();
    expect(await grantInOne()).toBeUndefined();
    expect(await statusOf()).toBe('revoked');
    expect(await termsOf(bob.account_id)).toEqual([]);
    // the grant over REST takes the locked path, and her terms are made from the name she has now
    expect((await change(headers, bob.account_id, 'grant')).length).toBe(5);
    expect((await termsOf(bob.account_id)).map((t) => t.term)).toEqual(expect.arrayContaining(['renamed', 'robert']));
    const picked = await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/user/picker?query=robert', headers });
    expect(picked.json().users.map((u: { accountId: string }) => u.accountId)).toContain(bob.account_id);

    // kept by another version of the making of terms: not put back
    await database.db.updateTable('accounts').set({ display_name: 'Bob Builder' }).where('account_id', '=', bob.account_id).execute();
    await change(headers, bob.account_id, 'revoke');
    await database.db.updateTable('dormant_search_terms').set({ made_by: SEARCH_TERMS_VERSION + 1 }).where('account_id', '=', bob.account_id).execute();
    expect(await grantInOne()).toBeUndefined();
    expect(await statusOf()).toBe('revoked');
    // nothing kept at all (revoked before the terms were kept): the same
    await database.db.deleteFrom('dormant_search_terms').where('account_id', '=', bob.account_id).execute();
    expect(await grantInOne()).toBeUndefined();
    expect(await statusOf()).toBe('revoked');
    expect((await change(headers, bob.account_id, 'grant')).length).toBe(5);
    expect(await termsOf(bob.account_id)).toEqual(termsBefore);

    // and a revoke and grant after all that are one statement each again, her terms as they were
    await change(headers, bob.account_id, 'revoke');
    expect((await change(headers, bob.account_id, 'grant')).length).toBe(2);
    expect(await termsOf(bob.account_id)).toEqual(termsBefore);
  });

  it('a deleted (erased) revoked customer leaves no kept copy of her terms: name, email and terms are gone', async () => {
    const headers = await headersOf();
    const made = await app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/customer', headers, payload: { displayName: 'Dora Dormant', email: 'dora.dormant@customer.test' } });
    expect(made.statusCode, made.body).toBe(201);
    const dora = made.json().accountId as string;
    await change(headers, dora, 'revoke');
    expect((await dormantOf(dora))?.terms).toEqual(expect.arrayContaining(['dora', 'dormant', 'dora.dormant@customer.test']));
    const ada = await loginStaff(app, 'admin@acme.test');
    expect((await app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${dora}`, headers: as(ada) })).statusCode).toBe(204);
    expect(await dormantOf(dora)).toBeUndefined();
    const left = await sql<{ n: string }>`SELECT count(*) AS n FROM dormant_search_terms WHERE 'dora' = ANY (terms) OR email = 'dora.dormant@customer.test'`.execute(database.db);
    expect(Number(left.rows[0].n)).toBe(0);
  });

  it('revoking a revoked customer changes nothing and writes no event: the one statement finds no active customer, the locked path answers as before', async () => {
    const headers = await headersOf();
    const bob = await accountOf('bob@customer.test');
    await change(headers, bob.account_id, 'revoke');
    const before = await audited(bob.account_id);
    const again = await change(headers, bob.account_id, 'revoke');
    // the caller, the statement that changed nothing, then the lock that finds her revoked already
    expect(again.length, JSON.stringify(again)).toBe(3);
    expect(again[2]).toEqual(['accounts']);
    expect(await audited(bob.account_id), 'no event for a revoke that changed nothing').toBe(before);
    await change(headers, bob.account_id, 'grant');
  });

  it("when an organization's webhook wants the revoke, the one statement changes nothing and the locked path writes the change with its delivery", async () => {
    const headers = await headersOf();
    const bob = await accountOf('bob@customer.test');
    const site = await database.db.selectFrom('sites').select('org_id').where('id', '=', bob.site_id!).executeTakeFirstOrThrow();
    const admin = await accountOf('admin@acme.test');
    const id = crypto.randomUUID();
    await insertWebhookSubscription(database.db, { id, orgId: site.org_id, url: 'http://127.0.0.1:9/hook', description: 'round trips', events: ['customer.access.revoked'], secretSealed: 'x', createdBy: admin.account_id });
    try {
      const before = await audited(bob.account_id);
      const revoke = await change(headers, bob.account_id, 'revoke');
      // the caller, the statement that left her alone, the lock, the writes, the delivery (and its job)
      expect(revoke.length, JSON.stringify(revoke)).toBeGreaterThanOrEqual(5);
      expect(revoke[2]).toEqual(['accounts']);
      expect(revoke[3]).toEqual(expect.arrayContaining(writes));
      expect(await audited(bob.account_id), 'one audit event').toBe(before + 1);
      const delivered = await database.db.selectFrom('webhook_deliveries').select('event_type').where('subscription_id', '=', id).execute();
      expect(delivered).toEqual([{ event_type: 'customer.access.revoked' }]);
      // a grant that no webhook wants is the one statement after the caller
      const grant = await change(headers, bob.account_id, 'grant');
      expect(grant.length, JSON.stringify(grant)).toBe(2);
      await database.db.updateTable('webhook_subscriptions').set({ events: JSON.stringify(['customer.access.granted']) }).where('id', '=', id).execute();
      await change(headers, bob.account_id, 'revoke');
      // one that a webhook wants is written with its delivery by the locked path
      const wanted = await change(headers, bob.account_id, 'grant');
      expect(wanted.length, JSON.stringify(wanted)).toBeGreaterThanOrEqual(5);
      expect(wanted[1]).toEqual(expect.arrayContaining(['accounts', 'dormant_search_terms']));
      expect(wanted[2]).toEqual(['accounts']);
      const granted = await database.db.selectFrom('webhook_deliveries').select('event_type').where('subscription_id', '=', id).where('event_type', '=', 'customer.access.granted').execute();
      expect(granted).toHaveLength(1);
    } finally {
      await database.db.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
    }
  });
});
