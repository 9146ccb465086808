import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginStaff, type Session, type TestApp } from '../support/app.js';
import { signInAtProvider, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { PRIVATE_IDENTITY_PROVIDER_MESSAGE } from '../../src/integrations/oidc.js';
import { PASSWORD_LOGIN_OFF_MESSAGE } from '../../src/use-cases/auth/log-in.js';

// Sign-in with a site's OpenID Connect provider (docs/product.md#identity-providers) against a real
// provider on loopback (oidc-provider), on the database PORTICO_TEST_DB names. Acme's customers:
// alice, bob, carol active; dave revoked (demo data).

let t: TestApp;
let idp: TestOidcProvider;
let admin: Session; // org admin of Acme
const SECRET_KEY = 'identity-provider-test-secret-key-0123456789';
const json = { 'content-type': 'application/json' };
const CALLBACK = 'http://localhost/s/acme/servicedesk/customer/user/sso/callback';

beforeAll(async () => {
  idp = await startOidcProvider({
    redirectUris: [CALLBACK],
    accounts: {
      alice: { email: 'alice@customer.test', email_verified: true, name: 'Alice Example' },
      'alice-unverified': { email: 'alice@customer.test', email_verified: false },
      'alice-no-claim': { email: 'Alice@Customer.test' },
      dave: { email: 'dave@customer.test', email_verified: true },
      bob: { email: 'bob@customer.test', email_verified: true },
      newcomer: { email: 'newcomer@customer.test', email_verified: true, name: 'New Comer' },
      outsider: { email: 'someone@elsewhere.test', email_verified: true },
      noemail: {},
    },
  });
  t = await createTestApp({ config: { secretKey: SECRET_KEY, identityProviderAllowedHosts: ['127.0.0.1'] } });
  console.log(`database: ${t.database.label}`);
  admin = await loginStaff(t.app, 'admin@acme.test');
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

function saveProvider(body: Record<string, unknown>, who: Session = admin, site = 'acme') {
  return t.app.inject({ method: 'PUT', url: `/api/admin/sites/${site}/identity-provider`, headers: { ...as(who), ...json }, payload: JSON.stringify(body) });
}
const okta = () => ({ displayName: 'Acme Okta', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, scopes: ['openid', 'email', 'profile'] });

interface Started {
  redirectUrl: string;
  browser: string; // the cookie header of the browser that started
}
async function start(site = 'acme', next?: string): Promise<Started> {
  const res = await t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/sso/oidc/start`, headers: json, payload: JSON.stringify(next ? { next } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'portico_sso');
  expect(cookie?.httpOnly).toBe(true);
  return { redirectUrl: res.json().redirectUrl, browser: `portico_sso=${cookie!.value}` };
}
function callback(query: string, browser: string | undefined, site = 'acme') {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/sso/oidc/callback`, headers: { ...json, ...(browser ? { cookie: browser } : {}) }, payload: JSON.stringify({ query }) });
}
async function signIn(login: string) {
  const s = await start();
  const back = await signInAtProvider(s.redirectUrl, login);
  expect(back.href.startsWith(CALLBACK)).toBe(true);
  return callback(back.search.slice(1), s.browser);
}
function wrongPassword() {
  return t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email: 'bob@customer.test', password: 'not the password' }) });
}
const lastAudit = (action: string) => t.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();

describe('the identity-provider settings', () => {
  it('S22: only the site\'s admins read and change them; the client secret is sealed and never shown', async () => {
    const agent = await loginStaff(t.app, 'agent@acme.test');
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/identity-provider', headers: as(agent) })).statusCode).toBe(403);
    expect((await saveProvider(okta(), agent)).statusCode).toBe(403);
    const greta = await loginStaff(t.app, 'admin@globex.test');
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/identity-provider', headers: as(greta) })).statusCode).toBe(404);

    const empty = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/identity-provider', headers: as(admin) });
    expect(empty.json()).toMatchObject({ canSave: true, provider: null, redirectUri: CALLBACK });
    const saved = await saveProvider(okta());
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain(idp.clientSecret);
    expect(saved.json().provider).toMatchObject({ displayName: 'Acme Okta', issuer: idp.issuer, hasClientSecret: true, jitAccounts: false, passwordLogin: true, scopes: ['openid', 'email', 'profile'] });
    const row = await t.db.selectFrom('site_identity_providers').selectAll().executeTakeFirstOrThrow();
    expect(row.client_secret_sealed).toMatch(/^v1:/);
    expect(row.client_secret_sealed).not.toContain(idp.clientSecret);
    const event = await lastAudit('site.identity_provider.changed');
    expect(JSON.stringify(event?.details)).not.toContain(idp.clientSecret);
    // saving again without a secret keeps the one saved
    expect((await saveProvider({ ...okta(), clientSecret: undefined })).statusCode).toBe(200);
    expect((await t.db.selectFrom('site_identity_providers').select('client_secret_sealed').executeTakeFirstOrThrow()).client_secret_sealed).toBe(row.client_secret_sealed);
  });

  it('a bad issuer, scope or domain is a 400 naming the field', async () => {
    const bad = await saveProvider({ ...okta(), issuer: 'not a url' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.issuer).toMatch(/URL/);
    expect((await saveProvider({ ...okta(), allowedDomains: ['not a domain'] })).json().errors.allowedDomains).toMatch(/not an email domain/);
    expect((await saveProvider({ ...okta(), scopes: ['ok', 'bad"scope'] })).json().errors.scopes).toMatch(/not a scope/);
  });

  it('S21: an issuer on a private, loopback or link-local address the operator does not allow is refused; http only for allowed hosts', async () => {
    for (const issuer of ['https://10.0.0.7', 'https://169.254.169.254/latest', 'https://[::ffff:192.168.1.1]', 'https://[::1]:8443', 'https://127.0.0.2']) {
      const res = await saveProvider({ ...okta(), issuer });
      expect(res.statusCode, issuer).toBe(400);
      expect(res.json().errors.issuer).toBe(PRIVATE_IDENTITY_PROVIDER_MESSAGE);
    }
    const clear = await saveProvider({ ...okta(), issuer: 'http://10.0.0.7' });
    expect(clear.statusCode).toBe(400);
    expect((await t.db.selectFrom('site_identity_providers').select('issuer').executeTakeFirstOrThrow()).issuer).toBe(idp.issuer);
  });

  it('"Test connection" reads the discovery document and says what it found, or why not', async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/identity-provider/test', headers: as(admin) });
    expect(ok.json()).toMatchObject({ ok: true, issuer: idp.issuer, authorizationEndpoint: `${idp.issuer}/auth` });
    expect(ok.json().message).toContain('Connected');
    // a provider that does not answer: the admin is told, nothing breaks
    await t.db.updateTable('site_identity_providers').set({ issuer: 'http://127.0.0.1:9' }).execute();
    const down = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/identity-provider/test', headers: as(admin) });
    expect(down.statusCode).toBe(200);
    expect(down.json().ok).toBe(false);
    expect(down.json().message).toMatch(/could not read the provider's discovery document/);
    await t.db.updateTable('site_identity_providers').set({ issuer: idp.issuer }).execute();
  });
});

describe('signing in with the provider', () => {
  it('the login page offers "Continue with {name}"; a verified customer comes back signed in with a session of the site', async () => {
    const options = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/sign-in-options' });
    expect(options.json()).toEqual({ passwordLogin: true, providers: [{ protocol: 'oidc', name: 'Acme Okta' }] });
    expect((await t.app.inject({ method: 'GET', url: '/s/globex/api/portal/sign-in-options' })).json()).toEqual({ passwordLogin: true, providers: [] });

    const s = await start('acme', '/s/acme/servicedesk/customer/portals');
    const authUrl = new URL(s.redirectUrl);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    const back = await signInAtProvider(s.redirectUrl, 'alice');
    const res = await callback(back.search.slice(1), s.browser);
    expect(res.statusCode, res.body).toBe(200);
    const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    expect(res.json()).toMatchObject({ accountId: alice, email: 'alice@customer.test', next: '/s/acme/servicedesk/customer/portals' });
    const sid = res.cookies.find((c) => c.name === 'portico_csid');
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/s/acme' });
    const session = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: `portico_csid=${sid!.value}` } });
    expect(session.statusCode).toBe(200);
    expect(session.json().account.accountId).toBe(alice);
    expect(await lastAudit('customer.sso.signed_in')).toMatchObject({ actor_id: alice, target_id: alice });
  });

  it('S20: a revoked customer the provider still knows is refused with the wrong-password answer', async () => {
    const dave = await signIn('dave');
    const wrong = await wrongPassword();
    expect(dave.statusCode).toBe(401);
    expect(dave.json()).toEqual(wrong.json());
    expect(dave.cookies.find((c) => c.name === 'portico_csid')).toBeUndefined();
    const daveId = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    expect(await lastAudit('customer.sso.refused')).toMatchObject({ target_id: daveId, details: expect.objectContaining({ reason: 'account_not_active' }) });
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', daveId).execute()).toEqual([]);

    // revoked over the API after a first sign-in: the next one is refused too
    expect((await signIn('bob')).statusCode).toBe(200);
    const bobId = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    const revoke = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/customer/user/${encodeURIComponent(bobId)}/revoke-portal-only-access`, headers: as(admin) });
    expect(revoke.statusCode, revoke.body).toBeLessThan(300);
    const refused = await signIn('bob');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual(wrong.json());
  });

  it('S20: an email the provider did not verify links to nothing; nor does an identity without email', async () => {
    const wrong = (await wrongPassword()).json();
    for (const login of ['alice-unverified', 'alice-no-claim', 'noemail']) {
      const res = await signIn(login);
      expect(res.statusCode, login).toBe(401);
      expect(res.json()).toEqual(wrong);
    }
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'no_email' });
  });

  it('S20: an email outside the allowed domains is refused, also for an existing account', async () => {
    expect((await saveProvider({ ...okta(), allowedDomains: ['elsewhere.test'] })).statusCode).toBe(200);
    const res = await signIn('alice');
    expect(res.statusCode).toBe(401);
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'domain_not_allowed' });
    expect((await saveProvider({ ...okta(), allowedDomains: ['customer.test'] })).statusCode).toBe(200);
    expect((await signIn('outsider')).statusCode).toBe(401);
    expect((await signIn('alice')).statusCode).toBe(200);
  });

  it('an unknown email gets an account only when just-in-time accounts are on', async () => {
    expect((await saveProvider({ ...okta(), jitAccounts: false })).statusCode).toBe(200);
    const off = await signIn('newcomer');
    expect(off.statusCode).toBe(401);
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'no_account' });
    expect(await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'newcomer@customer.test').execute()).toEqual([]);

    expect((await saveProvider({ ...okta(), jitAccounts: true })).statusCode).toBe(200);
    const on = await signIn('newcomer');
    expect(on.statusCode, on.body).toBe(200);
    const account = await t.db.selectFrom('accounts').selectAll().where('email_lower', '=', 'newcomer@customer.test').executeTakeFirstOrThrow();
    expect(account).toMatchObject({ kind: 'customer', status: 'active', display_name: 'New Comer', password_hash: null, awaiting_verification: false });
    expect(await lastAudit('customer.sso.account_created')).toMatchObject({ target_id: account.account_id });
    // the second time, the same account
    expect((await signIn('newcomer')).json().accountId).toBe(account.account_id);
    expect((await saveProvider({ ...okta(), jitAccounts: false })).statusCode).toBe(200);
  });
});

describe('S23: state, nonce and PKCE', () => {
  it('a callback is good once: the same answer again is refused', async () => {
    const s = await start();
    const back = await signInAtProvider(s.redirectUrl, 'alice');
    expect((await callback(back.search.slice(1), s.browser)).statusCode).toBe(200);
    expect((await callback(back.search.slice(1), s.browser)).statusCode).toBe(401);
  });

  it('only the browser that started a sign-in can finish it', async () => {
    const s = await start();
    const other = await start();
    const back = await signInAtProvider(s.redirectUrl, 'alice');
    expect((await callback(back.search.slice(1), undefined)).statusCode).toBe(401);
    expect((await callback(back.search.slice(1), other.browser)).statusCode).toBe(401);
    // the sign-in died with the attempt from the wrong browser: not even the right one finishes it now
    expect((await callback(back.search.slice(1), s.browser)).statusCode).toBe(401);
  });

  it('a sign-in that took longer than 10 minutes is refused', async () => {
    const s = await start();
    const back = await signInAtProvider(s.redirectUrl, 'alice');
    await t.db.updateTable('sso_sign_ins').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    expect((await callback(back.search.slice(1), s.browser)).statusCode).toBe(401);
  });

  it("a code is worthless with another sign-in's state (PKCE verifier does not match) or a forged state", async () => {
    const victim = await start();
    const attacker = await start();
    const stolen = await signInAtProvider(victim.redirectUrl, 'alice');
    const attackerState = new URL(attacker.redirectUrl).searchParams.get('state')!;
    const swapped = new URLSearchParams(stolen.search);
    swapped.set('state', attackerState);
    expect((await callback(swapped.toString(), attacker.browser)).statusCode).toBe(401);
    const forged = new URLSearchParams(stolen.search);
    forged.set('state', 'made-up-state');
    expect((await callback(forged.toString(), victim.browser)).statusCode).toBe(401);
  });

  it('an ID token whose nonce is not the one sent is refused', async () => {
    const s = await start();
    const back = await signInAtProvider(s.redirectUrl, 'alice');
    await t.db.updateTable('sso_sign_ins').set({ nonce: 'another-nonce' }).execute();
    expect((await callback(back.search.slice(1), s.browser)).statusCode).toBe(401);
  });

  it("a state of another site's sign-in is refused there", async () => {
    const s = await start();
    const back = await signInAtProvider(s.redirectUrl, 'alice');
    expect((await callback(back.search.slice(1), s.browser, 'globex')).statusCode).toBe(401);
  });

  it('an error sent back by the provider (the person cancelled) is refused; junk is a 401, never a 500', async () => {
    const s = await start();
    const state = new URL(s.redirectUrl).searchParams.get('state')!;
    expect((await callback(`error=access_denied&state=${state}`, s.browser)).statusCode).toBe(401);
    for (const query of ['', '%%%', 'state=', `state=${'x'.repeat(600)}`, 'code=x&state=y&state=z']) {
      expect((await callback(query, s.browser)).statusCode, query).toBe(401);
    }
  });
});

describe('password login off', () => {
  it('the help center takes no passwords while the provider is its only way in; back on, it does', async () => {
    expect((await saveProvider({ ...okta(), passwordLogin: false })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/sign-in-options' })).json().passwordLogin).toBe(false);
    const refused = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email: 'carol@customer.test', password: 'portico-demo' }) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().errorMessages).toEqual([PASSWORD_LOGIN_OFF_MESSAGE]);
    // staff are not customers of the help center: their login is untouched
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: JSON.stringify({ email: 'agent@acme.test', password: 'portico-demo' }) })).statusCode).not.toBe(401);
    expect((await signIn('alice')).statusCode).toBe(200);
    expect((await saveProvider({ ...okta(), passwordLogin: true })).statusCode).toBe(200);
  });

  it('removing the provider is audited and brings the password form back alone', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/sites/acme/identity-provider', headers: as(admin) })).statusCode).toBe(204);
    expect(await lastAudit('site.identity_provider.removed')).toBeDefined();
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/sign-in-options' })).json()).toEqual({ passwordLogin: true, providers: [] });
    expect((await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/sso/oidc/start', headers: json, payload: '{}' })).statusCode).toBe(404);
  });
});
