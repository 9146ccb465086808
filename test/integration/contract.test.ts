import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse, RouteOptions, preSerializationAsyncHookHandler } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { CLI_SECRET_HEADER } from '../../src/http/routes/auth/cli.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { signInAtProvider, startOidcProvider } from '../support/oidc-provider.js';
import { startSamlIdp } from '../support/saml-idp.js';

// One contract between server and web (docs/architecture.md, "One contract between server and
// web"). Fastify serialises every answer with its route's response schema, and fast-json-stringify
// silently drops what a schema does not declare; the web app reads the same schemas as its types.
// So: (a) every route declares a response schema for its 2xx answer; (b) walking the main flows as
// an org admin, an agent, a customer and an anonymous visitor, the JSON each handler hands to
// Fastify — caught before serialisation, so nothing has been dropped yet — validates against the
// schema of the status it is sent with, with additional properties forbidden in the check: a field
// the server sends but its schema forgets fails, as does a required field the presenter stopped
// sending. The walk must reach every route with a 2xx answer, so a new route joins it.

/** Routes of the plugins Portico uses as they come (the API docs, the built web app's assets). */
const THIRD_PARTY = /^\/api\/docs(\/|$)|^\/assets(-root)?\//;

interface Sent {
  method: string;
  url: string;
  status: number;
  /** what the handler (or the error handler) sent, as JSON would carry it */
  body: unknown;
}

const routes: RouteOptions[] = [];
let lastSent: Sent | null = null;

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map(String).filter((m) => m !== 'HEAD');
}

/** Collects every route and, on each, notes what it sends before Fastify serialises it. */
function onRoute(route: RouteOptions) {
  routes.push(route);
  const note: preSerializationAsyncHookHandler = async (request, reply, payload) => {
    lastSent = { method: request.method, url: route.url ?? '', status: reply.statusCode, body: JSON.parse(JSON.stringify(payload)) };
    return payload;
  };
  const existing = route.preSerialization;
  route.preSerialization = existing === undefined ? [note] : [...(Array.isArray(existing) ? existing : [existing]), note];
}

// ---- the strict check ------------------------------------------------------------------------

/**
 * The schema as the check reads it: every object that lists its properties allows no others. REST
 * objects are open on the wire (docs/product.md#rest-shapes) but still list every field Portico
 * sends; free-form maps (a Record, an object without properties) stay open.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      (key === 'properties' || key === 'patternProperties') && value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, strict(s)]))
        : strict(value);
  }
  const props = out.properties as Record<string, unknown> | undefined;
  if (props && Object.keys(props).length > 0 && out.patternProperties === undefined) out.additionalProperties = false;
  return out;
}

const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
const validators = new WeakMap<object, ValidateFunction>();
function validatorOf(schema: object): ValidateFunction {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile(strict(schema) as object)));
  return v;
}

type ResponseSchemas = Record<string, object>;
const responseSchemasOf = (route: RouteOptions): ResponseSchemas | undefined =>
  (route.schema as { response?: ResponseSchemas } | undefined)?.response;

/** The schema Fastify serialises a status with: the exact code, else its class (`4xx`), else `default`. */
function schemaFor(route: RouteOptions, status: number): object | undefined {
  const response = responseSchemasOf(route);
  return response?.[String(status)] ?? response?.[`${String(status)[0]}xx`] ?? response?.default;
}

function findRoute(method: string, url: string): RouteOptions | undefined {
  return routes.find((r) => r.url === url && methodsOf(r).includes(method));
}

// ---- the walk -----------------------------------------------------------------------------------

let t: TestApp;
const problems: string[] = [];
/** `METHOD /route` of every route that answered 2xx in the walk. */
const answered = new Set<string>();
let checkedBodies = 0;
let checkedErrors = 0;

/** A signed-in session (cookie, and the CSRF token on writes), raw headers (an API token), or nobody. */
type Role = Session | Record<string, string> | null;

function headersOf(role: Role): Record<string, string> {
  if (role === null) return {};
  if (typeof role.cookie === 'string' && typeof role.csrfToken === 'string' && typeof role.accountId === 'string') return as(role as Session);
  return role as Record<string, string>;
}

/**
 * Sends a request as `role`, checks what it answered against its route's schema and returns the
 * answer. `expect` is the status the walk means to reach (a wrong one is a problem too).
 */
async function call(role: Role, method: string, url: string, expectStatus: number, payload?: unknown): Promise<LightMyRequestResponse> {
  lastSent = null;
  const res = await t.app.inject({ method: method as 'GET', url, headers: headersOf(role), ...(payload === undefined ? {} : { payload: payload as object }) });
  const what = `${method} ${url} → ${res.statusCode}`;
  if (res.statusCode !== expectStatus) {
    // the walk cannot go on from an answer it did not mean to get (a 500 from a serialiser that
    // missed a required field, say): stop with everything found so far
    throw new Error([...problems, `${what}: expected ${expectStatus}: ${res.body.slice(0, 300)}`].join('\n'));
  }
  const sent = lastSent as Sent | null;
  const route = sent ? findRoute(sent.method, sent.url) : undefined;
  if (sent && route) {
    if (res.statusCode >= 200 && res.statusCode < 300) answered.add(`${sent.method} ${sent.url}`);
    const schema = schemaFor(route, sent.status);
    if (!schema) {
      problems.push(`${what}: ${sent.method} ${sent.url} has no response schema for ${sent.status}`);
    } else {
      const validate = validatorOf(schema);
      if (!validate(sent.body)) {
        problems.push(`${what}: the answer does not match its schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
      }
      checkedBodies++;
      if (sent.status >= 400) checkedErrors++;
    }
    // nothing the handler sent was lost on the way out (the schema orders the keys: compare sorted)
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('application/json') && JSON.stringify(sortKeys(res.json())) !== JSON.stringify(sortKeys(sent.body))) {
      problems.push(`${what}: the serialised answer differs from what was sent: ${res.body.slice(0, 300)}`);
    }
  } else if (res.statusCode >= 200 && res.statusCode < 400) {
    // 204, redirects (the SAML ACS's 303) and non-JSON answers (CSV, SVG, XML) never reach
    // preSerialization: match the route by hand
    const route = routes.find((r) => methodsOf(r).includes(method) && new RegExp(`^${(r.url ?? '').replace(/:[^/]+/g, '[^/]+')}$`).test(url.split('?')[0]));
    if (route) {
      answered.add(`${method} ${route.url}`);
      if (!schemaFor(route, res.statusCode)) problems.push(`${what}: ${method} ${route.url} has no response schema for ${res.statusCode}`);
    }
  }
  return res;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

const CLI_SECRET = 'contract-test-cli-secret';
const METRICS_TOKEN = 'contract-test-metrics-token';

beforeAll(async () => {
  t = await createTestApp({
    onRoute,
    metrics: true,
    config: { cliSecret: CLI_SECRET, secretKey: 'contract-test-secret-key-0123456789abcdef', metricsToken: METRICS_TOKEN, identityProviderAllowedHosts: ['127.0.0.1'] },
    // the route's answer is what is checked here; the backup itself: integration/backup.test.ts
    backup: async (out) => void out.end(Buffer.from([0x1f, 0x8b])),
  });
});
afterAll(() => t?.close());

describe('one contract between server and web', () => {
  it('(a) every route declares a response schema for its 2xx answer (or its redirect, the SAML ACS)', () => {
    const own = routes.filter((r) => !THIRD_PARTY.test(r.url ?? ''));
    expect(own.length).toBeGreaterThan(60);
    const missing = own
      .filter((r) => methodsOf(r).length > 0)
      .filter((r) => !Object.keys(responseSchemasOf(r) ?? {}).some((code) => /^2(\d\d|xx)$|^303$/.test(code)))
      .map((r) => `${methodsOf(r).join(',')} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('(b) every answer of a walk through the main flows, as each role, matches its schema exactly', async () => {
    const acme = '/s/acme';
    const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
    const aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');

    // ---- anonymous ----
    await call(null, 'GET', '/healthz', 200);
    await call(null, 'GET', '/readyz', 200);
    await call(null, 'GET', '/metrics', 401);
    await call({ authorization: `Bearer ${METRICS_TOKEN}` }, 'GET', '/metrics', 200);
    await call(null, 'GET', '/api/openapi.json', 200);
    await call(null, 'GET', `${acme}/api/portal/site`, 200);
    await call(null, 'GET', '/api/auth/session', 401);
    await call(null, 'GET', `${acme}/api/portal/session`, 401);
    await call(null, 'GET', `${acme}/api/portal/portals`, 401);
    await call(null, 'GET', `${acme}/rest/api/3/myself`, 401);
    await call(null, 'GET', `${acme}/rest/servicedeskapi/servicedesk`, 401);
    await call(null, 'POST', '/api/auth/login', 401, { email: 'admin@acme.test', password: 'not the password' });
    await call(null, 'POST', '/api/auth/login', 400, { email: 'admin@acme.test' });
    await call(null, 'POST', `${acme}/api/portal/password-reset`, 202, { email: 'bob@customer.test' });
    await t.app.afterResponse.idle();
    const mail = await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'bob@customer.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const resetToken = new URL(/(https?:\/\/\S+reset-password\?token=\S+)/.exec(mail.body)![1]).searchParams.get('token');
    await call(null, 'POST', `${acme}/api/portal/password-reset/complete`, 400, { token: 'not-a-token', password: 'Another-password-1' });
    await call(null, 'POST', `${acme}/api/portal/password-reset/complete`, 204, { token: resetToken, password: 'Another-password-1' });
    await call(null, 'GET', '/api/avatars/default.svg?size=32', 200);
    await call({ [CLI_SECRET_HEADER]: CLI_SECRET }, 'POST', '/api/internal/cli/tokens', 201, { email: 'agent@acme.test', label: 'cli' });
    await call({ [CLI_SECRET_HEADER]: CLI_SECRET, 'content-type': 'text/csv' }, 'POST', '/api/internal/cli/customers/import?site=acme&dryRun=true', 200, 'Email,Name\ncontract@import.test,Contract\n');
    const backup = await call({ [CLI_SECRET_HEADER]: CLI_SECRET, 'content-type': 'text/plain' }, 'POST', '/api/internal/cli/backup', 200, '');
    expect(backup.headers['content-type']).toBe('application/gzip');
    await call({ [CLI_SECRET_HEADER]: CLI_SECRET }, 'POST', '/api/internal/cli/mailbox', 200, { site: 'acme', project: 'HELP', url: 'imaps://help%40acme.test:secret@imap.contract.test/INBOX' });
    await call(null, 'POST', '/api/auth/logout', 204);
    await call(null, 'POST', `${acme}/api/portal/logout`, 204);

    // ---- org admin of Acme ----
    await call(null, 'POST', '/api/auth/login', 200, { email: 'admin@acme.test', password: DEMO_PASSWORD });
    const admin = await loginStaff(t.app, 'admin@acme.test');
    const session = (await call(admin, 'GET', '/api/auth/session', 200)).json();
    const orgId = session.organizations[0].id as string;
    await call(admin, 'GET', `/api/admin/orgs/${orgId}`, 200);
    await call(admin, 'PUT', `/api/admin/orgs/${orgId}/settings`, 200, { userManagement: session.organizations[0].userManagement });
    await call(admin, 'GET', `/api/admin/orgs/${orgId}/users`, 200);
    await call(admin, 'GET', `/api/admin/orgs/${orgId}/groups`, 200);
    await call(admin, 'GET', `/api/orgs/${orgId}/outbox`, 200);
    // webhooks: a public address literal, so saving needs no DNS; no job runner runs here, nothing is sent
    const hook = (await call(admin, 'POST', `/api/admin/orgs/${orgId}/webhooks`, 201, { url: 'https://93.184.215.14/hooks', events: ['customer.access.revoked'], description: 'contract' })).json();
    await call(admin, 'GET', `/api/admin/orgs/${orgId}/webhooks`, 200);
    await call(admin, 'PUT', `/api/admin/orgs/${orgId}/webhooks/${hook.id}`, 200, { events: ['customer.access.revoked', 'customer.access.granted'] });
    await call(admin, 'GET', '/api/admin/sites/acme', 200);
    await call(admin, 'GET', '/api/admin/sites/acme/users', 200);
    await call(admin, 'GET', '/api/admin/sites/acme/groups', 200);
    await call(admin, 'GET', '/api/admin/sites/acme/customers?status=all', 200);
    await call(admin, 'GET', '/api/admin/sites/acme/customers/export.csv', 200);
    await call(admin, 'POST', '/api/admin/sites/acme/customers/bulk', 200, { action: 'revoke', accountIds: [carol, 'qm:nobody'], dryRun: true });
    await call({ ...as(admin), 'content-type': 'text/csv' }, 'POST', '/api/admin/sites/acme/customers/import', 200, 'Email,Name,Status\nimported@import.test,Imported,Active\nbad,Bad,Active\n');
    await call(admin, 'GET', `/api/admin/sites/acme/customers/${carol}/access-footprint`, 200);
    await call(admin, 'POST', `/api/admin/sites/acme/customers/${carol}/revoke`, 200);
    const [delivery] = (await call(admin, 'GET', `/api/admin/orgs/${orgId}/webhooks/${hook.id}/deliveries`, 200)).json().values;
    await call(admin, 'POST', `/api/admin/orgs/${orgId}/webhooks/${hook.id}/deliveries/${delivery.id}/resend`, 202);
    await call(admin, 'DELETE', `/api/admin/orgs/${orgId}/webhooks/${hook.id}`, 204);
    await call(admin, 'POST', `/api/admin/sites/acme/customers/${carol}/grant`, 200);
    // reasons, notices and dated access (docs/product.md#reason-and-notice, #access-until)
    await call(admin, 'POST', `/api/admin/sites/acme/customers/${carol}/revoke`, 200, { reason: 'Contract check', notify: true, includeReason: true });
    await call(admin, 'POST', `/api/admin/sites/acme/customers/${carol}/grant`, 200, { notify: true });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    await call(admin, 'PUT', `/api/admin/sites/acme/customers/${carol}/access-until`, 200, { until: later, reason: 'Trial' });
    await call(admin, 'POST', '/api/admin/sites/acme/customers/bulk-access-until', 200, { accountIds: [carol], until: null });
    await call(admin, 'PUT', `/api/admin/sites/acme/customers/${carol}/access-until`, 400, { until: 'soon' });
    const notices = (await call(admin, 'GET', '/api/admin/sites/acme/access-notices', 200)).json();
    await call(admin, 'PUT', '/api/admin/sites/acme/access-notices/revoked', 200, { subject: notices[0].subject, text: notices[0].text });
    await call(admin, 'DELETE', '/api/admin/sites/acme/access-notices/revoked', 200);
    await call(admin, 'GET', '/api/admin/sites/acme/inactivity-policy', 200);
    await call(admin, 'GET', '/api/admin/sites/acme/inactivity-policy/preview?inactiveDays=30&warnDays=7', 200);
    await call(admin, 'PUT', '/api/admin/sites/acme/inactivity-policy', 200, { inactiveDays: 120, warnDays: 10, excludedAccountIds: [carol] });
    await call(admin, 'PUT', '/api/admin/sites/acme/inactivity-policy', 400, { warnDays: 500 });
    // access reviews (docs/product.md#access-reviews): Keep decisions and the default keep, so nobody loses access here
    const review = (await call(admin, 'POST', '/api/admin/sites/acme/access-reviews', 201, { name: 'Contract review' })).json();
    await call(admin, 'GET', '/api/admin/sites/acme/access-reviews', 200);
    await call(admin, 'GET', `/api/admin/sites/acme/access-reviews/${review.id}`, 200);
    await call(admin, 'GET', `/api/admin/sites/acme/access-reviews/${review.id}/items?limit=5`, 200);
    await call(admin, 'PUT', `/api/admin/sites/acme/access-reviews/${review.id}/items/${carol}`, 200, { decision: 'keep' });
    await call(admin, 'GET', `/api/admin/sites/acme/access-reviews/${review.id}/report.csv`, 200);
    await call(admin, 'POST', `/api/admin/sites/acme/access-reviews/${review.id}/complete`, 200);
    await call(admin, 'POST', `/api/admin/sites/acme/access-reviews/${review.id}/cancel`, 400);
    const reviewToCancel = (await call(admin, 'POST', '/api/admin/sites/acme/access-reviews', 201, { name: 'Contract review 2' })).json();
    await call(admin, 'POST', `/api/admin/sites/acme/access-reviews/${reviewToCancel.id}/cancel`, 200);
    await call(admin, 'PUT', `/api/admin/sites/acme/customers/${carol}/name`, 200, { displayName: 'Carol Customer' });
    await call(admin, 'PUT', `/api/admin/sites/acme/customers/${carol}/password`, 204, { password: 'A-new-password-for-carol-1' });
    const mailTemplate = (await call(admin, 'GET', '/api/admin/sites/acme/notification-template', 200)).json();
    const editedTemplate = { subject: mailTemplate.subject, text: mailTemplate.text, html: mailTemplate.html };
    await call(admin, 'POST', '/api/admin/sites/acme/notification-template/preview', 200, { template: editedTemplate, event: 'commented' });
    await call(admin, 'PUT', '/api/admin/sites/acme/notification-template', 200, editedTemplate);
    await call(admin, 'DELETE', '/api/admin/sites/acme/notification-template', 200);
    // sign-up (docs/product.md#signup): the admin opens it, a stranger signs up and sets a password from the mail
    await call(admin, 'GET', '/api/admin/sites/acme/signup-settings', 200);
    await call(admin, 'PUT', '/api/admin/sites/acme/signup-settings', 200, { customerSignup: true });
    await call(null, 'GET', `${acme}/api/portal/signup`, 200);
    await call(null, 'POST', `${acme}/api/portal/signup`, 202, { email: 'signup@contract.test', displayName: 'Contract Signup' });
    await t.app.afterResponse.idle();
    const verification = await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'signup@contract.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const setupToken = new URL(/(https?:\/\/\S+set-password\?token=\S+)/.exec(verification.body)![1]).searchParams.get('token');
    await call(null, 'POST', `${acme}/api/portal/set-password/check`, 200, { token: setupToken });
    await call(null, 'POST', `${acme}/api/portal/set-password`, 400, { token: 'not-a-token', password: 'Contract-signup-1' });
    await call(null, 'POST', `${acme}/api/portal/set-password`, 200, { token: setupToken, password: 'Contract-signup-1' });
    await call(admin, 'GET', `/api/admin/orgs/${orgId}/audit-log?limit=20`, 200);
    await call(admin, 'GET', `/api/admin/orgs/${orgId}/audit-log/export.csv?action=customer.access.revoked`, 200);
    // sign-in with the site's identity provider (a real one on loopback): set, tested, used, removed
    const idp = await startOidcProvider({ redirectUris: ['http://localhost/s/acme/servicedesk/customer/user/sso/callback'], accounts: { alice: { email: 'alice@customer.test', email_verified: true } } });
    try {
      await call(admin, 'GET', '/api/admin/sites/acme/identity-provider', 200);
      await call(admin, 'PUT', '/api/admin/sites/acme/identity-provider', 200, { displayName: 'Acme SSO', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
      await call(admin, 'PUT', '/api/admin/sites/acme/identity-provider', 400, { displayName: 'Acme SSO', issuer: 'nope', clientId: idp.clientId });
      await call(admin, 'POST', '/api/admin/sites/acme/identity-provider/test', 200);
      await call(null, 'GET', `${acme}/api/portal/sign-in-options`, 200);
      const started = await call({ 'content-type': 'application/json' }, 'POST', `${acme}/api/portal/sso/oidc/start`, 200, {});
      const browser = `portico_sso=${started.cookies.find((c) => c.name === 'portico_sso')!.value}`;
      const back = await signInAtProvider(started.json().redirectUrl, 'alice');
      await call({ 'content-type': 'application/json', cookie: browser }, 'POST', `${acme}/api/portal/sso/oidc/callback`, 200, { query: back.search.slice(1) });
      await call({ 'content-type': 'application/json', cookie: browser }, 'POST', `${acme}/api/portal/sso/oidc/callback`, 401, { query: back.search.slice(1) });
      await call(admin, 'DELETE', '/api/admin/sites/acme/identity-provider', 204);
      await call({ 'content-type': 'application/json' }, 'POST', `${acme}/api/portal/sso/oidc/start`, 404, {});
    } finally {
      await idp.close();
    }
    // the same with a SAML provider whose responses are signed by a key made for the run
    const samlIdp = await startSamlIdp({ users: { alice: { email: 'alice@customer.test' } } });
    try {
      await call(null, 'GET', `${acme}/api/portal/sso/saml/metadata`, 200);
      await call(admin, 'PUT', '/api/admin/sites/acme/identity-provider/saml', 200, { displayName: 'Acme SAML', metadataXml: samlIdp.metadataXml });
      await call(admin, 'PUT', '/api/admin/sites/acme/identity-provider/saml', 400, { displayName: 'Acme SAML', metadataXml: '<nope/>' });
      await call(admin, 'POST', '/api/admin/sites/acme/identity-provider/test', 200);
      const started = await call({ 'content-type': 'application/json' }, 'POST', `${acme}/api/portal/sso/saml/start`, 200, {});
      const browser = `portico_sso=${started.cookies.find((c) => c.name === 'portico_sso')!.value}`;
      const answer = samlIdp.respond(started.json().redirectUrl, 'alice');
      const form = new URLSearchParams({ SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState ?? '' }).toString();
      const back = await call({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', `${acme}/api/portal/sso/saml/acs`, 303, form);
      await call({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', `${acme}/api/portal/sso/saml/acs`, 400, 'SAMLResponse=not-base64!');
      const query = new URL(back.headers.location as string).search.slice(1);
      await call({ 'content-type': 'application/json', cookie: browser }, 'POST', `${acme}/api/portal/sso/saml/callback`, 200, { query });
      await call({ 'content-type': 'application/json', cookie: browser }, 'POST', `${acme}/api/portal/sso/saml/callback`, 401, { query });
      await call(admin, 'DELETE', '/api/admin/sites/acme/identity-provider', 204);
    } finally {
      await samlIdp.close();
    }

    // requests by email: the mailboxes, one set and removed, and the log
    await call(admin, 'GET', '/api/admin/sites/acme/mailboxes', 200);
    await call(admin, 'PUT', '/api/admin/sites/acme/projects/HELP/mailbox', 200, { host: 'imap.contract.test', port: 993, tls: true, user: 'help@acme.test', password: 'secret' });
    await call(admin, 'GET', '/api/admin/sites/acme/inbound-mail-log?limit=5', 200);
    await call(admin, 'DELETE', '/api/admin/sites/acme/projects/HELP/mailbox', 204);
    // the SCIM server: a token from the Security tab and from the CLI route, the identity provider's calls, the token revoked
    await call({ [CLI_SECRET_HEADER]: CLI_SECRET }, 'POST', '/api/internal/cli/scim-tokens', 201, { site: 'acme', label: 'cli' });
    const scimToken = (await call(admin, 'POST', '/api/admin/sites/acme/scim/tokens', 201, { label: 'Contract IdP' })).json();
    await call(admin, 'GET', '/api/admin/sites/acme/scim', 200);
    await call(admin, 'PUT', '/api/admin/sites/acme/scim/settings', 200, { onDelete: 'revoke' });
    const scimIdp = { authorization: `Bearer ${scimToken.token}` };
    const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
    await call(scimIdp, 'GET', `${acme}/scim/v2/ServiceProviderConfig`, 200);
    await call(scimIdp, 'GET', `${acme}/scim/v2/ResourceTypes`, 200);
    await call(scimIdp, 'GET', `${acme}/scim/v2/ResourceTypes/User`, 200);
    await call(scimIdp, 'GET', `${acme}/scim/v2/Schemas`, 200);
    await call(scimIdp, 'GET', `${acme}/scim/v2/Schemas/${USER_URN}`, 200);
    await call(scimIdp, 'GET', `${acme}/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody@contract.test"')}`, 200);
    const scimUser = (await call(scimIdp, 'POST', `${acme}/scim/v2/Users`, 201, { schemas: [USER_URN], userName: 'scim@contract.test', displayName: 'Scim Contract' })).json();
    await call(scimIdp, 'GET', `${acme}/scim/v2/Users/${scimUser.id}`, 200);
    await call(scimIdp, 'PUT', `${acme}/scim/v2/Users/${scimUser.id}`, 200, { schemas: [USER_URN], userName: 'scim@contract.test', displayName: 'Scim Contract', active: true });
    await call(scimIdp, 'PATCH', `${acme}/scim/v2/Users/${scimUser.id}`, 200, { Operations: [{ op: 'replace', path: 'active', value: false }] });
    await call(scimIdp, 'POST', `${acme}/scim/v2/Users`, 409, { userName: 'scim@contract.test' });
    await call(scimIdp, 'DELETE', `${acme}/scim/v2/Users/${scimUser.id}`, 204);
    await call(admin, 'DELETE', `/api/admin/sites/acme/scim/tokens/${scimToken.id}`, 204);
    const token = (await call(admin, 'POST', '/api/profile/tokens', 201, { label: 'contract' })).json();
    await call(admin, 'GET', '/api/profile/tokens', 200);
    const adminToken = { authorization: `Basic ${Buffer.from(`admin@acme.test:${token.token}`).toString('base64')}` };
    await call(adminToken, 'GET', `${acme}/rest/portico/1/signup-settings`, 200);
    await call(adminToken, 'GET', `${acme}/rest/portico/1/customer/${carol}/access-footprint`, 200);
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/customer/${carol}/access-until`, 200, { until: new Date(Date.now() + 86_400_000).toISOString() });
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/customer/${carol}/access-until`, 200, { until: null });
    // an email change (docs/product.md#change-customer-email): asked and withdrawn in the console and by REST, then confirmed
    await call(admin, 'POST', `/api/admin/sites/acme/customers/${carol}/email-change`, 200, { email: 'carol.contract@example.test' });
    await call(admin, 'POST', `/api/admin/sites/acme/customers/${carol}/email-change`, 409, { email: 'bob@customer.test' });
    await call(admin, 'DELETE', `/api/admin/sites/acme/customers/${carol}/email-change`, 200);
    await call(adminToken, 'DELETE', `${acme}/rest/portico/1/customer/${carol}/email-change`, 204);
    await call(adminToken, 'POST', `${acme}/rest/portico/1/customer/${carol}/email-change`, 202, { email: 'carol.contract@example.test' });
    const changeMail = await t.db.selectFrom('outbox').select('body').where('to_address', '=', 'carol.contract@example.test').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const changeToken = new URL(/(https?:\/\/\S+confirm-email\?token=\S+)/.exec(changeMail.body)![1]).searchParams.get('token');
    await call(null, 'POST', `${acme}/api/portal/email-change/confirm`, 400, { token: 'not-a-token' });
    await call(null, 'POST', `${acme}/api/portal/email-change/confirm`, 200, { token: changeToken });
    const restNotices = (await call(adminToken, 'GET', `${acme}/rest/portico/1/access-notice`, 200)).json();
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/access-notice/granted`, 200, { subject: restNotices[1].subject, text: restNotices[1].text });
    await call(adminToken, 'DELETE', `${acme}/rest/portico/1/access-notice/granted`, 200);
    await call(adminToken, 'GET', `${acme}/rest/portico/1/inactivity-policy`, 200);
    await call(adminToken, 'GET', `${acme}/rest/portico/1/inactivity-policy/preview`, 200);
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/inactivity-policy`, 200, { excludedAccountIds: [] });
    const restReview = (await call(adminToken, 'POST', `${acme}/rest/portico/1/access-review`, 201, { name: 'REST review', undecidedDefault: 'keep' })).json();
    await call(adminToken, 'GET', `${acme}/rest/portico/1/access-review`, 200);
    await call(adminToken, 'GET', `${acme}/rest/portico/1/access-review/${restReview.id}`, 200);
    await call(adminToken, 'GET', `${acme}/rest/portico/1/access-review/${restReview.id}/customer?undecided=true`, 200);
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/access-review/${restReview.id}/customer/${carol}`, 200, { decision: 'keep' });
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/access-review/${restReview.id}/customer/${carol}`, 400, { decision: 'perhaps' });
    await call(adminToken, 'GET', `${acme}/rest/portico/1/access-review/${restReview.id}/report.csv`, 200);
    await call(adminToken, 'POST', `${acme}/rest/portico/1/access-review/${restReview.id}/complete`, 200);
    const restReviewToCancel = (await call(adminToken, 'POST', `${acme}/rest/portico/1/access-review`, 201, { name: 'REST review 2' })).json();
    await call(adminToken, 'POST', `${acme}/rest/portico/1/access-review/${restReviewToCancel.id}/cancel`, 200);
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/signup-settings`, 200, { customerSignup: false });
    await call(adminToken, 'POST', `${acme}/rest/portico/1/servicedesk/HELP/invitation`, 200, { emails: ['rest@contract.test', 'dave@customer.test', 'nonsense'] });
    // errors of the internal API: each with its code
    await call(admin, 'GET', '/api/admin/sites/nowhere', 404);
    await call({ ...admin, csrfToken: 'wrong' }, 'POST', `/api/admin/sites/acme/customers/${carol}/revoke`, 403);
    await call(admin, 'POST', '/api/admin/sites/acme/customers/bulk', 400, { action: 'revoke', accountIds: [] });

    // ---- the REST API, as the admin (token) ----
    const desks = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk`, 200)).json();
    const deskId = desks.values[0].id as string;
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}`, 200);
    const types = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/requesttype?expand=field`, 200)).json();
    const typeId = types.values[0].id as string;
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/requesttype/${typeId}/field`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/requesttype/${typeId}?expand=field`, 200);
    const groups = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/requesttypegroup`, 200)).json();
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/requesttype?groupId=${groups.values[0].id}`, 200);
    // queues (docs/product.md#queues)
    const queues = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/queue?includeCount=true`, 200)).json();
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/queue/${queues.values[0].id}?includeCount=true`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/queue/${queues.values[0].id}/issue`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/queue/99999/issue`, 404);
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/servicedesk/${deskId}/requesttypegroup`, 200, { groups: [{ name: 'Common requests', requestTypeIds: types.values.map((v: { id: string }) => v.id) }] });
    await call(adminToken, 'PUT', `${acme}/rest/portico/1/servicedesk/${deskId}/requesttypegroup`, 400, { groups: [{ name: '', requestTypeIds: [] }] });
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/info`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/customer`, 200);
    const created = (await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/customer`, 201, { displayName: 'Contract Casey', email: 'casey@contract.test' })).json();
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/customer`, 204, { accountIds: [created.accountId] });
    await call(adminToken, 'DELETE', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/customer`, 204, { accountIds: [created.accountId] });
    // Atlassian's skip-permission-check twins: the same operations, the same checks
    const twin = (await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/customer/skip-permission-check`, 201, { displayName: 'Contract Twin', email: 'twin@contract.test' })).json();
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/customer/skip-permission-check`, 204, { accountIds: [twin.accountId] });
    const raised = (await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request`, 201, {
      serviceDeskId: deskId, requestTypeId: typeId, requestFieldValues: { summary: 'Contract check', description: 'Two\n\nparagraphs' }, raiseOnBehalfOf: alice,
    })).json();
    const key = raised.issueKey as string;
    // files with a comment over REST (multipart upload, then the comment), the list, a file, an image's thumbnail
    const boundary = 'contract-boundary';
    const multipart = Buffer.from([`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="dot.png"', 'Content-Type: image/png', '', 'not really a png', `--${boundary}--`, ''].join('\r\n'));
    const temporary = (await call({ ...adminToken, 'content-type': `multipart/form-data; boundary=${boundary}` }, 'POST', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/attachTemporaryFile`, 201, multipart)).json();
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request/${key}/attachment`, 201, { temporaryAttachmentIds: [temporary.temporaryAttachments[0].temporaryAttachmentId], public: true, additionalComment: { body: 'A picture' } });
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request/${key}/attachment`, 400, { temporaryAttachmentIds: ['nope'], public: true });
    const restFiles = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/attachment`, 200)).json();
    const restFileId = String(restFiles.values[0]._links.self).split('/').pop();
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/attachment/${restFileId}`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/attachment/${restFileId}/thumbnail`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}?expand=participant,status,sla,requestType,serviceDesk,attachment,action,comment,comment.renderedBody`, 200);
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request/${key}/participant`, 200, { accountIds: [bob] });
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/participant`, 200);
    await call(adminToken, 'DELETE', `${acme}/rest/servicedeskapi/request/${key}/participant`, 200, { accountIds: [bob] });
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request/${key}/comment`, 201, { body: 'Internal note', public: false });
    const restComments = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/comment?expand=attachment,renderedBody`, 200)).json();
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/comment/${restComments.values[0].id}?expand=attachment,renderedBody`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request?requestOwnership=ALL_REQUESTS&expand=participant,status,sla,requestType,serviceDesk,attachment,action,comment,comment.renderedBody&limit=3`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/transition`, 200);
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request/${key}/transition`, 204, { id: '11', additionalComment: { body: 'On it' } });
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/request/${key}/transition`, 400, { id: '11' });
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/status`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/sla`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/sla/2`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}/sla/9`, 404);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/${key}?expand=sla`, 200);
    await call(adminToken, 'GET', `${acme}/rest/api/3/search/jql?jql=${encodeURIComponent('project = HELP ORDER BY created DESC')}&fields=*all&expand=names&maxResults=2`, 200);
    await call(adminToken, 'POST', `${acme}/rest/api/3/search/jql`, 200, { jql: 'project = HELP', fields: ['summary', 'reporter'], maxResults: 5 });
    await call(adminToken, 'GET', `${acme}/rest/api/3/user?accountId=${encodeURIComponent(alice)}`, 200);
    await call(adminToken, 'GET', `${acme}/rest/api/3/user/search?query=a`, 200);
    await call(adminToken, 'GET', `${acme}/rest/api/3/user/picker?query=a&showAvatar=true`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/knowledgebase/article?query=email&highlight=true`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/knowledgebase/article?query=email&highlight=true`, 200);
    const kbFound = (await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/knowledgebase/article?query=email`, 200)).json();
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/knowledgebase/article/view/${kbFound.values[0].source.pageId}`, 200);
    await call(adminToken, 'GET', `${acme}/rest/api/3/myself?expand=groups,applicationRoles`, 200);
    await call(adminToken, 'PUT', `${acme}/rest/servicedeskapi/customer/user/${created.accountId}/revoke-portal-only-access`, 204);
    await call(adminToken, 'PUT', `${acme}/rest/servicedeskapi/customer/user/${created.accountId}/grant-portal-only-access`, 204);
    // customer organizations (REST): create, fill, add to the desk, read, take apart
    const orgDto = (await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/organization`, 201, { name: 'Contract Org' })).json();
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/organization?limit=5`, 200);
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/organization/${orgDto.id}`, 200);
    const property = `${acme}/rest/servicedeskapi/organization/${orgDto.id}/property`;
    await call(adminToken, 'PUT', `${property}/crm`, 201, { tier: 'gold' });
    await call(adminToken, 'PUT', `${property}/crm`, 200, { tier: 'platinum' });
    await call(adminToken, 'GET', property, 200);
    await call(adminToken, 'GET', `${property}/crm`, 200);
    await call(adminToken, 'DELETE', `${property}/crm`, 204);
    await call(adminToken, 'GET', `${property}/crm`, 404);
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/organization/${orgDto.id}/user`, 204, { accountIds: [alice, created.accountId] });
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/organization/${orgDto.id}/user`, 200);
    await call(adminToken, 'DELETE', `${acme}/rest/servicedeskapi/organization/${orgDto.id}/user`, 204, { accountIds: [created.accountId] });
    await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/organization`, 204, { organizationId: Number(orgDto.id) });
    await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/organization`, 200);
    await call(adminToken, 'DELETE', `${acme}/rest/servicedeskapi/servicedesk/${deskId}/organization`, 204, { organizationId: Number(orgDto.id) });
    const doomed = (await call(adminToken, 'POST', `${acme}/rest/servicedeskapi/organization`, 201, { name: 'Contract Doomed' })).json();
    await call(adminToken, 'DELETE', `${acme}/rest/servicedeskapi/organization/${doomed.id}`, 204);
    // customer organizations (internal API, the admin console's page)
    const internalOrg = (await call(admin, 'POST', `${acme}/api/organizations`, 201, { name: 'Contract Internal' })).json();
    await call(admin, 'GET', `${acme}/api/organizations?query=contract`, 200);
    await call(admin, 'PUT', `${acme}/api/organizations/${internalOrg.id}`, 200, { name: 'Contract Internal Renamed' });
    await call(admin, 'POST', `${acme}/api/organizations/${internalOrg.id}/members`, 200, { accountIds: [bob] });
    await call(admin, 'GET', `${acme}/api/organizations/${internalOrg.id}/members`, 200);
    await call(admin, 'POST', `${acme}/api/organizations/${internalOrg.id}/members/remove`, 200, { accountIds: [bob] });
    await call(admin, 'DELETE', `${acme}/api/organizations/${internalOrg.id}`, 204);
    // errors of the REST API: Atlassian's shape, no code
    const restMissing = await call(adminToken, 'GET', `${acme}/rest/servicedeskapi/request/HELP-99999`, 404);
    expect(Object.keys(restMissing.json()).sort()).toEqual(['errorMessage', 'errorMessages', 'errors', 'status']);
    await call(adminToken, 'GET', `${acme}/rest/api/3/user`, 400);

    // ---- an agent of HELP ----
    const agent = await loginStaff(t.app, 'agent@acme.test');
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/queue?limit=5`, 200);
    await call(agent, 'GET', `${acme}/api/agent/search?jql=${encodeURIComponent('project = HELP')}&maxResults=5`, 200);
    await call(agent, 'GET', `${acme}/api/agent/filter-users?query=a`, 200);
    const filter = (await call(agent, 'POST', `${acme}/api/agent/filters`, 201, { name: 'Contract', jql: 'project = HELP' })).json();
    await call(agent, 'GET', `${acme}/api/agent/filters`, 200);
    // knowledge-base authoring: write a draft, edit, publish, list, read, unpublish
    const draft = (await call(agent, 'POST', `${acme}/api/agent/projects/HELP/articles`, 201, { title: 'Contract article', body: '# Hello\n\nText', category: 'Contract' })).json();
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/articles/${draft.id}`, 200, { title: 'Contract article', body: 'Edited', category: null });
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/articles/${draft.id}/published`, 200, { published: true });
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/articles?query=contract`, 200);
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/articles/${draft.id}`, 200);
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/articles/${draft.id}/published`, 200, { published: false });
    await call(agent, 'POST', `${acme}/api/agent/projects/HELP/articles`, 400, { title: '', body: 'x' });
    await call(agent, 'DELETE', `${acme}/api/agent/filters/${filter.id}`, 204);
    const request = (await call(agent, 'GET', `${acme}/api/agent/requests/${key}`, 200)).json();
    await call(agent, 'PUT', `${acme}/api/agent/requests/${key}/people`, 200, { participants: [bob] });
    // queues, assignee and priority (docs/product.md#queues, #assignee-and-priority)
    const agentQueues = (await call(agent, 'GET', `${acme}/api/agent/projects/HELP/queues`, 200)).json();
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/queues/${agentQueues.values[0].id}/issues?limit=5`, 200);
    const ownQueue = (await call(agent, 'POST', `${acme}/api/agent/projects/HELP/queues`, 201, { name: 'Contract queue', jql: 'priority = High' })).json();
    await call(agent, 'POST', `${acme}/api/agent/projects/HELP/queues`, 400, { name: 'Broken', jql: 'priority = Urgent' });
    await call(agent, 'DELETE', `${acme}/api/agent/projects/HELP/queues/${ownQueue.id}`, 204);
    await call(agent, 'PUT', `${acme}/api/agent/requests/${key}/assignment`, 200, { assignee: agent.accountId, priority: 'High' });
    await call(agent, 'PUT', `${acme}/api/agent/requests/${key}/assignment`, 400, { assignee: bob });
    await call(agent, 'GET', `${acme}/api/users/picker?fieldKey=assignee&projectId=HELP&query=sam`, 200);
    await call(agent, 'POST', `${acme}/api/agent/requests/${key}/transitions`, 200, { status: request.transitions[0].to });
    await call(agent, 'POST', `${acme}/api/agent/requests/${key}/comments`, 201, { body: 'On it.', public: true });
    const note = (await call(agent, 'POST', `${acme}/api/agent/requests/${key}/comments`, 201, { body: 'Checking the logs.', public: false })).json();
    await call(agent, 'PUT', `${acme}/api/agent/requests/${key}/comments/${note.id}`, 200, { body: 'On it, really.' });
    await call(agent, 'DELETE', `${acme}/api/agent/requests/${key}/comments/${note.id}`, 204);
    await call(agent, 'GET', `${acme}/api/agent/requests/${key}`, 200); // with the history of the above
    // the reply was mailed (kept in the outbox here) with an unsubscribe link that needs no login
    const mailed = await t.db.selectFrom('outbox').select('body').where('request_id', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const unsubscribe = /unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(mailed.body)![1];
    await call(null, 'GET', `${acme}/api/portal/unsubscribe?token=${unsubscribe}`, 200);
    await call({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', `${acme}/api/portal/unsubscribe?token=${unsubscribe}`, 200, 'List-Unsubscribe=One-Click');
    await call(null, 'PUT', `${acme}/api/portal/unsubscribe`, 200, { token: unsubscribe, muted: false });
    await call(null, 'GET', `${acme}/api/portal/unsubscribe?token=nonsense`, 400);
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/customers?query=a`, 200);
    await call(agent, 'POST', `${acme}/api/agent/projects/HELP/customers`, 200, { accountIds: [created.accountId] });
    await call(agent, 'POST', `${acme}/api/agent/projects/HELP/invitations`, 200, { emails: ['invited@contract.test', 'alice@customer.test'] });
    const newcomer = (await call(agent, 'POST', `${acme}/api/agent/projects/HELP/customers/new`, 201, { displayName: 'Contract Newcomer', email: 'newcomer@contract.test' })).json();
    await call(agent, 'POST', `${acme}/api/agent/projects/HELP/organizations`, 204, { organizationId: orgDto.id });
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/organizations`, 200);
    await call(agent, 'DELETE', `${acme}/api/agent/projects/HELP/organizations/${orgDto.id}`, 204);
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/sharing`, 200, { customerSharing: 'organizations' });
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/sharing`, 200, { customerSharing: 'project' });
    await call(agent, 'GET', `${acme}/api/users/picker?query=a&limit=5`, 200);
    await call(agent, 'GET', `${acme}/api/agent/requests/HELP-99999`, 404);
    await call(agent, 'POST', `${acme}/api/agent/requests/${key}/transitions`, 400, { status: 'Nowhere' });
    await call(agent, 'GET', `/api/admin/orgs/${orgId}`, 404);
    await call(admin, 'DELETE', `/api/admin/sites/acme/customers/${newcomer.accountId}`, 204);

    // ---- a customer of acme ----
    await call(null, 'POST', `${acme}/api/portal/login`, 200, { email: 'alice@customer.test', password: DEMO_PASSWORD });
    const customer = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    await call(customer, 'GET', `${acme}/api/portal/session`, 200);
    const portals = (await call(customer, 'GET', `${acme}/api/portal/portals`, 200)).json();
    const projectId = portals.values[0].id as string;
    const portal = (await call(customer, 'GET', `${acme}/api/portal/portals/${projectId}`, 200)).json();
    const requestTypeId = portal.requestTypes[0].id as string;
    await call(customer, 'GET', `${acme}/api/portal/portals/${projectId}/request-types/${requestTypeId}`, 200);
    const mine = (await call(customer, 'POST', `${acme}/api/portal/requests`, 201, { projectId, requestTypeId, fields: { summary: 'From the contract', description: 'Hello' } })).json();
    await call(customer, 'GET', `${acme}/api/portal/requests?filter=all&limit=5`, 200);
    await call(customer, 'GET', `${acme}/api/portal/requests/${mine.key}`, 200);
    await call(customer, 'POST', `${acme}/api/portal/requests/${mine.key}/participants`, 200, { accountIds: [bob] });
    await call(customer, 'DELETE', `${acme}/api/portal/requests/${mine.key}/participants`, 200, { accountIds: [bob] });
    await call(customer, 'POST', `${acme}/api/portal/requests/${mine.key}/organizations`, 200, { organizationId: orgDto.id });
    await call(customer, 'GET', `${acme}/api/portal/requests/${mine.key}/organizations`, 200);
    await call(customer, 'DELETE', `${acme}/api/portal/requests/${mine.key}/organizations/${orgDto.id}`, 200);
    const thanks = (await call(customer, 'POST', `${acme}/api/portal/requests/${mine.key}/comments`, 201, { body: 'Thanks' })).json();
    await call(customer, 'PUT', `${acme}/api/portal/requests/${mine.key}/comments/${thanks.id}`, 200, { body: 'Thanks!' });
    await call(customer, 'DELETE', `${acme}/api/portal/requests/${mine.key}/comments/${thanks.id}`, 204);
    await call(customer, 'GET', `${acme}/api/portal/requests/${mine.key}/comments`, 200);
    const file = (await call({ ...as(customer), 'content-type': 'text/plain' }, 'POST', `${acme}/api/portal/requests/${mine.key}/attachments?filename=note.txt`, 201, 'a note')).json();
    await call(customer, 'GET', `${acme}/api/portal/requests/${mine.key}/attachments`, 200);
    await call(customer, 'GET', `${acme}/api/portal/requests/${mine.key}/attachments/${file.id}`, 200);
    // the reporter's mail about her request, over REST
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request/${mine.key}/notification`, 200);
    await call(customer, 'DELETE', `${acme}/rest/servicedeskapi/request/${mine.key}/notification`, 204);
    await call(customer, 'PUT', `${acme}/rest/servicedeskapi/request/${mine.key}/notification`, 204);
    await call(customer, 'POST', `${acme}/api/portal/requests/${mine.key}/transitions`, 200, { status: 'Resolved' });
    // satisfaction: the reporter rates the resolved request, agents read it (docs/product.md#satisfaction)
    await call(customer, 'GET', `${acme}/api/portal/requests/${mine.key}/rating`, 200);
    await call(customer, 'PUT', `${acme}/api/portal/requests/${mine.key}/rating`, 200, { rating: 4, comment: 'Thanks' });
    await call(customer, 'PUT', `${acme}/api/portal/requests/${mine.key}/rating`, 400, { rating: 9 });
    await call(customer, 'POST', `${acme}/rest/servicedeskapi/request/${mine.key}/feedback`, 200, { type: 'csat', rating: 5, comment: { body: 'Great' } });
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request/${mine.key}/feedback`, 200);
    await call(agent, 'GET', `${acme}/api/agent/requests/${mine.key}/rating`, 200);
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/satisfaction`, 200);
    const canned = (await call(agent, 'POST', `${acme}/api/agent/projects/HELP/canned-responses`, 201, { title: 'Contract', body: 'A ready answer.' })).json();
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/canned-responses`, 200);
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/canned-responses/${canned.id}`, 200, { title: 'Contract', body: 'Another answer.' });
    await call(agent, 'POST', `${acme}/api/agent/projects/HELP/canned-responses`, 400, { title: 'contract', body: 'Same title.' });
    await call(agent, 'DELETE', `${acme}/api/agent/projects/HELP/canned-responses/${canned.id}`, 204);
    await call(customer, 'DELETE', `${acme}/rest/servicedeskapi/request/${mine.key}/feedback`, 204);
    // approvals (docs/product.md#approvals): "Request new hardware" needs approval by its Approver field
    const hardware = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Request new hardware').executeTakeFirstOrThrow()).id);
    const approverKey = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Approver').executeTakeFirstOrThrow()).id}`;
    const approvalSetting = `${acme}/rest/portico/1/servicedesk/HELP/requesttype/${hardware}/approval`;
    await call(agent, 'PUT', approvalSetting, 200, { fieldKey: approverKey });
    await call(agent, 'GET', approvalSetting, 200);
    const helpProject = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
    const needsApproval = async () => (await call(customer, 'POST', `${acme}/api/portal/requests`, 201, { projectId: helpProject, requestTypeId: hardware, fields: { summary: 'Approve me', [approverKey]: [aliceId] } })).json().key as string;
    const approvalOf = async (key: string) => String((await t.db.selectFrom('request_approvals as a').innerJoin('requests as r', 'r.id', 'a.request_id').select('a.id').where('r.key', '=', key).executeTakeFirstOrThrow()).id);
    const waiting = await needsApproval();
    await call(customer, 'GET', `${acme}/api/portal/approvals`, 200);
    await call(customer, 'GET', `${acme}/api/portal/requests/${waiting}/approvals`, 200);
    await call(agent, 'GET', `${acme}/api/agent/requests/${waiting}/approvals`, 200);
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request/${waiting}/approval`, 200);
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request/${waiting}/approval/${await approvalOf(waiting)}`, 200);
    await call(customer, 'POST', `${acme}/api/portal/requests/${waiting}/approvals/${await approvalOf(waiting)}`, 200, { decision: 'approve' });
    await call(customer, 'POST', `${acme}/api/portal/requests/${waiting}/approvals/${await approvalOf(waiting)}`, 409, { decision: 'decline' });
    const viaRest = await needsApproval();
    await call(customer, 'POST', `${acme}/rest/servicedeskapi/request/${viaRest}/approval/${await approvalOf(viaRest)}`, 200, { decision: 'decline' });
    await call(agent, 'PUT', approvalSetting, 200, { fieldKey: null });
    // SLAs (docs/product.md#slas): the project's settings, and a request's timers in the agent workspace
    const slaSetting = `${acme}/rest/portico/1/servicedesk/HELP/sla-settings`;
    const slas = (await call(agent, 'GET', slaSetting, 200)).json();
    const calendar = { timeZone: 'Europe/Berlin', workingHours: { monday: [{ start: '09:00', end: '17:00' }] }, holidays: ['2026-12-25'] };
    await call(agent, 'PUT', slaSetting, 200, { goals: slas.goals, calendar });
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/sla-settings`, 200);
    await call(agent, 'GET', `${acme}/api/agent/projects/HELP/approvals`, 200);
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/request-types/${typeId}/approval`, 200, { fieldKey: null });
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/sla-settings`, 400, { goals: slas.goals, calendar: { ...calendar, timeZone: 'Nowhere/Atall' } });
    await call(agent, 'PUT', `${acme}/api/agent/projects/HELP/sla-settings`, 200, { goals: slas.goals, calendar: null });
    await call(agent, 'GET', `${acme}/api/agent/requests/${mine.key}/slas`, 200);
    await call(customer, 'POST', `${acme}/api/portal/requests/${mine.key}/transitions`, 400, { status: 'Closed' });
    await call(customer, 'POST', `${acme}/api/portal/requests/${mine.key}/transitions`, 200, { status: 'Waiting for support' });
    const articles = (await call(customer, 'GET', `${acme}/api/portal/kb?query=email&projectId=${projectId}`, 200)).json();
    await call(customer, 'GET', `${acme}/api/portal/kb/${articles.values[0].id}`, 200);
    await call(customer, 'GET', `${acme}/api/users/picker?query=b`, 200);
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request/${mine.key}`, 200);
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request?requestOwnership=OWNED_REQUESTS&searchTerm=contract`, 200);
    await call(customer, 'GET', `${acme}/rest/servicedeskapi/request/${mine.key}/transition`, 200);
    await call(customer, 'GET', `${acme}/api/portal/requests/HELP-99999`, 404);
    await call(customer, 'POST', `${acme}/api/portal/requests`, 400, { projectId, requestTypeId, fields: {}, extra: true });
    // the customer's own data (docs/product.md#own-data): download, ask for erasure, withdraw, ask again; the admin declines, then approves
    const own = `${acme}/rest/portico/1/customer/${alice}`;
    const download = await call(customer, 'GET', `${own}/personal-data`, 200);
    expect(download.json().profile.email).toBe('alice@customer.test');
    await call(customer, 'GET', `${own}/erasure-request`, 200);
    await call(customer, 'POST', `${own}/erasure-request`, 201, { reason: 'Contract' });
    await call(customer, 'POST', `${own}/erasure-request`, 200, {});
    await call(customer, 'DELETE', `${own}/erasure-request`, 204);
    await call(customer, 'GET', `${acme}/rest/portico/1/customer/${bob}/personal-data`, 404);
    const declinedErasure = (await call(customer, 'POST', `${own}/erasure-request`, 201, {})).json();
    await call(adminToken, 'GET', `${acme}/rest/portico/1/erasure-request`, 200);
    await call(adminToken, 'POST', `${acme}/rest/portico/1/erasure-request/${declinedErasure.id}/decline`, 400, { note: '' });
    await call(adminToken, 'POST', `${acme}/rest/portico/1/erasure-request/${declinedErasure.id}/decline`, 200, { note: 'Contract note' });
    const approvedErasure = (await call(customer, 'POST', `${own}/erasure-request`, 201, {})).json();
    await call(customer, 'POST', `${acme}/api/portal/logout`, 204);
    await call(customer, 'GET', `${acme}/api/portal/requests`, 401);
    await call(adminToken, 'POST', `${acme}/rest/portico/1/erasure-request/${approvedErasure.id}/approve`, 200, {});
    await call(adminToken, 'POST', `${acme}/rest/portico/1/erasure-request/${approvedErasure.id}/approve`, 409, {});

    // the last sessions end
    await call(agent, 'POST', '/api/auth/logout', 204);
    await call(admin, 'DELETE', `/api/profile/tokens/${token.id}`, 204);
    await call(admin, 'POST', '/api/auth/logout', 204);

    expect(problems).toEqual([]);
    expect(checkedBodies).toBeGreaterThan(80);
    expect(checkedErrors).toBeGreaterThan(15); // errors, sent by the error handler, are checked too
    const unreached = routes
      .filter((r) => !THIRD_PARTY.test(r.url ?? ''))
      .flatMap((r) => methodsOf(r).map((m) => `${m} ${r.url}`))
      .filter((r) => !answered.has(r));
    expect(unreached).toEqual([]);
  });

  it('internal-API errors carry a machine code; REST errors keep exactly Atlassian\'s shape', async () => {
    const codeOf = async (url: string, init: { method?: string; headers?: Record<string, string>; payload?: object } = {}) => {
      const res = await t.app.inject({ method: (init.method ?? 'GET') as 'GET', url, headers: init.headers, ...(init.payload ? { payload: init.payload } : {}) });
      return { status: res.statusCode, body: res.json() };
    };
    expect(await codeOf('/api/auth/session')).toMatchObject({ status: 401, body: { code: 'unauthenticated', status: 401 } });
    expect(await codeOf('/api/nowhere')).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await codeOf('/s/acme/api/portal/login', { method: 'POST', payload: { email: 'alice@customer.test', password: 'x', extra: 1 } })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', errors: { extra: "There is no field 'extra' here." } },
    });
    const agent = await loginStaff(t.app, 'agent@acme.test');
    expect(await codeOf('/s/acme/api/agent/filters', { method: 'POST', headers: { cookie: agent.cookie }, payload: { name: 'x', jql: 'project = HELP' } })).toMatchObject({
      status: 403,
      body: { code: 'csrf' },
    });
    expect(await codeOf('/s/acme/api/agent/filters', { method: 'POST', headers: as(agent), payload: { name: 'x', jql: 'project = ' } })).toMatchObject({
      status: 400,
      body: { code: 'bad_request' },
    });
    const denied = await codeOf('/api/admin/sites/acme', { headers: as(agent) });
    expect(denied.body.code).toBe(denied.status === 403 ? 'forbidden' : 'not_found');
    expect([403, 404]).toContain(denied.status);
    for (const url of ['/s/acme/rest/api/3/myself', '/s/acme/rest/servicedeskapi/nowhere', '/s/acme/rest/api/3/user?accountId=x']) {
      const { body } = await codeOf(url);
      expect(Object.keys(body).sort(), url).toEqual(['errorMessage', 'errorMessages', 'errors', 'status']);
    }
  });

  it('the check fails when a schema forgets a field, or a presenter drops one', () => {
    const route = findRoute('GET', '/s/:site/api/portal/site')!;
    const validate = validatorOf(schemaFor(route, 200)!);
    expect(validate({ slug: 'acme', name: 'Acme Support' })).toBe(true);
    expect(validate({ slug: 'acme', name: 'Acme Support', sentButNotDeclared: 1 })).toBe(false);
    expect(validate({ slug: 'acme' })).toBe(false);
    // nested objects too, and REST objects, open on the wire, are closed in the check
    const session = validatorOf(schemaFor(findRoute('GET', '/api/auth/session')!, 200)!);
    expect(session({ account: { accountId: 'a', displayName: 'A', email: 'a@x', extra: 1 }, csrfToken: 'c', organizations: [], agentProjects: [] })).toBe(false);
    const desk = validatorOf(schemaFor(findRoute('GET', '/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId')!, 200)!);
    expect(desk({ id: '1', projectId: '1', projectKey: 'HELP', projectName: 'IT Help', projectTypeKey: 'service_desk', undeclared: true })).toBe(false);
  });
});
