import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { findSiteBySlug, type SiteRow } from '../../src/db/queries/sites.js';
import { insertCustomer } from '../../src/db/queries/customers.js';
import { newStaffAccountId } from '../../src/db/queries/staff-accounts.js';
import { normalizeForSearch, sortNameFor } from '../../src/domain/search-terms.js';
import type { AccountStatus } from '../../src/db/schema.js';
import { staffAuth, type Headers } from './rest-helpers.js';

// The rules of how people are shown and found: pickers never offer revoked or deleted accounts
// (P1); a revoked customer reads "Name (Deactivated)" everywhere and "Name" after the grant (P3),
// derived from the status, never stored in the name (P4); the exact-email filter gives the same
// answer for "no such email" and "revoked email" where the product's rules allow it (P6); LIKE
// metacharacters typed into any search are matched literally, never as wildcards (P7).

let t: TestApp;
let acme: SiteRow;
let ada: Session;
let sam: Session;
let adaRest: Headers;
const ids: Record<string, string> = {};
let helpId: string;

beforeAll(async () => {
  t = await createTestApp();
  acme = (await findSiteBySlug(t.db, 'acme'))!;
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  adaRest = await staffAuth(t, 'admin@acme.test');
  for (const n of ['alice', 'bob', 'carol', 'dave']) ids[n] = await accountIdOf(t.db, `${n}@customer.test`, 'acme');
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
});
afterAll(() => t?.close());

const get = (url: string, headers: Headers) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: payload ? { ...headers, 'content-type': 'application/json' } : headers, ...(payload ? { payload } : {}) });
const ok = (res: LightMyRequestResponse) => {
  if (res.statusCode >= 300) throw new Error(`${res.statusCode}: ${res.body}`);
  return res.json();
};

// ------------------------------------------------------------------------------------------------

describe('P1: pickers never offer a revoked or deleted account (property)', () => {
  // Each run builds a fresh organization and site with random customers and staff in random states
  // — revoked and deleted through the admin API, as an admin would — then asks every picker
  // random queries built from their names and emails.
  const WORDS = ['ann', 'anna', 'andy', 'bo', 'bob', 'bea', 'zed', 'zoe'];
  const person = fc.record({
    first: fc.constantFrom(...WORDS),
    last: fc.constantFrom(...WORDS),
    status: fc.constantFrom('active', 'active', 'revoked', 'deleted'),
    staff: fc.boolean(),
  });
  let propAdmin: string;
  let propToken: Headers;

  beforeAll(async () => {
    propAdmin = newStaffAccountId();
    await t.db.insertInto('accounts').values({
      account_id: propAdmin, kind: 'staff', site_id: null, email: 'prop-admin@prop.test', email_lower: 'prop-admin@prop.test',
      display_name: 'Prop Admin', sort_name: sortNameFor('Prop Admin'), password_hash: null,
    }).execute();
    propToken = await staffAuth(t, 'prop-admin@prop.test');
  });

  let run = 0;
  async function world(people: Array<{ first: string; last: string; status: string; staff: boolean }>) {
    run++;
    const org = randomUUID();
    const siteId = randomUUID();
    const slug = `p1-${run}-${siteId.slice(0, 6)}`;
    await t.db.insertInto('organizations').values({ id: org, name: `P1 ${run}`, user_management: 'centralized' }).execute();
    await t.db.insertInto('sites').values({ id: siteId, org_id: org, slug, name: `P1 ${run}` }).execute();
    await t.db.insertInto('org_admins').values({ org_id: org, account_id: propAdmin }).execute();
    const project = await t.db.insertInto('projects').values({ site_id: siteId, key: 'PROP', name: 'Prop', portal_name: 'Prop', customer_access: 'open' }).returning('id').executeTakeFirstOrThrow();
    const active = new Set<string>([propAdmin]);
    const texts: string[] = ['prop'];
    for (const [i, p] of people.entries()) {
      const name = `${p.first} ${p.last}`;
      const email = `${p.first}.${p.last}${i}@r${run}.test`;
      texts.push(p.first, p.last, email);
      let id: string;
      if (p.staff) {
        id = newStaffAccountId();
        await t.db.insertInto('accounts').values({
          account_id: id, kind: 'staff', site_id: null, email, email_lower: normalizeForSearch(email), display_name: name, sort_name: sortNameFor(name), password_hash: null,
          status: p.status as AccountStatus,
          ...(p.status === 'deleted' ? { email: null, email_lower: null, display_name: null, sort_name: null } : {}),
        }).execute();
        await t.db.insertInto('project_agents').values({ site_id: siteId, project_id: project.id, account_id: id }).execute();
      } else {
        id = await insertCustomer(t.db, { siteId, email, displayName: name, passwordHash: null });
        if (p.status === 'revoked') ok(await post(`/api/admin/sites/${slug}/customers/${id}/revoke`, propToken));
        if (p.status === 'deleted') expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/sites/${slug}/customers/${id}`, headers: propToken })).statusCode).toBeLessThan(300);
      }
      if (p.status === 'active') active.add(id);
    }
    return { slug, active, texts };
  }

  it('P1: property: for random people in random states and random queries, no picker result is revoked or deleted', async () => {
    let offered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(person, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })), { minLength: 3, maxLength: 3 }),
        fc.string({ maxLength: 4 }),
        async (people, picks, noise) => {
          const w = await world(people);
          const queries = [...picks.map(([i, len]) => w.texts[i % w.texts.length].slice(0, len)), noise, 'a', 'b', 'z'].filter((q) => q.trim() !== '');
          for (const q of queries) {
            const query = encodeURIComponent(q);
            const found = [
              ...ok(await get(`/s/${w.slug}/rest/api/3/user/search?query=${query}&maxResults=1000`, propToken)).map((u: any) => u.accountId),
              ...ok(await get(`/s/${w.slug}/rest/api/3/user/picker?query=${query}&maxResults=50`, propToken)).users.map((u: any) => u.accountId),
              ...ok(await get(`/s/${w.slug}/api/users/picker?query=${query}&fieldKey=reporter&limit=50`, propToken)).users.map((u: any) => u.accountId),
              ...ok(await get(`/s/${w.slug}/api/users/picker?query=${query}&limit=50`, propToken)).users.map((u: any) => u.accountId),
            ];
            for (const id of found) expect(w.active.has(id), `${q} offered ${id}`).toBe(true);
            offered += found.length;
          }
        },
      ),
      { numRuns: 10 },
    );
    expect(offered).toBeGreaterThan(0); // the pickers did offer people: the property is not vacuous
  }, 300_000);

  it('P1: a revoked or deleted account is not offered by its account id either', async () => {
    const dave = await get(`/s/acme/rest/api/3/user/search?accountId=${ids.dave}`, adaRest);
    expect(ok(dave)).toEqual([]);
    expect(ok(await get(`/s/acme/rest/api/3/user/search?accountId=${ids.carol}`, adaRest))).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------

describe('P3: a revoked customer reads "Name (Deactivated)" everywhere, and "Name" after the grant', () => {
  it('P3: reporter, participants, picker fields, comment authors, lists, audit log and the CSV export', async () => {
    const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    // Alice: reporter of HELP-1, participant and Affected user of HELP-2, Approver of HELP-3; and a comment
    ok(await post('/s/acme/api/portal/requests/HELP-1/comments', as(await loginCustomer(t.app, 'acme', 'alice@customer.test')), { body: 'Still broken.' }));

    const labelsOfAlice = async (): Promise<Record<string, string[]>> => {
      const mine = (people: Array<{ accountId: string; label: string }>) => people.filter((p) => p.accountId === ids.alice).map((p) => p.label);
      const agent1 = ok(await get('/s/acme/api/agent/requests/HELP-1', as(sam)));
      const agent2 = ok(await get('/s/acme/api/agent/requests/HELP-2', as(sam)));
      const agent3 = ok(await get('/s/acme/api/agent/requests/HELP-3', as(sam)));
      const portal1 = ok(await get('/s/acme/api/portal/requests/HELP-1', as(bob)));
      const portal2 = ok(await get('/s/acme/api/portal/requests/HELP-2', as(bob)));
      const fieldValues = (d: any) => d.fields.flatMap((f: any) => f.values);
      const csv = (await get('/api/admin/sites/acme/customers/export.csv?query=alice', as(ada))).body.split('\r\n');
      const audit = ok(await get(`/api/admin/orgs/${acme.orgId}/audit-log?limit=200`, as(ada))).values;
      return {
        'agent view: reporter': mine([agent1.reporter]),
        'agent view: participants': mine(agent2.participants),
        'agent view: Affected user': mine(fieldValues(agent2)),
        'agent view: Approver': mine(fieldValues(agent3)),
        'agent view: comment author': mine(agent1.comments.map((c: any) => c.author)),
        'help center: reporter': mine([portal1.reporter]),
        'help center: participants': mine(portal2.participants),
        'help center: Affected user': mine(fieldValues(portal2)),
        'help center: comment author': mine(portal1.comments.map((c: any) => c.author)),
        'help center: my requests': mine(ok(await get('/s/acme/api/portal/requests', as(bob))).values.map((r: any) => r.reporter)),
        'queue': mine(ok(await get('/s/acme/api/agent/projects/HELP/queue', as(sam))).values.map((r: any) => r.reporter)),
        'issue search': mine(ok(await get('/s/acme/api/agent/search?jql=key%20%3D%20HELP-1', as(sam))).issues.map((i: any) => i.reporter)),
        'filter autocomplete (exact email)': mine(ok(await get('/s/acme/api/agent/filter-users?query=alice%40customer.test', as(sam))).users),
        'project customers': mine(ok(await get('/s/acme/api/agent/projects/HELP/customers?query=alice', as(sam))).values),
        'admin customer list': mine(ok(await get('/api/admin/sites/acme/customers?query=alice', as(ada))).values),
        'audit log': audit.filter((e: any) => e.target?.accountId === ids.alice).map((e: any) => e.target.label).slice(0, 1),
        'CSV export': csv.filter((line) => line.includes('alice@customer.test')).map((line) => line.split(',')[0].replace(/^"|"$/g, '')),
      };
    };

    ok(await post(`/api/admin/sites/acme/customers/${ids.alice}/revoke`, as(ada)));
    const revoked = await labelsOfAlice();
    for (const [place, labels] of Object.entries(revoked)) {
      expect(labels.length, place).toBeGreaterThan(0);
      for (const label of labels) expect(label, place).toBe('Alice Example (Deactivated)');
    }

    ok(await post(`/api/admin/sites/acme/customers/${ids.alice}/grant`, as(ada)));
    const granted = await labelsOfAlice();
    for (const [place, labels] of Object.entries(granted)) {
      // after the grant she is in every list again, under her name alone
      expect(labels.length, place).toBeGreaterThan(0);
      for (const label of labels) expect(label, place).toBe('Alice Example');
    }
  });
});

// ------------------------------------------------------------------------------------------------

describe('P4: deactivation is derived from the status, never stored in the name', () => {
  it('P4: an active customer named "Bob (Deactivated)" reads as is, before a revoke and after the grant; the stored name never changes', async () => {
    const created = ok(await post('/s/acme/rest/servicedeskapi/customer', adaRest, { displayName: 'Bob (Deactivated)', email: 'bob.d@customer.test' }));
    const id = created.accountId;
    ok(await post('/s/acme/api/agent/projects/HELP/customers', as(sam), { accountIds: [id] }));
    ok(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/requests/HELP-1/people', headers: as(sam), payload: { participants: [ids.bob, id] } }));

    const labels = async () => [
      ...ok(await get('/s/acme/api/agent/requests/HELP-1', as(sam))).participants.filter((p: any) => p.accountId === id).map((p: any) => p.label),
      ...ok(await get('/s/acme/api/users/picker?query=bob&fieldKey=participants', as(sam))).users.filter((p: any) => p.accountId === id).map((p: any) => p.label),
      ...ok(await get('/api/admin/sites/acme/customers?query=bob.d', as(ada))).values.map((c: any) => c.label),
      ...ok(await get('/s/acme/api/agent/projects/HELP/customers?query=bob.d', as(sam))).values.map((c: any) => c.label),
    ];
    const storedName = async () => (await t.db.selectFrom('accounts').select('display_name').where('account_id', '=', id).executeTakeFirstOrThrow()).display_name;

    expect(await labels()).toEqual(Array(4).fill('Bob (Deactivated)'));
    expect(ok(await get(`/s/acme/rest/api/3/user?accountId=${id}`, adaRest))).toMatchObject({ displayName: 'Bob (Deactivated)', active: true });

    ok(await post(`/api/admin/sites/acme/customers/${id}/revoke`, as(ada)));
    expect(await storedName()).toBe('Bob (Deactivated)');
    expect(ok(await get(`/s/acme/rest/api/3/user?accountId=${id}`, adaRest))).toMatchObject({ displayName: 'Bob (Deactivated)', active: false });

    ok(await post(`/api/admin/sites/acme/customers/${id}/grant`, as(ada)));
    expect(await storedName()).toBe('Bob (Deactivated)');
    expect(await labels()).toEqual(Array(4).fill('Bob (Deactivated)'));
    // and an ordinary revoke never writes the suffix into a name
    const names = await t.db.selectFrom('accounts').select('display_name').where('site_id', '=', acme.id).where('status', '=', 'revoked').execute();
    for (const n of names) expect(n.display_name ?? '').not.toContain('(Deactivated)');
  });
});

// ------------------------------------------------------------------------------------------------

describe('P6: the exact-email filter answers "no such email" and "revoked email" alike', () => {
  it('P6: a customer\'s JQL by a revoked customer\'s email or id answers byte for byte as for nobody', async () => {
    const bob = as(await loginCustomer(t.app, 'acme', 'bob@customer.test'));
    const search = async (jql: string) => {
      const res = await post('/s/acme/rest/api/3/search/jql', bob, { jql, fields: ['summary', 'reporter'] });
      return { status: res.statusCode, body: res.body.split(jql).join('<jql>') };
    };
    const revokedValues = ['dave@customer.test', ' DAVE@customer.test ', ids.dave];
    const unknownValues = ['nobody@customer.test', ' NOBODY@customer.test ', 'qm:00000000-0000-4000-8000-000000000000'];
    for (const field of ['reporter', 'participant', '"Affected user"']) {
      for (const [i, revoked] of revokedValues.entries()) {
        const a = await search(`${field} = "${revoked}"`);
        const b = await search(`${field} = "${unknownValues[i]}"`);
        expect(a.status).toBe(200);
        expect(a).toEqual(b);
        const c = await search(`${field} in ("${revoked}", "bob@customer.test")`);
        const d = await search(`${field} in ("${unknownValues[i]}", "bob@customer.test")`);
        expect(c).toEqual(d);
      }
    }
  });

  it('P6: every user search and picker answers a revoked customer\'s exact email as an unknown one, for staff and customers', async () => {
    const alice = as(await loginCustomer(t.app, 'acme', 'alice@customer.test'));
    for (const who of [adaRest, as(sam), alice]) {
      for (const url of ['/s/acme/rest/api/3/user/search?query=', '/s/acme/rest/api/3/user/picker?query=', '/s/acme/api/users/picker?fieldKey=participants&query=']) {
        const revoked = await get(url + encodeURIComponent('dave@customer.test'), who);
        const unknown = await get(url + encodeURIComponent('dave@customer.tess'), who);
        expect(revoked.statusCode).toBe(200);
        expect(revoked.body.split('dave@customer.test').join('<q>')).toBe(unknown.body.split('dave@customer.tess').join('<q>'));
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------

describe('P7: %, _ and \\ in any search input are matched literally', () => {
  const people: Record<string, string> = {};
  beforeAll(async () => {
    // targets that hold a metacharacter, and decoys that a wildcard would also match
    const customers: Array<[string, string, 'active' | 'revoked']> = [
      ['Percy Cent', 'per%cent@customer.test', 'active'],
      ['Percy Plain', 'perxcent@customer.test', 'active'],
      ['Una Under_Score', 'una_under@customer.test', 'active'],
      ['Una Underxscore', 'unaxunder@customer.test', 'active'],
      ['Rita Rev_Oked', 'rita_rev@customer.test', 'revoked'],
      ['Rita Revxoked', 'ritaxrev@customer.test', 'revoked'],
      ['Bart Back\\Slash', 'bart@customer.test', 'active'],
    ];
    for (const [name, email, status] of customers) {
      const id = await insertCustomer(t.db, { siteId: acme.id, email, displayName: name, passwordHash: null });
      await t.db.insertInto('project_customers').values({ site_id: acme.id, project_id: helpId, account_id: id }).execute();
      if (status === 'revoked') ok(await post(`/api/admin/sites/acme/customers/${id}/revoke`, as(ada)));
      people[name] = id;
    }
    // staff of Acme are searched by the picker's staff arm (a LIKE): one with "_" in the email, and a decoy
    for (const [name, email] of [['Stu Art', 'stu_art@staff.test'], ['Stu Xart', 'stuxart@staff.test']]) {
      const id = newStaffAccountId();
      await t.db.insertInto('accounts').values({ account_id: id, kind: 'staff', site_id: null, email, email_lower: email, display_name: name, sort_name: sortNameFor(name), password_hash: null }).execute();
      await t.db.insertInto('project_agents').values({ site_id: acme.id, project_id: helpId, account_id: id }).execute();
      people[name] = id;
    }
    // requests and articles whose text holds a metacharacter, and decoys
    const site = acme.id;
    const type = await t.db.selectFrom('request_types').select('id').where('project_id', '=', helpId).orderBy('id').executeTakeFirstOrThrow();
    for (const [n, summary] of [[90, 'Uptime 100% promised'], [91, 'Uptime 1000 promised'], [92, 'Use path a_b here'], [93, 'Use path axb here']] as const) {
      await t.db.insertInto('requests').values({ site_id: site, project_id: helpId, request_type_id: type.id, number: n, key: `HELP-${n}`, summary, reporter_id: ids.bob }).execute();
    }
    for (const title of ['Discount of 50% on cables', 'Order 500 cables']) {
      await t.db.insertInto('kb_articles').values({ site_id: site, project_id: helpId, title, body: 'Ask the IT team.' }).execute();
    }
  });

  const namesOf = (list: Array<{ accountId: string }>) => {
    const byId = new Map(Object.entries(people).map(([name, id]) => [id, name]));
    return list.map((u) => byId.get(u.accountId)).filter(Boolean).sort();
  };

  it('P7: pickers and user searches (customers by B-tree range, staff by LIKE)', async () => {
    const pickers = async (q: string) => {
      const query = encodeURIComponent(q);
      return [
        namesOf(ok(await get(`/s/acme/rest/api/3/user/search?query=${query}`, adaRest))),
        namesOf(ok(await get(`/s/acme/rest/api/3/user/picker?query=${query}`, adaRest)).users),
        namesOf(ok(await get(`/s/acme/api/users/picker?fieldKey=reporter&query=${query}`, as(sam))).users),
      ];
    };
    for (const [q, expected] of [
      ['per%', ['Percy Cent']],
      ['una_', ['Una Under_Score']],
      ['stu_', ['Stu Art']],
      ['%', []],
      ['_', []],
      ['\\', []],
      ['per%cent@customer.test', ['Percy Cent']],
    ] as const) {
      for (const result of await pickers(q)) expect(result, q).toEqual(expected);
    }
  });

  it('P7: the admin customer list (active and revoked), project customers (help center agent and REST)', async () => {
    const admin = async (q: string, status = 'all') => namesOf(ok(await get(`/api/admin/sites/acme/customers?status=${status}&limit=100&query=${encodeURIComponent(q)}`, as(ada))).values);
    expect(await admin('una_')).toEqual(['Una Under_Score']);
    expect(await admin('rita_', 'revoked')).toEqual(['Rita Rev_Oked']);
    expect(await admin('per%')).toEqual(['Percy Cent']);
    for (const q of ['%', '_', '\\']) expect(await admin(q), q).toEqual([]);

    const project = async (q: string) => [
      namesOf(ok(await get(`/s/acme/api/agent/projects/HELP/customers?limit=100&query=${encodeURIComponent(q)}`, as(sam))).values),
      namesOf(ok(await get(`/s/acme/rest/servicedeskapi/servicedesk/${helpId}/customer?limit=100&query=${encodeURIComponent(q)}`, adaRest)).values),
    ];
    // these lists match any part of the name or email: a metacharacter finds exactly the people whose name or email holds it
    for (const [q, expected] of [
      ['%', ['Percy Cent']],
      ['_', ['Rita Rev_Oked', 'Una Under_Score']],
      ['\\', ['Bart Back\\Slash']],
      ['y%c', []],
      ['a_u', ['Una Under_Score']],
    ] as const) {
      for (const result of await project(q)) expect(result, q).toEqual(expected);
    }
  });

  it('P7: JQL ~ and the knowledge-base search never treat them as wildcards', async () => {
    const keys = async (jql: string) => {
      const res = await post('/s/acme/rest/api/3/search/jql', adaRest, { jql, fields: ['summary'] });
      return res.statusCode === 200 ? res.json().issues.map((i: any) => i.key).sort() : res.statusCode;
    };
    expect(await keys('summary ~ "100%"')).toEqual(['HELP-90']);
    expect(await keys('text ~ "100%"')).toEqual(['HELP-90']);
    expect(await keys('summary ~ "a_b"')).toEqual(['HELP-92']);
    for (const q of ['%', '_', '\\\\', '%%']) expect(await keys(`summary ~ "${q}"`), q).toBe(400);

    const kb = async (q: string) => ok(await get(`/s/acme/api/portal/kb?query=${encodeURIComponent(q)}`, as(sam))).values.map((a: any) => a.title).sort();
    // "cables" finds "cable" too (english stemming): the printer article says "check the network cable"
    expect(await kb('cables')).toEqual(['Discount of 50% on cables', 'Order 500 cables', 'Printer troubleshooting']);
    for (const q of ['%', '_', '\\', '%%', '_%']) expect(await kb(q), q).toEqual([]);
    const rest = ok(await get(`/s/acme/rest/servicedeskapi/knowledgebase/article?query=${encodeURIComponent('%')}`, adaRest));
    expect(rest.values).toEqual([]);
  });
});
