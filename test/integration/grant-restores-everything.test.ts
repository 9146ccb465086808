import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginStaff, as, accountIdOf, type TestApp, type Session } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { searchUsersForPicker } from '../../src/db/queries/user-picker.js';

// docs/product.md#grant as a property: on random sets of requests, participants, picker values and
// comments, revoking any set of customers (one by one in the console, or in bulk) and granting them
// back (over REST, in the console, or in bulk) leaves every reference row, every picker result and
// every JQL-by-email result — on every user field — exactly as it was.

let t: TestApp;
let ada: Session;
let adaToken: string;
let siteId: string;
let projectId: string;
let requestTypeId: string;
let fieldIds: string[];
let fieldNames: string[];
const customers: Record<string, string> = {};
const NAMES = ['alice', 'bob', 'carol'] as const;

beforeAll(async () => {
  t = await createTestApp();
  ada = await loginStaff(t.app, 'admin@acme.test');
  adaToken = (await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: as(ada), payload: { label: 'property' } })).json().token;
  siteId = (await findSiteBySlug(t.db, 'acme'))!.id;
  for (const n of NAMES) customers[n] = await accountIdOf(t.db, `${n}@customer.test`, 'acme');
  projectId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  requestTypeId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  const fields = await t.db.selectFrom('custom_fields').select(['id', 'name']).where('site_id', '=', siteId).orderBy('id').execute();
  fieldIds = fields.map((r) => String(r.id));
  fieldNames = fields.map((r) => r.name);
  expect(fieldNames).toEqual(['Affected user', 'Approver']);
});
afterAll(() => t?.close());

interface GeneratedRequest {
  reporter: number;
  participants: number[];
  values: Array<{ field: number; who: number }>;
  commenters: number[];
}

const person = fc.integer({ min: 0, max: NAMES.length - 1 });
const requestArb: fc.Arbitrary<GeneratedRequest> = fc.record({
  reporter: person,
  participants: fc.uniqueArray(person, { maxLength: 3 }),
  values: fc.uniqueArray(fc.record({ field: fc.integer({ min: 0, max: 1 }), who: person }), { maxLength: 3, selector: (v) => `${v.field}:${v.who}` }),
  commenters: fc.array(person, { maxLength: 2 }),
});

// The 14 ways to revoke: each non-empty set of the three customers, one by one in the console or in bulk.
const REVOKE_SETS = [1, 2, 3, 4, 5, 6, 7].map((bits) => [0, 1, 2].filter((i) => bits & (1 << i)));
const REVOKES = REVOKE_SETS.flatMap((people) => (['console', 'bulk'] as const).map((path) => ({ people, path })));
const GRANT_PATHS = ['rest', 'console', 'bulk'] as const;
type GrantPath = (typeof GRANT_PATHS)[number];

/** Removes a run's requests, so that every run starts from the demo data (and a failing run shrinks alone). */
async function removeRequests(ids: string[]) {
  if (ids.length === 0) return;
  await t.db.deleteFrom('comments').where('request_id', 'in', ids).execute();
  await t.db.deleteFrom('request_user_values').where('request_id', 'in', ids).execute();
  await t.db.deleteFrom('request_participants').where('request_id', 'in', ids).execute();
  await t.db.deleteFrom('requests').where('id', 'in', ids).execute();
}

async function insertRequest(r: GeneratedRequest): Promise<string> {
  const p = await t.db
    .updateTable('projects')
    .set((eb) => ({ next_request_number: eb('next_request_number', '+', 1) }))
    .where('id', '=', projectId)
    .returning('next_request_number')
    .executeTakeFirstOrThrow();
  const number = p.next_request_number - 1;
  const row = await t.db
    .insertInto('requests')
    .values({
      site_id: siteId, project_id: projectId, request_type_id: requestTypeId, number, key: `HELP-${number}`,
      summary: `Generated ${number}`, reporter_id: customers[NAMES[r.reporter]],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const w of r.participants) {
    await t.db.insertInto('request_participants').values({ site_id: siteId, request_id: row.id, account_id: customers[NAMES[w]] }).execute();
  }
  for (const [i, v] of r.values.entries()) {
    await t.db.insertInto('request_user_values').values({ site_id: siteId, request_id: row.id, custom_field_id: fieldIds[v.field], account_id: customers[NAMES[v.who]], position: i }).execute();
  }
  for (const c of r.commenters) {
    await t.db.insertInto('comments').values({ site_id: siteId, request_id: row.id, author_id: customers[NAMES[c]], body: 'a comment', public: true }).execute();
  }
  return String(row.id);
}

const PICKER_QUERIES = ['a', 'alice', 'example', 'bob@', 'builder', 'c', 'carol customer', 'dave'];
/** a picker query that finds each of them while active */
const PICKER_QUERY_OF: Record<(typeof NAMES)[number], string> = { alice: 'alice', bob: 'bob@', carol: 'carol customer' };

/** Every JQL user field, by each customer's exact email: reporter, participant and both picker fields. */
async function jqlByEmail(people: readonly number[] = [0, 1, 2]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const i of people) {
    for (const field of ['reporter', 'participant', ...fieldNames.map((f) => `"${f}"`)]) {
      const clause = `${field} = "${NAMES[i]}@customer.test"`;
      const r = await t.app.inject({
        method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: { authorization: `Bearer ${adaToken}` },
        payload: { jql: `${clause} ORDER BY key ASC`, fields: ['summary'], maxResults: 5000 },
      });
      expect(r.statusCode, `${clause}: ${r.body}`).toBe(200);
      out[clause] = r.json().issues.map((i: any) => i.key);
    }
  }
  return out;
}

async function observe() {
  const [reporters, participants, values, comments, projectCustomers, orgMembers] = await Promise.all([
    t.db.selectFrom('requests').select(['id', 'key', 'reporter_id', 'updated_at']).orderBy('id').execute(),
    t.db.selectFrom('request_participants').select(['request_id', 'account_id', 'added_at']).orderBy('request_id').orderBy('account_id').execute(),
    t.db.selectFrom('request_user_values').select(['request_id', 'custom_field_id', 'account_id', 'position']).orderBy('request_id').orderBy('custom_field_id').orderBy('account_id').execute(),
    t.db.selectFrom('comments').select(['id', 'request_id', 'author_id', 'created_at']).orderBy('id').execute(),
    t.db.selectFrom('project_customers').select(['project_id', 'account_id', 'added_at']).orderBy('project_id').orderBy('account_id').execute(),
    t.db.selectFrom('accounts').select(['account_id', 'display_name', 'email', 'password_hash', 'status', 'created_at']).where('site_id', '=', siteId).orderBy('account_id').execute(),
  ]);
  const pickers: Record<string, string[]> = {};
  for (const q of PICKER_QUERIES) {
    for (const audience of ['customers', 'anyone'] as const) {
      pickers[`${audience}:${q}`] = (await searchUsersForPicker(t.db, { siteId, query: q, audience, limit: 50 })).users.map((u) => u.accountId);
    }
  }
  const jql = await jqlByEmail();
  return JSON.parse(JSON.stringify({ reporters, participants, values, comments, projectCustomers, orgMembers, pickers, jql }));
}

async function revoke(ids: string[], path: 'console' | 'bulk') {
  if (path === 'bulk') {
    const r = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(ada), payload: { action: 'revoke', accountIds: ids } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().changed).toBe(ids.length);
  } else {
    for (const id of ids) {
      const r = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${id}/revoke`, headers: as(ada) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().changed).toBe(true);
    }
  }
}

async function grant(ids: string[], path: GrantPath) {
  if (path === 'bulk') {
    const r = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(ada), payload: { action: 'grant', accountIds: ids } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().changed).toBe(ids.length);
  } else if (path === 'console') {
    for (const id of ids) {
      const r = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${id}/grant`, headers: as(ada) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().changed).toBe(true);
    }
  } else {
    for (const id of ids) {
      const r = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/customer/user/${id}/grant-portal-only-access`, headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' } });
      expect(r.statusCode, r.body).toBe(204);
    }
  }
}

const statuses = async () =>
  (await t.db.selectFrom('accounts').select(['account_id', 'status']).where('account_id', 'in', Object.values(customers)).execute()).map((r) => r.status);

describe('grant restores everything (property)', () => {
  it('revoke then grant leaves every reference and every search result identical', async () => {
    const reached = { runs: 0, revokes: new Set<number>(), grants: new Set<GrantPath>(), jqlHits: 0, affectedUserHits: 0 };
    const someRequest = (i: number): GeneratedRequest => ({
      reporter: i % 3, participants: [(i + 1) % 3], values: [{ field: 0, who: (i + 2) % 3 }, { field: 1, who: i % 3 }], commenters: [i % 3],
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(requestArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: REVOKES.length - 1 }),
        fc.constantFrom(...GRANT_PATHS),
        async (requests, revokeIndex, grantPath) => {
          const inserted: string[] = [];
          try {
            for (const r of requests) inserted.push(await insertRequest(r));
            const { people, path } = REVOKES[revokeIndex];
            const before = await observe();
            expect(await statuses()).toEqual(['active', 'active', 'active']);
            const ids = people.map((i) => customers[NAMES[i]]);
            await revoke(ids, path);
            // while revoked they are out of every picker (the property would be trivial otherwise) …
            for (const i of people) {
              const query = PICKER_QUERY_OF[NAMES[i]];
              expect(before.pickers[`anyone:${query}`], query).toContain(customers[NAMES[i]]);
              const during = await searchUsersForPicker(t.db, { siteId, query, audience: 'anyone', limit: 50 });
              expect(during.users.map((u) => u.accountId), query).not.toContain(customers[NAMES[i]]);
            }
            for (const id of ids) {
              expect((await t.db.selectFrom('accounts').select('status').where('account_id', '=', id).executeTakeFirstOrThrow()).status).toBe('revoked');
            }
            // … and still found by exact email on every user field (P5)
            const byEmail = await jqlByEmail(people);
            for (const [clause, keys] of Object.entries(byEmail)) expect(keys, clause).toEqual(before.jql[clause]);

            await grant(ids, grantPath);
            expect(await observe()).toEqual(before);

            reached.runs++;
            reached.revokes.add(revokeIndex);
            reached.grants.add(grantPath);
            for (const [clause, keys] of Object.entries(before.jql as Record<string, string[]>)) {
              if (keys.length === 0) continue;
              reached.jqlHits++;
              if (clause.startsWith('"Affected user"')) reached.affectedUserHits++;
            }
          } finally {
            await removeRequests(inserted);
          }
        },
      ),
      {
        // 60 random runs beside the 14 examples: what a run checks is the same each time, and the
        // suite's time is spent on both databases (docs/architecture.md, "How npm test spends its time")
        numRuns: 60,
        // every one of the 14 ways to revoke, whatever the random runs pick
        examples: REVOKES.map((_, i) => [[someRequest(i)], i, GRANT_PATHS[i % GRANT_PATHS.length]] as [GeneratedRequest[], number, GrantPath]),
      },
    );
    expect(reached.runs).toBeGreaterThanOrEqual(60);
    expect(reached.revokes.size).toBe(REVOKES.length);
    expect(reached.grants.size).toBe(GRANT_PATHS.length);
    // the JQL comparisons had something to compare, the "Affected user" field included
    expect(reached.affectedUserHits).toBeGreaterThan(30);
    expect(reached.jqlHits).toBeGreaterThan(300);
  }, 900_000);
});
