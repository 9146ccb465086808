import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { as, createTestApp, loginCustomer, loginStaff, type TestApp } from '../support/app.js';
import { staffAuth, type Headers } from './rest-helpers.js';

let t: TestApp; // public URL http://localhost:80
let secure: App; // the same database, public URL https://help.example.com
let ada: Headers; // org admin of Acme, API token
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
  secure = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, publicUrl: 'https://help.example.com' } });
  await secure.ready();
  ada = await staffAuth(t, 'admin@acme.test');
});
afterAll(async () => {
  await secure?.close();
  await t?.close();
});

const json = { 'content-type': 'application/json' };

/** The directives of a Content-Security-Policy header: name → sources. */
function policy(res: LightMyRequestResponse): Map<string, string[]> {
  const header = res.headers['content-security-policy'];
  expect(typeof header, `no CSP on ${res.statusCode} ${res.body.slice(0, 80)}`).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

/** What every answer must carry. */
function expectProtectiveHeaders(res: LightMyRequestResponse, what: string) {
  const csp = policy(res);
  // scripts only from files of this host: nothing inline, no eval, no nonce or hash loophole
  expect(csp.get('script-src'), what).toEqual(["'self'"]);
  expect(csp.get('script-src-attr'), what).toEqual(["'none'"]);
  expect(csp.get('default-src'), what).toEqual(["'self'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['referrer-policy'], what).toBe('same-origin');
  expect(res.headers['x-frame-options'], what).toBe('DENY');
}

describe('security headers', () => {
  it('T4: every page and answer carries a CSP without inline scripts, frame-ancestors none, nosniff and a Referrer-Policy', async () => {
    const staff = await loginStaff(t.app, 'admin@acme.test');
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const answers: Array<[string, LightMyRequestResponse]> = [
      ['a page (the web app when built, else a 404)', await t.app.inject({ method: 'GET', url: '/login' })],
      ['a help-center page', await t.app.inject({ method: 'GET', url: '/s/acme/servicedesk/customer/portals', headers: { cookie: alice.cookie } })],
      ['the health check', await t.app.inject({ method: 'GET', url: '/healthz' })],
      ['a login', await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: JSON.stringify({ email: 'agent@acme.test', password: DEMO_PASSWORD }) })],
      ['a refused login', await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: JSON.stringify({ email: 'agent@acme.test', password: 'wrong-password' }) })],
      ['the session', await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: staff.cookie } })],
      ['a 401', await t.app.inject({ method: 'GET', url: '/api/auth/session' })],
      ['a refused API token', await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { authorization: 'Bearer nope' } })],
      ['a REST answer', await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: ada })],
      ['a 400', await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: '{"email":' })],
      ['a JSON 404', await t.app.inject({ method: 'GET', url: '/api/nothing-here' })],
      ['a CSV export', await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers/export.csv', headers: { cookie: staff.cookie } })],
      ['the OpenAPI document', await t.app.inject({ method: 'GET', url: '/api/openapi.json' })],
    ];
    for (const [what, res] of answers) {
      expectProtectiveHeaders(res, what);
      // plain http: no HSTS (a browser would ignore it, and it must never pin a host without TLS)
      expect(res.headers['strict-transport-security'], what).toBeUndefined();
      expect(policy(res).has('upgrade-insecure-requests'), what).toBe(false);
    }
    expect(answers[4][1].statusCode).toBe(401);
    expect(answers[7][1].statusCode).toBe(401);
    expect(answers[9][1].statusCode).toBe(400);
  });

  it('T4: HSTS only when the public URL is https; a forged X-Forwarded-Proto does not bring it', async () => {
    const overHttps = await secure.inject({ method: 'GET', url: '/login' });
    expectProtectiveHeaders(overHttps, 'https');
    const hsts = String(overHttps.headers['strict-transport-security']);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(policy(overHttps).has('upgrade-insecure-requests')).toBe(true);
    const api = await secure.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: ada });
    expect(api.headers['strict-transport-security']).toBe(hsts);

    const proxied = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, trustProxy: true } });
    try {
      for (const app of [t.app, proxied]) {
        const res = await app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-proto': 'https' } });
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    } finally {
      await proxied.close();
    }
  });

  it('T4: the API docs keep scripts to this host and refuse framing; only inline styles are allowed there', async () => {
    for (const url of ['/api/docs', '/api/docs/', '/api/docs/static/swagger-initializer.js']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(400);
      expectProtectiveHeaders(res, url);
      expect(policy(res).get('style-src'), url).toEqual(["'self'", "'unsafe-inline'"]);
    }
    // and nowhere else
    expect(policy(await t.app.inject({ method: 'GET', url: '/healthz' })).get('style-src')).toEqual(["'self'"]);
    // the docs fetch no badge from an outside validator
    const init = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.body).toMatch(/"validatorUrl":\s*null/);
  });
});

describe('Cache-Control', () => {
  it('S7: every answer to an authenticated request carries Cache-Control: no-store (cookie or API token, success or error)', async () => {
    const staff = await loginStaff(t.app, 'admin@acme.test');
    const sam = await loginStaff(t.app, 'agent@acme.test');
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const answers: Array<[string, LightMyRequestResponse]> = [
      ['staff session', await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: staff.cookie } })],
      ['admin list', await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers', headers: { cookie: staff.cookie } })],
      ['CSV export', await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers/export.csv', headers: { cookie: staff.cookie } })],
      ['audit log', await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${(await t.db.selectFrom('organizations').select('id').where('name', '=', 'Acme Corp').executeTakeFirstOrThrow()).id}/audit-log`, headers: { cookie: staff.cookie } })],
      ['agent 403', await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers', headers: { cookie: sam.cookie } })],
      ['REST with a token', await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/user/search?query=alice', headers: ada })],
      ['REST 404 with a token', await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/request/HELP-999', headers: ada })],
      ['customer session', await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: alice.cookie } })],
      ['customer request', await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/request/HELP-1', headers: { cookie: alice.cookie } })],
      ['customer write', await t.app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/request/HELP-1/comment', headers: { ...as(alice), ...json }, payload: JSON.stringify({ body: 'Any news?', public: true }) })],
      ['a page with a session', await t.app.inject({ method: 'GET', url: '/admin', headers: { cookie: staff.cookie } })],
      ['audit log CSV', await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${(await t.db.selectFrom('organizations').select('id').where('name', '=', 'Acme Corp').executeTakeFirstOrThrow()).id}/audit-log/export.csv`, headers: { cookie: staff.cookie } })],
    ];
    for (const [what, res] of answers) {
      expect(res.statusCode, what).toBeLessThan(500);
      expect(res.headers['cache-control'], `${what} (${res.statusCode})`).toBe('no-store');
    }
    expect(answers[4][1].statusCode).toBe(403);
    expect(answers[6][1].statusCode).toBe(404);
    expect(answers[9][1].statusCode).toBe(201);
  });

  it('S7: every answer that sets or clears a session cookie carries Cache-Control: no-store', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: JSON.stringify({ email: 'agent@acme.test', password: DEMO_PASSWORD }) });
    const customerLogin = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email: 'bob@customer.test', password: DEMO_PASSWORD }) });
    const staffSession = { cookie: `portico_sid=${login.cookies[0].value}`, 'x-csrf-token': login.json().csrfToken };
    const customerSession = { cookie: `portico_csid=${customerLogin.cookies[0].value}`, 'x-csrf-token': customerLogin.json().csrfToken };
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: staffSession });
    const customerLogout = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/logout', headers: customerSession });
    const anonymousLogout = await t.app.inject({ method: 'POST', url: '/api/auth/logout' });
    for (const [what, res] of Object.entries({ login, customerLogin, logout, customerLogout, anonymousLogout })) {
      expect(res.statusCode, what).toBeLessThan(300);
      expect(res.headers['set-cookie'], what).toBeDefined();
      expect(res.headers['cache-control'], what).toBe('no-store');
    }
  });

  it("the web app's files, named by their content, are kept a year without revalidation; the shell never is; an earlier build's file is a 404, not the shell", async () => {
    // a built web app of its own (dist/web may not be built yet while these tests run)
    const webRoot = mkdtempSync(path.join(tmpdir(), 'portico-web-'));
    mkdirSync(path.join(webRoot, 'assets'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Portico</title><script type="module" src="/assets/index-Ab12Cd34.js"></script>');
    writeFileSync(path.join(webRoot, 'assets', 'index-Ab12Cd34.js'), 'export const built = true;');
    const web = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: t.config }, { webRoot });
    try {
      const staff = await loginStaff(t.app, 'admin@acme.test');
      for (const headers of [{}, { cookie: staff.cookie }]) {
        const asset = await web.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers });
        expect(asset.statusCode).toBe(200);
        expect(asset.headers['content-type']).toMatch(/^(application|text)\/javascript/);
        expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        const shell = await web.inject({ method: 'GET', url: '/admin', headers });
        expect(shell.statusCode).toBe(200);
        expect(shell.body).toContain('/assets/index-Ab12Cd34.js');
        expect(shell.headers['cache-control']).toBe('no-store');
        const gone = await web.inject({ method: 'GET', url: '/assets/index-Old98765.js', headers });
        expect(gone.statusCode).toBe(404);
        expect(gone.headers['content-type']).toMatch(/^application\/json/);
        expect(gone.headers['cache-control'] ?? '').not.toMatch(/immutable|max-age=[1-9]/);
      }
    } finally {
      await web.close();
      rmSync(webRoot, { recursive: true, force: true });
    }
  });

  it('S7: files that are the same for everyone keep their caching, even for a signed-in browser', async () => {
    const staff = await loginStaff(t.app, 'admin@acme.test');
    const avatar = await t.app.inject({ method: 'GET', url: '/api/avatars/default.svg?size=48', headers: { cookie: staff.cookie } });
    expect(avatar.statusCode).toBe(200);
    expect(avatar.headers['cache-control']).toBe('public, max-age=86400');
    // shown by REST clients on other origins
    expect(avatar.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });
});
