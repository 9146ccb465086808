import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { findSiteBySlug, type SiteRow } from '../../src/db/queries/sites.js';
import { newStaffAccountId } from '../../src/db/queries/staff-accounts.js';
import { sortNameFor } from '../../src/domain/search-terms.js';
import { staffAuth, type Headers } from './rest-helpers.js';

// Tenant isolation for staff accounts. Staff accounts are global (one account, roles in any number
// of organizations), so every place that names, finds or lists a person on a site must ask whether
// they are staff of THAT site's organization. The grid below gives Acme's staff every kind of
// value a route takes — an account id, an email, a display name — naming Globex's staff, and
// expects exactly the answer a stranger's value gets; and it reads Globex's requests, filters,
// audit events and customers from Acme: 404.

let t: TestApp;
let acme: SiteRow;
let globex: SiteRow;
let ada: Session; // org admin of Acme (cookie, for the web app's own APIs)
let adaRest: Headers; // the same, by API token (REST)
let greta: Session; // org admin of Globex
let gretaRest: Headers;
const ids: Record<string, string> = {};
let helpId: string;
let hardwareTypeId: string;
let getItHelpTypeId: string;
let approverKey: string; // a user-picker field that may hold anyone (staff too)
const STRANGER_ID = 'a0b1c2d3e4f5a6b7c8d9e0f1'; // shaped like a staff account id, belongs to nobody
const STRANGER_EMAIL = 'nobody@nowhere.test';

beforeAll(async () => {
  t = await createTestApp();
  acme = (await findSiteBySlug(t.db, 'acme'))!;
  globex = (await findSiteBySlug(t.db, 'globex'))!;
  ada = await loginStaff(t.app, 'admin@acme.test');
  greta = await loginStaff(t.app, 'admin@globex.test');
  adaRest = await staffAuth(t, 'admin@acme.test');
  gretaRest = await staffAuth(t, 'admin@globex.test');
  ids.sam = await accountIdOf(t.db, 'agent@acme.test', null);
  ids.greta = await accountIdOf(t.db, 'admin@globex.test', null);
  ids.sid = await accountIdOf(t.db, 'siteadmin@globex.test', null);
  ids.alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  ids.globexAlice = await accountIdOf(t.db, 'alice@customer.test', 'globex');
  // a staff account with no role anywhere: a stranger to every organization
  ids.nora = newStaffAccountId();
  await t.db.insertInto('accounts').values({
    account_id: ids.nora, kind: 'staff', site_id: null, email: 'nora@noroles.test', email_lower: 'nora@noroles.test',
    display_name: 'Nora Noroles', sort_name: sortNameFor('Nora Noroles'), password_hash: null,
  }).execute();
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpTypeId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  hardwareTypeId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Request new hardware').executeTakeFirstOrThrow()).id);
  // Approver may hold anyone: staff of Acme are valid values, so a refusal of Globex's staff is
  // about the organization, not about staff in general
  const approver = await t.db.updateTable('custom_fields').set({ audience: 'anyone' }).where('site_id', '=', acme.id).where('name', '=', 'Approver').returning('id').executeTakeFirstOrThrow();
  approverKey = `customfield_${approver.id}`;
});
afterAll(() => t?.close());

type Call = (value: string) => Promise<LightMyRequestResponse>;

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({ method, url, headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: payload as object }) });

/** The status and body of an answer with `value` written as a placeholder. */
function shape(res: LightMyRequestResponse, value: string) {
  return { status: res.statusCode, body: res.body.split(value).join('<value>').split(encodeURIComponent(value)).join('<value>') };
}

/**
 * `call` answers for each of the other organization's values exactly as for a stranger's (status
 * and body, the value itself aside), with the given status; and a value of Acme's own staff gets
 * through (`ownOk`), so that the refusal is about the organization and not about every staff member.
 */
async function asUnknownAsAStranger(call: Call, strangerValue: string, otherOrgValues: string[], expected: { status: number; ownValue?: string; ownStatus?: number }) {
  const stranger = shape(await call(strangerValue), strangerValue);
  expect(stranger.status, stranger.body).toBe(expected.status);
  if (expected.status === 400) expect(stranger.body).toMatch(/does not exist|No customer with the email/);
  for (const v of otherOrgValues) expect(shape(await call(v), v), v).toEqual(stranger);
  if (expected.ownValue !== undefined) {
    const own = await call(expected.ownValue);
    expect(own.statusCode, own.body).toBe(expected.ownStatus ?? 200);
  }
}

describe('T1: staff of another organization are as unknown as a stranger where a value names them', () => {
  it('T1: raising on behalf of (help center and REST): 400 "does not exist" for their id and email', async () => {
    const portal: Call = (v) => inject('POST', '/s/acme/api/portal/requests', as(ada), { projectId: helpId, requestTypeId: getItHelpTypeId, fields: { summary: 'On behalf' }, onBehalfOf: v });
    const rest: Call = (v) => inject('POST', '/s/acme/rest/servicedeskapi/request', adaRest, { serviceDeskId: helpId, requestTypeId: getItHelpTypeId, requestFieldValues: { summary: 'On behalf' }, raiseOnBehalfOf: v });
    for (const call of [portal, rest]) {
      await asUnknownAsAStranger(call, STRANGER_ID, [ids.greta, ids.sid, ids.nora], { status: 400, ownValue: ids.sam, ownStatus: 201 });
      await asUnknownAsAStranger(call, STRANGER_EMAIL, ['admin@globex.test', 'SiteAdmin@Globex.test', 'nora@noroles.test'], { status: 400, ownValue: 'agent@acme.test', ownStatus: 201 });
    }
  });

  it('T1: sharing a new request, and a user-picker field that may hold anyone: 400 "does not exist"', async () => {
    const share: Call = (v) => inject('POST', '/s/acme/api/portal/requests', as(ada), { projectId: helpId, requestTypeId: getItHelpTypeId, fields: { summary: 'Shared' }, participants: [v] });
    const restShare: Call = (v) => inject('POST', '/s/acme/rest/servicedeskapi/request', adaRest, { serviceDeskId: helpId, requestTypeId: getItHelpTypeId, requestFieldValues: { summary: 'Shared' }, requestParticipants: [v] });
    const field: Call = (v) => inject('POST', '/s/acme/api/portal/requests', as(ada), { projectId: helpId, requestTypeId: hardwareTypeId, fields: { summary: 'Approve', [approverKey]: v } });
    const restField: Call = (v) => inject('POST', '/s/acme/rest/servicedeskapi/request', adaRest, { serviceDeskId: helpId, requestTypeId: hardwareTypeId, requestFieldValues: { summary: 'Approve', [approverKey]: [{ accountId: v }] } });
    for (const call of [share, restShare, field, restField]) {
      await asUnknownAsAStranger(call, STRANGER_ID, [ids.greta, ids.sid, ids.nora], { status: 400, ownValue: ids.sam, ownStatus: 201 });
    }
  });

  it('T1: adding request participants (help center, REST, agent view): 400 "does not exist"', async () => {
    const portal: Call = (v) => inject('POST', '/s/acme/api/portal/requests/HELP-1/participants', as(ada), { accountIds: [v] });
    const rest: Call = (v) => inject('POST', '/s/acme/rest/servicedeskapi/request/HELP-1/participant', adaRest, { accountIds: [v] });
    const agent: Call = (v) => inject('PUT', '/s/acme/api/agent/requests/HELP-2/people', as(ada), { participants: [ids.alice, v] });
    for (const call of [portal, rest, agent]) {
      await asUnknownAsAStranger(call, STRANGER_ID, [ids.greta, ids.sid, ids.nora], { status: 400, ownValue: ids.sam });
    }
    const stored = await t.db.selectFrom('request_participants').select('account_id').where('account_id', 'in', [ids.greta, ids.sid, ids.nora]).execute();
    expect(stored).toEqual([]);
  });

  it('T1: the agent view\'s Reporter and user-picker fields: 400 "does not exist"', async () => {
    const reporter: Call = (v) => inject('PUT', '/s/acme/api/agent/requests/HELP-3/people', as(ada), { reporter: v });
    const field: Call = (v) => inject('PUT', '/s/acme/api/agent/requests/HELP-3/people', as(ada), { fields: { [approverKey]: [v] } });
    for (const call of [reporter, field]) {
      await asUnknownAsAStranger(call, STRANGER_ID, [ids.greta, ids.sid, ids.nora], { status: 400, ownValue: ids.sam });
    }
    const help3 = await t.db.selectFrom('requests').select('reporter_id').where('key', '=', 'HELP-3').where('site_id', '=', acme.id).executeTakeFirstOrThrow();
    expect([ids.greta, ids.sid, ids.nora]).not.toContain(help3.reporter_id);
  });

  it('T1: adding project customers: another organization\'s staff and customers are refused like a stranger', async () => {
    const agent: Call = (v) => inject('POST', '/s/acme/api/agent/projects/HELP/customers', as(ada), { accountIds: [v] });
    const rest: Call = (v) => inject('POST', `/s/acme/rest/servicedeskapi/servicedesk/${helpId}/customer`, adaRest, { accountIds: [v] });
    for (const call of [agent, rest]) await asUnknownAsAStranger(call, STRANGER_ID, [ids.greta, ids.sid, ids.globexAlice], { status: 400 });
  });

  it('T1: JQL user values (REST and the agent search): their id, email and name "do not exist"', async () => {
    const rest = (field: string): Call => (v) => inject('POST', '/s/acme/rest/api/3/search/jql', adaRest, { jql: `${field} = "${v}"`, fields: ['summary'] });
    const agent = (field: string): Call => (v) => inject('GET', `/s/acme/api/agent/search?jql=${encodeURIComponent(`${field} = "${v}"`)}`, as(ada));
    for (const field of ['reporter', 'participant', 'Approver']) {
      for (const call of [rest(field), agent(field)]) {
        await asUnknownAsAStranger(call, STRANGER_ID, [ids.greta, ids.sid, ids.nora], { status: 400, ownValue: ids.sam });
        await asUnknownAsAStranger(call, STRANGER_EMAIL, ['admin@globex.test', ' SiteAdmin@Globex.test ', 'nora@noroles.test'], { status: 400, ownValue: 'agent@acme.test' });
        await asUnknownAsAStranger(call, 'Nobody Atall', ['Greta Orgadmin', 'sid siteadmin', 'Nora Noroles'], { status: 400, ownValue: 'Sam Agent' });
      }
    }
  });

  it('T1: a saved filter never stores an account id of another organization\'s staff', async () => {
    const save: Call = (v) => inject('POST', '/s/acme/api/agent/filters', as(ada), { name: `f ${v}`, jql: `reporter in ("${v}", "bob@customer.test")` });
    await asUnknownAsAStranger(save, STRANGER_EMAIL, ['admin@globex.test', 'siteadmin@globex.test'], { status: 400, ownValue: 'agent@acme.test', ownStatus: 201 });
    await asUnknownAsAStranger(save, 'Nobody Atall', ['Greta Orgadmin'], { status: 400 });
    const stored = await t.db.selectFrom('saved_filters').select('jql').execute();
    expect(stored.length).toBeGreaterThan(0);
    for (const f of stored) for (const id of [ids.greta, ids.sid, ids.nora]) expect(f.jql).not.toContain(id);
    expect(stored.some((f) => f.jql.includes(ids.sam))).toBe(true);
  });
});

describe('T1: staff of another organization are not pickable, searchable or readable', () => {
  it('T1: user?accountId= is 404 for them; user/search and every picker leave them out', async () => {
    const user = (v: string) => inject('GET', `/s/acme/rest/api/3/user?accountId=${encodeURIComponent(v)}`, adaRest);
    await asUnknownAsAStranger(user, STRANGER_ID, [ids.greta, ids.sid, ids.nora], { status: 404, ownValue: ids.sam });

    const found = async (url: string, pick: (body: any) => Array<{ accountId: string }>) => pick((await inject('GET', url, url.includes('/rest/') ? adaRest : as(ada))).json()).map((u) => u.accountId);
    for (const q of ['greta', 'admin@globex', 'sid', 'siteadmin', 'nora', 'Sam']) {
      const results = [
        ...(await found(`/s/acme/rest/api/3/user/search?query=${encodeURIComponent(q)}`, (b) => b)),
        ...(await found(`/s/acme/rest/api/3/user/picker?query=${encodeURIComponent(q)}`, (b) => b.users)),
        ...(await found(`/s/acme/api/users/picker?query=${encodeURIComponent(q)}&fieldKey=reporter`, (b) => b.users)),
        ...(await found(`/s/acme/api/users/picker?query=${encodeURIComponent(q)}&fieldKey=${approverKey}`, (b) => b.users)),
        ...(await found(`/s/acme/api/agent/filter-users?query=${encodeURIComponent(q)}`, (b) => b.users)),
      ];
      if (q === 'Sam') expect(results.filter((id) => id === ids.sam)).toHaveLength(5);
      else expect(results, q).toEqual([]);
    }
    for (const id of [ids.greta, ids.sid, ids.nora]) {
      expect((await inject('GET', `/s/acme/rest/api/3/user/search?accountId=${id}`, adaRest)).json()).toEqual([]);
    }
    expect((await inject('GET', `/s/acme/rest/api/3/user/search?accountId=${ids.sam}`, adaRest)).json()).toHaveLength(1);
  });

  it('T1: a request that names another organization\'s staff member is still not theirs to read', async () => {
    // a participant row written before this rule existed (or by hand): it gives Greta nothing
    const help1 = await t.db.selectFrom('requests').select('id').where('key', '=', 'HELP-1').where('site_id', '=', acme.id).executeTakeFirstOrThrow();
    await t.db.insertInto('request_participants').values({ site_id: acme.id, request_id: help1.id, account_id: ids.greta }).execute();
    try {
      for (const [method, url, payload] of [
        ['GET', '/s/acme/api/portal/requests/HELP-1'],
        ['GET', '/s/acme/api/portal/requests/HELP-1/comments'],
        ['POST', '/s/acme/api/portal/requests/HELP-1/comments', { body: 'hello' }],
        ['DELETE', '/s/acme/api/portal/requests/HELP-1/participants', { accountIds: [ids.greta] }],
      ] as const) {
        const res = await inject(method, url, as(greta), payload);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      for (const url of ['/s/acme/rest/servicedeskapi/request/HELP-1', '/s/acme/rest/servicedeskapi/request/HELP-1/participant', '/s/acme/rest/servicedeskapi/request/HELP-1/comment']) {
        expect((await inject('GET', url, gretaRest)).statusCode, url).toBe(404);
      }
      expect((await inject('GET', '/s/acme/api/portal/requests?filter=shared', as(greta))).json().values).toEqual([]);
      // the control: Bob, a customer participant of HELP-1, reads it
      const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
      expect((await inject('GET', '/s/acme/api/portal/requests/HELP-1', as(bob))).statusCode).toBe(200);
    } finally {
      await t.db.deleteFrom('request_participants').where('account_id', '=', ids.greta).execute();
    }
  });
});

describe('T1: nothing of Globex is readable from Acme: 404', () => {
  it('T1: Globex\'s requests, through every surface', async () => {
    for (const url of [
      '/s/acme/api/portal/requests/SUP-1',
      '/s/globex/api/portal/requests/SUP-1',
      '/s/globex/api/agent/requests/SUP-1',
      '/s/globex/api/agent/projects/SUP/queue',
      '/s/globex/api/agent/search?jql=project%20%3D%20SUP',
    ]) {
      expect((await inject('GET', url, as(ada))).statusCode, url).toBe(404);
    }
    for (const url of ['/s/globex/rest/servicedeskapi/request/SUP-1', '/s/acme/rest/servicedeskapi/request/SUP-1', '/s/globex/rest/servicedeskapi/servicedesk']) {
      expect((await inject('GET', url, adaRest)).statusCode, url).toBe(404);
    }
    expect((await inject('POST', '/s/globex/rest/api/3/search/jql', adaRest, { jql: 'project = SUP' })).statusCode).toBe(404);
    // by its numeric id through Acme's site, and by key or text in Acme's search: nothing
    const sup1 = await t.db.selectFrom('requests').select('id').where('key', '=', 'SUP-1').executeTakeFirstOrThrow();
    expect((await inject('GET', `/s/acme/rest/servicedeskapi/request/${sup1.id}`, adaRest)).statusCode).toBe(404);
    expect((await inject('GET', `/s/acme/api/portal/requests/${sup1.id}`, as(ada))).statusCode).toBe(404);
    const fromAcme = await inject('POST', '/s/acme/rest/api/3/search/jql', adaRest, { jql: `text ~ "invoice" OR key = SUP-1 OR key = ${sup1.id}`, fields: ['summary'] });
    expect(fromAcme.statusCode).toBe(200);
    expect(fromAcme.json().issues).toEqual([]);
  });

  it('T1: Globex\'s saved filters', async () => {
    const saved = await inject('POST', '/s/globex/api/agent/filters', as(greta), { name: 'Erin', jql: 'reporter = "erin@customer.test"' });
    expect(saved.statusCode).toBe(201);
    const id = saved.json().id;
    expect((await inject('GET', '/s/globex/api/agent/filters', as(ada))).statusCode).toBe(404);
    expect((await inject('DELETE', `/s/globex/api/agent/filters/${id}`, as(ada))).statusCode).toBe(404);
    expect((await inject('DELETE', `/s/acme/api/agent/filters/${id}`, as(ada))).statusCode).toBe(404);
    expect((await inject('GET', '/s/acme/api/agent/filters', as(ada))).json().values.map((f: any) => f.id)).not.toContain(id);
    expect((await inject('GET', '/s/globex/api/agent/filters', as(greta))).json().values.map((f: any) => f.id)).toContain(id);
  });

  it('T1: Globex\'s audit events, staff lists and customers', async () => {
    for (const url of [
      `/api/admin/orgs/${globex.orgId}/audit-log`,
      `/api/admin/orgs/${globex.orgId}/audit-log/export.csv`,
      `/api/admin/orgs/${globex.orgId}/users`,
      `/api/admin/orgs/${globex.orgId}/groups`,
      `/api/orgs/${globex.orgId}/outbox`,
      '/api/admin/sites/globex/customers',
      '/api/admin/sites/globex/users',
      '/api/admin/sites/globex/customers/export.csv',
    ]) {
      expect((await inject('GET', url, as(ada))).statusCode, url).toBe(404);
    }
    expect((await inject('POST', `/api/admin/sites/acme/customers/${ids.globexAlice}/revoke`, as(ada))).statusCode).toBe(404);
    expect((await inject('POST', `/api/admin/sites/globex/customers/${ids.globexAlice}/revoke`, as(ada))).statusCode).toBe(404);
    expect((await inject('GET', `/s/acme/rest/api/3/user?accountId=${ids.globexAlice}`, adaRest)).statusCode).toBe(404);
    // Acme's own lists hold nobody of Globex
    const acmeUsers = (await inject('GET', `/api/admin/orgs/${acme.orgId}/users`, as(ada))).json().values.map((u: any) => u.accountId);
    expect(acmeUsers).toContain(ids.sam);
    for (const id of [ids.greta, ids.sid, ids.nora]) expect(acmeUsers).not.toContain(id);
    const acmeAudit = (await inject('GET', `/api/admin/orgs/${acme.orgId}/audit-log?limit=200`, as(ada))).json().values;
    expect(acmeAudit.length).toBeGreaterThan(0);
    for (const e of acmeAudit) {
      expect(e.site?.slug ?? 'acme').toBe('acme');
      expect([e.actor?.accountId, e.target?.accountId]).not.toContain(ids.greta);
    }
  });
});
