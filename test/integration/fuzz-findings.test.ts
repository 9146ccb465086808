import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { staffAuth } from './rest-helpers.js';

// What the route fuzzer (fuzz.test.ts) found, each with the smallest input that showed it. Each
// of these answered 500 (or a bare framework error) before its fix.

let t: TestApp;
let alice: Session;
let agent: Session;
let admin: Session;
let siteadmin: Session;
let adminToken: Record<string, string>;
let help: { projectId: string; requestTypeId: string };

beforeAll(async () => {
  t = await createTestApp();
  alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  agent = await loginStaff(t.app, 'agent@acme.test');
  admin = await loginStaff(t.app, 'admin@acme.test');
  siteadmin = await loginStaff(t.app, 'siteadmin@globex.test');
  adminToken = await staffAuth(t, 'admin@acme.test');
  const project = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow();
  help = { projectId: String(project.id), requestTypeId: String(type.id) };
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

function expectAtlassianError(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.errorMessages).toEqual([expect.any(String)]);
  expect(typeof body.errors).toBe('object');
  return body;
}

describe('D1: inputs the fuzzer found', () => {
  it("D1: a broken %-escape in the URL answers 400 in Atlassian's error shape", async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/s/acme/rest/servicedeskapi/servicedesk/U%!/customer', headers: { authorization: adminToken.authorization } });
    expect(expectAtlassianError(res, 400).errorMessages[0]).toMatch(/URL/);
  });

  it("D1: a path segment longer than the router allows answers 414 in Atlassian's error shape", async () => {
    const res = await t.app.inject({ method: 'GET', url: `/s/${'a'.repeat(301)}/rest/servicedeskapi/request/HELP-1/participant`, headers: { cookie: alice.cookie } });
    expect(expectAtlassianError(res, 414).errorMessages[0]).toMatch(/too long/);
  });

  it('D1: a Host header with an impossible port answers 400, not a failure to build the links of the answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/servicedesk/HELP/customer', headers: { cookie: agent.cookie, host: 'evil.test:99999' } });
    expect(expectAtlassianError(res, 400).errorMessages).toEqual(['The Host header is not valid.']);
    const ok = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/servicedesk/HELP/customer', headers: { cookie: agent.cookie, host: '[::1]:3000' } });
    expect(ok.statusCode, ok.body).toBe(200);
    // the last valid Host is not parsed again: an invalid one right after it is still refused
    const again = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/servicedesk/HELP/customer', headers: { cookie: agent.cookie, host: '[::1]:3000 x' } });
    expect(expectAtlassianError(again, 400).errorMessages).toEqual(['The Host header is not valid.']);
  });

  it('D1: a JSON body nested deeper than 100 levels answers 400 naming the limit, where an entity property ran out of stack; 100 levels are kept', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/organization', headers: { ...adminToken, 'content-type': 'application/json' }, payload: { name: 'Deep Co' } });
    expect(made.statusCode, made.body).toBeLessThan(300);
    const url = `/s/acme/rest/servicedeskapi/organization/${made.json().id}/property/deep`;
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    const deep = await t.app.inject({ method: 'PUT', url, headers: { ...adminToken, 'content-type': 'application/json' }, payload: nested(5000) });
    expect(expectAtlassianError(deep, 400).errorMessages).toEqual(["'body' is nested too deeply (at most 100 levels)."]);
    expect((await t.app.inject({ method: 'GET', url, headers: adminToken })).statusCode, 'nothing was kept').toBe(404);
    const kept = await t.app.inject({ method: 'PUT', url, headers: { ...adminToken, 'content-type': 'application/json' }, payload: nested(100) });
    expect(kept.statusCode, kept.body).toBeLessThan(300);
    const read = await t.app.inject({ method: 'GET', url, headers: adminToken });
    expect(JSON.stringify(read.json().value)).toBe(nested(100));
  });

  it('D1: Infinity is no number: as an offset in a query string or a page size in a JSON body it answers 400', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/servicedesk/HELP/customer?start=Infinity', headers: { cookie: agent.cookie } });
    expect(Object.keys(expectAtlassianError(list, 400).errors)).toEqual(['start']);
    const search = await t.app.inject({
      method: 'POST',
      url: '/s/acme/rest/api/3/search/jql',
      headers: { ...adminToken, 'content-type': 'application/json' },
      payload: '{"jql": "project = HELP", "maxResults": 1e999}',
    });
    expect(Object.keys(expectAtlassianError(search, 400).errors)).toEqual(['maxResults']);
  });

  it('D1: a site slug holding a NUL is looked up as no site, and refused with 400', async () => {
    // the site is loaded before anything else of the request; it used to reach the query
    const res = await t.app.inject({ method: 'GET', url: '/s/a%00b/rest/servicedeskapi/knowledgebase/article?query=vpn', headers: { cookie: siteadmin.cookie } });
    expect(expectAtlassianError(res, 400).errors).toEqual({ site: "'site' must not contain the NUL character." });
  });

  it('D1: over a real socket, a request line holding a raw NUL or a byte outside ASCII is refused with 400 before any route runs', async () => {
    // The input guards walk path and query values only when the URL holds a percent escape
    // (http/plugins/input-guards.ts): they rely on the HTTP parser refusing these bytes unescaped.
    const app = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, host: '127.0.0.1', port: 0 } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as { port: number }).port;
      const send = (target: Buffer) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(Buffer.concat([Buffer.from('GET '), target, Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${adminToken.authorization}\r\nConnection: close\r\n\r\n`)]));
          });
          let out = '';
          socket.on('data', (d) => (out += d.toString('latin1')));
          socket.on('end', () => resolve(out));
          socket.on('error', reject);
        });
      const path = Buffer.from('/s/acme/rest/api/3/user/search?query=');
      // the same request, escaped, is answered: the refusals below are the bytes', not the route's
      expect(await send(Buffer.from('/s/acme/rest/api/3/user/search?query=ali'))).toMatch(/^HTTP\/1\.1 200 /);
      for (const raw of [Buffer.from([0x00]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('é', 'utf8'), Buffer.from([0xff])]) {
        expect(await send(Buffer.concat([path, Buffer.from('a'), raw])), raw.toString('hex')).toMatch(/^HTTP\/1\.1 400 /);
        expect(await send(Buffer.concat([Buffer.from('/s/acme/rest/api/3/user/'), raw, Buffer.from('x')])), raw.toString('hex')).toMatch(/^HTTP\/1\.1 400 /);
      }
    } finally {
      await app.close();
    }
  });

  const NUL = 'a\u0000b';
  const q = encodeURIComponent(NUL);
  const cases: Array<[string, () => Record<string, string>, string, string, unknown, string]> = [
    ['a path value (agent queue)', () => as(admin), 'GET', '/s/acme/api/agent/projects/HELPa%00b/queue', undefined, 'key'],
    ['a path value (agent people)', () => as(agent), 'PUT', '/s/acme/api/agent/requests/%00%00%00/people', {}, 'key'],
    ['a path value (agent request)', () => as(admin), 'GET', '/s/acme/api/agent/requests/%00x', undefined, 'key'],
    ['a query value (REST user)', () => as(alice), 'GET', `/s/acme/rest/api/3/user?accountId=${q}`, undefined, 'accountId'],
    ['a query value (REST user search)', () => adminToken, 'GET', `/s/acme/rest/api/3/user/search?query=${q}`, undefined, 'query'],
    ['a repeated query value (REST user picker)', () => adminToken, 'GET', `/s/acme/rest/api/3/user/picker?query=a&excludeAccountIds=x&excludeAccountIds=${q}`, undefined, 'excludeAccountIds.1'],
    ['a query value (web user picker)', () => as(agent), 'GET', `/s/acme/api/users/picker?query=${q}`, undefined, 'query'],
    ['a query value (admin customer list)', () => as(admin), 'GET', `/api/admin/sites/acme/customers?query=${q}`, undefined, 'query'],
    ['a JSON string (comment)', () => as(alice), 'POST', '/s/acme/api/portal/requests/HELP-1/comments', { body: NUL }, 'body'],
    ['a nested JSON string (raised request summary)', () => as(alice), 'POST', '/s/acme/api/portal/requests', () => ({ projectId: help.projectId, requestTypeId: help.requestTypeId, fields: { summary: NUL } }), 'fields.summary'],
    ['a JSON string (saved filter name)', () => as(agent), 'POST', '/s/acme/api/agent/filters', { name: NUL, jql: 'project = HELP' }, 'name'],
    ['a JSON string in a list (participants)', () => as(alice), 'POST', '/s/acme/api/portal/requests/HELP-1/participants', { accountIds: [NUL] }, 'accountIds.0'],
    ['a JSON string (REST customer name)', () => adminToken, 'POST', '/s/acme/rest/servicedeskapi/customer', { displayName: NUL, email: 'nul@customer.test' }, 'displayName'],
  ];

  const LONE = 'x\udf7b';
  const surrogateCases: Array<[string, () => Record<string, string>, string, string, unknown, string]> = [
    ['a list of participants', () => as(alice), 'POST', '/s/acme/api/portal/requests/HELP-2/participants', { accountIds: [LONE] }, 'accountIds.0'],
    ["an agent's new reporter", () => adminToken, 'PUT', '/s/acme/api/agent/requests/HELP-2/people', { reporter: LONE }, 'reporter'],
    ["a customer's new name", () => adminToken, 'POST', '/s/acme/rest/servicedeskapi/customer', { displayName: LONE, email: 'lone@customer.test' }, 'displayName'],
  ];

  it.each(surrogateCases)('D1: half a surrogate pair in %s answers 400 naming the field', async (_what, headers, method, url, payload, field) => {
    const res = await t.app.inject({ method: method as 'PUT', url, headers: headers(), payload: payload as object });
    expect(expectAtlassianError(res, 400).errors).toEqual({ [field]: `'${field}' is not valid Unicode text (half of a surrogate pair).` });
    expect(await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'lone@customer.test').execute()).toEqual([]);
  });

  it.each(cases)('D1: a NUL in %s answers 400 naming the field', async (_what, headers, method, url, payload, field) => {
    const body = typeof payload === 'function' ? payload() : payload;
    const before = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: method as 'GET', url, headers: headers(), ...(body !== undefined ? { payload: body as object } : {}) });
    const error = expectAtlassianError(res, 400);
    expect(error.errors).toEqual({ [field]: `'${field}' must not contain the NUL character.` });
    const after = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
