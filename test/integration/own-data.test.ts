import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { factories, type ProjectFacts } from '../support/factories.js';
import { staffAuth } from './rest-helpers.js';
import { exportOwnData, OWN_DATA_PAGE } from '../../src/use-cases/own-data/export-own-data.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import type { ActorContext } from '../../src/use-cases/context.js';

// docs/product.md#own-data: a customer downloads what Portico holds about them and asks for their
// account to be erased; the site's admins approve (the existing delete) or decline with a note.
// Runs on both databases (vitest.config.ts).

let t: TestApp;
let siteId: string;
let project: ProjectFacts;
let zoe: string;
let yan: string;
const PASSWORD = 'portico-demo';

const rest = '/s/acme/rest/portico/1';
const dataUrl = (id: string) => `${rest}/customer/${id}/personal-data`;
const erasureUrl = (id: string) => `${rest}/customer/${id}/erasure-request`;

beforeAll(async () => {
  t = await createTestApp();
  const f = factories(t.db);
  const site = await t.db.selectFrom('sites').select(['id']).where('slug', '=', 'acme').executeTakeFirstOrThrow();
  siteId = site.id;
  const help = await t.db.selectFrom('projects').select(['id', 'key']).where('site_id', '=', siteId).where('key', '=', 'HELP').executeTakeFirstOrThrow();
  project = { id: String(help.id), key: help.key, siteId };
  zoe = await f.customer({ siteId, email: 'zoe.owndata@customer.test', displayName: 'Zoe Owndata', password: PASSWORD });
  yan = await f.customer({ siteId, email: 'yan.private@customer.test', displayName: 'Yan Private', password: PASSWORD });
  const agent = await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'agent@acme.test').executeTakeFirstOrThrow();
  await f.staff({ email: 'siteadmin.owndata@acme.test', displayName: 'Sita Siteadmin', siteAdminOf: [siteId] });

  // Zoe reports one request (agent's public reply, an internal note, her own comment, files) ...
  const mine = await f.request({ project, reporterId: zoe, summary: 'Zoe printer jam', description: 'Paper everywhere' });
  await f.comment({ request: mine, authorId: agent.account_id, body: 'We are on it', public: true });
  const note = await f.comment({ request: mine, authorId: agent.account_id, body: 'SECRET-INTERNAL-NOTE about Zoe', public: false });
  await f.comment({ request: mine, authorId: zoe, body: 'Thanks, Zoe here', public: true });
  const file = (name: string, comment: string | null) => ({
    site_id: siteId, request_id: mine.id, comment_id: comment, file_name: name, content_type: 'text/plain', size: 7, content: new Uint8Array([1, 2, 3, 4, 5, 6, 7]), uploaded_by: zoe,
  });
  await t.db.insertInto('request_attachments').values([file('jam-photo.txt', null), file('internal-log.txt', note)]).execute();
  // ... takes part in Yan's, and Yan has one of his own she has nothing to do with
  await f.request({ project, reporterId: yan, summary: 'Shared with Zoe', participants: [zoe] });
  await f.request({ project, reporterId: yan, summary: 'YAN-PRIVATE salary question' });
  const organization = await t.db.insertInto('customer_organizations').values({ site_id: siteId, name: 'Owndata Friends' }).returning('id').executeTakeFirstOrThrow();
  await t.db.insertInto('customer_organization_members').values({ site_id: siteId, organization_id: organization.id, account_id: zoe }).execute();
});

afterAll(async () => {
  await t?.close();
});

const audit = (action: string, target: string) =>
  t.db.selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', action).where('target_id', '=', target).execute();

describe('a customer downloads their own data', () => {
  it('holds their profile, their requests with public comments and files, their organizations — never internal notes or other customers\' private data; audited', async () => {
    const zoeSession = await loginCustomer(t.app, 'acme', 'zoe.owndata@customer.test', PASSWORD);
    const res = await t.app.inject({ method: 'GET', url: dataUrl(zoe), headers: as(zoeSession) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="portico-acme-my-data-\d{4}-\d\d-\d\d\.json"$/);
    const data = JSON.parse(res.body);
    expect(data.format).toBe('portico.own-data/1');
    expect(data.profile).toMatchObject({ accountId: zoe, displayName: 'Zoe Owndata', email: 'zoe.owndata@customer.test', status: 'active' });
    expect(Number.isNaN(Date.parse(data.profile.createdAt))).toBe(false);
    expect(data.organizations.map((o: { name: string }) => o.name)).toEqual(['Owndata Friends']);
    const bySummary = Object.fromEntries(data.requests.map((r: { summary: string }) => [r.summary, r]));
    expect(Object.keys(bySummary).sort()).toEqual(['Shared with Zoe', 'Zoe printer jam']);
    const jam = bySummary['Zoe printer jam'];
    expect(jam).toMatchObject({ yourRole: 'reporter', status: 'Open', description: 'Paper everywhere', reporter: 'Zoe Owndata' });
    expect(jam.comments.map((c: { body: string; byYou: boolean }) => [c.body, c.byYou])).toEqual([['We are on it', false], ['Thanks, Zoe here', true]]);
    expect(jam.attachments).toEqual([expect.objectContaining({ fileName: 'jam-photo.txt', size: 7, uploadedByYou: true, onComment: false })]);
    expect(bySummary['Shared with Zoe']).toMatchObject({ yourRole: 'participant', reporter: 'Yan Private', participants: ['Zoe Owndata'] });
    expect(res.body).not.toContain('SECRET-INTERNAL-NOTE');
    expect(res.body).not.toContain('internal-log.txt');
    expect(res.body).not.toContain('YAN-PRIVATE');
    expect(res.body).not.toContain('yan.private@customer.test');
    expect(res.body).not.toContain('password');
    expect(await audit('customer.data.exported', zoe)).toEqual([expect.objectContaining({ actor_id: zoe })]);
  });

  it('IDOR: another customer\'s id is a 404 for export and erasure alike; staff get 403; nobody 401', async () => {
    const zoeSession = as(await loginCustomer(t.app, 'acme', 'zoe.owndata@customer.test', PASSWORD));
    for (const [method, url] of [['GET', dataUrl(yan)], ['GET', erasureUrl(yan)], ['POST', erasureUrl(yan)], ['DELETE', erasureUrl(yan)]] as const) {
      const res = await t.app.inject({ method, url, headers: zoeSession, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('Yan');
    }
    expect(await t.db.selectFrom('erasure_requests').select('id').where('account_id', '=', yan).execute()).toEqual([]);
    const agent = await staffAuth(t, 'agent@acme.test');
    expect((await t.app.inject({ method: 'GET', url: dataUrl(zoe), headers: agent })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: dataUrl(zoe) })).statusCode).toBe(401);
  });

  it('T1: a customer of another site cannot reach this site\'s data; the other site\'s admin sees none of its erasure requests', async () => {
    const erin = await loginCustomer(t.app, 'globex', 'erin@customer.test');
    expect((await t.app.inject({ method: 'GET', url: dataUrl(zoe), headers: as(erin) })).statusCode).toBe(401);
    const globexAdmin = await staffAuth(t, 'siteadmin@globex.test');
    expect((await t.app.inject({ method: 'GET', url: `${rest}/erasure-request`, headers: globexAdmin })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: dataUrl(zoe), headers: globexAdmin })).statusCode).toBe(404);
  });

  it('R13: a streaming download stops at its next page once the customer is revoked', async () => {
    const f = factories(t.db);
    const max = await f.customer({ siteId, email: 'max.many@customer.test', displayName: 'Max Many' });
    for (let i = 0; i <= OWN_DATA_PAGE; i++) await f.request({ project, reporterId: max, summary: `Many ${i}` });
    const site = (await findSiteBySlug(t.db, 'acme'))!;
    const ctx = { db: t.db, actor: { kind: 'customer', accountId: max, siteId }, ip: null, userAgent: null, mailer: { send: async () => undefined }, config: {}, origin: '' } as unknown as ActorContext;
    const data = await exportOwnData(ctx, { site, accountId: max });
    const reading = data.requests[Symbol.asyncIterator]();
    for (let i = 0; i < OWN_DATA_PAGE; i++) expect((await reading.next()).done).toBe(false);
    await t.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', max).execute();
    await expect(reading.next()).rejects.toThrow(/access ended/);
  });

  it('R3: a revoked customer cannot sign in, so cannot download', async () => {
    const f = factories(t.db);
    const rex = await f.customer({ siteId, email: 'rex.revoked@customer.test', displayName: 'Rex Revoked', password: PASSWORD });
    const session = await loginCustomer(t.app, 'acme', 'rex.revoked@customer.test', PASSWORD);
    const admin = await loginStaff(t.app, 'admin@acme.test');
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${rex}/revoke`, headers: as(admin) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: dataUrl(rex), headers: as(session) })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email: 'rex.revoked@customer.test', password: PASSWORD } });
    expect(again.statusCode).toBe(401);
  });
});

describe('a customer asks for their account to be erased', () => {
  let session: Session;
  beforeAll(async () => {
    session = await loginCustomer(t.app, 'acme', 'zoe.owndata@customer.test', PASSWORD);
  });

  it('asks (once: asking again answers the pending request), sees it pending, withdraws it; each audited', async () => {
    const none = await t.app.inject({ method: 'GET', url: erasureUrl(zoe), headers: as(session) });
    expect(none.json()).toEqual({ request: null });
    const asked = await t.app.inject({ method: 'POST', url: erasureUrl(zoe), headers: as(session), payload: { reason: '  Moving on  ' } });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({ status: 'pending', reason: 'Moving on', decidedAt: null });
    const again = await t.app.inject({ method: 'POST', url: erasureUrl(zoe), headers: as(session), payload: {} });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(asked.json().id);
    expect((await t.app.inject({ method: 'GET', url: erasureUrl(zoe), headers: as(session) })).json().request.id).toBe(asked.json().id);
    const withdrawn = await t.app.inject({ method: 'DELETE', url: erasureUrl(zoe), headers: as(session) });
    expect(withdrawn.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: erasureUrl(zoe), headers: as(session) })).json()).toEqual({ request: null });
    expect((await t.app.inject({ method: 'DELETE', url: erasureUrl(zoe), headers: as(session) })).statusCode).toBe(404);
    expect(await audit('customer.erasure.requested', zoe)).toHaveLength(1);
    expect(await audit('customer.erasure.withdrawn', zoe)).toHaveLength(1);
  });

  it('R10: the request needs the CSRF token; a reason over 2,000 characters is a 400', async () => {
    expect((await t.app.inject({ method: 'POST', url: erasureUrl(zoe), headers: { cookie: session.cookie }, payload: {} })).statusCode).toBe(403);
    const long = await t.app.inject({ method: 'POST', url: erasureUrl(zoe), headers: as(session), payload: { reason: 'x'.repeat(2001) } });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors.reason).toMatch(/2000/);
  });

  it('an agent cannot list or decide erasure requests (403); the decline needs a note; the admin declines and the customer is mailed the note', async () => {
    const asked = await t.app.inject({ method: 'POST', url: erasureUrl(zoe), headers: as(session), payload: { reason: 'Please' } });
    expect(asked.statusCode).toBe(201);
    const id = asked.json().id as string;
    const agent = await staffAuth(t, 'agent@acme.test');
    expect((await t.app.inject({ method: 'GET', url: `${rest}/erasure-request`, headers: agent })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/${id}/approve`, headers: agent, payload: {} })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/${id}/decline`, headers: agent, payload: { note: 'no' } })).statusCode).toBe(403);

    const admin = await staffAuth(t, 'siteadmin.owndata@acme.test');
    const list = await t.app.inject({ method: 'GET', url: `${rest}/erasure-request`, headers: admin });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, values: [{ id, status: 'pending', reason: 'Please', customer: { accountId: zoe, displayName: 'Zoe Owndata', emailAddress: 'zoe.owndata@customer.test', active: true } }] });
    expect((await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/${id}/decline`, headers: admin, payload: { note: '   ' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/nonsense/decline`, headers: admin, payload: { note: 'x' } })).statusCode).toBe(400);
    const declined = await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/${id}/decline`, headers: admin, payload: { note: 'Open invoices first' } });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', note: 'Open invoices first' });
    expect((await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/${id}/approve`, headers: admin, payload: {} })).statusCode).toBe(409);
    const mail = await t.db.selectFrom('outbox').select(['subject', 'body']).where('to_address', '=', 'zoe.owndata@customer.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail.subject).toMatch(/declined/);
    expect(mail.body).toContain('Open invoices first');
    expect(await audit('customer.erasure.declined', zoe)).toEqual([expect.objectContaining({ details: expect.objectContaining({ note: 'Open invoices first' }) })]);
    expect((await t.db.selectFrom('accounts').select('status').where('account_id', '=', zoe).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it('the site admin approves: the existing delete — "Former user (Deactivated)" on her requests, her sessions ended, her email free — and she is mailed', async () => {
    const asked = await t.app.inject({ method: 'POST', url: erasureUrl(zoe), headers: as(session), payload: {} });
    expect(asked.statusCode).toBe(201);
    const id = asked.json().id as string;
    const admin = await staffAuth(t, 'siteadmin.owndata@acme.test');
    const approved = await t.app.inject({ method: 'POST', url: `${rest}/erasure-request/${id}/approve`, headers: admin, payload: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', reason: null });

    const account = await t.db.selectFrom('accounts').select(['status', 'email', 'display_name', 'password_hash']).where('account_id', '=', zoe).executeTakeFirstOrThrow();
    expect(account).toEqual({ status: 'deleted', email: null, display_name: null, password_hash: null });
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', zoe).execute()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: dataUrl(zoe), headers: as(session) })).statusCode).toBe(401);
    const agent = await loginStaff(t.app, 'agent@acme.test');
    const key = (await t.db.selectFrom('requests').select('key').where('reporter_id', '=', zoe).executeTakeFirstOrThrow()).key;
    const view = await t.app.inject({ method: 'GET', url: `/s/acme/api/agent/requests/${key}`, headers: as(agent) });
    expect(view.body).toContain('Former user (Deactivated)');
    expect(view.body).not.toContain('Zoe Owndata');
    const mail = await t.db.selectFrom('outbox').select(['subject', 'recipient_id']).where('to_address', '=', 'zoe.owndata@customer.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail).toEqual({ subject: 'Your account at Acme Support has been erased', recipient_id: null });
    expect(await audit('customer.erasure.approved', zoe)).toHaveLength(1);
    expect(await audit('customer.deleted', zoe)).toEqual([expect.objectContaining({ details: expect.objectContaining({ erasureRequestId: id }) })]);
    // nothing pending any more, and the email can make a new account
    expect((await t.app.inject({ method: 'GET', url: `${rest}/erasure-request`, headers: admin })).json().total).toBe(0);
    const f = factories(t.db);
    await expect(f.customer({ siteId, email: 'zoe.owndata@customer.test' })).resolves.toMatch(/^qm:/);
  });
});
