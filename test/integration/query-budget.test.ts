import pg from 'pg';
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openPostgres } from '../../src/db/connection.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { JQL_BUDGET } from '../../src/domain/jql/budget.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { TEST_DB_KIND } from '../support/db.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';
import { customerAuth, expectError, json, staffAuth, type Headers } from './rest-helpers.js';

// D2: one request cannot hold the database for more than a bounded time. Every JQL query is
// checked against a budget before it runs (400 naming the limit), and on PostgreSQL a statement
// timeout stops whatever still runs too long (503). The other searches' caps: limits.test.ts.

let t: TestApp;
let ada: Headers;
let aliceRest: Headers;
let sam: AgentTestSession;

beforeAll(async () => {
  t = await createTestApp();
  ada = await staffAuth(t, 'admin@acme.test');
  aliceRest = await customerAuth(t, 'acme', 'alice@customer.test');
  sam = await agentSession(t, 'agent@acme.test');
});
afterAll(() => t?.close());

const or = (n: number, clause: (i: number) => string) => Array.from({ length: n }, (_, i) => clause(i)).join(' OR ');
const restSearch = (jql: string, headers: Headers = ada) =>
  t.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers, payload: { jql } });

/** One query just over each limit of the budget, and what the 400 must say. */
const OVER_BUDGET: Array<[limit: string, jql: string, says: RegExp]> = [
  ['clauses', or(101, () => 'status = Open'), /101 clauses; at most 100 are allowed/],
  ['people clauses', or(11, (i) => (i % 2 ? 'participant = currentUser()' : '"Affected user" = currentUser()')), /11 clauses on participants or user-picker fields; at most 10 are allowed/],
  ['text searches', or(6, (i) => `summary ~ w${i}`), /6 text searches \('~' or '!~'\); at most 5 are allowed/],
  ['words', `text ~ "${Array.from({ length: 11 }, (_, i) => `w${i}`).join(' ')}"`, /11 words in its text searches; at most 10 are allowed/],
  ['wildcards', 'summary ~ "a*b*c*d*e*f*g*h*i*j*k*"', /11 wildcards \('\*' or '\?'\) in its text searches; at most 10 are allowed/],
  ['word length', `summary ~ ${'x'.repeat(65)}`, /65 characters long; at most 64 are allowed/],
  ['list values', `key in (${Array.from({ length: 1001 }, (_, i) => `HELP-${i + 1}`).join(',')})`, /1001 values in its lists; at most 1000 are allowed/],
  ['nesting', '('.repeat(21) + 'status = Open' + ')'.repeat(21), /nested too deeply \(at most 20 levels\)/],
  ['sort fields', 'order by created, updated, summary, status, key, project, reporter, created', /at most 7 fields/],
];

describe('the JQL budget over HTTP', () => {
  it.each(OVER_BUDGET)('D2: a query over the %s limit is a 400 in Atlassian\'s shape naming the limit, for staff and customers', async (_limit, jql, says) => {
    for (const who of [ada, aliceRest]) {
      const body = expectError(await restSearch(jql, who), 400, says);
      expect(body.errors.jql).toMatch(says);
    }
  });

  it('D2: the agent issue search and saving a filter apply the same budget', async () => {
    const jql = or(6, (i) => `summary ~ w${i}`);
    const search = await t.app.inject({ method: 'GET', url: `/s/acme/api/agent/search?jql=${encodeURIComponent(jql)}`, headers: sam.headers });
    expectError(search, 400, /at most 5 are allowed/);
    const save = await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/filters', headers: sam.headers, payload: { name: 'too many', jql } });
    expectError(save, 400, /at most 5 are allowed/);
    expect(await t.db.selectFrom('saved_filters').select('id').where('name', '=', 'too many').execute()).toEqual([]);
  });

  it('D2: a query exactly at every limit at once still runs (200)', async () => {
    const words = Array.from({ length: 8 }, (_, i) => `w${i}`);
    const jql = [
      `summary ~ "${words.slice(0, 2).join(' ')}"`,
      `text ~ "${words.slice(2, 4).join(' ')}"`,
      `summary ~ "${words.slice(4, 6).join(' ')}"`,
      `text ~ "${words.slice(6, 8).join(' ')}"`,
      `summary !~ "a*b*c*d*e*f*g*h*i*j* ${'x'.repeat(JQL_BUDGET.wordLength)}"`,
      `key in (${Array.from({ length: 1000 }, (_, i) => `HELP-${i + 1}`).join(',')})`,
      ...Array.from({ length: 10 }, () => 'participant = currentUser()'),
      ...Array.from({ length: 84 }, () => 'status != Closed'),
    ].join(' OR ');
    const nested = '('.repeat(19) + jql + ')'.repeat(19) + ' order by created, updated, summary, status, key, project, reporter';
    const res = await restSearch(nested);
    expect(res.statusCode, res.body).toBe(200);
  });

  it('D2: the review\'s 1,700-clause text search is refused before it reaches the requests', async () => {
    const jql = or(1700, (i) => `text~w${i % 10}`);
    expect(jql.length).toBeLessThan(20_000);
    // the same app on a database handle that records every statement it runs
    const statements: string[] = [];
    const app = await buildApp({ db: t.db.withPlugin(recordStatements(statements)), mailer: createOutboxMailer(), config: t.config });
    try {
      const res = await app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql } });
      expectError(res, 400, /1700 clauses; at most 100 are allowed/);
    } finally {
      await app.close();
    }
    expect(statements.length).toBeGreaterThan(0); // authentication ran
    expect(statements.filter((s) => /\b(requests|comments|custom_fields)\b/.test(s))).toEqual([]);
  });
});

describe.runIf(TEST_DB_KIND === 'postgres')('the statement timeout on PostgreSQL', () => {
  it('D2: every connection of the app\'s pool runs under the 5 s statement timeout, without JIT compilation', async () => {
    // several at once, so that they come from different connections of the pool
    const shown = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.db.transaction().execute((trx) => sql<{ timeout: string; jit: string }>`SELECT current_setting('statement_timeout') AS timeout, current_setting('jit') AS jit`.execute(trx)),
      ),
    );
    expect(shown.map((r) => r.rows[0])).toEqual(Array(5).fill({ timeout: '5s', jit: 'off' }));
  });

  it('D2: a deliberately slow statement through the app\'s pool is stopped at the timeout', async () => {
    const handle = openPostgres(t.database.url!, { poolSize: 1, statementTimeoutMs: 200 });
    try {
      const error = await sql`SELECT pg_sleep(30)`.execute(handle.db).then(() => null, (e: unknown) => e);
      expect((error as { code?: string } | null)?.code).toBe('57014');
    } finally {
      await handle.close();
    }
  });

  it('D2: a search held past the timeout answers 503 with Retry-After in Atlassian\'s shape; a write held past it changes nothing', async () => {
    const handle = openPostgres(t.database.url!, { poolSize: 2, statementTimeoutMs: 300 });
    const app = await buildApp({ db: handle.db, mailer: createOutboxMailer(), config: t.config });
    // a peer holds the requests table, as a long statement of another request would
    const peer = new pg.Client({ connectionString: t.database.url });
    await peer.connect();
    const before = await countsOf();
    try {
      await peer.query('BEGIN');
      await peer.query('LOCK TABLE requests IN ACCESS EXCLUSIVE MODE');
      await expectDatabaseBusy(app, 'held');
    } finally {
      await peer.query('ROLLBACK').catch(() => {});
      await peer.end();
      await app.close();
      await handle.close();
    }
    expect(await countsOf()).toEqual(before);
    // once the peer is gone, the same search answers
    const again = await restSearch('project = HELP');
    expect(again.statusCode).toBe(200);
  });

  it('D2: a request that finds every pooled connection busy for twice the statement timeout answers 503 with Retry-After and changes nothing; once one is free it answers', async () => {
    const handle = openPostgres(t.database.url!, { poolSize: 1, statementTimeoutMs: 300 });
    const app = await buildApp({ db: handle.db, mailer: createOutboxMailer(), config: t.config });
    // another request's transaction holds the pool's one connection
    let release!: () => void;
    const held = handle.db.transaction().execute(() => new Promise<void>((resolve) => (release = resolve)));
    const before = await countsOf();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expectDatabaseBusy(app, 'queued');
      expect(await countsOf()).toEqual(before);
      release();
      await held;
      const again = await app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql: 'project = HELP' } });
      expect(again.statusCode, again.body).toBe(200);
    } finally {
      release();
      await held;
      await app.close();
      await handle.close();
    }
  });
});

/**
 * Through `app`, a search and a write (a request raised as Ada on Alice's behalf, summary `summary`)
 * both answer 503 with Retry-After in Atlassian's shape: the database is at its bound.
 */
async function expectDatabaseBusy(app: Awaited<ReturnType<typeof buildApp>>, summary: string) {
  const search = await app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: ada, payload: { jql: 'project = HELP' } });
  expect(search.statusCode, search.body).toBe(503);
  expect(search.headers['retry-after']).toBe('5');
  expect(search.json()).toMatchObject({ errorMessages: [expect.stringMatching(/took too long/)], errors: {} });
  const desk = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('project_id', '=', desk.id).orderBy('id').executeTakeFirstOrThrow();
  const raise = await app.inject({
    method: 'POST',
    url: '/s/acme/rest/servicedeskapi/request',
    headers: ada,
    payload: { serviceDeskId: String(desk.id), requestTypeId: String(type.id), requestFieldValues: { summary, description: 'x' }, raiseOnBehalfOf: 'alice@customer.test' },
  });
  expect(raise.statusCode, raise.body).toBe(503);
}

async function countsOf() {
  const requests = await t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const projects = await t.db.selectFrom('projects').select(['key', 'next_request_number']).orderBy('key').execute();
  const audit = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { requests: requests.n, projects, audit: audit.n };
}

/** A Kysely plugin that records every statement made through it (its syntax tree, as JSON). */
function recordStatements(into: string[]): KyselyPlugin {
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      into.push(JSON.stringify(args.node));
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return args.result;
    },
  };
}
