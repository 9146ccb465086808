import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { hashSecret } from '../../src/domain/secrets.js';
import { createTestApp, loginStaff, type TestApp } from '../support/app.js';
import { staffAuth, type Headers } from './rest-helpers.js';

// Every absolute link comes from the configured public URL. These requests forge everything a
// client controls about "where am I": Host, X-Forwarded-Host, X-Forwarded-Proto.

const PUBLIC = 'https://help.example.com';
const FORGED = { host: 'evil.example', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'http' };
const json = { 'content-type': 'application/json' };

let t: TestApp;
let proxied: App; // the same database behind PORTICO_TRUST_PROXY=1
let ada: Headers;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: PUBLIC } });
  console.log(`database: ${t.database.label}`);
  proxied = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, trustProxy: true } });
  await proxied.ready();
  ada = await staffAuth(t, 'admin@acme.test');
});
afterAll(async () => {
  await proxied?.close();
  await t?.close();
});

/** The links of every string in an answer that looks like one. */
function linksIn(body: unknown): string[] {
  return [...JSON.stringify(body).matchAll(/"(https?:\/\/[^"]*)"/g)].map((m) => m[1]);
}

async function resetLinkMailedTo(app: App, email: string, headers: Record<string, string>): Promise<URL> {
  const res = await app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', headers: { ...json, ...headers }, payload: JSON.stringify({ email }) });
  await app.afterResponse.idle(); // the reset's work runs after its answer
  expect(res.statusCode).toBe(202);
  const mail = await t.db.selectFrom('outbox').select('body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const link = /(https?:\/\/\S+reset-password\?token=\S+)/.exec(mail.body);
  expect(link, mail.body).not.toBeNull();
  return new URL(link![1]);
}

describe('links come from the public URL', () => {
  it('T3: a forged Host or X-Forwarded-Host does not change the mailed password-reset link', async () => {
    const link = await resetLinkMailedTo(t.app, 'alice@customer.test', FORGED);
    expect(link.origin).toBe(PUBLIC);
    expect(link.pathname).toBe('/s/acme/servicedesk/customer/user/reset-password');
    // the link works: its token is the one stored (hashed) for Alice
    const stored = await t.db.selectFrom('one_time_tokens').select('token_hash').where('token_hash', '=', hashSecret(link.searchParams.get('token')!)).executeTakeFirst();
    expect(stored).toBeDefined();
  });

  it('T3: behind a trusted proxy (PORTICO_TRUST_PROXY=1) the public URL still wins over X-Forwarded-Host', async () => {
    const link = await resetLinkMailedTo(proxied, 'bob@customer.test', { ...FORGED, 'x-forwarded-for': '203.0.113.9' });
    expect(link.origin).toBe(PUBLIC);
    // what the proxy setting does change: the client's address comes from X-Forwarded-For
    const login = await proxied.inject({
      method: 'POST', url: '/api/auth/login', headers: { ...json, ...FORGED, 'x-forwarded-for': '203.0.113.9' },
      payload: JSON.stringify({ email: 'agent@acme.test', password: DEMO_PASSWORD }),
    });
    expect(login.statusCode).toBe(200);
    const sid = login.cookies.find((c) => c.name === 'portico_sid')!.value;
    const session = await t.db.selectFrom('sessions').select('ip').where('id_hash', '=', hashSecret(sid)).executeTakeFirstOrThrow();
    expect(session.ip).toBe('203.0.113.9');
    // ...and without the setting it does not
    const direct = await t.app.inject({
      method: 'POST', url: '/api/auth/login', headers: { ...json, ...FORGED, 'x-forwarded-for': '203.0.113.9' },
      payload: JSON.stringify({ email: 'agent@acme.test', password: DEMO_PASSWORD }),
    });
    const directSid = direct.cookies.find((c) => c.name === 'portico_sid')!.value;
    const directSession = await t.db.selectFrom('sessions').select('ip').where('id_hash', '=', hashSecret(directSid)).executeTakeFirstOrThrow();
    expect(directSession.ip).not.toBe('203.0.113.9');
  });

  it('T3: REST self, _links (base, self, next) and avatar URLs use the public URL whatever the Host says', async () => {
    for (const app of [t.app, proxied]) {
      const get = (url: string) => app.inject({ method: 'GET', url, headers: { ...ada, ...FORGED } });
      const desks = (await get('/s/acme/rest/servicedeskapi/servicedesk?limit=1')).json();
      expect(desks._links.base).toBe(`${PUBLIC}/s/acme`);
      expect(desks._links.self).toBe(`${PUBLIC}/s/acme/rest/servicedeskapi/servicedesk?limit=1`);
      const myself = (await get('/s/acme/rest/api/3/myself')).json();
      expect(myself.self).toMatch(new RegExp(`^${PUBLIC}/s/acme/rest/api/3/user\\?accountId=`));
      expect(Object.values(myself.avatarUrls).every((u) => String(u).startsWith(`${PUBLIC}/api/avatars/`))).toBe(true);
      const customers = (await get(`/s/acme/rest/servicedeskapi/servicedesk/${desks.values[0].id}/customer?start=1&limit=1`)).json();
      expect(customers._links.next).toMatch(new RegExp(`^${PUBLIC}/s/acme/rest/servicedeskapi/servicedesk/\\d+/customer\\?`));
      expect(customers._links.prev).toMatch(new RegExp(`^${PUBLIC}/`));
      const request = (await get('/s/acme/rest/servicedeskapi/request/HELP-1')).json();
      const search = (await get('/s/acme/rest/api/3/search/jql?jql=project%3DHELP&fields=reporter')).json();
      const picker = (await get('/s/acme/rest/api/3/user/search?query=alice')).json();
      const links = [desks, myself, customers, request, search, picker].flatMap(linksIn);
      expect(links.length).toBeGreaterThan(20);
      expect(links.filter((l) => !l.startsWith(`${PUBLIC}/`))).toEqual([]);
    }
  });

  it('T3: site URLs in the admin console and the session come from the public URL', async () => {
    const s = await loginStaff(t.app, 'admin@acme.test');
    const headers = { cookie: s.cookie, ...FORGED };
    const session = (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers })).json();
    expect(session.organizations[0].sites[0].url).toBe(`${PUBLIC}/s/acme`);
    const site = (await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme', headers })).json();
    expect(site.url).toBe(`${PUBLIC}/s/acme`);
    const org = (await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${session.organizations[0].id}`, headers })).json();
    expect(org.sites.map((x: { url: string }) => x.url)).toEqual([`${PUBLIC}/s/acme`]);
  });

  it('T3: redirects never point at the Host the request named', async () => {
    for (const app of [t.app, proxied]) {
      for (const url of ['/api/docs', '/api/docs/static/index.html']) {
        const res = await app.inject({ method: 'GET', url, headers: FORGED });
        if (res.statusCode >= 300 && res.statusCode < 400) {
          const location = String(res.headers.location);
          expect(new URL(location, PUBLIC).origin, `${url} → ${location}`).toBe(PUBLIC);
        }
      }
      const redirected = await app.inject({ method: 'GET', url: '/api/docs/static/index.html', headers: FORGED });
      expect(redirected.statusCode).toBe(302);
    }
  });

  it('T3: a forged Host does not make a cross-site Origin pass the login check', async () => {
    const login = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { ...json, ...headers }, payload: JSON.stringify({ email: 'admin@acme.test', password: DEMO_PASSWORD }) });
    // a page of evil.example whose name resolves to this server: Host and Origin agree with each other
    const rebound = await login({ host: 'evil.example', origin: 'http://evil.example' });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.headers['set-cookie']).toBeUndefined();
    const viaProxy = await proxied.inject({
      method: 'POST', url: '/api/auth/login', headers: { ...json, ...FORGED, origin: 'http://attacker.example' },
      payload: JSON.stringify({ email: 'admin@acme.test', password: DEMO_PASSWORD }),
    });
    expect(viaProxy.statusCode).toBe(403);
    // the public URL's origin passes, whatever Host the request carried; so does no Origin at all
    expect((await login({ host: 'evil.example', origin: PUBLIC })).statusCode).toBe(200);
    expect((await login({ origin: 'https://HELP.example.com:443' })).statusCode).toBe(200);
    expect((await login({})).statusCode).toBe(200);
  });
});

describe('a server without PORTICO_PUBLIC_URL', () => {
  it('T3: links use http://HOST:PORT of the port it actually bound (PORT=0), even for an absolute-form request target', async () => {
    const app = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, publicUrl: undefined, host: '127.0.0.1', port: 0 } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as { port: number }).port;
      expect(port).toBeGreaterThan(0);
      expect(app.publicUrl).toBe(`http://127.0.0.1:${port}`);
      // a raw request whose target names another host ("GET http://evil.example/… HTTP/1.1")
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `GET http://evil.example/s/acme/rest/api/3/myself HTTP/1.1\r\nHost: evil.example\r\n` +
              `Authorization: ${ada.authorization}\r\nConnection: close\r\n\r\n`,
          );
        });
        let out = '';
        socket.on('data', (d) => (out += d.toString()));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 200 /);
      expect(raw).not.toContain('evil.example');
      const links = linksIn(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)));
      expect(links.length).toBeGreaterThan(4);
      expect(links.filter((l) => !l.startsWith(`http://127.0.0.1:${port}/`))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
