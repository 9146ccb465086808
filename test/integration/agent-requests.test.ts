import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// The agent's request view and comments, and the project's customers page API.

let t: TestApp;
let sam: AgentTestSession;
let ada: AgentTestSession;
let sid: AgentTestSession;
let alice: AgentTestSession;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  sam = await agentSession(t, 'agent@acme.test');
  ada = await agentSession(t, 'admin@acme.test');
  sid = await agentSession(t, 'siteadmin@globex.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
  for (const name of ['alice', 'bob', 'carol', 'dave']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
});
afterAll(() => t?.close());

const get = (url: string, who?: AgentTestSession) => t.app.inject({ method: 'GET', url, headers: who?.headers ?? {} });
const post = (url: string, payload: unknown, who?: AgentTestSession) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: who?.headers ?? {} });

describe('request view', () => {
  it('shows reporter, participants, user-picker fields, comments and transitions with labels', async () => {
    const res = await get('/s/acme/api/agent/requests/help-1', sam);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ key: 'HELP-1', summary: 'Laptop will not connect to the VPN', status: 'Open', requestType: { name: 'Get IT help' } });
    expect(r.reporter).toMatchObject({ accountId: ids.alice, label: 'Alice Example', active: true });
    expect(r.participants.map((p: { label: string }) => p.label)).toEqual(['Bob Builder']);
    expect(r.fields).toEqual([expect.objectContaining({ label: 'Affected user', type: 'user', values: [expect.objectContaining({ label: 'Bob Builder' })] })]);
    expect(r.transitions).toEqual([
      { to: 'In progress', name: 'Start progress' },
      { to: 'Waiting for customer', name: 'Wait for customer' },
    ]);
  });

  it('labels a revoked reporter as deactivated', async () => {
    const r = (await get('/s/acme/api/agent/requests/HELP-4', sam)).json();
    expect(r.reporter).toMatchObject({ label: 'Dave Departed (Deactivated)', displayName: 'Dave Departed', active: false });
  });

  it('is for the agents of the project and admins of the site only', async () => {
    expect((await get('/s/acme/api/agent/requests/HELP-1', ada)).statusCode).toBe(200);
    expect((await get('/s/globex/api/agent/requests/SUP-1', sid)).statusCode).toBe(200);
    expect((await get('/s/globex/api/agent/requests/SUP-1', sam)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/requests/HELP-1', sid)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/requests/HELP-404', sam)).statusCode).toBe(404);
    // Alice reported HELP-1, but the agent view is not hers
    expect((await get('/s/acme/api/agent/requests/HELP-1', alice)).statusCode).toBe(403);
    expect((await get('/s/acme/api/agent/requests/HELP-1')).statusCode).toBe(401);
  });
});

describe('comments', () => {
  it('adds a public reply and an internal note, with author labels, and bumps updated_at', async () => {
    const before = await t.db.selectFrom('requests').select('updated_at').where('key', '=', 'HELP-2').executeTakeFirstOrThrow();
    const reply = await post('/s/acme/api/agent/requests/HELP-2/comments', { body: 'We are on it.', public: true }, sam);
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({ body: 'We are on it.', public: true, author: { label: 'Sam Agent' } });
    const note = await post('/s/acme/api/agent/requests/HELP-2/comments', { body: 'Check the ACLs on the share.', public: false }, sam);
    expect(note.statusCode).toBe(201);
    const after = await t.db.selectFrom('requests').select('updated_at').where('key', '=', 'HELP-2').executeTakeFirstOrThrow();
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    const view = (await get('/s/acme/api/agent/requests/HELP-2', sam)).json();
    expect(view.comments.map((c: { body: string; public: boolean }) => [c.body, c.public])).toEqual([
      ['We are on it.', true],
      ['Check the ACLs on the share.', false],
    ]);
  });

  it('refuses an empty comment and outsiders, writing nothing', async () => {
    const count = async () => Number((await t.db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    expect((await post('/s/acme/api/agent/requests/HELP-2/comments', { body: '   ', public: true }, sam)).statusCode).toBe(400);
    expect((await post('/s/acme/api/agent/requests/HELP-2/comments', { body: 'x' }, sam)).statusCode).toBe(400);
    expect((await post('/s/acme/api/agent/requests/HELP-2/comments', { body: 'x', public: false }, alice)).statusCode).toBe(403);
    expect((await post('/s/acme/api/agent/requests/HELP-2/comments', { body: 'x', public: true }, sid)).statusCode).toBe(404);
    expect((await post('/s/globex/api/agent/requests/SUP-1/comments', { body: 'x', public: true }, sam)).statusCode).toBe(404);
    expect(await count()).toBe(n);
  });
});

describe('project customers', () => {
  it('lists the project’s customers with their status', async () => {
    const res = await get('/s/acme/api/agent/projects/HELP/customers', sam);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().values as Array<{ label: string; email: string; statusLabel: string }>;
    expect(rows.map((r) => [r.label, r.email, r.statusLabel])).toEqual([
      ['Alice Example', 'alice@customer.test', 'Active'],
      ['Bob Builder', 'bob@customer.test', 'Active'],
      ['Carol Customer', 'carol@customer.test', 'Active'],
      ['Dave Departed (Deactivated)', 'dave@customer.test', 'Access revoked'],
    ]);
  });

  it('creates a customer and adds them to the project; refuses a duplicate email', async () => {
    const res = await post('/s/acme/api/agent/projects/HELP/customers/new', { displayName: 'Frank Newman', email: 'frank@customer.test' }, sam);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ label: 'Frank Newman', email: 'frank@customer.test', statusLabel: 'Active' });
    const list = (await get('/s/acme/api/agent/projects/HELP/customers?query=frank', sam)).json().values;
    expect(list.map((c: { email: string }) => c.email)).toEqual(['frank@customer.test']);
    const dup = await post('/s/acme/api/agent/projects/HELP/customers/new', { displayName: 'Frank Again', email: 'FRANK@customer.test' }, sam);
    expect(dup.statusCode).toBe(400);
    expect((await post('/s/acme/api/agent/projects/HELP/customers/new', { displayName: 'X', email: 'not-an-email' }, sam)).statusCode).toBe(400);
  });

  it('adds existing active customers; refuses a revoked one', async () => {
    const grace = await post('/s/acme/api/agent/projects/HELP/customers/new', { displayName: 'Grace Hopper', email: 'grace@customer.test' }, ada);
    const graceId = grace.json().accountId as string;
    // take her out of HELP so she can be added back
    await t.db.deleteFrom('project_customers').where('account_id', '=', graceId).execute();
    const refused = await post('/s/acme/api/agent/projects/HELP/customers', { accountIds: [graceId, ids.dave] }, sam);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errorMessages[0]).toContain('deactivated');
    expect((await get('/s/acme/api/agent/projects/HELP/customers?query=grace', sam)).json().values).toEqual([]);
    const ok = await post('/s/acme/api/agent/projects/HELP/customers', { accountIds: [graceId] }, sam);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().added).toEqual([graceId]);
    expect((await get('/s/acme/api/agent/projects/HELP/customers?query=grace', sam)).json().values.map((c: { label: string }) => c.label)).toEqual(['Grace Hopper']);
  });

  it('is for the agents of the project and admins of the site only', async () => {
    expect((await get('/s/acme/api/agent/projects/HELP/customers', ada)).statusCode).toBe(200);
    expect((await get('/s/globex/api/agent/projects/SUP/customers', sid)).statusCode).toBe(200);
    expect((await get('/s/globex/api/agent/projects/SUP/customers', sam)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/projects/HELP/customers', sid)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/projects/HELP/customers', alice)).statusCode).toBe(403);
    expect((await get('/s/acme/api/agent/projects/HELP/customers')).statusCode).toBe(401);
    const before = await t.db.selectFrom('accounts').select('account_id').execute();
    expect((await post('/s/acme/api/agent/projects/HELP/customers/new', { displayName: 'Eve', email: 'eve@customer.test' }, alice)).statusCode).toBe(403);
    expect((await post('/s/acme/api/agent/projects/HELP/customers/new', { displayName: 'Eve', email: 'eve@customer.test' }, sid)).statusCode).toBe(404);
    expect((await post('/s/globex/api/agent/projects/SUP/customers/new', { displayName: 'Eve', email: 'eve@customer.test' }, sam)).statusCode).toBe(404);
    expect((await post('/s/acme/api/agent/projects/HELP/customers', { accountIds: [ids.bob] }, alice)).statusCode).toBe(403);
    expect(await t.db.selectFrom('accounts').select('account_id').execute()).toHaveLength(before.length);
  });
});
