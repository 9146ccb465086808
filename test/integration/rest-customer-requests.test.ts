import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createServiceDeskClient, type ServiceDeskClient } from 'jira.js';
import { accountIdOf, as, createTestApp, loginCustomer, type Session, type TestApp } from '../support/app.js';
import {
  expectArticle, expectComment, expectCustomerRequest, expectDate, expectError, expectPage, expectRequestType, expectUrl, json, staffAuth, type Headers,
} from './rest-helpers.js';

// Issue 12, parts 1–3, as jira.js 6.2.0 calls them (docs/product.md#rest-customer-requests,
// #rest-transitions, #request-type-groups, #rest-info): the service-desk client of jira.js itself,
// against this server on loopback, with `onSchemaMismatch: 'throw'` — every answer is checked
// against Atlassian's models by the client teams migrate their scripts with. Error bodies, which
// jira.js does not read, are checked with plain requests.

let t: TestApp;
let origin: string;
let help: string;
let sup: string;
let getItHelp: string;
let hardware: string;
let ask: string;
let adaAuth: Headers;
let samAuth: Headers;
let sam: ServiceDeskClient; // agent of HELP, API token
let greta: ServiceDeskClient; // org admin of Globex: a stranger to Acme
let alice: ServiceDeskClient; // customer of acme: reporter of HELP-1, participant of HELP-2
let aliceSession: Session;
let carol: ServiceDeskClient; // customer of acme: reporter of HELP-3
const REST = '/s/acme/rest/servicedeskapi';

/** jira.js's basic auth from the header staffAuth made (email:token). */
function basicOf(h: Headers) {
  const [email, apiToken] = Buffer.from(h.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
  return { type: 'basic' as const, email, apiToken };
}

const client = (config: { auth?: ReturnType<typeof basicOf>; headers?: Headers; site?: string }) =>
  createServiceDeskClient({ host: `${origin}/s/${config.site ?? 'acme'}`, onSchemaMismatch: 'throw', ...(config.auth ? { auth: config.auth } : {}), ...(config.headers ? { headers: config.headers } : {}) });

const customerClient = async (site: string, email: string, onSite = site) => {
  const session = await loginCustomer(t.app, site, email);
  return { session, client: client({ headers: as(session), site: onSite }) };
};

const keysOf = (page: { values?: Array<{ issueKey?: string }> }) => (page.values ?? []).map((r) => r.issueKey).sort();
const statusOf = async (key: string) => (await t.db.selectFrom('requests').select('status').where('key', '=', key).executeTakeFirstOrThrow()).status;
const get = (url: string, headers: Headers) => t.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const projects = await t.db.selectFrom('projects').select(['id', 'key']).execute();
  help = projects.find((p) => p.key === 'HELP')!.id;
  sup = projects.find((p) => p.key === 'SUP')!.id;
  const types = await t.db.selectFrom('request_types').select(['id', 'name']).execute();
  getItHelp = types.find((r) => r.name === 'Get IT help')!.id;
  hardware = types.find((r) => r.name === 'Request new hardware')!.id;
  ask = types.find((r) => r.name === 'Ask a question')!.id;
  adaAuth = await staffAuth(t, 'admin@acme.test');
  samAuth = await staffAuth(t, 'agent@acme.test');
  sam = client({ auth: basicOf(samAuth) });
  greta = client({ auth: basicOf(await staffAuth(t, 'admin@globex.test')) });
  ({ session: aliceSession, client: alice } = await customerClient('acme', 'alice@customer.test'));
  ({ client: carol } = await customerClient('acme', 'carol@customer.test'));
});
afterAll(() => t?.close());

describe('GET /rest/servicedeskapi/request: the caller\'s requests (jira.js request.getCustomerRequests)', () => {
  it('a customer gets the requests she reported and those shared with her, by default and by each ownership; never anyone else\'s', async () => {
    const mine = await alice.request.getCustomerRequests();
    expectPage(mine, expectCustomerRequest);
    expect(keysOf(mine)).toEqual(['HELP-1', 'HELP-2']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['OWNED_REQUESTS'] }))).toEqual(['HELP-1']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['PARTICIPATED_REQUESTS'] }))).toEqual(['HELP-2']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['ALL_REQUESTS'] }))).toEqual(['HELP-1', 'HELP-2']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['APPROVER'], approvalStatus: 'MY_PENDING_APPROVAL' }))).toEqual([]);
    expect(keysOf(await carol.request.getCustomerRequests())).toEqual(['HELP-3']);
    // another organization's people have none here
    expect(keysOf(await greta.request.getCustomerRequests({ requestOwnership: ['ALL_REQUESTS'] }))).toEqual([]);
    // an agent: none of his own, every request of his project with ALL_REQUESTS
    expect(keysOf(await sam.request.getCustomerRequests())).toEqual([]);
    expect(keysOf(await sam.request.getCustomerRequests({ requestOwnership: ['ALL_REQUESTS'] }))).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4']);
  });

  it('filters by searchTerm, requestStatus, serviceDeskId and requestTypeId, pages with links, and expands', async () => {
    expect(keysOf(await alice.request.getCustomerRequests({ searchTerm: 'VPN' }))).toEqual(['HELP-1']);
    expect(keysOf(await alice.request.getCustomerRequests({ searchTerm: 'shared read*' }))).toEqual(['HELP-2']);
    expect(keysOf(await alice.request.getCustomerRequests({ searchTerm: '100%_' }))).toEqual([]);
    expect(keysOf(await alice.request.getCustomerRequests({ requestStatus: 'OPEN_REQUESTS' }))).toEqual(['HELP-1', 'HELP-2']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestStatus: 'CLOSED_REQUESTS' }))).toEqual([]);
    const all = { requestOwnership: ['ALL_REQUESTS'] };
    expect(keysOf(await sam.request.getCustomerRequests({ ...all, serviceDeskId: Number(help), requestTypeId: Number(hardware) }))).toEqual(['HELP-3']);
    expect(keysOf(await sam.request.getCustomerRequests({ ...all, serviceDeskId: Number(sup) }))).toEqual([]);

    const first = await sam.request.getCustomerRequests({ ...all, limit: 3 });
    expect(first).toMatchObject({ start: 0, limit: 3, size: 3, isLastPage: false });
    expectUrl(first._links!.next);
    const second = await sam.request.getCustomerRequests({ ...all, start: 3, limit: 3 });
    expect(second).toMatchObject({ start: 3, size: 1, isLastPage: true });
    expect([...keysOf(first), ...keysOf(second)].sort()).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4']);

    // each listed request carries its fields, user pickers included, as GET …/request/{key} does
    const listed = await sam.request.getCustomerRequests({ ...all, serviceDeskId: Number(help) });
    const affected = (key: string) => (listed.values!.find((r) => r.issueKey === key)!.requestFieldValues!.find((f) => f.label === 'Affected user')?.value as { displayName?: string } | null);
    expect(affected('HELP-1')?.displayName).toBe('Bob Builder');
    expect(affected('HELP-2')?.displayName).toBe('Alice Example');
    expect(affected('HELP-4')).toBeNull();
    expect(listed.values!.find((r) => r.issueKey === 'HELP-3')!.requestFieldValues!.find((f) => f.label === 'Approver')?.value).toMatchObject({ displayName: 'Alice Example' });

    const expanded = await alice.request.getCustomerRequests({ requestOwnership: ['OWNED_REQUESTS'], expand: ['participant', 'requestType', 'action', 'comment'] });
    const one = expanded.values![0];
    expect(one.participants!.values!.map((u) => u.displayName)).toEqual(['Bob Builder']);
    expect(one.requestType).toMatchObject({ id: getItHelp, name: 'Get IT help' });
    expect(one.actions!.addComment!.allowed).toBe(true);
    expect(one.requestFieldValues!.map((f) => f.fieldId)).toEqual(['summary', 'description', expect.stringMatching(/^customfield_\d+$/)]);
  });

  it('lists requests shared with the caller\'s organizations: all of them, or one by organizationId', async () => {
    const orgRes = await t.app.inject({ method: 'POST', url: `${REST}/organization`, headers: { ...adaAuth, 'content-type': 'application/json' }, payload: { name: 'Design team' } });
    const org = json(orgRes, 201).id as string;
    const [aliceId, carolId] = [await accountIdOf(t.db, 'alice@customer.test', 'acme'), await accountIdOf(t.db, 'carol@customer.test', 'acme')];
    expect((await t.app.inject({ method: 'POST', url: `${REST}/organization/${org}/user`, headers: { ...adaAuth, 'content-type': 'application/json' }, payload: { accountIds: [aliceId, carolId] } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: `${REST}/servicedesk/${help}/organization`, headers: { ...adaAuth, 'content-type': 'application/json' }, payload: { organizationId: Number(org) } })).statusCode).toBe(204);
    const carolSession = await loginCustomer(t.app, 'acme', 'carol@customer.test');
    expect((await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-3/organizations', headers: as(carolSession), payload: { organizationId: org } })).statusCode).toBe(200);

    expect(keysOf(await alice.request.getCustomerRequests())).toEqual(['HELP-1', 'HELP-2', 'HELP-3']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['ALL_ORGANIZATIONS'] }))).toEqual(['HELP-3']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['ORGANIZATION'], organizationId: Number(org) }))).toEqual(['HELP-3']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['ORGANIZATION'], organizationId: Number(org) + 1000 }))).toEqual([]);
    expect(keysOf(await alice.request.getCustomerRequests({ requestOwnership: ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS'] }))).toEqual(['HELP-1', 'HELP-2']);
    // Bob is in no organization: the share does not reach him
    const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    expect(keysOf(json(await get(`${REST}/request`, as(bob)), 200))).toEqual(['HELP-1', 'HELP-2']);
  });

  it('lists the most recently changed first: a comment brings a request to the top', async () => {
    const order = async () =>
      ((await alice.request.getCustomerRequests({ requestOwnership: ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS'] })).values ?? []).map((r) => r.issueKey);
    for (let round = 0; round < 2; round++) {
      const before = await order();
      expect([...before].sort()).toEqual(['HELP-1', 'HELP-2']);
      const last = before[1]!;
      await alice.request.createRequestComment({ issueIdOrKey: last, body: `Any news? (${round})`, public: true });
      expect(await order()).toEqual([last, before[0]]);
    }
  });

  it('answers bad parameters with a 400 that names them', async () => {
    const h = as(aliceSession);
    expectError(await get(`${REST}/request?requestOwnership=EVERYTHING`, h), 400, /requestOwnership/);
    expectError(await get(`${REST}/request?requestStatus=DONE`, h), 400, /requestStatus/);
    expectError(await get(`${REST}/request?requestOwnership=ORGANIZATION`, h), 400, /organizationId/);
    expectError(await get(`${REST}/request?organizationId=1`, h), 400, /organizationId/);
    expectError(await get(`${REST}/request?requestTypeId=1`, h), 400, /serviceDeskId/);
    expectError(await get(`${REST}/request?serviceDeskId=HELP`, h), 400, /serviceDeskId/);
    expectError(await get(`${REST}/request?approvalStatus=MY_PENDING_APPROVAL`, h), 400, /approvalStatus/);
    expectError(await get(`${REST}/request?searchTerm=${'x'.repeat(300)}`, h), 400, /searchTerm/);
    expectError(await get(`${REST}/request`, {}), 401);
  });
});

describe('…/request/{key}/transition and /status: resolving and reopening over REST', () => {
  it('the reporter resolves with a comment and reopens; each move is in the status history, the request history and the audit log', async () => {
    expect((await alice.request.getCustomerTransitions({ issueIdOrKey: 'HELP-1' })).values).toEqual([{ id: '901', name: 'Mark as resolved' }]);
    await alice.request.performCustomerTransition({ issueIdOrKey: 'HELP-1', id: '901', additionalComment: { body: 'Works again after a restart.' } });
    expect(await statusOf('HELP-1')).toBe('Resolved');
    // the comment is public, and did not reopen the request as a reply would
    const comments = await alice.request.getRequestComments({ issueIdOrKey: 'HELP-1' });
    expect(comments.values!.map((c) => c.body)).toContain('Works again after a restart.');
    // Bob, a participant, is mailed her comment and the change, once each
    const mails = (await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'bob@customer.test').orderBy('id').execute()).map((m) => m.body);
    expect(mails.filter((b) => b.includes('Alice Example replied on HELP-1:') && b.includes('Works again after a restart.'))).toHaveLength(1);
    expect(mails.filter((b) => b.includes('changed the status of HELP-1 from Open to Resolved'))).toHaveLength(1);

    expect((await alice.request.getCustomerTransitions({ issueIdOrKey: 'HELP-1' })).values).toEqual([{ id: '911', name: 'Reopen' }]);
    await alice.request.performCustomerTransition({ issueIdOrKey: 'HELP-1', id: '911' });
    expect(await statusOf('HELP-1')).toBe('Waiting for support');

    const history = await alice.request.getCustomerRequestStatus({ issueIdOrKey: 'HELP-1' });
    expectPage(history, (s: any) => {
      expectDate(s.statusDate);
      expect(['NEW', 'INDETERMINATE', 'DONE']).toContain(s.statusCategory);
    });
    expect(history.values!.map((s) => s.status)).toEqual(['Waiting for support', 'Resolved', 'Open']);
    expect(history.values!.map((s) => s.statusCategory)).toEqual(['NEW', 'DONE', 'NEW']);
    const paged = await alice.request.getCustomerRequestStatus({ issueIdOrKey: 'HELP-1', start: 1, limit: 1 });
    expect(paged).toMatchObject({ start: 1, limit: 1, isLastPage: false, values: [{ status: 'Resolved' }] });

    // expand=status of the request, alone or listed, has the same statuses in chronological order
    const one = await alice.request.getCustomerRequestByIdOrKey({ issueIdOrKey: 'HELP-1', expand: ['status'] });
    expect(one.status!.values!.map((s) => s.status)).toEqual(['Open', 'Resolved', 'Waiting for support']);
    const listedWithStatus = await alice.request.getCustomerRequests({ requestOwnership: ['OWNED_REQUESTS'], expand: ['status'] });
    expect(listedWithStatus.values![0].status!.values!.map((s) => s.status)).toEqual(['Open', 'Resolved', 'Waiting for support']);

    const rows = await t.db.selectFrom('request_history as h').innerJoin('requests as r', 'r.id', 'h.request_id')
      .select(['h.field', sql`h.to_value::text`.as('to')]).where('r.key', '=', 'HELP-1').where('h.field', '=', 'status').orderBy('h.id').execute();
    expect(rows.map((r) => r.to)).toEqual(['"Resolved"', '"Waiting for support"']);
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'request.transitioned').execute();
    expect(audit.filter((a) => JSON.stringify(a.details).includes('HELP-1')).length).toBe(2);
    // closed requests are found as such
    expect(keysOf(await alice.request.getCustomerRequests({ requestStatus: 'CLOSED_REQUESTS' }))).toEqual([]);
  });

  it('an agent gets and performs the agent\'s workflow; a participant gets no transitions and 403 when trying', async () => {
    expect((await sam.request.getCustomerTransitions({ issueIdOrKey: 'HELP-2' })).values).toEqual([
      { id: '11', name: 'Start progress' },
      { id: '21', name: 'Wait for customer' },
    ]);
    // Alice participates in Bob's HELP-2: she sees it, but may not move it
    expect((await alice.request.getCustomerTransitions({ issueIdOrKey: 'HELP-2' })).values).toEqual([]);
    await expect(alice.request.performCustomerTransition({ issueIdOrKey: 'HELP-2', id: '901' })).rejects.toMatchObject({ status: 403 });
    await sam.request.performCustomerTransition({ issueIdOrKey: 'HELP-2', id: '11' });
    expect(await statusOf('HELP-2')).toBe('In progress');
    expect((await sam.request.getCustomerRequestStatus({ issueIdOrKey: 'HELP-2' })).values!.map((s) => s.status)).toEqual(['In progress', 'Open']);
    expect(keysOf(await alice.request.getCustomerRequests({ requestStatus: 'OPEN_REQUESTS' }))).toContain('HELP-2');
  });

  it('refuses a transition not offered now, a missing id and an empty comment with 400, changing nothing; strangers get 404', async () => {
    const before = await statusOf('HELP-3');
    const post = (body: unknown, headers: Headers = samAuth, key = 'HELP-3') =>
      t.app.inject({ method: 'POST', url: `${REST}/request/${key}/transition`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expectError(await post({ id: '51' }), 400, /not available/);
    expectError(await post({ id: '901' }), 400, /not available/);
    expectError(await post({}), 400, /'id' is required/);
    expectError(await post({ id: '41', additionalComment: { body: '   ' } }), 400, /comment/);
    expectError(await post({ id: '41', extra: true }), 400);
    expect(await statusOf('HELP-3')).toBe(before);
    // Alice sees Carol's HELP-3 through their organization, but it is not hers to move
    await expect(alice.request.performCustomerTransition({ issueIdOrKey: 'HELP-3', id: '901' })).rejects.toMatchObject({ status: 403 });
    await expect(greta.request.performCustomerTransition({ issueIdOrKey: 'HELP-3', id: '41' })).rejects.toMatchObject({ status: 404 });
    await expect(greta.request.getCustomerTransitions({ issueIdOrKey: 'HELP-3' })).rejects.toMatchObject({ status: 404 });
    await expect(greta.request.getCustomerRequestStatus({ issueIdOrKey: 'HELP-3' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('GET …/request/{key}/comment/{id} (jira.js request.getRequestCommentById)', () => {
  it('answers one comment; an internal note does not exist for a customer', async () => {
    const note = json(await t.app.inject({ method: 'POST', url: `${REST}/request/HELP-1/comment`, headers: { ...samAuth, 'content-type': 'application/json' }, payload: { body: 'Internal: check the VPN logs', public: false } }), 201);
    const reply = json(await t.app.inject({ method: 'POST', url: `${REST}/request/HELP-1/comment`, headers: { ...samAuth, 'content-type': 'application/json' }, payload: { body: 'We are on it.\n\nHang on.', public: true } }), 201);
    const seen = await alice.request.getRequestCommentById({ issueIdOrKey: 'HELP-1', commentId: Number(reply.id), expand: ['renderedBody'] });
    expectComment(seen);
    expect(seen).toMatchObject({ id: reply.id, body: 'We are on it.\n\nHang on.', public: true, renderedBody: { html: '<p>We are on it.</p><p>Hang on.</p>' } });
    expect(seen.author!.displayName).toBe('Sam Agent');
    await expect(alice.request.getRequestCommentById({ issueIdOrKey: 'HELP-1', commentId: Number(note.id) })).rejects.toMatchObject({ status: 404 });
    expect(await sam.request.getRequestCommentById({ issueIdOrKey: 'HELP-1', commentId: Number(note.id) })).toMatchObject({ id: note.id, public: false });
    // a comment is found under its own request only
    await expect(sam.request.getRequestCommentById({ issueIdOrKey: 'HELP-2', commentId: Number(reply.id) })).rejects.toMatchObject({ status: 404 });
    expectError(await get(`${REST}/request/HELP-1/comment/not-a-number`, samAuth), 404);
    await expect(greta.request.getRequestCommentById({ issueIdOrKey: 'HELP-1', commentId: Number(reply.id) })).rejects.toMatchObject({ status: 404 });
  });
});

describe('request types and their groups (jira.js serviceDesk.getRequestTypeById, getRequestTypeGroups, getRequestTypes with groupId)', () => {
  it('answers the groups of a desk in tab order, each request type with its groupIds, and the types of one group', async () => {
    const groups = await alice.servicedesk.getRequestTypeGroups({ serviceDeskId: help });
    expectPage(groups, (g: any) => {
      expect(typeof g.id).toBe('string');
      expect(typeof g.name).toBe('string');
    });
    expect(groups.values!.map((g) => g.name)).toEqual(['Common requests', 'Technical support', 'Hardware']);
    const [common, technical, hw] = groups.values!.map((g) => g.id!);
    expect(await alice.servicedesk.getRequestTypeGroups({ serviceDeskId: 'HELP', start: 1, limit: 1 })).toMatchObject({ isLastPage: false, values: [{ name: 'Technical support' }] });
    expect((await sam.servicedesk.getRequestTypeGroups({ serviceDeskId: sup }).catch((e) => e)).status).toBe(404);

    const type = await alice.servicedesk.getRequestTypeById({ serviceDeskId: help, requestTypeId: hardware });
    expectRequestType(type);
    expect(type).toMatchObject({ id: hardware, name: 'Request new hardware', serviceDeskId: help, groupIds: [common, hw] });
    expect(type.fields).toBeUndefined();
    const withFields = await alice.servicedesk.getRequestTypeById({ serviceDeskId: 'HELP', requestTypeId: getItHelp, expand: ['field'] });
    expect(withFields.groupIds).toEqual([common, technical]);
    expect(withFields.fields!.requestTypeFields!.map((f) => f.fieldId)).toEqual(['summary', 'description', expect.stringMatching(/^customfield_\d+$/)]);

    expect((await alice.servicedesk.getRequestTypes({ serviceDeskId: help, groupId: Number(hw) })).values!.map((r) => r.id)).toEqual([hardware]);
    expect((await alice.servicedesk.getRequestTypes({ serviceDeskId: help, groupId: Number(common) })).values!.map((r) => r.id)).toEqual([getItHelp, hardware]);
  });

  it('the help center\'s portal answer carries the groups, its tabs, with their request types in order; a project without groups none', async () => {
    const portal = json(await get(`/s/acme/api/portal/portals/${help}`, as(aliceSession)), 200);
    expect(portal.groups.map((g: any) => [g.name, g.requestTypeIds])).toEqual([
      ['Common requests', [getItHelp, hardware]],
      ['Technical support', [getItHelp]],
      ['Hardware', [hardware]],
    ]);
    const erin = await loginCustomer(t.app, 'globex', 'erin@customer.test');
    expect(json(await get(`/s/globex/api/portal/portals/${sup}`, as(erin)), 200).groups).toEqual([]);
  });

  it('404 for a request type of another desk, an unknown one, and a desk the caller may not use', async () => {
    await expect(alice.servicedesk.getRequestTypeById({ serviceDeskId: help, requestTypeId: ask })).rejects.toMatchObject({ status: 404 });
    await expect(alice.servicedesk.getRequestTypeById({ serviceDeskId: help, requestTypeId: '999999' })).rejects.toMatchObject({ status: 404 });
    await expect(greta.servicedesk.getRequestTypeById({ serviceDeskId: help, requestTypeId: hardware })).rejects.toMatchObject({ status: 404 });
    await expect(greta.servicedesk.getRequestTypeGroups({ serviceDeskId: help })).rejects.toMatchObject({ status: 404 });
    expectError(await get(`${REST}/servicedesk/${help}/requesttype/abc`, samAuth), 404);
  });
});

describe('knowledge base per desk and /info', () => {
  it('searches one desk\'s published articles (jira.js serviceDesk.getServiceDeskArticles); drafts never', async () => {
    const found = await alice.servicedesk.getServiceDeskArticles({ serviceDeskId: help, query: 'password', highlight: true });
    expectPage(found, expectArticle);
    expect(found.values!.map((a) => a.title)).toEqual(['Reset your VPN @@@hl@@@password@@@endhl@@@']);
    expect((await sam.servicedesk.getServiceDeskArticles({ serviceDeskId: 'HELP', query: 'laptop checklist' })).values).toEqual([]);
    await expect(greta.servicedesk.getServiceDeskArticles({ serviceDeskId: help, query: 'password' })).rejects.toMatchObject({ status: 404 });
  });

  it('GET /rest/servicedeskapi/info (jira.js info.getInfo): the version of package.json and an absolute self link, for people of the site', async () => {
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const info = await sam.info.getInfo();
    expect(info).toMatchObject({ version, platformVersion: version, isLicensedForUse: true });
    expectUrl(info._links!.self);
    expect(info._links!.self).toMatch(/\/s\/acme\/rest\/servicedeskapi\/info$/);
    expect((await alice.info.getInfo()).version).toBe(version);
    await expect(greta.info.getInfo()).rejects.toMatchObject({ status: 404 });
    await expect(client({}).info.getInfo()).rejects.toMatchObject({ status: 401 });
  });
});

describe('editing the groups: PUT /rest/portico/1/servicedesk/{id}/requesttypegroup', () => {
  const put = (body: unknown, headers: Headers = samAuth, desk = help) =>
    t.app.inject({ method: 'PUT', url: `/s/acme/rest/portico/1/servicedesk/${desk}/requesttypegroup`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const groupsNow = async () => (await alice.servicedesk.getRequestTypeGroups({ serviceDeskId: help })).values!.map((g) => g.name);

  it('an agent of the project replaces them: the new tabs, in order, with their request types; one audit event', async () => {
    const saved = json(await put({ groups: [{ name: 'Hardware', requestTypeIds: [hardware] }, { name: 'Everything', requestTypeIds: [getItHelp, hardware] }] }), 200);
    expect(saved.values.map((g: any) => [g.name, g.requestTypeIds])).toEqual([['Hardware', [hardware]], ['Everything', [getItHelp, hardware]]]);
    expect(await groupsNow()).toEqual(['Hardware', 'Everything']);
    expect((await alice.servicedesk.getRequestTypeById({ serviceDeskId: help, requestTypeId: getItHelp })).groupIds).toEqual([saved.values[1].id]);
    const portal = json(await get(`/s/acme/api/portal/portals/${help}`, as(aliceSession)), 200);
    expect(portal.groups.map((g: any) => g.name)).toEqual(['Hardware', 'Everything']);
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'project.request_type_groups.changed').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].details)).toContain('Technical support');
  });

  it('a bad list is a 400 that changes nothing; customers get 403, strangers 404; [] removes them all', async () => {
    expectError(await put({ groups: [{ name: 'A', requestTypeIds: [] }, { name: 'a', requestTypeIds: [] }] }), 400, /two groups named/);
    expectError(await put({ groups: [{ name: 'Questions', requestTypeIds: [ask] }] }), 400, /not a request type of HELP/);
    expectError(await put({ groups: [{ name: '  ', requestTypeIds: [] }] }), 400, /name/);
    expectError(await put({ groups: [{ name: 'Twice', requestTypeIds: [hardware, hardware] }] }), 400, /twice/);
    expectError(await put({}), 400, /groups/);
    expect(await groupsNow()).toEqual(['Hardware', 'Everything']);
    expectError(await put({ groups: [] }, as(aliceSession)), 403);
    expectError(await put({ groups: [] }, (await staffAuth(t, 'admin@globex.test'))), 404);
    expect(await groupsNow()).toEqual(['Hardware', 'Everything']);
    expect(json(await put({ groups: [] }, adaAuth), 200).values).toEqual([]);
    expect(await groupsNow()).toEqual([]);
    expect(json(await get(`/s/acme/api/portal/portals/${help}`, as(aliceSession)), 200).groups).toEqual([]);
  });
});

describe('a revoked customer', () => {
  it('R1: is signed out of every new path: 401 as for any request without a session, and her requests do not move', async () => {
    const { client: bob } = await customerClient('acme', 'bob@customer.test');
    expect(keysOf(await bob.request.getCustomerRequests())).toContain('HELP-2');
    const bobId = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    expect((await t.app.inject({ method: 'PUT', url: `${REST}/customer/user/${bobId}/revoke-portal-only-access`, headers: { ...adaAuth, 'content-type': 'application/json' } })).statusCode).toBe(204);
    const before = await statusOf('HELP-2');
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['getCustomerRequests', () => bob.request.getCustomerRequests()],
      ['getCustomerRequestStatus', () => bob.request.getCustomerRequestStatus({ issueIdOrKey: 'HELP-2' })],
      ['getCustomerTransitions', () => bob.request.getCustomerTransitions({ issueIdOrKey: 'HELP-2' })],
      ['performCustomerTransition', () => bob.request.performCustomerTransition({ issueIdOrKey: 'HELP-2', id: '901' })],
      ['getRequestCommentById', () => bob.request.getRequestCommentById({ issueIdOrKey: 'HELP-2', commentId: 1 })],
      ['getRequestTypeById', () => bob.servicedesk.getRequestTypeById({ serviceDeskId: help, requestTypeId: hardware })],
      ['getRequestTypeGroups', () => bob.servicedesk.getRequestTypeGroups({ serviceDeskId: help })],
      ['getServiceDeskArticles', () => bob.servicedesk.getServiceDeskArticles({ serviceDeskId: help, query: 'password' })],
      ['getInfo', () => bob.info.getInfo()],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ status: 401 });
    expect(await statusOf('HELP-2')).toBe(before);
  });
});
