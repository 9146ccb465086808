import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { failOnRow } from '../support/failure-injection.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// A request's history and the author's edit window (docs/product.md#history, #composer): every
// change is recorded with who and when in the change's own transaction, agents read it with the one
// display rule, customers never get it; authors edit or delete their own comments within the window,
// and the old text stays in the history.

let t: TestApp;
let sam: AgentTestSession; // agent on HELP
let ada: AgentTestSession; // org admin of Acme
let alice: AgentTestSession; // customer, reporter of the requests raised here
let bob: AgentTestSession; // customer, a participant
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { commentEditWindowMinutes: 15 } });
  sam = await agentSession(t, 'agent@acme.test');
  ada = await agentSession(t, 'admin@acme.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
  bob = await agentSession(t, 'bob@customer.test', 'acme');
  for (const name of ['alice', 'bob', 'carol']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
  ids.sam = await accountIdOf(t.db, 'agent@acme.test', null);
});
afterAll(() => t?.close());

const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload: unknown, who: AgentTestSession) =>
  t.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), headers: who.headers });
const get = (url: string, who: AgentTestSession) => t.app.inject({ method: 'GET', url, headers: who.headers });
const agentView = async (key: string) => {
  const res = await get(`/s/acme/api/agent/requests/${key}`, sam);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
interface Line { field: string; fieldName: string; change: string; actor: { label: string }; from: { text?: string; people?: { label: string }[] }; to: { text?: string; people?: { label: string }[] } }
const historyOf = async (key: string) => (await agentView(key)).history as Line[];
const brief = (h: Line) => [h.actor.label, h.fieldName, h.change, h.from.text ?? h.from.people?.map((p) => p.label) ?? null, h.to.text ?? h.to.people?.map((p) => p.label) ?? null];

async function raise(summary: string): Promise<string> {
  const help = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('project_id', '=', help.id).orderBy('id').executeTakeFirstOrThrow();
  const res = await send('POST', '/s/acme/api/portal/requests', { projectId: String(help.id), requestTypeId: String(type.id), fields: { summary } }, alice);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().key;
}
async function comment(who: AgentTestSession, key: string, body: string, isPublic = true): Promise<string> {
  const surface = who === alice || who === bob ? 'portal' : 'agent';
  const res = await send('POST', `/s/acme/api/${surface}/requests/${key}/comments`, { body, public: isPublic }, who);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('history', () => {
  it('records status, reporter, participants and picker-field changes with who made them, oldest first', async () => {
    const key = await raise('Laptop will not boot');
    expect((await send('POST', `/s/acme/api/agent/requests/${key}/transitions`, { status: 'In progress' }, sam)).statusCode).toBe(200);
    expect((await send('POST', `/s/acme/api/portal/requests/${key}/participants`, { accountIds: [ids.bob] }, alice)).statusCode).toBe(200);
    const fieldKey = (await agentView(key)).fields.find((f: { label: string }) => f.label === 'Affected user').fieldKey;
    const people = await send('PUT', `/s/acme/api/agent/requests/${key}/people`, { reporter: ids.carol, fields: { [fieldKey]: ids.bob } }, sam);
    expect(people.statusCode, people.body).toBe(200);
    expect((await send('PUT', `/s/acme/api/agent/requests/${key}/people`, { participants: [] }, sam)).statusCode).toBe(200);

    const history = await historyOf(key);
    expect(history.map(brief)).toEqual([
      ['Sam Agent', 'Status', 'changed', 'Open', 'In progress'],
      ['Alice Example', 'Request participants', 'changed', [], ['Bob Builder']],
      ['Sam Agent', 'Reporter', 'changed', ['Alice Example'], ['Carol Customer']],
      ['Sam Agent', 'Affected user', 'changed', [], ['Bob Builder']],
      ['Sam Agent', 'Request participants', 'changed', ['Bob Builder'], []],
    ]);
    expect(history.every((h) => !Number.isNaN(Date.parse((h as unknown as { at: string }).at)))).toBe(true);
  });

  it("an automatic move by a reply is recorded as the replier's", async () => {
    const key = await raise('Printer jams');
    await comment(sam, key, 'Which tray?');
    expect((await historyOf(key)).map(brief)).toEqual([['Sam Agent', 'Status', 'changed', 'Open', 'Waiting for customer']]);
  });

  it('a change that fails halfway leaves no history and no change (all or nothing)', async () => {
    const key = await raise('Screen cracked');
    const failure = await failOnRow(t.db, { table: 'request_history', op: 'INSERT', nth: 1 });
    try {
      const res = await send('POST', `/s/acme/api/agent/requests/${key}/transitions`, { status: 'In progress' }, sam);
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      await failure.remove();
    }
    const row = await t.db.selectFrom('requests').select('status').where('key', '=', key).executeTakeFirstOrThrow();
    expect(row.status).toBe('Open');
    expect(await historyOf(key)).toEqual([]);
    // a refused change (a revoked customer as a new participant) records nothing either
    const dave = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    expect((await send('PUT', `/s/acme/api/agent/requests/${key}/people`, { participants: [dave] }, sam)).statusCode).toBe(400);
    expect(await historyOf(key)).toEqual([]);
  });

  it('customers never get the history: the agent view is closed to them and the help-center view has none', async () => {
    const key = await raise('Mouse double-clicks');
    await send('POST', `/s/acme/api/agent/requests/${key}/transitions`, { status: 'In progress' }, sam);
    expect((await get(`/s/acme/api/agent/requests/${key}`, alice)).statusCode).toBe(403);
    const portal = await get(`/s/acme/api/portal/requests/${key}`, alice);
    expect(portal.statusCode).toBe(200);
    expect(portal.json()).not.toHaveProperty('history');
  });

  it('P3: a revoked person in the history reads "Name (Deactivated)", and "Name" again after a grant', async () => {
    const key = await raise('VPN drops hourly');
    await send('POST', `/s/acme/api/portal/requests/${key}/participants`, { accountIds: [ids.bob] }, alice);
    const REST = '/s/acme/rest/servicedeskapi/customer/user';
    expect((await send('PUT', `${REST}/${ids.bob}/revoke-portal-only-access`, undefined, ada)).statusCode).toBe(204);
    try {
      expect((await historyOf(key)).map(brief)).toEqual([['Alice Example', 'Request participants', 'changed', [], ['Bob Builder (Deactivated)']]]);
    } finally {
      expect((await send('PUT', `${REST}/${ids.bob}/grant-portal-only-access`, undefined, ada)).statusCode).toBe(204);
    }
    expect((await historyOf(key)).map(brief)).toEqual([['Alice Example', 'Request participants', 'changed', [], ['Bob Builder']]]);
  });
});

describe('editing and deleting one\'s own comment', () => {
  it('the author edits within the window; the old text is kept in the history and the comment says it was edited', async () => {
    const key = await raise('Wi-Fi slow');
    const id = await comment(alice, key, 'It is slow in room 4.');
    const view = await get(`/s/acme/api/portal/requests/${key}`, alice);
    expect(view.json().comments[0].editableUntil).toBeDefined();
    const edited = await send('PUT', `/s/acme/api/portal/requests/${key}/comments/${id}`, { body: 'It is slow in room 5.' }, alice);
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().editedAt).not.toBeNull();
    const agent = await agentView(key);
    const c = agent.comments.find((x: { id: string }) => x.id === id);
    expect(c.body).toBe('It is slow in room 5.');
    expect(c.fromCustomer).toBe(true);
    expect(c.editableUntil).toBeUndefined(); // Sam is not its author
    expect(agent.history.map(brief)).toContainEqual(['Alice Example', 'Reply', 'edited', 'It is slow in room 4.', 'It is slow in room 5.']);
  });

  it('only the author may edit or delete; others get 403 and nothing changes', async () => {
    const key = await raise('Headset crackles');
    const id = await comment(sam, key, 'Try the other port.');
    expect((await send('PUT', `/s/acme/api/portal/requests/${key}/comments/${id}`, { body: 'hacked' }, alice)).statusCode).toBe(403);
    expect((await send('DELETE', `/s/acme/api/portal/requests/${key}/comments/${id}`, undefined, alice)).statusCode).toBe(403);
    const other = await agentSession(t, 'admin@acme.test');
    expect((await send('PUT', `/s/acme/api/agent/requests/${key}/comments/${id}`, { body: 'by Ada' }, other)).statusCode).toBe(403);
    // T1: another organization's admin does not even find it
    const greta = await agentSession(t, 'admin@globex.test');
    expect((await send('PUT', `/s/acme/api/agent/requests/${key}/comments/${id}`, { body: 'by Greta' }, greta)).statusCode).toBe(404);
    expect((await get(`/s/acme/api/agent/requests/${key}`, greta)).statusCode).toBe(404);
    const row = await t.db.selectFrom('comments').select(['body', 'edited_at', 'deleted_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: 'Try the other port.', edited_at: null, deleted_at: null });
  });

  it('the server refuses an edit or a delete once the window has passed', async () => {
    const key = await raise('Phone will not sync');
    const id = await comment(sam, key, 'Remove the account and add it again.', false);
    await t.db.updateTable('comments').set({ created_at: new Date(Date.now() - 16 * 60_000) }).where('id', '=', id).execute();
    const late = await send('PUT', `/s/acme/api/agent/requests/${key}/comments/${id}`, { body: 'Changed my mind.' }, sam);
    expect(late.statusCode).toBe(403);
    expect(late.json().errorMessages[0]).toMatch(/15 minutes after it was written/);
    expect((await send('DELETE', `/s/acme/api/agent/requests/${key}/comments/${id}`, undefined, sam)).statusCode).toBe(403);
    expect((await agentView(key)).comments.find((c: { id: string }) => c.id === id).editableUntil).toBeUndefined();
  });

  it('a deleted comment leaves every list (help center, agent, REST) and its text stays in the history for agents', async () => {
    const key = await raise('Badge does not open door');
    const id = await comment(alice, key, 'My badge number is 4411.');
    expect((await send('DELETE', `/s/acme/api/portal/requests/${key}/comments/${id}`, undefined, alice)).statusCode).toBe(204);
    expect((await get(`/s/acme/api/portal/requests/${key}`, alice)).json().comments).toEqual([]);
    const agent = await agentView(key);
    expect(agent.comments).toEqual([]);
    expect(agent.history.map(brief)).toContainEqual(['Alice Example', 'Reply', 'deleted', 'My badge number is 4411.', null]);
    const rest = await get(`/s/acme/rest/servicedeskapi/request/${key}/comment`, sam);
    expect(rest.json().values).toEqual([]);
    // a second delete, or an edit of the deleted comment, finds nothing
    expect((await send('DELETE', `/s/acme/api/portal/requests/${key}/comments/${id}`, undefined, alice)).statusCode).toBe(404);
  });

  it('an edit or a delete with the session cookie but without the CSRF token is refused and changes nothing', async () => {
    const key = await raise('Dock not charging');
    const id = await comment(alice, key, 'It charged yesterday.');
    const noToken = { cookie: alice.headers.cookie };
    const put = await t.app.inject({ method: 'PUT', url: `/s/acme/api/portal/requests/${key}/comments/${id}`, payload: { body: 'forged' }, headers: noToken });
    const del = await t.app.inject({ method: 'DELETE', url: `/s/acme/api/portal/requests/${key}/comments/${id}`, headers: noToken });
    expect([put.statusCode, del.statusCode]).toEqual([403, 403]);
    const row = await t.db.selectFrom('comments').select(['body', 'deleted_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: 'It charged yesterday.', deleted_at: null });
  });

  it('an internal note does not exist for a customer, and bad ids and empty text are plain 4xx', async () => {
    const key = await raise('Monitor flickers');
    const note = await comment(sam, key, 'Cable is faulty.', false);
    expect((await send('PUT', `/s/acme/api/portal/requests/${key}/comments/${note}`, { body: 'x' }, alice)).statusCode).toBe(404);
    const bad = await send('PUT', `/s/acme/api/agent/requests/${key}/comments/abc`, { body: 'x' }, sam);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errorMessages[0]).toMatch(/not a comment id/);
    const empty = await send('PUT', `/s/acme/api/agent/requests/${key}/comments/${note}`, { body: '   ' }, sam);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errorMessages[0]).toBe('The comment cannot be empty.');
  });
});
