import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createTestApp, loginCustomer, loginStaff, as, accountIdOf, type TestApp } from '../support/app.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { hashSecret } from '../../src/domain/secrets.js';
import * as argon2 from '@node-rs/argon2';
import * as passwords from '../../src/domain/passwords.js';
import { factories } from '../support/factories.js';

// Count argon2's own verifications (and with which hash) instead of timing logins: deterministic,
// and a code path that skipped our wrapper would still be counted.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...original, verify: vi.fn(original.verify) };
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };

function staffLogin(email: string, password: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { ...json, ...headers }, payload: JSON.stringify({ email, password }) });
}
function customerLogin(site: string, email: string, password: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/login`, headers: { ...json, ...headers }, payload: JSON.stringify({ email, password }) });
}

/** Everything a client can observe of a response, except the Date header. */
function observable(res: LightMyRequestResponse) {
  const headers = { ...res.headers };
  delete headers.date;
  return { status: res.statusCode, body: res.body, headers };
}

function setCookieHeader(res: LightMyRequestResponse): string {
  const h = res.headers['set-cookie'];
  return Array.isArray(h) ? h.join('\n') : String(h ?? '');
}

describe('staff login', () => {
  const staff = [
    ['admin@acme.test', 'Ada Admin'],
    ['agent@acme.test', 'Sam Agent'],
    ['admin@globex.test', 'Greta Orgadmin'],
    ['siteadmin@globex.test', 'Sid Siteadmin'],
  ] as const;

  it.each(staff)('S1: %s logs in and gets an HttpOnly, SameSite=Lax session cookie for the whole app (Path=/, no Domain)', async (email, name) => {
    const res = await staffLogin(email, DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ displayName: name, email, accountId: await accountIdOf(t.db, email, null) });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = setCookieHeader(res);
    expect(cookie).toMatch(/^portico_sid=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/;');
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).not.toContain('Secure');
  });

  it('S2: stores only the hash of the session id, and records the login as activity', async () => {
    const before = new Date(Date.now() - 1000);
    const res = await staffLogin('agent@acme.test', DEMO_PASSWORD);
    const sid = res.cookies.find((c) => c.name === 'portico_sid')!.value;
    expect(await t.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', sid).executeTakeFirst()).toBeUndefined();
    const row = await t.db.selectFrom('sessions').selectAll().where('id_hash', '=', hashSecret(sid)).executeTakeFirstOrThrow();
    expect(row.site_id).toBeNull();
    expect(new Date(row.absolute_expires_at).getTime()).toBeGreaterThan(new Date(row.idle_expires_at).getTime());
    const account = await t.db.selectFrom('accounts').select('last_active_at').where('email_lower', '=', 'agent@acme.test').executeTakeFirstOrThrow();
    expect(new Date(account.last_active_at!).getTime()).toBeGreaterThanOrEqual(before.getTime());
  });

  it('describes the session: organizations and sites administered, projects worked', async () => {
    const session = async (email: string) => {
      const s = await loginStaff(t.app, email);
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json().csrfToken).toBe(s.csrfToken);
      return res.json();
    };
    const ada = await session('admin@acme.test');
    expect(ada.account).toMatchObject({ displayName: 'Ada Admin', email: 'admin@acme.test' });
    expect(ada.organizations).toHaveLength(1);
    expect(ada.organizations[0]).toMatchObject({ name: 'Acme Corp', userManagement: 'centralized', isOrgAdmin: true });
    expect(ada.organizations[0].sites.map((s: { slug: string }) => s.slug)).toEqual(['acme']);
    expect(ada.organizations[0].sites[0].url).toBe('http://localhost:80/s/acme');

    const greta = await session('admin@globex.test');
    expect(greta.organizations.map((o: { name: string }) => o.name)).toEqual(['Globex']);
    expect(greta.organizations[0].sites.map((s: { slug: string }) => s.slug).sort()).toEqual(['globex', 'globex-eu']);

    const sid = await session('siteadmin@globex.test');
    expect(sid.organizations).toHaveLength(1);
    expect(sid.organizations[0]).toMatchObject({ name: 'Globex', isOrgAdmin: false });
    expect(sid.organizations[0].sites.map((s: { slug: string }) => s.slug)).toEqual(['globex']);

    const sam = await session('agent@acme.test');
    expect(sam.organizations).toEqual([]);
    expect(sam.agentProjects).toEqual([
      expect.objectContaining({ siteSlug: 'acme', siteName: 'Acme Support', projectKey: 'HELP', projectName: 'IT Help' }),
    ]);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(res.statusCode).toBe(401);
    expect(res.json().errorMessages).toEqual(['You are not logged in.']);
  });
});

describe('customer login', () => {
  it('S1: Alice logs in at acme, with an HttpOnly, SameSite=Lax cookie without Domain, on the narrower Path=/s/acme', async () => {
    const res = await customerLogin('acme', 'alice@customer.test', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: 'Alice Example', accountId: await accountIdOf(t.db, 'alice@customer.test', 'acme') });
    const cookie = setCookieHeader(res);
    expect(cookie).toMatch(/^portico_csid=/);
    expect(cookie).toContain('Path=/s/acme;');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toMatch(/Domain=/i);

    const sid = res.cookies[0].value;
    const info = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: `portico_csid=${sid}` } });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({
      account: { accountId: res.json().accountId, displayName: 'Alice Example', email: 'alice@customer.test' },
      csrfToken: res.json().csrfToken,
      site: { slug: 'acme', name: 'Acme Support' },
    });
  });

  it('a customer cookie of acme is anonymous on globex', async () => {
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const there = await t.app.inject({ method: 'GET', url: '/s/globex/api/portal/session', headers: { cookie: alice.cookie } });
    expect(there.statusCode).toBe(401);
    const myself = await t.app.inject({ method: 'GET', url: '/s/globex/rest/api/3/myself', headers: { cookie: alice.cookie } });
    expect(myself.statusCode).toBe(401);
    const home = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { cookie: alice.cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.json()).toMatchObject({ accountType: 'customer', displayName: 'Alice Example', active: true });
    // nor is it a staff session
    const staff = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: alice.cookie } });
    expect(staff.statusCode).toBe(401);
  });

  it('Alice of globex is a different account with her own session', async () => {
    const res = await customerLogin('globex', 'alice@customer.test', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().accountId).toBe(await accountIdOf(t.db, 'alice@customer.test', 'globex'));
    expect(res.json().accountId).not.toBe(await accountIdOf(t.db, 'alice@customer.test', 'acme'));
  });

  it('an unknown site is 404', async () => {
    const res = await customerLogin('nowhere', 'alice@customer.test', DEMO_PASSWORD);
    expect(res.statusCode).toBe(404);
  });
});

describe('every refused login looks the same', () => {
  it('R4: wrong password, unknown email and a revoked customer get byte-identical 401 responses', async () => {
    const wrong = await customerLogin('acme', 'alice@customer.test', 'not-the-password', { 'x-forwarded-for': '1' });
    const dave = await customerLogin('acme', 'dave@customer.test', DEMO_PASSWORD);
    const unknown = await customerLogin('acme', 'nobody@customer.test', DEMO_PASSWORD);
    const erinElsewhere = await customerLogin('acme', 'erin@customer.test', DEMO_PASSWORD); // a customer of globex
    const staffHere = await customerLogin('acme', 'admin@acme.test', DEMO_PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ code: 'unauthenticated', errorMessages: ['Incorrect email or password.'], errors: {}, status: 401, errorMessage: 'Incorrect email or password.' });
    for (const other of [dave, unknown, erinElsewhere, staffHere]) expect(observable(other)).toEqual(observable(wrong));
  });

  it('the staff login refuses customers exactly like a wrong password', async () => {
    const wrong = await staffLogin('admin@acme.test', 'not-the-password');
    const customer = await staffLogin('alice@customer.test', DEMO_PASSWORD);
    const unknown = await staffLogin('nobody@acme.test', DEMO_PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(observable(customer)).toEqual(observable(wrong));
    expect(observable(unknown)).toEqual(observable(wrong));
  });

  it('a deleted customer is refused the same way', async () => {
    const carolId = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    const wrong = await customerLogin('acme', 'carol@customer.test', 'not-the-password');
    await t.db.updateTable('accounts').set({ status: 'deleted' }).where('account_id', '=', carolId).execute();
    try {
      const deleted = await customerLogin('acme', 'carol@customer.test', DEMO_PASSWORD);
      expect(observable(deleted)).toEqual(observable(wrong));
    } finally {
      await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', carolId).execute();
    }
  });

  it('spends the same argon2 work whether or not the account exists: one argon2 verify for every kind of refusal', async () => {
    // An unknown, revoked, deleted, other-site or staff email is verified against the decoy hash.
    const verify = vi.mocked(argon2.verify);
    const decoy = await passwords.decoyPasswordHash();
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const acme = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const zed = await factories(t.db).customer({ siteId: acme.id, email: 'zed@customer.test', displayName: 'Zed Deleted', password: DEMO_PASSWORD });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${zed}`, headers: as(ada) })).statusCode).toBe(204);
    let address = 10;
    const callsFor = async (email: string, password = DEMO_PASSWORD) => {
      verify.mockClear();
      const res = await t.app.inject({
        method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email, password }), remoteAddress: `198.51.100.${address++}`,
      });
      return { status: res.statusCode, verified: verify.mock.calls.map(([hash]) => (hash === decoy ? 'decoy' : 'account')) };
    };
    // the control: an active customer's own hash, once, refused for a wrong password and accepted for the right one
    expect(await callsFor('bob@customer.test', 'not-the-password')).toEqual({ status: 401, verified: ['account'] });
    expect(await callsFor('bob@customer.test')).toEqual({ status: 200, verified: ['account'] });
    for (const [what, email] of [
      ['unknown', 'ghost@customer.test'],
      ['revoked (demo)', 'dave@customer.test'],
      ['deleted', 'zed@customer.test'],
      ['a customer of another site', 'erin@customer.test'],
      ['staff at a help center', 'admin@acme.test'],
    ]) {
      expect(await callsFor(email), what).toEqual({ status: 401, verified: ['decoy'] });
    }
  });
});

describe('sessions', () => {
  it('an idle-expired session is refused', async () => {
    const s = await loginStaff(t.app, 'agent@acme.test');
    const ok = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } });
    expect(ok.statusCode).toBe(200);
    const idHash = hashSecret(s.cookie.split('=')[1]);
    await t.db.updateTable('sessions').set({ idle_expires_at: sql<Date>`now() - interval '1 second'` }).where('id_hash', '=', idHash).execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(401);
  });

  it('an absolutely-expired session is refused even while active', async () => {
    const s = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const idHash = hashSecret(s.cookie.split('=')[1]);
    await t.db.updateTable('sessions').set({ absolute_expires_at: sql<Date>`now() - interval '1 second'` }).where('id_hash', '=', idHash).execute();
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(401);
  });

  it('S4: staff logout deletes the session and clears the cookie; the old cookie is refused', async () => {
    const s = await loginStaff(t.app, 'admin@globex.test');
    const idHash = hashSecret(s.cookie.split('=')[1]);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: as(s) });
    expect(res.statusCode).toBe(204);
    expect(setCookieHeader(res)).toMatch(/portico_sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(await t.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', idHash).executeTakeFirst()).toBeUndefined();
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('S4: customer logout deletes the session; the old cookie is refused', async () => {
    const s = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const res = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/logout', headers: as(s) });
    expect(res.statusCode).toBe(204);
    expect(setCookieHeader(res)).toContain('Path=/s/acme');
    const after = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
    // replayed anywhere, for reading or writing
    const rest = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/request/HELP-2', headers: { cookie: s.cookie } });
    expect(rest.statusCode).toBe(401);
    const write = await t.app.inject({
      method: 'POST', url: '/s/acme/rest/servicedeskapi/request/HELP-2/comment', headers: { ...as(s), 'content-type': 'application/json' }, payload: JSON.stringify({ body: 'after logout', public: true }),
    });
    expect(write.statusCode).toBe(401);
    expect(await t.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashSecret(s.cookie.split('=')[1])).executeTakeFirst()).toBeUndefined();
  });

  it('logging out with a live session needs its CSRF token', async () => {
    const s = await loginStaff(t.app, 'admin@globex.test');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    const still = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } });
    expect(still.statusCode).toBe(200);
  });

  it('S3: a new login replaces the session the browser carried', async () => {
    const first = await loginStaff(t.app, 'siteadmin@globex.test');
    const res = await staffLogin('siteadmin@globex.test', DEMO_PASSWORD, { cookie: first.cookie });
    expect(res.statusCode).toBe(200);
    const old = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: first.cookie } });
    expect(old.statusCode).toBe(401);
  });

  it('R3: a revoked customer\'s open session stops working at once', async () => {
    const s = await loginCustomer(t.app, 'acme', 'carol@customer.test');
    const carolId = s.accountId;
    await t.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', carolId).execute();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: s.cookie } });
      expect(res.statusCode).toBe(401);
    } finally {
      await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', carolId).execute();
    }
  });
});

describe('CSRF', () => {
  it('a cookie-authenticated write needs the session\'s CSRF token', async () => {
    const s = await loginStaff(t.app, 'admin@acme.test');
    const without = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: { cookie: s.cookie, ...json }, payload: '{"label":"x"}' });
    expect(without.statusCode).toBe(403);
    const wrong = await t.app.inject({
      method: 'POST', url: '/api/profile/tokens', headers: { cookie: s.cookie, 'x-csrf-token': 'A'.repeat(43), ...json }, payload: '{"label":"x"}',
    });
    expect(wrong.statusCode).toBe(403);
    const other = await loginStaff(t.app, 'admin@acme.test');
    const anotherSessionsToken = await t.app.inject({
      method: 'POST', url: '/api/profile/tokens', headers: { cookie: s.cookie, 'x-csrf-token': other.csrfToken, ...json }, payload: '{"label":"x"}',
    });
    expect(anotherSessionsToken.statusCode).toBe(403);
    expect(await t.db.selectFrom('api_tokens').select('id').where('account_id', '=', s.accountId).execute()).toHaveLength(0);
    const ok = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: { ...as(s), ...json }, payload: '{"label":"x"}' });
    expect(ok.statusCode).toBe(201);
  });

  it('login refuses anything but JSON, and cross-origin pages', async () => {
    const form = await t.app.inject({
      method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=admin%40acme.test&password=${DEMO_PASSWORD}`,
    });
    expect(form.statusCode).toBe(415);
    const plain = await t.app.inject({
      method: 'POST', url: '/s/acme/api/portal/login', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ email: 'alice@customer.test', password: DEMO_PASSWORD }),
    });
    expect(plain.statusCode).toBe(415);
    expect(plain.headers['set-cookie']).toBeUndefined();

    const evil = await staffLogin('admin@acme.test', DEMO_PASSWORD, { origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['set-cookie']).toBeUndefined();
    const nullOrigin = await customerLogin('acme', 'alice@customer.test', DEMO_PASSWORD, { origin: 'null' });
    expect(nullOrigin.statusCode).toBe(403);
    const same = await staffLogin('admin@acme.test', DEMO_PASSWORD, { origin: 'http://localhost:80' });
    expect(same.statusCode).toBe(200);
  });
});

describe('GET /rest/api/3/myself', () => {
  it('answers 401 in Atlassian shape without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().errorMessages).toHaveLength(1);
  });

  it('describes a staff member with absolute URLs, and expands groups and application roles', async () => {
    const s = await loginStaff(t.app, 'agent@acme.test');
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself?expand=groups&expand=applicationRoles', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me).toMatchObject({
      accountId: s.accountId,
      accountType: 'atlassian',
      active: true,
      displayName: 'Sam Agent',
      emailAddress: 'agent@acme.test',
      timeZone: 'UTC',
      locale: 'en_US',
      self: `http://localhost:80/s/acme/rest/api/3/user?accountId=${s.accountId}`,
    });
    for (const size of ['16x16', '24x24', '32x32', '48x48']) expect(() => new URL(me.avatarUrls[size])).not.toThrow();
    expect(me.groups.items.map((g: { name: string }) => g.name)).toEqual(['agents-acme-help']);
    expect(me.applicationRoles.size).toBe(1);
    const avatar = await t.app.inject({ method: 'GET', url: new URL(me.avatarUrls['48x48']).pathname + new URL(me.avatarUrls['48x48']).search });
    expect(avatar.statusCode).toBe(200);
    expect(avatar.headers['content-type']).toContain('image/svg+xml');

    const plain = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { cookie: s.cookie } });
    expect(plain.json().groups).toBeUndefined();
    const comma = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself?expand=groups,applicationRoles', headers: { cookie: s.cookie } });
    expect(comma.json().groups.size).toBe(1);
  });

  it('an org admin is in org-admins on the org\'s sites only', async () => {
    const s = await loginStaff(t.app, 'admin@acme.test');
    const acme = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself?expand=groups', headers: { cookie: s.cookie } });
    expect(acme.json().groups.items.map((g: { name: string }) => g.name)).toEqual(['org-admins']);
    const globex = await t.app.inject({ method: 'GET', url: '/s/globex/rest/api/3/myself?expand=groups', headers: { cookie: s.cookie } });
    expect(globex.json().groups.items).toEqual([]);
  });
});
