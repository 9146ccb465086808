import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceDeskClient, type ServiceDeskClient } from 'jira.js';
import { accountIdOf, as, createTestApp, loginCustomer, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';
import { expectDate, expectJsmUser, expectPage, staffAuth, type Headers } from './rest-helpers.js';

// Approvals (issue 12 part 7, docs/product.md#approvals): a request type names one of its user-picker
// fields as its approvers; its requests wait "Waiting for approval" until one approver answers (the
// first answer decides), then move on — Open when approved, Declined when declined. jira.js 6.2.0's
// own methods with `onSchemaMismatch: 'throw'` for Atlassian's endpoints; plain requests for the
// internal API and the error bodies. A revoked approver is the seed page's user-picker field.

let t: TestApp;
let origin: string;
let help: string;
let hardware: string;
let approverKey: string;
let samAuth: Headers;
let sam: AgentTestSession;
let ada: Headers; // org admin of Acme, API token
const ids: Record<string, string> = {};
const REST = '/s/acme/rest/servicedeskapi';
const APPROVAL_SETTING = () => `/s/acme/rest/portico/1/servicedesk/${help}/requesttype/${hardware}/approval`;

const basicOf = (h: Headers) => {
  const [email, apiToken] = Buffer.from(h.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
  return { type: 'basic' as const, email, apiToken };
};
const client = (config: { auth?: ReturnType<typeof basicOf>; headers?: Headers; site?: string }) =>
  createServiceDeskClient({ host: `${origin}/s/${config.site ?? 'acme'}`, onSchemaMismatch: 'throw', ...(config.auth ? { auth: config.auth } : {}), ...(config.headers ? { headers: config.headers } : {}) });
const customer = async (email: string, site = 'acme', onSite = site) => {
  const session = await loginCustomer(t.app, site, email);
  return { headers: as(session), client: client({ headers: as(session), site: onSite }) };
};
const inject = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const statusOf = async (key: string) => (await t.db.selectFrom('requests').select('status').where('key', '=', key).executeTakeFirstOrThrow()).status;
const failure = async (p: Promise<unknown>) => p.then(() => ({ status: 200, data: undefined as any }), (e: { status?: number; response?: { status?: number; data?: unknown } }) => ({ status: e.response?.status ?? e.status, data: e.response?.data as any }));

async function raiseHardware(as: ServiceDeskClient, summary: string, approvers: string[]) {
  const created = await as.request.createCustomerRequest({
    serviceDeskId: help,
    requestTypeId: hardware,
    requestFieldValues: { summary, [approverKey]: approvers.map((accountId) => ({ accountId })) },
  });
  return created.issueKey!;
}
const approvalIdOf = async (key: string) => {
  const r = await t.db.selectFrom('request_approvals as a').innerJoin('requests as r', 'r.id', 'a.request_id').select('a.id').where('r.key', '=', key).executeTakeFirstOrThrow();
  return Number(r.id);
};
const agentApprovals = async (key: string) => (await inject('GET', `/s/acme/api/agent/requests/${key}/approvals`, sam.headers)).json().approvals;

let alice: Awaited<ReturnType<typeof customer>>;
let bob: Awaited<ReturnType<typeof customer>>;
let carol: Awaited<ReturnType<typeof customer>>;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  help = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  hardware = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Request new hardware').executeTakeFirstOrThrow()).id);
  approverKey = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Approver').executeTakeFirstOrThrow()).id}`;
  samAuth = await staffAuth(t, 'agent@acme.test');
  ada = await staffAuth(t, 'admin@acme.test');
  sam = await agentSession(t, 'agent@acme.test');
  for (const name of ['alice', 'bob', 'carol']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
  alice = await customer('alice@customer.test');
  bob = await customer('bob@customer.test');
  carol = await customer('carol@customer.test');
});
afterAll(() => t?.close());

describe('which request types need approval (Portico REST, the request-type management)', () => {
  it('agents of the project set the approvers field; customers 403, another organization 404, a field not on the form 400; audited', async () => {
    expect((await inject('GET', APPROVAL_SETTING(), samAuth)).json()).toEqual({ requestTypeId: hardware, approvers: null });
    expect((await inject('PUT', APPROVAL_SETTING(), alice.headers, { fieldKey: approverKey })).statusCode).toBe(403);
    expect((await inject('PUT', APPROVAL_SETTING(), await staffAuth(t, 'admin@globex.test'), { fieldKey: approverKey })).statusCode).toBe(404);
    const bad = await inject('PUT', APPROVAL_SETTING(), samAuth, { fieldKey: 'summary' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.fieldKey).toMatch(/not a user-picker field/);

    const set = await inject('PUT', APPROVAL_SETTING(), samAuth, { fieldKey: approverKey });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ requestTypeId: hardware, approvers: { fieldKey: approverKey, label: 'Approver' } });
    const audit = await t.db.selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'project.request_type.approval.changed').execute();
    expect(audit).toEqual([{ actor_id: sam.accountId, details: expect.objectContaining({ projectKey: 'HELP', from: null, to: 'Approver' }) }]);
  });

  it("the agent workspace's Approvals page reads every request type's setting and changes one (the same setting, audited)", async () => {
    const page = (await inject('GET', '/s/acme/api/agent/projects/HELP/approvals', sam.headers)).json();
    const row = page.values.find((v: { requestTypeId: string }) => v.requestTypeId === hardware);
    expect(row).toEqual({ requestTypeId: hardware, name: 'Request new hardware', pickerFields: [{ fieldKey: approverKey, label: 'Approver' }], approvers: { fieldKey: approverKey, label: 'Approver' } });
    const url = `/s/acme/api/agent/projects/HELP/request-types/${hardware}/approval`;
    expect((await inject('PUT', url, sam.headers, { fieldKey: null })).json()).toEqual({ requestTypeId: hardware, approvers: null });
    expect((await inject('GET', APPROVAL_SETTING(), samAuth)).json().approvers).toBeNull();
    expect((await inject('PUT', url, sam.headers, { fieldKey: 'summary' })).statusCode).toBe(400);
    expect((await inject('PUT', url, sam.headers, { fieldKey: approverKey })).json().approvers).toEqual({ fieldKey: approverKey, label: 'Approver' });
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'project.request_type.approval.changed').orderBy('id').execute();
    expect(audit.map((a) => [(a.details as { from: string | null }).from, (a.details as { to: string | null }).to])).toEqual([[null, 'Approver'], ['Approver', null], [null, 'Approver']]);
    // another organization's staff learn nothing of it
    expect((await inject('GET', '/s/acme/api/agent/projects/HELP/approvals', await staffAuth(t, 'admin@globex.test'))).statusCode).toBe(404);
  });
});

describe('a request waits for approval, the approver answers, the request moves on', () => {
  it('raised "Waiting for approval"; the approver sees it (jira.js getApprovals, getApprovalById, the APPROVER list, the help center list)', async () => {
    const key = await raiseHardware(carol.client, 'A laptop for the new starter', [ids.alice]);
    expect(await statusOf(key)).toBe('Waiting for approval');
    const page = await alice.client.request.getApprovals({ issueIdOrKey: key });
    expectPage(page, () => undefined);
    expect(page.values).toHaveLength(1);
    const [approval] = page.values!;
    expect(approval).toMatchObject({ name: 'Waiting for approval', finalDecision: 'pending', canAnswerApproval: true, approvers: [{ approverDecision: 'pending', approver: { accountId: ids.alice, displayName: 'Alice Example', active: true } }] });
    expectJsmUser(approval.approvers![0].approver);
    expectDate(approval.createdDate);
    expect(approval.completedDate).toBeUndefined();
    // T3: from the configured public URL, not the Host the client connected to
    expect(approval._links?.self).toMatch(new RegExp(`^http://localhost:80/s/acme/rest/servicedeskapi/request/\\d+/approval/${approval.id}$`));
    // the reporter sees it too, but cannot answer
    expect((await carol.client.request.getApprovalById({ issueIdOrKey: key, approvalId: Number(approval.id) })).canAnswerApproval).toBe(false);
    const mine = await alice.client.request.getCustomerRequests({ requestOwnership: ['APPROVER'], approvalStatus: 'MY_PENDING_APPROVAL' });
    expect(mine.values?.map((r) => r.issueKey)).toEqual([key]);
    // her JQL finds it too, as the help center shows it to her; another customer's does not
    const jql = async (who: { headers: Headers }) =>
      (await inject('GET', `/s/acme/rest/api/3/search/jql?jql=${encodeURIComponent('status = "Waiting for approval"')}&fields=summary`, who.headers)).json().issues.map((i: { key: string }) => i.key);
    expect(await jql(alice)).toEqual([key]);
    expect(await jql(bob)).toEqual([]);
    const listed = (await inject('GET', '/s/acme/api/portal/approvals', alice.headers)).json().approvals;
    expect(listed).toEqual([expect.objectContaining({ key, summary: 'A laptop for the new starter', reporter: expect.objectContaining({ label: 'Carol Customer' }) })]);
    expect((await inject('GET', '/s/acme/api/portal/approvals', carol.headers)).json().approvals).toEqual([]);
    // the approver opens the request in the help center: it is shown to her
    expect((await inject('GET', `/s/acme/api/portal/requests/${key}`, alice.headers)).statusCode).toBe(200);
  });

  it('T1: only a named approver answers (403 for the reporter and the agent, 404 for a customer not on it or of another site or organization), once (409)', async () => {
    const key = await raiseHardware(carol.client, 'A second monitor', [ids.alice]);
    const approvalId = await approvalIdOf(key);
    expect((await failure(carol.client.request.answerApproval({ issueIdOrKey: key, approvalId, decision: 'approve' }))).status).toBe(403);
    expect((await failure(client({ auth: basicOf(samAuth) }).request.answerApproval({ issueIdOrKey: key, approvalId, decision: 'approve' }))).status).toBe(403);
    expect((await failure(bob.client.request.answerApproval({ issueIdOrKey: key, approvalId, decision: 'approve' }))).status).toBe(404);
    expect((await failure(bob.client.request.getApprovals({ issueIdOrKey: key }))).status).toBe(404);
    // Globex's Alice: a different account, on another site, whose cookie is refused here or sees nothing
    const globexAlice = await customer('alice@customer.test', 'globex', 'globex');
    expect((await failure(globexAlice.client.request.getApprovals({ issueIdOrKey: key }))).status).toBe(404);
    expect((await inject('GET', `${REST}/request/${key}/approval`, globexAlice.headers)).statusCode).toBeGreaterThanOrEqual(401);
    expect((await inject('GET', `${REST}/request/${key}/approval`, await staffAuth(t, 'admin@globex.test'))).statusCode).toBe(404);
    const bad = await inject('POST', `${REST}/request/${key}/approval/${approvalId}`, alice.headers, { decision: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.decision).toBe("Send 'approve' or 'decline'.");
    expect((await inject('GET', `${REST}/request/${key}/approval/99999999`, alice.headers)).statusCode).toBe(404);
    expect(await statusOf(key)).toBe('Waiting for approval');

    const answered = await alice.client.request.answerApproval({ issueIdOrKey: key, approvalId, decision: 'approve' });
    expect(answered).toMatchObject({ finalDecision: 'approved', canAnswerApproval: false, approvers: [{ approverDecision: 'approved' }] });
    expectDate(answered.completedDate);
    expect(await statusOf(key)).toBe('Open');
    // answered: no longer awaiting her, in her approval history instead (Atlassian's approvalStatus)
    const approverList = async (approvalStatus?: string) =>
      (await alice.client.request.getCustomerRequests({ requestOwnership: ['APPROVER'], ...(approvalStatus ? { approvalStatus } : {}) })).values!.map((r) => r.issueKey);
    expect(await approverList('MY_PENDING_APPROVAL')).not.toContain(key);
    expect(await approverList('MY_HISTORY_APPROVAL')).toContain(key);
    expect(await approverList()).toContain(key);
    const again = await failure(alice.client.request.answerApproval({ issueIdOrKey: key, approvalId, decision: 'decline' }));
    expect(again.status).toBe(409);
    expect(await statusOf(key)).toBe('Open');
    // the status history starts waiting; the history and the audit log say who answered
    const statuses = await carol.client.request.getCustomerRequestStatus({ issueIdOrKey: key });
    expect(statuses.values?.map((s) => s.status)).toEqual(['Open', 'Waiting for approval']);
    const history = await t.db.selectFrom('request_history as h').innerJoin('requests as r', 'r.id', 'h.request_id').select(['h.field', 'h.actor_id', 'h.to_value']).where('r.key', '=', key).orderBy('h.id').execute();
    expect(history).toEqual([
      { field: 'approval', actor_id: ids.alice, to_value: 'approved' },
      { field: 'status', actor_id: ids.alice, to_value: 'Open' },
    ]);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'actor_id', 'details']).where('actor_id', '=', ids.alice).where('action', 'like', 'request.%').orderBy('id').execute();
    expect(audit.slice(-2)).toEqual([
      { action: 'request.approval.answered', actor_id: ids.alice, details: expect.objectContaining({ issueKey: key, decision: 'approved' }) },
      { action: 'request.transitioned', actor_id: ids.alice, details: expect.objectContaining({ issueKey: key, from: 'Waiting for approval', to: 'Open' }) },
    ]);
  });

  it('declined: the request is Declined (done), with nothing a customer or agent can move it to', async () => {
    const key = await raiseHardware(carol.client, 'A gaming chair', [ids.alice]);
    const res = await inject('POST', `/s/acme/api/portal/requests/${key}/approvals/${await approvalIdOf(key)}`, alice.headers, { decision: 'decline' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'declined', canAnswer: false, approvers: [{ decision: 'declined', person: { label: 'Alice Example' } }] });
    expect(await statusOf(key)).toBe('Declined');
    expect((await carol.client.request.getCustomerRequestByIdOrKey({ issueIdOrKey: key })).currentStatus).toMatchObject({ status: 'Declined', statusCategory: 'DONE' });
    expect((await carol.client.request.getCustomerTransitions({ issueIdOrKey: key })).values).toEqual([]);
  });

  it('R10: a cookie-authenticated answer needs the CSRF token', async () => {
    const key = await raiseHardware(carol.client, 'A headset', [ids.alice]);
    const { 'x-csrf-token': _csrf, ...cookieOnly } = alice.headers;
    expect((await inject('POST', `${REST}/request/${key}/approval/${await approvalIdOf(key)}`, cookieOnly, { decision: 'approve' })).statusCode).toBe(403);
    expect(await statusOf(key)).toBe('Waiting for approval');
  });
});

describe('a revoked approver (the seed page: user-picker fields)', () => {
  it('R1, P3, P1: a revoked approver is shown "(Deactivated)", refused with their old session, not offered in the picker; the approval is stuck until an agent replaces them; a grant restores the pending approval', async () => {
    const replaced = await raiseHardware(carol.client, 'A docking station', [ids.bob]);
    const restored = await raiseHardware(carol.client, 'A keyboard', [ids.bob]);
    const oldBob = bob.headers;
    const revoke = await inject('PUT', `${REST}/customer/user/${ids.bob}/revoke-portal-only-access`, ada);
    expect(revoke.statusCode, revoke.body).toBe(204);

    // R1: the stale session is refused; nothing moves
    expect((await inject('POST', `${REST}/request/${restored}/approval/${await approvalIdOf(restored)}`, oldBob, { decision: 'approve' })).statusCode).toBe(401);
    expect(await statusOf(restored)).toBe('Waiting for approval');
    // P3: the agent sees "Bob Builder (Deactivated)", and that the approval is stuck
    const [stuck] = await agentApprovals(replaced);
    expect(stuck).toMatchObject({ status: 'pending', stuck: true, field: { key: approverKey, label: 'Approver' }, approvers: [{ person: { label: 'Bob Builder (Deactivated)', active: false }, decision: 'pending' }] });
    const rest = await client({ auth: basicOf(samAuth) }).request.getApprovals({ issueIdOrKey: replaced });
    expect(rest.values?.[0].approvers?.[0].approver).toMatchObject({ accountId: ids.bob, displayName: 'Bob Builder', active: false });
    // P1: not offered as a new approver
    const picker = await inject('GET', `/s/acme/api/users/picker?query=bob&fieldKey=${approverKey}`, sam.headers);
    expect(picker.json().users.map((u: { accountId: string }) => u.accountId)).not.toContain(ids.bob);
    const refused = await inject('PUT', `/s/acme/api/agent/requests/${restored}/people`, sam.headers, { fields: { [approverKey]: [ids.bob, ids.alice] } });
    expect(refused.statusCode).toBe(400);

    // the agent replaces him: Alice can answer, and does
    const swap = await inject('PUT', `/s/acme/api/agent/requests/${replaced}/people`, sam.headers, { fields: { [approverKey]: [ids.alice] } });
    expect(swap.statusCode, swap.body).toBe(200);
    expect((await agentApprovals(replaced))[0]).toMatchObject({ stuck: false, approvers: [{ person: { label: 'Alice Example' } }] });
    expect((await alice.client.request.answerApproval({ issueIdOrKey: replaced, approvalId: await approvalIdOf(replaced), decision: 'approve' })).finalDecision).toBe('approved');
    expect(await statusOf(replaced)).toBe('Open');

    // a grant: Bob is "Bob Builder" again and his pending approval is his to answer, after signing in again
    expect((await inject('PUT', `${REST}/customer/user/${ids.bob}/grant-portal-only-access`, ada)).statusCode).toBe(204);
    expect((await agentApprovals(restored))[0]).toMatchObject({ stuck: false, approvers: [{ person: { label: 'Bob Builder', active: true } }] });
    expect((await inject('GET', `${REST}/request/${restored}/approval`, oldBob)).statusCode).toBe(401);
    const bobAgain = await customer('bob@customer.test');
    const answered = await bobAgain.client.request.answerApproval({ issueIdOrKey: restored, approvalId: await approvalIdOf(restored), decision: 'approve' });
    expect(answered.finalDecision).toBe('approved');
    expect(await statusOf(restored)).toBe('Open');
  });

  it('a request raised with no approver at all is stuck too, until an agent names one', async () => {
    const key = await raiseHardware(carol.client, 'A mouse', []);
    expect(await statusOf(key)).toBe('Waiting for approval');
    expect((await agentApprovals(key))[0]).toMatchObject({ stuck: true, approvers: [] });
  });
});
