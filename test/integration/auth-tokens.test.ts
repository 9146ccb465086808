import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginCustomer, loginStaff, as, type TestApp, type Session } from '../support/app.js';

let t: TestApp;
let ada: Session;
let sam: Session;
beforeAll(async () => {
  t = await createTestApp();
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

async function createToken(s: Session, label?: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: { ...as(s), ...json }, payload: JSON.stringify(label === undefined ? {} : { label }) });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; label: string; token: string };
}
const myself = (authorization: string, site = 'acme') => t.app.inject({ method: 'GET', url: `/s/${site}/rest/api/3/myself`, headers: { authorization } });

describe('API tokens', () => {
  it('creates a token shown once, lists it without the secret, and authenticates REST with Basic and Bearer', async () => {
    const created = await createToken(ada, 'CI script');
    expect(created.label).toBe('CI script');
    expect(created.token.length).toBeGreaterThanOrEqual(40);
    const row = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(created.token);

    const list = await t.app.inject({ method: 'GET', url: '/api/profile/tokens', headers: { cookie: ada.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.token);
    expect(list.json().values).toEqual([{ id: created.id, label: 'CI script', createdAt: expect.any(String), lastUsedAt: null }]);

    const viaBasic = await myself(basic('admin@acme.test', created.token));
    expect(viaBasic.statusCode).toBe(200);
    expect(viaBasic.json()).toMatchObject({ accountId: ada.accountId, accountType: 'atlassian', emailAddress: 'admin@acme.test', active: true });
    const viaBasicCaseInsensitive = await myself(basic('ADMIN@acme.test', created.token));
    expect(viaBasicCaseInsensitive.statusCode).toBe(200);
    const viaBearer = await myself(`Bearer ${created.token}`, 'globex');
    expect(viaBearer.statusCode).toBe(200);
    expect(viaBearer.json().self).toBe(`http://localhost:80/s/globex/rest/api/3/user?accountId=${ada.accountId}`);

    // last use is recorded by the look-up itself, before the answer
    const used = await t.app.inject({ method: 'GET', url: '/api/profile/tokens', headers: { cookie: ada.cookie } });
    expect(used.json().values[0].lastUsedAt).not.toBeNull();

    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'api_token.created').execute();
    expect(audit).toEqual([expect.objectContaining({ actor_id: ada.accountId, target_id: ada.accountId })]);
  });

  it('records a token\'s last use in the look-up itself, at most once a minute', async () => {
    const { id, token } = await createToken(ada, 'touch');
    const lastUsed = async () => (await t.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsed()).toBeNull();
    expect((await myself(`Bearer ${token}`)).statusCode).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull(); // written before the answer, not after it
    expect((await myself(`Bearer ${token}`)).statusCode).toBe(200);
    expect(await lastUsed()).toEqual(first); // used again within the minute: not rewritten
    await t.db.updateTable('api_tokens').set({ last_used_at: new Date(Date.now() - 5 * 60_000) }).where('id', '=', id).execute();
    expect((await myself(`Bearer ${token}`)).statusCode).toBe(200);
    expect(new Date((await lastUsed())!).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a right token with another email, a wrong token, and a malformed header', async () => {
    const { token } = await createToken(ada);
    for (const authorization of [
      basic('agent@acme.test', token),
      basic('admin@acme.test', token + 'x'),
      `Bearer ${token.slice(0, -1)}`,
      'Basic !!!not-base64',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Digest abc',
    ]) {
      const res = await myself(authorization);
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().errorMessages).toHaveLength(1);
    }
  });

  it('revokes only your own tokens; a revoked token is refused', async () => {
    const { id, token } = await createToken(ada, 'to revoke');
    const bySam = await t.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${id}`, headers: as(sam) });
    expect(bySam.statusCode).toBe(404);
    expect((await myself(`Bearer ${token}`)).statusCode).toBe(200);

    const byAda = await t.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${id}`, headers: as(ada) });
    expect(byAda.statusCode).toBe(204);
    expect((await myself(`Bearer ${token}`)).statusCode).toBe(401);
    const twice = await t.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${id}`, headers: as(ada) });
    expect(twice.statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/profile/tokens', headers: { cookie: ada.cookie } });
    expect(list.json().values.map((v: { id: string }) => v.id)).not.toContain(id);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'api_token.revoked').execute();
    expect(audit).toEqual([expect.objectContaining({ actor_id: ada.accountId })]);

    expect((await t.app.inject({ method: 'DELETE', url: '/api/profile/tokens/not-a-uuid', headers: as(ada) })).statusCode).toBe(404);
  });

  it('a token of an account that lost its access stops working', async () => {
    const { token } = await createToken(sam);
    await t.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', sam.accountId).execute();
    try {
      expect((await myself(`Bearer ${token}`)).statusCode).toBe(401);
    } finally {
      await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', sam.accountId).execute();
    }
  });

  it('customers and anonymous callers have no tokens', async () => {
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    // the customer cookie is scoped to /s/acme: on /api it is no session at all
    const res = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: { ...as(alice), ...json }, payload: '{}' });
    expect(res.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/profile/tokens' })).statusCode).toBe(401);
  });

  it('the internal CLI route does not exist without a server secret', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/internal/cli/tokens', headers: { ...json, 'x-portico-cli-secret': '' }, payload: JSON.stringify({ email: 'admin@acme.test' }),
    });
    expect(res.statusCode).toBe(404);
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(doc.json().paths)).not.toContain('/api/internal/cli/tokens');
    expect(Object.keys(doc.json().paths)).toContain('/api/auth/login');
  });
});

describe('outbox', () => {
  it('org admins read their organization\'s mail; everyone else gets 404', async () => {
    await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', headers: json, payload: JSON.stringify({ email: 'bob@customer.test' }) });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/password-reset', headers: json, payload: JSON.stringify({ email: 'erin@customer.test' }) });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    const acmeOrg = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
    const globexOrg = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'globex').executeTakeFirstOrThrow()).org_id;

    const res = await t.app.inject({ method: 'GET', url: `/api/orgs/${acmeOrg}/outbox`, headers: { cookie: ada.cookie } });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.values).toHaveLength(1);
    expect(page.values[0]).toMatchObject({ to: 'bob@customer.test', site: { slug: 'acme' } });
    expect(page.values[0].body).toContain('/s/acme/servicedesk/customer/user/reset-password?token=');
    expect(page.isLastPage).toBe(true);

    const greta = await loginStaff(t.app, 'admin@globex.test');
    const theirs = await t.app.inject({ method: 'GET', url: `/api/orgs/${globexOrg}/outbox?limit=1&start=0`, headers: { cookie: greta.cookie } });
    expect(theirs.json().values.map((v: { to: string }) => v.to)).toEqual(['erin@customer.test']);

    for (const [who, url] of [
      [greta, `/api/orgs/${acmeOrg}/outbox`],
      [sam, `/api/orgs/${acmeOrg}/outbox`],
      [await loginStaff(t.app, 'siteadmin@globex.test'), `/api/orgs/${globexOrg}/outbox`],
      [ada, '/api/orgs/not-an-org/outbox'],
      [ada, '/api/orgs/00000000-0000-0000-0000-000000000000/outbox'],
    ] as const) {
      const r = await t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
      expect(r.statusCode, url).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/orgs/${acmeOrg}/outbox` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/orgs/${acmeOrg}/outbox?limit=0`, headers: { cookie: ada.cookie } })).statusCode).toBe(400);
  });
});

