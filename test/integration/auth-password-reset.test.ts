import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, loginCustomer, accountIdOf, type TestApp } from '../support/app.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { hashSecret } from '../../src/domain/secrets.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const GENERIC = { message: 'If an account exists for this email, we sent a link to reset the password.' };

/** Asks for a reset link and waits for the work that follows the answer (the look-up and the mail). */
async function requestReset(site: string, email: string) {
  const res = await t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/password-reset`, headers: json, payload: JSON.stringify({ email }) });
  await t.app.afterResponse.idle();
  return res;
}
function complete(site: string, token: string, password: string) {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/password-reset/complete`, headers: json, payload: JSON.stringify({ token, password }) });
}
function login(site: string, email: string, password: string) {
  return t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/login`, headers: json, payload: JSON.stringify({ email, password }) });
}
const outboxCount = async () => Number((await t.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/** The token of the newest reset mail to `to`, read from the outbox like a mailbox. */
async function linkFromOutbox(to: string): Promise<{ url: URL; token: string; subject: string }> {
  const mail = await t.db.selectFrom('outbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const match = /(https?:\/\/\S+reset-password\?token=\S+)/.exec(mail.body);
  expect(match).not.toBeNull();
  const url = new URL(match![1]);
  return { url, token: url.searchParams.get('token')!, subject: mail.subject };
}

describe('password reset', () => {
  it('mails a one-time link to an active customer and sets the new password once', async () => {
    const aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    const before = await outboxCount();
    const oldSession = await loginCustomer(t.app, 'acme', 'alice@customer.test');

    const res = await requestReset('acme', 'Alice@Customer.test');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual(GENERIC);
    expect(await outboxCount()).toBe(before + 1);

    const mail = await linkFromOutbox('alice@customer.test');
    expect(mail.url.pathname).toBe('/s/acme/servicedesk/customer/user/reset-password');
    expect(mail.url.origin).toBe('http://localhost');
    expect(mail.subject).toContain('Acme Support');
    const stored = await t.db.selectFrom('one_time_tokens').selectAll().where('account_id', '=', aliceId).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashSecret(mail.token));
    expect(stored.purpose).toBe('password_reset');
    const lifetime = new Date(stored.expires_at).getTime() - new Date(stored.created_at).getTime();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000 + 1000);
    const org = await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    expect((await t.db.selectFrom('outbox').select('org_id').orderBy('id', 'desc').executeTakeFirstOrThrow()).org_id).toBe(org.org_id);

    // the password rules apply, and a refused password does not use up the link
    const common = await complete('acme', mail.token, 'password123');
    expect(common.statusCode).toBe(400);
    expect(common.json().errorMessages[0]).toMatch(/too common/);
    const short = await complete('acme', mail.token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().errors.password).toMatch(/at least 8/);

    const done = await complete('acme', mail.token, 'a-brand-new-secret-9');
    expect(done.statusCode).toBe(204);
    expect((await login('acme', 'alice@customer.test', 'a-brand-new-secret-9')).statusCode).toBe(200);
    expect((await login('acme', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(401);
    // Alice of globex is another account: her password did not change
    expect((await login('globex', 'alice@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);

    // the sessions from before the reset are gone
    const old = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: oldSession.cookie } });
    expect(old.statusCode).toBe(401);

    // the link works once
    const again = await complete('acme', mail.token, 'yet-another-secret-7');
    expect(again.statusCode).toBe(400);
    expect(again.json().errorMessages).toEqual(['This link is no longer valid.']);
    expect((await login('acme', 'alice@customer.test', 'a-brand-new-secret-9')).statusCode).toBe(200);

    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'customer.password.reset').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: aliceId, target_id: aliceId, org_id: org.org_id });
  });

  it('a revoked customer gets the same answer and no mail', async () => {
    const before = await outboxCount();
    const dave = await requestReset('acme', 'dave@customer.test');
    const unknown = await requestReset('acme', 'nobody@customer.test');
    const otherSite = await requestReset('globex-eu', 'alice@customer.test');
    const bob = await requestReset('acme', 'bob@customer.test');
    for (const res of [dave, unknown, otherSite]) {
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe(bob.body);
      expect(res.json()).toEqual(GENERIC);
    }
    expect(await outboxCount()).toBe(before + 1); // Bob's only
    const daveId = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    expect(await t.db.selectFrom('one_time_tokens').select('id').where('account_id', '=', daveId).execute()).toHaveLength(0);
  });

  it('a link dies with a revoke, with its hour, and off its site', async () => {
    const carolId = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    await requestReset('acme', 'carol@customer.test');
    const { token } = await linkFromOutbox('carol@customer.test');

    const elsewhere = await complete('globex', token, 'a-brand-new-secret-9');
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errorMessages).toEqual(['This link is no longer valid.']);

    await t.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', carolId).execute();
    const revoked = await complete('acme', token, 'a-brand-new-secret-9');
    expect(revoked.statusCode).toBe(400);
    expect(revoked.json().errorMessages).toEqual(['This link is no longer valid.']);
    await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', carolId).execute();

    await t.db.updateTable('one_time_tokens').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('token_hash', '=', hashSecret(token)).execute();
    const expired = await complete('acme', token, 'a-brand-new-secret-9');
    expect(expired.statusCode).toBe(400);
    expect(expired.json().errorMessages).toEqual(['This link is no longer valid.']);

    await requestReset('acme', 'carol@customer.test');
    const fresh = await linkFromOutbox('carol@customer.test');
    await t.db.updateTable('one_time_tokens').set({ invalidated_at: sql<Date>`now()` }).where('token_hash', '=', hashSecret(fresh.token)).execute();
    expect((await complete('acme', fresh.token, 'a-brand-new-secret-9')).statusCode).toBe(400);

    expect((await complete('acme', 'made-up-token', 'a-brand-new-secret-9')).statusCode).toBe(400);
    expect((await login('acme', 'carol@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('using one link kills the account\'s other outstanding links', async () => {
    await requestReset('acme', 'bob@customer.test');
    const first = await linkFromOutbox('bob@customer.test');
    await requestReset('acme', 'bob@customer.test');
    const second = await linkFromOutbox('bob@customer.test');
    expect(second.token).not.toBe(first.token);
    expect((await complete('acme', second.token, 'bobs-new-password-1')).statusCode).toBe(204);
    expect((await complete('acme', first.token, 'bobs-other-password-2')).statusCode).toBe(400);
    expect((await login('acme', 'bob@customer.test', 'bobs-new-password-1')).statusCode).toBe(200);
  });

  it('stops mailing one account after a handful of requests an hour, still answering the same', async () => {
    const count = async () =>
      Number((await t.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('to_address', '=', 'erin@customer.test').executeTakeFirstOrThrow()).n);
    for (let i = 0; i < 8; i++) {
      const res = await requestReset('globex', 'erin@customer.test');
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual(GENERIC);
    }
    expect(await count()).toBe(5);
  });
});
