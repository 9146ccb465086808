import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/http/app.js';
import type { App, AppDeps } from '../../src/http/deps.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { Metrics } from '../../src/metrics.js';
import { loadDemoData, DEMO_PASSWORD } from '../../src/db/demo.js';
import { createTestDatabase, type TestDatabase, type TestDbKind } from './db.js';
import { openCallerCache, type CallerCache } from '../../src/db/caller-cache.js';
import type { SessionPrincipal } from '../../src/db/queries/caller.js';

export interface TestApp {
  app: App;
  db: TestDatabase['db'];
  database: TestDatabase;
  config: Config;
  /** the instance's caller cache, when asked for with `callerCache` (servers always have one) */
  callers?: CallerCache<SessionPrincipal>;
  close(): Promise<void>;
}

/** A Portico app on a fresh test database (PGlite or PostgreSQL per PORTICO_TEST_DB), with demo data. */
export async function createTestApp(
  options: {
    demo?: boolean;
    kind?: TestDbKind;
    config?: Partial<Config>;
    onRoute?: BuildOptions['onRoute'];
    siteCacheClock?: BuildOptions['siteCacheClock'];
    /** count what the app does (src/metrics.ts), as a server does */
    metrics?: boolean;
    /** keep callers as a server does (db/caller-cache.ts); off by default, so a test's own writes to the database are seen at once */
    callerCache?: boolean;
    /** the backup the internal CLI route hands out (a server on an embedded data directory has one) */
    backup?: AppDeps['backup'];
    /** the built web app it serves (src/http/app.ts: dist/web unless given) */
    webRoot?: string;
  } = {},
): Promise<TestApp> {
  const demo = options.demo !== false;
  const database = await createTestDatabase(options.kind, { demo });
  if (demo && !database.hasDemo) await loadDemoData(database.db);
  // app.inject() requests http://localhost:80 unless told otherwise: make that the public URL, so
  // links in answers read as they would for a browser on the server's public address.
  const config: Config = { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent', ...options.config };
  const metrics = options.metrics ? new Metrics({ database: database.kind }) : undefined;
  const callers = options.callerCache ? await openCallerCache<SessionPrincipal>(database) : undefined;
  const app = await buildApp({ db: database.db, mailer: createOutboxMailer(), config, metrics, backup: options.backup }, { onRoute: options.onRoute, siteCacheClock: options.siteCacheClock, callers, webRoot: options.webRoot });
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    config,
    callers,
    async close() {
      await app.close();
      await callers?.close();
      await database.close();
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  accountId: string;
}

function sessionFrom(res: LightMyRequestResponse, cookieName: string): Session {
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const set = res.cookies.find((c) => c.name === cookieName);
  if (!set) throw new Error(`no ${cookieName} cookie in login response`);
  const body = res.json() as { csrfToken: string; accountId: string };
  return { cookie: `${cookieName}=${set.value}`, csrfToken: body.csrfToken, accountId: body.accountId };
}

export async function loginStaff(app: App, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  return sessionFrom(res, 'portico_sid');
}

export async function loginCustomer(app: App, site: string, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: `/s/${site}/api/portal/login`, payload: { email, password } });
  return sessionFrom(res, 'portico_csid');
}

/** Headers for a cookie-authenticated request; writes carry the CSRF token. */
export function as(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

/** Looks an account up by email on a site (or a staff account when site is null). */
export async function accountIdOf(db: TestApp['db'], email: string, siteSlug: string | null): Promise<string> {
  let q = db.selectFrom('accounts').select('accounts.account_id').where('accounts.email_lower', '=', email.toLowerCase());
  if (siteSlug === null) q = q.where('accounts.kind', '=', 'staff');
  else q = q.innerJoin('sites', 'sites.id', 'accounts.site_id').where('sites.slug', '=', siteSlug);
  const row = await q.executeTakeFirstOrThrow();
  return row.account_id;
}
