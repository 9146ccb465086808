import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import {
  customerAuth, expectCreateMeta, expectError, expectJsmUser, expectPage, expectRequestType, expectServiceDesk, json, staffAuth,
  type Headers,
} from './rest-helpers.js';

let t: TestApp;
let sam: Headers; // agent of HELP
let ada: Headers; // org admin of Acme
let greta: Headers; // org admin of Globex
let sid: Headers; // site admin of globex only
let alice: Headers; // customer of acme (cookie)
let erin: Headers; // customer of globex (cookie)
let help: string;
let hr: string;
let sup: string;
let getItHelp: string;
let hardware: string;

beforeAll(async () => {
  t = await createTestApp();
  [sam, ada, greta, sid] = await Promise.all([
    staffAuth(t, 'agent@acme.test'),
    staffAuth(t, 'admin@acme.test', 'bearer'),
    staffAuth(t, 'admin@globex.test'),
    staffAuth(t, 'siteadmin@globex.test'),
  ]);
  alice = await customerAuth(t, 'acme', 'alice@customer.test');
  erin = await customerAuth(t, 'globex', 'erin@customer.test');
  const projects = await t.db.selectFrom('projects').select(['id', 'key', 'site_id']).execute();
  help = projects.find((p) => p.key === 'HELP')!.id;
  sup = projects.find((p) => p.key === 'SUP')!.id;
  // a second Acme project nobody but the admins works, with no customers
  const acmeSite = projects.find((p) => p.key === 'HELP')!.site_id;
  hr = String((await t.db.insertInto('projects').values({ site_id: acmeSite, key: 'HR', name: 'People', portal_name: 'HR portal', customer_access: 'restricted' }).returning('id').executeTakeFirstOrThrow()).id);
  const types = await t.db.selectFrom('request_types').select(['id', 'name']).execute();
  getItHelp = types.find((r) => r.name === 'Get IT help')!.id;
  hardware = types.find((r) => r.name === 'Request new hardware')!.id;
});
afterAll(() => t?.close());

const get = (url: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url, headers });

describe('GET /rest/servicedeskapi/servicedesk', () => {
  it('lists the desks each caller may use or work, as a JSM page of ServiceDeskDTO', async () => {
    const page = expectPage(json(await get('/s/acme/rest/servicedeskapi/servicedesk', sam), 200), expectServiceDesk);
    expect(page.values.map((d: any) => d.projectKey)).toEqual(['HELP']);
    const d = page.values[0];
    expect(d).toMatchObject({ id: help, projectId: help, projectKey: 'HELP', projectName: 'IT Help', projectTypeKey: 'service_desk' });
    expect(d._links.self).toBe(`http://localhost:80/s/acme/rest/servicedeskapi/servicedesk/${help}`);
    expect(page._links.base).toBe('http://localhost:80/s/acme');

    const admin = expectPage(json(await get('/s/acme/rest/servicedeskapi/servicedesk', ada), 200), expectServiceDesk);
    expect(admin.values.map((x: any) => x.projectKey)).toEqual(['HELP', 'HR']);
    const mine = expectPage(json(await get('/s/acme/rest/servicedeskapi/servicedesk', alice), 200), expectServiceDesk);
    expect(mine.values.map((x: any) => x.projectKey)).toEqual(['HELP']);
    const open = expectPage(json(await get('/s/globex/rest/servicedeskapi/servicedesk', erin), 200), expectServiceDesk);
    expect(open.values.map((x: any) => x.projectKey)).toEqual(['SUP']);
  });

  it('pages with start and limit, with next and prev links only where those pages exist', async () => {
    const first = expectPage(json(await get('/s/acme/rest/servicedeskapi/servicedesk?limit=1', ada), 200), expectServiceDesk);
    expect(first).toMatchObject({ start: 0, limit: 1, size: 1, isLastPage: false });
    expect(first._links.prev).toBeUndefined();
    const nextUrl = new URL(first._links.next);
    expect(nextUrl.searchParams.get('start')).toBe('1');
    const second = expectPage(json(await get(nextUrl.pathname + nextUrl.search, ada), 200), expectServiceDesk);
    expect(second).toMatchObject({ start: 1, limit: 1, size: 1, isLastPage: true });
    expect(second.values[0].projectKey).toBe('HR');
    expect(new URL(second._links.prev).searchParams.get('start')).toBe('0');
  });

  it('answers 401 without credentials, and 404 to other sites and organizations', async () => {
    expectError(await get('/s/acme/rest/servicedeskapi/servicedesk'), 401);
    expectError(await get('/s/acme/rest/servicedeskapi/servicedesk', greta), 404);
    expectError(await get('/s/globex-eu/rest/servicedeskapi/servicedesk', sid), 404);
    expectError(await get('/s/nowhere/rest/servicedeskapi/servicedesk', sam), 404);
    expectError(await get('/s/acme/rest/servicedeskapi/servicedesk', { authorization: 'Bearer not-a-token' }), 401);
  });
});

describe('GET /rest/servicedeskapi/servicedesk/{id}', () => {
  it('finds a desk by service desk id, project id or project key', async () => {
    for (const id of [help, 'HELP', 'help']) {
      const d = json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${id}`, sam), 200);
      expectServiceDesk(d);
      expect(d.id).toBe(help);
    }
  });

  it('is 404 for a desk the caller may not see: agent vs other project, customer vs restricted portal, org vs org', async () => {
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${hr}`, sam), 404);
    expectError(await get('/s/acme/rest/servicedeskapi/servicedesk/HR', alice), 404);
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}`, greta), 404);
    expectError(await get(`/s/globex/rest/servicedeskapi/servicedesk/${help}`, greta), 404); // HELP is not on globex
    expectError(await get('/s/acme/rest/servicedeskapi/servicedesk/99999', ada), 404);
    expectError(await get('/s/acme/rest/servicedeskapi/servicedesk/not%20a%20key', ada), 404);
  });
});

describe('request types and their fields', () => {
  it('lists request types in portal order; expand=field adds the form', async () => {
    const page = expectPage(json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype`, alice), 200), expectRequestType);
    expect(page.values.map((r: any) => r.name)).toEqual(['Get IT help', 'Request new hardware']);
    expect(page.values[0]).toMatchObject({ id: getItHelp, serviceDeskId: help, portalId: help, restrictionStatus: 'OPEN', canCreateRequest: true });
    expect(page.values[0].fields).toBeUndefined();

    for (const q of ['expand=field', 'expand=field&expand=other', 'expand=other,field']) {
      const expanded = expectPage(json(await get(`/s/acme/rest/servicedeskapi/servicedesk/HELP/requesttype?${q}`, sam), 200), expectRequestType);
      expect(expanded.values[0].fields.requestTypeFields.map((f: any) => f.name)).toEqual(['Summary', 'Description', 'Affected user']);
    }
  });

  it('filters by searchQuery and pages', async () => {
    const found = json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype?searchQuery=HARDWARE`, sam), 200);
    expect(found.values.map((r: any) => r.id)).toEqual([hardware]);
    const p = expectPage(json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype?limit=1&start=1`, sam), 200), expectRequestType);
    expect(p).toMatchObject({ start: 1, limit: 1, isLastPage: true });
    expect(p.values[0].id).toBe(hardware);
    // a group the desk does not have holds nothing (the desk's groups: rest-customer-requests.test.ts)
    expect(json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype?groupId=999999`, sam), 200).values).toEqual([]);
  });

  it('describes each field with jiraSchema: text fields by system id, user pickers with a numeric customId', async () => {
    const meta = json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype/${getItHelp}/field`, sam), 200);
    expectCreateMeta(meta);
    expect(meta.canRaiseOnBehalfOf).toBe(true);
    expect(meta.canAddRequestParticipants).toBe(true);
    const [summary, description, affected] = meta.requestTypeFields;
    expect(summary).toMatchObject({ fieldId: 'summary', required: true, jiraSchema: { type: 'string', system: 'summary' } });
    expect(description).toMatchObject({ fieldId: 'description', required: false, jiraSchema: { type: 'string', system: 'description' } });
    const cf = await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').executeTakeFirstOrThrow();
    expect(affected).toMatchObject({
      fieldId: `customfield_${cf.id}`,
      name: 'Affected user',
      jiraSchema: { type: 'user', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:userpicker', customId: Number(cf.id) },
    });
    const asCustomer = json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype/${getItHelp}/field`, alice), 200);
    expect(asCustomer.canRaiseOnBehalfOf).toBe(false);
  });

  it('is 404 for a request type of another desk, an unknown one, or a desk the caller may not see', async () => {
    const supType = (await t.db.selectFrom('request_types').select('id').where('project_id', '=', sup).executeTakeFirstOrThrow()).id;
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype/${supType}/field`, ada), 404);
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype/424242/field`, ada), 404);
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype/abc/field`, ada), 404);
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/requesttype`, greta), 404);
    // Acme's help-center cookie means nothing on globex: the caller is anonymous there
    expectError(await get(`/s/globex/rest/servicedeskapi/servicedesk/${sup}/requesttype/${supType}/field`, alice), 401);
    expectError(await get(`/s/globex/rest/servicedeskapi/servicedesk/${sup}/requesttype/${supType}/field`, sam), 404);
  });
});

describe('customers of a service desk', () => {
  const url = (desk: string) => `/s/acme/rest/servicedeskapi/servicedesk/${desk}/customer`;

  it('lists them by name, revoked ones with active:false, to the agents of the project', async () => {
    const page = expectPage(json(await get(url(help), sam), 200), expectJsmUser);
    expect(page.values.map((u: any) => [u.displayName, u.active])).toEqual([
      ['Alice Example', true],
      ['Bob Builder', true],
      ['Carol Customer', true],
      ['Dave Departed', false],
    ]);
    expect(page.values[0].emailAddress).toBe('alice@customer.test');
    expect(page.values[0].accountId).toMatch(/^qm:[0-9a-f-]{36}$/);
  });

  it('matches query against any part of the name or the email, and pages', async () => {
    expect(json(await get(`${url(help)}?query=builder`, sam), 200).values.map((u: any) => u.displayName)).toEqual(['Bob Builder']);
    expect(json(await get(`${url(help)}?query=CAROL%40cust`, sam), 200).values.map((u: any) => u.displayName)).toEqual(['Carol Customer']);
    expect(json(await get(`${url(help)}?query=dave`, sam), 200).values.map((u: any) => u.active)).toEqual([false]);
    const p = expectPage(json(await get(`${url(help)}?limit=3`, sam), 200), expectJsmUser);
    expect(p).toMatchObject({ size: 3, isLastPage: false });
    const rest = json(await get(`${url(help)}?limit=3&start=3`, sam), 200);
    expect(rest).toMatchObject({ size: 1, isLastPage: true });
  });

  it('an open desk lists every customer of its site', async () => {
    const page = json(await get(`/s/globex/rest/servicedeskapi/servicedesk/${sup}/customer`, greta), 200);
    expect(page.values.map((u: any) => u.displayName)).toEqual(['Alice Example', 'Erin Engineer']);
  });

  it('is 403 for a customer of the desk and 404 across projects, sites and organizations', async () => {
    expectError(await get(url(help), alice), 403);
    expectError(await get(url(hr), sam), 404);
    expectError(await get(url(help), greta), 404);
    expectError(await get(`/s/globex/rest/servicedeskapi/servicedesk/${sup}/customer`, sam), 404);
  });

  it('adds customers (204, empty body), all or nothing: a revoked or unknown id is a 400 and adds no one', async () => {
    const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    const dave = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    const post = (desk: string, payload: unknown, headers: Headers) => t.app.inject({ method: 'POST', url: url(desk), headers, payload: payload as object });
    const before = await t.db.selectFrom('project_customers').select('account_id').where('project_id', '=', hr).execute();
    expect(before).toEqual([]);

    expectError(await post(hr, { accountIds: [carol, dave] }, ada), 400, /Dave Departed is deactivated/);
    expectError(await post(hr, { accountIds: [carol, 'qm:00000000-0000-0000-0000-000000000000'] }, ada), 400, /does not exist/);
    expectError(await post(hr, { accountIds: [] }, ada), 400);
    expectError(await post(hr, { accountIds: [await accountIdOf(t.db, 'erin@customer.test', 'globex')] }, ada), 400); // another site's customer
    expect(await t.db.selectFrom('project_customers').select('account_id').where('project_id', '=', hr).execute()).toEqual([]);

    const ok = await post(hr, { accountIds: [carol] }, ada);
    expect(ok.statusCode).toBe(204);
    expect(ok.body).toBe('');
    const again = await post(hr, { accountIds: [carol] }, ada); // already a customer: ignored
    expect(again.statusCode).toBe(204);
    expect(json(await get(url(hr), ada), 200).values.map((u: any) => u.displayName)).toEqual(['Carol Customer']);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'target_id']).where('action', '=', 'project.customer.added').execute();
    expect(audit).toEqual([{ action: 'project.customer.added', target_id: carol }]);

    expectError(await post(help, { accountIds: [carol] }, alice), 403);
    expectError(await post(hr, { accountIds: [carol] }, sam), 404);
    expectError(await post(help, { accountIds: [carol] }, greta), 404);
  });

  it('accepts an empty body under a JSON content type as "no body" and answers a clear 400, not a 415 or 500', async () => {
    for (const method of ['POST', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: url(help), headers: { ...sam, 'content-type': 'application/json' }, payload: '' });
      expectError(res, 400, /accountIds/);
    }
    const unknownField = await t.app.inject({ method: 'POST', url: url(help), headers: sam, payload: { accountIds: [], extra: 1 } });
    expectError(unknownField, 400, /extra/);
  });

  it('removes customers from a restricted desk (204); an open desk answers 400', async () => {
    const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    const res = await t.app.inject({ method: 'DELETE', url: url(help), headers: sam, payload: { accountIds: [bob, 'qm:not-a-customer'] } });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(json(await get(url(help), sam), 200).values.map((u: any) => u.displayName)).not.toContain('Bob Builder');
    // Bob's requests and account are untouched
    expect((await t.db.selectFrom('requests').select('key').where('reporter_id', '=', bob).execute()).map((r) => r.key)).toEqual(['HELP-2']);
    // Bob can no longer use the restricted portal
    const bobCookie = await customerAuth(t, 'acme', 'bob@customer.test');
    expectError(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}`, bobCookie), 404);

    const open = await t.app.inject({
      method: 'DELETE', url: `/s/globex/rest/servicedeskapi/servicedesk/${sup}/customer`, headers: greta,
      payload: { accountIds: [await accountIdOf(t.db, 'erin@customer.test', 'globex')] },
    });
    expectError(open, 400, /open/);
    expectError(await t.app.inject({ method: 'DELETE', url: url(help), headers: alice, payload: { accountIds: [bob] } }), 403);
  });
});

describe('POST /rest/servicedeskapi/customer', () => {
  const create = (payload: unknown, headers: Headers, query = '') =>
    t.app.inject({ method: 'POST', url: `/s/acme/rest/servicedeskapi/customer${query}`, headers, payload: payload as object });

  it('creates a portal-only customer (201 UserDTO) that an agent can then add to the project', async () => {
    const res = await create({ displayName: 'Frank Fresh', email: 'Frank@Customer.test' }, sam);
    const user = json(res, 201);
    expectJsmUser(user);
    expect(user).toMatchObject({ displayName: 'Frank Fresh', emailAddress: 'Frank@Customer.test', active: true });
    expect(user.accountId).toMatch(/^qm:[0-9a-f-]{36}$/);
    const row = await t.db.selectFrom('accounts').selectAll().where('account_id', '=', user.accountId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'customer', status: 'active', password_hash: null });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'actor_id']).where('target_id', '=', user.accountId).execute();
    expect(audit).toEqual([{ action: 'customer.created', actor_id: await accountIdOf(t.db, 'agent@acme.test', null) }]);

    const added = await t.app.inject({ method: 'POST', url: `/s/acme/rest/servicedeskapi/servicedesk/${help}/customer`, headers: sam, payload: { accountIds: [user.accountId] } });
    expect(added.statusCode).toBe(204);
    expect(json(await get(`/s/acme/rest/servicedeskapi/servicedesk/${help}/customer?query=frank`, sam), 200).values[0].accountId).toBe(user.accountId);
    // and the new customer is found by the picker at once
    const picker = json(await get('/s/acme/rest/api/3/user/picker?query=fra', sam), 200);
    expect(picker.users.map((u: any) => u.accountId)).toEqual([user.accountId]);
  });

  it('accepts the deprecated fullName', async () => {
    const user = json(await create({ fullName: 'Gina Legacy', email: 'gina@customer.test' }, ada), 201);
    expect(user.displayName).toBe('Gina Legacy');
  });

  it('a duplicate email (any case, even a revoked account) is 400, or 409 with strictConflictStatusCode=true', async () => {
    expectError(await create({ displayName: 'Alice Again', email: 'ALICE@customer.test' }, sam), 400, /already exists/);
    expectError(await create({ displayName: 'Dave Again', email: 'dave@customer.test' }, sam), 400, /already exists/);
    expectError(await create({ displayName: 'Alice Again', email: 'alice@customer.test' }, sam, '?strictConflictStatusCode=true'), 409, /already exists/);
    expectError(await create({ displayName: 'Alice Again', email: 'alice@customer.test' }, sam, '?strictConflictStatusCode=false'), 400);
    // the same email on another site is another account
    const globexCarol = await t.app.inject({ method: 'POST', url: '/s/globex/rest/servicedeskapi/customer', headers: sid, payload: { displayName: 'Carol Customer', email: 'carol@customer.test' } });
    expect(globexCarol.statusCode).toBe(201);
  });

  it('refuses a missing or malformed email or name with 400 and creates nothing', async () => {
    const count = async () => Number((await t.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    expectError(await create({ displayName: 'No Mail' }, sam), 400, /email/);
    expectError(await create({ displayName: 'Bad Mail', email: 'not an email' }, sam), 400, /email/);
    expectError(await create({ email: 'noname@customer.test' }, sam), 400, /name/);
    expectError(await create({ displayName: '   ', email: 'blank@customer.test' }, sam), 400, /name/);
    expectError(await create({ displayName: 'X', email: 'x@customer.test', role: 'admin' }, sam), 400, /role/);
    expectError(await t.app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/customer', headers: { ...sam, 'content-type': 'application/json' }, payload: '' }), 400, /email/);
    expect(await count()).toBe(before);
  });

  it('needs an admin or an agent of the site: customers 403, other organizations 404', async () => {
    expectError(await create({ displayName: 'Sneaky', email: 'sneaky@customer.test' }, alice), 403);
    expectError(await create({ displayName: 'Sneaky', email: 'sneaky@customer.test' }, greta), 404);
    expectError(await create({ displayName: 'Sneaky', email: 'sneaky@customer.test' }, {}), 401);
  });
});

describe('OpenAPI', () => {
  it('documents every REST route with a tag, its parameters and its responses', async () => {
    const doc = json(await get('/api/openapi.json'), 200);
    const expected: Array<[string, string]> = [
      ['get', '/s/{site}/rest/servicedeskapi/servicedesk'],
      ['get', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}'],
      ['get', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype'],
      ['get', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}/field'],
      ['get', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/customer'],
      ['post', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/customer'],
      ['delete', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/customer'],
      ['post', '/s/{site}/rest/servicedeskapi/customer'],
      ['post', '/s/{site}/rest/servicedeskapi/request'],
      ['get', '/s/{site}/rest/servicedeskapi/request/{issueIdOrKey}'],
      ['get', '/s/{site}/rest/servicedeskapi/request/{issueIdOrKey}/participant'],
      ['post', '/s/{site}/rest/servicedeskapi/request/{issueIdOrKey}/participant'],
      ['delete', '/s/{site}/rest/servicedeskapi/request/{issueIdOrKey}/participant'],
      ['get', '/s/{site}/rest/servicedeskapi/request/{issueIdOrKey}/comment'],
      ['post', '/s/{site}/rest/servicedeskapi/request/{issueIdOrKey}/comment'],
      ['get', '/s/{site}/rest/servicedeskapi/knowledgebase/article'],
      ['get', '/s/{site}/rest/servicedeskapi/servicedesk/{serviceDeskId}/knowledgebase/article'],
      ['get', '/s/{site}/rest/api/3/user'],
      ['get', '/s/{site}/rest/api/3/user/search'],
      ['get', '/s/{site}/rest/api/3/user/picker'],
      ['get', '/s/{site}/rest/api/3/search/jql'],
      ['post', '/s/{site}/rest/api/3/search/jql'],
    ];
    for (const [method, path] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags.length, `${method} ${path} tags`).toBeGreaterThan(0);
      expect(op.parameters.some((p: any) => p.name === 'site' && p.in === 'path')).toBe(true);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '404']));
    }
    const picker = doc.paths['/s/{site}/rest/api/3/user/picker'].get.parameters.map((p: any) => p.name);
    expect(picker).toEqual(expect.arrayContaining(['query', 'maxResults', 'excludeAccountIds', 'exclude']));
    expect(doc.paths['/s/{site}/rest/servicedeskapi/customer'].post.requestBody).toBeDefined();
  });
});
