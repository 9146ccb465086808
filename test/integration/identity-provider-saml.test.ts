import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginStaff, type Session, type TestApp } from '../support/app.js';
import { startSamlIdp, type ResponseTweaks, type SamlAnswer, type TestSamlIdp } from '../support/saml-idp.js';
import { PRIVATE_IDENTITY_PROVIDER_MESSAGE } from '../../src/integrations/oidc.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';

// SAML 2.0 sign-in with a site's identity provider (docs/product.md#identity-providers) against an
// identity provider on loopback whose responses xml-crypto signs with a key made for the run, on the
// database PORTICO_TEST_DB names. Acme's customers: alice, bob, carol active; dave revoked (demo data).

let t: TestApp;
let idp: TestSamlIdp;
let admin: Session; // org admin of Acme
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const ACS = 'http://localhost/s/acme/api/portal/sso/saml/acs';
const SP_METADATA = 'http://localhost/s/acme/api/portal/sso/saml/metadata';
const CALLBACK_PAGE = 'http://localhost/s/acme/servicedesk/customer/user/sso/callback';

beforeAll(async () => {
  idp = await startSamlIdp({
    users: {
      alice: { email: 'alice@customer.test', name: 'Alice Example' },
      dave: { email: 'dave@customer.test', name: 'Dave Departed' },
      newcomer: { email: 'newcomer@customer.test', name: 'New Comer' },
      outsider: { email: 'someone@elsewhere.test' },
      nameidonly: { nameId: 'alice-opaque-id' },
    },
  });
  t = await createTestApp({ config: { identityProviderAllowedHosts: ['127.0.0.1'] } });
  console.log(`database: ${t.database.label}`);
  admin = await loginStaff(t.app, 'admin@acme.test');
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

function saveSaml(body: Record<string, unknown>, who: Session = admin, site = 'acme') {
  return t.app.inject({ method: 'PUT', url: `/api/admin/sites/${site}/identity-provider/saml`, headers: { ...as(who), ...json }, payload: JSON.stringify(body) });
}
const acmeIdp = (extra: Record<string, unknown> = {}) => ({ displayName: 'Acme SAML', metadataXml: idp.metadataXml, ...extra });

interface Started {
  redirectUrl: string;
  browser: string;
}
async function start(site = 'acme', next?: string): Promise<Started> {
  const res = await t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/sso/saml/start`, headers: json, payload: JSON.stringify(next ? { next } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'portico_sso');
  return { redirectUrl: res.json().redirectUrl, browser: `portico_sso=${cookie!.value}` };
}
function postToAcs(fields: Record<string, string | null>, site = 'acme') {
  const body = new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== null)).toString();
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/sso/saml/acs`, headers: form, payload: body });
}
const acs = (a: SamlAnswer, site = 'acme') => postToAcs({ SAMLResponse: a.SAMLResponse, RelayState: a.RelayState }, site);
function callback(query: string, browser: string | undefined, site = 'acme') {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/sso/saml/callback`, headers: { ...json, ...(browser ? { cookie: browser } : {}) }, payload: JSON.stringify({ query }) });
}
/** The whole round: start, the provider's (bent) answer, the ACS, the callback page's call. */
async function signIn(login: string, tweaks?: ResponseTweaks) {
  const s = await start();
  const back = await acs(idp.respond(s.redirectUrl, login, tweaks));
  expect(back.statusCode, back.body).toBe(303);
  const location = new URL(back.headers.location as string);
  expect(`${location.origin}${location.pathname}`).toBe(CALLBACK_PAGE);
  return callback(location.search.slice(1), s.browser);
}
let wrong: unknown;
async function wrongPassword() {
  wrong ??= (await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email: 'bob@customer.test', password: 'not the password' }) })).json();
  return wrong;
}
const lastAudit = (action: string) => t.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();

describe('the SAML provider settings', () => {
  it("S22: only the site's admins read and change them; the metadata is pasted or read from its URL", async () => {
    const agent = await loginStaff(t.app, 'agent@acme.test');
    expect((await saveSaml(acmeIdp(), agent)).statusCode).toBe(403);
    const greta = await loginStaff(t.app, 'admin@globex.test');
    expect((await saveSaml(acmeIdp(), greta)).statusCode).toBe(404);

    const empty = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/identity-provider', headers: as(admin) });
    expect(empty.json().saml).toEqual({ metadataUrl: SP_METADATA, entityId: SP_METADATA, acsUrl: ACS });
    const pasted = await saveSaml(acmeIdp());
    expect(pasted.statusCode, pasted.body).toBe(200);
    expect(pasted.json().provider).toMatchObject({
      protocol: 'saml',
      displayName: 'Acme SAML',
      issuer: idp.entityId,
      clientId: SP_METADATA,
      hasClientSecret: false,
      saml: { metadataUrl: null, ssoUrl: idp.ssoUrl, certificates: [expect.stringMatching(/^MII/)] },
    });
    expect(await lastAudit('site.identity_provider.changed')).toMatchObject({ details: expect.objectContaining({ protocol: 'saml', idpEntityId: idp.entityId }) });

    const byUrl = await saveSaml({ displayName: 'Acme SAML', metadataUrl: idp.metadataUrl, entityId: 'urn:acme:help' });
    expect(byUrl.statusCode, byUrl.body).toBe(200);
    expect(byUrl.json().provider.saml).toMatchObject({ metadataUrl: idp.metadataUrl, ssoUrl: idp.ssoUrl });
    expect(byUrl.json().saml.entityId).toBe('urn:acme:help');
    const sp = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/sso/saml/metadata' });
    expect(sp.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(sp.body).toContain('entityID="urn:acme:help"');
    expect(sp.body).toContain(`Location="${ACS}"`);

    const test = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/identity-provider/test', headers: as(admin) });
    expect(test.json()).toMatchObject({ ok: true, issuer: idp.entityId, authorizationEndpoint: idp.ssoUrl });
    expect((await saveSaml(acmeIdp())).statusCode).toBe(200);
  });

  it('S21: metadata on a private address the operator does not allow is not read; unusable metadata is a 400 naming the field', async () => {
    const privateUrl = await saveSaml({ displayName: 'X', metadataUrl: 'https://10.0.0.7/metadata' });
    expect(privateUrl.statusCode).toBe(400);
    expect(privateUrl.json().errors.metadataUrl).toBe(PRIVATE_IDENTITY_PROVIDER_MESSAGE);
    expect((await saveSaml({ displayName: 'X' })).json().errors.metadataUrl).toMatch(/metadata/);
    expect((await saveSaml({ displayName: 'X', metadataUrl: idp.metadataUrl, metadataXml: idp.metadataXml })).statusCode).toBe(400);
    expect((await saveSaml(acmeIdp({ entityId: 'not a uri' }))).json().errors.entityId).toMatch(/URI/);
    const noCert = idp.metadataXml.replace(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/, '');
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>';
    for (const metadataXml of ['not xml at all', '<nope/>', noCert, bomb, '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"']) {
      const res = await saveSaml(acmeIdp({ metadataXml }));
      expect(res.statusCode, metadataXml.slice(0, 40)).toBe(400);
      expect(res.json().errors.metadataXml).toBeTruthy();
    }
    // nothing of it was saved
    const stored = await t.db.selectFrom('site_identity_providers').select(['protocol', 'issuer']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ protocol: 'saml', issuer: idp.entityId });
  });
});

describe('signing in with the SAML provider', () => {
  it('S20, S24: a customer whose provider signs the assertion comes back signed in with a session of the site', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/sign-in-options' })).json()).toEqual({ passwordLogin: true, providers: [{ protocol: 'saml', name: 'Acme SAML' }] });
    const s = await start('acme', '/s/acme/servicedesk/customer/portals');
    expect(new URL(s.redirectUrl).origin + new URL(s.redirectUrl).pathname).toBe(idp.ssoUrl);
    const back = await acs(idp.respond(s.redirectUrl, 'alice'));
    expect(back.statusCode).toBe(303);
    // the ACS's answer opens no session: only the browser that started the sign-in can finish it
    expect(back.cookies.find((c) => c.name === 'portico_csid')).toBeUndefined();
    const res = await callback(new URL(back.headers.location as string).search.slice(1), s.browser);
    expect(res.statusCode, res.body).toBe(200);
    const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    expect(res.json()).toMatchObject({ accountId: alice, email: 'alice@customer.test', next: '/s/acme/servicedesk/customer/portals' });
    const sid = res.cookies.find((c) => c.name === 'portico_csid');
    const session = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: `portico_csid=${sid!.value}` } });
    expect(session.json().account.accountId).toBe(alice);
    expect(await lastAudit('customer.sso.signed_in')).toMatchObject({ actor_id: alice, details: expect.objectContaining({ protocol: 'saml' }) });
  });

  it('S20: a revoked customer the provider still vouches for is refused with the wrong-password answer', async () => {
    const dave = await signIn('dave');
    expect(dave.statusCode).toBe(401);
    expect(dave.json()).toEqual(await wrongPassword());
    const daveId = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    expect(await lastAudit('customer.sso.refused')).toMatchObject({ target_id: daveId, details: expect.objectContaining({ reason: 'account_not_active', protocol: 'saml' }) });
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', daveId).execute()).toEqual([]);
  });

  it('S20: domains and just-in-time accounts follow the site settings; an assertion without an email links to nothing', async () => {
    expect((await signIn('newcomer')).statusCode).toBe(401);
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'no_account' });
    expect((await signIn('nameidonly')).statusCode).toBe(401);
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'no_email' });
    expect((await saveSaml(acmeIdp({ jitAccounts: true, allowedDomains: ['customer.test'] }))).statusCode).toBe(200);
    expect((await signIn('outsider')).statusCode).toBe(401);
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'domain_not_allowed' });
    const created = await signIn('newcomer');
    expect(created.statusCode, created.body).toBe(200);
    const account = await t.db.selectFrom('accounts').selectAll().where('email_lower', '=', 'newcomer@customer.test').executeTakeFirstOrThrow();
    expect(account).toMatchObject({ status: 'active', display_name: 'New Comer', password_hash: null });
    expect((await saveSaml(acmeIdp())).statusCode).toBe(200);
  });
});

describe('S24: only a signed, fresh assertion meant for this site and this sign-in is taken', () => {
  const refusedCases: Array<[string, ResponseTweaks]> = [
    ['unsigned', { unsigned: true }],
    ['signed with a key the metadata does not name', { foreignKey: true }],
    ['changed after signing', { tamperEmail: 'bob@customer.test' }],
    ['for another audience', { audience: 'https://elsewhere.example/saml' }],
    ['for another recipient', { recipient: 'https://elsewhere.example/acs' }],
    ['sent to another destination', { destination: 'http://localhost/s/globex/api/portal/sso/saml/acs' }],
    ['from another issuer', { issuer: 'https://impostor.example/idp' }],
    ['expired beyond the clock skew', { notOnOrAfter: new Date(Date.now() - 10 * 60_000) }],
    ['not valid yet beyond the clock skew', { notBefore: new Date(Date.now() + 10 * 60_000) }],
    ['answering another request', { inResponseTo: '_not-the-request' }],
    ['unsolicited (no InResponseTo)', { inResponseTo: null }],
  ];
  it.each(refusedCases)('an assertion %s is refused with the wrong-password answer', async (_what, tweaks) => {
    const res = await signIn('alice', tweaks);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(await wrongPassword());
    expect(res.cookies.find((c) => c.name === 'portico_csid')).toBeUndefined();
  });

  it('a provider clock a little behind or ahead is tolerated', async () => {
    expect((await signIn('alice', { notOnOrAfter: new Date(Date.now() - 60_000) })).statusCode).toBe(200);
    expect((await signIn('alice', { notBefore: new Date(Date.now() + 60_000) })).statusCode).toBe(200);
  });

  it('a response is good once: posted again, or its assertion answering a later sign-in, it is refused', async () => {
    const s = await start();
    const answer = idp.respond(s.redirectUrl, 'alice');
    const first = await acs(answer);
    const again = await acs(answer);
    expect(again.statusCode).toBe(303);
    expect((await callback(new URL(first.headers.location as string).search.slice(1), s.browser)).statusCode).toBe(200);
    expect((await callback(new URL(again.headers.location as string).search.slice(1), s.browser)).statusCode).toBe(401);
    const assertionId = /<saml:Assertion[^>]* ID="([^"]+)"/.exec(answer.xml)![1];
    expect(await t.db.selectFrom('saml_assertions_seen').select('assertion_id').where('assertion_id', '=', assertionId).execute()).toHaveLength(1);
    const replayed = await signIn('alice', { assertionId });
    expect(replayed.statusCode).toBe(401);
    expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'response_replayed' });
  });

  it('a second instance on the same database refuses an assertion the first one took', async () => {
    // instance B: its own app, nothing shared with A but the database
    const b = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: t.config });
    try {
      const s = await start();
      const answer = idp.respond(s.redirectUrl, 'alice');
      expect((await acs(answer)).statusCode).toBe(303);
      const assertionId = /<saml:Assertion[^>]* ID="([^"]+)"/.exec(answer.xml)![1];
      const atB = await b.inject({ method: 'POST', url: '/s/acme/api/portal/sso/saml/start', headers: json, payload: '{}' });
      const browser = `portico_sso=${atB.cookies.find((c) => c.name === 'portico_sso')!.value}`;
      const replay = idp.respond(atB.json().redirectUrl, 'alice', { assertionId });
      const back = await b.inject({ method: 'POST', url: '/s/acme/api/portal/sso/saml/acs', headers: form, payload: new URLSearchParams({ SAMLResponse: replay.SAMLResponse, RelayState: replay.RelayState! }).toString() });
      const done = await b.inject({ method: 'POST', url: '/s/acme/api/portal/sso/saml/callback', headers: { ...json, cookie: browser }, payload: JSON.stringify({ query: new URL(back.headers.location as string).search.slice(1) }) });
      expect(done.statusCode).toBe(401);
      expect((await lastAudit('customer.sso.refused'))?.details).toMatchObject({ reason: 'response_replayed' });
    } finally {
      await b.close();
    }
  });

  it('only the browser that started a sign-in finishes it, on its own site, within 10 minutes', async () => {
    const s = await start();
    const other = await start();
    const back = await acs(idp.respond(s.redirectUrl, 'alice'));
    const query = new URL(back.headers.location as string).search.slice(1);
    expect((await callback(query, other.browser)).statusCode).toBe(401);
    expect((await callback(query, s.browser)).statusCode).toBe(401); // died with the wrong browser's try
    const late = await start();
    await t.db.updateTable('sso_sign_ins').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    const lateBack = await acs(idp.respond(late.redirectUrl, 'alice'));
    expect((await callback(new URL(lateBack.headers.location as string).search.slice(1), late.browser)).statusCode).toBe(401);
    const elsewhere = await start();
    const toGlobex = await acs(idp.respond(elsewhere.redirectUrl, 'alice'), 'globex');
    expect(toGlobex.statusCode).toBe(303);
    expect((await callback(new URL(toGlobex.headers.location as string).search.slice(1), elsewhere.browser, 'globex')).statusCode).toBe(401);
  });
});

describe('D1: hostile posts to the ACS', () => {
  it('a body that is no SAML response is a 400, never a 500; a good response with a made-up RelayState is refused', async () => {
    const s = await start();
    const good = idp.respond(s.redirectUrl, 'alice');
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const bodies: Array<Record<string, string | null>> = [
      { SAMLResponse: null, RelayState: 'x' },
      { SAMLResponse: '' },
      { SAMLResponse: '%%%not base64%%%' },
      { SAMLResponse: 'QUJD=A==' },
      { SAMLResponse: b64('plain text, no XML') },
      { SAMLResponse: b64('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">') },
      { SAMLResponse: b64('<other xmlns="urn:x"/>') },
      { SAMLResponse: b64('<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&b;</samlp:Response>') },
      { SAMLResponse: b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(5000)}</samlp:Response>`) },
    ];
    for (const body of bodies) {
      const res = await postToAcs(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const huge = await postToAcs({ SAMLResponse: 'A'.repeat(500_000) });
    expect([400, 413]).toContain(huge.statusCode);
    const asJson = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/sso/saml/acs', headers: json, payload: JSON.stringify({ SAMLResponse: good.SAMLResponse }) });
    expect(asJson.statusCode).toBeLessThan(500);
    expect(asJson.statusCode).toBeGreaterThanOrEqual(400);
    // well formed but for no sign-in of Portico's: on to the refusal, nothing opened
    for (const RelayState of [null, 'made-up-relay-state-0123456789', '<script>']) {
      const res = await postToAcs({ SAMLResponse: good.SAMLResponse, RelayState });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).not.toContain('<');
      expect((await callback(new URL(res.headers.location as string).search.slice(1), s.browser)).statusCode).toBe(401);
    }
  });
});

describe('password login off, and the provider removed', () => {
  it('with SAML as the only way in the password form is off; removing the provider ends SAML sign-in', async () => {
    expect((await saveSaml(acmeIdp({ passwordLogin: false }))).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/sign-in-options' })).json().passwordLogin).toBe(false);
    expect((await signIn('alice')).statusCode).toBe(200);
    // the OIDC endpoints do not start a sign-in at a SAML provider
    expect((await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/sso/oidc/start', headers: json, payload: '{}' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/sites/acme/identity-provider', headers: as(admin) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/sso/saml/start', headers: json, payload: '{}' })).statusCode).toBe(404);
  });
});
