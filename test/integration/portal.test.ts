import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { hashSecret, newSecret } from '../../src/domain/secrets.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { insertCustomer } from '../../src/db/queries/customers.js';

// The help center's JSON API (docs/product.md#help-center): portals, request types, my requests, KB — and who
// may see what.

let t: TestApp;
let alice: Session, bob: Session, carol: Session, globexAlice: Session, erin: Session;
let helpId: string, supId: string;
let getItHelpId: string;

const api = (site: string, path: string) => `/s/${site}/api/portal${path}`;

async function getJson(session: Session | null, url: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: session ? as(session) : {} });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

/** A session row for an account, as a login before a revoke would have left it. */
async function rawCustomerSession(accountId: string, siteSlug: string): Promise<Session> {
  const site = (await findSiteBySlug(t.db, siteSlug))!;
  const id = newSecret();
  const csrf = newSecret();
  await t.db.insertInto('sessions').values({
    id_hash: hashSecret(id), account_id: accountId, site_id: site.id, csrf_token: csrf,
    last_seen_at: new Date(), idle_expires_at: new Date(Date.now() + 3600_000), absolute_expires_at: new Date(Date.now() + 3600_000),
  }).execute();
  return { cookie: `portico_csid=${id}`, csrfToken: csrf, accountId };
}

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob, carol, globexAlice, erin] = await Promise.all([
    loginCustomer(t.app, 'acme', 'alice@customer.test'),
    loginCustomer(t.app, 'acme', 'bob@customer.test'),
    loginCustomer(t.app, 'acme', 'carol@customer.test'),
    loginCustomer(t.app, 'globex', 'alice@customer.test'),
    loginCustomer(t.app, 'globex', 'erin@customer.test'),
  ]);
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  supId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'SUP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
});
afterAll(() => t?.close());

describe('portals', () => {
  it('lists the restricted portal to its customers', async () => {
    const r = await getJson(alice, api('acme', '/portals'));
    expect(r.status).toBe(200);
    expect(r.body.values.map((p: { name: string }) => p.name)).toEqual(['Acme IT Help Center']);
  });

  it('hides a restricted portal from a customer of the site who is not a customer of the project', async () => {
    const site = (await findSiteBySlug(t.db, 'acme'))!;
    await insertCustomer(t.db, { siteId: site.id, email: 'frank@customer.test', displayName: 'Frank Outsider', passwordHash: null });
    const frank = await rawCustomerSession(await accountIdOf(t.db, 'frank@customer.test', 'acme'), 'acme');
    expect((await getJson(frank, api('acme', '/portals'))).body.values).toEqual([]);
    expect((await getJson(frank, api('acme', `/portals/${helpId}`))).status).toBe(404);
    expect((await getJson(frank, api('acme', '/kb?query=vpn'))).body.values).toEqual([]);
    const article = await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Printer troubleshooting').executeTakeFirstOrThrow();
    expect((await getJson(frank, api('acme', `/kb/${article.id}`))).status).toBe(404);
  });

  it('lists an open portal to every active customer of its site', async () => {
    const r = await getJson(erin, api('globex', '/portals'));
    expect(r.body.values.map((p: { key: string }) => p.key)).toEqual(['SUP']);
    // Globex's Alice is not a project customer of SUP, yet the portal is open
    expect((await getJson(globexAlice, api('globex', '/portals'))).body.values.map((p: { key: string }) => p.key)).toEqual(['SUP']);
  });

  it('shows a portal with its request types, and 404 for another site\'s portal', async () => {
    const r = await getJson(alice, api('acme', `/portals/${helpId}`));
    expect(r.status).toBe(200);
    expect(r.body.portal).toMatchObject({ id: helpId, key: 'HELP', name: 'Acme IT Help Center' });
    expect(r.body.requestTypes.map((x: { name: string }) => x.name)).toEqual(['Get IT help', 'Request new hardware']);
    expect((await getJson(alice, api('acme', `/portals/${supId}`))).status).toBe(404);
    expect((await getJson(alice, api('acme', '/portals/not-a-number'))).status).toBe(404);
  });

  it('shows a request type\'s form with its user-picker fields', async () => {
    const r = await getJson(alice, api('acme', `/portals/${helpId}/request-types/${getItHelpId}`));
    expect(r.status).toBe(200);
    expect(r.body.fields.map((f: { label: string; type: string }) => [f.label, f.type])).toEqual([
      ['Summary', 'text'],
      ['Description', 'paragraph'],
      ['Affected user', 'user'],
    ]);
    expect(r.body.fields[0].required).toBe(true);
    expect(r.body.canRaiseOnBehalfOf).toBe(false);
    expect((await getJson(alice, api('acme', `/portals/${helpId}/request-types/999999`))).status).toBe(404);
  });

  it('needs a login: 401 without a session, and a customer cookie of one site is not valid on another', async () => {
    expect((await getJson(null, api('acme', '/portals'))).status).toBe(401);
    const crossSite = await t.app.inject({ method: 'GET', url: api('globex', '/portals'), headers: as(alice) });
    expect(crossSite.statusCode).toBe(401);
    expect((await getJson(alice, api('nosuchsite', '/portals'))).status).toBe(404);
  });
});

describe('request visibility', () => {
  it('a customer sees their own requests and the ones shared with them', async () => {
    const created = await getJson(alice, api('acme', '/requests?filter=created'));
    expect(created.body.values.map((r: { key: string }) => r.key)).toEqual(['HELP-1']);
    const shared = await getJson(alice, api('acme', '/requests?filter=shared'));
    expect(shared.body.values.map((r: { key: string }) => r.key)).toEqual(['HELP-2']);
    const all = await getJson(alice, api('acme', '/requests'));
    expect(all.body.values.map((r: { key: string }) => r.key)).toEqual(['HELP-2', 'HELP-1']); // newest first
    expect(all.body).toMatchObject({ total: 2, isLastPage: true });
    expect(all.body.values[0].reporter).toMatchObject({ label: 'Bob Builder', active: true });
  });

  it('another customer\'s request is 404, exactly like one that does not exist', async () => {
    const other = await getJson(carol, api('acme', '/requests/HELP-1'));
    const missing = await getJson(carol, api('acme', '/requests/HELP-999'));
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body.errorMessages[0]).toContain('does not exist or you do not have permission');
    expect((await getJson(carol, api('acme', '/requests/HELP-3'))).status).toBe(200);
  });

  it('Globex\'s Alice cannot see acme requests, and Acme\'s Alice cannot see SUP-1 through her acme session', async () => {
    expect((await getJson(globexAlice, api('globex', '/requests/HELP-1'))).status).toBe(404);
    expect((await getJson(globexAlice, api('globex', '/requests/SUP-1'))).status).toBe(200);
    expect((await getJson(alice, api('acme', '/requests/SUP-1'))).status).toBe(404);
    expect((await getJson(globexAlice, api('globex', '/requests'))).body.values.map((r: { key: string }) => r.key)).toEqual(['SUP-1']);
  });

  it('the agent of the project and the org admin see every request; another org\'s admin does not', async () => {
    const sam = await loginStaff(t.app, 'agent@acme.test');
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const greta = await loginStaff(t.app, 'admin@globex.test');
    expect((await getJson(sam, api('acme', '/requests/HELP-4'))).status).toBe(200);
    expect((await getJson(ada, api('acme', '/requests/HELP-3'))).status).toBe(200);
    expect((await getJson(greta, api('acme', '/requests/HELP-1'))).status).toBe(404);
    expect((await getJson(greta, api('acme', '/portals'))).body.values).toEqual([]);
  });

  it('Carol sees HELP-1 only after Alice shares it with her', async () => {
    const carolId = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    expect((await getJson(carol, api('acme', '/requests/HELP-1'))).status).toBe(404);
    // Carol cannot share herself into it
    const sneaky = await t.app.inject({ method: 'POST', url: api('acme', '/requests/HELP-1/participants'), headers: as(carol), payload: { accountIds: [carolId] } });
    expect(sneaky.statusCode).toBe(404);
    const share = await t.app.inject({ method: 'POST', url: api('acme', '/requests/HELP-1/participants'), headers: as(alice), payload: { accountIds: [carolId] } });
    expect(share.statusCode).toBe(200);
    expect(share.json().added.map((p: { label: string }) => p.label)).toEqual(['Carol Customer']);
    const seen = await getJson(carol, api('acme', '/requests/HELP-1'));
    expect(seen.status).toBe(200);
    expect((await getJson(carol, api('acme', '/requests?filter=shared'))).body.values.map((r: { key: string }) => r.key)).toEqual(['HELP-1']);
    // Carol, a participant, may leave; then she no longer sees it
    const leave = await t.app.inject({ method: 'DELETE', url: api('acme', '/requests/HELP-1/participants'), headers: as(carol), payload: { accountIds: [carolId] } });
    expect(leave.statusCode).toBe(200);
    expect((await getJson(carol, api('acme', '/requests/HELP-1'))).status).toBe(404);
  });

  it('a participant may not remove others, and nobody removes the reporter', async () => {
    const aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    const bobId = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    // on HELP-1 Bob is a participant: he may not remove Alice (the reporter) nor anyone else
    const reporter = await t.app.inject({ method: 'DELETE', url: api('acme', '/requests/HELP-1/participants'), headers: as(alice), payload: { accountIds: [aliceId] } });
    expect(reporter.statusCode).toBe(400);
    expect(reporter.json().errorMessages[0]).toBe('The reporter cannot be removed from the request.');
    const notParticipant = await t.app.inject({ method: 'DELETE', url: api('acme', '/requests/HELP-1/participants'), headers: as(alice), payload: { accountIds: ['qm:00000000-0000-0000-0000-000000000000'] } });
    expect(notParticipant.statusCode).toBe(400);
    // Bob is the reporter of HELP-2: Alice, a participant there, cannot remove him
    const other = await t.app.inject({ method: 'DELETE', url: api('acme', '/requests/HELP-2/participants'), headers: as(alice), payload: { accountIds: [bobId] } });
    expect(other.statusCode).toBe(400);
    // Bob, a participant of HELP-1, cannot remove Carol whom Alice shared it with; Alice can
    const carolId = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    await t.app.inject({ method: 'POST', url: api('acme', '/requests/HELP-1/participants'), headers: as(alice), payload: { accountIds: [carolId] } });
    const byBob = await t.app.inject({ method: 'DELETE', url: api('acme', '/requests/HELP-1/participants'), headers: as(bob), payload: { accountIds: [carolId] } });
    expect(byBob.statusCode).toBe(403);
    const byAlice = await t.app.inject({ method: 'DELETE', url: api('acme', '/requests/HELP-1/participants'), headers: as(alice), payload: { accountIds: [carolId] } });
    expect(byAlice.statusCode).toBe(200);
    expect(byAlice.json().participants.map((p: { label: string }) => p.label)).toEqual(['Bob Builder']);
  });

  it('Dave (revoked) cannot use anything: every endpoint answers 401, even with a session row left over', async () => {
    const daveId = await accountIdOf(t.db, 'dave@customer.test', 'acme');
    const dave = await rawCustomerSession(daveId, 'acme');
    const login = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email: 'dave@customer.test', password: 'portico-demo' } });
    expect(login.statusCode).toBe(401);
    for (const path of ['/portals', `/portals/${helpId}`, '/requests', '/requests/HELP-4', '/kb?query=vpn']) {
      expect((await getJson(dave, api('acme', path))).status, path).toBe(401);
    }
    expect((await getJson(dave, '/s/acme/api/users/picker?query=bob')).status).toBe(401);
    const raise = await t.app.inject({
      method: 'POST', url: api('acme', '/requests'), headers: as(dave),
      payload: { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'Let me back in' } },
    });
    expect(raise.statusCode).toBe(401);
    const comment = await t.app.inject({ method: 'POST', url: api('acme', '/requests/HELP-4/comments'), headers: as(dave), payload: { body: 'hello?' } });
    expect(comment.statusCode).toBe(401);
    expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'Let me back in').execute()).toEqual([]);
  });
});

describe('display of a revoked customer', () => {
  it('HELP-4 shows its reporter as "Dave Departed (Deactivated)" to the agent', async () => {
    const sam = await loginStaff(t.app, 'agent@acme.test');
    const r = await getJson(sam, api('acme', '/requests/HELP-4'));
    expect(r.body.reporter).toMatchObject({ displayName: 'Dave Departed', label: 'Dave Departed (Deactivated)', active: false });
  });

  it('a deleted account shows as "Former user (Deactivated)" with name and email erased', async () => {
    const site = (await findSiteBySlug(t.db, 'acme'))!;
    const gone = await insertCustomer(t.db, { siteId: site.id, email: 'gone@customer.test', displayName: 'Gina Gone', passwordHash: null });
    const help1 = await t.db.selectFrom('requests').select('id').where('key', '=', 'HELP-1').executeTakeFirstOrThrow();
    await t.db.insertInto('comments').values({ site_id: site.id, request_id: help1.id, author_id: gone, body: 'I was here', public: true }).execute();
    await t.db.updateTable('accounts').set({ status: 'deleted', display_name: null, email: null, email_lower: null, sort_name: null }).where('account_id', '=', gone).execute();
    const r = await getJson(alice, api('acme', '/requests/HELP-1'));
    const c = r.body.comments.find((x: { body: string }) => x.body === 'I was here');
    expect(c.author).toEqual({ accountId: gone, displayName: 'Former user (Deactivated)', label: 'Former user (Deactivated)', active: false });
  });
});

describe('knowledge base', () => {
  const titles = (r: { body: { values: { title: string }[] } }) => r.body.values.map((a) => a.title);

  it('finds articles by words of title and body, the word being typed by its start', async () => {
    expect(titles(await getJson(alice, api('acme', '/kb?query=vpn')))).toEqual(['Reset your VPN password']);
    expect(titles(await getJson(alice, api('acme', '/kb?query=Print')))).toEqual(['Printer troubleshooting']);
    // "exchange" appears only in the body of the email article
    expect(titles(await getJson(alice, api('acme', '/kb?query=exchan')))).toEqual(['Set up email on your phone']);
    // any word finds an article (test/integration/knowledge-base.test.ts has the ranking)
    expect(titles(await getJson(alice, api('acme', '/kb?query=vpn%20printer'))).sort()).toEqual(['Printer troubleshooting', 'Reset your VPN password']);
    // an empty query lists the portal's articles by title
    expect(titles(await getJson(alice, api('acme', `/kb?projectId=${helpId}`)))).toEqual(['Printer troubleshooting', 'Reset your VPN password', 'Set up email on your phone']);
  });

  it('treats tsquery syntax in the user\'s text as plain words', async () => {
    for (const q of ["vpn'", 'vpn & | ! (', "'", ':*', '\\', 'a:b', '!!!', '"vpn']) {
      const r = await getJson(alice, api('acme', `/kb?query=${encodeURIComponent(q)}`));
      expect(r.status, q).toBe(200);
    }
    expect(titles(await getJson(alice, api('acme', `/kb?query=${encodeURIComponent('(vpn) & !')}`)))).toEqual(['Reset your VPN password']);
  });

  it('keeps each site\'s knowledge base to itself', async () => {
    expect(titles(await getJson(erin, api('globex', '/kb?query=vpn')))).toEqual([]);
    expect(titles(await getJson(erin, api('globex', '/kb?query=billing')))).toEqual(['Update your billing address']);
    const acmeArticle = await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Reset your VPN password').executeTakeFirstOrThrow();
    expect((await getJson(erin, api('globex', `/kb/${acmeArticle.id}`))).status).toBe(404);
    const r = await getJson(alice, api('acme', `/kb/${acmeArticle.id}`));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'Reset your VPN password', portalName: 'Acme IT Help Center' });
    expect(r.body.body).toContain('self-service page');
  });
});
