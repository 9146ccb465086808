import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// Saved filters store their user values as account ids (as Jira does), the rest of the JQL as
// written; a filter saved by display name, email or accountId keeps finding a customer's requests
// after the customer's access is revoked (docs/product.md#filters).

let t: TestApp;
let sam: AgentTestSession;
let ada: AgentTestSession;
let sid: AgentTestSession;
let alice: AgentTestSession;
let aliceId: string;

beforeAll(async () => {
  t = await createTestApp();
  sam = await agentSession(t, 'agent@acme.test');
  ada = await agentSession(t, 'admin@acme.test');
  sid = await agentSession(t, 'siteadmin@globex.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
  aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
});
afterAll(() => t?.close());

const url = '/s/acme/api/agent/filters';
const save = (who: AgentTestSession | undefined, name: string, jql: string, site = 'acme') =>
  t.app.inject({ method: 'POST', url: `/s/${site}/api/agent/filters`, payload: { name, jql }, headers: who?.headers ?? {} });
const list = (who: AgentTestSession | undefined, site = 'acme') => t.app.inject({ method: 'GET', url: `/s/${site}/api/agent/filters`, headers: who?.headers ?? {} });
const search = async (who: AgentTestSession, jql: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/s/acme/api/agent/search?jql=${encodeURIComponent(jql)}`, headers: who.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().issues.map((i: { key: string }) => i.key) as string[];
};

/** Ada revokes Alice through the admin API, as the console does; the revoke is checked, not assumed. */
async function revokeAlice() {
  const r = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${aliceId}/revoke`, headers: ada.headers });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json()).toMatchObject({ changed: true, customer: { status: 'revoked' } });
  expect((await t.db.selectFrom('accounts').select('status').where('account_id', '=', aliceId).executeTakeFirstOrThrow()).status).toBe('revoked');
  expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', aliceId).execute()).toEqual([]);
}

describe('saved filters', () => {
  it('saves the JQL with user values as account ids and lists the owner’s filters by name', async () => {
    const a = await save(sam, 'Alice by email', 'reporter = "alice@customer.test"');
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ name: 'Alice by email', jql: `reporter = "${aliceId}"` });
    const b = await save(sam, '  Alice by account  ', `reporter = "${aliceId}" ORDER BY created DESC`);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ name: 'Alice by account', jql: `reporter = "${aliceId}" ORDER BY created DESC` });
    const c = await save(sam, 'Alice participates', 'participant = "ALICE@customer.test"');
    expect(c.statusCode).toBe(201);
    expect(c.json().jql).toBe(`participant = "${aliceId}"`);
    const res = await list(sam);
    expect(res.statusCode).toBe(200);
    expect(res.json().values.map((f: { name: string }) => f.name)).toEqual(['Alice by account', 'Alice by email', 'Alice participates']);
    // filters are personal
    expect((await list(ada)).json().values).toEqual([]);
  });

  it('refuses a malformed query, an empty name and a duplicate name, saving nothing', async () => {
    const bad = await save(sam, 'Broken', 'reporter = = x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errorMessages[0]).toMatch(/line 1, character/);
    expect(bad.json().errors).toHaveProperty('jql');
    expect((await save(sam, '   ', 'project = HELP')).statusCode).toBe(400);
    expect((await save(sam, 'x'.repeat(256), 'project = HELP')).statusCode).toBe(400);
    expect((await save(sam, 'Empty', '  ')).statusCode).toBe(400);
    const dup = await save(sam, 'Alice by email', 'project = HELP');
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors).toHaveProperty('name');
    expect((await t.app.inject({ method: 'POST', url, payload: { name: 'x', jql: 'project = HELP', owner: 'y' }, headers: sam.headers })).statusCode).toBe(400);
    expect((await list(sam)).json().values).toHaveLength(3);
  });

  it('keeps the rest of the query as written: other fields, currentUser(), unknown-free lists', async () => {
    const res = await save(
      ada,
      'Mixed',
      `project = HELP AND (participant in ("Alice Example", currentUser()) OR reporter != alice@customer.test) ORDER BY key asc`,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().jql).toBe(
      `project = HELP AND (participant IN ("${aliceId}", currentUser()) OR reporter != "${aliceId}") ORDER BY key ASC`,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/${res.json().id}`, headers: ada.headers })).statusCode).toBe(204);
  });

  it('an admin’s filters by display name and by email, saved before the revoke', async () => {
    const byName = await save(ada, 'Alice by name', 'reporter = "Alice Example"');
    expect(byName.statusCode, byName.body).toBe(201);
    expect(byName.json().jql).toBe(`reporter = "${aliceId}"`);
    const byEmail = await save(ada, 'Alice participates', 'participant = "alice@customer.test"');
    expect(byEmail.statusCode, byEmail.body).toBe(201);
    expect(byEmail.json().jql).toContain(aliceId);
    const filters = (await list(ada)).json().values as Array<{ name: string; jql: string }>;
    expect(filters.map((f) => f.jql)).toEqual([`reporter = "${aliceId}"`, `participant = "${aliceId}"`]);
    for (const f of filters) expect(await search(ada, f.jql)).toEqual(f.name === 'Alice by name' ? ['HELP-1'] : ['HELP-2']);
  });

  it('keeps working after the reporter’s access is revoked', async () => {
    const filters = (await list(sam)).json().values as Array<{ name: string; jql: string }>;
    const before = Object.fromEntries(await Promise.all(filters.map(async (f) => [f.name, await search(sam, f.jql)] as const)));
    expect(before).toEqual({ 'Alice by email': ['HELP-1'], 'Alice by account': ['HELP-1'], 'Alice participates': ['HELP-2'] });

    await revokeAlice();

    const after = (await list(sam)).json().values as Array<{ name: string; jql: string }>;
    expect(after.map((f) => f.jql)).toEqual(filters.map((f) => f.jql));
    for (const f of after) expect(await search(sam, f.jql)).toEqual(before[f.name]);
    // the rows now label her as deactivated
    const res = await t.app.inject({ method: 'GET', url: `/s/acme/api/agent/search?jql=${encodeURIComponent(after[1].jql)}`, headers: sam.headers });
    expect(res.json().issues[0].reporter.label).toBe('Alice Example (Deactivated)');
    // her display name no longer finds her; a new filter by full email still saves and works
    const byName = await t.app.inject({ method: 'GET', url: `/s/acme/api/agent/search?jql=${encodeURIComponent('reporter = "Alice Example"')}`, headers: sam.headers });
    expect(byName.statusCode === 400 || byName.json().issues.length === 0).toBe(true);
    expect((await save(sam, 'After revoke', 'reporter = " alice@CUSTOMER.test "')).statusCode).toBe(201);
    expect(await search(sam, 'reporter = " alice@CUSTOMER.test "')).toEqual(['HELP-1']);
    // the admin's filters saved by display name and email still find her requests
    const adas = (await list(ada)).json().values as Array<{ name: string; jql: string }>;
    expect(adas.map((f) => f.name)).toEqual(['Alice by name', 'Alice participates']);
    expect(await search(ada, adas[0].jql)).toEqual(['HELP-1']);
    expect(await search(ada, adas[1].jql)).toEqual(['HELP-2']);
    for (const f of adas) expect(f.jql).toContain(aliceId);
  });

  it('deletes only the owner’s filters', async () => {
    const mine = (await list(sam)).json().values as Array<{ id: string; name: string }>;
    const target = mine.find((f) => f.name === 'After revoke')!;
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/${target.id}`, headers: ada.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/s/globex/api/agent/filters/${target.id}`, headers: sid.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/not-a-number`, headers: sam.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/${target.id}`, headers: sam.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/${target.id}`, headers: sam.headers })).statusCode).toBe(404);
    expect((await list(sam)).json().values.map((f: { name: string }) => f.name)).not.toContain('After revoke');
  });

  it('is for staff of the site', async () => {
    expect((await list(sid)).statusCode).toBe(404);
    expect((await save(sid, 'x', 'project = HELP')).statusCode).toBe(404);
    expect((await list(alice)).statusCode).toBe(401); // revoked above: her session is gone
    const bob = await agentSession(t, 'bob@customer.test', 'acme');
    expect((await list(bob)).statusCode).toBe(403);
    expect((await save(bob, 'x', 'project = HELP')).statusCode).toBe(403);
    expect((await list(undefined)).statusCode).toBe(401);
    // Sid works on globex: his filters live there
    expect((await save(sid, 'Globex all', 'project = SUP', 'globex')).statusCode).toBe(201);
    expect((await list(sid, 'globex')).json().values.map((f: { name: string }) => f.name)).toEqual(['Globex all']);
    expect((await list(sam)).json().values.map((f: { name: string }) => f.name)).not.toContain('Globex all');
  });
});
