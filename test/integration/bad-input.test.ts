import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, loginStaff, as, type TestApp, type Session } from '../support/app.js';

// Every login, reset and token field gets hostile input: malformed JSON, oversized bodies, unknown
// fields, wrong types, SQL metacharacters and very long strings. Each gets a 4xx in Atlassian's
// error shape — never a 500 — and the accounts and sessions tables do not change.

let t: TestApp;
let ada: Session;
beforeAll(async () => {
  t = await createTestApp({ config: { loginThrottle: { accountAddressMaxFailures: 10_000, accountMaxFailures: 10_000, ipMaxFailures: 10_000 } } });
  ada = await loginStaff(t.app, 'admin@acme.test');
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

/**
 * Accounts, sessions and one-time tokens, without the columns that using a session rewrites by
 * design (accounts.last_active_at; a session's last_seen_at and sliding idle_expires_at): Ada's
 * session creating tokens below must not count as a change.
 */
async function tables(): Promise<string> {
  const accounts = await t.db
    .selectFrom('accounts')
    .select(['account_id', 'kind', 'site_id', 'email', 'email_lower', 'display_name', 'sort_name', 'password_hash', 'status', 'created_at', 'revoked_at', 'revoked_by', 'deleted_at'])
    .orderBy('account_id')
    .execute();
  const sessions = await t.db.selectFrom('sessions').select(['id_hash', 'account_id', 'site_id', 'csrf_token', 'created_at', 'absolute_expires_at']).orderBy('id_hash').execute();
  const tokens = await t.db.selectFrom('one_time_tokens').selectAll().orderBy('id').execute();
  return JSON.stringify({ accounts, sessions, tokens });
}

const SQL = [`' OR 1=1 --`, `"; DROP TABLE accounts; --`, `admin@acme.test' --`, `alice@customer.test'); DELETE FROM sessions; --`];
const LONG = 'x'.repeat(10_000);
const LONG_EMAIL = 'a'.repeat(9_990) + '@acme.test';
const WEIRD = ['\u0000', 'a\u0000b@acme.test', '\ud800', '\u202e@acme.test'];

interface Endpoint {
  name: string;
  url: string;
  method?: 'POST' | 'DELETE';
  fields: Record<string, string>;
  headers?: () => Record<string, string>;
}

const endpoints: Endpoint[] = [
  { name: 'staff login', url: '/api/auth/login', fields: { email: 'admin@acme.test', password: 'portico-demo' } },
  { name: 'customer login', url: '/s/acme/api/portal/login', fields: { email: 'alice@customer.test', password: 'portico-demo' } },
  { name: 'password reset request', url: '/s/acme/api/portal/password-reset', fields: { email: 'alice@customer.test' } },
  { name: 'password reset completion', url: '/s/acme/api/portal/password-reset/complete', fields: { token: 'some-token', password: 'a-good-new-password' } },
  { name: 'API token creation', url: '/api/profile/tokens', fields: { label: 'ok' }, headers: () => as(ada) },
];

function send(e: Endpoint, payload: string, contentType = 'application/json'): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: e.method ?? 'POST', url: e.url, headers: { ...(e.headers?.() ?? {}), 'content-type': contentType }, payload });
}

function expectClientError(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, what).toBeLessThan(500);
  const body = res.json();
  expect(Array.isArray(body.errorMessages), what).toBe(true);
  expect(body.errorMessages[0], what).toEqual(expect.any(String));
  expect(typeof body.errors, what).toBe('object');
}

describe.each(endpoints)('$name', (e) => {
  it('refuses malformed JSON', async () => {
    for (const payload of ['{"email": ', '{email: "a"}', "{'a': 1}", '{"a":1}}', '\u0000', 'null', '[]', '"text"', '42', 'true']) {
      const res = await send(e, payload);
      expectClientError(res, `${e.name} ${JSON.stringify(payload)}`);
    }
    expect((await send(e, '{"email": ')).json().errorMessages).toEqual(['The request body is not valid JSON.']);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const huge = JSON.stringify({ ...e.fields, [Object.keys(e.fields)[0]]: 'y'.repeat(1024 * 1024 + 10) });
    const res = await send(e, huge);
    expect(res.statusCode).toBe(413);
    expectClientError(res, 'oversized');
  });

  it('refuses other content types', async () => {
    const res = await send(e, new URLSearchParams(e.fields).toString(), 'application/x-www-form-urlencoded');
    expectClientError(res, 'form');
  });

  it('refuses unknown fields and wrong types', async () => {
    const unknown = await send(e, JSON.stringify({ ...e.fields, isAdmin: true }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual({ isAdmin: "There is no field 'isAdmin' here." });
    for (const field of Object.keys(e.fields)) {
      for (const wrong of [12345, true, null, ['a'], { $ne: '' }]) {
        const res = await send(e, JSON.stringify({ ...e.fields, [field]: wrong }));
        expect(res.statusCode, `${field}=${JSON.stringify(wrong)}`).toBe(400);
        expectClientError(res, `${field}=${JSON.stringify(wrong)}`);
      }
    }
  });

  it('answers SQL metacharacters, 10,000-character strings and odd characters in every field with a 4xx', async () => {
    for (const field of Object.keys(e.fields)) {
      for (const value of [...SQL, LONG, LONG_EMAIL, ...WEIRD]) {
        const res = await send(e, JSON.stringify({ ...e.fields, [field]: value }));
        if (e.name === 'API token creation' && field === 'label' && value.length <= 100 && !/[\u0000-\u001f]/.test(value) && value !== '\ud800') {
          // a label is free text: quotes are stored verbatim, never interpreted
          expect(res.statusCode).toBe(201);
          const row = await t.db.selectFrom('api_tokens').select('label').where('id', '=', res.json().id).executeTakeFirstOrThrow();
          expect(row.label).toBe(value.trim());
          continue;
        }
        if (e.name === 'password reset request' && value === '\u202e@acme.test') {
          // a syntactically plausible address gets the generic answer (and no account, so no mail)
          expect(res.statusCode).toBe(202);
          continue;
        }
        expectClientError(res, `${e.name} ${field}=${JSON.stringify(value.slice(0, 40))}`);
      }
    }
  });

  it('changed nothing in accounts and sessions', async () => {
    const before = await tables();
    // every kind of hostile body above, against this endpoint
    let refused = 0;
    const bodies = [
      '{"email": ', "{'a': 1}", 'null', '[]',
      JSON.stringify({ ...e.fields, isAdmin: true }),
      ...Object.keys(e.fields).flatMap((field) =>
        [...SQL, LONG, LONG_EMAIL, ...WEIRD, 12345, null, { $ne: '' }].map((value) => JSON.stringify({ ...e.fields, [field]: value })),
      ),
    ];
    for (const body of bodies) {
      const res = await send(e, body);
      expect(res.statusCode, body.slice(0, 60)).toBeLessThan(500);
      if (res.statusCode >= 400) refused++;
    }
    await t.app.afterResponse.idle(); // a reset request's work runs after its answer
    expect(refused).toBeGreaterThan(bodies.length / 2);
    expect(await tables()).toBe(before);
  });
});

describe('credentials and ids in headers and paths', () => {
  it('refuses hostile API tokens and emails in Authorization with 401', async () => {
    const headers = [
      ...SQL.map((s) => `Bearer ${s}`),
      ...SQL.map((s) => `Basic ${Buffer.from(`${s}:${s}`).toString('base64')}`),
      `Bearer ${LONG}`,
      `Basic ${Buffer.from(`${LONG_EMAIL}:${LONG}`).toString('base64')}`,
      'Basic',
      'Bearer',
      `Basic ${'%'.repeat(100)}`,
    ];
    for (const authorization of headers) {
      const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { authorization } });
      expect(res.statusCode, authorization.slice(0, 40)).toBe(401);
      expectClientError(res, authorization.slice(0, 40));
    }
  });

  it('refuses hostile token ids, organization ids and site slugs with a 4xx', async () => {
    for (const id of [...SQL, LONG.slice(0, 250), '../../etc/passwd']) {
      const del = await t.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${encodeURIComponent(id)}`, headers: as(ada) });
      expectClientError(del, `token id ${id.slice(0, 30)}`);
      const outbox = await t.app.inject({ method: 'GET', url: `/api/orgs/${encodeURIComponent(id)}/outbox`, headers: { cookie: ada.cookie } });
      expectClientError(outbox, `org id ${id.slice(0, 30)}`);
      const login = await t.app.inject({
        method: 'POST', url: `/s/${encodeURIComponent(id)}/api/portal/login`, headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'alice@customer.test', password: 'portico-demo' }),
      });
      expectClientError(login, `site ${id.slice(0, 30)}`);
    }
    const longPath = await t.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${LONG}`, headers: as(ada) });
    expect(longPath.statusCode).toBeGreaterThanOrEqual(400);
    expect(longPath.statusCode).toBeLessThan(500);
    for (const q of ['limit=-1', 'limit=abc', 'start=-5', `start=${LONG}`, 'limit=1e9']) {
      const org = (await t.db.selectFrom('organizations').select('id').executeTakeFirstOrThrow()).id;
      const res = await t.app.inject({ method: 'GET', url: `/api/orgs/${org}/outbox?${q}`, headers: { cookie: ada.cookie } });
      expectClientError(res, q);
    }
  });

  it('changed nothing in accounts and sessions', async () => {
    const before = await tables();
    for (const s of SQL) {
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { authorization: `Bearer ${s}` } })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${encodeURIComponent(s)}`, headers: as(ada) })).statusCode).toBeGreaterThanOrEqual(400);
      const login = await t.app.inject({ method: 'POST', url: `/s/${encodeURIComponent(s)}/api/portal/login`, payload: { email: 'alice@customer.test', password: 'portico-demo' } });
      expect(login.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect(await tables()).toBe(before);
    // and the tables the injections aimed at are all still there
    expect((await t.db.selectFrom('accounts').select('account_id').execute()).length).toBeGreaterThan(5);
  });
});
