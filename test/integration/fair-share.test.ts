import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openPostgres } from '../../src/db/connection.js';
import { runInLane, type LaneGrant } from '../../src/db/lanes.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { TEST_DB_KIND } from '../support/db.js';
import { worstAllowedQueries } from '../support/worst-query.js';
import { staffAuth, type Headers } from './rest-helpers.js';

// D3: one site's heavy queries cannot keep another site's logins waiting beyond the bound of one
// statement. On the embedded database (one connection, one statement at a time) the connection is
// shared out between sites in turn — a turn is one request's statements in a row — and the budget
// bounds each statement; a login (a few steps: the site before its body is read, the account before
// the password hash, the session after it) waits for at most one turn of a busy site per step
// (bench/embedded-fairness.ts times it). On PostgreSQL the statement
// timeout frees the pool. Counted, not timed: how many turns of other sites a login step waited for.

let t: TestApp;
let ada: Headers;
let heavy: string;

beforeAll(async () => {
  // The site cache's clock stands still: each site is read once (below, before the queues are
  // built), so every request queues its own statements, not one shared read of its site.
  t = await createTestApp({ siteCacheClock: () => 0 });
  ada = await staffAuth(t, 'admin@acme.test');
  heavy = worstAllowedQueries(DEMO_CUSTOMERS)['every limit: text + people + row clauses, OR, nested, 7 sort keys'];
  for (const site of ['acme', 'globex']) await t.app.inject({ method: 'GET', url: `/s/${site}/api/portal/session` });
});
afterAll(() => t?.close());

const SEARCHES = 8;
/** acme's customers: the demo data makes them reporters, participants and user-picker values */
const DEMO_CUSTOMERS = ['alice@customer.test', 'bob@customer.test', 'carol@customer.test'];
// (inject sends when its answer is asked for: `.then` starts each request now)
const search = (app = t.app) =>
  app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql: heavy, maxResults: 5000, fields: ['*all'] } }).then((r) => r);
const globexLogin = (app = t.app) =>
  app.inject({ method: 'POST', url: '/s/globex/api/portal/login', payload: { email: 'erin@customer.test', password: DEMO_PASSWORD } }).then((r) => r);

describe.runIf(TEST_DB_KIND === 'pglite')('the embedded database', () => {
  it(`D3: each step of a login on globex waits for at most one turn of acme while ${SEARCHES} of the heaviest allowed searches queue on acme`, async () => {
    const scheduler = t.database.scheduler!;
    const grants: LaneGrant[] = [];
    const stop = scheduler.observe((g) => grants.push(g));
    // acme holds the connection (as its previous statement would) while its searches and the login queue
    let open!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = runInLane('site:acme', () =>
      t.db.transaction().execute(async () => {
        holding();
        await new Promise<void>((resolve) => (open = resolve));
      }),
    );
    await held;
    try {
      const searches = Array.from({ length: SEARCHES }, () => search());
      await vi.waitFor(() => expect(scheduler.waiting).toBe(SEARCHES), { timeout: 20_000 });
      const login = globexLogin();
      await vi.waitFor(() => expect(scheduler.waiting).toBe(SEARCHES + 1), { timeout: 20_000 });
      open();
      await holder;
      expect((await login).statusCode).toBe(200);
      for (const res of await Promise.all(searches)) expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    } finally {
      open?.();
      stop();
    }
    const login = grants.filter((g) => g.lane === 'site:globex');
    expect(login.length).toBeGreaterThan(0);
    expect(login[0].waitedTurns).toBe(1); // the turn of the first of acme's queued searches, the other 7 after it
    expect(Math.max(...login.map((g) => g.waitedTurns))).toBeLessThanOrEqual(1);
    expect(Math.max(...grants.filter((g) => g.lane === 'site:acme').map((g) => g.waitedTurns))).toBeGreaterThan(1); // acme did queue
  });
});

describe.runIf(TEST_DB_KIND === 'postgres')('PostgreSQL', () => {
  it('D3: statements of one site stuck past the statement timeout cannot keep another site\'s login out', async () => {
    // a pool of 2 whose statements stop after 300 ms, and a peer holding the requests table
    const handle = openPostgres(t.database.url!, { poolSize: 2, statementTimeoutMs: 300 });
    const app = await buildApp({ db: handle.db, mailer: createOutboxMailer(), config: t.config });
    const peer = new pg.Client({ connectionString: t.database.url });
    await peer.connect();
    // pg_stat_activity is read from outside the peer's transaction (inside it, it is a snapshot)
    const observer = new pg.Client({ connectionString: t.database.url });
    await observer.connect();
    try {
      await peer.query('BEGIN');
      await peer.query('LOCK TABLE requests IN ACCESS EXCLUSIVE MODE');
      // as many as the pool holds: the login comes next and gets the first connection they free
      const searches = Array.from({ length: 2 }, () =>
        app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql: 'project = HELP' } }).then((r) => r));
      // both connections of the pool are stuck behind the lock before the login comes
      await vi.waitFor(async () => {
        const stuck = await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        expect(stuck.rows[0].n).toBe(2);
      }, { timeout: 20_000, interval: 20 });
      const login = await globexLogin(app);
      expect(login.statusCode, login.body).toBe(200);
      for (const res of await Promise.all(searches)) expect(res.statusCode).toBe(503);
    } finally {
      await peer.query('ROLLBACK').catch(() => {});
      await peer.end();
      await observer.end();
      await app.close();
      await handle.close();
    }
  });
});
