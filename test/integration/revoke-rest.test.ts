import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, loginStaff, loginCustomer, as, accountIdOf, type TestApp, type Session } from '../support/app.js';

// PUT /s/{site}/rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access and
// …/grant-portal-only-access (docs/product.md#rest-revoke-grant), as jira.js and scripts call them.

let t: TestApp;
let ada: Session;
let sam: Session;
let adaToken: string;
let sidToken: string;
let alice: string;
let globexAlice: string;
let erin: string;

const revokeUrl = (site: string, id: string) => `/s/${site}/rest/servicedeskapi/customer/user/${encodeURIComponent(id)}/revoke-portal-only-access`;
const grantUrl = (site: string, id: string) => `/s/${site}/rest/servicedeskapi/customer/user/${encodeURIComponent(id)}/grant-portal-only-access`;
const basic = (email: string, token: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` });
// jira.js sends Content-Type: application/json on every PUT, even without a body
const jsonNoBody = { 'content-type': 'application/json', accept: 'application/json' };

async function createToken(session: Session): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: as(session), payload: { label: 'rest test' } });
  expect(r.statusCode).toBe(201);
  return r.json().token;
}
const statusOf = async (id: string) => (await t.db.selectFrom('accounts').select('status').where('account_id', '=', id).executeTakeFirstOrThrow()).status;
const events = async () => Number((await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestApp();
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  adaToken = await createToken(ada);
  sidToken = await createToken(await loginStaff(t.app, 'siteadmin@globex.test'));
  alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  globexAlice = await accountIdOf(t.db, 'alice@customer.test', 'globex');
  erin = await accountIdOf(t.db, 'erin@customer.test', 'globex');
});
afterAll(() => t?.close());

describe('REST revoke / grant portal-only access', () => {
  // every test starts from Alice active, whatever the one before left (a grant of an active customer changes nothing)
  beforeEach(async () => {
    const r = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${alice}/grant`, headers: as(ada) });
    expect(r.statusCode, r.body).toBe(200);
    expect(await statusOf(alice)).toBe('active');
  });

  it('revokes with Basic email:token: 204, empty body; repeating is 204 with no second audit event', async () => {
    const before = await events();
    const r = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...basic('admin@acme.test', adaToken) } });
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    expect(await statusOf(alice)).toBe('revoked');
    const again = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...basic('admin@acme.test', adaToken) } });
    expect(again.statusCode).toBe(204);
    expect(await events()).toBe(before + 1);
    const event = await t.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'customer.access.revoked', target_id: alice, actor_id: ada.accountId });
    expect(event.ip).toBeTruthy();
  });

  it('grants with a Bearer token, also with an explicit empty JSON object body', async () => {
    const revoke = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, authorization: `Bearer ${adaToken}` } });
    expect(revoke.statusCode).toBe(204);
    expect(await statusOf(alice)).toBe('revoked');
    const before = await events();
    const r = await t.app.inject({ method: 'PUT', url: grantUrl('acme', alice), headers: { ...jsonNoBody, authorization: `Bearer ${adaToken}` }, payload: '{}' });
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    expect(await statusOf(alice)).toBe('active');
    expect(await events()).toBe(before + 1);
    const event = await t.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'customer.access.granted', target_id: alice, actor_id: ada.accountId });
  });

  it('works with a staff cookie and the CSRF header, and refuses the cookie without it', async () => {
    const noCsrf = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, cookie: ada.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await statusOf(alice)).toBe('active');
    const ok = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...as(ada) } });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'PUT', url: grantUrl('acme', alice), headers: { ...jsonNoBody, ...as(ada) } })).statusCode).toBe(204);
  });

  it('400 for a malformed account id, with the Atlassian error shape', async () => {
    for (const id of ['alice', 'qm:', 'qm:not-a-uuid', '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', `qm:${'a'.repeat(200)}`]) {
      const r = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', id), headers: { ...jsonNoBody, ...basic('admin@acme.test', adaToken) } });
      expect(r.statusCode, id).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json()).toMatchObject({ errorMessages: [expect.stringMatching(/not a valid portal-only account id/)], status: 400 });
    }
  });

  it('404 for an unknown account, a customer of another site, and an unknown site', async () => {
    const auth = { ...jsonNoBody, ...basic('admin@acme.test', adaToken) };
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('acme', 'qm:5a0c2b1e-8f1e-4c1a-9d7e-000000000001'), headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('acme', globexAlice), headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('globex', globexAlice), headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('nowhere', alice), headers: auth })).statusCode).toBe(404);
    expect(await statusOf(globexAlice)).toBe('active');
  });

  it('Sid (site admin of globex) manages globex customers; globex-eu and acme are 404 to him', async () => {
    const auth = { ...jsonNoBody, ...basic('siteadmin@globex.test', sidToken) };
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('globex', erin), headers: auth })).statusCode).toBe(204);
    expect(await statusOf(erin)).toBe('revoked');
    expect((await t.app.inject({ method: 'PUT', url: grantUrl('globex', erin), headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('globex-eu', alice), headers: auth })).statusCode).toBe(404);
    expect(await statusOf(alice)).toBe('active');
  });

  it('403 for an agent and for a customer of the site; 401 anonymous or with a bad token', async () => {
    const agent = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...as(sam) } });
    expect(agent.statusCode).toBe(403);
    const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const customer = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...as(bob) } });
    expect(customer.statusCode).toBe(403);
    // a customer trying to grant themselves back is refused the same way
    expect((await t.app.inject({ method: 'PUT', url: grantUrl('acme', bob.accountId), headers: { ...jsonNoBody, ...as(bob) } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: jsonNoBody })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...basic('admin@acme.test', 'wrong') } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...basic('agent@acme.test', adaToken) } })).statusCode).toBe(401);
    expect(await statusOf(alice)).toBe('active');
  });

  it('rejects a malformed JSON body with 400 and changes nothing', async () => {
    const r = await t.app.inject({ method: 'PUT', url: revokeUrl('acme', alice), headers: { ...jsonNoBody, ...basic('admin@acme.test', adaToken) }, payload: '{nope' });
    expect(r.statusCode).toBe(400);
    expect(await statusOf(alice)).toBe('active');
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/s/{site}/rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access'].put).toBeTruthy();
    expect(doc.paths['/s/{site}/rest/servicedeskapi/customer/user/{accountId}/grant-portal-only-access'].put).toBeTruthy();
  });
});
