import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// The agent workspace's internal API: queue, people (reporter, participants, user-picker fields),
// transitions, issue search and the filter's user autocomplete, with every permission boundary.

let t: TestApp;
let sam: AgentTestSession; // agent on HELP (acme)
let ada: AgentTestSession; // org admin of Acme
let sid: AgentTestSession; // site admin of globex only
let greta: AgentTestSession; // org admin of Globex
let alice: AgentTestSession; // customer of acme
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  sam = await agentSession(t, 'agent@acme.test');
  ada = await agentSession(t, 'admin@acme.test');
  sid = await agentSession(t, 'siteadmin@globex.test');
  greta = await agentSession(t, 'admin@globex.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
  for (const name of ['alice', 'bob', 'carol', 'dave']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
  ids.sam = await accountIdOf(t.db, 'agent@acme.test', null);
  ids.globexAlice = await accountIdOf(t.db, 'alice@customer.test', 'globex');
});
afterAll(() => t?.close());

const get = (url: string, who?: AgentTestSession) => t.app.inject({ method: 'GET', url, headers: who?.headers ?? {} });
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload: unknown, who?: AgentTestSession) =>
  t.app.inject({ method, url, payload: payload as object, headers: who?.headers ?? {} });

async function requestRow(key: string) {
  return t.db.selectFrom('requests').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}
async function pickerValues(key: string, fieldName: string) {
  const rows = await t.db
    .selectFrom('request_user_values as v')
    .innerJoin('requests as r', 'r.id', 'v.request_id')
    .innerJoin('custom_fields as c', 'c.id', 'v.custom_field_id')
    .select('v.account_id')
    .where('r.key', '=', key)
    .where('c.name', '=', fieldName)
    .orderBy('v.position')
    .execute();
  return rows.map((r) => r.account_id);
}
async function participants(key: string) {
  const rows = await t.db
    .selectFrom('request_participants as p')
    .innerJoin('requests as r', 'r.id', 'p.request_id')
    .select('p.account_id')
    .where('r.key', '=', key)
    .execute();
  return rows.map((r) => r.account_id).sort();
}
async function affectedUserKey() {
  const f = await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').executeTakeFirstOrThrow();
  return `customfield_${f.id}`;
}

describe('queue', () => {
  it('lists open requests of the project newest first, with reporter labels', async () => {
    const res = await get('/s/acme/api/agent/projects/HELP/queue', sam);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.project).toMatchObject({ key: 'HELP', name: 'IT Help' });
    expect(body.values.map((r: { key: string }) => r.key)).toEqual(['HELP-4', 'HELP-3', 'HELP-2', 'HELP-1']);
    expect(body.total).toBe(4);
    expect(body.isLastPage).toBe(true);
    const help4 = body.values[0];
    expect(help4.reporter).toMatchObject({ label: 'Dave Departed (Deactivated)', displayName: 'Dave Departed', active: false });
    expect(body.values[3].reporter.label).toBe('Alice Example');
  });

  it('pages', async () => {
    const res = await get('/s/acme/api/agent/projects/help/queue?start=1&limit=2', sam);
    expect(res.statusCode).toBe(200);
    expect(res.json().values.map((r: { key: string }) => r.key)).toEqual(['HELP-3', 'HELP-2']);
    expect(res.json().isLastPage).toBe(false);
    expect((await get('/s/acme/api/agent/projects/HELP/queue?limit=0', sam)).statusCode).toBe(400);
    expect((await get('/s/acme/api/agent/projects/HELP/queue?start=x', sam)).statusCode).toBe(400);
  });

  it('lets the agents of the project and the admins of the site in, and nobody else', async () => {
    expect((await get('/s/acme/api/agent/projects/HELP/queue', ada)).statusCode).toBe(200);
    expect((await get('/s/globex/api/agent/projects/SUP/queue', sid)).statusCode).toBe(200);
    expect((await get('/s/globex/api/agent/projects/SUP/queue', greta)).statusCode).toBe(200);
    // another tenant: 404, whether or not the project exists there
    expect((await get('/s/globex/api/agent/projects/SUP/queue', sam)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/projects/HELP/queue', sid)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/projects/HELP/queue', greta)).statusCode).toBe(404);
    expect((await get('/s/globex-eu/api/agent/projects/SUP/queue', sid)).statusCode).toBe(404);
    expect((await get('/s/nowhere/api/agent/projects/HELP/queue', sam)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/projects/NOPE/queue', sam)).statusCode).toBe(404);
    // a customer of the site: 403; nobody: 401
    const asCustomer = await get('/s/acme/api/agent/projects/HELP/queue', alice);
    expect(asCustomer.statusCode).toBe(403);
    expect(asCustomer.json().errorMessages).toHaveLength(1);
    expect((await get('/s/acme/api/agent/projects/HELP/queue')).statusCode).toBe(401);
  });

  it('drops resolved requests from the queue', async () => {
    await send('POST', '/s/acme/api/agent/requests/HELP-3/transitions', { status: 'In progress' }, sam);
    await send('POST', '/s/acme/api/agent/requests/HELP-3/transitions', { status: 'Resolved' }, sam);
    const keys = (await get('/s/acme/api/agent/projects/HELP/queue', sam)).json().values.map((r: { key: string }) => r.key);
    expect(keys).toEqual(['HELP-4', 'HELP-2', 'HELP-1']);
    expect((await send('POST', '/s/acme/api/agent/requests/HELP-3/transitions', { status: 'Open' }, sam)).statusCode).toBe(200);
  });
});

describe('transitions', () => {
  it('walks Open → In progress → Resolved → Closed → Open, bumping updated_at each time', async () => {
    let before = (await requestRow('HELP-2')).updated_at;
    for (const status of ['In progress', 'Resolved', 'Closed', 'Open']) {
      const res = await send('POST', '/s/acme/api/agent/requests/HELP-2/transitions', { status }, sam);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(status);
      const row = await requestRow('HELP-2');
      expect(row.status).toBe(status);
      expect(row.updated_at.getTime()).toBeGreaterThan(before.getTime());
      before = row.updated_at;
    }
  });

  it('refuses a transition the workflow does not have, and changes nothing', async () => {
    const before = await requestRow('HELP-2');
    for (const status of ['Closed', 'Resolved', 'Open', 'Done']) {
      const res = await send('POST', '/s/acme/api/agent/requests/HELP-2/transitions', { status }, sam);
      expect(res.statusCode).toBe(400);
      expect(res.json().errorMessages[0]).toContain("cannot move from 'Open'");
    }
    const after = await requestRow('HELP-2');
    expect(after.status).toBe('Open');
    expect(after.updated_at.getTime()).toBe(before.updated_at.getTime());
    expect((await send('POST', '/s/acme/api/agent/requests/HELP-2/transitions', { status: 'Open', extra: 1 }, sam)).statusCode).toBe(400);
  });

  it('reopens a resolved request', async () => {
    await send('POST', '/s/acme/api/agent/requests/HELP-2/transitions', { status: 'In progress' }, sam);
    await send('POST', '/s/acme/api/agent/requests/HELP-2/transitions', { status: 'Resolved' }, sam);
    const res = await send('POST', '/s/acme/api/agent/requests/HELP-2/transitions', { status: 'Open' }, ada);
    expect(res.statusCode).toBe(200);
    expect((await requestRow('HELP-2')).status).toBe('Open');
  });

  it('is for the agents of the project only', async () => {
    expect((await send('POST', '/s/globex/api/agent/requests/SUP-1/transitions', { status: 'In progress' }, sam)).statusCode).toBe(404);
    expect((await send('POST', '/s/acme/api/agent/requests/HELP-1/transitions', { status: 'In progress' }, sid)).statusCode).toBe(404);
    expect((await send('POST', '/s/acme/api/agent/requests/HELP-1/transitions', { status: 'In progress' }, alice)).statusCode).toBe(403);
    expect((await send('POST', '/s/acme/api/agent/requests/HELP-1/transitions', { status: 'In progress' })).statusCode).toBe(401);
    expect((await send('POST', '/s/acme/api/agent/requests/HELP-99/transitions', { status: 'In progress' }, sam)).statusCode).toBe(404);
    // a cookie without the CSRF token changes nothing
    const noCsrf = await t.app.inject({
      method: 'POST', url: '/s/acme/api/agent/requests/HELP-1/transitions', payload: { status: 'In progress' }, headers: { cookie: sam.headers.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await requestRow('HELP-1')).status).toBe('Open');
    expect((await requestRow('SUP-1')).status).toBe('Open');
  });
});

describe('people: reporter, participants, user-picker fields', () => {
  it('changes Affected user to an active customer and bumps updated_at', async () => {
    const field = await affectedUserKey();
    const before = await requestRow('HELP-1');
    const res = await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { fields: { [field]: ids.carol } }, sam);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changed).toEqual([field]);
    expect(await pickerValues('HELP-1', 'Affected user')).toEqual([ids.carol]);
    expect((await requestRow('HELP-1')).updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it('refuses a revoked, deleted, unknown or other-site account as a NEW value with 400 naming the field, changing nothing', async () => {
    const field = await affectedUserKey();
    const before = await requestRow('HELP-1');
    const cases: Array<[unknown, string]> = [
      [{ fields: { [field]: ids.dave } }, 'Affected user'],
      [{ reporter: ids.dave }, 'Reporter'],
      [{ participants: [ids.bob, ids.dave] }, 'Request participants'],
      [{ participants: [ids.globexAlice] }, 'Request participants'],
      [{ reporter: 'qm:00000000-0000-0000-0000-000000000000' }, 'Reporter'],
      // a valid change next to a refused one: the whole request is refused
      [{ reporter: ids.carol, fields: { [field]: ids.dave } }, 'Affected user'],
    ];
    for (const [payload, fieldName] of cases) {
      const res = await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', payload, sam);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errorMessages[0]).toContain(fieldName);
    }
    const deactivated = await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { fields: { [field]: ids.dave } }, sam);
    expect(deactivated.json().errorMessages[0]).toContain('Dave Departed is deactivated');
    expect(deactivated.json().errors).toHaveProperty(field);
    const after = await requestRow('HELP-1');
    expect(after.reporter_id).toBe(ids.alice);
    expect(after.updated_at.getTime()).toBe(before.updated_at.getTime());
    expect(await participants('HELP-1')).toEqual([ids.bob]);
  });

  it('refuses fields the request type does not have and malformed bodies', async () => {
    const approver = await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Approver').executeTakeFirstOrThrow();
    // HELP-1 is "Get IT help": it has Affected user, not Approver
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { fields: { [`customfield_${approver.id}`]: ids.bob } }, sam)).statusCode).toBe(400);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { fields: { summary: ids.bob } }, sam)).statusCode).toBe(400);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { fields: { [await affectedUserKey()]: [ids.bob, ids.carol] } }, sam)).statusCode).toBe(400);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { reporter: '' }, sam)).statusCode).toBe(400);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { owner: ids.bob }, sam)).statusCode).toBe(400);
  });

  it('keeps stored revoked values untouched when other fields are saved', async () => {
    // HELP-4 is Dave's: make him a participant and the Affected user while he was active, then revoke.
    const help4 = await requestRow('HELP-4');
    const field = await affectedUserKey();
    const fieldId = field.replace('customfield_', '');
    await t.db.insertInto('request_participants').values({ site_id: help4.site_id, request_id: help4.id, account_id: ids.dave }).execute();
    await t.db.insertInto('request_user_values').values({ site_id: help4.site_id, request_id: help4.id, custom_field_id: fieldId, account_id: ids.dave }).execute();

    // add Bob next to Dave (Dave is sent back unchanged): accepted, Dave stays
    let res = await send('PUT', '/s/acme/api/agent/requests/HELP-4/people', { participants: [ids.dave, ids.bob] }, sam);
    expect(res.statusCode, res.body).toBe(200);
    expect(await participants('HELP-4')).toEqual([ids.bob, ids.dave].sort());
    // save only the reporter... no: save a different field; Affected user (Dave) and reporter (Dave) stay
    res = await send('PUT', '/s/acme/api/agent/requests/HELP-4/people', { participants: [ids.dave, ids.bob, ids.carol] }, sam);
    expect(res.statusCode).toBe(200);
    expect(await pickerValues('HELP-4', 'Affected user')).toEqual([ids.dave]);
    expect((await requestRow('HELP-4')).reporter_id).toBe(ids.dave);
    // sending the unchanged revoked values explicitly is not a change either
    res = await send('PUT', '/s/acme/api/agent/requests/HELP-4/people', { reporter: ids.dave, fields: { [field]: ids.dave } }, sam);
    expect(res.statusCode).toBe(200);
    expect(res.json().changed).toEqual([]);
    // removing a revoked value is allowed; putting it back is a NEW value and refused
    res = await send('PUT', '/s/acme/api/agent/requests/HELP-4/people', { participants: [ids.bob, ids.carol] }, sam);
    expect(res.statusCode).toBe(200);
    expect(await participants('HELP-4')).toEqual([ids.bob, ids.carol].sort());
    res = await send('PUT', '/s/acme/api/agent/requests/HELP-4/people', { participants: [ids.bob, ids.carol, ids.dave] }, sam);
    expect(res.statusCode).toBe(400);
    expect(await participants('HELP-4')).toEqual([ids.bob, ids.carol].sort());
    // the reporter can be changed away from Dave, to an active customer or to an agent
    res = await send('PUT', '/s/acme/api/agent/requests/HELP-4/people', { reporter: ids.sam }, sam);
    expect(res.statusCode).toBe(200);
    expect((await requestRow('HELP-4')).reporter_id).toBe(ids.sam);
    await t.db.updateTable('requests').set({ reporter_id: ids.dave }).where('id', '=', help4.id).execute();
  });

  it('clears a single user-picker field with null', async () => {
    const field = await affectedUserKey();
    const res = await send('PUT', '/s/acme/api/agent/requests/HELP-2/people', { fields: { [field]: null } }, sam);
    expect(res.statusCode).toBe(200);
    expect(await pickerValues('HELP-2', 'Affected user')).toEqual([]);
    await send('PUT', '/s/acme/api/agent/requests/HELP-2/people', { fields: { [field]: ids.alice } }, sam);
    expect(await pickerValues('HELP-2', 'Affected user')).toEqual([ids.alice]);
  });

  it('is for the agents of the project only', async () => {
    expect((await send('PUT', '/s/globex/api/agent/requests/SUP-1/people', { participants: [] }, sam)).statusCode).toBe(404);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { participants: [] }, sid)).statusCode).toBe(404);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { participants: [] }, alice)).statusCode).toBe(403);
    expect((await send('PUT', '/s/acme/api/agent/requests/HELP-1/people', { participants: [] })).statusCode).toBe(401);
    expect(await participants('HELP-1')).toEqual([ids.bob]);
    expect(await participants('SUP-1')).toEqual([ids.globexAlice]);
  });
});

describe('issue search', () => {
  it('finds requests by JQL with reporter labels', async () => {
    const res = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('reporter = "alice@customer.test"')}`, sam);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().issues.map((i: { key: string }) => i.key)).toEqual(['HELP-1']);
    expect(res.json().issues[0]).toMatchObject({ summary: 'Laptop will not connect to the VPN', status: 'Open', reporter: { label: 'Alice Example' } });
    expect(res.json().isLast).toBe(true);
  });

  it('finds a revoked reporter by exact email only, labelled deactivated', async () => {
    const res = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('reporter = " DAVE@customer.test "')}`, sam);
    expect(res.statusCode).toBe(200);
    expect(res.json().issues.map((i: { key: string }) => i.key)).toEqual(['HELP-4']);
    expect(res.json().issues[0].reporter.label).toBe('Dave Departed (Deactivated)');
    const byName = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('reporter = "Dave Departed"')}`, sam);
    expect(byName.statusCode === 400 || byName.json().issues.length === 0).toBe(true);
  });

  it('answers a malformed query with 400 saying where and why', async () => {
    const res = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('reporter = ')}`, sam);
    expect(res.statusCode).toBe(400);
    expect(res.json().errorMessages[0]).toMatch(/JQL/);
    const mid = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('status = Open AND AND key = HELP-1')}`, sam);
    expect(mid.statusCode).toBe(400);
    expect(mid.json().errorMessages[0]).toMatch(/line 1, character \d+/);
  });

  it('reads plain words as a text search and a key as that request, and says so', async () => {
    const words = await get(`/s/acme/api/agent/search?jql=vpn`, sam);
    expect(words.statusCode, words.body).toBe(200);
    expect(words.json()).toMatchObject({ searchedAs: 'text', jql: 'text ~ "vpn"' });
    expect(words.json().issues.map((i: { key: string }) => i.key)).toEqual(['HELP-1']);
    const key = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent(' help-3 ')}`, sam);
    expect(key.json()).toMatchObject({ searchedAs: 'key', jql: 'key = "HELP-3"' });
    expect(key.json().issues.map((i: { key: string }) => i.key)).toEqual(['HELP-3']);
    // JQL is still JQL
    const jql = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('key = HELP-3')}`, sam);
    expect(jql.json()).toMatchObject({ searchedAs: 'jql', jql: 'key = HELP-3' });
  });

  it('pages and orders', async () => {
    const first = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('project = HELP ORDER BY key ASC')}&maxResults=2`, sam);
    expect(first.json().issues.map((i: { key: string }) => i.key)).toEqual(['HELP-1', 'HELP-2']);
    expect(first.json().isLast).toBe(false);
    const second = await get(`/s/acme/api/agent/search?jql=${encodeURIComponent('project = HELP ORDER BY key ASC')}&maxResults=2&startAt=2`, sam);
    expect(second.json().issues.map((i: { key: string }) => i.key)).toEqual(['HELP-3', 'HELP-4']);
    expect(second.json().isLast).toBe(true);
  });

  it('searches only what the viewer may see, per site', async () => {
    const all = await get('/s/acme/api/agent/search?jql=', ada);
    expect(all.statusCode).toBe(200);
    expect(all.json().issues.map((i: { key: string }) => i.key).sort()).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4']);
    const globex = await get('/s/globex/api/agent/search?jql=', sid);
    expect(globex.json().issues.map((i: { key: string }) => i.key)).toEqual(['SUP-1']);
    expect((await get('/s/globex/api/agent/search?jql=', sam)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/search?jql=', sid)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/search?jql=', alice)).statusCode).toBe(403);
    expect((await get('/s/acme/api/agent/search?jql=')).statusCode).toBe(401);
  });
});

describe('filter user autocomplete', () => {
  const users = async (query: string, who: AgentTestSession = sam) => {
    const res = await get(`/s/acme/api/agent/filter-users?query=${encodeURIComponent(query)}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().users as Array<{ accountId: string; label: string; active: boolean }>;
  };

  it('offers active people by prefix', async () => {
    expect((await users('ali')).map((u) => u.label)).toEqual(['Alice Example']);
    expect((await users('sam')).map((u) => u.label)).toEqual(['Sam Agent']);
  });

  it('offers a revoked customer only for the full email, labelled deactivated', async () => {
    const dave = await users('dave@customer.test');
    expect(dave).toEqual([expect.objectContaining({ accountId: ids.dave, label: 'Dave Departed (Deactivated)', active: false })]);
    expect((await users('  DAVE@Customer.TEST ')).map((u) => u.accountId)).toEqual([ids.dave]);
    expect(await users('dave')).toEqual([]);
    expect(await users('Dav')).toEqual([]);
    expect(await users('Dave Departed')).toEqual([]);
    expect(await users('dave@customer.tes')).toEqual([]);
    expect(await users('dave@customer.test.x')).toEqual([]);
  });

  it('never crosses sites and is for staff of the site', async () => {
    // Erin is a customer of globex only
    expect(await users('erin@customer.test')).toEqual([]);
    expect((await get('/s/acme/api/agent/filter-users?query=ali', sid)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/filter-users?query=ali', alice)).statusCode).toBe(403);
    expect((await get('/s/acme/api/agent/filter-users?query=ali')).statusCode).toBe(401);
  });
});
