import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, loginStaff, as, type Session, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';
import { openPostgres } from '../../src/db/connection.js';
import { startBackgroundWork } from '../../src/jobs/index.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { applyInactivityPolicies } from '../../src/use-cases/customer-access/apply-inactivity-policy.js';
import type { AppContext } from '../../src/use-cases/context.js';

// docs/product.md#inactivity-policy: a site's automatic revoke after N days of inactivity, warned M
// days before, with exclusions and a dry run. The job's clock is injected: "day d" is d days from now.

let t: TestApp;
let ada: Session;
let sam: Session;
let orgId: string;
const json = { 'content-type': 'application/json' };
const DAY = 86_400_000;
const base = Date.now();
const day = (d: number) => new Date(base + d * DAY);

beforeAll(async () => {
  t = await createTestApp({ config: { secretKey: 'lifecycle-test-secret-key-0123456789abcdef' } }); // a key, so the tests can add a webhook endpoint
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  orgId = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
});
afterAll(() => t?.close());

const ctx = (): AppContext => ({ db: t.db, ip: null, userAgent: null, mailer: createOutboxMailer(), config: t.config, origin: 'http://localhost:80' });
const run = (d: number) => applyInactivityPolicies(ctx(), day(d));
/** A site of Ada's organization of its own, so each test counts only its customers. */
const newSite = () => factories(t.db).site({ orgId });
let n = 0;
async function customer(siteId: string, createdDaysAgo = 0): Promise<{ id: string; email: string }> {
  const email = `idle-${++n}@customer.test`;
  const id = await factories(t.db).customer({ siteId, email, displayName: `Ida Idle ${n}` });
  await t.db.updateTable('accounts').set({ created_at: new Date(base - createdDaysAgo * DAY) }).where('account_id', '=', id).execute();
  return { id, email };
}
const account = (id: string) => t.db.selectFrom('accounts').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow();
const mailsTo = (email: string) => t.db.selectFrom('outbox').selectAll().where('to_address', '=', email).orderBy('id').execute();
const revokes = (id: string) => t.db.selectFrom('audit_events').selectAll().where('target_id', '=', id).where('action', '=', 'customer.access.revoked').execute();
const policyUrl = (slug: string) => `/s/${slug}/rest/portico/1/inactivity-policy`;
const put = (slug: string, body: unknown, who: Session = ada) =>
  t.app.inject({ method: 'PUT', url: policyUrl(slug), headers: { ...as(who), ...json }, payload: JSON.stringify(body) });

describe('inactivity policy', () => {
  it('is off by default: nobody is warned or revoked, however long inactive', async () => {
    const site = await newSite();
    const c = await customer(site.id, 400);
    const got = await t.app.inject({ method: 'GET', url: policyUrl(site.slug), headers: as(ada) });
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toMatchObject({ enabled: false, inactiveDays: 90, warnDays: 7, notifyOnRevoke: false, excluded: [] });
    await run(0);
    await run(500);
    expect((await account(c.id)).status).toBe('active');
    expect(await mailsTo(c.email)).toHaveLength(0);
  });

  it('warns M days before, once; revokes at N days with the actor "Automatic policy" and the reason in the audit log; the revoke notice if asked', async () => {
    const site = await newSite();
    const c = await customer(site.id);
    const saved = await put(site.slug, { enabled: true, inactiveDays: 30, warnDays: 7, notifyOnRevoke: true });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ enabled: true, inactiveDays: 30, warnDays: 7 });

    await run(22);
    expect(await mailsTo(c.email)).toHaveLength(0);
    await run(23);
    await run(24);
    await run(29);
    const warnings = await mailsTo(c.email);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].subject).toContain(`ends on ${day(30).toISOString().slice(0, 10)}`);
    expect((await account(c.id)).status).toBe('active');

    await run(30);
    await run(31);
    const after = await account(c.id);
    expect(after).toMatchObject({ status: 'revoked', revoked_by: null, revoke_reason: 'No activity for 30 days (automatic inactivity policy)' });
    expect(await revokes(c.id)).toHaveLength(1);
    const log = await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${orgId}/audit-log?target=${encodeURIComponent(c.id)}&action=customer.access.revoked`, headers: as(ada) });
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json().values[0]).toMatchObject({ actor: { label: 'Automatic policy' }, details: { reason: 'No activity for 30 days (automatic inactivity policy)', notified: true } });
    const mails = await mailsTo(c.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]).toMatchObject({ access_notice: 'revoked' });
    expect(mails[1].body).toContain('No activity for 30 days');
  });

  it("the organization's webhooks hear the warning and the revoke, each saying the inactivity policy made it (docs/product.md#webhooks)", async () => {
    const site = await newSite();
    const c = await customer(site.id);
    // a public address literal: no DNS, nothing sent here (the deliveries wait in the outbox)
    const hook = await t.app.inject({
      method: 'POST',
      url: `/api/admin/orgs/${orgId}/webhooks`,
      headers: { ...as(ada), ...json },
      payload: JSON.stringify({ url: 'https://93.184.215.14/hooks', events: ['customer.access.warned', 'customer.access.revoked'], description: 'policy' }),
    });
    expect(hook.statusCode, hook.body).toBe(201);
    expect((await put(site.slug, { enabled: true, inactiveDays: 30, warnDays: 7 })).statusCode).toBe(200);
    const events = async () =>
      (await t.db.selectFrom('webhook_deliveries').select('payload').where('customer_id', '=', c.id).orderBy('id').execute()).map((d) => JSON.parse(d.payload));
    await run(23);
    expect(await events()).toMatchObject([
      { type: 'customer.access.warned', data: { accountId: c.id, status: 'active', policy: 'inactivity', revokeOn: day(30).toISOString(), actor: null } },
    ]);
    await run(30);
    const all = await events();
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ type: 'customer.access.revoked', data: { accountId: c.id, status: 'revoked', policy: 'inactivity', actor: null } });
  });

  it('never touches an excluded customer; bad input is a 400 naming the field and changes nothing', async () => {
    const site = await newSite();
    const kept = await customer(site.id);
    const other = await customer(site.id);
    const saved = await put(site.slug, { enabled: true, inactiveDays: 10, warnDays: 2, excludedAccountIds: [kept.id] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().excluded).toEqual([expect.objectContaining({ accountId: kept.id, email: kept.email })]);

    const elsewhere = await customer((await newSite()).id);
    for (const [body, field] of [
      [{ inactiveDays: 0 }, 'inactiveDays'],
      [{ inactiveDays: 5000 }, 'inactiveDays'],
      [{ warnDays: 10 }, 'warnDays'],
      [{ warnDays: -1 }, 'warnDays'],
      [{ excludedAccountIds: [elsewhere.id] }, 'excludedAccountIds'],
    ] as const) {
      const r = await put(site.slug, { ...body, enabled: false });
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().errors[field], JSON.stringify(body)).toBeTruthy();
    }
    const unchanged = await t.app.inject({ method: 'GET', url: policyUrl(site.slug), headers: as(ada) });
    expect(unchanged.json()).toMatchObject({ enabled: true, inactiveDays: 10, warnDays: 2, excluded: [{ accountId: kept.id }] });

    await run(100);
    expect((await account(kept.id)).status).toBe('active');
    expect(await mailsTo(kept.email)).toHaveLength(0);
    expect((await account(other.id)).status).toBe('revoked');
  });

  it('activity cancels a warning: the customer is not revoked, and is warned again only in the next inactivity period', async () => {
    const site = await newSite();
    const c = await customer(site.id);
    await put(site.slug, { enabled: true, inactiveDays: 30, warnDays: 7 });
    await run(23);
    expect(await mailsTo(c.email)).toHaveLength(1);
    // the customer is active on day 24 (the session's bookkeeping writes last_active_at; the test's clock is ahead of the system's)
    await t.db.updateTable('accounts').set({ last_active_at: day(24) }).where('account_id', '=', c.id).execute();
    await run(30);
    await run(46);
    expect((await account(c.id)).status).toBe('active');
    expect(await mailsTo(c.email)).toHaveLength(1);
    await run(47);
    expect(await mailsTo(c.email)).toHaveLength(2);
    await run(54);
    expect((await account(c.id)).status).toBe('revoked');
    // a grant starts a new period: the next run does not revoke again (the grant writes the system
    // clock's time; the test's clock is ahead, so it is moved to the test's day of the grant)
    const granted = await t.app.inject({ method: 'POST', url: `/api/admin/sites/${site.slug}/customers/${c.id}/grant`, headers: as(ada) });
    expect(granted.statusCode, granted.body).toBe(200);
    await t.db.updateTable('accounts').set({ access_granted_at: day(55) }).where('account_id', '=', c.id).execute();
    await run(60);
    expect((await account(c.id)).status).toBe('active');
  });

  it('the dry run lists exactly whom the job then revokes and warns', async () => {
    const site = await newSite();
    const gone = await customer(site.id, 40);
    const fading = await customer(site.id, 26);
    const fresh = await customer(site.id, 5);
    const preview = await t.app.inject({ method: 'GET', url: `${policyUrl(site.slug)}/preview?inactiveDays=30&warnDays=7`, headers: as(ada) });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.revoke.customers.map((c: { accountId: string }) => c.accountId)).toEqual([gone.id]);
    expect(p.warn.customers.map((c: { accountId: string }) => c.accountId)).toEqual([fading.id]);
    expect(p).toMatchObject({ revoke: { total: 1 }, warn: { total: 1 }, inactiveDays: 30, warnDays: 7, more: false });
    const bad = await t.app.inject({ method: 'GET', url: `${policyUrl(site.slug)}/preview?inactiveDays=30&warnDays=30`, headers: as(ada) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.warnDays).toBeTruthy();

    await put(site.slug, { enabled: true, inactiveDays: 30, warnDays: 7 });
    await applyInactivityPolicies(ctx(), new Date());
    expect((await account(gone.id)).status).toBe('revoked');
    expect((await account(fading.id)).status).toBe('active');
    expect(await mailsTo(fading.email)).toHaveLength(1);
    expect((await account(fresh.id)).status).toBe('active');
    expect(await mailsTo(fresh.email)).toHaveLength(0);
  });

  it('R10: only the site\'s admins read, change or dry-run the policy; an agent gets 403 and nothing changes', async () => {
    const site = await newSite();
    for (const r of [
      await t.app.inject({ method: 'GET', url: policyUrl(site.slug), headers: as(sam) }),
      await t.app.inject({ method: 'GET', url: `${policyUrl(site.slug)}/preview`, headers: as(sam) }),
      await put(site.slug, { enabled: true }, sam),
      await t.app.inject({ method: 'PUT', url: `/api/admin/sites/${site.slug}/inactivity-policy`, headers: { ...as(sam), ...json }, payload: JSON.stringify({ enabled: true }) }),
    ]) expect([403, 404], r.body).toContain(r.statusCode);
    const acme = await t.app.inject({ method: 'PUT', url: policyUrl('acme'), headers: { ...as(sam), ...json }, payload: JSON.stringify({ enabled: true }) });
    expect(acme.statusCode).toBe(403);
    expect(await t.db.selectFrom('inactivity_policies').selectAll().where('site_id', '=', site.id).execute()).toHaveLength(0);
    const audit = await t.db.selectFrom('audit_events').select('action').where('site_id', '=', site.id).where('action', '=', 'site.inactivity_policy.changed').execute();
    expect(audit).toHaveLength(0);
  });

  it('two runs at once revoke and warn each customer exactly once', async () => {
    const site = await newSite();
    await put(site.slug, { enabled: true, inactiveDays: 30, warnDays: 7 });
    const gone = await Promise.all(Array.from({ length: 5 }, () => customer(site.id, 40)));
    const fading = await Promise.all(Array.from({ length: 3 }, () => customer(site.id, 25)));
    const now = new Date();
    await Promise.all([applyInactivityPolicies(ctx(), now), applyInactivityPolicies(ctx(), now)]);
    for (const c of gone) expect(await revokes(c.id)).toHaveLength(1);
    for (const c of fading) expect(await mailsTo(c.email)).toHaveLength(1);
  });

  it.skipIf(process.env.PORTICO_TEST_DB !== 'postgres')(
    'two job runners on one PostgreSQL database revoke each inactive customer exactly once (PostgreSQL only: PGlite admits one process)',
    async () => {
      const site = await newSite();
      await put(site.slug, { enabled: true, inactiveDays: 30, warnDays: 0 });
      const gone = await Promise.all(Array.from({ length: 6 }, () => customer(site.id)));
      const clock = () => day(31);
      const second = openPostgres(t.database.url!, 3);
      const config = { ...t.config, jobPollSeconds: 0.5 };
      const runners: Array<Awaited<ReturnType<typeof startBackgroundWork>>> = [];
      try {
        for (const handle of [t.database, second]) runners.push(await startBackgroundWork(handle, config, { now: clock }));
        for (const r of runners) r.startMailboxPolling('http://localhost:80');
        await vi.waitFor(async () => {
          for (const c of gone) expect((await account(c.id)).status).toBe('revoked');
        }, { timeout: 30_000, interval: 100 });
        for (const c of gone) expect(await revokes(c.id)).toHaveLength(1);
      } finally {
        for (const r of runners) await r.stop();
        await second.close();
      }
    },
  );
});
