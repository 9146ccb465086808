import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { customerAuth, expectError, expectJsmUser, expectPage, expectUrl, json, staffAuth, type Headers } from './rest-helpers.js';

// Customer organizations (docs/product.md#customer-organizations), end to end through the REST API
// Atlassian publishes (/rest/servicedeskapi/organization…) and the web app's internal API: what a
// member notices — may raise on a project the organization is added to, loses it when removed,
// reads requests shared with the organization — and what a revoke and a grant do to a member.

let t: TestApp;
let sam: Headers; // agent of HELP (API token)
let ada: Headers; // org admin of Acme (API token)
let greta: Headers; // org admin of Globex (API token)
let acmeSite: string;
let help: string;
let getItHelp: string;
const ids: Record<string, string> = {};

const REST = '/s/acme/rest/servicedeskapi';
const get = (url: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url, headers });
const send = (method: 'POST' | 'DELETE' | 'PUT', url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({ method, url, headers: { 'content-type': 'application/json', ...headers }, payload: payload === undefined ? '' : JSON.stringify(payload) });
const count = async (table: 'customer_organizations' | 'customer_organization_members' | 'project_customer_organizations' | 'request_organizations') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

async function raise(headers: Headers, summary: string) {
  return send('POST', `${REST}/request`, headers, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary } });
}

async function createOrg(name: string, headers: Headers = sam): Promise<string> {
  const org = json(await send('POST', `${REST}/organization`, headers, { name }), 201);
  return org.id;
}

beforeAll(async () => {
  t = await createTestApp();
  [sam, ada, greta] = await Promise.all([staffAuth(t, 'agent@acme.test'), staffAuth(t, 'admin@acme.test'), staffAuth(t, 'admin@globex.test')]);
  const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  acmeSite = site.id;
  help = (await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id;
  getItHelp = (await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id;
  const f = factories(t.db);
  // customers of acme who were never added to HELP (restricted): only an organization can let them in
  ids.olga = await f.customer({ siteId: acmeSite, email: 'olga@initech.test', displayName: 'Olga Initech', password: DEMO_PASSWORD });
  ids.pete = await f.customer({ siteId: acmeSite, email: 'pete@initech.test', displayName: 'Pete Initech', password: DEMO_PASSWORD });
  ids.quinn = await f.customer({ siteId: acmeSite, email: 'quinn@initech.test', displayName: 'Quinn Outsider', password: DEMO_PASSWORD });
  ids.rita = await f.customer({ siteId: acmeSite, email: 'rita@elsewhere.test', displayName: 'Rita Outsider' });
  ids.alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  ids.dave = await accountIdOf(t.db, 'dave@customer.test', 'acme');
  ids.erin = await accountIdOf(t.db, 'erin@customer.test', 'globex');
});
afterAll(() => t?.close());

describe('an organization added to a project lets its members raise requests there', () => {
  it('create, add customers many at once, add to HELP: a member raises; removing the organization takes it away', async () => {
    const olga = await customerAuth(t, 'acme', 'olga@initech.test');
    // before: Olga is no customer of HELP
    expectError(await get(`${REST}/servicedesk/${help}`, olga), 404);
    expectError(await raise(olga, 'Printer on fire'), 404);

    const created = json(await send('POST', `${REST}/organization`, sam, { name: 'Initech' }), 201);
    expect(created).toMatchObject({ name: 'Initech', scimManaged: false });
    expect(typeof created.id).toBe('string');
    expect(created.created.epochMillis).toEqual(expect.any(Number));
    expectUrl(created._links.self);
    expect(created._links.self).toBe(`http://localhost:80/s/acme/rest/servicedeskapi/organization/${created.id}`);
    const org = created.id;

    expect((await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.olga, ids.pete], organizationId: Number(org) })).statusCode).toBe(204);
    const members = expectPage(json(await get(`${REST}/organization/${org}/user`, sam), 200), expectJsmUser);
    expect(members.values.map((u: any) => u.displayName)).toEqual(['Olga Initech', 'Pete Initech']);
    expect(members.values[0]).toMatchObject({ accountId: ids.olga, emailAddress: 'olga@initech.test', active: true });

    // membership alone gives nothing on a restricted project
    expectError(await raise(olga, 'Printer on fire'), 404);

    const addToHelp = await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: Number(org) });
    expect(addToHelp.statusCode).toBe(204);
    expect(addToHelp.body).toBe('');
    // adding it again changes nothing and still answers 204
    expect((await send('POST', `${REST}/servicedesk/HELP/organization`, sam, { organizationId: org })).statusCode).toBe(204);
    const deskOrgs = expectPage(json(await get(`${REST}/servicedesk/${help}/organization`, sam), 200), () => {});
    expect(deskOrgs.values.map((o: any) => o.name)).toEqual(['Initech']);

    const desks = json(await get(`${REST}/servicedesk`, olga), 200);
    expect(desks.values.map((d: any) => d.projectKey)).toEqual(['HELP']);
    const raised = json(await raise(olga, 'Printer on fire'), 201);
    expect(raised.reporter).toMatchObject({ accountId: ids.olga });

    // an agent may raise on behalf of a member too (the reporter rule is the same one)
    json(await send('POST', `${REST}/request`, sam, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'For Pete' }, raiseOnBehalfOf: ids.pete }), 201);

    expect((await send('DELETE', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: Number(org) })).statusCode).toBe(204);
    expect(json(await get(`${REST}/servicedesk/${help}/organization`, sam), 200).values).toEqual([]);
    expectError(await raise(olga, 'Another one'), 404);
    expectError(await get(`${REST}/servicedesk/${help}`, olga), 404);
    // her own request stays hers
    json(await get(`${REST}/request/${raised.issueKey}`, olga), 200);
    expectError(await send('POST', `${REST}/request`, sam, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'For Pete' }, raiseOnBehalfOf: ids.pete }), 400, /not a customer/);
  });
});

describe("revoked members", () => {
  it('P3: a revoked member stays a member, shown "(Deactivated)", gains nothing; a grant restores it all', async () => {
    const org = await createOrg('Revocation Ltd');
    await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.pete] });
    await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: Number(org) });
    const peteSession = await loginCustomer(t.app, 'acme', 'pete@initech.test');
    json(await raise(as(peteSession), 'Before the revoke'), 201);

    expect((await send('PUT', `${REST}/customer/user/${ids.pete}/revoke-portal-only-access`, ada)).statusCode).toBe(204);
    // his session is gone, he cannot log in: membership gives him nothing
    expect((await raise(as(peteSession), 'After the revoke')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email: 'pete@initech.test', password: DEMO_PASSWORD } })).statusCode).toBe(401);
    // nor can an agent raise on his behalf, or add him to another organization
    expectError(await send('POST', `${REST}/request`, sam, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'x' }, raiseOnBehalfOf: ids.pete }), 400, /deactivated/);
    const other = await createOrg('Other Revocation Ltd');
    expectError(await send('POST', `${REST}/organization/${other}/user`, sam, { accountIds: [ids.pete] }), 400, /deactivated/);
    expect(json(await get(`${REST}/organization/${other}/user`, sam), 200).values).toEqual([]);

    // still a member: REST says active:false, the web app's API labels him "(Deactivated)"
    const members = json(await get(`${REST}/organization/${org}/user`, sam), 200);
    expect(members.values).toEqual([expect.objectContaining({ accountId: ids.pete, displayName: 'Pete Initech', active: false })]);
    const staff = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'agent@acme.test', password: DEMO_PASSWORD } });
    const cookie = `portico_sid=${staff.cookies.find((c) => c.name === 'portico_sid')!.value}`;
    const internal = json(await get(`/s/acme/api/organizations/${org}/members`, { cookie }), 200);
    expect(internal.values).toEqual([expect.objectContaining({ accountId: ids.pete, label: 'Pete Initech (Deactivated)', status: 'revoked', statusLabel: 'Access revoked' })]);

    expect((await send('PUT', `${REST}/customer/user/${ids.pete}/grant-portal-only-access`, ada)).statusCode).toBe(204);
    const back = await customerAuth(t, 'acme', 'pete@initech.test');
    json(await raise(back, 'After the grant'), 201);
    const again = json(await get(`/s/acme/api/organizations/${org}/members`, { cookie }), 200);
    expect(again.values).toEqual([expect.objectContaining({ accountId: ids.pete, label: 'Pete Initech', status: 'active' })]);
    await send('DELETE', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: Number(org) });
  });
});

describe('sharing a request with the reporter\'s organization', () => {
  it('makes the request readable to the members, lists it under "shared", and ending the share takes it back', async () => {
    const org = await createOrg('Sharing Inc');
    await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.alice, ids.quinn] });
    const alice = await customerAuth(t, 'acme', 'alice@customer.test');
    const quinn = await customerAuth(t, 'acme', 'quinn@initech.test');
    const r = json(await raise(alice, 'VPN drops every hour'), 201);
    expectError(await get(`${REST}/request/${r.issueKey}`, quinn), 404);

    // only the reporter (or an agent) shares, and only with an organization the reporter is in
    const other = await createOrg('Not Alice\'s');
    const refused = await t.app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${r.issueKey}/organizations`, headers: alice, payload: { organizationId: other } });
    expectError(refused, 400, /reporter is not one of its members/);
    const byQuinn = await t.app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${r.issueKey}/organizations`, headers: quinn, payload: { organizationId: org } });
    expectError(byQuinn, 404);

    const shared = json(await t.app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${r.issueKey}/organizations`, headers: alice, payload: { organizationId: org } }), 200);
    expect(shared.values.map((o: any) => o.name)).toEqual(['Sharing Inc']);
    json(await get(`${REST}/request/${r.issueKey}`, quinn), 200);
    // and finds it in a JQL search, as the request it now is to her
    const found = json(await get(`/s/acme/rest/api/3/search/jql?${new URLSearchParams({ jql: 'project = HELP', fields: 'summary' })}`, quinn), 200);
    expect(found.issues.map((i: any) => i.key)).toEqual([r.issueKey]);
    const mine = json(await get('/s/acme/api/portal/requests?filter=shared', quinn), 200);
    expect(mine.values.map((x: any) => x.key)).toContain(r.issueKey);
    // a member may reply
    json(await send('POST', `${REST}/request/${r.issueKey}/comment`, quinn, { body: 'Same here.', public: true }), 201);

    const unshared = json(await t.app.inject({ method: 'DELETE', url: `/s/acme/api/portal/requests/${r.issueKey}/organizations/${org}`, headers: alice }), 200);
    expect(unshared.values).toEqual([]);
    expectError(await get(`${REST}/request/${r.issueKey}`, quinn), 404);
    expect(json(await get(`/s/acme/rest/api/3/search/jql?${new URLSearchParams({ jql: 'project = HELP' })}`, quinn), 200).issues).toEqual([]);
  });
});

describe('who may manage organizations', () => {
  it('customers read only their own organizations and change none; agents may not delete; admins may', async () => {
    const org = await createOrg('Managed Co');
    await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.olga] });
    const olga = await customerAuth(t, 'acme', 'olga@initech.test');
    const quinn = await customerAuth(t, 'acme', 'quinn@initech.test');

    const own = json(await get(`${REST}/organization`, olga), 200);
    expect(own.values.map((o: any) => o.name)).toContain('Managed Co');
    expect(own.values.every((o: any) => ['Initech', 'Managed Co'].includes(o.name))).toBe(true);
    json(await get(`${REST}/organization/${org}`, olga), 200);
    expectError(await get(`${REST}/organization/${org}`, quinn), 404);
    expectError(await get(`${REST}/organization/${org}/user`, quinn), 404);
    // a member sees the others by name, never their email (T2)
    const seen = json(await get(`${REST}/organization/${org}/user`, olga), 200);
    expect(seen.values[0]).toMatchObject({ accountId: ids.olga, emailAddress: 'olga@initech.test' });

    expectError(await send('POST', `${REST}/organization`, olga, { name: 'Mine' }), 403);
    expectError(await send('POST', `${REST}/organization/${org}/user`, olga, { accountIds: [ids.quinn] }), 403);
    expectError(await send('POST', `${REST}/servicedesk/${help}/organization`, olga, { organizationId: Number(org) }), 404);
    expectError(await send('DELETE', `${REST}/organization/${org}`, sam), 403, /admins/);
    json(await get(`${REST}/organization/${org}`, sam), 200);

    await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: Number(org) });
    expect((await send('DELETE', `${REST}/organization/${org}`, ada)).statusCode).toBe(204);
    expectError(await get(`${REST}/organization/${org}`, ada), 404);
    // its members lose what they had through it
    expectError(await raise(olga, 'After the delete'), 404);
    expect(await t.db.selectFrom('customer_organization_members').select('account_id').where('organization_id', '=', org).execute()).toEqual([]);
  });
});

describe('T1: an organization of one site is invisible from another', () => {
  it('T1: another organization\'s admin, another site\'s URL and another site\'s customers all get "does not exist"', async () => {
    const org = await createOrg('Acme Only');
    for (const url of [`/s/globex/rest/servicedeskapi/organization/${org}`, `/s/globex/rest/servicedeskapi/organization/${org}/user`, `${REST}/organization/${org}`]) {
      expectError(await get(url, greta), 404);
    }
    expect(json(await get('/s/globex/rest/servicedeskapi/organization', greta), 200).values).toEqual([]);
    expectError(await get(`${REST}/organization`, greta), 404);
    // a Globex admin cannot add Acme's organization to SUP, nor Acme's people to a Globex organization
    const globexOrg = json(await send('POST', '/s/globex/rest/servicedeskapi/organization', greta, { name: 'Acme Only' }), 201).id;
    expectError(await send('POST', '/s/globex/rest/servicedeskapi/servicedesk/SUP/organization', greta, { organizationId: Number(org) }), 404);
    expectError(await send('POST', `/s/globex/rest/servicedeskapi/organization/${globexOrg}/user`, greta, { accountIds: [ids.olga] }), 400, /does not exist/);
    // nor Acme's agent Globex's customers, or Globex's organization to HELP
    expectError(await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.erin] }), 400, /does not exist/);
    expectError(await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: Number(globexOrg) }), 404);
    expectError(await send('DELETE', `${REST}/organization/${globexOrg}`, ada), 404);
  });
});

describe('D1: bad input is a clear 4xx and changes nothing', () => {
  it('D1: names, ids and lists that cannot be right are refused with 400', async () => {
    await createOrg('Unique Name');
    const before = await Promise.all([count('customer_organizations'), count('customer_organization_members'), count('project_customer_organizations')]);
    expectError(await send('POST', `${REST}/organization`, sam, {}), 400, /name/);
    expectError(await send('POST', `${REST}/organization`, sam, { name: '   ' }), 400, /empty/);
    expectError(await send('POST', `${REST}/organization`, sam, { name: 'x'.repeat(201) }), 400, /200 characters/);
    expectError(await send('POST', `${REST}/organization`, sam, { name: 'Bad\u202Ename' }), 400, /control/);
    expectError(await send('POST', `${REST}/organization`, sam, { name: 'unique NAME' }), 400, /already exists/);
    expectError(await send('POST', `${REST}/organization`, sam, { name: 12 }), 400);
    expectError(await send('POST', `${REST}/organization`, sam, { name: 'A', extra: 1 }), 400);
    expectError(await get(`${REST}/organization/abc`, sam), 404);
    expectError(await get(`${REST}/organization/99999999999`, sam), 404);
    const org = await createOrg('Input Checks');
    const afterCreate = await count('customer_organizations');
    expectError(await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [] }), 400, /at least one/);
    expectError(await send('POST', `${REST}/organization/${org}/user`, sam, {}), 400, /at least one/);
    expectError(await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.olga, 'qm:00000000-0000-0000-0000-000000000000'] }), 400, /does not exist/);
    expectError(await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.olga, ids.dave] }), 400, /deactivated/);
    expect(json(await get(`${REST}/organization/${org}/user`, sam), 200).values).toEqual([]); // all or nothing
    expectError(await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: 'abc' }), 400, /organizationId/);
    expectError(await send('POST', `${REST}/servicedesk/${help}/organization`, sam, {}), 400, /organizationId/);
    expectError(await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: -4 }), 400, /organizationId/);
    expectError(await send('POST', `${REST}/servicedesk/${help}/organization`, sam, { organizationId: 99999999 }), 404);
    expect(await count('customer_organizations')).toBe(afterCreate);
    expect(before[0] + 1).toBe(afterCreate);
    expect([await count('customer_organization_members'), await count('project_customer_organizations')]).toEqual([before[1], before[2]]);
  });
});

describe('renaming and the internal API', () => {
  it('an agent renames an organization; a taken name is refused; writes with the cookie need the CSRF token', async () => {
    const staff = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'agent@acme.test', password: DEMO_PASSWORD } });
    const cookie = `portico_sid=${staff.cookies.find((c) => c.name === 'portico_sid')!.value}`;
    const csrf = staff.json().csrfToken as string;
    const created = await t.app.inject({ method: 'POST', url: '/s/acme/api/organizations', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'Rename Me' } });
    const org = json(created, 201).id;
    const forged = await t.app.inject({ method: 'PUT', url: `/s/acme/api/organizations/${org}`, headers: { cookie }, payload: { name: 'Forged' } });
    expect(forged.statusCode).toBe(403);
    await createOrg('Taken');
    expect((await t.app.inject({ method: 'PUT', url: `/s/acme/api/organizations/${org}`, headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'taken' } })).statusCode).toBe(400);
    const renamed = json(await t.app.inject({ method: 'PUT', url: `/s/acme/api/organizations/${org}`, headers: { cookie, 'x-csrf-token': csrf }, payload: { name: '  Renamed  ' } }), 200);
    expect(renamed.name).toBe('Renamed');
    expect(json(await get(`${REST}/organization/${org}`, sam), 200).name).toBe('Renamed');
    const list = json(await get('/s/acme/api/organizations?query=renam', { cookie }), 200);
    expect(list).toMatchObject({ canManage: true, canDelete: false });
    expect(list.values.map((o: any) => o.name)).toEqual(['Renamed']);
    const events = await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'customer_organization.%').execute();
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['customer_organization.created', 'customer_organization.renamed', 'customer_organization.member.added', 'customer_organization.deleted']));
  });
});

describe("the project's sharing setting and the pickers", () => {
  it('P1: under "organizations" members find each other in Share with, and nobody else; a share with anyone else is refused on the server', async () => {
    const staff = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'agent@acme.test', password: DEMO_PASSWORD } });
    const agent = { cookie: `portico_sid=${staff.cookies.find((c) => c.name === 'portico_sid')!.value}`, 'x-csrf-token': staff.json().csrfToken as string };
    const org = await createOrg('Pickers Inc');
    await send('POST', `${REST}/organization/${org}/user`, sam, { accountIds: [ids.olga, ids.pete, ids.alice] });
    const alice = await customerAuth(t, 'acme', 'alice@customer.test');
    const picker = async (query: string, projectId?: string) =>
      json(await get(`/s/acme/api/users/picker?${new URLSearchParams({ query, fieldKey: 'participants', ...(projectId ? { projectId } : {}) })}`, alice), 200).users.map((u: any) => u.displayName);

    // the demo's HELP lets its customers find anyone in the project (customer-sharing.test.ts has every level)
    expect(json(await get('/s/acme/api/agent/projects/HELP/organizations', agent), 200).project.customerSharing).toBe('project');
    const set = await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: agent, payload: { customerSharing: 'organizations' } });
    expect(json(set, 200)).toEqual({ customerSharing: 'organizations' });
    // members find each other; Rita, in no organization of Alice's, is not offered
    expect(await picker('initech', help)).toEqual(['Olga Initech', 'Pete Initech']);
    expect(await picker('rita', help)).toEqual([]);
    // a revoked member is never offered (P1), and comes back with a grant
    await send('PUT', `${REST}/customer/user/${ids.pete}/revoke-portal-only-access`, ada);
    expect(await picker('initech', help)).toEqual(['Olga Initech']);
    await send('PUT', `${REST}/customer/user/${ids.pete}/grant-portal-only-access`, ada);
    expect(await picker('pete', help)).toEqual(['Pete Initech']);

    // the server holds the rule, whatever the picker offered
    const withRita = await send('POST', `${REST}/request`, alice, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'Shared with Rita?' }, requestParticipants: [ids.rita] });
    expectError(withRita, 400, /share requests only within their organizations/);
    const raised = json(await send('POST', `${REST}/request`, alice, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'Shared with Olga' }, requestParticipants: [ids.olga] }), 201);
    expectError(await send('POST', `${REST}/request/${raised.issueKey}/participant`, alice, { accountIds: [ids.rita] }), 400, /share requests only within their organizations/);
    json(await send('POST', `${REST}/request/${raised.issueKey}/participant`, alice, { accountIds: [ids.pete] }), 200);
    // staff are not bound by it
    json(await send('POST', `${REST}/request/${raised.issueKey}/participant`, sam, { accountIds: [ids.rita] }), 200);

    // bad values change nothing
    expectError(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: agent, payload: { customerSharing: 'everyone' } }), 400);
    expectError(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: agent, payload: { customerSharing: 'site' } }), 400);
    expectError(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: alice, payload: { customerSharing: 'project' } }), 403);
    expect(json(await get('/s/acme/api/agent/projects/HELP/organizations', agent), 200).project.customerSharing).toBe('organizations');

    // 'project': anyone in the project — Rita once she is a customer of HELP, never before
    json(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: agent, payload: { customerSharing: 'project' } }), 200);
    await t.db.deleteFrom('request_participants').where('account_id', '=', ids.rita).execute();
    expect(await picker('rita', help)).toEqual([]);
    await t.db.insertInto('project_customers').values({ site_id: acmeSite, project_id: help, account_id: ids.rita }).execute();
    expect(await picker('rita', help)).toEqual(['Rita Outsider']);
    json(await send('POST', `${REST}/request/${raised.issueKey}/participant`, alice, { accountIds: [ids.rita] }), 200);
    await t.db.deleteFrom('project_customers').where('account_id', '=', ids.rita).execute();
    json(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: agent, payload: { customerSharing: 'organizations' } }), 200);
  });
});

describe('REST paging', () => {
  it('pages organizations with start and limit, with next and prev links', async () => {
    const first = json(await get(`${REST}/organization?limit=2`, ada), 200);
    expect(first).toMatchObject({ start: 0, limit: 2, size: 2, isLastPage: false });
    expectUrl(first._links.next);
    const second = json(await get(first._links.next.replace('http://localhost:80', ''), ada), 200);
    expect(second.start).toBe(2);
    expectUrl(second._links.prev);
    expect(second.values[0].id).not.toBe(first.values[0].id);
    const byMember = json(await get(`${REST}/organization?accountId=${encodeURIComponent(ids.olga)}`, ada), 200);
    expect(byMember.values.map((o: any) => o.name)).toEqual(['Initech', 'Pickers Inc']);
  });
});
