import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import * as argon2 from '@node-rs/argon2';
import { createTestApp, loginCustomer, loginStaff, as, accountIdOf, type TestApp } from '../support/app.js';
import { fillRoute, routeTable } from '../support/routes.js';
import { runAccessGrid } from '../support/access-grid.js';
import { insertCustomer } from '../../src/db/queries/customers.js';
import { hashPassword } from '../../src/domain/passwords.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';

// Who may revoke and grant, what a refused login looks like and costs, CSRF on every cookie write,
// and whether any connection outlives a request. Argon2's own verify is counted, not timed.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...original, verify: vi.fn(original.verify) };
});

let t: TestApp;
const ids: Record<string, string> = {};
let acmeOrgId: string;
let helpProjectId: string;
let getItHelpId: string;
let articleId: string;

beforeAll(async () => {
  t = await createTestApp();
  ids.alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  ids.bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
  ids.erin = await accountIdOf(t.db, 'erin@customer.test', 'globex');
  const eu = await t.db.selectFrom('sites').select('id').where('slug', '=', 'globex-eu').executeTakeFirstOrThrow();
  ids.eve = await insertCustomer(t.db, { siteId: eu.id, email: 'eve@customer.test', displayName: 'Eve Europe', passwordHash: await hashPassword(DEMO_PASSWORD) });
  acmeOrgId = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
  helpProjectId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  articleId = String((await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Reset your VPN password').executeTakeFirstOrThrow()).id);
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const customerLogin = (email: string, password: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email, password }), remoteAddress });
const staffLogin = (email: string, password: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: JSON.stringify({ email, password }), remoteAddress });

/** Everything a client can observe of a response, apart from its date and any per-response nonce. */
function observable(res: LightMyRequestResponse) {
  const headers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (k === 'date') continue;
    headers[k] = typeof v === 'string' ? v.replace(/'nonce-[^']*'/g, "'nonce-…'") : v;
  }
  return { status: res.statusCode, body: res.body, headers };
}

async function statusOf(id: string) {
  return (await t.db.selectFrom('accounts').select('status').where('account_id', '=', id).executeTakeFirstOrThrow()).status;
}
async function auditCount() {
  return Number((await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
}

describe('a refused login', () => {
  it('R4: a revoked customer with her correct password gets, byte for byte and header for header, what a wrong password and an unknown email get', async () => {
    const ada = await loginStaff(t.app, 'admin@acme.test');
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.alice}/revoke`, headers: as(ada) })).statusCode).toBe(200);
    try {
      const revoked = await customerLogin('alice@customer.test', DEMO_PASSWORD, '198.51.100.41');
      const revokedWrong = await customerLogin('alice@customer.test', 'not-her-password', '198.51.100.42');
      const wrong = await customerLogin('bob@customer.test', 'not-his-password', '198.51.100.43');
      const unknown = await customerLogin('nobody@customer.test', DEMO_PASSWORD, '198.51.100.44');
      const demoRevoked = await customerLogin('dave@customer.test', DEMO_PASSWORD, '198.51.100.45');
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      for (const other of [revoked, revokedWrong, unknown, demoRevoked]) expect(observable(other)).toEqual(observable(wrong));
    } finally {
      await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.alice}/grant`, headers: as(ada) });
    }
    // the control: her password was right all along
    expect((await customerLogin('alice@customer.test', DEMO_PASSWORD, '198.51.100.46')).statusCode).toBe(200);
  });

  it('R5: every login costs exactly one argon2 verification of equal cost — unknown, revoked, deleted, another site, staff at a help center, customer at the staff login, wrong password', async () => {
    const verify = vi.mocked(argon2.verify);
    const ada = await loginStaff(t.app, 'admin@acme.test');
    // a deleted customer (deleted through the admin API, so as a real deletion leaves the row)
    const acme = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const zoe = await insertCustomer(t.db, { siteId: acme.id, email: 'zoe@customer.test', displayName: 'Zoe Gone', passwordHash: await hashPassword(DEMO_PASSWORD) });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${zoe}`, headers: as(ada) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.bob}/revoke`, headers: as(ada) })).statusCode).toBe(200);

    const attempts: Array<[string, () => Promise<LightMyRequestResponse>, number]> = [
      ['correct password (the control)', () => customerLogin('carol@customer.test', DEMO_PASSWORD, '198.51.100.51'), 200],
      ['wrong password', () => customerLogin('carol@customer.test', 'not-her-password', '198.51.100.52'), 401],
      ['unknown email', () => customerLogin('ghost@customer.test', DEMO_PASSWORD, '198.51.100.53'), 401],
      ['revoked through the API, correct password', () => customerLogin('bob@customer.test', DEMO_PASSWORD, '198.51.100.54'), 401],
      ['revoked in the demo data, correct password', () => customerLogin('dave@customer.test', DEMO_PASSWORD, '198.51.100.55'), 401],
      ['deleted, correct password', () => customerLogin('zoe@customer.test', DEMO_PASSWORD, '198.51.100.56'), 401],
      ['a customer of another site', () => customerLogin('erin@customer.test', DEMO_PASSWORD, '198.51.100.57'), 401],
      ['staff at a help center', () => customerLogin('admin@acme.test', DEMO_PASSWORD, '198.51.100.58'), 401],
      ['a customer at the staff login', () => staffLogin('alice@customer.test', DEMO_PASSWORD, '198.51.100.59'), 401],
      ['unknown email at the staff login', () => staffLogin('ghost@acme.test', DEMO_PASSWORD, '198.51.100.60'), 401],
      ['staff, wrong password', () => staffLogin('agent@acme.test', 'not-the-password', '198.51.100.61'), 401],
    ];
    const parameters = new Set<string>();
    try {
      for (const [what, attempt, status] of attempts) {
        verify.mockClear();
        const res = await attempt();
        expect(res.statusCode, what).toBe(status);
        expect(verify, what).toHaveBeenCalledTimes(1);
        // $argon2id$v=19$m=…,t=…,p=…$salt$hash: the algorithm, version and cost of the hash verified
        parameters.add(String(verify.mock.calls[0][0]).split('$').slice(1, 4).join('$'));
      }
    } finally {
      await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.bob}/grant`, headers: as(ada) });
    }
    expect([...parameters]).toEqual(['argon2id$v=19$m=19456,t=2,p=1']);
  });
});

describe('who may revoke and grant', () => {
  type Outcome = 'allowed' | 401 | 403 | 404;
  interface Caller {
    name: string;
    headers: Record<string, string>;
    /** the outcome for a customer of this site, through the admin API / the REST API */
    expect(site: string, via: 'admin' | 'rest'): Outcome;
  }
  const routes = [
    { name: 'admin API revoke', via: 'admin', verb: 'revoke', call: (site: string, id: string, h: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/admin/sites/${site}/customers/${id}/revoke`, headers: h }) },
    { name: 'admin API grant', via: 'admin', verb: 'grant', call: (site: string, id: string, h: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/admin/sites/${site}/customers/${id}/grant`, headers: h }) },
    { name: 'bulk revoke', via: 'admin', verb: 'revoke', call: (site: string, id: string, h: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/admin/sites/${site}/customers/bulk`, headers: h, payload: { action: 'revoke', accountIds: [id] } }) },
    { name: 'bulk grant', via: 'admin', verb: 'grant', call: (site: string, id: string, h: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/admin/sites/${site}/customers/bulk`, headers: h, payload: { action: 'grant', accountIds: [id] } }) },
    { name: 'REST revoke', via: 'rest', verb: 'revoke', call: (site: string, id: string, h: Record<string, string>) => t.app.inject({ method: 'PUT', url: `/s/${site}/rest/servicedeskapi/customer/user/${id}/revoke-portal-only-access`, headers: { ...h, ...json } }) },
    { name: 'REST grant', via: 'rest', verb: 'grant', call: (site: string, id: string, h: Record<string, string>) => t.app.inject({ method: 'PUT', url: `/s/${site}/rest/servicedeskapi/customer/user/${id}/grant-portal-only-access`, headers: { ...h, ...json } }) },
  ] as const;

  it('R10: an access grid over every revoke and grant route: org admins and the site\'s site admins only; 403 for others of the site, 404 for other sites and organizations, 401 for anyone not signed in there', async () => {
    const targets: Array<[string, string]> = [['acme', ids.alice], ['globex', ids.erin], ['globex-eu', ids.eve]];
    const staff = async (email: string) => as(await loginStaff(t.app, email));
    const customer = async (site: string, email: string) => as(await loginCustomer(t.app, site, email));
    // A customer's cookie belongs to their own site's URLs: elsewhere (the admin API, other sites) it signs nobody in.
    const customerOf = (home: string) => (site: string, via: 'admin' | 'rest'): Outcome => (via === 'rest' && site === home ? 403 : 401);
    const callers: Caller[] = [
      { name: 'Ada, org admin of Acme', headers: await staff('admin@acme.test'), expect: (s) => (s === 'acme' ? 'allowed' : 404) },
      { name: 'Greta, org admin of Globex', headers: await staff('admin@globex.test'), expect: (s) => (s === 'acme' ? 404 : 'allowed') },
      { name: 'Sid, site admin of globex', headers: await staff('siteadmin@globex.test'), expect: (s) => (s === 'globex' ? 'allowed' : 404) },
      { name: 'Sam, agent on acme', headers: await staff('agent@acme.test'), expect: (s) => (s === 'acme' ? 403 : 404) },
      { name: 'Bob, customer of acme', headers: await customer('acme', 'bob@customer.test'), expect: customerOf('acme') },
      { name: 'Alice, customer of globex', headers: await customer('globex', 'alice@customer.test'), expect: customerOf('globex') },
      { name: 'anonymous', headers: {}, expect: () => 401 },
    ];
    const grid = await runAccessGrid({
      callers,
      states: ['active', 'revoked'] as const,
      routes: routes.map((r) => ({ ...r, call: ([site, id]: [string, string], h: Record<string, string>) => r.call(site, id, h) })),
      targets,
      describeTarget: ([site]) => `a customer of ${site}`,
      // an allowed caller changes a target in the opposite state, and changes nothing (no second event) in the same one
      expected: ({ caller, state, route, target: [site] }) => {
        const outcome = caller.expect(site, route.via);
        if (outcome !== 'allowed') return outcome;
        return state === (route.verb === 'revoke' ? 'active' : 'revoked') ? 'allowed' : 'no-op';
      },
      arrange: async ({ state, target: [, id] }) => {
        await t.db.updateTable('accounts').set({ status: state }).where('account_id', '=', id).execute();
      },
      observe: async ([, id]) => ({ status: await statusOf(id), events: await auditCount() }),
      onAllowed: (_res, { route }, { before, after }) => {
        expect(after).toEqual({ status: route.verb === 'revoke' ? 'revoked' : 'active', events: (before as { events: number }).events + 1 });
      },
      onRefused: (res) => expect(res.json()).toMatchObject({ errorMessages: [expect.any(String)], errors: expect.any(Object) }),
    });
    for (const [, target] of targets) await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', target).execute();
    expect(grid.cells).toBe(targets.length * callers.length * routes.length * 2);
    const allowedCells = grid.allowed;
    expect(allowedCells).toBe(4 * 6); // Ada on acme, Greta on globex and globex-eu, Sid on globex: six routes each
  });

  it('R10: every write a cookie authenticates is refused without the CSRF token, before anything else about it is looked at, and changes nothing', async () => {
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const values: Record<string, string> = {
      site: 'acme', slug: 'acme', orgId: acmeOrgId, accountId: ids.alice, key: 'HELP-1', issueIdOrKey: 'HELP-1',
      projectId: helpProjectId, serviceDeskId: helpProjectId, requestTypeId: getItHelpId, id: articleId, organizationId: '1', commentId: '1', approvalId: '1', articleId, queueId: '1', kind: 'revoked', slaMetricId: '1', tokenId: '1', deliveryId: '1', pageId: articleId, propertyKey: 'crm', attachmentId: '1', reviewId: '00000000-0000-4000-8000-000000000000',
    };
    // Login, password reset, sign-up and setting a password from a verification or invitation link act
    // on the credentials or token in their body, never on a cookie: they are guarded by requiring a
    // same-origin JSON body instead (checked below). The CLI routes take a secret header.
    // The help center's unsubscribe page acts on the signed token of a notification's link the same way.
    const credentialRoutes = new Set([
      'POST /api/auth/login',
      'POST /s/:site/api/portal/login',
      'POST /s/:site/api/portal/password-reset',
      'POST /s/:site/api/portal/password-reset/complete',
      'POST /s/:site/api/portal/signup',
      'POST /s/:site/api/portal/set-password',
      'POST /s/:site/api/portal/set-password/check',
      'POST /s/:site/api/portal/email-change/confirm',
      'PUT /s/:site/api/portal/unsubscribe',
      // sign-in with the site's identity provider: state, nonce and verifier are bound to the browser by its own cookie
      'POST /s/:site/api/portal/sso/oidc/start',
      'POST /s/:site/api/portal/sso/oidc/callback',
      'POST /s/:site/api/portal/sso/saml/start',
      'POST /s/:site/api/portal/sso/saml/callback',
    ]);
    // RFC 8058's one-click unsubscribe is posted by mail programs as a form without a cookie: it acts on
    // the signed token in its URL only, never on a session, so a post without a valid token changes nothing.
    const signedLinkRoutes = new Set(['POST /s/:site/api/portal/unsubscribe']);
    // The SAML ACS is posted cross-site by the identity provider's page as a form, with no cookie of
    // Portico's: it acts on the signed response only, and never opens or uses a session.
    const samlAcsRoutes = new Set(['POST /s/:site/api/portal/sso/saml/acs']);
    const cliRoutes = new Set(['POST /api/internal/cli/tokens', 'POST /api/internal/cli/customers/import', 'POST /api/internal/cli/mailbox', 'POST /api/internal/cli/backup', 'POST /api/internal/cli/scim-tokens']);
    const writes = routeTable(t.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    expect(writes.length).toBeGreaterThan(20);

    const snapshot = async () =>
      JSON.stringify({
        accounts: await t.db.selectFrom('accounts').select(['account_id', 'status', 'display_name', 'password_hash']).orderBy('account_id').execute(),
        sessions: await t.db.selectFrom('sessions').select('id_hash').orderBy('id_hash').execute(),
        counts: await Promise.all(
          (['audit_events', 'comments', 'requests', 'request_participants', 'request_user_values', 'project_customers', 'saved_filters', 'api_tokens', 'one_time_tokens', 'organizations'] as const).map(
            async (table) => [table, Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)],
          ),
        ),
        orgs: await t.db.selectFrom('organizations').select(['id', 'user_management']).orderBy('id').execute(),
      });
    const before = await snapshot();

    let checked = 0;
    for (const route of writes) {
      const name = `${route.method} ${route.url}`;
      if (route.url.startsWith('/api/docs')) continue;
      const url = fillRoute(route.url, values);
      expect(url, `a value for every parameter of ${name}`).toBeDefined();
      if (cliRoutes.has(name)) continue;
      if (route.url.startsWith('/s/:site/scim/')) {
        // SCIM answers only its site's bearer token: a cookie opens nothing there (docs/product.md#scim)
        const res = await t.app.inject({ method: route.method as 'POST', url: url!, headers: { cookie: `${ada.cookie}; ${bob.cookie}`, 'content-type': 'application/scim+json' }, payload: '{}' });
        expect(res.statusCode, `${name} with cookies only`).toBe(401);
        continue;
      }
      if (signedLinkRoutes.has(name)) {
        const forged = await t.app.inject({
          method: 'POST',
          url: `${url!}?token=forged.token`,
          headers: { cookie: `${ada.cookie}; ${bob.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
        expect(forged.statusCode, `${name} without a valid signed token`).toBe(400);
        continue;
      }
      if (samlAcsRoutes.has(name)) {
        const forged = await t.app.inject({ method: 'POST', url: url!, headers: { cookie: `${ada.cookie}; ${bob.cookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'SAMLResponse=forged&RelayState=x' });
        expect(forged.statusCode, `${name} without a SAML response`).toBe(400);
        continue;
      }
      if (credentialRoutes.has(name)) {
        const form = await t.app.inject({ method: route.method as 'POST', url: url!, headers: { cookie: `${ada.cookie}; ${bob.cookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%40b.c&password=x&token=x' });
        expect(form.statusCode, `${name} as a cross-site form`).toBe(415);
        const foreign = await t.app.inject({ method: route.method as 'POST', url: url!, headers: { ...json, origin: 'https://evil.example' }, payload: JSON.stringify({ email: 'a@b.c', password: 'x', token: 'x' }) });
        expect(foreign.statusCode, `${name} from another origin`).toBe(403);
        continue;
      }
      for (const [who, session] of [['staff', ada], ['customer', bob]] as const) {
        // a well-formed JSON body or not, it must not matter: the token is checked first
        const res = await t.app.inject({ method: route.method as 'POST', url: url!, headers: { cookie: session.cookie, ...json }, payload: '{}' });
        const signedIn = who === 'staff' || url!.startsWith('/s/acme/');
        if (signedIn) {
          expect(res.statusCode, `${name} with a ${who} cookie and no token: ${res.body}`).toBe(403);
          expect(res.json().errorMessages[0], name).toMatch(/CSRF/);
        } else {
          // signed in as nobody there, so an anonymous write: refused (400 for this empty body, else 401), or a logout with nothing to end
          expect(route.url.endsWith('/logout') ? [204] : [400, 401], `${name} with a ${who} cookie, which signs nobody in there`).toContain(res.statusCode);
        }
        const wrongToken = await t.app.inject({ method: route.method as 'POST', url: url!, headers: { cookie: session.cookie, 'x-csrf-token': 'not-the-token', ...json }, payload: '{}' });
        expect(wrongToken.statusCode, `${name} with a ${who} cookie and a wrong token`).toBe(res.statusCode);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(await snapshot()).toBe(before);
    // the control: the same kind of write with the token goes through
    const ok = await t.app.inject({ method: 'PUT', url: `/api/admin/orgs/${acmeOrgId}/settings`, headers: as(ada), payload: { userManagement: 'centralized' } });
    expect(ok.statusCode).toBe(200);
  });
});

describe('long-lived connections', () => {
  it('R13: none exists for a customer: no upgrade or event stream anywhere, every route answers a customer with a complete, length-delimited body but their own-data download; the other streamed answers (the admin CSV exports) are staff-only', async () => {
    // nothing listens for protocol upgrades (websockets)
    expect(t.app.server.listenerCount('upgrade')).toBe(0);
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const values: Record<string, string> = {
      site: 'acme', slug: 'acme', orgId: acmeOrgId, accountId: ids.alice, issueIdOrKey: 'HELP-1',
      projectId: helpProjectId, serviceDeskId: helpProjectId, requestTypeId: getItHelpId, id: articleId, organizationId: '1', commentId: '1', approvalId: '1', articleId, queueId: '1', kind: 'revoked', slaMetricId: '1', tokenId: '1', deliveryId: '1', pageId: articleId, propertyKey: 'crm', attachmentId: '1', reviewId: '00000000-0000-4000-8000-000000000000', '*': 'index.css',
    };
    const reads = routeTable(t.app).filter((r) => r.method === 'GET');
    const streamedFor: Record<string, string[]> = { customer: [], staff: [] };
    for (const route of reads) {
      // an agent route's :key is a project key, elsewhere a request key
      const url = fillRoute(route.url, { ...values, key: route.url.includes('/projects/:key') ? 'HELP' : 'HELP-1' });
      expect(url, route.url).toBeDefined();
      for (const [who, session] of [['customer', alice], ['staff', ada]] as const) {
        const res = await t.app.inject({ method: 'GET', url: url!, headers: as(session) });
        expect(res.statusCode, `${who} GET ${url}`).toBeLessThan(500);
        expect(String(res.headers['content-type'] ?? ''), url).not.toMatch(/event-stream/);
        // Fastify sets content-length for every buffered answer; a stream is sent without one
        if (res.statusCode !== 204 && res.headers['content-length'] === undefined) streamedFor[who].push(route.url);
      }
    }
    expect(reads.length).toBeGreaterThan(30);
    // the customer's own-data download is streamed; it stops at its next page once the account is revoked (own-data.test.ts)
    expect(streamedFor.customer).toEqual(['/s/:site/rest/portico/1/customer/:accountId/personal-data']);
    expect(streamedFor.staff.sort()).toEqual(['/api/admin/orgs/:orgId/audit-log/export.csv', '/api/admin/sites/:slug/customers/export.csv']);
    // …which a customer cannot open, signed in or not
    const exportUrl = '/api/admin/sites/acme/customers/export.csv';
    expect((await t.app.inject({ method: 'GET', url: exportUrl, headers: as(alice) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: exportUrl })).statusCode).toBe(401);
  });
});
