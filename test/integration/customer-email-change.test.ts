import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, loginStaff, loginCustomer, as, accountIdOf, type TestApp, type Session } from '../support/app.js';
import { staffAuth } from './rest-helpers.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { insertCustomer } from '../../src/db/queries/customers.js';

// Changing a customer's email (docs/product.md#change-customer-email): an admin asks, the new
// address confirms by a mailed link, the account stays the same account. On both databases.

let t: TestApp;
let ada: Session; // org admin of Acme
let greta: Session; // org admin of Globex
let sam: Session; // agent on acme
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [ada, greta, sam] = await Promise.all([loginStaff(t.app, 'admin@acme.test'), loginStaff(t.app, 'admin@globex.test'), loginStaff(t.app, 'agent@acme.test')]);
  for (const n of ['alice', 'bob', 'carol', 'dave']) ids[n] = await accountIdOf(t.db, `${n}@customer.test`, 'acme');
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const ask = (who: Session, accountId: string, email: unknown) =>
  t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${encodeURIComponent(accountId)}/email-change`, headers: as(who), payload: { email } as object });
const confirm = (token: string, site = 'acme') =>
  t.app.inject({ method: 'POST', url: `/s/${site}/api/portal/email-change/confirm`, headers: json, payload: JSON.stringify({ token }) });
const login = (email: string, password = DEMO_PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email, password }) });
const account = (id: string) =>
  t.db.selectFrom('accounts').select(['email', 'email_lower', 'status', 'password_hash']).where('account_id', '=', id).executeTakeFirstOrThrow();
const audit = (action: string, target: string) =>
  t.db.selectFrom('audit_events').select(['actor_id', 'target_id']).where('action', '=', action).where('target_id', '=', target).execute();
const listRow = async (id: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers', headers: as(ada) })).json().values.find((c: any) => c.accountId === id);

/** The newest mail to `to`, and the confirmation link's token when it has one. */
async function mailTo(to: string): Promise<{ subject: string; body: string; token?: string; url?: URL }> {
  const mail = await t.db.selectFrom('outbox').select(['subject', 'body']).where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const m = /(https?:\/\/\S+confirm-email\?token=\S+)/.exec(mail.body);
  const url = m ? new URL(m[1]) : undefined;
  return { subject: mail.subject, body: mail.body, url, token: url?.searchParams.get('token') ?? undefined };
}

describe('changing a customer email', () => {
  it('asks, mails the new address, and on confirmation keeps the account, its references and password; sessions end; the old address is told', async () => {
    const carol = ids.carol;
    const before = await account(carol);
    const requestsBefore = await t.db.selectFrom('requests').select('id').where('reporter_id', '=', carol).execute();
    expect(requestsBefore.length).toBeGreaterThan(0);
    const oldSession = await loginCustomer(t.app, 'acme', 'carol@customer.test');

    const asked = await ask(ada, carol, '  Carol.New@Example.test ');
    expect(asked.statusCode).toBe(200);
    expect(asked.json().customer).toMatchObject({ email: 'carol@customer.test', pendingEmail: 'Carol.New@Example.test' });
    // nothing changed yet: the row shows the pending address, the old address still logs in
    expect(await account(carol)).toEqual(before);
    expect(await listRow(carol)).toMatchObject({ email: 'carol@customer.test', pendingEmail: 'Carol.New@Example.test' });
    expect((await login('carol@customer.test')).statusCode).toBe(200);
    expect(await audit('customer.email.change_requested', carol)).toEqual([{ actor_id: ada.accountId, target_id: carol }]);

    const mail = await mailTo('Carol.New@Example.test');
    expect(mail.url!.pathname).toBe('/s/acme/servicedesk/customer/user/confirm-email');
    expect(mail.subject).toContain('Acme Support');

    const done = await confirm(mail.token!);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ email: 'Carol.New@Example.test' });

    const after = await account(carol);
    expect(after).toEqual({ ...before, email: 'Carol.New@Example.test', email_lower: 'carol.new@example.test' });
    expect((await listRow(carol)).pendingEmail).toBeNull();
    // the old session is gone; the new address logs in with the old password, to the same account and its requests
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: oldSession.cookie } })).statusCode).toBe(401);
    expect((await login('carol@customer.test')).statusCode).toBe(401);
    const fresh = await login('carol.new@example.test');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().accountId).toBe(carol);
    expect(await t.db.selectFrom('requests').select('id').where('reporter_id', '=', carol).execute()).toEqual(requestsBefore);
    // the pickers find her by the new address, not the old one
    const terms = (await t.db.selectFrom('account_search_terms').select('term').where('account_id', '=', carol).execute()).map((r) => r.term);
    expect(terms).toContain('carol.new@example.test');
    expect(terms).not.toContain('carol@customer.test');
    // the old address is told
    const notice = await mailTo('carol@customer.test');
    expect(notice.body).toContain('Carol.New@Example.test');
    expect(notice.token).toBeUndefined();
    expect(await audit('customer.email.changed', carol)).toEqual([{ actor_id: carol, target_id: carol }]);

    // the link works once
    const again = await confirm(mail.token!);
    expect(again.statusCode).toBe(400);
    expect(again.json().errorMessages).toEqual(['This link is no longer valid.']);
  });

  it('T6: refuses a malformed address, a taken one (409) and a revoked customer with 400s that change nothing', async () => {
    const bob = ids.bob;
    const bad = await ask(ada, bob, 'not an address');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.email).toBe('Enter a valid email address.');
    const wrongType = await ask(ada, bob, 42);
    expect(wrongType.statusCode).toBe(400);

    const taken = await ask(ada, bob, 'ALICE@customer.test');
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors.email).toMatch(/already has this email/);

    const same = await ask(ada, bob, 'Bob@Customer.test');
    expect(same.statusCode).toBe(400);

    const revoked = await ask(ada, ids.dave, 'dave.new@example.test');
    expect(revoked.statusCode).toBe(400);
    expect(revoked.json().errorMessages[0]).toMatch(/revoked/);
    expect(await t.db.selectFrom('email_changes').selectAll().where('account_id', 'in', [bob, ids.dave]).execute()).toEqual([]);
  });

  it('refuses non-admins: an agent of the site 403, another organization’s admin 404', async () => {
    expect((await ask(sam, ids.bob, 'bob2@example.test')).statusCode).toBe(403);
    expect((await ask(greta, ids.bob, 'bob2@example.test')).statusCode).toBe(404);
    const customer = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expect([401, 403, 404]).toContain((await ask(customer, ids.bob, 'bob2@example.test')).statusCode);
    expect(await t.db.selectFrom('email_changes').selectAll().where('account_id', '=', ids.bob).execute()).toEqual([]);
  });

  it('says "This link is no longer valid." for a forged, an expired, a replaced and a withdrawn link', async () => {
    const bob = ids.bob;
    expect((await confirm('forged-token')).json().errorMessages).toEqual(['This link is no longer valid.']);

    expect((await ask(ada, bob, 'bob.one@example.test')).statusCode).toBe(200);
    const first = (await mailTo('bob.one@example.test')).token!;
    expect((await ask(ada, bob, 'bob.two@example.test')).statusCode).toBe(200);
    const second = (await mailTo('bob.two@example.test')).token!;
    // a new request replaces the old: one pending change, the first link is dead
    expect(await t.db.selectFrom('email_changes').select('new_email').where('account_id', '=', bob).execute()).toEqual([{ new_email: 'bob.two@example.test' }]);
    expect((await confirm(first)).statusCode).toBe(400);
    // on another site the link means nothing
    expect((await confirm(second, 'globex')).statusCode).toBe(400);

    // expired: the clock moved past the link's hours
    await sql`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE account_id = ${bob} AND purpose = 'email_change' AND used_at IS NULL AND invalidated_at IS NULL`.execute(t.db);
    expect((await listRow(bob)).pendingEmail).toBeNull();
    const expired = await confirm(second);
    expect(expired.statusCode).toBe(400);
    expect(expired.json().errorMessages).toEqual(['This link is no longer valid.']);

    // withdrawn by the admin, through REST
    const rest = await staffAuth(t, 'admin@acme.test');
    const viaRest = await t.app.inject({ method: 'POST', url: `/s/acme/rest/portico/1/customer/${bob}/email-change`, headers: { ...rest, ...json }, payload: JSON.stringify({ email: 'bob.three@example.test' }) });
    expect(viaRest.statusCode).toBe(202);
    expect(viaRest.json().customer.pendingEmail).toBe('bob.three@example.test');
    const third = (await mailTo('bob.three@example.test')).token!;
    const withdrawn = await t.app.inject({ method: 'DELETE', url: `/s/acme/rest/portico/1/customer/${bob}/email-change`, headers: rest });
    expect(withdrawn.statusCode).toBe(204);
    expect(await audit('customer.email.change_cancelled', bob)).toHaveLength(1);
    expect((await confirm(third)).statusCode).toBe(400);
    expect((await account(bob)).email).toBe('bob@customer.test');
  });

  it('T6, R7: re-checks at confirmation that the address is still free (409), and a revoke kills the link', async () => {
    const alice = ids.alice;
    expect((await ask(ada, alice, 'shared@example.test')).statusCode).toBe(200);
    const token = (await mailTo('shared@example.test')).token!;
    // meanwhile another customer gets the address
    const site = (await findSiteBySlug(t.db, 'acme'))!;
    await insertCustomer(t.db, { siteId: site.id, email: 'shared@example.test', displayName: 'Sharon', passwordHash: null });
    const taken = await confirm(token);
    expect(taken.statusCode).toBe(409);
    expect((await account(alice)).email).toBe('alice@customer.test');
    expect((await listRow(alice)).pendingEmail).toBeNull();

    expect((await ask(ada, alice, 'alice.new@example.test')).statusCode).toBe(200);
    const next = (await mailTo('alice.new@example.test')).token!;
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${alice}/revoke`, headers: as(ada), payload: {} })).statusCode).toBe(200);
    expect((await confirm(next)).statusCode).toBe(400);
    expect((await account(alice)).email).toBe('alice@customer.test');
  });
});
