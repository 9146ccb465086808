import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginStaff, loginCustomer, as, accountIdOf, type TestApp, type Session } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { insertCustomer } from '../../src/db/queries/customers.js';
import { searchUsersForPicker } from '../../src/db/queries/user-picker.js';
import { matchingCustomers } from '../../src/db/queries/customer-list.js';
import { CompiledQuery, sql } from 'kysely';
import { factories } from '../support/factories.js';
import { parse } from 'csv-parse/sync';
import { formulaCells } from '../support/spreadsheet-readings.js';
import { DISPLAY_NAME_CONTROL, DISPLAY_NAME_EMPTY, DISPLAY_NAME_TOO_LONG } from '../../src/domain/display-name.js';

// The admin console's JSON API (/api/admin): the customer list, every customer action, bulk, export,
// the permission matrix of docs/product.md#roles and the organization pages — over HTTP, on both databases.

let t: TestApp;
let ada: Session; // org admin of Acme
let greta: Session; // org admin of Globex
let sid: Session; // site admin of globex only
let sam: Session; // agent on HELP (acme)
const ids: Record<string, string> = {};
const sites: Record<string, { id: string; orgId: string }> = {};

beforeAll(async () => {
  t = await createTestApp();
  [ada, greta, sid, sam] = await Promise.all([
    loginStaff(t.app, 'admin@acme.test'),
    loginStaff(t.app, 'admin@globex.test'),
    loginStaff(t.app, 'siteadmin@globex.test'),
    loginStaff(t.app, 'agent@acme.test'),
  ]);
  for (const n of ['alice', 'bob', 'carol', 'dave']) ids[n] = await accountIdOf(t.db, `${n}@customer.test`, 'acme');
  ids.globexAlice = await accountIdOf(t.db, 'alice@customer.test', 'globex');
  ids.erin = await accountIdOf(t.db, 'erin@customer.test', 'globex');
  for (const s of ['acme', 'globex', 'globex-eu']) sites[s] = (await findSiteBySlug(t.db, s))!;
});
afterAll(() => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
async function call(method: Method, url: string, who: Session | null, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: who ? as(who) : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body, json: () => res.json(), headers: res.headers };
}
const auditCount = async (action?: string) => {
  let q = t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n'));
  if (action) q = q.where('action', '=', action);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const statusOf = async (accountId: string) =>
  (await t.db.selectFrom('accounts').select('status').where('account_id', '=', accountId).executeTakeFirstOrThrow()).status;
const pickerNames = async (site: string, query: string) =>
  (await searchUsersForPicker(t.db, { siteId: sites[site].id, query, audience: 'customers' })).users.map((u) => u.displayName);

describe('customer list', () => {
  it('lists the site’s customers in name order with status, label and dates', async () => {
    const r = await call('GET', '/api/admin/sites/acme/customers', ada);
    expect(r.status).toBe(200);
    const page = r.json();
    expect(page).toMatchObject({ start: 0, limit: 50, total: 4, isLastPage: true });
    expect(page.values.map((c: any) => c.label)).toEqual(['Alice Example', 'Bob Builder', 'Carol Customer', 'Dave Departed (Deactivated)']);
    const dave = page.values[3];
    expect(dave).toMatchObject({ accountId: ids.dave, displayName: 'Dave Departed', email: 'dave@customer.test', status: 'revoked' });
    expect(new Date(dave.createdAt).getTime()).toBeLessThan(Date.now());
  });

  it('filters by status', async () => {
    const revoked = (await call('GET', '/api/admin/sites/acme/customers?status=revoked', ada)).json();
    expect(revoked.values.map((c: any) => c.email)).toEqual(['dave@customer.test']);
    expect(revoked.total).toBe(1);
    const active = (await call('GET', '/api/admin/sites/acme/customers?status=active', ada)).json();
    expect(active.values.map((c: any) => c.email)).toEqual(['alice@customer.test', 'bob@customer.test', 'carol@customer.test']);
  });

  it('searches name words and email by prefix, case-insensitively, active and revoked alike', async () => {
    const emails = async (query: string, status = 'all') =>
      (await call('GET', `/api/admin/sites/acme/customers?status=${status}&query=${encodeURIComponent(query)}`, ada)).json().values.map((c: any) => c.email);
    expect(await emails('ali')).toEqual(['alice@customer.test']);
    expect(await emails('BUILDER')).toEqual(['bob@customer.test']);
    expect(await emails('carol@cust')).toEqual(['carol@customer.test']);
    expect(await emails('example alice')).toEqual(['alice@customer.test']);
    // Dave is revoked: not a picker result, but the admin list finds him by name or email
    expect(await emails('departed')).toEqual(['dave@customer.test']);
    expect(await emails('DAVE@')).toEqual(['dave@customer.test']);
    expect(await emails('dave', 'active')).toEqual([]);
    expect(await emails('ali', 'revoked')).toEqual([]);
    expect(await emails('zzz')).toEqual([]);
    expect(await emails('%')).toEqual([]);
    expect(await emails("a' OR 1=1 --")).toEqual([]);
  });

  it('finds any part of the email, the domain included, and any part of a name, active and revoked alike', async () => {
    const acme = (await findSiteBySlug(t.db, 'acme'))!;
    const added = [
      await insertCustomer(t.db, { siteId: acme.id, email: 'ines.infix@vendor.example', displayName: 'Ines Infix', passwordHash: null }),
      await insertCustomer(t.db, { siteId: acme.id, email: 'jo@vendor.example', displayName: 'Jo Contractor', passwordHash: null }),
      await insertCustomer(t.db, { siteId: acme.id, email: 'kim@notvendor.test', displayName: 'Kim Elsewhere', passwordHash: null }),
    ];
    const emails = async (query: string, status = 'all') =>
      (await call('GET', `/api/admin/sites/acme/customers?status=${status}&query=${encodeURIComponent(query)}`, ada)).json().values.map((c: any) => c.email);
    expect(await emails('@vendor.example')).toEqual(['ines.infix@vendor.example', 'jo@vendor.example']);
    expect(await emails('VENDOR.EX')).toEqual(['ines.infix@vendor.example', 'jo@vendor.example']);
    expect(await emails('vendor')).toEqual(['ines.infix@vendor.example', 'jo@vendor.example', 'kim@notvendor.test']);
    expect(await emails('ntract')).toEqual(['jo@vendor.example']); // inside a name word
    expect(await emails('parted')).toEqual(['dave@customer.test']); // a revoked customer too
    expect(await emails('parted', 'active')).toEqual([]);
    expect(await emails('infix vendor')).toEqual(['ines.infix@vendor.example']); // every word must be found
    // words under 3 characters stay word prefixes (no trigram to look up): "jo" is Jo, not "major"
    expect(await emails('jo')).toEqual(['jo@vendor.example']);
    expect(await emails('ex')).toEqual(['alice@customer.test']);
    // LIKE metacharacters are literal
    expect(await emails('%vendor')).toEqual([]);
    expect(await emails('_o@')).toEqual([]);
    // the export finds the same
    const csv = (await call('GET', `/api/admin/sites/acme/customers/export.csv?query=${encodeURIComponent('@vendor.example')}`, ada)).body;
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    // the later tests of this file count acme's four demo customers
    await t.db.deleteFrom('account_search_terms').where('account_id', 'in', added).execute();
    await t.db.deleteFrom('accounts').where('account_id', 'in', added).execute();
  });

  it('an infix search of a large site is answered by the trigram index (accounts_customer_search_trgm_idx), not by walking the site', async () => {
    // 20,000 customers of a site of their own, over 500 domains, and the planner's statistics for them
    const bulk = await factories(t.db).site();
    await sql`
      INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status)
      SELECT 'qm:' || gen_random_uuid(), 'customer', ${bulk.id}::uuid, 'user' || g || '@bulk' || (g % 500) || '.test',
             'user' || g || '@bulk' || (g % 500) || '.test', 'Bulk ' || g, 'bulk ' || g, 'active'
      FROM generate_series(1, 20000) g`.execute(t.db);
    await sql`ANALYZE accounts`.execute(t.db);
    const compiled = matchingCustomers(t.db, { siteId: bulk.id, query: '@bulk7.test', status: 'all' }).select('a.account_id').compile();
    const plan = (await t.db.executeQuery(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]))).rows
      .map((row) => Object.values(row as Record<string, string>)[0])
      .join('\n');
    expect(plan).toContain('accounts_customer_search_trgm_idx');
    const found = await matchingCustomers(t.db, { siteId: bulk.id, query: '@bulk7.test', status: 'all' }).select('a.email').execute();
    expect(found).toHaveLength(40);
    expect(found.every((r) => r.email!.endsWith('@bulk7.test'))).toBe(true);
  });

  it('pages by 50 with the total, in name order', async () => {
    for (let i = 0; i < 62; i++) {
      await insertCustomer(t.db, { siteId: sites['globex-eu'].id, email: `p${i}@page.test`, displayName: `Pager ${String(i).padStart(3, '0')}`, passwordHash: null });
    }
    const first = (await call('GET', '/api/admin/sites/globex-eu/customers', greta)).json();
    expect(first).toMatchObject({ start: 0, limit: 50, total: 62, isLastPage: false });
    expect(first.values).toHaveLength(50);
    expect(first.values[0].displayName).toBe('Pager 000');
    const second = (await call('GET', '/api/admin/sites/globex-eu/customers?start=50', greta)).json();
    expect(second).toMatchObject({ start: 50, total: 62, isLastPage: true });
    expect(second.values.map((c: any) => c.displayName)).toEqual(Array.from({ length: 12 }, (_, i) => `Pager ${String(50 + i).padStart(3, '0')}`));
    const searched = (await call('GET', '/api/admin/sites/globex-eu/customers?query=pager%2006', greta)).json();
    expect(searched.values.map((c: any) => c.displayName)).toEqual(['Pager 060', 'Pager 061']);
    expect(searched.total).toBe(2);
  });

  it('refuses bad filters with 400 and the Atlassian error shape', async () => {
    for (const q of ['status=deleted', 'limit=0', 'limit=101', 'start=-1', `query=${'x'.repeat(300)}`]) {
      const r = await call('GET', `/api/admin/sites/acme/customers?${q}`, ada);
      expect(r.status, q).toBe(400);
      expect(r.json().errorMessages.length).toBeGreaterThan(0);
    }
  });
});

describe('permission matrix (docs/product.md#roles)', () => {
  it('org admin and the site admin may list; other admins get 404; an agent 403; anonymous 401', async () => {
    expect((await call('GET', '/api/admin/sites/acme/customers', ada)).status).toBe(200);
    expect((await call('GET', '/api/admin/sites/globex/customers', greta)).status).toBe(200);
    expect((await call('GET', '/api/admin/sites/globex-eu/customers', greta)).status).toBe(200);
    expect((await call('GET', '/api/admin/sites/globex/customers', sid)).status).toBe(200);
    expect((await call('GET', '/api/admin/sites/globex-eu/customers', sid)).status).toBe(404);
    expect((await call('GET', '/api/admin/sites/acme/customers', sid)).status).toBe(404);
    expect((await call('GET', '/api/admin/sites/acme/customers', greta)).status).toBe(404);
    expect((await call('GET', '/api/admin/sites/globex/customers', ada)).status).toBe(404);
    expect((await call('GET', '/api/admin/sites/acme/customers', sam)).status).toBe(403);
    expect((await call('GET', '/api/admin/sites/acme/customers', null)).status).toBe(401);
    expect((await call('GET', '/api/admin/sites/nope/customers', ada)).status).toBe(404);
  });

  it('the site admin may revoke and grant on their site but not delete (403), nor touch another site (404)', async () => {
    const before = await auditCount();
    expect((await call('POST', `/api/admin/sites/globex/customers/${ids.erin}/revoke`, sid)).json()).toMatchObject({ changed: true, customer: { label: 'Erin Engineer (Deactivated)' } });
    expect((await call('POST', `/api/admin/sites/globex/customers/${ids.erin}/grant`, sid)).json()).toMatchObject({ changed: true, customer: { label: 'Erin Engineer', status: 'active' } });
    expect(await auditCount()).toBe(before + 2);
    const del = await call('DELETE', `/api/admin/sites/globex/customers/${ids.erin}`, sid);
    expect(del.status).toBe(403);
    expect(await statusOf(ids.erin)).toBe('active');
    expect((await call('POST', `/api/admin/sites/acme/customers/${ids.alice}/revoke`, sid)).status).toBe(404);
    expect((await call('POST', `/api/admin/sites/acme/customers/${ids.alice}/revoke`, sam)).status).toBe(403);
    expect((await call('PUT', `/api/admin/sites/acme/customers/${ids.alice}/name`, sam, { displayName: 'X' })).status).toBe(403);
    expect((await call('PUT', `/api/admin/sites/acme/customers/${ids.alice}/password`, sam, { password: 'a-long-enough-one-42' })).status).toBe(403);
    expect(await statusOf(ids.alice)).toBe('active');
    expect(await auditCount()).toBe(before + 2);
  });

  it("the customer's site must be the URL's site (404 otherwise); malformed ids are 400", async () => {
    expect((await call('POST', `/api/admin/sites/acme/customers/${ids.globexAlice}/revoke`, ada)).status).toBe(404);
    expect((await call('POST', `/api/admin/sites/globex/customers/${ids.alice}/revoke`, greta)).status).toBe(404);
    expect((await call('POST', `/api/admin/sites/acme/customers/qm:00000000-0000-4000-8000-000000000000/revoke`, ada)).status).toBe(404);
    const bad = await call('POST', `/api/admin/sites/acme/customers/not-an-id/revoke`, ada);
    expect(bad.status).toBe(400);
    expect(bad.json().errors.accountId).toMatch(/not a valid portal-only account id/);
    // a staff account id is not a customer
    const adaId = await accountIdOf(t.db, 'admin@acme.test', null);
    expect((await call('POST', `/api/admin/sites/acme/customers/${adaId}/revoke`, ada)).status).toBe(400);
    expect(await statusOf(ids.globexAlice)).toBe('active');
  });

  it('a cookie-authenticated write without the CSRF token is refused and changes nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.alice}/revoke`, headers: { cookie: ada.cookie } });
    expect(res.statusCode).toBe(403);
    expect(await statusOf(ids.alice)).toBe('active');
  });
});

describe('revoke and grant from the admin console', () => {
  it('revokes once (one audit event), repeating changes nothing; grant likewise', async () => {
    const revoked = await auditCount('customer.access.revoked');
    const r1 = await call('POST', `/api/admin/sites/acme/customers/${ids.bob}/revoke`, ada);
    expect(r1.status).toBe(200);
    expect(r1.json()).toMatchObject({ changed: true, customer: { accountId: ids.bob, status: 'revoked', label: 'Bob Builder (Deactivated)' } });
    const r2 = await call('POST', `/api/admin/sites/acme/customers/${ids.bob}/revoke`, ada);
    expect(r2.json()).toMatchObject({ changed: false, customer: { status: 'revoked' } });
    expect(await auditCount('customer.access.revoked')).toBe(revoked + 1);
    const row = await t.db.selectFrom('accounts').selectAll().where('account_id', '=', ids.bob).executeTakeFirstOrThrow();
    expect(row.revoked_by).toBe(ada.accountId);
    expect(row.revoked_at).not.toBeNull();

    const granted = await auditCount('customer.access.granted');
    expect((await call('POST', `/api/admin/sites/acme/customers/${ids.bob}/grant`, ada)).json()).toMatchObject({ changed: true, customer: { status: 'active', label: 'Bob Builder' } });
    expect((await call('POST', `/api/admin/sites/acme/customers/${ids.bob}/grant`, ada)).json()).toMatchObject({ changed: false });
    expect(await auditCount('customer.access.granted')).toBe(granted + 1);
    const after = await t.db.selectFrom('accounts').selectAll().where('account_id', '=', ids.bob).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'active', revoked_at: null, revoked_by: null });
  });
});

describe('change password', () => {
  it('refuses a weak password with 400 naming the field and changes nothing', async () => {
    const before = await t.db.selectFrom('accounts').select('password_hash').where('account_id', '=', ids.alice).executeTakeFirstOrThrow();
    for (const password of ['short', 'x'.repeat(101), 'password']) {
      const r = await call('PUT', `/api/admin/sites/acme/customers/${ids.alice}/password`, ada, { password });
      expect(r.status, password).toBe(400);
      expect(r.json().errors.password).toBeTruthy();
    }
    expect((await call('PUT', `/api/admin/sites/acme/customers/${ids.alice}/password`, ada, { password: 'long-enough-42', extra: 1 })).status).toBe(400);
    const after = await t.db.selectFrom('accounts').select('password_hash').where('account_id', '=', ids.alice).executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
  });

  it('S6: sets the new password and ends the customer’s sessions (whoever knew the old one is out)', async () => {
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const session = () => t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(alice) });
    expect((await session()).statusCode).toBe(200);
    const events = await auditCount('customer.password.changed');
    const r = await call('PUT', `/api/admin/sites/acme/customers/${ids.alice}/password`, ada, { password: 'Blue-Kettle-Morning-7' });
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expect((await session()).statusCode).toBe(401);
    await expect(loginCustomer(t.app, 'acme', 'alice@customer.test')).rejects.toThrow(/401/);
    await loginCustomer(t.app, 'acme', 'alice@customer.test', 'Blue-Kettle-Morning-7');
    expect(await auditCount('customer.password.changed')).toBe(events + 1);
    // back to the demo password for the other tests
    expect((await call('PUT', `/api/admin/sites/acme/customers/${ids.alice}/password`, ada, { password: 'portico-demo' })).status).toBe(204);
  });
});

describe('edit full name', () => {
  it('validates 1–255 trimmed characters', async () => {
    for (const displayName of ['', '   ', 'x'.repeat(256), 'Tab\tName']) {
      const r = await call('PUT', `/api/admin/sites/acme/customers/${ids.bob}/name`, ada, { displayName });
      expect(r.status, JSON.stringify(displayName)).toBe(400);
      expect(r.json().errors.displayName).toBeTruthy();
    }
  });

  it('renames an active customer: label, list order and picker terms follow', async () => {
    const r = await call('PUT', `/api/admin/sites/acme/customers/${ids.bob}/name`, ada, { displayName: '  Robert Builder ' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ changed: true, customer: { displayName: 'Robert Builder', label: 'Robert Builder' } });
    expect(await pickerNames('acme', 'robert')).toEqual(['Robert Builder']);
    expect(await pickerNames('acme', 'bob@')).toEqual(['Robert Builder']);
    // the old first name is no longer a term (the email still is)
    const terms = await t.db.selectFrom('account_search_terms').select('term').where('account_id', '=', ids.bob).orderBy('term').execute();
    expect(terms.map((x) => x.term)).toEqual(['bob@customer.test', 'builder', 'robert']);
    const same = await call('PUT', `/api/admin/sites/acme/customers/${ids.bob}/name`, ada, { displayName: 'Robert Builder' });
    expect(same.json().changed).toBe(false);
    expect((await call('PUT', `/api/admin/sites/acme/customers/${ids.bob}/name`, ada, { displayName: 'Bob Builder' })).status).toBe(200);
  });

  it('renames a revoked customer without putting them back into pickers; the grant does', async () => {
    const r = await call('PUT', `/api/admin/sites/acme/customers/${ids.dave}/name`, ada, { displayName: 'David Departed' });
    expect(r.json().customer.label).toBe('David Departed (Deactivated)');
    expect(await pickerNames('acme', 'david')).toEqual([]);
    await call('POST', `/api/admin/sites/acme/customers/${ids.dave}/grant`, ada);
    expect(await pickerNames('acme', 'david')).toEqual(['David Departed']);
    await call('POST', `/api/admin/sites/acme/customers/${ids.dave}/revoke`, ada);
    await call('PUT', `/api/admin/sites/acme/customers/${ids.dave}/name`, ada, { displayName: 'Dave Departed' });
    expect(await pickerNames('acme', 'dav')).toEqual([]);
  });
});

describe('one name rule for create and edit', () => {
  const refused: Array<[string, string]> = [
    ['', DISPLAY_NAME_EMPTY],
    [' \u00a0 ', DISPLAY_NAME_EMPTY],
    ['x'.repeat(256), DISPLAY_NAME_TOO_LONG],
    ['😀'.repeat(256), DISPLAY_NAME_TOO_LONG],
    ['Tab\tName', DISPLAY_NAME_CONTROL],
    ['Line\nbreak', DISPLAY_NAME_CONTROL],
    ['Esc\u001b[31mRed', DISPLAY_NAME_CONTROL],
    ['Next\u0085Line', DISPLAY_NAME_CONTROL],
    ['Para\u2029graph', DISPLAY_NAME_CONTROL],
    ['Bob\u202eredliub', DISPLAY_NAME_CONTROL],
    ['Iso\u2067late', DISPLAY_NAME_CONTROL],
  ];
  const accountsOf = async (siteId: string) =>
    Number((await t.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow()).n);

  it('REST create, agent create and "Edit full name" refuse the same names with the same 400, and change nothing', async () => {
    const before = { accounts: await accountsOf(sites.acme.id), events: await auditCount(), projectCustomers: await t.db.selectFrom('project_customers').select('account_id').execute() };
    for (const [i, [displayName, message]] of refused.entries()) {
      const expected = { errorMessages: [message], errors: { displayName: message } };
      const label = JSON.stringify(displayName.slice(0, 20));
      const rest = await call('POST', '/s/acme/rest/servicedeskapi/customer', ada, { displayName, email: `refused${i}@customer.test` });
      const agent = await call('POST', '/s/acme/api/agent/projects/HELP/customers/new', sam, { displayName, email: `refused${i}@customer.test` });
      const edit = await call('PUT', `/api/admin/sites/acme/customers/${ids.bob}/name`, ada, { displayName });
      for (const [surface, r] of [['REST create', rest], ['agent create', agent], ['edit', edit]] as const) {
        expect(r.status, `${surface} ${label}`).toBe(400);
        expect(r.json(), `${surface} ${label}`).toMatchObject(expected);
      }
    }
    expect(await accountsOf(sites.acme.id)).toBe(before.accounts);
    expect(await auditCount()).toBe(before.events);
    expect(await t.db.selectFrom('project_customers').select('account_id').execute()).toEqual(before.projectCustomers);
    const bob = await t.db.selectFrom('accounts').select(['display_name', 'sort_name']).where('account_id', '=', ids.bob).executeTakeFirstOrThrow();
    expect(bob).toEqual({ display_name: 'Bob Builder', sort_name: 'bob builder' });
  });

  it('create and edit store the same trimmed name, in any script, up to 255 characters', async () => {
    const name = `  ${'Zoë 李 👩‍💻 '.repeat(20).trim()}  `;
    const created = await call('POST', '/s/globex/rest/servicedeskapi/customer', sid, { displayName: name, email: 'zoe-names@customer.test' });
    expect(created.status).toBe(201);
    expect(created.json().displayName).toBe(name.trim());
    const longest = '😀'.repeat(255);
    const edited = await call('PUT', `/api/admin/sites/globex/customers/${created.json().accountId}/name`, sid, { displayName: longest });
    expect(edited.status).toBe(200);
    expect(edited.json().customer.displayName).toBe(longest);
  });
});

describe('bulk revoke and grant', () => {
  const unknown = 'qm:11111111-1111-4111-8111-111111111111';

  it('a dry run reports per account what would change and writes nothing', async () => {
    const before = await auditCount();
    const r = await call('POST', '/api/admin/sites/acme/customers/bulk', ada, {
      action: 'revoke', accountIds: [ids.alice, ids.dave, unknown, ids.globexAlice, 'garbage', ids.alice], dryRun: true,
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      dryRun: true,
      changed: 1,
      results: [
        { accountId: ids.alice, label: 'Alice Example (Deactivated)', outcome: 'changed', from: 'active', to: 'revoked' },
        { accountId: ids.dave, label: 'Dave Departed (Deactivated)', outcome: 'unchanged', from: 'revoked', to: 'revoked' },
        { accountId: unknown, label: null, outcome: 'not_found', from: null, to: null },
        { accountId: ids.globexAlice, label: null, outcome: 'not_found', from: null, to: null },
        { accountId: 'garbage', label: null, outcome: 'not_found', from: null, to: null },
      ],
      // what revoking the one customer it would change touches (docs/product.md#footprint)
      footprint: expect.objectContaining({ openRequestsReported: expect.any(Number), liveSessions: expect.any(Number), accessUntil: null }),
    });
    expect(await statusOf(ids.alice)).toBe('active');
    expect(await auditCount()).toBe(before);
  });

  it('a real run with any id not of this site is refused as a whole (400) and changes nothing', async () => {
    const before = await auditCount();
    const r = await call('POST', '/api/admin/sites/acme/customers/bulk', ada, { action: 'revoke', accountIds: [ids.alice, ids.bob, unknown] });
    expect(r.status).toBe(400);
    expect(r.json().errorMessages[0]).toMatch(/Nothing was changed/);
    expect(await statusOf(ids.alice)).toBe('active');
    expect(await statusOf(ids.bob)).toBe('active');
    expect(await auditCount()).toBe(before);
  });

  it('a real run changes all in one go, one audit event per real change', async () => {
    const before = await auditCount('customer.access.revoked');
    const r = await call('POST', '/api/admin/sites/acme/customers/bulk', ada, { action: 'revoke', accountIds: [ids.bob, ids.alice, ids.dave], dryRun: false });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body.changed).toBe(2);
    expect(body.results.map((x: any) => x.outcome)).toEqual(['changed', 'changed', 'unchanged']);
    expect(await statusOf(ids.alice)).toBe('revoked');
    expect(await statusOf(ids.bob)).toBe('revoked');
    expect(await auditCount('customer.access.revoked')).toBe(before + 2);
    expect(await pickerNames('acme', 'alice')).toEqual([]);

    const g = (await call('POST', '/api/admin/sites/acme/customers/bulk', ada, { action: 'grant', accountIds: [ids.alice, ids.bob] })).json();
    expect(g.changed).toBe(2);
    expect(await pickerNames('acme', 'alice')).toEqual(['Alice Example']);
    expect(await pickerNames('acme', 'bob')).toEqual(['Bob Builder']);
  });

  it('refuses more than 1,000 ids, none, unknown actions and unknown fields with 400', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `qm:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const body of [
      { action: 'revoke', accountIds: many, dryRun: true },
      { action: 'revoke', accountIds: [] },
      { action: 'delete', accountIds: [ids.alice] },
      { action: 'revoke', accountIds: [ids.alice], force: true },
    ]) {
      expect((await call('POST', '/api/admin/sites/acme/customers/bulk', ada, body)).status).toBe(400);
    }
    expect((await call('POST', '/api/admin/sites/acme/customers/bulk', sam, { action: 'revoke', accountIds: [ids.alice] })).status).toBe(403);
    expect(await statusOf(ids.alice)).toBe('active');
  });

  it('handles 1,000 accounts in one transaction', async () => {
    const eu = sites['globex-eu'].id;
    const created: string[] = [];
    for (let i = 0; i < 938; i++) {
      created.push(await insertCustomer(t.db, { siteId: eu, email: `bulk${i}@bulk.test`, displayName: `Bulk Person ${i}`, passwordHash: null }));
    }
    const all = [...created, ...(await t.db.selectFrom('accounts').select('account_id').where('site_id', '=', eu).where('email', 'like', 'p%@page.test').execute()).map((r) => r.account_id)];
    expect(all).toHaveLength(1000);
    const r = await call('POST', '/api/admin/sites/globex-eu/customers/bulk', greta, { action: 'revoke', accountIds: all });
    expect(r.status).toBe(200);
    expect(r.json().changed).toBe(1000);
    const page = (await call('GET', '/api/admin/sites/globex-eu/customers?status=revoked&limit=1', greta)).json();
    expect(page.total).toBe(1000);
    expect((await call('POST', '/api/admin/sites/globex-eu/customers/bulk', greta, { action: 'grant', accountIds: all })).json().changed).toBe(1000);
  }, 180_000);
});

describe('export CSV', () => {
  const rows = (csv: string) => parse(csv) as string[][];

  it('exports the filtered list with its columns (the revoke reason and dated access last)', async () => {
    const r = await call('GET', '/api/admin/sites/acme/customers/export.csv?status=all', ada);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="acme-customers.csv"/);
    expect(r.body.split('\r\n')[0]).toBe('"Name","Email","Status","Last active","Created","Revoke reason","Access until"');
    const [header, ...customers] = rows(r.body);
    expect(header).toEqual(['Name', 'Email', 'Status', 'Last active', 'Created', 'Revoke reason', 'Access until']);
    expect(customers.map((c) => c.slice(0, 3))).toEqual([
      ['Alice Example', 'alice@customer.test', 'Active'],
      ['Bob Builder', 'bob@customer.test', 'Active'],
      ['Carol Customer', 'carol@customer.test', 'Active'],
      ['Dave Departed (Deactivated)', 'dave@customer.test', 'Access revoked'], // the name as every screen shows it (P3)
    ]);
    expect(rows((await call('GET', '/api/admin/sites/acme/customers/export.csv?status=revoked', ada)).body)).toHaveLength(2);
    expect(rows((await call('GET', '/api/admin/sites/acme/customers/export.csv?query=bob', ada)).body)).toHaveLength(2);
    expect((await call('GET', '/api/admin/sites/acme/customers/export.csv', sam)).status).toBe(403);
    expect((await call('GET', '/api/admin/sites/acme/customers/export.csv', sid)).status).toBe(404);
  });

  it('T5: hostile names and emails export with no cell a spreadsheet would read as a formula, in comma, semicolon or tab reading', async () => {
    // [stored name, email, the Name and Email cells a spreadsheet shows]
    const created: Array<[string, string, string, string]> = [
      ['=1+1', '=1+1@evil.test', "'=1+1", "'=1+1@evil.test"],
      ['+cmd', '+cmd@evil.test', "'+cmd", "'+cmd@evil.test"],
      ['-2', '-2@evil.test', "'-2", "'-2@evil.test"],
      ['@SUM(1)', 'at-sum@evil.test', "'@SUM(1)", 'at-sum@evil.test'],
      ['a;=1', 'a;=1@evil.test', "a;'=1", "a;'=1@evil.test"],
      ['a,=1', 'a,=1@evil.test', "a,'=1", "a,'=1@evil.test"],
      ['say "hi"; =2', 'quotes@evil.test', `say "hi";' =2`, 'quotes@evil.test'],
      ['=HYPERLINK("http://evil","x")', 'link@evil.test', `'=HYPERLINK("http://evil","x")`, 'link@evil.test'],
    ];
    // names the API refuses today (control characters, leading blanks) but older rows may hold
    const stored: Array<[string, string, string]> = [
      ['\t=1', 'tab@evil.test', "'\t'=1"],
      ['a\t=1', 'inner-tab@evil.test', "a\t'=1"],
      [' =1', 'space@evil.test', "' =1"],
      ['line\n=1', 'newline@evil.test', "line\n'=1"],
      ['cr\r\n+1', 'crlf@evil.test', "cr\r'\n'+1"],
    ];
    for (const [displayName, email] of created) {
      const r = await call('POST', '/s/globex/rest/servicedeskapi/customer', sid, { displayName, email });
      expect(r.status, displayName).toBe(201);
    }
    for (const [displayName, email] of stored) await insertCustomer(t.db, { siteId: sites.globex.id, email, displayName, passwordHash: null });

    const body = (await call('GET', '/api/admin/sites/globex/customers/export.csv', sid)).body;
    expect(formulaCells(body)).toEqual([]);
    const byEmail = new Map(rows(body).map((r) => [r[1], r]));
    for (const [, email, nameCell, emailCell] of created) expect(byEmail.get(emailCell)?.[0], email).toBe(nameCell);
    for (const [, email, nameCell] of stored) expect(byEmail.get(email)?.[0], email).toBe(nameCell);
    // every cell is quoted, so a ';' or a line break inside one never splits it for a reader that honours quotes
    expect(body.split('\r\n').filter(Boolean).every((line) => line.startsWith('"') && line.endsWith('"'))).toBe(true);
    expect(rows(body).every((r) => r.length === 7)).toBe(true);
  });

  it('streams every row of a large list, across keyset batches', async () => {
    const r = await call('GET', '/api/admin/sites/globex-eu/customers/export.csv', greta);
    const lines = rows(r.body);
    expect(lines).toHaveLength(1001);
    expect(new Set(lines.slice(1).map((l) => l[1])).size).toBe(1000);
  });
});

describe('delete customer', () => {
  it('only org admins may delete; the account id stays and reads "Former user (Deactivated)"', async () => {
    const carol = await loginCustomer(t.app, 'acme', 'carol@customer.test');
    expect(await t.db.selectFrom('login_known_addresses').select('address').where('account_id', '=', ids.carol).execute()).toEqual([{ address: '127.0.0.1' }]);
    const r = await call('DELETE', `/api/admin/sites/acme/customers/${ids.carol}`, ada);
    expect(r.status).toBe(204);
    const row = await t.db.selectFrom('accounts').selectAll().where('account_id', '=', ids.carol).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'deleted', email: null, email_lower: null, display_name: null, sort_name: null, password_hash: null });
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', ids.carol).execute()).toEqual([]);
    expect(await t.db.selectFrom('account_search_terms').select('term').where('account_id', '=', ids.carol).execute()).toEqual([]);
    // the addresses she logged in from, kept for login throttling, go too
    expect(await t.db.selectFrom('login_known_addresses').select('address').where('account_id', '=', ids.carol).execute()).toEqual([]);
    // her open session ends, her login fails like a wrong password
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(carol) })).statusCode).toBe(401);
    await expect(loginCustomer(t.app, 'acme', 'carol@customer.test')).rejects.toThrow(/401/);
    // she leaves the admin list; acting on her again is a 404
    const list = (await call('GET', '/api/admin/sites/acme/customers', ada)).json();
    expect(list.values.map((c: any) => c.accountId)).not.toContain(ids.carol);
    expect(list.total).toBe(3);
    expect((await call('DELETE', `/api/admin/sites/acme/customers/${ids.carol}`, ada)).status).toBe(404);
    expect((await call('POST', `/api/admin/sites/acme/customers/${ids.carol}/grant`, ada)).status).toBe(404);
    // references keep pointing at the account: HELP-3's reporter
    const help3 = await t.db.selectFrom('requests').select('reporter_id').where('key', '=', 'HELP-3').executeTakeFirstOrThrow();
    expect(help3.reporter_id).toBe(ids.carol);
    const view = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests/HELP-3', headers: as(ada) });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().reporter.label).toBe('Former user (Deactivated)');
    // the email is free for a new account
    await insertCustomer(t.db, { siteId: sites.acme.id, email: 'carol@customer.test', displayName: 'Carol Again', passwordHash: null });
  });

  it('the audit log shows the deleted target as "Former user (Deactivated)" without an email', async () => {
    const log = (await call('GET', `/api/admin/orgs/${sites.acme.orgId}/audit-log?action=customer.deleted`, ada)).json();
    expect(log.values).toHaveLength(1);
    expect(log.values[0]).toMatchObject({
      action: 'customer.deleted',
      actor: { accountId: ada.accountId, label: 'Ada Admin' },
      target: { accountId: ids.carol, label: 'Former user (Deactivated)', email: null },
      site: { slug: 'acme', name: 'Acme Support' },
    });
    expect(JSON.stringify(log)).not.toContain('Carol Customer');
  });
});

describe('organization pages', () => {
  it('GET org: its sites, for its org admins only (404 for anyone else and for malformed ids)', async () => {
    const r = await call('GET', `/api/admin/orgs/${sites.globex.orgId}`, greta);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ id: sites.globex.orgId, name: 'Globex', userManagement: 'original' });
    expect(r.json().sites.map((s: any) => s.slug)).toEqual(['globex-eu', 'globex']); // by name: Globex Europe, Globex Service Desk
    expect(r.json().sites.every((s: any) => s.url.endsWith(`/s/${s.slug}`))).toBe(true);
    expect((await call('GET', `/api/admin/orgs/${sites.globex.orgId}`, sid)).status).toBe(404);
    expect((await call('GET', `/api/admin/orgs/${sites.globex.orgId}`, ada)).status).toBe(404);
    expect((await call('GET', `/api/admin/orgs/not-a-uuid`, ada)).status).toBe(404);
    expect((await call('GET', `/api/admin/orgs/${sites.globex.orgId}`, null)).status).toBe(401);
  });

  it('GET site: header and whether the caller may delete', async () => {
    expect((await call('GET', '/api/admin/sites/globex', sid)).json()).toMatchObject({
      slug: 'globex', name: 'Globex Service Desk', org: { name: 'Globex', userManagement: 'original' }, permissions: { canDelete: false },
    });
    expect((await call('GET', '/api/admin/sites/globex', greta)).json().permissions.canDelete).toBe(true);
    expect((await call('GET', '/api/admin/sites/globex-eu', sid)).status).toBe(404);
    expect((await call('GET', '/api/admin/sites/acme', sam)).status).toBe(403);
  });

  it('switches the user-management experience with one audit event per real change', async () => {
    const url = `/api/admin/orgs/${sites.acme.orgId}/settings`;
    const before = await auditCount('organization.user_management.changed');
    const r = await call('PUT', url, ada, { userManagement: 'original' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ userManagement: 'original' });
    expect((await call('PUT', url, ada, { userManagement: 'original' })).status).toBe(200);
    expect(await auditCount('organization.user_management.changed')).toBe(before + 1);
    expect((await call('PUT', url, ada, { userManagement: 'sideways' })).status).toBe(400);
    expect((await call('PUT', url, ada, { userManagement: 'centralized', x: 1 })).status).toBe(400);
    expect((await call('PUT', url, greta, { userManagement: 'centralized' })).status).toBe(404);
    expect((await call('PUT', url, ada, { userManagement: 'centralized' })).json().userManagement).toBe('centralized');
    expect(await auditCount('organization.user_management.changed')).toBe(before + 2);
  });

  it('Directory users and groups are derived from roles', async () => {
    const users = (await call('GET', `/api/admin/orgs/${sites.acme.orgId}/users`, ada)).json().values;
    expect(users.map((u: any) => [u.displayName, u.roles])).toEqual([
      ['Ada Admin', ['Organization admin']],
      ['Sam Agent', ['Agent on HELP (Acme Support)']],
    ]);
    const groups = (await call('GET', `/api/admin/orgs/${sites.acme.orgId}/groups`, ada)).json().values;
    expect(groups.map((g: any) => [g.name, g.memberCount])).toEqual([['agents-acme-help', 1], ['org-admins', 1]]);
    const globexUsers = (await call('GET', `/api/admin/orgs/${sites.globex.orgId}/users`, greta)).json().values;
    expect(globexUsers.map((u: any) => u.email)).toEqual(['admin@globex.test', 'siteadmin@globex.test']);
    // the original experience's site admin sees the site's people
    const siteUsers = (await call('GET', '/api/admin/sites/globex/users', sid)).json().values;
    expect(siteUsers.map((u: any) => u.email)).toEqual(['admin@globex.test', 'siteadmin@globex.test']);
    expect((await call('GET', `/api/admin/orgs/${sites.acme.orgId}/users`, sam)).status).toBe(404);
  });

  it('the audit log: newest first, filterable, actor/target/site/ip, org admins only', async () => {
    const url = `/api/admin/orgs/${sites.acme.orgId}/audit-log`;
    const all = (await call('GET', `${url}?limit=200`, ada)).json();
    const times = all.values.map((e: any) => new Date(e.createdAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const grants = (await call('GET', `${url}?action=customer.access.granted`, ada)).json().values;
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((e: any) => e.action === 'customer.access.granted')).toBe(true);
    const bobGrant = grants.find((e: any) => e.target?.accountId === ids.bob);
    expect(bobGrant).toMatchObject({ actor: { label: 'Ada Admin' }, target: { label: 'Bob Builder', email: 'bob@customer.test' }, site: { slug: 'acme' } });
    expect(bobGrant.ip).toBeTruthy();
    // the demo's revoke of Dave is there with Dave labelled as deactivated
    const daveRevoke = all.values.find((e: any) => e.action === 'customer.access.revoked' && e.target?.accountId === ids.dave);
    expect(daveRevoke.target.label).toBe('Dave Departed (Deactivated)');
    const paged = (await call('GET', `${url}?start=1&limit=1`, ada)).json();
    expect(paged.values[0].id).toBe(all.values[1].id);
    expect(paged.isLastPage).toBe(false);
    expect((await call('GET', `${url}?action=${encodeURIComponent("x' OR 1=1")}`, ada)).status).toBe(400);
    expect((await call('GET', url, greta)).status).toBe(404);
    expect((await call('GET', url, sam)).status).toBe(404);
  });

  it('the audit log filters by actor, target (email or account id) and date range, and exports what it shows as CSV', async () => {
    const url = `/api/admin/orgs/${sites.acme.orgId}/audit-log`;
    const events = async (q: string) => (await call('GET', `${url}?limit=200&${q}`, ada)).json().values as any[];
    const all = await events('');
    const adas = await events('actor=ADMIN%40acme.test');
    expect(adas.length).toBeGreaterThan(0);
    expect(adas.every((e) => e.actor?.label === 'Ada Admin')).toBe(true);
    expect(adas.length).toBeLessThan(all.length + 1);
    const bobs = await events(`target=${encodeURIComponent(' bob@customer.test ')}`);
    expect(bobs.length).toBeGreaterThan(0);
    expect(bobs.every((e) => e.target?.accountId === ids.bob)).toBe(true);
    expect(await events(`target=${encodeURIComponent(ids.bob)}`)).toEqual(bobs);
    // another organization's person, or nobody, finds nothing (never an error)
    expect(await events('actor=admin%40globex.test')).toEqual([]);
    expect(await events('target=nobody%40nowhere.test')).toEqual([]);
    // dates are whole UTC days, both ends included
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);
    const todays = all.filter((e) => e.createdAt.slice(0, 10) === today);
    expect(await events(`from=${today}&to=${today}`)).toEqual(todays);
    expect(await events(`from=${yesterday}&to=${yesterday}`)).toEqual(all.filter((e) => e.createdAt.slice(0, 10) === yesterday));
    expect(await events('to=2000-01-01')).toEqual([]);
    // bad input: plain words, 400
    for (const [q, field] of [['from=2026-13-01', 'from'], ['to=yesterday', 'to'], [`from=${today}&to=${yesterday}`, 'to']] as const) {
      const res = await call('GET', `${url}?${q}`, ada);
      expect(res.status, q).toBe(400);
      expect(Object.keys(res.json().errors), q).toEqual([field]);
    }
    // the CSV holds the filtered events, newest first, one line each
    const csv = await call('GET', `${url}/export.csv?target=${encodeURIComponent('bob@customer.test')}`, ada);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('audit-log.csv');
    const rows = parse(csv.body) as string[][];
    expect(rows[0]).toEqual(['Time', 'Action', 'Actor', 'Target', 'Target email', 'Site', 'IP address', 'User agent', 'Details']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(bobs.map((e) => e.createdAt));
    expect(rows.slice(1).every((r) => r[3] === 'Bob Builder' && r[4] === 'bob@customer.test')).toBe(true);
    // org admins only, as the log itself
    expect((await call('GET', `${url}/export.csv`, greta)).status).toBe(404);
    expect((await call('GET', `${url}/export.csv`, sam)).status).toBe(404);
    expect((await call('GET', `${url}/export.csv?from=nope`, ada)).status).toBe(400);
  });

  it('T5: the audit CSV export neutralises formulas in names and details', async () => {
    const acme = (await findSiteBySlug(t.db, 'acme'))!;
    const id = await insertCustomer(t.db, { siteId: acme.id, email: 'formula@audit.test', displayName: '=HYPERLINK("http://x")', passwordHash: null });
    expect((await call('POST', `/api/admin/sites/acme/customers/${id}/revoke`, ada)).status).toBe(200);
    const csv = (await call('GET', `/api/admin/orgs/${sites.acme.orgId}/audit-log/export.csv?target=${encodeURIComponent(id)}`, ada)).body;
    expect(formulaCells(csv)).toEqual([]);
    expect(csv).toContain('HYPERLINK');
  });

  it('the admin API is documented in the OpenAPI document under the tag admin', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/admin/sites/{slug}/customers', '/api/admin/sites/{slug}/customers/bulk', '/api/admin/orgs/{orgId}/audit-log']) {
      expect(paths).toContain(p);
    }
    expect(doc.paths['/api/admin/sites/{slug}/customers/{accountId}/revoke'].post.tags).toEqual(['admin']);
  });
});
