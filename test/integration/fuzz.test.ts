import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, newSecret } from '../../src/domain/secrets.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import {
  requestArbitrary,
  validRequestArbitrary,
  routeCollector,
  routeSeed,
  schemaProblems,
  type FuzzRequest,
  type FuzzRoute,
  type Pool,
  type Pools,
} from '../support/fuzz.js';
import { installChangeLog } from '../support/change-log.js';

// D1: every route of the app — REST, help center, agent workspace, admin console, sign-in,
// profile tokens, the user picker, and the plugins' own routes — is sent requests generated from
// its schema and from hostile values, as every role. No answer may be a 5xx, every refusal is a 4xx
// in Atlassian's error shape, and a refused request changes nothing in the database.
//
// Budget: PORTICO_FUZZ_MS (default 6 s per database; raise it for a deeper run) shared by the routes
// (every role first sends each route one schema-valid request, whatever the budget), at most
// PORTICO_FUZZ_RUNS requests per route (default 300). The run's seed is printed; replay a failure
// with PORTICO_FUZZ_SEED=<seed>, and PORTICO_FUZZ_ROUTE=<part of "METHOD /url"> to run only the
// routes that match.
//
// "Changes nothing" is read from a change log of every table (test/support/change-log.ts), which
// leaves out what a refused request legitimately writes (login throttling, sliding sessions).

const BUDGET_MS = Number(process.env.PORTICO_FUZZ_MS ?? 6_000);
const MAX_RUNS = Number(process.env.PORTICO_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PORTICO_FUZZ_SEED ?? Date.now() % 2 ** 31);
const ONLY = process.env.PORTICO_FUZZ_ROUTE;

/** Writes that take no body at all (they act on what their path names). */
const BODILESS = new Set([
  'POST /api/auth/logout',
  'POST /s/:site/api/portal/logout',
  'POST /api/admin/sites/:slug/customers/:accountId/revoke',
  'POST /api/admin/sites/:slug/customers/:accountId/grant',
  'PUT /s/:site/rest/servicedeskapi/customer/user/:accountId/revoke-portal-only-access',
  'PUT /s/:site/rest/servicedeskapi/customer/user/:accountId/grant-portal-only-access',
  // `portico backup` asks the server holding the embedded data directory for its backup
  'POST /api/internal/cli/backup',
  // resending a webhook delivery names everything in its path
  'POST /api/admin/orgs/:orgId/webhooks/:id/deliveries/:deliveryId/resend',
  // "Test connection" of the site's identity provider reads the saved settings
  'POST /api/admin/sites/:slug/identity-provider/test',
  // completing or cancelling an access review names it in the path: nothing else is asked
  'POST /api/admin/sites/:slug/access-reviews/:reviewId/complete',
  'POST /api/admin/sites/:slug/access-reviews/:reviewId/cancel',
  'POST /s/:site/rest/portico/1/access-review/:reviewId/complete',
  'POST /s/:site/rest/portico/1/access-review/:reviewId/cancel',
  // approving a customer's erasure request: the request its path names is the whole decision
  'POST /s/:site/rest/portico/1/erasure-request/:id/approve',
  // subscribing to a request's mail: the request its path names, and the caller, are the whole change
  'PUT /s/:site/rest/servicedeskapi/request/:issueIdOrKey/notification',
]);

/** Routes added by plugins (API docs, static files): fuzzed, but their schemas are not ours to write. */
const isPluginRoute = (r: FuzzRoute) => r.url.startsWith('/api/docs') || r.url.startsWith('/assets');

let t: TestApp;
const collector = routeCollector();

interface Role {
  name: string;
  headers(): Record<string, string>;
  /** the URLs this role is at home on: it is picked more often there */
  home?: RegExp;
}

/** A signed-in role whose session the fuzzer may end (logout, a login over it): healed after each write. */
interface LiveSession {
  session: Session;
  login(): Promise<Session>;
}
/** A staff member's API token, which the fuzzer could revoke through the profile API. */
interface LiveToken {
  email: string;
  tokenId: string;
  header: string;
}

const live: Record<string, LiveSession> = {};
const tokens: Record<string, LiveToken> = {};
let revokedSession: Session;
let pools: Pools;
/** a SCIM token of acme (inserted directly: the fuzzer may revoke the ones it creates) */
const scimToken = `scim_${newSecret()}`;

async function createToken(email: string): Promise<LiveToken> {
  const account = await t.db.selectFrom('accounts').select('account_id').where('kind', '=', 'staff').where('email_lower', '=', email).executeTakeFirstOrThrow();
  const token = newSecret();
  const id = randomUUID();
  await t.db.insertInto('api_tokens').values({ id, account_id: account.account_id, label: 'fuzz', token_hash: hashSecret(token) }).execute();
  return { email, tokenId: id, header: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` };
}

const cookieValue = (s: Session) => s.cookie.slice(s.cookie.indexOf('=') + 1);

/** Logs back in whoever the last write logged out, and replaces a revoked token. */
async function heal(): Promise<void> {
  for (const role of Object.values(live)) {
    const row = await t.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashSecret(cookieValue(role.session))).executeTakeFirst();
    if (!row) role.session = await role.login();
  }
  for (const [name, token] of Object.entries(tokens)) {
    const row = await t.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', token.tokenId).executeTakeFirst();
    if (!row || row.revoked_at) tokens[name] = await createToken(token.email);
  }
}

const roles: Role[] = [
  { name: 'anonymous', headers: () => ({}) },
  { name: 'customer alice@acme', headers: () => as(live.alice.session), home: /\/api\/portal\/|\/rest\/|\/users\/picker/ },
  { name: 'agent@acme (cookie)', headers: () => as(live.agent.session), home: /\/api\/agent\/|\/users\/picker/ },
  { name: 'agent@acme (API token)', headers: () => ({ authorization: tokens.agent.header }), home: /\/rest\/|\/api\/profile\// },
  { name: 'admin@acme (cookie)', headers: () => as(live.admin.session), home: /\/api\/admin\/|\/api\/orgs\/|\/api\/agent\/|\/api\/profile\// },
  { name: 'admin@acme (API token)', headers: () => ({ authorization: tokens.admin.header }), home: /\/rest\/|\/api\/admin\// },
  { name: 'SCIM token of acme', headers: () => ({ authorization: `Bearer ${scimToken}` }), home: /\/scim\/v2\// },
  { name: 'siteadmin@globex (cookie)', headers: () => as(live.siteadmin.session) },
  { name: 'siteadmin@globex (API token)', headers: () => ({ authorization: tokens.siteadmin.header }) },
  { name: "revoked customer's old session", headers: () => as(revokedSession) },
  { name: 'admin@acme (cookie, no CSRF token)', headers: () => ({ cookie: live.admin.session.cookie }) },
];

/** Known values by field name: those of acme (where the roles mostly act) are likely, the rest cross sites. */
async function buildPools(): Promise<Pools> {
  const db = t.db;
  const acme = await db.selectFrom('sites').select(['id', 'org_id']).where('slug', '=', 'acme').executeTakeFirstOrThrow();
  const split = <T,>(rows: T[], isAcme: (r: T) => boolean, value: (r: T) => string): Pool => ({
    likely: rows.filter(isAcme).map(value),
    other: rows.filter((r) => !isAcme(r)).map(value),
  });
  const join = (...pools: Pool[]): Pool => ({ likely: pools.flatMap((p) => p.likely), other: pools.flatMap((p) => p.other ?? []) });
  const sites = split(await db.selectFrom('sites').select('slug').execute(), (r) => r.slug === 'acme', (r) => r.slug);
  const orgs = split(await db.selectFrom('organizations').select('id').execute(), (r) => r.id === acme.org_id, (r) => r.id);
  // alice@acme acts as the customer role: the fuzzer gets every other account to revoke, delete or re-password
  const accountRows = (await db.selectFrom('accounts').select(['account_id', 'email', 'site_id', 'kind']).execute()).filter((a) => a.account_id !== live.alice.session.accountId);
  const inAcme = (a: { site_id: string | null; kind: string }) => a.site_id === acme.id || a.kind === 'staff';
  const accounts = split(accountRows, inAcme, (a) => a.account_id);
  const emails = split(accountRows.filter((a) => a.email !== null), inAcme, (a) => a.email!);
  const requests = await db.selectFrom('requests').select(['id', 'key', 'site_id']).execute();
  const requestKeys = join(split(requests, (r) => r.site_id === acme.id, (r) => r.key), { likely: [], other: requests.map((r) => String(r.id)) });
  const projects = await db.selectFrom('projects').select(['id', 'key', 'site_id']).execute();
  const projectRefs = join(split(projects, (p) => p.site_id === acme.id, (p) => String(p.id)), split(projects, (p) => p.site_id === acme.id, (p) => p.key));
  const requestTypes = split(await db.selectFrom('request_types').select(['id', 'site_id']).execute(), (r) => r.site_id === acme.id, (r) => String(r.id));
  const fields = split(await db.selectFrom('custom_fields').select(['id', 'site_id']).execute(), (r) => r.site_id === acme.id, (r) => `customfield_${r.id}`);
  const articles = split(await db.selectFrom('kb_articles').select(['id', 'site_id']).execute(), (r) => r.site_id === acme.id, (r) => String(r.id));
  const filters = split(await db.selectFrom('saved_filters').select(['id', 'site_id']).execute(), (r) => r.site_id === acme.id, (r) => String(r.id));
  const spareTokens = { likely: [(await createToken('agent@acme.test')).tokenId, (await createToken('admin@acme.test')).tokenId] };
  const queues = split(await db.selectFrom('queues').select(['id', 'site_id']).execute(), (r) => r.site_id === acme.id, (r) => String(r.id));
  const ids = (pool: Pool) => pool.likely.slice(0, 3).map((id) => `"${id}"`).join(', ');
  const jql = [
    'project = HELP',
    'reporter = "bob@customer.test" ORDER BY created DESC',
    `reporter in (${ids(accounts)})`,
    'summary ~ "printer" AND status = Open',
    'text ~ "50%_off"',
    `${fields.likely[0] ?? 'customfield_1'} = currentUser()`,
    'key = HELP-1 OR key in (HELP-2, HELP-3) ORDER BY key ASC, created DESC',
    'status != Closed AND created >= -30d',
  ];
  return {
    site: sites,
    slug: sites,
    orgId: orgs,
    accountId: accounts,
    accountIds: accounts,
    participants: accounts,
    requestParticipants: accounts,
    reporter: accounts,
    exclude: accounts,
    excludeAccountIds: accounts,
    onBehalfOf: join(accounts, emails),
    raiseOnBehalfOf: join(accounts, emails),
    email: emails,
    password: { likely: [DEMO_PASSWORD, 'correct horse battery staple'] },
    key: join(requestKeys, { likely: ['HELP'], other: projects.map((p) => p.key) }),
    issueIdOrKey: requestKeys,
    projectId: projectRefs,
    serviceDeskId: projectRefs,
    requestTypeId: requestTypes,
    queueId: queues,
    assignee: accounts,
    priority: { likely: ['High', 'lowest', 'Urgent'] },
    id: join(articles, filters, spareTokens),
    jql: { likely: jql },
    query: { likely: ['a', 'al', 'alice', 'bob@', 'customer.test', 'Ada', 'printer', 'Bob Cus'] },
    searchQuery: { likely: ['a', 'printer', 'access'] },
    fields: join({ likely: ['*all', '*navigable', 'summary', 'status', 'reporter', '-summary'] }, fields),
    expand: { likely: ['names', 'participant', 'status', 'comment', 'field', 'groups', 'applicationRoles', 'renderedBody', 'requestType', 'serviceDesk'] },
    status: { likely: ['Open', 'In progress', 'Resolved', 'Closed'] },
    action: { likely: ['customer.access.revoked', 'customer.access.granted'] },
    summary: { likely: ['Printer on fire', 'VPN down'] },
    '@key': join({ likely: ['summary', 'description'] }, fields),
    '@value': accounts,
  };
}

beforeAll(async () => {
  t = await createTestApp({
    onRoute: collector.onRoute,
    // the fuzzer tries many wrong passwords; throttling has its own tests
    config: { loginThrottle: { accountAddressMaxFailures: 1_000_000, accountMaxFailures: 1_000_000, ipMaxFailures: 1_000_000 } },
  });
  const staff = (email: string): LiveSession => ({ session: undefined as unknown as Session, login: () => loginStaff(t.app, email) });
  live.alice = { session: undefined as unknown as Session, login: () => loginCustomer(t.app, 'acme', 'alice@customer.test') };
  live.agent = staff('agent@acme.test');
  live.admin = staff('admin@acme.test');
  live.siteadmin = staff('siteadmin@globex.test');
  const acmeSite = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  await t.db.insertInto('scim_tokens').values({ id: randomUUID(), site_id: acmeSite.id, label: 'fuzz', token_hash: hashSecret(scimToken), created_by: null }).execute();
  for (const role of Object.values(live)) role.session = await role.login();
  for (const name of ['agent', 'admin', 'siteadmin'] as const) tokens[name] = await createToken(name === 'siteadmin' ? 'siteadmin@globex.test' : `${name}@acme.test`);
  // carol signs in, then loses access: her old cookie is what a revoked customer still holds
  revokedSession = await loginCustomer(t.app, 'acme', 'carol@customer.test');
  const revoke = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${revokedSession.accountId}/revoke`, headers: as(live.admin.session) });
  expect(revoke.statusCode).toBe(200);
  await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/filters', headers: as(live.agent.session), payload: { name: 'fuzz', jql: 'project = HELP' } });
  pools = await buildPools();
  console.log(`database: ${t.database.label}; fuzz seed ${SEED} (replay: PORTICO_FUZZ_SEED=${SEED})`);
});
afterAll(() => t?.close());

function ownRoutes(): FuzzRoute[] {
  return collector.routes.filter((r) => !isPluginRoute(r));
}

/** The routes fuzzed: every route but the HEAD twin of a GET (the same handler). */
function fuzzedRoutes(): FuzzRoute[] {
  const gets = new Set(collector.routes.filter((r) => r.method === 'GET').map((r) => r.url));
  return collector.routes
    .filter((r) => !(r.method === 'HEAD' && gets.has(r.url)))
    .filter((r) => !ONLY || `${r.method} ${r.url}`.includes(ONLY));
}

function describeRequest(req: FuzzRequest, role: Role): string {
  const body = req.payload === undefined ? '' : ` body ${JSON.stringify(req.payload.length > 300 ? `${req.payload.slice(0, 300)}…(${req.payload.length})` : req.payload)}`;
  const url = req.url.length > 300 ? `${req.url.slice(0, 300)}…(${req.url.length})` : req.url;
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v}`);
  return `${req.method} ${url} as ${role.name}${headers.length ? ` [${headers.join('; ')}]` : ''}${body}`;
}

/** Atlassian's error shape; on the SCIM server (docs/product.md#scim-provisioning), SCIM's own. */
function isAtlassianError(res: LightMyRequestResponse, url = ''): boolean {
  try {
    const body = res.json();
    // (a URL the router itself refuses, a broken %-escape, is answered before any route: Atlassian's shape)
    if (/^\/s\/[^/]*\/scim\//.test(url) && Array.isArray(body.schemas)) return body.schemas[0] === 'urn:ietf:params:scim:api:messages:2.0:Error' && typeof body.detail === 'string';
    return Array.isArray(body.errorMessages) && typeof body.errors === 'object' && body.errors !== null;
  } catch {
    return false;
  }
}

describe('D1: fuzzing every route', () => {
  it('D1: every route has a schema for its path parameters and body', () => {
    expect(ownRoutes().length).toBeGreaterThan(50);
    expect(ownRoutes().flatMap((r) => schemaProblems(r, BODILESS))).toEqual([]);
    // the list of body-less writes names only routes that exist
    const names = new Set(ownRoutes().map((r) => `${r.method} ${r.url}`));
    expect([...BODILESS].filter((n) => !names.has(n))).toEqual([]);
  });

  it(
    'D1: no request to any route, as any role, answers 5xx, and a refused request changes nothing',
    async () => {
      const changes = await installChangeLog(t.db);
      const routes = fuzzedRoutes();
      // the API docs, static files and health checks get a quarter share of the time
      const weight = (r: FuzzRoute) => (isPluginRoute(r) || r.schema?.hide ? 0.25 : 1);
      const totalWeight = routes.reduce((sum, r) => sum + weight(r), 0);
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let sent = 0;
      const started = Date.now();

      /** Sends one request; answers what is wrong with the outcome, if anything. */
      async function check(role: Role, req: FuzzRequest): Promise<string | null> {
        collector.errors.last = null;
        const res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers: { ...role.headers(), ...req.headers }, payload: req.payload });
        sent++;
        // work a route starts after its answer (the password-reset request's) belongs to this request
        await t.app.afterResponse.idle();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const what = `${describeRequest(req, role)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        if (res.statusCode >= 500) {
          const error = collector.errors.last as Error | null;
          return `5xx: ${what}${error ? `\n  error: ${(error.stack ?? String(error)).split('\n').slice(0, 4).join('\n    ')}` : ''}`;
        }
        if (res.statusCode >= 400) {
          if (req.method !== 'HEAD' && !isAtlassianError(res, req.url)) return `a refusal not in Atlassian's error shape: ${what}`;
          const changed = await changes.take();
          if (changed.length) return `refused, yet changed ${changed.map((c) => `${c.table} (${c.op} ${c.row})`).join(', ')}: ${what}`;
        } else {
          if (!['GET', 'HEAD'].includes(req.method)) await heal();
          await changes.take();
        }
        return null;
      }

      for (const route of routes) {
        const seed = routeSeed(SEED, route);
        const valid = validRequestArbitrary(route, pools);
        // a role is picked more often on its own surface
        const anyRole = fc.oneof(...roles.map((r) => ({ weight: r.home?.test(route.url) ? 6 : 1, arbitrary: fc.constant(r) })));
        const mixed = fc.tuple(anyRole, requestArbitrary(route, pools));
        // every role first sends a schema-valid request; then the mix until the route's time is up
        const deadline = Date.now() + (BUDGET_MS * weight(route)) / totalWeight;
        let count = 0;
        let routeFailures = 0;
        routeLoop: for (let batch = 0; ; batch++) {
          const requests: [Role, FuzzRequest][] =
            batch === 0 ? roles.map((role, i) => [role, fc.sample(valid, { seed: seed + i, numRuns: 1 })[0]]) : fc.sample(mixed, { seed: seed + 1000 * batch, numRuns: 20 });
          for (const [role, req] of requests) {
            if (count >= MAX_RUNS || (batch > 0 && Date.now() > deadline)) break routeLoop;
            count++;
            const problem = await check(role, req);
            if (problem) {
              failures.push(`${route.method} ${route.url}: ${problem}\n  (request ${count}; replay: PORTICO_FUZZ_SEED=${SEED} PORTICO_FUZZ_ROUTE="${route.method} ${route.url}")`);
              await heal();
              await changes.take();
              // a few failures of a route say more than one; more would only repeat it
              if (++routeFailures === 3) break routeLoop;
            }
          }
        }
      }

      const seconds = (Date.now() - started) / 1000;
      console.log(
        `fuzz: ${routes.length} routes, ${sent} requests in ${seconds.toFixed(1)} s (${t.database.label}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
      );
      expect(failures, failures.join('\n\n')).toEqual([]);
    },
    BUDGET_MS * 3 + 60_000,
  );
});
