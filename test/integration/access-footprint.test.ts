import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, loginCustomer, loginStaff, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';
import { staffAuth } from './rest-helpers.js';

// docs/product.md#footprint: before a revoke is confirmed, the admin sees what it touches — open
// requests reported, requests taken part in, user-picker values, live sessions, last active — for
// one customer (the revoke dialog, and REST) and summed over a bulk revoke's dry run.

let t: TestApp;
let siteId: string;
let zoe: string;
let yves: string;

beforeAll(async () => {
  t = await createTestApp();
  const f = factories(t.db);
  const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  siteId = site.id;
  const help = await t.db.selectFrom('projects').select(['id', 'key']).where('site_id', '=', siteId).where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const project = { id: String(help.id), key: help.key, siteId };
  const field = await f.customField({ siteId, name: 'Footprint approver' });
  zoe = await f.customer({ siteId, email: 'zoe.footprint@customer.test', displayName: 'Zoe Footprint', password: 'portico-demo' });
  yves = await f.customer({ siteId, email: 'yves.footprint@customer.test', displayName: 'Yves Footprint', password: 'portico-demo' });
  const other = await f.customer({ siteId, email: 'other.footprint@customer.test', displayName: 'Other Footprint' });
  // Zoe: reported two open requests and a resolved one; takes part in three; named in two picker values
  await f.request({ project, reporterId: zoe, status: 'Open' });
  await f.request({ project, reporterId: zoe, status: 'Waiting for customer' });
  await f.request({ project, reporterId: zoe, status: 'Resolved' });
  for (let i = 0; i < 3; i++) await f.request({ project, reporterId: other, participants: [zoe], userValues: i < 2 ? [{ fieldId: field, accountId: zoe }] : [] });
  // Yves: one open request, one participation
  await f.request({ project, reporterId: yves, status: 'In progress', participants: [yves] });
});

afterAll(async () => {
  await t?.close();
});

const footprintUrl = (accountId: string) => `/s/acme/rest/portico/1/customer/${accountId}/access-footprint`;

describe('the access footprint of a revoke', () => {
  it('REST: counts what revoking Zoe would touch, with her live sessions and last activity; ISO times', async () => {
    await loginCustomer(t.app, 'acme', 'zoe.footprint@customer.test');
    await loginCustomer(t.app, 'acme', 'zoe.footprint@customer.test');
    const admin = await staffAuth(t, 'admin@acme.test');
    const res = await t.app.inject({ method: 'GET', url: footprintUrl(zoe), headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ openRequestsReported: 2, requestsParticipating: 3, pickerFieldReferences: 2, liveSessions: 2, accessUntil: null });
    expect(body.lastActiveAt === null || !Number.isNaN(Date.parse(body.lastActiveAt))).toBe(true);

    // after the revoke her sessions are gone; the references stay (a grant brings them back into view)
    const revoked = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${zoe}/revoke`, headers: as(await loginStaff(t.app, 'admin@acme.test')) });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: footprintUrl(zoe), headers: admin })).json();
    expect(after).toMatchObject({ openRequestsReported: 2, requestsParticipating: 3, pickerFieldReferences: 2, liveSessions: 0 });
    const granted = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${zoe}/grant`, headers: as(await loginStaff(t.app, 'admin@acme.test')) });
    expect(granted.statusCode).toBe(200);
  });

  it('the admin console answers the same for the revoke dialog', async () => {
    const admin = await loginStaff(t.app, 'admin@acme.test');
    const res = await t.app.inject({ method: 'GET', url: `/api/admin/sites/acme/customers/${yves}/access-footprint`, headers: as(admin) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ openRequestsReported: 1, requestsParticipating: 1, pickerFieldReferences: 0, liveSessions: 0, lastActiveAt: null });
  });

  it("a bulk revoke's dry run sums the footprints of the customers it would change, and changes nothing", async () => {
    const admin = await loginStaff(t.app, 'admin@acme.test');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/sites/acme/customers/bulk',
      headers: as(admin),
      payload: { action: 'revoke', accountIds: [zoe, yves], dryRun: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changed).toBe(2);
    expect(res.json().footprint).toMatchObject({ openRequestsReported: 3, requestsParticipating: 4, pickerFieldReferences: 2 });
    const still = await t.db.selectFrom('accounts').select('status').where('account_id', 'in', [zoe, yves]).execute();
    expect(still.map((r) => r.status)).toEqual(['active', 'active']);
    // a grant's dry run has no footprint
    const grant = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(admin), payload: { action: 'grant', accountIds: [zoe], dryRun: true } });
    expect(grant.json().footprint).toBeUndefined();
  });

  it('R10, T1: only who may revoke sees it — an agent is refused, a customer is refused, another site answers not found, an unknown id is not found', async () => {
    const agent = await staffAuth(t, 'agent@acme.test');
    expect((await t.app.inject({ method: 'GET', url: footprintUrl(zoe), headers: agent })).statusCode).toBe(403);
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expect([401, 403, 404]).toContain((await t.app.inject({ method: 'GET', url: footprintUrl(zoe), headers: as(alice) })).statusCode);
    const globexAdmin = await staffAuth(t, 'siteadmin@globex.test');
    expect([403, 404]).toContain((await t.app.inject({ method: 'GET', url: `/s/globex/rest/portico/1/customer/${zoe}/access-footprint`, headers: globexAdmin })).statusCode);
    const admin = await staffAuth(t, 'admin@acme.test');
    expect((await t.app.inject({ method: 'GET', url: footprintUrl('qm:00000000-0000-4000-8000-000000000000'), headers: admin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: footprintUrl('not an id'), headers: admin })).statusCode).toBe(400);
  });
});
