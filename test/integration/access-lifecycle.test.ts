import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, loginStaff, loginCustomer, as, accountIdOf, type Session, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';
import { TestSmtpServer } from '../support/smtp.js';
import { openPostgres } from '../../src/db/connection.js';
import { buildApp } from '../../src/http/app.js';
import { startBackgroundWork } from '../../src/jobs/index.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { revokeExpiredAccess } from '../../src/use-cases/customer-access/revoke-expired-access.js';
import type { AppContext } from '../../src/use-cases/context.js';

// docs/product.md#reason-and-notice and #access-until: a revoke or grant may carry a reason (audit
// log, the list's tooltip, the exports) and a notice mailed from the site's template; an admin dates
// a customer's access and the expiry job revokes them, exactly once across instances.

let t: TestApp;
let ada: Session;
let sam: Session;
let siteId: string;
let orgId: string;
const json = { 'content-type': 'application/json' };
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp({ config: { secretKey: 'lifecycle-test-secret-key-0123456789abcdef' } }); // a key, so the tests can add a webhook endpoint
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  const site = await t.db.selectFrom('sites').select(['id', 'org_id']).where('slug', '=', 'acme').executeTakeFirstOrThrow();
  siteId = site.id;
  orgId = site.org_id;
});
afterAll(() => t?.close());

let n = 0;
async function newCustomer(name = 'Rhea Reason'): Promise<{ id: string; email: string }> {
  n++;
  const email = `lifecycle-${n}@customer.test`;
  const id = await factories(t.db).customer({ siteId, email, displayName: `${name} ${n}` });
  return { id, email };
}
const lastEvent = (target: string) =>
  t.db.selectFrom('audit_events').selectAll().where('target_id', '=', target).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
const mailsTo = (email: string) => t.db.selectFrom('outbox').selectAll().where('to_address', '=', email).orderBy('id').execute();
const account = (id: string) => t.db.selectFrom('accounts').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow();
const adminCall = (method: 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { ...as(ada), ...(payload === undefined ? {} : json) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });

describe('reason and notice on revoke and grant', () => {
  it('REST revoke without a body keeps today\'s behaviour: no reason, no mail, the audit event as before', async () => {
    const c = await newCustomer();
    const r = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/customer/user/${c.id}/revoke-portal-only-access`, headers: { ...as(ada), ...json } });
    expect(r.statusCode, r.body).toBe(204);
    expect((await lastEvent(c.id)).details).toEqual({});
    expect(await mailsTo(c.email)).toHaveLength(0);
  });

  it('REST revoke with { reason, notify }: the reason is in the audit event, on the account and in the list; the notice is mailed without the reason unless asked', async () => {
    const c = await newCustomer();
    const r = await t.app.inject({
      method: 'PUT',
      url: `/s/acme/rest/servicedeskapi/customer/user/${c.id}/revoke-portal-only-access`,
      headers: { ...as(ada), ...json },
      payload: JSON.stringify({ reason: 'Contract ended', notify: true }),
    });
    expect(r.statusCode, r.body).toBe(204);
    expect((await lastEvent(c.id)).details).toEqual({ reason: 'Contract ended', notified: true });
    expect((await account(c.id)).revoke_reason).toBe('Contract ended');
    const mails = await mailsTo(c.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ access_notice: 'revoked', recipient_id: c.id, status: 'kept' });
    expect(mails[0].subject).toMatch(/^Your access to .+ has ended$/);
    expect(mails[0].body).toContain('has been revoked');
    expect(mails[0].body).not.toContain('Contract ended');
    const list = await t.app.inject({ method: 'GET', url: `/api/admin/sites/acme/customers?query=${encodeURIComponent(c.email)}`, headers: as(ada) });
    expect(list.json().values[0]).toMatchObject({ status: 'revoked', revokeReason: 'Contract ended' });
    const csv = await t.app.inject({ method: 'GET', url: `/api/admin/sites/acme/customers/export.csv?query=${encodeURIComponent(c.email)}`, headers: as(ada) });
    expect(csv.body).toContain('Contract ended');
    const audit = await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${orgId}/audit-log/export.csv?target=${encodeURIComponent(c.id)}`, headers: as(ada) });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.body).toContain('Contract ended');
  });

  it('the admin console revoke includes the reason in the notice when asked, from the site\'s own template', async () => {
    const save = await adminCall('PUT', '/api/admin/sites/acme/access-notices/revoked', { subject: 'Goodbye from {{site.name}}', text: 'Dear {{recipient.name}}{{#reason}} — because: {{reason}}{{/reason}}.' });
    expect(save.statusCode, save.body).toBe(200);
    expect(save.json()).toMatchObject({ isDefault: false, preview: { text: expect.stringContaining('because:') } });
    expect((await t.db.selectFrom('audit_events').select('action').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).action).toBe('site.access_notice.changed');
    const c = await newCustomer('Nina Notice');
    const r = await adminCall('POST', `/api/admin/sites/acme/customers/${c.id}/revoke`, { reason: 'Left the partner company', notify: true, includeReason: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().customer).toMatchObject({ status: 'revoked', revokeReason: 'Left the partner company' });
    const [mail] = await mailsTo(c.email);
    expect(mail.subject).toMatch(/^Goodbye from /);
    expect(mail.body).toBe(`Dear Nina Notice ${n} — because: Left the partner company.`);
    const reset = await t.app.inject({ method: 'DELETE', url: '/api/admin/sites/acme/access-notices/revoked', headers: as(ada) });
    expect(reset.json()).toMatchObject({ isDefault: true });
  });

  it('grant can send a welcome-back notice; the revoked account got nothing else in between', async () => {
    const c = await newCustomer();
    await adminCall('POST', `/api/admin/sites/acme/customers/${c.id}/revoke`, { reason: 'Paused', notify: true });
    const g = await adminCall('POST', `/api/admin/sites/acme/customers/${c.id}/grant`, { reason: 'Contract renewed', notify: true, includeReason: true });
    expect(g.statusCode, g.body).toBe(200);
    expect((await lastEvent(c.id))).toMatchObject({ action: 'customer.access.granted', details: { reason: 'Contract renewed', notified: true } });
    expect((await account(c.id)).revoke_reason).toBeNull();
    const mails = await mailsTo(c.email);
    expect(mails.map((m) => m.access_notice)).toEqual(['revoked', 'granted']);
    expect(mails[1].body).toContain('granted again');
    expect(mails[1].body).toContain('Contract renewed');
  });

  it('bulk revoke carries the reason into every audit event and mails each customer', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const r = await adminCall('POST', '/api/admin/sites/acme/customers/bulk', { action: 'revoke', accountIds: [a.id, b.id], reason: 'Season over', notify: true });
    expect(r.statusCode, r.body).toBe(200);
    for (const c of [a, b]) {
      expect((await lastEvent(c.id)).details).toEqual({ bulk: true, reason: 'Season over', notified: true });
      expect(await mailsTo(c.email)).toHaveLength(1);
    }
  });

  it('refuses a reason that is too long or holds control characters, and a broken template, with a 400 naming the field', async () => {
    const c = await newCustomer();
    for (const reason of ['x'.repeat(1001), 'bad\u0000reason', 'rtl\u202ereason']) {
      const r = await adminCall('POST', `/api/admin/sites/acme/customers/${c.id}/revoke`, { reason });
      expect(r.statusCode, reason.slice(0, 10)).toBe(400);
      expect(r.json().errors.reason).toBeTruthy();
    }
    expect((await account(c.id)).status).toBe('active');
    const broken = await adminCall('PUT', '/api/admin/sites/acme/access-notices/granted', { subject: 'Hi', text: '{{#reason}}open' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors.text).toBeTruthy();
  });

  it('an agent may neither revoke with a note nor edit the notices (403)', async () => {
    const c = await newCustomer();
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${c.id}/revoke`, headers: { ...as(sam), ...json }, payload: JSON.stringify({ reason: 'x' }) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/access-notices', headers: as(sam) })).statusCode).toBe(403);
  });
});

describe('access until a date', () => {
  const until = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
  const ctx = (): AppContext => ({ db: t.db, ip: null, userAgent: null, mailer: createOutboxMailer(), config: t.config, origin: 'http://localhost:80' });

  it('REST PUT …/access-until sets it (footprint and list show it, audited), and the expiry revokes at that time with the reason and notice', async () => {
    const c = await newCustomer('Dana Dated');
    // the organization's webhooks hear the revoke as the dated access's (a public address literal: nothing is sent here)
    const hook = await t.app.inject({
      method: 'POST',
      url: `/api/admin/orgs/${orgId}/webhooks`,
      headers: { ...as(ada), ...json },
      payload: JSON.stringify({ url: 'https://93.184.215.14/hooks', events: ['customer.access.revoked'], description: 'dated access' }),
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const at = until(2 * HOUR);
    const r = await t.app.inject({
      method: 'PUT',
      url: `/s/acme/rest/portico/1/customer/${c.id}/access-until`,
      headers: { ...as(ada), ...json },
      payload: JSON.stringify({ until: at, reason: 'Trial ends', notify: true, includeReason: true }),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().customer.accessUntil).toBe(at);
    expect(await lastEvent(c.id)).toMatchObject({ action: 'customer.access_until.set', actor_id: ada.accountId, details: { accessUntil: at, reason: 'Trial ends', notify: true } });
    const fp = await t.app.inject({ method: 'GET', url: `/s/acme/rest/portico/1/customer/${c.id}/access-footprint`, headers: as(ada) });
    expect(fp.json().accessUntil).toBe(at);

    // not yet: an hour before the date nothing happens
    expect(await revokeExpiredAccess(ctx(), new Date(Date.now() + HOUR))).toBe(0);
    expect((await account(c.id)).status).toBe('active');
    // a customer session is ended by the revoke
    await t.db.updateTable('accounts').set({ password_hash: (await t.db.selectFrom('accounts').select('password_hash').where('email_lower', '=', 'alice@customer.test').executeTakeFirstOrThrow()).password_hash }).where('account_id', '=', c.id).execute();
    const session = await loginCustomer(t.app, 'acme', c.email);
    expect(await revokeExpiredAccess(ctx(), new Date(Date.now() + 2 * HOUR + 1000))).toBeGreaterThanOrEqual(1);
    const after = await account(c.id);
    expect(after).toMatchObject({ status: 'revoked', revoked_by: ada.accountId, revoke_reason: 'Trial ends', access_until: null });
    expect(await lastEvent(c.id)).toMatchObject({ action: 'customer.access.revoked', actor_id: ada.accountId, details: { expired: true, accessUntil: at, reason: 'Trial ends', notified: true } });
    const mails = await mailsTo(c.email);
    expect(mails.at(-1)).toMatchObject({ access_notice: 'revoked' });
    expect(mails.at(-1)!.body).toContain('Trial ends');
    const delivery = await t.db.selectFrom('webhook_deliveries').select('payload').where('customer_id', '=', c.id).executeTakeFirstOrThrow();
    expect(JSON.parse(delivery.payload)).toMatchObject({ type: 'customer.access.revoked', data: { status: 'revoked', policy: 'access_until', actor: { accountId: ada.accountId } } });
    const portal = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: session.cookie } });
    expect(portal.statusCode).toBe(401);
  });

  it('clearing the date cancels it; a grant clears it; a revoked customer cannot be dated', async () => {
    const c = await newCustomer();
    await adminCall('PUT', `/api/admin/sites/acme/customers/${c.id}/access-until`, { until: until(HOUR) });
    const cleared = await adminCall('PUT', `/api/admin/sites/acme/customers/${c.id}/access-until`, { until: null });
    expect(cleared.json()).toMatchObject({ changed: true, customer: { accessUntil: null } });
    expect((await lastEvent(c.id)).action).toBe('customer.access_until.cleared');
    expect(await revokeExpiredAccess(ctx(), new Date(Date.now() + 2 * HOUR))).toBe(0);
    expect((await account(c.id)).status).toBe('active');

    await adminCall('POST', `/api/admin/sites/acme/customers/${c.id}/revoke`);
    const refused = await adminCall('PUT', `/api/admin/sites/acme/customers/${c.id}/access-until`, { until: until(HOUR) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.until).toMatch(/revoked/);

    // a date set, then a revoke and a grant: the grant leaves no date behind
    const d = await newCustomer();
    await adminCall('PUT', `/api/admin/sites/acme/customers/${d.id}/access-until`, { until: until(HOUR) });
    await adminCall('POST', `/api/admin/sites/acme/customers/${d.id}/revoke`);
    await adminCall('POST', `/api/admin/sites/acme/customers/${d.id}/grant`);
    expect((await account(d.id)).access_until).toBeNull();
  });

  it('refuses a date in the past, not ISO 8601, or more than ten years ahead, with a 400 naming the field; agents get 403', async () => {
    const c = await newCustomer();
    for (const bad of [until(-HOUR), 'next tuesday', '2026-13-45T00:00:00Z', until(11 * 366 * 24 * HOUR)]) {
      const r = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/portico/1/customer/${c.id}/access-until`, headers: { ...as(ada), ...json }, payload: JSON.stringify({ until: bad }) });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().errors.until, bad).toBeTruthy();
    }
    const agent = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/portico/1/customer/${c.id}/access-until`, headers: { ...as(sam), ...json }, payload: JSON.stringify({ until: until(HOUR) }) });
    expect(agent.statusCode).toBe(403);
  });

  it('bulk dating sets it for active customers and skips revoked ones; on create (REST and the agent\'s "create customer") it is set too', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await adminCall('POST', `/api/admin/sites/acme/customers/${b.id}/revoke`);
    const at = until(3 * HOUR);
    const r = await adminCall('POST', '/api/admin/sites/acme/customers/bulk-access-until', { accountIds: [a.id, b.id], until: at });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ changed: 1, skipped: [b.id] });
    expect((await account(a.id)).access_until?.toISOString()).toBe(at);

    const created = await t.app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/customer', headers: { ...as(ada), ...json }, payload: JSON.stringify({ displayName: 'Tess Temp', email: 'tess.temp@customer.test', accessUntil: at }) });
    expect(created.statusCode, created.body).toBe(201);
    const tess = await accountIdOf(t.db, 'tess.temp@customer.test', 'acme');
    expect((await account(tess)).access_until?.toISOString()).toBe(at);
    expect(await lastEvent(tess)).toMatchObject({ action: 'customer.created', details: { accessUntil: at } });

    const project = await t.db.selectFrom('projects').select('key').where('site_id', '=', siteId).orderBy('key').limit(1).executeTakeFirstOrThrow();
    const byAgent = await t.app.inject({
      method: 'POST',
      url: `/s/acme/api/agent/projects/${project.key}/customers/new`,
      headers: { ...as(sam), ...json },
      payload: JSON.stringify({ displayName: 'Abe Agentmade', email: 'abe.agentmade@customer.test', accessUntil: at }),
    });
    expect(byAgent.statusCode, byAgent.body).toBe(201);
    expect((await account(await accountIdOf(t.db, 'abe.agentmade@customer.test', 'acme'))).access_until?.toISOString()).toBe(at);
  });

  it('two calls at once revoke each expired customer exactly once', async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, () => newCustomer()));
    for (const c of customers) await adminCall('PUT', `/api/admin/sites/acme/customers/${c.id}/access-until`, { until: until(HOUR) });
    const later = new Date(Date.now() + 2 * HOUR);
    const [x, y] = await Promise.all([revokeExpiredAccess(ctx(), later), revokeExpiredAccess(ctx(), later)]);
    expect(x + y).toBeGreaterThanOrEqual(customers.length);
    for (const c of customers) {
      const revokes = await t.db.selectFrom('audit_events').select('id').where('target_id', '=', c.id).where('action', '=', 'customer.access.revoked').execute();
      expect(revokes).toHaveLength(1);
    }
  });

  it.skipIf(process.env.PORTICO_TEST_DB !== 'postgres')(
    'two app instances on one PostgreSQL database, each with its job runner, revoke an expired customer exactly once (PostgreSQL only: PGlite admits one process)',
    async () => {
      const customers = await Promise.all(Array.from({ length: 8 }, () => newCustomer('Exa Expired')));
      for (const c of customers) await adminCall('PUT', `/api/admin/sites/acme/customers/${c.id}/access-until`, { until: until(HOUR), notify: true });
      const clock = () => new Date(Date.now() + 2 * HOUR);
      const second = openPostgres(t.database.url!, 3);
      const smtp = await TestSmtpServer.start();
      const config = { ...t.config, smtpUrl: smtp.url, jobPollSeconds: 0.5 };
      const instances: Array<{ app: Awaited<ReturnType<typeof buildApp>>; background: Awaited<ReturnType<typeof startBackgroundWork>> }> = [];
      try {
        for (const handle of [t.database, second]) {
          const background = await startBackgroundWork(handle, config, { now: clock });
          const app = await buildApp({ db: handle.db, mailer: background.mailer, config });
          await app.ready();
          instances.push({ app, background });
        }
        // both start offering the expiry job (and running it, whichever gets it), and race directly too
        for (const i of instances) i.background.startMailboxPolling('http://localhost:80');
        const direct = (db: typeof t.db) => revokeExpiredAccess({ db, ip: null, userAgent: null, mailer: instances[0].background.mailer, config, origin: 'http://localhost:80' }, clock());
        await Promise.all([direct(t.db), direct(second.db)]);
        await vi.waitFor(async () => {
          for (const c of customers) expect((await account(c.id)).status).toBe('revoked');
        }, { timeout: 30_000, interval: 100 });
        await vi.waitFor(() => expect(smtp.received.filter((m) => m.to[0].startsWith('lifecycle-')).length).toBeGreaterThanOrEqual(customers.length), { timeout: 30_000, interval: 100 });
        for (const c of customers) {
          const revokes = await t.db.selectFrom('audit_events').select('id').where('target_id', '=', c.id).where('action', '=', 'customer.access.revoked').execute();
          expect(revokes).toHaveLength(1);
          expect(smtp.received.filter((m) => m.to[0] === c.email)).toHaveLength(1);
        }
      } finally {
        for (const i of instances) {
          await i.app.close();
          await i.background.stop();
        }
        await second.close();
        await smtp.down();
      }
    },
  );
});
