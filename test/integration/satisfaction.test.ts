import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';
import { customerAuth, staffAuth } from './rest-helpers.js';

// Satisfaction (docs/product.md#satisfaction): the reporter of a resolved request rates it 1 to 5
// with an optional comment, in the help center and over Atlassian's CSAT feedback API; agents of
// the project see it on the request and in the project's summary.

let t: TestApp;
let sam: AgentTestSession; // agent on HELP
let alice: AgentTestSession; // customer of acme, reporter of the requests raised here
let bob: AgentTestSession; // customer of acme, a participant
let greta: AgentTestSession; // org admin of Globex only
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  sam = await agentSession(t, 'agent@acme.test');
  alice = await agentSession(t, 'alice@customer.test', 'acme');
  bob = await agentSession(t, 'bob@customer.test', 'acme');
  greta = await agentSession(t, 'admin@globex.test');
  for (const name of ['alice', 'bob']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
});
afterAll(() => t?.close());

const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload: unknown, headers: Record<string, string>) =>
  t.app.inject({ method, url, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
const rate = (who: AgentTestSession, key: string, body: unknown) => send('PUT', `/s/acme/api/portal/requests/${key}/rating`, body, who.headers);
const ratings = async () => Number((await t.db.selectFrom('request_ratings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

async function raise(summary: string): Promise<string> {
  const help = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('project_id', '=', help.id).executeTakeFirstOrThrow();
  const res = await send('POST', '/s/acme/api/portal/requests', { projectId: String(help.id), requestTypeId: String(type.id), fields: { summary }, participants: [ids.bob] }, alice.headers);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().key;
}
const resolve = async (key: string) => {
  for (const status of ['In progress', 'Resolved']) {
    const res = await send('POST', `/s/acme/api/agent/requests/${key}/transitions`, { status }, sam.headers);
    expect(res.statusCode, res.body).toBe(200);
  }
};

describe('the reporter rates a resolved request', () => {
  it('not before it is resolved; then 1 to 5 with a comment, changed in place; agents see it', async () => {
    const key = await raise('Printer jams on every page');
    expect((await get(`/s/acme/api/portal/requests/${key}/rating`, alice.headers)).json()).toEqual({ rating: null, canRate: false });
    const early = await rate(alice, key, { rating: 5 });
    expect(early.statusCode).toBe(400);
    expect(early.json().errorMessage).toBe(`${key} is Open: it can be rated once it is resolved.`);
    const before = await ratings();

    await resolve(key);
    expect((await get(`/s/acme/api/portal/requests/${key}/rating`, alice.headers)).json()).toEqual({ rating: null, canRate: true });
    const first = await rate(alice, key, { rating: 4, comment: '  Quick, thanks.  ' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rating: 4, comment: 'Quick, thanks.', ratedBy: { accountId: ids.alice, label: 'Alice Example' } });
    const changed = await rate(alice, key, { rating: 5, comment: '' });
    expect(changed.json()).toMatchObject({ rating: 5, comment: null });
    expect(await ratings()).toBe(before + 1);

    const seen = (await get(`/s/acme/api/agent/requests/${key}/rating`, sam.headers)).json();
    expect(seen.rating).toMatchObject({ rating: 5, comment: null, ratedBy: { label: 'Alice Example', email: 'alice@customer.test' } });
  });

  it('a participant sees the rating but may not rate (403); staff of another organization find nothing (404); nothing changes', async () => {
    const key = await raise('Scanner is offline');
    await resolve(key);
    const before = await ratings();
    const byBob = await rate(bob, key, { rating: 1 });
    expect(byBob.statusCode).toBe(403);
    expect(byBob.json().errorMessage).toBe('Only the person who raised this request can rate it.');
    expect((await get(`/s/acme/api/portal/requests/${key}/rating`, bob.headers)).json()).toEqual({ rating: null, canRate: false });
    expect((await get(`/s/acme/api/agent/requests/${key}/rating`, greta.headers)).statusCode).toBe(404);
    expect((await get('/s/acme/api/agent/projects/HELP/satisfaction', greta.headers)).statusCode).toBe(404);
    expect(await ratings()).toBe(before);
  });

  it('refuses a rating outside 1 to 5 and an over-long comment in words, writing nothing', async () => {
    const key = await raise('Mouse double-clicks');
    await resolve(key);
    const before = await ratings();
    for (const bad of [{ rating: 0 }, { rating: 6 }, { rating: 3.5 }, { rating: '4' }, {}]) {
      const res = await rate(alice, key, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().errorMessage).toMatch(/^A rating (is required|must be|can be)/);
    }
    const long = await rate(alice, key, { rating: 3, comment: 'x'.repeat(2001) });
    expect(long.json().errorMessage).toBe('A comment on a rating can be at most 2,000 characters.');
    expect(await ratings()).toBe(before);
  });

  it("a reopened request keeps its rating but can't be rated again until it is resolved", async () => {
    const key = await raise('Headset crackles');
    await resolve(key);
    expect((await rate(alice, key, { rating: 2 })).statusCode).toBe(200);
    expect((await send('POST', `/s/acme/api/portal/requests/${key}/transitions`, { status: 'Waiting for support' }, alice.headers)).statusCode).toBe(200);
    const view = (await get(`/s/acme/api/portal/requests/${key}/rating`, alice.headers)).json();
    expect(view).toMatchObject({ rating: { rating: 2 }, canRate: false });
    expect((await rate(alice, key, { rating: 5 })).statusCode).toBe(400);
  });
});

describe("a project's satisfaction", () => {
  it('counts each score, averages them, and lists the latest with their requests', async () => {
    const summary = (await get('/s/acme/api/agent/projects/HELP/satisfaction', sam.headers)).json();
    const rows = await t.db
      .selectFrom('request_ratings as rr')
      .innerJoin('projects as p', 'p.id', 'rr.project_id')
      .select('rr.rating')
      .where('p.key', '=', 'HELP')
      .execute();
    expect(summary.total).toBe(rows.length);
    expect(summary.total).toBeGreaterThanOrEqual(2);
    const mean = rows.reduce((s, r) => s + r.rating, 0) / rows.length;
    expect(summary.average).toBeCloseTo(mean, 2);
    for (const score of [1, 2, 3, 4, 5]) expect(summary.counts[String(score)]).toBe(rows.filter((r) => r.rating === score).length);
    expect(summary.latest[0]).toMatchObject({ key: expect.stringMatching(/^HELP-\d+$/), summary: 'Headset crackles', rating: 2 });
  });
});

describe("Atlassian's CSAT feedback API", () => {
  it('POST, GET and DELETE …/request/{key}/feedback in the CSATFeedbackFullDTO shape; only the reporter gives it', async () => {
    const key = await raise('Docking station resets');
    await resolve(key);
    const aliceRest = await customerAuth(t, 'acme', 'alice@customer.test');
    const samRest = await staffAuth(t, 'agent@acme.test');
    const url = `/s/acme/rest/servicedeskapi/request/${key}/feedback`;
    expect((await get(url, aliceRest)).statusCode).toBe(404);
    const given = await send('POST', url, { type: 'csat', rating: 4, comment: { body: 'Fixed in a day.' } }, aliceRest);
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toEqual({ type: 'csat', rating: 4, comment: { body: 'Fixed in a day.' } });
    expect((await get(url, samRest)).json()).toEqual({ type: 'csat', rating: 4, comment: { body: 'Fixed in a day.' } });
    const bySam = await send('POST', url, { rating: 1 }, samRest);
    expect(bySam.statusCode).toBe(403);
    expect(bySam.json()).toMatchObject({ errorMessages: ['Only the person who raised this request can rate it.'] });
    expect((await send('DELETE', url, undefined, aliceRest)).statusCode).toBe(204);
    expect((await get(url, aliceRest)).statusCode).toBe(404);
    expect((await send('DELETE', url, undefined, aliceRest)).statusCode).toBe(404);
  });
});
