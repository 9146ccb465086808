import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, accountIdOf, as, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { insertCustomer } from '../../src/db/queries/customers.js';
import { hashPassword } from '../../src/domain/passwords.js';
import { hashSecret } from '../../src/domain/secrets.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { StatementLog } from '../support/statement-log.js';

// Sign-up with verification, invitations and one account per email (docs/product.md#signup), on
// the database PORTICO_TEST_DB names. Globex's SUP is an open project, Acme's HELP a restricted one.

let t: TestApp;
let greta: Session; // org admin of Globex
let ada: Session; // org admin of Acme
let sam: Session; // agent of HELP (acme)
let supId: string;
let askId: string;
beforeAll(async () => {
  // the race below sends many sign-ups from one address for one email: the throttle has its own test
  t = await createTestApp({ config: { signupThrottle: { perAddress: 1000, perEmail: 1000 } } });
  console.log(`database: ${t.database.label}`);
  greta = await loginStaff(t.app, 'admin@globex.test');
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  supId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'SUP').executeTakeFirstOrThrow()).id);
  askId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Ask a question').executeTakeFirstOrThrow()).id);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const ACCEPTED = { message: 'Check your mail: we sent a link to confirm your email address and choose a password.' };

async function signUp(site: string, email: string, displayName = 'New Person', remoteAddress = '203.0.113.7') {
  const res = await t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/signup`, headers: json, payload: JSON.stringify({ email, displayName }), remoteAddress });
  await t.app.afterResponse.idle();
  return res;
}
function setPassword(site: string, token: string, password: string) {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/set-password`, headers: json, payload: JSON.stringify({ token, password }) });
}
function login(site: string, email: string, password: string) {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/login`, headers: json, payload: JSON.stringify({ email, password }) });
}
function putSettings(site: string, who: Session, body: { customerSignup?: boolean; domains?: string[]; invitationDays?: number; loginRequired?: boolean }) {
  return t.app.inject({ method: 'PUT', url: `/api/admin/sites/${site}/signup-settings`, headers: { ...as(who), ...json }, payload: JSON.stringify(body) });
}
function invite(site: string, project: string, who: Session, emails: string[]) {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/agent/projects/${project}/invitations`, headers: { ...as(who), ...json }, payload: JSON.stringify({ emails }) });
}
const mailsTo = (to: string) => t.db.selectFrom('outbox').selectAll().where(sql<string>`lower(to_address)`, '=', to.toLowerCase()).orderBy('id').execute();
async function linkIn(to: string): Promise<{ token: string; url: URL; subject: string; body: string }> {
  const mails = await mailsTo(to);
  const mail = mails.at(-1);
  expect(mail, `a mail to ${to}`).toBeDefined();
  const match = /(https?:\/\/\S+\/set-password\?token=\S+)/.exec(mail!.body);
  expect(match, mail!.body).not.toBeNull();
  const url = new URL(match![1]);
  return { token: url.searchParams.get('token')!, url, subject: mail!.subject, body: mail!.body };
}
const accountsWith = (site: string, email: string) =>
  t.db
    .selectFrom('accounts')
    .innerJoin('sites', 'sites.id', 'accounts.site_id')
    .select(['accounts.account_id', 'accounts.email', 'accounts.status', 'accounts.password_hash'])
    .where('sites.slug', '=', site)
    .where('accounts.email_lower', '=', email.toLowerCase())
    .execute();

describe('sign-up settings', () => {
  it('sign-up is off until an admin of the site turns it on; others get 403 or 404', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/s/globex/api/portal/signup' })).json()).toEqual({ customerSignup: false, loginRequired: true });
    const closed = await signUp('globex', 'stranger@example.test');
    expect(closed.statusCode).toBe(403);
    expect(closed.json().errorMessages[0]).toMatch(/does not take sign-ups/);
    expect(await accountsWith('globex', 'stranger@example.test')).toEqual([]);

    const read = await t.app.inject({ method: 'GET', url: '/api/admin/sites/globex/signup-settings', headers: as(greta) });
    expect(read.json()).toEqual({ customerSignup: false, domains: [], invitationDays: 7, loginRequired: true });
    // Ada administers Acme only; Sam is an agent, not an admin
    expect((await putSettings('globex', ada, { customerSignup: true, domains: [], invitationDays: 7 })).statusCode).toBe(404);
    expect((await putSettings('acme', sam, { customerSignup: true, domains: [], invitationDays: 7 })).statusCode).toBe(403);
    const bad = await putSettings('globex', greta, { customerSignup: true, domains: ['not a domain!'], invitationDays: 7 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.domains).toMatch(/not an email domain/);

    const saved = await putSettings('globex', greta, { customerSignup: true, domains: ['@Example.TEST', 'globex.test'], invitationDays: 7 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ customerSignup: true, domains: ['example.test', 'globex.test'], invitationDays: 7, loginRequired: true });
    expect((await t.app.inject({ method: 'GET', url: '/s/globex/api/portal/signup' })).json()).toEqual({ customerSignup: true, loginRequired: true });
    // saving the same again writes no second event
    await putSettings('globex', greta, { customerSignup: true, domains: ['example.test', 'globex.test'], invitationDays: 7 });
    const events = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'site.signup_settings.changed').execute();
    expect(events).toHaveLength(1);
  });

  it('sign-up is limited to the listed domains (exactly, not their subdomains)', async () => {
    for (const email of ['someone@elsewhere.test', 'someone@sub.example.test']) {
      const res = await signUp('globex', email);
      expect(res.statusCode, email).toBe(400);
      expect(res.json().errors.email).toMatch(/limited to email addresses of certain domains/);
      expect(await accountsWith('globex', email)).toEqual([]);
    }
  });
});

describe('sign-up with verification', () => {
  it('S13: a stranger signs up, cannot log in before verifying, sets a password from the link, is logged in and raises a request on the open portal', async () => {
    const before = await t.db.selectFrom('audit_events').select('id').where('action', '=', 'customer.signed_up').execute();
    const res = await signUp('globex', 'Stranger@Example.test', 'Stan Stranger');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(ACCEPTED);
    const [account] = await accountsWith('globex', 'stranger@example.test');
    expect(account).toMatchObject({ email: 'Stranger@Example.test', status: 'active', password_hash: null });

    // before verifying nobody finds them in a picker
    const erin = await loginCustomer(t.app, 'globex', 'erin@customer.test');
    const pick = async () => {
      // the site's staff pick from every active customer (customers only within their circle)
      const res = await t.app.inject({ method: 'GET', url: '/s/globex/api/users/picker?query=stan', headers: as(greta) });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    expect(JSON.stringify(await pick())).not.toContain('Stan Stranger');
    // before verifying there is no password to log in with: every guess is a wrong password
    for (const password of ['', 'portico-demo', 'Stan Stranger']) {
      const r = await login('globex', 'stranger@example.test', password || 'x');
      expect(r.statusCode).toBe(401);
    }

    const mail = await linkIn('Stranger@Example.test');
    expect(mail.subject).toBe('Confirm your email for the Globex Service Desk help center');
    expect(mail.url.origin + mail.url.pathname).toBe('http://localhost/s/globex/servicedesk/customer/user/set-password');
    const stored = await t.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', account.account_id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ purpose: 'verification', token_hash: hashSecret(mail.token) });
    const hours = (new Date(stored.expires_at).getTime() - new Date(stored.created_at).getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(24, 1);

    const check = await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/set-password/check', headers: json, payload: JSON.stringify({ token: mail.token }) });
    expect(check.json()).toEqual({ purpose: 'verification', email: 'Stranger@Example.test', displayName: 'Stan Stranger' });
    // the password rules apply, and a refused password does not use up the link
    expect((await setPassword('globex', mail.token, 'short')).statusCode).toBe(400);
    // the link is of its own site only
    expect((await setPassword('acme', mail.token, 'stan-chooses-well-7')).json().errorMessages).toEqual(['This link is no longer valid.']);

    const done = await setPassword('globex', mail.token, 'stan-chooses-well-7');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ accountId: account.account_id, displayName: 'Stan Stranger' });
    const cookie = done.cookies.find((c) => c.name === 'portico_csid');
    expect(cookie?.path).toBe('/s/globex');
    expect(cookie?.httpOnly).toBe(true);
    expect(done.headers['cache-control']).toBe('no-store');
    const stan = { cookie: `portico_csid=${cookie!.value}`, csrfToken: done.json().csrfToken as string, accountId: account.account_id };

    // verified: now a person others may pick
    expect(JSON.stringify(await pick())).toContain('Stan Stranger');
    // signed in: the open portal is theirs to use
    const portals = await t.app.inject({ method: 'GET', url: '/s/globex/api/portal/portals', headers: as(stan) });
    expect(portals.json().values.map((p: { name: string }) => p.name)).toContain('Globex Support');
    const raised = await t.app.inject({
      method: 'POST', url: '/s/globex/api/portal/requests', headers: { ...as(stan), ...json },
      payload: JSON.stringify({ projectId: supId, requestTypeId: askId, fields: { summary: 'My first question' } }),
    });
    expect(raised.statusCode).toBe(201);

    // the link worked once; the password logs in from now on
    expect((await setPassword('globex', mail.token, 'another-choice-8')).json().errorMessages).toEqual(['This link is no longer valid.']);
    expect((await login('globex', 'STRANGER@example.test', 'stan-chooses-well-7')).statusCode).toBe(200);

    const after = await t.db.selectFrom('audit_events').selectAll().where('target_id', '=', account.account_id).orderBy('id').execute();
    expect(after.map((e) => e.action)).toEqual(['customer.signed_up', 'customer.signup.verified']);
    expect(after.map((e) => e.actor_id)).toEqual([account.account_id, account.account_id]);
    expect(after[0].details).toMatchObject({ via: 'signup', email: 'Stranger@Example.test' });
    expect(before).toHaveLength(0);
  });

  it('S13: an expired verification link is refused, and signing up again mails a fresh one', async () => {
    await signUp('globex', 'late@example.test', 'Lena Late');
    const first = await linkIn('late@example.test');
    await t.db.updateTable('one_time_tokens').set({ expires_at: sql<Date>`now() - interval '1 minute'` }).where('token_hash', '=', hashSecret(first.token)).execute();
    const expired = await setPassword('globex', first.token, 'lena-is-late-9');
    expect(expired.statusCode).toBe(400);
    expect(expired.json().errorMessages).toEqual(['This link is no longer valid.']);
    const check = await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/set-password/check', headers: json, payload: JSON.stringify({ token: first.token }) });
    expect(check.statusCode).toBe(400);

    const again = await signUp('globex', 'LATE@example.test', 'Lena Late');
    expect(again.json()).toEqual(ACCEPTED);
    expect(await accountsWith('globex', 'late@example.test')).toHaveLength(1);
    const second = await linkIn('late@example.test');
    expect(second.token).not.toBe(first.token);
    expect((await setPassword('globex', second.token, 'lena-is-late-9')).statusCode).toBe(200);
  });

  it('S11: sign-up answers the same for a new, an existing, an unverified and a revoked address; an existing customer is told to reset, a revoked one gets nothing', async () => {
    const globex = await t.db.selectFrom('sites').select(['id']).where('slug', '=', 'globex').executeTakeFirstOrThrow();
    expect((await putSettings('globex', greta, { customerSignup: true, domains: ['example.test', 'globex.test'], invitationDays: 7 })).statusCode).toBe(200);
    // Globex's sign-up is limited to example.test and globex.test: these customers are of those domains
    const hash = await hashPassword('known-password-1');
    await insertCustomer(t.db, { siteId: globex.id, email: 'kim@globex.test', displayName: 'Kim Known', passwordHash: hash });
    const rex = await insertCustomer(t.db, { siteId: globex.id, email: 'rex@globex.test', displayName: 'Rex Revoked', passwordHash: hash });
    await t.db.updateTable('accounts').set({ status: 'revoked', revoked_at: new Date() }).where('account_id', '=', rex).execute();

    const answers = [];
    for (const email of ['brand-new@globex.test', 'KIM@globex.test', 'rex@globex.test', 'brand-new@globex.test']) {
      const res = await signUp('globex', email, 'Someone');
      answers.push({ status: res.statusCode, body: res.body, cookie: res.headers['set-cookie'] });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 202, body: JSON.stringify(ACCEPTED) });

    const kim = await mailsTo('kim@globex.test');
    expect(kim).toHaveLength(1);
    expect(kim[0].subject).toBe('You already have an account for the Globex Service Desk help center');
    expect(kim[0].body).toMatch(/^http:\/\/localhost(:80)?\/s\/globex\/servicedesk\/customer\/user\/forgot-password$/m);
    expect(kim[0].body).not.toMatch(/token=/);
    // Kim's account is untouched: name, password
    expect((await login('globex', 'kim@globex.test', 'known-password-1')).statusCode).toBe(200);
    const [kimRow] = await t.db.selectFrom('accounts').select('display_name').where('email_lower', '=', 'kim@globex.test').execute();
    expect(kimRow.display_name).toBe('Kim Known');

    expect(await mailsTo('rex@globex.test')).toEqual([]);
    expect(await t.db.selectFrom('one_time_tokens').select('id').where('account_id', '=', rex).execute()).toEqual([]);
    expect((await t.db.selectFrom('accounts').select('status').where('account_id', '=', rex).executeTakeFirstOrThrow()).status).toBe('revoked');

    // the address nobody had: one account, and the second sign-up (still unverified) got a fresh link
    expect(await accountsWith('globex', 'brand-new@globex.test')).toHaveLength(1);
    expect(await mailsTo('brand-new@globex.test')).toHaveLength(2);
  });

  it('S11: before its answer, a sign-up does the same database work for a new, an existing and a revoked address; the look-up, the account and the mail come after it', async () => {
    // globex takes sign-ups from its own domain (as the tests before leave it, so it runs alone too)
    expect((await putSettings('globex', greta, { customerSignup: true, domains: ['example.test', 'globex.test'], invitationDays: 7 })).statusCode).toBe(200);
    const statements = new StatementLog();
    // the site cache's clock stands still, so the site is read by the first request only, and the
    // three compared here read it from memory alike (db/queries/site-cache.ts)
    const app = await buildApp({ db: t.db.withPlugin(statements), mailer: createOutboxMailer(), config: t.config }, { siteCacheClock: () => 0 });
    await app.ready();
    try {
      await app.inject({ method: 'GET', url: '/s/globex/api/portal/signup' });
      const untilAnswer: Record<string, string[]> = {};
      for (const email of ['kim@globex.test', 'rex@globex.test', 'another-new@globex.test']) {
        statements.entries = [];
        const res = await app.inject({ method: 'POST', url: '/s/globex/api/portal/signup', headers: json, payload: JSON.stringify({ email, displayName: 'Someone' }), remoteAddress: '203.0.113.50' });
        expect(res.statusCode).toBe(202);
        untilAnswer[email] = statements.entries.map((e) => `${e.kind} ${e.tables.join(',')}`); // as the answer arrives: the work after it has not started
        await app.afterResponse.idle();
      }
      expect(untilAnswer['rex@globex.test']).toEqual(untilAnswer['kim@globex.test']);
      expect(untilAnswer['another-new@globex.test']).toEqual(untilAnswer['kim@globex.test']);
      // before the answer: the caller's resolution (one raw statement), the site's settings and the
      // throttle counts — nothing that reads or writes an account, a token or a mail
      const beforeAnswer = untilAnswer['kim@globex.test'];
      expect(beforeAnswer.filter((q) => !q.startsWith('RawNode')).some((q) => /accounts|one_time_tokens|outbox/.test(q))).toBe(false);
      expect(await accountsWith('globex', 'another-new@globex.test')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('R7: a verification link issued before a revoke is refused after it, and after a grant', async () => {
    await signUp('globex', 'vera@example.test', 'Vera Verify');
    const { token } = await linkIn('vera@example.test');
    const [vera] = await accountsWith('globex', 'vera@example.test');
    const url = `/api/admin/sites/globex/customers/${encodeURIComponent(vera.account_id)}`;
    expect((await t.app.inject({ method: 'POST', url: `${url}/revoke`, headers: as(greta) })).statusCode).toBeLessThan(300);
    expect((await setPassword('globex', token, 'vera-verifies-3')).json().errorMessages).toEqual(['This link is no longer valid.']);
    expect((await t.app.inject({ method: 'POST', url: `${url}/grant`, headers: as(greta) })).statusCode).toBeLessThan(300);
    expect((await setPassword('globex', token, 'vera-verifies-3')).json().errorMessages).toEqual(['This link is no longer valid.']);
  });

  it('a never-verified account stays out of the pickers through a revoke and a grant and a rename, and joins them once a reset link proves the address', async () => {
    expect((await putSettings('globex', greta, { customerSignup: true, domains: [], invitationDays: 7 })).statusCode).toBe(200);
    await signUp('globex', 'nora@example.test', 'Nora Neververified');
    const [nora] = await accountsWith('globex', 'nora@example.test');
    const url = `/api/admin/sites/globex/customers/${encodeURIComponent(nora.account_id)}`;
    const offered = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/s/globex/api/users/picker?query=nora', headers: as(greta) });
      expect(res.statusCode).toBe(200);
      return (res.json().users as Array<{ accountId: string }>).some((u) => u.accountId === nora.account_id);
    };
    expect(await offered()).toBe(false);
    expect((await t.app.inject({ method: 'POST', url: `${url}/revoke`, headers: as(greta) })).statusCode).toBeLessThan(300);
    expect((await t.app.inject({ method: 'POST', url: `${url}/grant`, headers: as(greta) })).statusCode).toBeLessThan(300);
    expect(await offered()).toBe(false);
    const renamed = await t.app.inject({ method: 'PUT', url: `${url}/name`, headers: { ...as(greta), ...json }, payload: JSON.stringify({ displayName: 'Nora Renamed' }) });
    expect(renamed.statusCode, renamed.body).toBeLessThan(300);
    expect(await offered()).toBe(false);

    // the grant ended the verification link; a password reset mails a new one, which proves the address
    await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/password-reset', headers: json, payload: JSON.stringify({ email: 'nora@example.test' }) });
    await t.app.afterResponse.idle();
    const mail = (await mailsTo('nora@example.test')).at(-1)!;
    const token = new URL(/(https?:\/\/\S+reset-password\?token=\S+)/.exec(mail.body)![1]).searchParams.get('token');
    const reset = await t.app.inject({ method: 'POST', url: '/s/globex/api/portal/password-reset/complete', headers: json, payload: JSON.stringify({ token, password: 'nora-verified-9' }) });
    expect(reset.statusCode, reset.body).toBe(204);
    expect(await offered()).toBe(true);
  });

  it('S12: sign-up is throttled per typed email and per address, alike for existing and unknown addresses', async () => {
    const strict = await createTestApp({ config: { signupThrottle: { perAddress: 5, perEmail: 2 } } });
    try {
      const admin = await loginStaff(strict.app, 'admin@globex.test');
      await strict.app.inject({ method: 'PUT', url: '/api/admin/sites/globex/signup-settings', headers: { ...as(admin), ...json }, payload: JSON.stringify({ customerSignup: true, domains: [], invitationDays: 7 }) });
      const send = (email: string, remoteAddress: string) =>
        strict.app.inject({ method: 'POST', url: '/s/globex/api/portal/signup', headers: json, payload: JSON.stringify({ email, displayName: 'X' }), remoteAddress });
      // per email, from different addresses: an existing customer's address and an unknown one alike
      for (const email of ['erin@customer.test', 'nobody-yet@example.test']) {
        const codes = [];
        for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) codes.push((await send(email.toUpperCase(), ip)).statusCode);
        expect(codes, email).toEqual([202, 202, 429]);
      }
      // per address, whatever the email
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await send(`spray${i}@example.test`, '198.51.100.9')).statusCode);
      expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
      const refused = await send('spray-more@example.test', '198.51.100.9');
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.json().errorMessages).toEqual([`Too many sign-ups. Try again in ${Math.ceil(Number(refused.headers['retry-after']) / 60)} minutes.`]);
      await strict.app.afterResponse.idle();
      expect(await strict.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'spray-more@example.test').execute()).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});

describe('invitations', () => {
  it('R14: an agent invites three, one of them revoked: two are mailed a set-password link and added, the revoked one is refused with a clear message and mailed nothing', async () => {
    const daveId = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    const helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
    const daveBefore = await t.db.selectFrom('accounts').selectAll().where('account_id', '=', daveId).executeTakeFirstOrThrow();
    const daveMails = (await mailsTo('dave@customer.test')).length;

    const res = await invite('acme', 'HELP', sam, ['Ivy@Invited.test', 'ian@invited.test', 'dave@customer.test', 'not-an-email', 'ivy@invited.TEST']);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.projectKey).toBe('HELP');
    expect(body.results.map((r: { email: string; outcome: string }) => [r.email, r.outcome])).toEqual([
      ['Ivy@Invited.test', 'invited'],
      ['ian@invited.test', 'invited'],
      ['dave@customer.test', 'revoked'],
      ['not-an-email', 'invalid'],
    ]);
    expect(body.results[2].message).toBe('dave@customer.test cannot be invited: their access to this help center is revoked. An admin can grant it back; nothing was sent.');

    // Dave: nothing mailed, nothing changed, not added, no link
    expect(await mailsTo('dave@customer.test')).toHaveLength(daveMails);
    expect(await t.db.selectFrom('accounts').selectAll().where('account_id', '=', daveId).executeTakeFirstOrThrow()).toEqual(daveBefore);
    expect(await t.db.selectFrom('one_time_tokens').select('id').where('account_id', '=', daveId).where('purpose', '=', 'invitation').execute()).toEqual([]);

    // Ivy and Ian: one account each, on HELP, one invitation mail each, valid for the site's 7 days
    for (const email of ['ivy@invited.test', 'ian@invited.test']) {
      const accounts = await accountsWith('acme', email);
      expect(accounts, email).toHaveLength(1);
      const onHelp = await t.db.selectFrom('project_customers').select('account_id').where('project_id', '=', helpId).where('account_id', '=', accounts[0].account_id).execute();
      expect(onHelp, email).toHaveLength(1);
      expect(await mailsTo(email)).toHaveLength(1);
      const token = await t.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', accounts[0].account_id).executeTakeFirstOrThrow();
      expect(token.purpose).toBe('invitation');
      const days = (new Date(token.expires_at).getTime() - new Date(token.created_at).getTime()) / 86_400_000;
      expect(days).toBeCloseTo(7, 2);
    }
    const mail = await linkIn('ian@invited.test');
    expect(mail.subject).toBe('You are invited to the Acme Support help center');
    expect(mail.body).toContain('Sam Agent invited you');

    const ivy = (await accountsWith('acme', 'ivy@invited.test'))[0].account_id;
    const actions = await t.db.selectFrom('audit_events').select(['action', 'actor_id']).where('target_id', '=', ivy).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['customer.created', 'customer.invited', 'project.customer.added']);
    expect(new Set(actions.map((a) => a.actor_id))).toEqual(new Set([sam.accountId]));
  });

  it('an invited customer sets a password from the link, is logged in and sees the restricted portal; the link then is dead', async () => {
    const { token } = await linkIn('ian@invited.test');
    const check = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/set-password/check', headers: json, payload: JSON.stringify({ token }) });
    expect(check.json()).toEqual({ purpose: 'invitation', email: 'ian@invited.test', displayName: 'ian@invited.test' });
    const done = await setPassword('acme', token, 'ian-was-invited-4');
    expect(done.statusCode).toBe(200);
    const cookie = done.cookies.find((c) => c.name === 'portico_csid')!;
    const ian = { cookie: `portico_csid=${cookie.value}`, csrfToken: done.json().csrfToken as string, accountId: done.json().accountId as string };
    const portals = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/portals', headers: as(ian) });
    expect(portals.json().values.map((p: { name: string }) => p.name)).toEqual(['Acme IT Help Center']);
    expect((await setPassword('acme', token, 'ian-was-invited-5')).statusCode).toBe(400);
    expect((await loginCustomer(t.app, 'acme', 'IAN@invited.test', 'ian-was-invited-4')).accountId).toBe(ian.accountId);
    const accepted = await t.db.selectFrom('audit_events').select(['action', 'actor_id']).where('target_id', '=', ian.accountId).where('action', '=', 'customer.invitation.accepted').execute();
    expect(accepted).toEqual([{ action: 'customer.invitation.accepted', actor_id: ian.accountId }]);
  });

  it('an existing active customer is just added (no mail); one already on the project is left alone; an expired invitation is refused', async () => {
    const acme = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await insertCustomer(t.db, { siteId: acme.id, email: 'olga@outside.test', displayName: 'Olga Outside', passwordHash: await hashPassword('olga-password-1') });
    const res = await invite('acme', 'HELP', sam, ['olga@outside.test', 'alice@customer.test']);
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['added', 'already_customer']);
    expect(await mailsTo('olga@outside.test')).toEqual([]);
    expect(res.json().results[0].message).toBe('olga@outside.test already has an account: added to HELP.');

    const { token } = await linkIn('ivy@invited.test');
    await t.db.updateTable('one_time_tokens').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('token_hash', '=', hashSecret(token)).execute();
    expect((await setPassword('acme', token, 'ivy-too-late-6')).json().errorMessages).toEqual(['This link is no longer valid.']);
  });

  it('R7: an invitation link issued before a revoke is refused after it, and after a grant', async () => {
    await invite('acme', 'HELP', sam, ['rita@invited.test']);
    const { token } = await linkIn('rita@invited.test');
    const [rita] = await accountsWith('acme', 'rita@invited.test');
    const url = `/api/admin/sites/acme/customers/${encodeURIComponent(rita.account_id)}`;
    expect((await t.app.inject({ method: 'POST', url: `${url}/revoke`, headers: as(ada) })).statusCode).toBeLessThan(300);
    expect((await setPassword('acme', token, 'rita-is-back-2')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `${url}/grant`, headers: as(ada) })).statusCode).toBeLessThan(300);
    expect((await setPassword('acme', token, 'rita-is-back-2')).json().errorMessages).toEqual(['This link is no longer valid.']);
  });

  it('D4: an invitation names at most 100 different addresses; more is refused whole, before anything is written', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `bulk${i}@invited.test`);
    const res = await invite('acme', 'HELP', sam, [...many, 'BULK0@invited.test']);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.emails).toBe('Invite at most 100 addresses at a time.');
    expect(await accountsWith('acme', 'bulk0@invited.test')).toEqual([]);
    // 100 different ones, with a repeat in another case, are fine
    const ok = await invite('acme', 'HELP', sam, [...many.slice(0, 100), 'BULK0@invited.test']);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().results).toHaveLength(100);
  });

  it('only agents of the project and admins invite: a customer gets 403, an admin of another organization 404', async () => {
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expect((await invite('acme', 'HELP', alice, ['x@invited.test'])).statusCode).toBe(403);
    expect((await invite('acme', 'HELP', greta, ['x@invited.test'])).statusCode).toBe(404);
    expect(await accountsWith('acme', 'x@invited.test')).toEqual([]);
  });

  it('invitations over REST with an API token, the per-row results in the answer', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: { ...as(sam), ...json }, payload: JSON.stringify({ label: 'invite script' }) });
    expect(created.statusCode).toBe(201);
    const auth = `Basic ${Buffer.from(`agent@acme.test:${created.json().token}`).toString('base64')}`;
    const res = await t.app.inject({
      method: 'POST', url: '/s/acme/rest/portico/1/servicedesk/HELP/invitation', headers: { authorization: auth, ...json },
      payload: JSON.stringify({ emails: ['rest-one@invited.test', 'dave@customer.test'] }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['invited', 'revoked']);
    const empty = await t.app.inject({ method: 'POST', url: '/s/acme/rest/portico/1/servicedesk/HELP/invitation', headers: { authorization: auth, ...json }, payload: '{}' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toHaveProperty('errorMessages');
    // sign-up settings are the admins': an agent gets 403
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/rest/portico/1/signup-settings', headers: { authorization: auth } })).statusCode).toBe(403);
  });
});

describe('one email, one account per site', () => {
  it('T6: concurrent sign-ups, invitations and creates of one address, in different cases, make exactly one account', async () => {
    expect((await putSettings('globex', greta, { customerSignup: true, domains: ['example.test', 'globex.test'] })).statusCode).toBe(200);
    const cases = ['race@example.test', 'RACE@example.test', 'Race@Example.Test', 'race@EXAMPLE.TEST', 'rAcE@example.test'];
    const signUps = Array.from({ length: 20 }, (_, i) =>
      t.app.inject({
        method: 'POST', url: '/s/globex/api/portal/signup', headers: json,
        payload: JSON.stringify({ email: cases[i % cases.length], displayName: `Racer ${i}` }), remoteAddress: `192.0.2.${i + 1}`,
      }),
    );
    const invitations = Array.from({ length: 4 }, (_, i) => invite('globex', 'SUP', greta, [cases[(i + 1) % cases.length]]));
    // and the console's and REST's "Create customer" at the same time: created once, else "already exists"
    const creates = Array.from({ length: 3 }, (_, i) =>
      t.app.inject({
        method: 'POST', url: '/s/globex/rest/servicedeskapi/customer', headers: { ...as(greta), ...json },
        payload: JSON.stringify({ email: cases[(i + 2) % cases.length], displayName: `Created ${i}` }),
      }),
    );
    const all = await Promise.all([...signUps, ...invitations, ...creates]);
    const answers = all.slice(0, 24);
    const created = all.slice(24);
    for (const r of created) expect([201, 400], r.body).toContain(r.statusCode);
    await t.app.afterResponse.idle();
    expect(answers.slice(0, 20).map((r) => r.statusCode)).toEqual(Array(20).fill(202));
    expect(answers.slice(20).map((r) => r.statusCode)).toEqual(Array(4).fill(200));
    const accounts = await accountsWith('globex', 'race@example.test');
    expect(accounts).toHaveLength(1);
    // the admin console's create answers "already exists" for it in any case
    const create = await t.app.inject({
      method: 'POST', url: '/s/globex/rest/servicedeskapi/customer', headers: { ...as(greta), ...json },
      payload: JSON.stringify({ email: 'RACE@example.TEST', displayName: 'Again' }),
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().errorMessages[0]).toMatch(/already exists/);
  });
});

describe('a help center that needs no login', () => {
  const visit = (site: string, path: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/s/${site}/api/portal${path}`, headers });

  it('visitors browse the open portals and their articles only when the site allows it; raising a request still needs an account', async () => {
    const helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
    const article = await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Update your billing address').executeTakeFirstOrThrow();
    const helpArticle = await t.db.selectFrom('kb_articles').select('id').where('project_id', '=', helpId).executeTakeFirstOrThrow();
    // by default a help center needs login: everything answers 401, as before
    for (const path of ['/portals', `/portals/${supId}`, '/kb?query=billing', `/kb/${article.id}`]) {
      expect((await visit('globex', path)).statusCode, path).toBe(401);
    }

    // only the admins change it, and a partial save leaves the rest as it was
    expect((await putSettings('acme', sam, { loginRequired: false })).statusCode).toBe(403);
    const saved = await putSettings('globex', greta, { loginRequired: false });
    expect((await visit('globex', '/signup')).json()).toEqual({ customerSignup: true, loginRequired: false });
    expect(saved.json()).toMatchObject({ loginRequired: false, customerSignup: true, domains: ['example.test', 'globex.test'] });
    // Acme (another site, restricted HELP) is untouched
    expect((await visit('acme', '/portals')).statusCode).toBe(401);

    expect((await visit('globex', '/portals')).json().values.map((p: { name: string }) => p.name)).toEqual(['Globex Support']);
    const portal = await visit('globex', `/portals/${supId}`);
    expect(portal.statusCode).toBe(200);
    expect(portal.json().requestTypes.map((r: { name: string }) => r.name)).toEqual(['Ask a question']);
    expect((await visit('globex', '/kb?query=billing')).json().values.map((a: { title: string }) => a.title)).toEqual(['Update your billing address']);
    expect((await visit('globex', `/kb/${article.id}`)).json().title).toBe('Update your billing address');

    // another site's portal and article, or no such id: "log in", never a hint of what exists
    for (const path of [`/portals/${helpId}`, `/kb/${helpArticle.id}`, '/kb/999999', '/portals/999999', `/kb?projectId=${helpId}`]) {
      expect((await visit('globex', path)).statusCode, path).toBe(401);
    }
    // what needs an account still does
    const raise = await t.app.inject({
      method: 'POST', url: '/s/globex/api/portal/requests', headers: json,
      payload: JSON.stringify({ projectId: supId, requestTypeId: askId, fields: { summary: 'Anonymous question' } }),
    });
    expect(raise.statusCode).toBe(401);
    expect((await visit('globex', `/portals/${supId}/request-types/${askId}`)).statusCode).toBe(401);
    expect((await visit('globex', '/requests')).statusCode).toBe(401);
    expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'Anonymous question').execute()).toEqual([]);
  });

  it('R1: a revoked customer\'s old cookie is refused on everything of their own, and browsing a help center open to visitors gives them no more than any visitor', async () => {
    const globex = await t.db.selectFrom('sites').select('id').where('slug', '=', 'globex').executeTakeFirstOrThrow();
    const paula = await insertCustomer(t.db, { siteId: globex.id, email: 'paula@globex.test', displayName: 'Paula Past', passwordHash: await hashPassword('paula-password-1') });
    const session = await loginCustomer(t.app, 'globex', 'paula@globex.test', 'paula-password-1');
    expect((await visit('globex', '/session', { cookie: session.cookie })).statusCode).toBe(200);
    const url = `/api/admin/sites/globex/customers/${encodeURIComponent(paula)}`;
    expect((await t.app.inject({ method: 'POST', url: `${url}/revoke`, headers: as(greta) })).statusCode).toBeLessThan(300);
    expect((await visit('globex', '/session', { cookie: session.cookie })).statusCode).toBe(401);
    expect((await visit('globex', '/requests', { cookie: session.cookie })).statusCode).toBe(401);
    // the open portal reads as it does for anyone
    const asVisitor = await visit('globex', '/portals');
    const withOldCookie = await visit('globex', '/portals', { cookie: session.cookie });
    expect(withOldCookie.statusCode).toBe(200);
    expect(withOldCookie.body).toBe(asVisitor.body);
    // back to needing login: visitors are refused again
    await putSettings('globex', greta, { loginRequired: true });
    expect((await visit('globex', '/portals')).statusCode).toBe(401);
  });
});
