import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginStaff, loginCustomer, as, accountIdOf, type TestApp, type Session } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { searchUsersForPicker } from '../../src/db/queries/user-picker.js';
import { factories } from '../support/factories.js';

// Every consequence of docs/product.md#revoke-and-grant (all five), shown through the surfaces
// other engineers built: help-center API, the web picker, REST user/picker, user/search, user, JQL
// search and saved filters — first while Alice is active (so each assertion can fail), then after
// Ada revokes her, then after Ada grants her back.

let t: TestApp;
let ada: Session;
let sam: Session;
let bob: Session;
let adaToken: string;
let alice: string;
let globexAlice: string;
let acmeSiteId: string;
let helpProjectId: string;
let getItHelpId: string;
let affectedField: string;
let articleId: string;

const revoke = () => t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${alice}/revoke`, headers: as(ada) });
const grant = () => t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${alice}/grant`, headers: as(ada) });
const bearer = () => ({ authorization: `Bearer ${adaToken}` });

const portalLogin = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email, password } });
const outboxCount = async () => Number((await t.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

async function webPicker(who: Session, query: string, fieldKey: string) {
  const r = await t.app.inject({ method: 'GET', url: `/s/acme/api/users/picker?query=${encodeURIComponent(query)}&fieldKey=${fieldKey}&projectId=${helpProjectId}`, headers: as(who) });
  expect(r.statusCode).toBe(200);
  return r.json().users.map((u: any) => u.accountId) as string[];
}
async function restPicker(query: string) {
  const r = await t.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/user/picker?query=${encodeURIComponent(query)}`, headers: bearer() });
  expect(r.statusCode).toBe(200);
  return r.json().users.map((u: any) => u.accountId) as string[];
}
async function restUserSearch(query: string) {
  const r = await t.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/user/search?query=${encodeURIComponent(query)}`, headers: bearer() });
  expect(r.statusCode).toBe(200);
  return r.json().map((u: any) => u.accountId) as string[];
}
/** A JQL search that must be answered (any other status, a 500 included, fails the test). */
async function jql(query: string): Promise<{ status: number; keys: string[] }> {
  const r = await t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: bearer(), payload: { jql: query, fields: ['summary'], maxResults: 50 } });
  expect(r.statusCode, `${query}: ${r.body}`).toBe(200);
  return { status: r.statusCode, keys: r.json().issues.map((i: any) => i.key).sort() };
}
/** A JQL search that must be refused with 400 and Atlassian's error shape; returns the messages. */
async function jqlRefused(query: string): Promise<string[]> {
  const r = await t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: bearer(), payload: { jql: query, fields: ['summary'], maxResults: 50 } });
  expect(r.statusCode, `${query}: ${r.body}`).toBe(400);
  expect(r.json()).toMatchObject({ errorMessages: [expect.any(String)] });
  return r.json().errorMessages;
}
async function requestView(key: string, who: Session = ada) {
  const r = await t.app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${key}`, headers: as(who) });
  expect(r.statusCode).toBe(200);
  return r.json();
}
const labelsIn = (view: any) => ({
  reporter: view.reporter.label as string,
  participants: view.participants.map((p: any) => p.label) as string[],
  fields: Object.fromEntries(view.fields.map((f: any) => [f.label, f.values.map((v: any) => v.label)])) as Record<string, string[]>,
});

async function referenceSnapshot() {
  const [reporters, participants, values, comments, projectCustomers, filters] = await Promise.all([
    t.db.selectFrom('requests').select(['id', 'reporter_id']).orderBy('id').execute(),
    t.db.selectFrom('request_participants').select(['request_id', 'account_id', 'added_at']).orderBy('request_id').orderBy('account_id').execute(),
    t.db.selectFrom('request_user_values').select(['request_id', 'custom_field_id', 'account_id', 'position']).orderBy('request_id').orderBy('custom_field_id').orderBy('account_id').execute(),
    t.db.selectFrom('comments').select(['id', 'author_id']).orderBy('id').execute(),
    t.db.selectFrom('project_customers').select(['project_id', 'account_id', 'added_at']).orderBy('project_id').orderBy('account_id').execute(),
    t.db.selectFrom('saved_filters').select(['id', 'jql']).orderBy('id').execute(),
  ]);
  return JSON.parse(JSON.stringify({ reporters, participants, values, comments, projectCustomers, filters }));
}

beforeAll(async () => {
  t = await createTestApp();
  [ada, sam, bob] = await Promise.all([
    loginStaff(t.app, 'admin@acme.test'),
    loginStaff(t.app, 'agent@acme.test'),
    loginCustomer(t.app, 'acme', 'bob@customer.test'),
  ]);
  const tok = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: as(ada), payload: { label: 'consequences' } });
  adaToken = tok.json().token;
  alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  globexAlice = await accountIdOf(t.db, 'alice@customer.test', 'globex');
  acmeSiteId = (await findSiteBySlug(t.db, 'acme'))!.id;
  helpProjectId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  articleId = String((await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Reset your VPN password').executeTakeFirstOrThrow()).id);
  affectedField = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').where('site_id', '=', acmeSiteId).executeTakeFirstOrThrow()).id}`;
});
afterAll(() => t?.close());

describe('revoke: every consequence, and grant: every reversal', () => {
  let before: Awaited<ReturnType<typeof referenceSnapshot>>;
  let aliceA: Session;
  let aliceB: Session;
  let savedFilterJql: string;
  let resetOutbox: number;

  it('while active: Alice is everywhere she should be (so the checks below can fail)', async () => {
    [aliceA, aliceB] = [await loginCustomer(t.app, 'acme', 'alice@customer.test'), await loginCustomer(t.app, 'acme', 'alice@customer.test')];
    for (const s of [aliceA, aliceB]) expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(s) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/s/acme/api/portal/kb/${articleId}`, headers: as(aliceA) })).statusCode).toBe(200);
    expect((await searchUsersForPicker(t.db, { siteId: acmeSiteId, query: 'alice', audience: 'customers' })).users.map((u) => u.accountId)).toEqual([alice]);
    expect(await webPicker(bob, 'alice', affectedField)).toEqual([alice]);
    expect(await webPicker(sam, 'alice', 'participants')).toContain(alice);
    expect(await restPicker('alice')).toContain(alice);
    expect(await restUserSearch('alice')).toContain(alice);
    expect(labelsIn(await requestView('HELP-1')).reporter).toBe('Alice Example');
    expect((await jql('reporter = "Alice Example"')).keys).toEqual(['HELP-1']);
    expect((await jql('reporter = "alice@customer.test"')).keys).toEqual(['HELP-1']);

    // a filter saved by accountId before the revoke
    savedFilterJql = `reporter = "${alice}" OR participant = "${alice}" ORDER BY key ASC`;
    const saved = await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/filters', headers: as(sam), payload: { name: "Alice's requests", jql: savedFilterJql } });
    expect(saved.statusCode).toBeLessThan(300);
    expect((await jql(savedFilterJql)).keys).toEqual(['HELP-1', 'HELP-2']);

    // an outstanding password-reset link (it must die with the revoke)
    resetOutbox = await outboxCount();
    const reset = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', payload: { email: 'alice@customer.test' } });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    expect(reset.statusCode).toBe(202);
    expect(await outboxCount()).toBe(resetOutbox + 1);
    before = await referenceSnapshot();
  });

  it('1. lockout at once: both sessions and in-flight requests end, login fails exactly like a wrong password, reset sends nothing', async () => {
    // requests in flight while the revoke runs: each either completed before it or is refused
    const inFlight = Array.from({ length: 6 }, (_, i) => t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(i % 2 ? aliceA : aliceB) }));
    const r = await revoke();
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ changed: true, customer: { label: 'Alice Example (Deactivated)', status: 'revoked' } });
    for (const res of await Promise.all(inFlight)) expect([200, 401]).toContain(res.statusCode);

    // every request after the revoke returns is refused, on both sessions, reading or writing
    for (const s of [aliceA, aliceB]) {
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(s) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(s) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests/HELP-1', headers: as(s) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/portals', headers: as(s) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: `/s/acme/api/portal/kb/${articleId}`, headers: as(s) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/kb?query=vpn', headers: as(s) })).statusCode).toBe(401);
      const raise = await t.app.inject({
        method: 'POST', url: '/s/acme/api/portal/requests', headers: as(s),
        payload: { projectId: helpProjectId, requestTypeId: getItHelpId, fields: { summary: 'still here?' } },
      });
      expect(raise.statusCode).toBe(401);
    }
    expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'still here?').execute()).toEqual([]);
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', alice).execute()).toEqual([]);

    // login with the right password answers byte for byte like a wrong one
    const right = await portalLogin('alice@customer.test', 'portico-demo');
    const wrong = await portalLogin('bob@customer.test', 'not-the-password');
    expect(right.statusCode).toBe(401);
    expect(right.body).toBe(wrong.body);
    expect(right.headers['content-type']).toBe(wrong.headers['content-type']);
    expect(right.headers['set-cookie']).toBeUndefined();
    expect(right.json().errorMessages).toEqual(['Incorrect email or password.']);

    // the outstanding reset link is dead, and a new reset request sends nothing
    const tokens = await t.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', alice).execute();
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((tk) => tk.invalidated_at !== null || tk.used_at !== null)).toBe(true);
    const outboxBefore = await outboxCount();
    const reset = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', payload: { email: 'alice@customer.test' } });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    const unknown = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', payload: { email: 'nobody@customer.test' } });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    expect(reset.statusCode).toBe(202);
    expect(reset.body).toBe(unknown.body);
    expect(await outboxCount()).toBe(outboxBefore);
  });

  it('2. pickers: no picker offers her, and picking her by id is refused with 400', async () => {
    expect((await searchUsersForPicker(t.db, { siteId: acmeSiteId, query: 'alice', audience: 'anyone' })).users).toEqual([]);
    expect((await searchUsersForPicker(t.db, { siteId: acmeSiteId, query: 'alice@customer.test', audience: 'customers' })).users).toEqual([]);
    expect(await webPicker(bob, 'alice', affectedField)).toEqual([]);
    expect(await webPicker(bob, 'Alice Example', affectedField)).toEqual([]);
    expect(await webPicker(sam, 'alice', 'participants')).toEqual([]);
    expect(await webPicker(sam, 'alice', 'reporter')).toEqual([]);
    expect(await restPicker('alice')).toEqual([]);
    expect(await restPicker('alice@customer.test')).toEqual([]);
    expect(await restUserSearch('alice')).toEqual([]);

    const count = Number((await t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    for (const payload of [
      { projectId: helpProjectId, requestTypeId: getItHelpId, fields: { summary: 'Pick Alice', [affectedField]: alice } },
      { projectId: helpProjectId, requestTypeId: getItHelpId, fields: { summary: 'Share with Alice' }, participants: [alice] },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/requests', headers: as(bob), payload });
      expect(r.statusCode).toBe(400);
      expect(r.json().errorMessages[0]).toMatch(/deactivated|cannot be selected/i);
    }
    const share = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-3/participants', headers: as(ada), payload: { accountIds: [alice] } });
    expect(share.statusCode).toBe(400);
    expect(Number((await t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBe(count);
  });

  it('3. labels: "Alice Example (Deactivated)" as reporter, participant and Affected user; REST keeps the name with active:false', async () => {
    const help1 = labelsIn(await requestView('HELP-1'));
    expect(help1.reporter).toBe('Alice Example (Deactivated)');
    const help2 = labelsIn(await requestView('HELP-2'));
    expect(help2.participants).toContain('Alice Example (Deactivated)');
    expect(help2.fields['Affected user']).toEqual(['Alice Example (Deactivated)']);
    const help3 = labelsIn(await requestView('HELP-3'));
    expect(help3.fields['Approver']).toEqual(['Alice Example (Deactivated)']);
    // Bob, who shares HELP-1 and HELP-2 with her, sees the same
    expect(labelsIn(await requestView('HELP-2', bob)).participants).toContain('Alice Example (Deactivated)');

    const user = await t.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/user?accountId=${encodeURIComponent(alice)}`, headers: bearer() });
    expect(user.statusCode).toBe(200);
    expect(user.json()).toMatchObject({ accountId: alice, displayName: 'Alice Example', active: false, accountType: 'customer' });
    const admin = (await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers?query=alice', headers: as(ada) })).json();
    expect(admin.values.map((c: any) => c.label)).toEqual(['Alice Example (Deactivated)']);
    const audit = (await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${(await findSiteBySlug(t.db, 'acme'))!.orgId}/audit-log?action=customer.access.revoked`, headers: as(ada) })).json();
    expect(audit.values[0].target).toMatchObject({ accountId: alice, label: 'Alice Example (Deactivated)' });
  });

  it('4. filters: exact email still finds her requests, her name does not, a saved filter by accountId still works', async () => {
    expect((await jql('reporter = "alice@customer.test"')).keys).toEqual(['HELP-1']);
    expect((await jql('reporter = "  ALICE@Customer.TEST "')).keys).toEqual(['HELP-1']);
    // her name names nobody now: refused as an unknown value, as for anyone who does not exist
    expect(await jqlRefused('reporter = "Alice Example"')).toEqual(["The value 'Alice Example' does not exist for the field 'reporter'."]);
    expect(await jqlRefused('reporter = "alice@customer"')).toEqual(["The value 'alice@customer' does not exist for the field 'reporter'."]);
    expect((await jql(`participant = "alice@customer.test"`)).keys).toEqual(['HELP-2']);
    const filters = await t.app.inject({ method: 'GET', url: '/s/acme/api/agent/filters', headers: as(sam) });
    const stored = JSON.stringify(filters.json());
    expect(stored).toContain(alice);
    expect((await jql(savedFilterJql)).keys).toEqual(['HELP-1', 'HELP-2']);
  });

  it('scoping: revoking acme’s Alice leaves globex’s Alice (same email) untouched', async () => {
    // its own pair of customers with one email on two sites, so the test stands alone
    const make = factories(t.db);
    const globexSiteId = (await findSiteBySlug(t.db, 'globex'))!.id;
    const email = 'twin@customer.test';
    const acmeTwin = await make.customer({ siteId: acmeSiteId, email, displayName: 'Tess Twin', password: 'portico-demo' });
    const globexTwin = await make.customer({ siteId: globexSiteId, email, displayName: 'Tess Twin', password: 'portico-demo' });
    const acmeSession = await loginCustomer(t.app, 'acme', email);
    const globexSession = await loginCustomer(t.app, 'globex', email);

    const r = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${acmeTwin}/revoke`, headers: as(ada) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ changed: true, customer: { status: 'revoked' } });

    // acme's is revoked: status, session, login, picker
    const status = async (id: string) => (await t.db.selectFrom('accounts').select('status').where('account_id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await status(acmeTwin)).toBe('revoked');
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(acmeSession) })).statusCode).toBe(401);
    expect((await portalLogin(email, 'portico-demo')).statusCode).toBe(401);
    expect((await searchUsersForPicker(t.db, { siteId: acmeSiteId, query: 'tess', audience: 'customers' })).users).toEqual([]);
    // globex's is not: same status, session, login and picker as before
    expect(await status(globexTwin)).toBe('active');
    expect((await t.app.inject({ method: 'GET', url: '/s/globex/api/portal/session', headers: as(globexSession) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/login', payload: { email, password: 'portico-demo' } })).statusCode).toBe(200);
    expect((await searchUsersForPicker(t.db, { siteId: globexSiteId, query: 'tess', audience: 'customers' })).users.map((u) => u.accountId)).toEqual([globexTwin]);
    // and the demo's globex Alice, who shares acme Alice's email, is active whatever acme's Alice is
    expect(await status(globexAlice)).toBe('active');
  });

  it('5. grant: old password logs in, pickers offer her, the suffix is gone, every reference is as before, old sessions stay dead', async () => {
    const r = await grant();
    expect(r.json()).toMatchObject({ changed: true, customer: { label: 'Alice Example', status: 'active' } });
    for (const s of [aliceA, aliceB]) expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(s) })).statusCode).toBe(401);
    const again = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(again) })).statusCode).toBe(200);
    expect(await webPicker(bob, 'alice', affectedField)).toEqual([alice]);
    expect(await restPicker('alice')).toContain(alice);
    expect(await restUserSearch('alice')).toContain(alice);
    expect(labelsIn(await requestView('HELP-1')).reporter).toBe('Alice Example');
    expect(labelsIn(await requestView('HELP-2')).fields['Affected user']).toEqual(['Alice Example']);
    expect((await jql('reporter = "Alice Example"')).keys).toEqual(['HELP-1']);
    const user = await t.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/user?accountId=${encodeURIComponent(alice)}`, headers: bearer() });
    expect(user.json().active).toBe(true);
    expect(await referenceSnapshot()).toEqual(before);
    // the reset link from before the revoke stays dead
    const tokens = await t.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', alice).execute();
    expect(tokens.every((tk) => tk.invalidated_at !== null || tk.used_at !== null)).toBe(true);
  });
});
