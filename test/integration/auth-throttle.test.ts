import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { hashSecret } from '../../src/domain/secrets.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import type { App } from '../../src/http/deps.js';

// Low limits so the test reaches them; trustProxy so each request can come from its own address
// (X-Forwarded-For). The defaults and the rule: src/domain/login-throttle.ts.
// Every failed attempt costs a password-hash verification, so the limits are as low as the tests allow.
const limits = { accountAddressMaxFailures: 2, ipMaxFailures: 5, accountMaxFailures: 6, windowMinutes: 15 };
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
const statuses = async (attempts: Array<() => Promise<{ statusCode: number }>>) => {
  const out: number[] = [];
  for (const attempt of attempts) out.push((await attempt()).statusCode);
  return out;
};
/** A response as a client sees it, apart from the date and the Retry-After count-down (also said in words). */
const seen = (r: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
  const { date: _d, 'retry-after': _r, 'content-length': _l, ...headers } = r.headers;
  return { status: r.statusCode, body: r.body.replace(/Try again in [^."]+\./g, 'Try again in …'), headers };
};

/** A throttled login's answer: it says when to try again, as the Retry-After header does. */
const tooMany = (retryAfter: unknown) => {
  const seconds = Number(retryAfter);
  const message = `Too many login attempts. Try again ${seconds < 60 ? `in ${seconds} seconds` : `in ${Math.ceil(seconds / 60)} minutes`}.`;
  return { code: 'rate_limited', errorMessages: [message], errors: {}, status: 429, errorMessage: message };
};

describe('login throttling', () => {
  it('S8: a stranger failing from one address is refused for that account there, on every instance; the owner logs in from their own address', async () => {
    const stranger = '10.0.1.1';
    for (let i = 0; i < limits.accountAddressMaxFailures; i++) {
      expect((await staff(stranger, 'admin@acme.test', 'wrong-password')).statusCode).toBe(401);
    }
    const locked = await staff(stranger, 'admin@acme.test', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toEqual(tooMany(locked.headers['retry-after']));
    expect(locked.json().errorMessage).toMatch(/^Too many login attempts\. Try again in \d+ (minutes|seconds)\.$/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(limits.windowMinutes * 60);
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect((await staff(stranger, 'admin@acme.test', DEMO_PASSWORD, second)).statusCode).toBe(429);
    // the stranger keeps hammering: refused, and not counted against anyone else
    expect(await statuses(Array.from({ length: 20 }, () => () => staff(stranger, 'admin@acme.test', 'wrong-password')))).toEqual(Array(20).fill(429));
    // the owner, from an address that has not failed, gets in on both instances, repeatedly
    for (const app of [t.app, second, t.app]) expect((await staff('10.0.1.200', 'admin@acme.test', DEMO_PASSWORD, app)).statusCode).toBe(200);
    // and the stranger's address is refused for that account only
    expect((await customer(stranger, 'bob@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('S8: an unknown email is throttled exactly like a known one, and the 429 tells nothing more', async () => {
    const known = await statuses(Array.from({ length: limits.accountAddressMaxFailures + 1 }, () => () => customer('10.0.2.1', 'carol@customer.test', 'wrong-password')));
    const unknown = await statuses(Array.from({ length: limits.accountAddressMaxFailures + 1 }, () => () => customer('10.0.3.1', 'nobody-here@customer.test', 'wrong-password')));
    expect(known).toEqual([401, 401, 429]);
    expect(unknown).toEqual(known);
    // the right password of the existing account is refused the same way
    const a = await customer('10.0.2.1', 'carol@customer.test', DEMO_PASSWORD);
    const b = await customer('10.0.3.1', 'nobody-here@customer.test', DEMO_PASSWORD);
    expect(seen(b)).toEqual(seen(a));
    expect(a.statusCode).toBe(429);
    for (const r of [a, b]) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(limits.windowMinutes * 60);
    }
  });

  it('S8: the account key is the typed email, case and spaces aside', async () => {
    for (let i = 0; i < limits.accountAddressMaxFailures; i++) {
      expect((await staff('10.0.4.1', i % 2 ? ' AGENT@acme.test ' : 'agent@ACME.test', 'wrong-password')).statusCode).toBe(401);
    }
    expect((await staff('10.0.4.1', 'agent@acme.test', DEMO_PASSWORD)).statusCode).toBe(429);
    // the key is per site or staff: another account from the same address is not affected
    expect((await login(t.app, '/s/globex/api/portal/login', '10.0.4.1', 'erin@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('S8: one address failing across many accounts is refused for every account it has not logged in to; other addresses are not', async () => {
    const ip = '10.0.5.1';
    // Carol logged in from this address before (an office behind one NAT, say)
    expect((await customer(ip, 'carol@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < limits.ipMaxFailures; i++) {
      expect((await customer(ip, `spray${i}@customer.test`, 'wrong-password')).statusCode).toBe(401);
    }
    expect((await customer(ip, 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(429);
    expect((await staff(ip, 'admin@globex.test', DEMO_PASSWORD, second)).statusCode).toBe(429);
    expect((await customer(ip, 'spray-new@customer.test', 'wrong-password')).statusCode).toBe(429);
    // another address is not affected; Carol, at home on this address, still gets in
    expect((await customer('10.0.5.2', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
    expect((await customer(ip, 'carol@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('S8: failures for one account from many addresses reach a ceiling that refuses new addresses, not the owner at an address they logged in from', async () => {
    const owner = '10.0.9.1';
    expect((await staff(owner, 'siteadmin@globex.test', DEMO_PASSWORD)).statusCode).toBe(200);
    // a distributed guesser: one failure per address, so no (account, address) key ever locks
    const spread = (email: string, from: number) =>
      statuses(Array.from({ length: limits.accountMaxFailures }, (_, i) => () => staff(`10.0.${from}.${i + 1}`, email, 'wrong-password')));
    expect(await spread('siteadmin@globex.test', 10)).toEqual(Array(limits.accountMaxFailures).fill(401));
    expect(await spread('nobody@globex.test', 11)).toEqual(Array(limits.accountMaxFailures).fill(401));
    // now any new address is refused, the same for the existing and the unknown account
    const existing = await staff('10.0.12.1', 'siteadmin@globex.test', DEMO_PASSWORD);
    const unknown = await staff('10.0.12.2', 'nobody@globex.test', 'wrong-password');
    expect(existing.statusCode).toBe(429);
    expect(seen(unknown)).toEqual(seen(existing));
    // the owner, at the address they logged in from, gets in — on both instances, as often as they like
    for (const app of [t.app, second]) expect((await staff(owner, 'siteadmin@globex.test', DEMO_PASSWORD, app)).statusCode).toBe(200);
    // and their logging in does not reset the ceiling for the guesser
    expect((await staff('10.0.12.3', 'siteadmin@globex.test', 'wrong-password')).statusCode).toBe(429);
    // a wrong password at the known address is still limited per address
    const atHome = await statuses(Array.from({ length: limits.accountAddressMaxFailures + 1 }, () => () => staff(owner, 'siteadmin@globex.test', 'wrong-password')));
    expect(atHome).toEqual([401, 401, 429]);
  });

  it('S8: a burst of concurrent attempts gets no more tries than the same attempts one by one', async () => {
    const globex = (ip: string, email: string, password: string) => login(t.app, '/s/globex/api/portal/login', ip, email, password);
    const burst = async (attempts: Array<() => Promise<{ statusCode: number }>>) =>
      (await Promise.all(attempts.map((attempt) => attempt()))).map((r) => r.statusCode).sort();
    // one address, one account: as many wrong passwords checked as the (account, address) limit
    const n = limits.ipMaxFailures;
    const tries = Array(limits.accountAddressMaxFailures).fill(401);
    const refused = Array(n - limits.accountAddressMaxFailures).fill(429);
    expect(await burst(Array.from({ length: n }, () => () => globex('10.0.16.1', 'erin@customer.test', 'wrong-password')))).toEqual([...tries, ...refused]);
    expect(await burst(Array.from({ length: n }, () => () => globex('10.0.17.1', 'nobody@customer.test', 'wrong-password')))).toEqual([...tries, ...refused]);
    // many addresses, one account: as many as the account's ceiling
    const wide = limits.accountMaxFailures + 3;
    expect(await burst(Array.from({ length: wide }, (_, i) => () => globex(`10.0.18.${i + 1}`, 'alice@customer.test', 'wrong-password')))).toEqual([
      ...Array(limits.accountMaxFailures).fill(401),
      ...Array(3).fill(429),
    ]);
    // the refused attempts were not counted: the address has used only its tries
    const row = await t.db.selectFrom('login_throttle').select('failures').where('key', '=', 'ip:10.0.16.1').executeTakeFirstOrThrow();
    expect(row.failures).toBe(limits.accountAddressMaxFailures);
  });

  it('S8: IPv6 addresses count by their /64, IPv4-mapped ones as IPv4', async () => {
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:abcd:1234:5678:9abc']) {
      expect((await customer(ip, 'alice@customer.test', 'wrong-password')).statusCode).toBe(401);
    }
    expect((await customer('2001:db8:1:2:ffff::99', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(429);
    expect((await customer('2001:db8:1:3::1', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < limits.accountAddressMaxFailures; i++) await customer('::ffff:10.0.13.1', 'alice@customer.test', 'wrong-password');
    expect((await customer('10.0.13.1', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(429);
  });

  it('S8: a successful login forgets the failures of that address, not the account’s count over all addresses', async () => {
    const ip = '10.0.6.1';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < limits.accountAddressMaxFailures - 1; i++) {
        expect((await staff(ip, 'admin@globex.test', 'wrong-password')).statusCode).toBe(401);
      }
      expect((await staff(ip, 'admin@globex.test', DEMO_PASSWORD)).statusCode).toBe(200);
    }
    const rows = await t.db.selectFrom('login_throttle').select(['key', 'failures']).where('key', 'like', 'acct:staff:admin@globex.test%').execute();
    expect(rows).toEqual([{ key: 'acct:staff:admin@globex.test', failures: 3 * (limits.accountAddressMaxFailures - 1) }]);
  });

  it('S8: a completed password reset lifts the account’s ceiling and the lock of the address it came from, not other addresses’', async () => {
    const acme = await findSiteBySlug(t.db, 'acme');
    const email = 'bob@customer.test';
    const fail = (ip: string) => customer(ip, email, 'wrong-password');
    // two addresses guess until refused, others once each, until the account reaches its ceiling
    const perAddress = limits.accountAddressMaxFailures;
    const once = limits.accountMaxFailures - 2 * perAddress;
    expect(await statuses(Array.from({ length: perAddress }, () => () => fail('10.0.14.1')))).toEqual(Array(perAddress).fill(401));
    expect(await statuses(Array.from({ length: perAddress }, () => () => fail('10.0.14.2')))).toEqual(Array(perAddress).fill(401));
    expect(await statuses(Array.from({ length: once }, (_, i) => () => fail(`10.0.14.${i + 3}`)))).toEqual(Array(once).fill(401));
    expect((await customer('10.0.14.200', email, DEMO_PASSWORD)).statusCode).toBe(429);

    const token = 'reset-token-for-the-throttle-test-0123456789';
    await t.db
      .insertInto('one_time_tokens')
      .values({
        id: randomUUID(), token_hash: hashSecret(token), account_id: await accountIdOf(t.db, email, 'acme'), site_id: acme!.id,
        purpose: 'password_reset', expires_at: new Date(Date.now() + 3600_000),
      })
      .execute();
    const done = await t.app.inject({
      method: 'POST',
      url: '/s/acme/api/portal/password-reset/complete',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.14.1' },
      payload: JSON.stringify({ token, password: 'a-brand-new-secret-9' }),
    });
    expect(done.statusCode).toBe(204);
    expect((await customer('10.0.14.1', email, 'a-brand-new-secret-9')).statusCode).toBe(200);
    expect((await customer('10.0.14.201', email, 'a-brand-new-secret-9')).statusCode).toBe(200);
    expect((await customer('10.0.14.2', email, 'a-brand-new-secret-9')).statusCode).toBe(429);
  });

  it('S8: a lock ends with its window', async () => {
    for (let i = 0; i < limits.accountAddressMaxFailures; i++) await staff('10.0.7.1', 'agent@acme.test', 'wrong-password');
    expect((await staff('10.0.7.1', 'agent@acme.test', DEMO_PASSWORD)).statusCode).toBe(429);
    await t.db
      .updateTable('login_throttle')
      .set({ locked_until: new Date(Date.now() - 1000), window_start: new Date(Date.now() - 16 * 60_000) })
      .where('key', '=', 'acct:staff:agent@acme.test|10.0.7.1')
      .execute();
    expect((await staff('10.0.7.1', 'agent@acme.test', DEMO_PASSWORD)).statusCode).toBe(200);
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
    const erin = await accountIdOf(t.db, 'erin@customer.test', 'globex');
    await t.db
      .insertInto('login_known_addresses')
      .values([
        { account_id: erin, address: '10.0.15.1', last_login_at: new Date(Date.now() - 31 * day) },
        { account_id: erin, address: '10.0.15.2', last_login_at: new Date(Date.now() - 29 * day) },
      ])
      .execute();
    await pruneThrottle(t.db, 30);
    const keys = (await t.db.selectFrom('login_throttle').select('key').where('key', 'like', '%@x.test').orderBy('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['acct:staff:old-locked@x.test', 'acct:staff:recent@x.test']);
    const known = await t.db.selectFrom('login_known_addresses').select('address').where('account_id', '=', erin).where('address', 'like', '10.0.15.%').execute();
    expect(known).toEqual([{ address: '10.0.15.2' }]);
  });
});
