import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('transport rules shared by every route', () => {
  it('does not coerce JSON body types: a number where text belongs is a 400 and changes nothing', async () => {
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/sites/acme/customers/${alice}/name`,
      headers: as(ada),
      payload: { displayName: 12345 },
    });
    expect(res.statusCode).toBe(400);
    const row = await t.db.selectFrom('accounts').select('display_name').where('account_id', '=', alice).executeTakeFirstOrThrow();
    expect(row.display_name).toBe('Alice Example');
  });

  it('still coerces query strings ("2" is the number 2)', async () => {
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers?start=0&limit=2', headers: as(ada) });
    expect(res.statusCode).toBe(200);
    expect(res.json().values).toHaveLength(2);
  });

  it('refuses a name with a lone surrogate with a 400, never a 500: the stored name and the audit log stay as they were', async () => {
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    const events = async () =>
      Number((await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('target_id', '=', bob).executeTakeFirstOrThrow()).n);
    const before = await events();
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/sites/acme/customers/${bob}/name`,
      headers: { ...as(ada), 'content-type': 'application/json' },
      payload: '{"displayName":"Bob \\ud800 Builder"}',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errorMessages).toEqual(["'displayName' is not valid Unicode text (half of a surrogate pair)."]);
    const row = await t.db.selectFrom('accounts').select(['display_name', 'sort_name']).where('account_id', '=', bob).executeTakeFirstOrThrow();
    expect(row).toEqual({ display_name: 'Bob Builder', sort_name: 'bob builder' });
    expect(await events()).toBe(before);
    // the control: the same route with a well-formed name stores it and writes one event
    const ok = await t.app.inject({ method: 'PUT', url: `/api/admin/sites/acme/customers/${bob}/name`, headers: as(ada), payload: { displayName: 'Bob \u{1F600} Builder' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await t.db.selectFrom('accounts').select('display_name').where('account_id', '=', bob).executeTakeFirstOrThrow()).display_name).toBe('Bob \u{1F600} Builder');
    expect(await events()).toBe(before + 1);
  });

  it('acts as the customer in the help center API when a browser holds both a staff and a customer session', async () => {
    const sam = await loginStaff(t.app, 'agent@acme.test');
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const both = { cookie: `${sam.cookie}; ${alice.cookie}` };
    const portal = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: both });
    expect(portal.statusCode).toBe(200);
    expect(portal.json().account.email).toBe('alice@customer.test');
    const staff = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: both });
    expect(staff.json().account.email).toBe('agent@acme.test');
  });
});
