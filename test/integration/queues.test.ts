import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceDeskClient, type ServiceDeskClient } from 'jira.js';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { factories, type ProjectFacts } from '../support/factories.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { expectError, expectPage, expectUrl, json, staffAuth, type Headers } from './rest-helpers.js';

// Issue 12, parts 4 and 5 (docs/product.md#queues, #assignee-and-priority): queues as jira.js
// 6.2.0 calls them (serviceDesk.getQueues, getQueue, getIssuesInQueue, with `onSchemaMismatch:
// 'throw'`), the agent workspace's queue API with its counts, and who may set a request's assignee
// and priority — on both databases.

let t: TestApp;
let origin: string;
let help: ProjectFacts;
let ops: ProjectFacts;
let sam: Session; // agent of HELP
let samId: string;
let otto: Session; // agent of OPS only
let ottoId: string;
let rita: string; // agent of HELP, revoked
let pat: string; // agent of HELP, active
let alice: Session; // customer of acme
let samRest: ServiceDeskClient;
let samAuth: Headers;
const AGENT = '/s/acme/api/agent';

/** jira.js's basic auth from the header staffAuth made (email:token). */
function basicOf(h: Headers) {
  const [email, apiToken] = Buffer.from(h.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
  return { type: 'basic' as const, email, apiToken };
}
const client = (config: { auth?: ReturnType<typeof basicOf>; headers?: Headers }) =>
  createServiceDeskClient({ host: `${origin}/s/acme`, onSchemaMismatch: 'throw', ...(config.auth ? { auth: config.auth } : {}), ...(config.headers ? { headers: config.headers } : {}) });

const send = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, who: Session | Headers, payload?: unknown) =>
  t.app.inject({ method, url, headers: 'cookie' in who && 'csrfToken' in who ? as(who as Session) : (who as Headers), ...(payload === undefined ? {} : { payload: payload as object }) });

const countsOf = async (who: Session) =>
  Object.fromEntries((json(await send('GET', `${AGENT}/projects/HELP/queues`, who), 200).values as Array<{ name: string; issueCount: number }>).map((q) => [q.name, q.issueCount]));

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const make = factories(t.db);
  const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  const helpRow = await t.db.selectFrom('projects').select(['id', 'key']).where('key', '=', 'HELP').executeTakeFirstOrThrow();
  help = { id: String(helpRow.id), siteId: site.id, key: 'HELP' };
  ops = await make.project({ siteId: site.id, key: 'OPS', name: 'Operations', portalName: 'Ops', access: 'open' });
  ottoId = await make.staff({ email: 'otto@acme.test', displayName: 'Otto Ops', password: DEMO_PASSWORD, agentOf: [ops] });
  rita = await make.staff({ email: 'rita@acme.test', displayName: 'Rita Revoked', status: 'revoked', agentOf: [help] });
  pat = await make.staff({ email: 'pat@acme.test', displayName: 'Pat Partner', agentOf: [help] });
  sam = await loginStaff(t.app, 'agent@acme.test');
  samId = sam.accountId;
  otto = await loginStaff(t.app, 'otto@acme.test');
  alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  samAuth = await staffAuth(t, 'agent@acme.test');
  samRest = client({ auth: basicOf(samAuth) });
});
afterAll(() => t?.close());

describe('queues: jira.js serviceDesk.getQueues, getQueue, getIssuesInQueue', () => {
  it('every project has the four built-in queues, with counts when includeCount, in Atlassian\'s shape', async () => {
    const page = await samRest.servicedesk.getQueues({ serviceDeskId: help.id, includeCount: true });
    expectPage(page, () => {});
    expect(page.values!.map((q) => q.name)).toEqual(['All open', 'Assigned to me', 'Unassigned', 'Waiting for customer']);
    for (const q of page.values!) {
      expect(typeof q.id).toBe('string');
      expect(typeof q.jql).toBe('string');
      expect(q.fields!.length).toBeGreaterThan(0);
      expect(typeof q.issueCount).toBe('number');
      expectUrl(q._links!.self);
    }
    const open = await t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).where('project_id', '=', help.id).where('status', 'not in', ['Resolved', 'Closed']).executeTakeFirstOrThrow();
    expect(page.values![0].issueCount).toBe(Number(open.n));
    expect(page.values![1].issueCount).toBe(0); // nothing is assigned to Sam yet
    expect(page.values![2].issueCount).toBe(Number(open.n));
    // without includeCount there is no count; by project key too
    const uncounted = await samRest.servicedesk.getQueues({ serviceDeskId: 'HELP' });
    expect(uncounted.values!.every((q) => q.issueCount === undefined)).toBe(true);
    const paged = await samRest.servicedesk.getQueues({ serviceDeskId: help.id, start: 1, limit: 2 });
    expect(paged).toMatchObject({ start: 1, limit: 2, size: 2, isLastPage: false });
    expect(paged.values!.map((q) => q.name)).toEqual(['Assigned to me', 'Unassigned']);

    const one = await samRest.servicedesk.getQueue({ serviceDeskId: help.id, queueId: Number(page.values![0].id), includeCount: true });
    expect(one).toMatchObject({ id: page.values![0].id, name: 'All open', issueCount: Number(open.n) });
  });

  it('getIssuesInQueue pages the queue\'s requests with only its columns as fields; assigning moves a request between queues', async () => {
    const queues = (await samRest.servicedesk.getQueues({ serviceDeskId: help.id })).values!;
    const [allOpen, mine, unassigned] = queues;
    const issues = await samRest.servicedesk.getIssuesInQueue({ serviceDeskId: help.id, queueId: Number(allOpen.id), limit: 2 });
    expectPage(issues, () => {});
    expect(issues).toMatchObject({ start: 0, limit: 2, size: 2 });
    const first = issues.values![0];
    expect(first.key).toMatch(/^HELP-\d+$/);
    expectUrl(first.self);
    expect(Object.keys(first.fields!).sort()).toEqual(['assignee', 'created', 'priority', 'reporter', 'status', 'summary']);
    expect(first.fields!.assignee).toBeNull();
    expect(first.fields!.priority).toMatchObject({ id: '3', name: 'Medium' });

    const before = await countsOf(sam);
    json(await send('PUT', `${AGENT}/requests/HELP-1/assignment`, sam, { assignee: samId, priority: 'Highest' }), 200);
    const after = await countsOf(sam);
    expect(after['Assigned to me']).toBe(before['Assigned to me'] + 1);
    expect(after.Unassigned).toBe(before.Unassigned - 1);
    // "Assigned to me" is the caller's: Pat's is still empty
    const mineForSam = await samRest.servicedesk.getIssuesInQueue({ serviceDeskId: help.id, queueId: Number(mine.id) });
    expect(mineForSam.values!.map((i) => i.key)).toEqual(['HELP-1']);
    expect(mineForSam.values![0].fields!.priority).toMatchObject({ name: 'Highest' });
    expect((await samRest.servicedesk.getIssuesInQueue({ serviceDeskId: help.id, queueId: Number(unassigned.id) })).values!.map((i) => i.key)).not.toContain('HELP-1');
    // All open is ordered by priority, Highest first
    expect((await samRest.servicedesk.getIssuesInQueue({ serviceDeskId: help.id, queueId: Number(allOpen.id) })).values![0].key).toBe('HELP-1');
  });

  it('T1: only agents of the project and admins: a customer 403, an agent of another project or another organization 404, anonymous 401', async () => {
    const url = `/s/acme/rest/servicedeskapi/servicedesk/${help.id}/queue`;
    expectError(await send('GET', url, alice), 403);
    expectError(await send('GET', url, otto), 404);
    expectError(await send('GET', url, await staffAuth(t, 'admin@globex.test')), 404);
    expectError(await send('GET', url, {}), 401);
    json(await send('GET', url, await staffAuth(t, 'admin@acme.test')), 200);
    const queueId = (json(await send('GET', url, samAuth), 200).values as Array<{ id: string }>)[0].id;
    expectError(await send('GET', `${url}/${queueId}/issue`, alice), 403);
    expectError(await send('GET', `${url}/${queueId}/issue`, otto), 404);
    // a queue of another project is not found through this one
    const opsQueue = (await t.db.selectFrom('queues').select('id').where('project_id', '=', ops.id).executeTakeFirstOrThrow()).id;
    expectError(await send('GET', `${url}/${opsQueue}`, samAuth), 404);
    expectError(await send('GET', `${url}/nonsense`, samAuth), 404);
  });
});

describe('queues an agent adds', () => {
  it('an agent adds a queue with a JQL that runs (people stored as account ids), sees its count, and deletes it; built-in queues stay', async () => {
    const created = json(await send('POST', `${AGENT}/projects/HELP/queues`, sam, { name: 'Urgent for Sam', jql: 'assignee = "agent@acme.test" AND priority in (High, Highest)' }), 201);
    expect(created).toMatchObject({ name: 'Urgent for Sam', builtIn: false, jql: `assignee = "${samId}" AND priority IN (High, Highest)` });
    expect((await countsOf(sam))['Urgent for Sam']).toBe(1);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'actor_id']).where('action', '=', 'queue.created').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(samId);

    expectError(await send('POST', `${AGENT}/projects/HELP/queues`, sam, { name: 'urgent for sam ', jql: 'status = Open' }), 400, /already has a queue/);
    expectError(await send('POST', `${AGENT}/projects/HELP/queues`, sam, { name: 'Broken', jql: 'priority = Urgent' }), 400, /Urgent/);
    expectError(await send('POST', `${AGENT}/projects/HELP/queues`, sam, { name: 'Columns', jql: 'status = Open', fields: ['summary', 'password'] }), 400, /password/);
    expectError(await send('POST', `${AGENT}/projects/HELP/queues`, sam, { name: '  ', jql: 'status = Open' }), 400, /name/);
    // a customer and an agent of another project cannot add one
    expectError(await send('POST', `${AGENT}/projects/HELP/queues`, alice, { name: 'Mine', jql: 'status = Open' }), 403);
    expectError(await send('POST', `${AGENT}/projects/HELP/queues`, otto, { name: 'Mine', jql: 'status = Open' }), 404);

    const builtIn = (await t.db.selectFrom('queues').select('id').where('project_id', '=', help.id).where('built_in', '=', true).executeTakeFirstOrThrow()).id;
    expectError(await send('DELETE', `${AGENT}/projects/HELP/queues/${builtIn}`, sam), 400, /built-in/);
    expect((await send('DELETE', `${AGENT}/projects/HELP/queues/${created.id}`, sam)).statusCode).toBe(204);
    expect(Object.keys(await countsOf(sam))).toEqual(['All open', 'Assigned to me', 'Unassigned', 'Waiting for customer']);
  });

  it('a new project starts with the four built-in queues', async () => {
    const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const made = await factories(t.db).project({ siteId: site.id, key: 'NEWP', name: 'New', portalName: 'New', access: 'open' });
    const names = await t.db.selectFrom('queues').select('name').where('project_id', '=', made.id).orderBy('position').execute();
    expect(names.map((n) => n.name)).toEqual(['All open', 'Assigned to me', 'Unassigned', 'Waiting for customer']);
  });
});

describe('assignee and priority', () => {
  it('an agent of the project assigns and prioritises: shown in the request view, with history and audit; Medium by default', async () => {
    const before = json(await send('GET', `${AGENT}/requests/HELP-2`, sam), 200);
    expect(before).toMatchObject({ assignee: null, priority: 'Medium' });
    const changed = json(await send('PUT', `${AGENT}/requests/HELP-2/assignment`, sam, { assignee: pat, priority: 'low' }), 200);
    expect(changed).toMatchObject({ key: 'HELP-2', changed: ['assignee', 'priority'], priority: 'Low', assignee: { accountId: pat, label: 'Pat Partner' } });
    const view = json(await send('GET', `${AGENT}/requests/HELP-2`, sam), 200);
    expect(view).toMatchObject({ assignee: { label: 'Pat Partner' }, priority: 'Low' });
    const lines = view.history.filter((h: { field: string }) => h.field === 'assignee' || h.field === 'priority');
    expect(lines.map((h: { fieldName: string; to: unknown }) => [h.fieldName, h.to])).toEqual([
      ['Assignee', { people: [expect.objectContaining({ accountId: pat })] }],
      ['Priority', { text: 'Low' }],
    ]);
    const audit = await t.db.selectFrom('audit_events').select(['details']).where('action', '=', 'request.assignment.changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ issueKey: 'HELP-2', changed: ['assignee', 'priority'], assignee: pat, priority: 'Low' });
    // the same again changes nothing; unassigning is null
    expect(json(await send('PUT', `${AGENT}/requests/HELP-2/assignment`, sam, { assignee: pat, priority: 'Low' }), 200)).toMatchObject({ changed: [], updated: null });
    expect(json(await send('PUT', `${AGENT}/requests/HELP-2/assignment`, sam, { assignee: null }), 200)).toMatchObject({ changed: ['assignee'], assignee: null });
  });

  it('only an ACTIVE agent of the project may be assigned; a revoked assignee stays shown "Name (Deactivated)"', async () => {
    const alice_ = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    expectError(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { assignee: alice_ }), 400, /active agent of this project/);
    expectError(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { assignee: ottoId }), 400, /active agent/);
    expectError(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { assignee: rita }), 400, /active agent/);
    expectError(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { assignee: 'no-such-account' }), 400, /active agent/);
    expectError(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { priority: 'Urgent' }), 400, /Highest, High, Medium, Low, Lowest/);
    // Pat is assigned, then revoked: still shown, as deactivated, in the view and the queue
    json(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { assignee: pat }), 200);
    await t.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', pat).execute();
    expect(json(await send('GET', `${AGENT}/requests/HELP-3`, sam), 200).assignee).toMatchObject({ label: 'Pat Partner (Deactivated)', active: false });
    const allOpen = (await t.db.selectFrom('queues').select('id').where('project_id', '=', help.id).where('name', '=', 'All open').executeTakeFirstOrThrow()).id;
    const rows = json(await send('GET', `${AGENT}/projects/HELP/queues/${allOpen}/issues`, sam), 200).values as Array<{ key: string; assignee: { label: string } | null }>;
    expect(rows.find((r) => r.key === 'HELP-3')!.assignee!.label).toBe('Pat Partner (Deactivated)');
    // the picker offers active agents of the project only: not Pat now, never Rita, Otto or a customer
    const pick = async (query: string) =>
      (json(await send('GET', `/s/acme/api/users/picker?fieldKey=assignee&projectId=${help.id}&query=${encodeURIComponent(query)}`, sam), 200).users as Array<{ label: string }>).map((u) => u.label);
    expect(await pick('sam')).toEqual(['Sam Agent']);
    expect(await pick('pat')).toEqual([]);
    expect(await pick('rita')).toEqual([]);
    expect(await pick('otto')).toEqual([]);
    expect(await pick('alice')).toEqual([]);
    expectError(await send('GET', `/s/acme/api/users/picker?fieldKey=assignee&projectId=${help.id}&query=sam`, alice), 403);
    expectError(await send('GET', `/s/acme/api/users/picker?fieldKey=assignee&projectId=${help.id}&query=sam`, otto), 404);
    expectError(await send('GET', '/s/acme/api/users/picker?fieldKey=assignee&query=sam', sam), 400, /projectId/);
    // an assignee already stored may stay while the priority changes
    expect(json(await send('PUT', `${AGENT}/requests/HELP-3/assignment`, sam, { priority: 'High' }), 200)).toMatchObject({ changed: ['priority'], assignee: { label: 'Pat Partner (Deactivated)' } });
  });

  it('customers cannot set assignee or priority, nor can an agent of another project; nothing changes', async () => {
    const stored = () => t.db.selectFrom('requests').select(['assignee_id', 'priority']).where('key', '=', 'HELP-4').executeTakeFirstOrThrow();
    const before = await stored();
    expectError(await send('PUT', `${AGENT}/requests/HELP-4/assignment`, alice, { assignee: samId, priority: 'Highest' }), 403);
    expectError(await send('PUT', `${AGENT}/requests/HELP-4/assignment`, otto, { assignee: ottoId, priority: 'Highest' }), 403);
    // without the CSRF token a cookie cannot write it
    const noCsrf = await t.app.inject({ method: 'PUT', url: `${AGENT}/requests/HELP-4/assignment`, headers: { cookie: sam.cookie }, payload: { priority: 'Highest' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('JQL finds them: the REST search answers assignee and priority as Jira does', async () => {
    const search = (jql: string, fields = 'assignee,priority') =>
      t.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=${fields}`, headers: samAuth });
    const mine = json(await search('assignee = currentUser()'), 200);
    expect(mine.issues.map((i: { key: string }) => i.key)).toEqual(['HELP-1']);
    expect(mine.issues[0].fields.assignee).toMatchObject({ accountId: samId, displayName: 'Sam Agent', active: true });
    expect(mine.issues[0].fields.priority).toMatchObject({ id: '1', name: 'Highest' });
    expect(json(await search('priority in (High, Highest) ORDER BY priority DESC'), 200).issues.map((i: { key: string }) => i.key)).toEqual(['HELP-1', 'HELP-3']);
    const unassigned = json(await search('assignee is EMPTY AND project = HELP'), 200).issues;
    expect(unassigned.every((i: { fields: { assignee: unknown } }) => i.fields.assignee === null)).toBe(true);
    expect(json(await search('assignee = "agent@acme.test"'), 200).issues.map((i: { key: string }) => i.key)).toEqual(['HELP-1']);
  });
});
