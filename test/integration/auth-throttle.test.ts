import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import type { App } from '../../src/http/deps.js';

// Low limits so the test reaches them; trustProxy so each test can come from its own address.
const limits = { accountMaxFailures: 3, ipMaxFailures: 6, windowMinutes: 15 };
let t: TestApp;
let second: App;
beforeAll(async () => {
  t = await createTestApp({ config: { loginThrottle: limits, trustProxy: true } });
  // a second app instance on the same database: throttling must be shared
  second = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: t.config });
  await second.ready();
  console.log(`database: ${t.database.label}`);
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

function login(app: App, url: string, ip: string, email: string, password: string) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    payload: JSON.stringify({ email, password }),
  });
}
const customer = (ip: string, email: string, password: string, app: App = t.app) => login(app, '/s/acme/api/portal/login', ip, email, password);
const staff = (ip: string, email: string, password: string, app: App = t.app) => login(app, '/api/auth/login', ip, email, password);

const TOO_MANY = { errorMessages: ['Too many login attempts. Try again later.'], errors: {}, status: 429, errorMessage: 'Too many login attempts. Try again later.' };

describe('login throttling', () => {
  it('locks an account key after its failures, even for the right password, on every instance', async () => {
    for (let i = 0; i < limits.accountMaxFailures; i++) {
      expect((await customer(`10.0.1.${i}`, 'bob@customer.test', 'wrong-password')).statusCode).toBe(401);
    }
    const locked = await customer('10.0.1.100', 'bob@customer.test', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toEqual(TOO_MANY);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect((await customer('10.0.1.101', 'bob@customer.test', DEMO_PASSWORD, second)).statusCode).toBe(429);
    // the key is per site: Bob has no globex account, but the globex key is untouched
    expect((await login(t.app, '/s/globex/api/portal/login', '10.0.1.102', 'erin@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('throttles an unknown email exactly like a known one', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < limits.accountMaxFailures + 1; i++) {
      known.push((await customer(`10.0.2.${i}`, 'carol@customer.test', 'wrong-password')).statusCode);
      unknown.push((await customer(`10.0.3.${i}`, 'nobody-here@customer.test', 'wrong-password')).statusCode);
    }
    expect(known).toEqual([401, 401, 401, 429]);
    expect(unknown).toEqual(known);
    const a = await customer('10.0.2.200', 'carol@customer.test', 'wrong-password');
    const b = await customer('10.0.3.200', 'nobody-here@customer.test', 'wrong-password');
    const strip = (h: Record<string, unknown>) => {
      const { date: _d, 'retry-after': _r, ...rest } = h;
      return rest;
    };
    expect({ status: b.statusCode, body: b.body, headers: strip(b.headers) }).toEqual({ status: a.statusCode, body: a.body, headers: strip(a.headers) });
  });

  it('the account key is the typed email, case and spaces aside', async () => {
    for (let i = 0; i < limits.accountMaxFailures; i++) {
      expect((await staff(`10.0.4.${i}`, i % 2 ? ' AGENT@acme.test ' : 'agent@ACME.test', 'wrong-password')).statusCode).toBe(401);
    }
    expect((await staff('10.0.4.100', 'agent@acme.test', DEMO_PASSWORD)).statusCode).toBe(429);
  });

  it('locks an address after its failures across many emails', async () => {
    const ip = '10.0.5.1';
    for (let i = 0; i < limits.ipMaxFailures; i++) {
      expect((await customer(ip, `spray${i}@customer.test`, 'wrong-password')).statusCode).toBe(401);
    }
    expect((await customer(ip, 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(429);
    expect((await staff(ip, 'admin@acme.test', DEMO_PASSWORD, second)).statusCode).toBe(429);
    // another address is not affected
    expect((await customer('10.0.5.2', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a successful login resets the account key', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < limits.accountMaxFailures - 1; i++) {
        expect((await staff(`10.0.6.${round * 10 + i}`, 'admin@globex.test', 'wrong-password')).statusCode).toBe(401);
      }
      expect((await staff(`10.0.6.${round * 10 + 9}`, 'admin@globex.test', DEMO_PASSWORD)).statusCode).toBe(200);
    }
    expect(await t.db.selectFrom('login_throttle').select('key').where('key', '=', 'acct:staff:admin@globex.test').executeTakeFirst()).toBeUndefined();
  });

  it('a lock ends with its window', async () => {
    for (let i = 0; i < limits.accountMaxFailures; i++) await staff(`10.0.7.${i}`, 'siteadmin@globex.test', 'wrong-password');
    expect((await staff('10.0.7.100', 'siteadmin@globex.test', DEMO_PASSWORD)).statusCode).toBe(429);
    await t.db
      .updateTable('login_throttle')
      .set({ locked_until: new Date(Date.now() - 1000), window_start: new Date(Date.now() - 16 * 60_000) })
      .where('key', '=', 'acct:staff:siteadmin@globex.test')
      .execute();
    expect((await staff('10.0.7.101', 'siteadmin@globex.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });
});

describe('cookie flags over HTTPS', () => {
  it('marks the cookie Secure when the request came over HTTPS (trusted proxy)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/s/acme/api/portal/login',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.8.1', 'x-forwarded-proto': 'https' },
      payload: JSON.stringify({ email: 'alice@customer.test', password: DEMO_PASSWORD }),
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    const plain = await customer('10.0.8.2', 'alice@customer.test', DEMO_PASSWORD);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('marks the cookie Secure when configured to', async () => {
    const secure = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, secureCookies: true } });
    try {
      const res = await staff('10.0.8.3', 'admin@acme.test', DEMO_PASSWORD, secure);
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; .*Secure|Secure; .*HttpOnly/);
      const out = await secure.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `portico_sid=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken } });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });
});

describe('throttle housekeeping', () => {
  it('forgets old unlocked keys and keeps current ones', async () => {
    const { pruneThrottle } = await import('../../src/db/queries/throttle.js');
    const day = 24 * 3600_000;
    await t.db
      .insertInto('login_throttle')
      .values([
        { key: 'acct:staff:old@x.test', window_start: new Date(Date.now() - 2 * day), failures: 2, locked_until: null },
        { key: 'acct:staff:old-locked@x.test', window_start: new Date(Date.now() - 2 * day), failures: 9, locked_until: new Date(Date.now() + 60_000) },
        { key: 'acct:staff:recent@x.test', window_start: new Date(), failures: 1, locked_until: null },
      ])
      .execute();
    await pruneThrottle(t.db);
    const keys = (await t.db.selectFrom('login_throttle').select('key').where('key', 'like', '%@x.test').orderBy('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['acct:staff:old-locked@x.test', 'acct:staff:recent@x.test']);
  });
});
