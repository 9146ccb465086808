import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { hashSecret } from '../../src/domain/secrets.js';
import { TEST_DB_KIND } from '../support/db.js';
import { startBackgroundWork } from '../../src/jobs/index.js';
import { as, accountIdOf, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';

// Sessions and tokens on the server side: cookie attributes, what the database keeps, when an id
// changes, and when a session ends. Timeouts are short here (30 minutes idle, 2 hours absolute) and
// time is moved forward by moving a session's timestamps back: the server compares them with the
// database clock on every request.

const IDLE_MINUTES = 30;
const ABSOLUTE_HOURS = 2;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { sessionIdleMinutes: IDLE_MINUTES, sessionAbsoluteHours: ABSOLUTE_HOURS } });
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const idHashOf = (s: Session) => hashSecret(s.cookie.slice(s.cookie.indexOf('=') + 1));
const staffSession = (s: Session) => t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } });
const customerSession = (s: Session, site = 'acme') => t.app.inject({ method: 'GET', url: `/s/${site}/api/portal/session`, headers: { cookie: s.cookie } });

function setCookies(res: LightMyRequestResponse): string[] {
  const h = res.headers['set-cookie'];
  return Array.isArray(h) ? h : h === undefined ? [] : [String(h)];
}

/** Moves the clock forward for one session: everything it stored happened `minutes` earlier. */
async function advanceClock(s: Session, minutes: number) {
  const back = sql<Date>`make_interval(mins => ${minutes})`;
  await t.db
    .updateTable('sessions')
    .set({
      created_at: sql<Date>`created_at - ${back}`,
      last_seen_at: sql<Date>`last_seen_at - ${back}`,
      idle_expires_at: sql<Date>`idle_expires_at - ${back}`,
      absolute_expires_at: sql<Date>`absolute_expires_at - ${back}`,
    })
    .where('id_hash', '=', idHashOf(s))
    .execute();
}

describe('session cookies', () => {
  it('S1: cookies are Secure whenever the public URL is https, without PORTICO_SECURE_COOKIES; a forged X-Forwarded-Proto does not mark them', async () => {
    const https = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, publicUrl: 'https://help.example.com', secureCookies: false } });
    try {
      const staff = await https.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: JSON.stringify({ email: 'agent@acme.test', password: DEMO_PASSWORD }) });
      const customer = await https.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email: 'bob@customer.test', password: DEMO_PASSWORD }) });
      const logout = await https.inject({
        method: 'POST', url: '/api/auth/logout', headers: { cookie: `portico_sid=${staff.cookies[0].value}`, 'x-csrf-token': staff.json().csrfToken },
      });
      for (const [what, res] of Object.entries({ staff, customer, logout })) {
        const [cookie] = setCookies(res);
        expect(cookie, what).toMatch(/; Secure(;|$)/);
        expect(cookie, what).toMatch(/; HttpOnly(;|$)/);
        expect(cookie, what).toMatch(/; SameSite=Lax(;|$)/);
        expect(cookie, what).not.toMatch(/Domain=/i);
      }
    } finally {
      await https.close();
    }
    // on the http public URL, without a trusted proxy, X-Forwarded-Proto is the client's word only
    const forged = await t.app.inject({
      method: 'POST', url: '/api/auth/login', headers: { ...json, 'x-forwarded-proto': 'https' }, payload: JSON.stringify({ email: 'agent@acme.test', password: DEMO_PASSWORD }),
    });
    expect(forged.statusCode).toBe(200);
    expect(setCookies(forged)[0]).not.toMatch(/Secure/);
  });
});

describe('session ids and tokens', () => {
  it('S2: session ids, CSRF tokens, API tokens and reset tokens are 256 random bits, and the database keeps only their SHA-256', async () => {
    const staff = await loginStaff(t.app, 'admin@acme.test');
    const customer = await loginCustomer(t.app, 'acme', 'carol@customer.test');
    const created = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: { ...as(staff), ...json }, payload: JSON.stringify({ label: 'S2' }) });
    expect(created.statusCode).toBe(201);
    const apiToken: string = created.json().token;
    await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', headers: json, payload: JSON.stringify({ email: 'carol@customer.test' }) });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    const mail = await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'carol@customer.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const resetToken = new URL(/(https?:\/\/\S+reset-password\?token=\S+)/.exec(mail.body)![1]).searchParams.get('token')!;

    const sessionIds = [staff, customer].map((s) => s.cookie.slice(s.cookie.indexOf('=') + 1));
    const secrets = [...sessionIds, apiToken, resetToken];
    expect(apiToken).toMatch(/^ptc_/); // a recognizable prefix (secret scanners), then the secret
    for (const secret of [...sessionIds, apiToken.slice('ptc_'.length), resetToken, staff.csrfToken, customer.csrfToken]) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
    expect(new Set([...secrets, staff.csrfToken, customer.csrfToken]).size).toBe(6);

    // each is found by its hash...
    for (const id of sessionIds) expect(await t.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashSecret(id)).executeTakeFirst()).toBeDefined();
    expect(await t.db.selectFrom('api_tokens').select('id').where('token_hash', '=', hashSecret(apiToken)).executeTakeFirst()).toBeDefined();
    expect(await t.db.selectFrom('one_time_tokens').select('id').where('token_hash', '=', hashSecret(resetToken)).executeTakeFirst()).toBeDefined();
    // ...and no row of any table holds one in the clear (the reset token is, by design, in the mail
    // waiting in the outbox, and nowhere else)
    const tables = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(t.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['sessions', 'api_tokens', 'one_time_tokens']));
    for (const { table_name: table } of tables.rows) {
      for (const secret of secrets) {
        if (table === 'outbox' && secret === resetToken) continue;
        const found = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} AS r WHERE strpos(r::text, ${secret}) > 0`.execute(t.db);
        expect(Number(found.rows[0].n), `${table} holds a raw secret`).toBe(0);
      }
    }
  });
});

describe('session id changes', () => {
  it('S3: login never adopts a session id the browser already carried: an unknown planted id stays unknown, a planted live one is ended', async () => {
    // a value an attacker chose and planted in the victim's browser
    const planted = 'A'.repeat(43);
    const login = await t.app.inject({
      method: 'POST', url: '/api/auth/login', headers: { ...json, cookie: `portico_sid=${planted}` },
      payload: JSON.stringify({ email: 'admin@acme.test', password: DEMO_PASSWORD }),
    });
    expect(login.statusCode).toBe(200);
    const issued = login.cookies.find((c) => c.name === 'portico_sid')!.value;
    expect(issued).not.toBe(planted);
    expect((await staffSession({ cookie: `portico_sid=${planted}`, csrfToken: '', accountId: '' })).statusCode).toBe(401);

    // the attacker's own live session planted in the victim's browser: the victim's login replaces it,
    // so the attacker's copy of that cookie does not become the victim's session
    const attackers = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const victim = await t.app.inject({
      method: 'POST', url: '/s/acme/api/portal/login', headers: { ...json, cookie: attackers.cookie },
      payload: JSON.stringify({ email: 'alice@customer.test', password: DEMO_PASSWORD }),
    });
    expect(victim.statusCode).toBe(200);
    const victimId = victim.cookies.find((c) => c.name === 'portico_csid')!.value;
    expect(`portico_csid=${victimId}`).not.toBe(attackers.cookie);
    expect((await customerSession(attackers)).statusCode).toBe(401);
    const mine = await customerSession({ cookie: `portico_csid=${victimId}`, csrfToken: '', accountId: '' });
    expect(mine.json().account.email).toBe('alice@customer.test');
  });

  it('S3: a change of account in one browser is a new session id; privileges are read per request, never carried by a session', async () => {
    const agent = await loginStaff(t.app, 'agent@acme.test');
    const agentId = agent.accountId;
    // becoming an org admin (logging in as one) in the same browser: a new id, the agent's is ended
    const res = await t.app.inject({
      method: 'POST', url: '/api/auth/login', headers: { ...json, cookie: agent.cookie }, payload: JSON.stringify({ email: 'admin@acme.test', password: DEMO_PASSWORD }),
    });
    expect(res.cookies[0].value).not.toBe(agent.cookie.split('=')[1]);
    expect((await staffSession(agent)).statusCode).toBe(401);

    // a role granted or removed out of band applies to the next request of an existing session:
    // no session keeps privileges its account no longer has
    const sam = await loginStaff(t.app, 'agent@acme.test');
    const list = () => t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers', headers: { cookie: sam.cookie } });
    expect((await list()).statusCode).toBe(403);
    const acme = await t.db.selectFrom('sites').select(['id', 'org_id']).where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await t.db.insertInto('org_admins').values({ org_id: acme.org_id, account_id: agentId }).execute();
    expect((await list()).statusCode).toBe(200);
    await t.db.deleteFrom('org_admins').where('account_id', '=', agentId).execute();
    expect((await list()).statusCode).toBe(403);
  });
});

describe('timeouts', () => {
  it('S5: an unused session ends after the idle timeout; every request pushes the timeout back (clock moved forward)', async () => {
    const s = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    await advanceClock(s, IDLE_MINUTES - 2);
    expect((await customerSession(s)).statusCode).toBe(200);
    await advanceClock(s, IDLE_MINUTES - 2); // 56 minutes after login: alive because it was used at 28
    expect((await customerSession(s)).statusCode).toBe(200);
    await advanceClock(s, IDLE_MINUTES + 1);
    expect((await customerSession(s)).statusCode).toBe(401);
    // and it stays refused: a refused request does not revive it
    expect((await customerSession(s)).statusCode).toBe(401);
  });

  it('S5: a session in constant use still ends at the absolute timeout', async () => {
    const s = await loginStaff(t.app, 'agent@acme.test');
    let elapsed = 0;
    while (elapsed + 20 < ABSOLUTE_HOURS * 60) {
      await advanceClock(s, 20);
      elapsed += 20;
      expect((await staffSession(s)).statusCode, `${elapsed} minutes after login`).toBe(200);
    }
    await advanceClock(s, 20); // past the absolute lifetime, 20 minutes after the last request
    expect((await staffSession(s)).statusCode).toBe(401);
  });

  it('S5: a running server deletes expired sessions — idle or past their absolute lifetime — and keeps every live one, however old', async () => {
    const live = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const idle = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const old = await loginStaff(t.app, 'agent@acme.test');
    await advanceClock(live, IDLE_MINUTES - 2);
    await advanceClock(idle, IDLE_MINUTES + 1);
    // used a minute ago, so its idle timeout is far off, but its absolute lifetime ended a minute ago
    await t.db.updateTable('sessions').set({ absolute_expires_at: sql<Date>`now() - interval '1 minute'` }).where('id_hash', '=', idHashOf(old)).execute();
    const kept = (s: Session) => t.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', idHashOf(s)).executeTakeFirst();
    expect(await kept(idle)).toBeDefined();
    expect(await kept(old)).toBeDefined();

    const work = await startBackgroundWork(t.database, { ...t.config, jobPollSeconds: 0.5 });
    try {
      work.startMailboxPolling('http://localhost:80'); // offers the sweeps, the sessions' once now
      await vi.waitFor(async () => {
        expect(await kept(idle)).toBeUndefined();
        expect(await kept(old)).toBeUndefined();
      }, { timeout: 30_000, interval: 100 });
    } finally {
      await work.stop();
    }
    expect(await kept(live)).toBeDefined();
    expect((await customerSession(live)).statusCode).toBe(200);
  });

  it('S5: the idle timeout is each app\'s own setting: two apps in one process slide sessions by their own', async () => {
    const other = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, sessionIdleMinutes: IDLE_MINUTES * 3 } });
    try {
      const minutesLeftAfterTouch = async (app: typeof t.app) => {
        const s = await loginStaff(t.app, 'agent@acme.test');
        await advanceClock(s, 5); // due for its once-a-minute touch
        expect((await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } })).statusCode).toBe(200);
        const row = await t.db.selectFrom('sessions').select(['idle_expires_at']).where('id_hash', '=', idHashOf(s)).executeTakeFirstOrThrow();
        const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(t.db);
        return (new Date(row.idle_expires_at).getTime() - new Date(rows[0].now).getTime()) / 60_000;
      };
      // the second app was built last: with a process-wide setting, both would slide by its 90 minutes
      expect(await minutesLeftAfterTouch(t.app)).toBeLessThanOrEqual(IDLE_MINUTES);
      expect(await minutesLeftAfterTouch(other)).toBeGreaterThan(IDLE_MINUTES * 3 - 1);
      expect(await minutesLeftAfterTouch(t.app)).toBeGreaterThan(IDLE_MINUTES - 1);
    } finally {
      await other.close();
    }
  });

  // PGlite runs inside the app's process and reads the same clock: only a separate database server
  // can disagree with an app server about the time.
  it.skipIf(TEST_DB_KIND === 'pglite')('S5: expiry follows the database clock: an app server whose clock is hours off neither ends nor stretches a session', async () => {
    for (const offHours of [-6, 6]) {
      const s = await loginStaff(t.app, 'siteadmin@globex.test');
      await advanceClock(s, 5); // due for its once-a-minute touch
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + offHours * 3600_000 });
      try {
        expect((await staffSession(s)).statusCode).toBe(200); // a request on the server with the wrong clock
      } finally {
        vi.useRealTimers();
      }
      const row = await t.db.selectFrom('sessions').select(['idle_expires_at']).where('id_hash', '=', idHashOf(s)).executeTakeFirstOrThrow();
      const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(t.db);
      const minutesLeft = (new Date(row.idle_expires_at).getTime() - new Date(rows[0].now).getTime()) / 60_000;
      expect(minutesLeft, `app clock ${offHours} h off`).toBeGreaterThan(IDLE_MINUTES - 1);
      expect(minutesLeft, `app clock ${offHours} h off`).toBeLessThanOrEqual(IDLE_MINUTES);
    }
  });
});

describe('password changes', () => {
  it('S6: completing a password reset ends every session of the account, in every browser, and no one else\'s', async () => {
    const [browserA, browserB] = [await loginCustomer(t.app, 'globex', 'erin@customer.test'), await loginCustomer(t.app, 'globex', 'erin@customer.test')];
    const other = await loginCustomer(t.app, 'globex', 'alice@customer.test');
    await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/password-reset', headers: json, payload: JSON.stringify({ email: 'erin@customer.test' }) });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    const mail = await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'erin@customer.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const token = new URL(/(https?:\/\/\S+reset-password\?token=\S+)/.exec(mail.body)![1]).searchParams.get('token')!;
    const done = await t.app.inject({
      method: 'POST', url: '/s/globex/api/portal/password-reset/complete', headers: json, payload: JSON.stringify({ token, password: 'Orange-Lantern-Fjord-3' }),
    });
    expect(done.statusCode).toBe(204);
    expect((await customerSession(browserA, 'globex')).statusCode).toBe(401);
    expect((await customerSession(browserB, 'globex')).statusCode).toBe(401);
    expect((await customerSession(other, 'globex')).statusCode).toBe(200);
    const erinId = await accountIdOf(t.db, 'erin@customer.test', 'globex');
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', erinId).execute()).toEqual([]);
  });
});
