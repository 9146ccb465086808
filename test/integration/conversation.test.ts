import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// The conversation loop (docs/product.md#workflow): a public reply moves a request between support
// and the customer by itself — and a customer's reply to a recently resolved request puts it back in
// the agent's queue — and the reporter resolves and reopens their own request from the help center.

let t: TestApp;
let sam: AgentTestSession; // agent on HELP
let alice: AgentTestSession; // customer of acme, reporter of the requests raised here
let bob: AgentTestSession; // customer of acme, a participant
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { reopenWindowDays: 14 } });
  sam = await agentSession(t, 'agent@acme.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
  bob = await agentSession(t, 'bob@customer.test', 'acme');
  for (const name of ['alice', 'bob']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
});
afterAll(() => t?.close());

const send = (method: 'POST' | 'PUT', url: string, payload: unknown, who: AgentTestSession) => t.app.inject({ method, url, payload: payload as object, headers: who.headers });
const get = (url: string, who: AgentTestSession) => t.app.inject({ method: 'GET', url, headers: who.headers });
const statusOf = async (key: string) => (await t.db.selectFrom('requests').select('status').where('key', '=', key).executeTakeFirstOrThrow()).status;
const queueKeys = async () => (await get('/s/acme/api/agent/projects/HELP/queue', sam)).json().values.map((r: { key: string }) => r.key) as string[];
const reply = async (who: AgentTestSession, key: string, body: string, isPublic = true) => {
  const surface = who === sam ? 'agent' : 'portal';
  const res = await send('POST', `/s/acme/api/${surface}/requests/${key}/comments`, { body, public: isPublic }, who);
  expect(res.statusCode, res.body).toBe(201);
};
const transition = (key: string, status: string) => send('POST', `/s/acme/api/agent/requests/${key}/transitions`, { status }, sam);
const own = (who: AgentTestSession, key: string, status: string) => send('POST', `/s/acme/api/portal/requests/${key}/transitions`, { status }, who);

/** A new request of Alice's on HELP, shared with Bob. */
async function raise(summary: string): Promise<string> {
  const help = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('project_id', '=', help.id).executeTakeFirstOrThrow();
  const res = await send('POST', '/s/acme/api/portal/requests', { projectId: String(help.id), requestTypeId: String(type.id), fields: { summary }, participants: [ids.bob] }, alice);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().key;
}

describe('a public reply moves the request along', () => {
  it("an agent's public reply hands an Open request to the customer; an internal note moves nothing; the customer's reply hands it back", async () => {
    const key = await raise('Monitor flickers');
    await reply(sam, key, 'Only looking into it.', false);
    expect(await statusOf(key)).toBe('Open');
    await reply(sam, key, 'Which cable does it use?');
    expect(await statusOf(key)).toBe('Waiting for customer');
    expect(await queueKeys()).toContain(key); // still in the agent's queue, shown waiting
    const row = (await get('/s/acme/api/agent/projects/HELP/queue', sam)).json().values.find((r: { key: string }) => r.key === key);
    expect(row.status).toBe('Waiting for customer');

    await reply(bob, key, 'HDMI.'); // a participant replies for the customer's side
    expect(await statusOf(key)).toBe('Waiting for support');
    await reply(sam, key, 'Try another cable, please.');
    expect(await statusOf(key)).toBe('Waiting for customer');
    // the moves are in the audit log as made by the one who replied, marked automatic
    const events = await t.db.selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'request.transitioned').orderBy('id').execute();
    const mine = events.filter((e) => (e.details as { issueKey?: string }).issueKey === key).map((e) => [e.actor_id, (e.details as { to: string }).to, (e.details as { automatic?: boolean }).automatic]);
    expect(mine).toEqual([
      [await accountIdOf(t.db, 'agent@acme.test', null), 'Waiting for customer', true],
      [ids.bob, 'Waiting for support', true],
      [await accountIdOf(t.db, 'agent@acme.test', null), 'Waiting for customer', true],
    ]);
  });

  it('a request In progress stays with its agent when either side replies; a Closed one stays closed', async () => {
    const key = await raise('Keyboard missing keys');
    expect((await transition(key, 'In progress')).statusCode).toBe(200);
    await reply(sam, key, 'Ordering a new one.');
    await reply(alice, key, 'Thank you!');
    expect(await statusOf(key)).toBe('In progress');
    expect((await transition(key, 'Resolved')).statusCode).toBe(200);
    expect((await transition(key, 'Closed')).statusCode).toBe(200);
    await reply(alice, key, 'One more thing…');
    expect(await statusOf(key)).toBe('Closed');
  });

  it("a customer's reply to a request resolved within the reopen window puts it back in the agent's queue; after the window it stays resolved", async () => {
    const key = await raise('This is NOT fixed');
    await transition(key, 'In progress');
    await transition(key, 'Resolved');
    expect(await queueKeys()).not.toContain(key);
    await reply(alice, key, 'This is NOT fixed, the VPN still drops.');
    expect(await statusOf(key)).toBe('Waiting for support');
    expect(await queueKeys()).toContain(key);

    // resolved again, 15 days ago: a reply is only a comment now
    await transition(key, 'Resolved');
    await t.db.updateTable('requests').set({ status_changed_at: new Date(Date.now() - 15 * 86_400_000) }).where('key', '=', key).execute();
    await reply(alice, key, 'It happened again.');
    expect(await statusOf(key)).toBe('Resolved');
    expect(await queueKeys()).not.toContain(key);
  });
});

describe('the reporter resolves and reopens their own request', () => {
  it('offers "Mark as resolved", then "Reopen", to the reporter only; reopening sends it back to support', async () => {
    const key = await raise('Printer offline');
    const page = (who: AgentTestSession) => get(`/s/acme/api/portal/requests/${key}`, who).then((r) => r.json().permissions.transitions);
    expect(await page(alice)).toEqual([{ to: 'Resolved', name: 'Mark as resolved' }]);
    expect(await page(bob)).toEqual([]);

    const resolved = await own(alice, key, 'Resolved');
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ key, from: 'Open', status: 'Resolved' });
    expect(await queueKeys()).not.toContain(key);
    expect(await page(alice)).toEqual([{ to: 'Waiting for support', name: 'Reopen' }]);

    // a participant may not; nor may the reporter skip to Closed, nor resolve it twice
    expect((await own(bob, key, 'Waiting for support')).statusCode).toBe(403);
    const closed = await own(alice, key, 'Closed');
    expect(closed.statusCode).toBe(400);
    expect(closed.json().errorMessages[0]).toContain("can only be moved to 'Waiting for support'");
    expect(await statusOf(key)).toBe('Resolved');

    expect((await own(alice, key, 'Waiting for support')).statusCode).toBe(200);
    expect(await statusOf(key)).toBe('Waiting for support');
    expect(await queueKeys()).toContain(key);

    // once an agent closes it, the help center can no longer change it
    await transition(key, 'Resolved');
    await transition(key, 'Closed');
    expect(await page(alice)).toEqual([]);
    const late = await own(alice, key, 'Waiting for support');
    expect(late.statusCode).toBe(400);
    expect(late.json().errorMessages[0]).toContain('can no longer be changed');
  });

  it('the waiting statuses are JQL values, in the REST search with their own ids, and sort between Open and In progress', async () => {
    const key = await raise('Waiting in JQL');
    await reply(sam, key, 'Can you send a screenshot?');
    const token = (await send('POST', '/api/profile/tokens', { label: 'conversation' }, sam)).json().token as string;
    const basic = { authorization: `Basic ${Buffer.from(`agent@acme.test:${token}`).toString('base64')}` };
    const found = await t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: basic, payload: { jql: 'status = "Waiting for customer"', fields: ['status'] } });
    expect(found.statusCode, found.body).toBe(200);
    const issue = found.json().issues.find((i: { key: string }) => i.key === key);
    expect(issue.fields.status).toMatchObject({ id: '10002', name: 'Waiting for customer', statusCategory: { key: 'indeterminate' } });
    const sorted = await t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: basic, payload: { jql: 'project = HELP ORDER BY status ASC, key ASC', fields: ['status'], maxResults: 100 } });
    const order = sorted.json().issues.map((i: { fields: { status: { name: string } } }) => i.fields.status.name) as string[];
    const rank = ['Open', 'Waiting for support', 'Waiting for customer', 'In progress', 'Resolved', 'Closed'];
    expect(order.map((s) => rank.indexOf(s))).toEqual([...order.map((s) => rank.indexOf(s))].sort((a, b) => a - b));
  });
});
