import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadConfig } from '../../src/config.js';
import { loadDemoData } from '../../src/db/demo.js';
import { openPostgres, type DbHandle } from '../../src/db/connection.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { as, loginCustomer, loginStaff } from '../support/app.js';
import { staffAuth, type Headers } from './rest-helpers.js';

// docs/architecture.md, "Kept plans": a kept statement is not always a kept plan — PostgreSQL may
// plan a prepared statement again for its values on every call when it estimates the generic plan
// dearer. The requests people make all day must not: after the first calls, each of their
// statements runs a plan kept from before. Read from pg_prepared_statements (generic_plans,
// custom_plans) of the app's own connection — on PGlite its only one, on the PostgreSQL server a
// pool of one for this test.

let database: TestDatabase;
let handle: DbHandle;
let app: App;

beforeAll(async () => {
  database = await createTestDatabase(undefined, { demo: true });
  if (!database.hasDemo) await loadDemoData(database.db);
  handle = database.url ? openPostgres(database.url, 1) : database;
  const config = { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent' as const };
  app = await buildApp({ db: handle.db, mailer: createOutboxMailer(), config });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  if (handle !== database) await handle?.close();
  await database?.close();
});

interface Plans {
  statement: string;
  generic_plans: number;
  custom_plans: number;
}

async function preparedStatements(): Promise<Plans[]> {
  const { rows } = await sql<Plans>`SELECT statement, generic_plans::int AS generic_plans, custom_plans::int AS custom_plans FROM pg_prepared_statements`.execute(handle.db);
  return rows;
}

describe('the requests of every day keep their plans', () => {
  it('myself, the pickers, a JQL search by email, the customer portal and the agent queue: no statement is planned again on every call', async () => {
    const ada = await staffAuth({ db: handle.db } as never, 'admin@acme.test');
    const samToken = await staffAuth({ db: handle.db } as never, 'agent@acme.test');
    const sam = as(await loginStaff(app, 'agent@acme.test'));
    const alice = as(await loginCustomer(app, 'acme', 'alice@customer.test'));
    const calls: Array<[string, Headers, string, string?]> = [
      ['GET', ada, '/s/acme/rest/api/3/myself'],
      ['GET', samToken, '/s/acme/rest/api/3/myself'],
      ['GET', ada, '/s/acme/rest/api/3/user/picker?query=ali'],
      ['GET', alice, '/s/acme/rest/api/3/user/picker?query=car'],
      ['GET', sam, '/s/acme/api/users/picker?query=ali&fieldKey=reporter'],
      ['POST', ada, '/s/acme/rest/api/3/search/jql', JSON.stringify({ jql: 'reporter = "alice@customer.test"', fields: ['summary', 'reporter'] })],
      ['POST', samToken, '/s/acme/rest/api/3/search/jql', JSON.stringify({ jql: 'reporter = "bob@customer.test" ORDER BY created DESC', fields: ['summary'] })],
      ['GET', alice, '/s/acme/api/portal/session'],
      ['GET', sam, '/s/acme/api/agent/projects/HELP/queue'],
    ];
    const before = new Set((await preparedStatements()).map((p) => p.statement));
    // eight calls each, in turns: PostgreSQL decides between its generic and a custom plan after five
    for (let round = 0; round < 8; round++) {
      for (const [method, headers, url, body] of calls) {
        const res = await app.inject({ method: method as 'GET' | 'POST', url, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(200);
      }
    }
    const plans = (await preparedStatements()).filter((p) => !before.has(p.statement) && p.generic_plans + p.custom_plans >= 8);
    expect(plans.length, 'the statements these requests ran, eight times or more').toBeGreaterThan(5);
    const plannedEveryTime = plans.filter((p) => p.generic_plans === 0).map((p) => `${p.custom_plans} custom plans: ${p.statement.replace(/\s+/g, ' ').slice(0, 160)}`);
    expect(plannedEveryTime).toEqual([]);
  });

  it("the statements inside the picker's and the JQL look-up's functions always run their generic plans", async () => {
    // pg_prepared_statements lists a session's own prepared statements, not the plans PL/pgSQL keeps
    // for a function's statements: their setting is read from the catalogue instead.
    const { rows } = await sql<{ proname: string; proconfig: string[] | null }>`
      SELECT proname, proconfig FROM pg_proc WHERE proname IN ('portico_pick_users', 'portico_jql_look_up') ORDER BY proname`.execute(handle.db);
    expect(rows).toEqual([
      { proname: 'portico_jql_look_up', proconfig: ['plan_cache_mode=force_generic_plan'] },
      { proname: 'portico_pick_users', proconfig: ['plan_cache_mode=force_generic_plan'] },
    ]);
  });
});
