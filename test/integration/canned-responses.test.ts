import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// Canned responses (docs/product.md#canned-responses): a project's agents and the site's admins keep
// them; customers and other organizations' staff get nothing; titles are unique per project.

let t: TestApp;
let sam: AgentTestSession; // agent on HELP
let ada: AgentTestSession; // org admin of Acme
let greta: AgentTestSession; // org admin of Globex
let alice: AgentTestSession; // customer of acme
beforeAll(async () => {
  t = await createTestApp();
  sam = await agentSession(t, 'agent@acme.test');
  ada = await agentSession(t, 'admin@acme.test');
  greta = await agentSession(t, 'admin@globex.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
});
afterAll(() => t?.close());

const base = '/s/acme/api/agent/projects/HELP/canned-responses';
const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: AgentTestSession, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const count = async () => Number((await t.db.selectFrom('canned_responses').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('canned responses', () => {
  it('an agent adds, lists by title, edits and deletes them; each change is in the audit log', async () => {
    const restart = await call('POST', base, sam, { title: '  Restart the VPN client ', body: 'Please quit the VPN client and open it again.' });
    expect(restart.statusCode, restart.body).toBe(201);
    expect(restart.json()).toMatchObject({ title: 'Restart the VPN client', body: 'Please quit the VPN client and open it again.' });
    expect((await call('POST', base, ada, { title: 'Ask for a screenshot', body: 'Could you send us a screenshot of the error?' })).statusCode).toBe(201);
    expect((await call('GET', base, sam)).json().values.map((c: { title: string }) => c.title)).toEqual(['Ask for a screenshot', 'Restart the VPN client']);

    const id = restart.json().id;
    const edited = await call('PUT', `${base}/${id}`, sam, { title: 'Restart the VPN client', body: 'Quit the VPN client, wait ten seconds, open it again.' });
    expect(edited.json().body).toBe('Quit the VPN client, wait ten seconds, open it again.');
    expect((await call('DELETE', `${base}/${id}`, sam)).statusCode).toBe(204);
    expect((await call('DELETE', `${base}/${id}`, sam)).statusCode).toBe(404);
    const actions = (await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'canned_response.%').orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['canned_response.created', 'canned_response.created', 'canned_response.updated', 'canned_response.deleted']);
  });

  it('refuses a second response with the same title (any case), an empty title or text, in words, writing nothing', async () => {
    const before = await count();
    const dup = await call('POST', base, sam, { title: 'ASK FOR A SCREENSHOT', body: 'x' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors.title).toBe('This project already has a canned response titled “ASK FOR A SCREENSHOT”.');
    const empty = await call('POST', base, sam, { title: ' ', body: '' });
    expect(empty.json().errors).toEqual({ title: 'Title is required.', body: 'Text is required.' });
    const long = await call('POST', base, sam, { title: 'x', body: 'y'.repeat(10_001) });
    expect(long.json().errorMessage).toBe('Text can be at most 10,000 characters.');
    expect(await count()).toBe(before);
  });

  it('customers get 403 and another organization 404; nothing changes', async () => {
    const before = await count();
    expect((await call('GET', base, alice)).statusCode).toBe(403);
    expect((await call('POST', base, alice, { title: 'Mine', body: 'x' })).statusCode).toBe(403);
    expect((await call('GET', base, greta)).statusCode).toBe(404);
    expect((await call('POST', base, greta, { title: 'Theirs', body: 'x' })).statusCode).toBe(404);
    const [one] = (await call('GET', base, sam)).json().values;
    expect((await call('DELETE', `${base}/${one.id}`, greta)).statusCode).toBe(404);
    expect((await call('PUT', `/s/globex/api/agent/projects/SUP/canned-responses/${one.id}`, greta, { title: 'Moved', body: 'x' })).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });
});
