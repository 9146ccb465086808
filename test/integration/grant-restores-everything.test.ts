import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginStaff, as, accountIdOf, type TestApp, type Session } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { searchUsersForPicker } from '../../src/use-cases/people/search-users-for-picker.js';

// docs/product.md#grant as a property: on random sets of requests, participants, picker values and
// comments, revoking any set of customers and granting them back leaves every reference row, every
// picker result and every JQL-by-email result exactly as it was.

let t: TestApp;
let ada: Session;
let adaToken: string;
let siteId: string;
let projectId: string;
let requestTypeId: string;
let fieldIds: string[];
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
  fieldIds = (await t.db.selectFrom('custom_fields').select('id').where('site_id', '=', siteId).orderBy('id').execute()).map((r) => String(r.id));
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
  commenters: fc.array(person, { maxLength: 3 }),
});

async function insertRequest(r: GeneratedRequest) {
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
}

const PICKER_QUERIES = ['a', 'al', 'alice', 'example', 'b', 'bob@', 'builder', 'c', 'carol customer', 'customer', 'dave'];

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
  const jql: Record<string, string[]> = {};
  for (const n of NAMES) {
    for (const clause of [`reporter = "${n}@customer.test"`, `participant = "${n}@customer.test"`]) {
      const r = await t.app.inject({
        method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: { authorization: `Bearer ${adaToken}` },
        payload: { jql: `${clause} ORDER BY key ASC`, fields: ['summary'], maxResults: 5000 },
      });
      expect(r.statusCode).toBe(200);
      jql[clause] = r.json().issues.map((i: any) => i.key);
    }
  }
  return JSON.parse(JSON.stringify({ reporters, participants, values, comments, projectCustomers, orgMembers, pickers, jql }));
}

describe('grant restores everything (property)', () => {
  it('revoke then grant leaves every reference and every search result identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(requestArb, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(person, { minLength: 1, maxLength: NAMES.length }),
        fc.boolean(),
        async (requests, revokedPeople, useBulk) => {
          for (const r of requests) await insertRequest(r);
          const before = await observe();
          const ids = revokedPeople.map((i) => customers[NAMES[i]]);
          if (useBulk) {
            const r = await t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(ada), payload: { action: 'revoke', accountIds: ids } });
            expect(r.json().changed).toBe(ids.length);
          } else {
            for (const id of ids) expect((await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${id}/revoke`, headers: as(ada) })).json().changed).toBe(true);
          }
          // while revoked they are out of every picker (the property would be trivial otherwise)
          const during = await searchUsersForPicker(t.db, { siteId, query: 'customer', audience: 'customers', limit: 50 });
          for (const id of ids) expect(during.users.map((u) => u.accountId)).not.toContain(id);
          for (const id of ids) {
            const r = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/customer/user/${id}/grant-portal-only-access`, headers: { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' } });
            expect(r.statusCode).toBe(204);
          }
          expect(await observe()).toEqual(before);
        },
      ),
      { numRuns: 8 },
    );
  }, 300_000);
});
