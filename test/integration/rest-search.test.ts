import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { customerAuth, expectError, expectNoNulls, expectPlatformUser, expectUrl, json, staffAuth, type Headers } from './rest-helpers.js';

let t: TestApp;
let sam: Headers;
let ada: Headers;
let greta: Headers;
let alice: Headers;
let affected: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [sam, ada, greta] = await Promise.all([staffAuth(t, 'agent@acme.test'), staffAuth(t, 'admin@acme.test', 'bearer'), staffAuth(t, 'admin@globex.test')]);
  alice = await customerAuth(t, 'acme', 'alice@customer.test');
  for (const name of ['alice', 'bob', 'dave']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
  affected = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').executeTakeFirstOrThrow()).id}`;
});
afterAll(() => t?.close());

const url = '/s/acme/rest/api/3/search/jql';
const post = (body: unknown, headers: Headers = sam) => t.app.inject({ method: 'POST', url, headers, payload: body as object });
const get = (query: string, headers: Headers = sam) => t.app.inject({ method: 'GET', url: `${url}?${query}`, headers });
const keys = (r: any) => r.issues.map((i: any) => i.key);

function expectIssue(issue: any) {
  expect(typeof issue.id).toBe('string');
  expect(issue.id).toMatch(/^\d+$/);
  expect(typeof issue.key).toBe('string');
  expectUrl(issue.self);
  expect(issue.self).toBe(`http://localhost:80/s/acme/rest/api/3/issue/${issue.id}`);
  expectNoNulls(issue);
}

describe('POST and GET /rest/api/3/search/jql', () => {
  it('finds the requests of a reporter by exact email, with the fields asked for', async () => {
    const res = json(await post({ jql: 'reporter = "alice@customer.test"', fields: ['summary', 'status', 'reporter', 'created', 'project', 'issuetype'] }), 200);
    expect(res.isLast).toBe(true);
    expect('nextPageToken' in res).toBe(false);
    expect(keys(res)).toEqual(['HELP-1']);
    const issue = res.issues[0];
    expectIssue(issue);
    expect(issue.fields.summary).toBe('Laptop will not connect to the VPN');
    expect(issue.fields.status).toMatchObject({ id: '1', name: 'Open', statusCategory: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } });
    expectPlatformUser(issue.fields.reporter);
    expect(issue.fields.reporter).toMatchObject({ accountId: ids.alice, displayName: 'Alice Example', active: true, accountType: 'customer', emailAddress: 'alice@customer.test' });
    expect(issue.fields.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(issue.fields.project).toMatchObject({ key: 'HELP', name: 'IT Help' });
    expect(typeof issue.fields.project.id).toBe('string');
    expect(issue.fields.issuetype).toMatchObject({ name: 'Service Request' });
    expect(issue.fields.description).toBeUndefined();
  });

  it('P5: finds Dave\'s HELP-4 by his email, reporting him active:false; his display name finds nothing', async () => {
    const res = json(await post({ jql: 'reporter = " DAVE@customer.test "', fields: ['reporter'] }), 200);
    expect(keys(res)).toEqual(['HELP-4']);
    expect(res.issues[0].fields.reporter).toMatchObject({ accountId: ids.dave, displayName: 'Dave Departed', active: false });
    const byName = await post({ jql: 'reporter = "Dave Departed"' });
    if (byName.statusCode === 200) expect(keys(byName.json())).toEqual([]);
    else expectError(byName, 400);
    expect(keys(json(await post({ jql: `reporter = "${ids.dave}"` }), 200))).toEqual(['HELP-4']);
  });

  it('returns only id, key and self by default', async () => {
    const res = json(await get('jql=key%20%3D%20HELP-2'), 200);
    expect(res.issues).toHaveLength(1);
    expectIssue(res.issues[0]);
    expect(res.issues[0].fields).toBeUndefined();
  });

  it('understands *all, *navigable, field names, -name, repeated keys and comma lists, and expand=names', async () => {
    const all = json(await post({ jql: 'key = HELP-1', fields: ['*all'], expand: 'names' }), 200);
    const f = all.issues[0].fields;
    for (const k of ['summary', 'description', 'status', 'reporter', 'created', 'updated', 'project', 'issuetype', 'participants', affected]) expect(f, k).toHaveProperty(k);
    expect(f[affected]).toMatchObject({ accountId: ids.bob, displayName: 'Bob Builder', active: true });
    expect(f.participants.map((p: any) => p.accountId)).toEqual([ids.bob]);
    expect(f.description).toMatchObject({ type: 'doc', version: 1 });
    expect(all.names).toMatchObject({ summary: 'Summary', [affected]: 'Affected user' });

    const nav = json(await get('jql=key%20%3D%20HELP-1&fields=*navigable&fields=-description,-participants'), 200).issues[0].fields;
    expect(nav.description).toBeUndefined();
    expect(nav.participants).toBeUndefined();
    expect(nav.summary).toBeDefined();

    const byName = json(await get('jql=key%20%3D%20HELP-1&fields=Affected%20user,summary'), 200).issues[0].fields;
    expect(Object.keys(byName).sort()).toEqual([affected, 'summary'].sort());
    const byCf = json(await post({ jql: 'key = HELP-1', fields: [`cf[${affected.slice('customfield_'.length)}]`, 'nonsense'] }), 200).issues[0].fields;
    expect(Object.keys(byCf)).toEqual([affected]);
  });

  it('pages with an opaque nextPageToken until isLast, on POST and on GET', async () => {
    for (const mode of ['POST', 'GET'] as const) {
      const seen: string[] = [];
      let token: string | undefined;
      for (let i = 0; i < 10; i++) {
        const jql = 'project = HELP ORDER BY key ASC';
        const res =
          mode === 'POST'
            ? json(await post({ jql, maxResults: 1, fields: ['summary'], ...(token ? { nextPageToken: token } : {}) }), 200)
            : json(await get(`jql=${encodeURIComponent(jql)}&maxResults=1${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`), 200);
        seen.push(...keys(res));
        if (res.isLast) {
          expect(res.nextPageToken ?? null).toBeNull();
          break;
        }
        expect(typeof res.nextPageToken).toBe('string');
        expect(res.nextPageToken).not.toMatch(/^\d+$/); // opaque, not a bare offset
        token = res.nextPageToken;
      }
      expect(seen).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4']);
    }
    const two = json(await post({ jql: 'project = HELP ORDER BY key DESC', maxResults: 2 }), 200);
    expect(keys(two)).toEqual(['HELP-4', 'HELP-3']);
    const rest = json(await post({ jql: 'project = HELP ORDER BY key DESC', maxResults: 2, nextPageToken: two.nextPageToken }), 200);
    expect(keys(rest)).toEqual(['HELP-2', 'HELP-1']);
    expect(rest.isLast).toBe(true);
  });

  it('refuses a page token of another query or a forged one with 400', async () => {
    const first = json(await post({ jql: 'project = HELP', maxResults: 1 }), 200);
    expectError(await post({ jql: 'project = HELP AND status = Open', maxResults: 1, nextPageToken: first.nextPageToken }), 400, /nextPageToken/);
    expectError(await post({ jql: 'project = HELP', nextPageToken: 'garbage!!' }), 400, /nextPageToken/);
    expectError(await post({ jql: 'project = HELP', nextPageToken: Buffer.from('{"o":-5,"h":"x"}').toString('base64url') }), 400);
  });

  it('lowers maxResults above 5000 instead of failing', async () => {
    const res = json(await post({ jql: 'project = HELP', maxResults: 100000 }), 200);
    expect(res.issues).toHaveLength(4);
  });

  it('answers invalid JQL with 400 saying where and why', async () => {
    const res = expectError(await post({ jql: 'project = HELP AND (status = Open' }), 400);
    expect(res.errorMessages[0]).toMatch(/Error in the JQL Query/);
    const pos = expectError(await post({ jql: 'project == HELP' }), 400);
    expect(pos.errorMessages[0]).toMatch(/line 1, character \d+/);
    expectError(await post({ jql: 'nosuchfield = 1' }), 400, /nosuchfield/);
    expectError(await post({}), 400, /jql/);
    expectError(await t.app.inject({ method: 'POST', url, headers: { ...sam, 'content-type': 'application/json' }, payload: '' }), 400, /jql/);
    expectError(await post({ jql: 'project = HELP', startAt: 2 }), 400, /startAt/); // no startAt in the enhanced search
  });

  it('shows customers only their own and shared requests, other organizations nothing (404)', async () => {
    expect(keys(json(await post({ jql: 'project = HELP ORDER BY key ASC' }, alice), 200))).toEqual(['HELP-1', 'HELP-2']);
    const asAlice = json(await post({ jql: 'key = HELP-2', fields: ['reporter'] }, alice), 200);
    expect('emailAddress' in asAlice.issues[0].fields.reporter).toBe(false); // Bob's email is not Alice's to see
    expect(keys(json(await post({ jql: 'key = HELP-3' }, alice), 200))).toEqual([]);
    expect(keys(json(await post({ jql: 'project = HELP ORDER BY key ASC' }, ada), 200))).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4']);
    expectError(await post({ jql: 'project = HELP' }, greta), 404);
    expectError(await t.app.inject({ method: 'POST', url: '/s/globex/rest/api/3/search/jql', headers: sam, payload: { jql: 'key = SUP-1' } }), 404);
    expectError(await post({ jql: 'project = HELP' }, {}), 401);
  });
});
