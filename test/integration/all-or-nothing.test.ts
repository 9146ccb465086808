import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { as, accountIdOf, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { failOnRow, INJECTED_FAILURE, type InjectedFailure } from '../support/failure-injection.js';
import { installChangeLog, type Change } from '../support/change-log.js';

// D5: a write that fails halfway leaves nothing behind. For each multi-step write, the database is
// made to refuse one of its later rows (a trigger that raises on the n-th row, as a full disk or a
// lost connection would); the request answers 500, and then nothing of it is left: no row, no
// audit event, no mail, and what the people involved notice (sessions, pickers, request numbers)
// is as before. The change log records every committed change to every table.

let t: TestApp;
let changes: { take(): Promise<Change[]> };
let injected: InjectedFailure | undefined;

beforeAll(async () => {
  t = await createTestApp();
  changes = await installChangeLog(t.db);
  console.log(`database: ${t.database.label}`);
});
afterEach(async () => {
  await injected?.remove();
  injected = undefined;
});
afterAll(() => t?.close());

async function failOn(table: string, op: 'INSERT' | 'UPDATE' | 'DELETE', nth: number) {
  injected = await failOnRow(t.db, { table, op, nth });
  await changes.take(); // from here on, every committed change counts
}

/** The request failed as a whole, at the injected row, and committed nothing anywhere. */
async function expectFailedWithoutTrace(res: LightMyRequestResponse, rowsSeen: number) {
  expect(res.statusCode, res.body).toBe(500);
  expect(res.json().errorMessages).toEqual(['Something went wrong on our side.']);
  expect(res.body).not.toContain(INJECTED_FAILURE);
  expect(await injected!.seen(), 'the failure was injected where the test meant it').toBe(rowsSeen);
  expect(await changes.take()).toEqual([]);
}

async function auditCount(action: string): Promise<number> {
  const r = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', action).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function pickerIds(viewer: Session, query: string): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/s/acme/api/users/picker?query=${encodeURIComponent(query)}`, headers: as(viewer) });
  expect(res.statusCode).toBe(200);
  return res.json().users.map((u: { accountId: string }) => u.accountId);
}

async function sessionWorks(customer: Session): Promise<boolean> {
  const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: customer.cookie } });
  return res.statusCode === 200;
}

describe('D5: a write that fails halfway leaves nothing behind', () => {
  it('D5: creating a customer on a project that fails at its last audit event leaves no account, no picker entry, no project membership', async () => {
    const agent = await loginStaff(t.app, 'agent@acme.test');
    const created = await auditCount('customer.created');
    // writes: the account, its picker terms, "customer.created", the project membership, "project.customer.added" ← fails
    await failOn('audit_events', 'INSERT', 2);
    const payload = { displayName: 'Halfway Hal', email: 'hal@customer.test' };
    const res = await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers/new', headers: as(agent), payload });
    await expectFailedWithoutTrace(res, 2);
    expect(await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'hal@customer.test').execute()).toEqual([]);
    expect(await pickerIds(agent, 'Halfway')).toEqual([]);
    expect(await auditCount('customer.created')).toBe(created);

    // nothing left over stands in the way: the same customer can be created once the database works
    await injected!.remove();
    injected = undefined;
    const again = await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers/new', headers: as(agent), payload });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('D5: raising a request that fails at its last picker value stores no request, participant or value, and does not use up its number', async () => {
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    const form = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/portals', headers: as(alice) });
    const help = form.json().values.find((p: { key: string }) => p.key === 'HELP');
    const types = (await t.app.inject({ method: 'GET', url: `/s/acme/api/portal/portals/${help.id}`, headers: as(alice) })).json().requestTypes;
    const getItHelp = types.find((rt: { name: string }) => rt.name === 'Get IT help');
    const fields = (await t.app.inject({ method: 'GET', url: `/s/acme/api/portal/portals/${help.id}/request-types/${getItHelp.id}`, headers: as(alice) })).json().fields;
    const picker = fields.find((f: { label: string }) => f.label === 'Affected user').fieldKey;
    const before = await t.db.selectFrom('requests').select('key').where('project_id', '=', help.id).execute();
    const raise = (summary: string) =>
      t.app.inject({
        method: 'POST',
        url: '/s/acme/api/portal/requests',
        headers: as(alice),
        payload: { projectId: help.id, requestTypeId: getItHelp.id, fields: { summary, description: 'halfway', [picker]: bob }, participants: [carol] },
      });

    // writes: the request number, the request, its participant, its picker value ← fails
    await failOn('request_user_values', 'INSERT', 1);
    await expectFailedWithoutTrace(await raise('Printer halfway'), 1);
    expect(await t.db.selectFrom('requests').select('key').where('project_id', '=', help.id).execute()).toEqual(before);
    const mine = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(alice) });
    expect(mine.json().values.map((r: { summary: string }) => r.summary)).not.toContain('Printer halfway');

    await injected!.remove();
    injected = undefined;
    const ok = await raise('Printer whole');
    expect(ok.statusCode, ok.body).toBe(201);
    // the failed attempt did not use up a number
    expect(ok.json().key).toBe(`HELP-${before.length + 1}`);
  });

  it("D5: a bulk revoke that fails at its third audit event revokes no one: everyone's sessions, picker entries and status stay", async () => {
    const admin = await loginStaff(t.app, 'admin@acme.test');
    const people = await Promise.all(['alice', 'bob', 'carol'].map((n) => loginCustomer(t.app, 'acme', `${n}@customer.test`)));
    const revoked = await auditCount('customer.access.revoked');
    // writes: statuses, sessions, tokens, picker terms, then one audit event per customer ← the third fails
    await failOn('audit_events', 'INSERT', 3);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/sites/acme/customers/bulk',
      headers: as(admin),
      payload: { action: 'revoke', accountIds: people.map((p) => p.accountId) },
    });
    await expectFailedWithoutTrace(res, 3);
    for (const p of people) expect(await sessionWorks(p)).toBe(true);
    const agent = await loginStaff(t.app, 'agent@acme.test');
    for (const [i, name] of ['Alice', 'Bob', 'Carol'].entries()) expect(await pickerIds(agent, name)).toContain(people[i].accountId);
    const statuses = await t.db.selectFrom('accounts').select('status').where('account_id', 'in', people.map((p) => p.accountId)).execute();
    expect(statuses.map((s) => s.status)).toEqual(['active', 'active', 'active']);
    expect(await auditCount('customer.access.revoked')).toBe(revoked);
  });

  it('D5: a bulk grant that fails at its second audit event grants no one: both stay revoked and out of pickers', async () => {
    const admin = await loginStaff(t.app, 'admin@acme.test');
    const ids = [await accountIdOf(t.db, 'bob@customer.test', 'acme'), await accountIdOf(t.db, 'carol@customer.test', 'acme')];
    const revoke = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(admin), payload: { action: 'revoke', accountIds: ids } });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const granted = await auditCount('customer.access.granted');

    await failOn('audit_events', 'INSERT', 2);
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(admin), payload: { action: 'grant', accountIds: ids } });
    await expectFailedWithoutTrace(res, 2);
    const statuses = await t.db.selectFrom('accounts').select('status').where('account_id', 'in', ids).execute();
    expect(statuses.map((s) => s.status)).toEqual(['revoked', 'revoked']);
    const agent = await loginStaff(t.app, 'agent@acme.test');
    expect(await pickerIds(agent, 'Bob')).not.toContain(ids[0]);
    expect(await pickerIds(agent, 'Carol')).not.toContain(ids[1]);
    expect(await auditCount('customer.access.granted')).toBe(granted);
    // a customer who stays revoked cannot log in
    const login = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email: 'bob@customer.test', password: 'portico-demo' } });
    expect(login.statusCode).toBe(401);

    await injected!.remove();
    injected = undefined;
    const grant = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(admin), payload: { action: 'grant', accountIds: ids } });
    expect(grant.statusCode, grant.body).toBe(200);
    expect(await pickerIds(agent, 'Bob')).toContain(ids[0]);
  });

  it('D5, M3: a revoke that fails at its audit event leaves the customer fully active: session, reset link, picker entry', async () => {
    const admin = await loginStaff(t.app, 'admin@acme.test');
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const reset = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', payload: { email: 'alice@customer.test' } });
    await t.app.afterResponse.idle(); // the reset's work runs after its answer
    expect(reset.statusCode).toBe(202);
    const liveTokens = () =>
      t.db.selectFrom('one_time_tokens').select('id').where('account_id', '=', alice.accountId).where('invalidated_at', 'is', null).where('used_at', 'is', null).execute();
    const tokensBefore = await liveTokens();
    expect(tokensBefore.length).toBeGreaterThan(0);

    // writes: status, sessions, one-time tokens, picker terms, "customer.access.revoked" ← fails
    await failOn('audit_events', 'INSERT', 1);
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${alice.accountId}/revoke`, headers: as(admin) });
    await expectFailedWithoutTrace(res, 1);
    expect(await sessionWorks(alice)).toBe(true);
    expect(await liveTokens()).toEqual(tokensBefore);
    const agent = await loginStaff(t.app, 'agent@acme.test');
    expect(await pickerIds(agent, 'Alice')).toContain(alice.accountId);
    const row = await t.db.selectFrom('accounts').select(['status', 'revoked_at', 'revoked_by']).where('account_id', '=', alice.accountId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'active', revoked_at: null, revoked_by: null });
    // and she can still write
    const comment = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-1/comments', headers: as(alice), payload: { body: 'still here' } });
    expect(comment.statusCode, comment.body).toBe(201);
  });

  it.each([
    ['a customer', 'alice@customer.test', '/s/acme/api/portal/requests/HELP-1/comments', { body: 'halfway reply' }],
    ['an agent', 'agent@acme.test', '/s/acme/api/agent/requests/HELP-1/comments', { body: 'halfway note', public: false }],
  ])('D5: a comment by %s that fails while touching its request leaves no comment and the request unchanged', async (_who, email, url, payload) => {
    const session = email.endsWith('@customer.test') ? await loginCustomer(t.app, 'acme', email) : await loginStaff(t.app, email);
    const request = () => t.db.selectFrom('requests').select(['updated_at', 'status']).where('key', '=', 'HELP-1').executeTakeFirstOrThrow();
    const comments = () => t.db.selectFrom('comments').innerJoin('requests', 'requests.id', 'comments.request_id').select('comments.body').where('requests.key', '=', 'HELP-1').execute();
    const [requestBefore, commentsBefore] = [await request(), await comments()];

    // writes: the comment, the request's updated time ← fails
    await failOn('requests', 'UPDATE', 1);
    await expectFailedWithoutTrace(await t.app.inject({ method: 'POST', url, headers: as(session), payload }), 1);
    expect(await comments()).toEqual(commentsBefore);
    expect(await request()).toEqual(requestBefore);
  });

  it("D5: an agent's change of a request's people that fails at the last picker value keeps the old participants and values", async () => {
    const agent = await loginStaff(t.app, 'agent@acme.test');
    const view = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/agent/requests/HELP-2', headers: as(agent) });
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json();
      return { reporter: r.reporter.accountId, participants: r.participants.map((p: { accountId: string }) => p.accountId), fields: r.fields };
    };
    const before = await view();
    const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    const field = before.fields.find((f: { values: unknown[] }) => f.values.length > 0) ?? before.fields[0];
    expect(field, 'HELP-2 has a picker field').toBeDefined();

    // participants and picker values are replaced (rows deleted, then inserted): the last insert fails
    await failOn('request_user_values', 'INSERT', 1);
    const res = await t.app.inject({
      method: 'PUT',
      url: '/s/acme/api/agent/requests/HELP-2/people',
      headers: as(agent),
      payload: { participants: [carol], fields: { [field.fieldKey]: carol } },
    });
    await expectFailedWithoutTrace(res, 1);
    expect(await view()).toEqual(before);
  });
});
