import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, loginStaff, as, type Session, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { openPostgres } from '../../src/db/connection.js';
import { startBackgroundWork } from '../../src/jobs/index.js';
import { completeDueAccessReviews } from '../../src/use-cases/access-reviews/apply-access-review.js';
import type { AppContext } from '../../src/use-cases/context.js';

// docs/product.md#access-reviews: an admin starts a review of a site's customers, reviewers decide
// Keep or Revoke, completing it (or its due date, with the default for the undecided) applies the
// decisions as one bulk revoke naming the review; a report says who decided what, when. The due-date
// job's clock is injected: "day d" is d days from now.

let t: TestApp;
let ada: Session;
let sam: Session;
let greta: Session;
let orgId: string;
const json = { 'content-type': 'application/json' };
const DAY = 86_400_000;
const base = Date.now();
const day = (d: number) => new Date(base + d * DAY);
const PASSWORD = 'review-the-customers-42';

beforeAll(async () => {
  t = await createTestApp({ config: { secretKey: 'access-review-test-secret-key-0123456789abcdef' } });
  [ada, sam, greta] = await Promise.all([loginStaff(t.app, 'admin@acme.test'), loginStaff(t.app, 'agent@acme.test'), loginStaff(t.app, 'admin@globex.test')]);
  orgId = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
});
afterAll(() => t?.close());

const ctx = (): AppContext => ({ db: t.db, ip: null, userAgent: null, mailer: createOutboxMailer(), config: t.config, origin: 'http://localhost:80' });
const f = () => factories(t.db);
let n = 0;
async function customer(siteId: string, name: string, createdDaysAgo = 0): Promise<string> {
  const id = await f().customer({ siteId, email: `${name.toLowerCase()}-${++n}@review.test`, displayName: name });
  if (createdDaysAgo) await t.db.updateTable('accounts').set({ created_at: new Date(base - createdDaysAgo * DAY) }).where('account_id', '=', id).execute();
  return id;
}
const account = (id: string) => t.db.selectFrom('accounts').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow();
const rest = (slug: string) => `/s/${slug}/rest/portico/1/access-review`;
const send = (who: Session, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
  t.app.inject({ method, url, headers: body === undefined ? as(who) : { ...as(who), ...json }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

describe('access reviews', () => {
  it('reviewers decide; completing revokes as one bulk change naming the review, skips who was revoked or deleted meanwhile, and the report says who decided what', async () => {
    const site = await f().site({ orgId });
    const rita = await f().staff({ email: `rita-${++n}@acme.test`, displayName: 'Rita Reviewer', password: PASSWORD, siteAdminOf: [site.id] });
    const ritaSession = await loginStaff(t.app, (await account(rita)).email!, PASSWORD);
    const [alice, bob, carol, dave, erin] = [await customer(site.id, 'Alice'), await customer(site.id, 'Bob'), await customer(site.id, 'Carol'), await customer(site.id, 'Dave'), await customer(site.id, 'Erin')];
    const already = await f().customer({ siteId: site.id, status: 'revoked' });

    // the organization's webhooks hear of each revoke, naming the review (a public address literal: no DNS, nothing sent here)
    const hook = await send(ada, 'POST', `/api/admin/orgs/${orgId}/webhooks`, { url: 'https://93.184.215.14/hooks', events: ['customer.access.revoked', 'access_review.started', 'access_review.completed'], description: 'reviews' });
    expect(hook.statusCode, hook.body).toBe(201);
    const started = await send(ada, 'POST', rest(site.slug), { name: 'Q4 review', undecidedDefault: 'revoke', notifyOnRevoke: true, reviewerIds: [rita] });
    expect(started.statusCode, started.body).toBe(201);
    const review = started.json();
    expect(review).toMatchObject({ name: 'Q4 review', status: 'open', customers: 5, undecidedDefault: 'revoke', reviewers: [{ accountId: rita, displayName: 'Rita Reviewer' }] });
    const items = await send(ada, 'GET', `${rest(site.slug)}/${review.id}/customer?limit=10`);
    expect(items.json().values.map((i: { accountId: string }) => i.accountId)).toEqual([alice, bob, carol, dave, erin]);
    expect(items.json().values.map((i: { accountId: string }) => i.accountId)).not.toContain(already);

    // only the assigned reviewer decides; Ada, an admin who is not one, is refused
    const url = (id: string) => `${rest(site.slug)}/${review.id}/customer/${encodeURIComponent(id)}`;
    expect((await send(ada, 'PUT', url(alice), { decision: 'revoke' })).statusCode).toBe(403);
    for (const [id, decision] of [[alice, 'revoke'], [bob, 'keep'], [dave, 'revoke'], [erin, 'keep']] as const) {
      const r = await send(ritaSession, 'PUT', url(id), { decision });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ decision, decidedBy: { accountId: rita } });
    }
    const progress = await send(ada, 'GET', `${rest(site.slug)}/${review.id}`);
    expect(progress.json()).toMatchObject({ progress: { decided: 4, keep: 2, revoke: 2 }, canDecide: false });
    expect((await send(ritaSession, 'PUT', url(alice), { decision: 'maybe' })).statusCode).toBe(400);

    // meanwhile Dave is revoked by hand and Erin deleted
    expect((await send(ada, 'POST', `/api/admin/sites/${site.slug}/customers/${dave}/revoke`, {})).statusCode).toBe(200);
    await t.db.updateTable('accounts').set({ status: 'deleted', display_name: null, email: null, email_lower: null, sort_name: null }).where('account_id', '=', erin).execute();
    expect((await send(ritaSession, 'PUT', url(erin), { decision: 'revoke' })).statusCode).toBe(400);

    const completed = await send(ada, 'POST', `${rest(site.slug)}/${review.id}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json()).toMatchObject({ review: { status: 'completed', endedBy: { accountId: ada.accountId } }, applied: { revoked: 2, kept: 1, alreadyRevoked: 1, deleted: 1, defaulted: 1 } });
    expect(await account(alice)).toMatchObject({ status: 'revoked', revoked_by: ada.accountId, revoke_reason: 'Access review “Q4 review”' });
    const notices = await t.db.selectFrom('outbox').select(['access_notice', 'body']).where('recipient_id', '=', alice).execute();
    expect(notices).toEqual([expect.objectContaining({ access_notice: 'revoked', body: expect.stringContaining('Access review “Q4 review”') })]);
    expect(await t.db.selectFrom('outbox').select('id').where('recipient_id', '=', bob).execute()).toHaveLength(0);
    expect((await account(carol)).status).toBe('revoked'); // undecided: the default
    expect((await account(bob)).status).toBe('active');
    expect(await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', alice).execute()).toHaveLength(0);
    const delivery = await t.db.selectFrom('webhook_deliveries').select('payload').where('customer_id', '=', alice).executeTakeFirstOrThrow();
    expect(JSON.parse(delivery.payload)).toMatchObject({ type: 'customer.access.revoked', data: { status: 'revoked', accessReview: { id: review.id }, actor: { accountId: ada.accountId } } });
    const reviewEvents = await t.db.selectFrom('webhook_deliveries').select('payload').where('customer_id', '=', `access-review:${review.id}`).orderBy('id').execute();
    expect(reviewEvents.map((d) => JSON.parse(d.payload))).toMatchObject([
      { type: 'access_review.started', data: { accessReview: { id: review.id }, status: 'open', customers: 5 } },
      { type: 'access_review.completed', data: { status: 'completed', applied: { revoked: 2, kept: 1, alreadyRevoked: 1, deleted: 1 }, actor: { accountId: ada.accountId } } },
    ]);

    const log = await send(ada, 'GET', `/api/admin/orgs/${orgId}/audit-log?target=${encodeURIComponent(alice)}&action=customer.access.revoked`);
    expect(log.json().values).toHaveLength(1);
    expect(log.json().values[0]).toMatchObject({ actor: { accountId: ada.accountId }, details: { bulk: true, accessReview: { id: review.id, name: 'Q4 review' } } });
    const decided = await t.db.selectFrom('audit_events').select('action').where('site_id', '=', site.id).where('action', 'like', 'access_review.%').execute();
    expect(decided.map((e) => e.action).sort()).toEqual(['access_review.completed', ...Array(4).fill('access_review.decided'), 'access_review.started']);

    const csv = await send(ada, 'GET', `${rest(site.slug)}/${review.id}/report.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('"Customer","Email","Decision","Decided by","Decided at","Outcome"');
    expect(lines[1]).toMatch(/^"Alice \(Deactivated\)","alice-\d+@review.test","Revoke","Rita Reviewer","\d{4}-.*","Revoked"$/);
    expect(lines[3]).toMatch(/^"Carol \(Deactivated\)",".*","Undecided \(default: Revoke\)","","","Revoked"$/);
    expect(lines[4]).toContain('"Skipped: already revoked"');
    expect(lines[5]).toMatch(/^"Former user \(Deactivated\)","","Keep",.*"Skipped: deleted"$/);

    // ended: nothing changes any more
    expect((await send(ritaSession, 'PUT', url(bob), { decision: 'revoke' })).statusCode).toBe(400);
    expect((await send(ada, 'POST', `${rest(site.slug)}/${review.id}/complete`)).statusCode).toBe(400);
    expect((await send(ada, 'POST', `${rest(site.slug)}/${review.id}/cancel`)).statusCode).toBe(400);
  });

  it('R10: bad input is a 400 naming the field; agents get 403, another organization 404, and a review is found only on its own site', async () => {
    const site = await f().site({ orgId });
    const other = await f().site({ orgId });
    await customer(site.id, 'Fresh');
    const sid = (await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'siteadmin@globex.test').executeTakeFirstOrThrow()).account_id;
    for (const [body, field] of [
      [{ name: '  ' }, 'name'],
      [{ name: 'Past', dueAt: new Date(base - DAY).toISOString() }, 'dueAt'],
      [{ name: 'Far', dueAt: day(400).toISOString() }, 'dueAt'],
      [{ name: 'Stranger', reviewerIds: [sid] }, 'reviewerIds'],
      [{ name: 'Nobody', inactiveDays: 365 }, 'scope'],
    ] as const) {
      const r = await send(ada, 'POST', rest(site.slug), body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().errors[field], JSON.stringify(body)).toBeTruthy();
    }
    expect(await t.db.selectFrom('access_reviews').select('id').where('site_id', '=', site.id).execute()).toHaveLength(0);

    const review = (await send(ada, 'POST', `/api/admin/sites/${site.slug}/access-reviews`, { name: 'Isolated' })).json();
    expect((await send(sam, 'GET', rest('acme'))).statusCode).toBe(403);
    expect((await send(sam, 'POST', rest('acme'), { name: 'Mine' })).statusCode).toBe(403);
    expect((await send(greta, 'GET', rest(site.slug))).statusCode).toBe(404);
    expect((await send(greta, 'GET', `/api/admin/sites/${site.slug}/access-reviews/${review.id}`)).statusCode).toBe(404);
    expect((await send(ada, 'GET', `${rest(other.slug)}/${review.id}`)).statusCode).toBe(404);
    expect((await send(ada, 'GET', `${rest(site.slug)}/not-a-uuid`)).statusCode).toBe(404);
    const cancelled = await send(ada, 'POST', `/api/admin/sites/${site.slug}/access-reviews/${review.id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', endedBy: { accountId: ada.accountId } });

    // the REST routes are in the OpenAPI document
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [method, path] of [
      ['post', '/s/{site}/rest/portico/1/access-review'],
      ['put', '/s/{site}/rest/portico/1/access-review/{reviewId}/customer/{accountId}'],
      ['post', '/s/{site}/rest/portico/1/access-review/{reviewId}/complete'],
      ['get', '/s/{site}/rest/portico/1/access-review/{reviewId}/report.csv'],
    ]) expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['Portico REST']);
  });

  it('on its due date the job applies a review once, the undecided getting the default, as "Access review"; the filter picks the inactive', async () => {
    const site = await f().site({ orgId });
    const idle = await customer(site.id, 'Idle', 200);
    const kept = await customer(site.id, 'Kept', 200);
    const fresh = await customer(site.id, 'Fresh');
    const started = await send(ada, 'POST', rest(site.slug), { name: 'Idle customers', inactiveDays: 90, dueAt: day(1).toISOString(), undecidedDefault: 'revoke' });
    expect(started.statusCode, started.body).toBe(201);
    const review = started.json();
    expect(review).toMatchObject({ customers: 2, scope: { inactiveDays: 90 } });
    await send(ada, 'PUT', `${rest(site.slug)}/${review.id}/customer/${kept}`, { decision: 'keep' });

    expect(await completeDueAccessReviews(ctx(), day(0))).toBe(0);
    expect((await account(idle)).status).toBe('active');
    const runs = await Promise.all([completeDueAccessReviews(ctx(), day(2)), completeDueAccessReviews(ctx(), day(2))]);
    expect(runs[0] + runs[1]).toBeGreaterThanOrEqual(1);
    expect((await account(idle)).status).toBe('revoked');
    expect((await account(kept)).status).toBe('active');
    expect((await account(fresh)).status).toBe('active');
    const revokes = await t.db.selectFrom('audit_events').select('id').where('target_id', '=', idle).where('action', '=', 'customer.access.revoked').execute();
    expect(revokes).toHaveLength(1);
    const completions = await t.db.selectFrom('audit_events').select('id').where('site_id', '=', site.id).where('action', '=', 'access_review.completed').execute();
    expect(completions).toHaveLength(1);
    const log = await send(ada, 'GET', `/api/admin/orgs/${orgId}/audit-log?target=${encodeURIComponent(idle)}&action=customer.access.revoked`);
    expect(log.json().values[0]).toMatchObject({ actor: { accountId: null, label: 'Access review' }, details: { accessReview: { name: 'Idle customers' } } });
    expect((await send(ada, 'GET', `${rest(site.slug)}/${review.id}`)).json()).toMatchObject({ status: 'completed', endedBy: null });
  });

  it.skipIf(process.env.PORTICO_TEST_DB !== 'postgres')(
    'two job runners on one PostgreSQL database apply a due review exactly once (PostgreSQL only: PGlite admits one process)',
    async () => {
      const site = await f().site({ orgId });
      const gone = await Promise.all([customer(site.id, 'Gone'), customer(site.id, 'Went')]);
      const started = await send(ada, 'POST', rest(site.slug), { name: 'Due review', dueAt: day(1).toISOString(), undecidedDefault: 'revoke' });
      expect(started.statusCode, started.body).toBe(201);
      const second = openPostgres(t.database.url!, 3);
      const config = { ...t.config, jobPollSeconds: 0.5 };
      const runners: Array<Awaited<ReturnType<typeof startBackgroundWork>>> = [];
      try {
        for (const handle of [t.database, second]) runners.push(await startBackgroundWork(handle, config, { now: () => day(2) }));
        for (const r of runners) r.startMailboxPolling('http://localhost:80');
        await vi.waitFor(async () => {
          for (const id of gone) expect((await account(id)).status).toBe('revoked');
        }, { timeout: 30_000, interval: 100 });
        const completions = await t.db.selectFrom('audit_events').select('id').where('site_id', '=', site.id).where('action', '=', 'access_review.completed').execute();
        expect(completions).toHaveLength(1);
        for (const id of gone) {
          expect(await t.db.selectFrom('audit_events').select('id').where('target_id', '=', id).where('action', '=', 'customer.access.revoked').execute()).toHaveLength(1);
        }
      } finally {
        for (const r of runners) await r.stop();
        await second.close();
      }
    },
  );
});
