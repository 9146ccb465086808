import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { insertCustomer } from '../../src/db/queries/customers.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { customerAuth, expectError, expectNoNulls, expectPlatformUser, expectUrl, json, staffAuth, type Headers } from './rest-helpers.js';

let t: TestApp;
let sam: Headers;
let ada: Headers;
let greta: Headers;
let sid: Headers;
let alice: Headers;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [sam, ada, greta, sid] = await Promise.all([
    staffAuth(t, 'agent@acme.test'),
    staffAuth(t, 'admin@acme.test'),
    staffAuth(t, 'admin@globex.test', 'bearer'),
    staffAuth(t, 'siteadmin@globex.test'),
  ]);
  alice = await customerAuth(t, 'acme', 'alice@customer.test');
  for (const name of ['alice', 'bob', 'carol', 'dave']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
  ids.globexAlice = await accountIdOf(t.db, 'alice@customer.test', 'globex');
  ids.sam = await accountIdOf(t.db, 'agent@acme.test', null);
  ids.greta = await accountIdOf(t.db, 'admin@globex.test', null);
  // 55 customers named "Yan …" to exercise limits and paging
  const acme = (await findSiteBySlug(t.db, 'acme'))!;
  for (let i = 0; i < 55; i++) {
    await insertCustomer(t.db, { siteId: acme.id, email: `yan${String(i).padStart(2, '0')}@example.test`, displayName: `Yan ${String(i).padStart(2, '0')}`, passwordHash: null });
  }
});
afterAll(() => t?.close());

const get = (url: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url, headers });

describe('GET /rest/api/3/user', () => {
  it('answers a portal-only customer with accountType customer', async () => {
    const u = json(await get(`/s/acme/rest/api/3/user?accountId=${ids.alice}`, sam), 200);
    expectPlatformUser(u);
    expect(u).toMatchObject({ accountId: ids.alice, accountType: 'customer', displayName: 'Alice Example', emailAddress: 'alice@customer.test', active: true });
    expect(u.self).toBe(`http://localhost:80/s/acme/rest/api/3/user?accountId=${encodeURIComponent(ids.alice)}`);
  });

  it('answers a revoked customer with active:false and the name unchanged', async () => {
    const u = json(await get(`/s/acme/rest/api/3/user?accountId=${ids.dave}`, ada), 200);
    expectPlatformUser(u);
    expect(u).toMatchObject({ displayName: 'Dave Departed', active: false, accountType: 'customer' });
  });

  it('answers staff of the site with accountType atlassian', async () => {
    const u = json(await get(`/s/acme/rest/api/3/user?accountId=${ids.sam}`, ada), 200);
    expect(u).toMatchObject({ accountType: 'atlassian', displayName: 'Sam Agent', active: true });
  });

  it('shows a customer other people without their email, and themselves with it', async () => {
    const bob = json(await get(`/s/acme/rest/api/3/user?accountId=${ids.bob}`, alice), 200);
    expectPlatformUser(bob);
    expect(bob.displayName).toBe('Bob Builder');
    expect('emailAddress' in bob).toBe(false);
    expect(json(await get(`/s/acme/rest/api/3/user?accountId=${ids.alice}`, alice), 200).emailAddress).toBe('alice@customer.test');
  });

  it('is 404 for unknown accounts and for accounts of another site or organization', async () => {
    expectError(await get('/s/acme/rest/api/3/user?accountId=qm:00000000-0000-0000-0000-000000000000', sam), 404);
    expectError(await get(`/s/acme/rest/api/3/user?accountId=${ids.globexAlice}`, sam), 404);
    expectError(await get(`/s/acme/rest/api/3/user?accountId=${ids.greta}`, sam), 404); // Globex staff
    expectError(await get(`/s/acme/rest/api/3/user?accountId=${ids.alice}`, greta), 404); // caller of another org
    expectError(await get(`/s/globex-eu/rest/api/3/user?accountId=${ids.globexAlice}`, sid), 404); // sid: globex only
    expectError(await get('/s/acme/rest/api/3/user', sam), 400);
    expectError(await get(`/s/acme/rest/api/3/user?accountId=${'x'.repeat(129)}`, sam), 400);
    expectError(await get(`/s/acme/rest/api/3/user?accountId=${ids.alice}`), 401);
  });
});

describe('GET /rest/api/3/user/search', () => {
  it('returns a bare array of active users by name or email prefix', async () => {
    const res = json(await get('/s/acme/rest/api/3/user/search?query=ali', sam), 200);
    expect(Array.isArray(res)).toBe(true);
    res.forEach(expectPlatformUser);
    expect(res.map((u: any) => u.accountId)).toEqual([ids.alice]);
    expect(json(await get('/s/acme/rest/api/3/user/search?query=bob%40customer', sam), 200).map((u: any) => u.displayName)).toEqual(['Bob Builder']);
  });

  it('never returns a revoked customer, by query or by accountId', async () => {
    expect(json(await get('/s/acme/rest/api/3/user/search?query=dav', sam), 200)).toEqual([]);
    expect(json(await get('/s/acme/rest/api/3/user/search?query=dave%40customer.test', ada), 200)).toEqual([]);
    expect(json(await get(`/s/acme/rest/api/3/user/search?accountId=${ids.dave}`, ada), 200)).toEqual([]);
    expect(json(await get(`/s/acme/rest/api/3/user/search?accountId=${ids.alice}`, ada), 200).map((u: any) => u.accountId)).toEqual([ids.alice]);
  });

  it('staff also find the site staff; a customer finds only themselves, never the site\'s customer list', async () => {
    expect(json(await get('/s/acme/rest/api/3/user/search?query=sam', ada), 200).map((u: any) => u.accountType)).toEqual(['atlassian']);
    expect(json(await get('/s/acme/rest/api/3/user/search?query=sam', alice), 200)).toEqual([]);
    // issue 11: a customer used to list every customer of the site here (docs/product.md#customer-sharing)
    expect(json(await get('/s/acme/rest/api/3/user/search?query=bob', alice), 200)).toEqual([]);
    expect(json(await get(`/s/acme/rest/api/3/user/search?accountId=${ids.bob}`, alice), 200)).toEqual([]);
    const self = json(await get('/s/acme/rest/api/3/user/search?query=alice%20exa', alice), 200);
    expect(self.map((u: any) => u.accountId)).toEqual([ids.alice]);
    expect(json(await get(`/s/acme/rest/api/3/user/search?accountId=${ids.sam}`, alice), 200)).toEqual([]);
  });

  it('pages with startAt and maxResults', async () => {
    const first = json(await get('/s/acme/rest/api/3/user/search?query=yan&maxResults=3', sam), 200);
    expect(first.map((u: any) => u.displayName)).toEqual(['Yan 00', 'Yan 01', 'Yan 02']);
    const second = json(await get('/s/acme/rest/api/3/user/search?query=yan&maxResults=3&startAt=3', sam), 200);
    expect(second.map((u: any) => u.displayName)).toEqual(['Yan 03', 'Yan 04', 'Yan 05']);
  });

  it('pages past the picker\'s 50: every match once, maxResults up to 1000', async () => {
    // 75 more customers, "Quinn 00…74": a search for "quinn" has more matches than a picker shows
    const acme = (await findSiteBySlug(t.db, 'acme'))!;
    const quinns = Array.from({ length: 75 }, (_, i) => `Quinn ${String(i).padStart(2, '0')}`);
    for (const name of quinns) {
      await insertCustomer(t.db, { siteId: acme.id, email: `${name.replace(' ', '').toLowerCase()}@example.test`, displayName: name, passwordHash: null });
    }
    const search = async (params: string, who: Headers = sam) =>
      json(await get(`/s/acme/rest/api/3/user/search?query=quinn&${params}`, who), 200).map((u: any) => u.displayName);

    expect(await search('maxResults=1000')).toEqual(quinns);
    expect(await search('')).toEqual(quinns.slice(0, 50)); // default page of 50
    expect(await search('startAt=50')).toEqual(quinns.slice(50));
    expect(await search('startAt=60&maxResults=10')).toEqual(quinns.slice(60, 70));
    const pages: string[] = [];
    for (let startAt = 0; startAt < 100; startAt += 20) pages.push(...(await search(`startAt=${startAt}&maxResults=20`)));
    expect(pages).toEqual(quinns);
    expect(await search('startAt=75')).toEqual([]);
    expect(await search('maxResults=0')).toEqual([]);
    expect(await search('maxResults=5000')).toEqual(quinns); // capped at 1000, not refused
    // a customer of the site pages through none of them (they find only themselves)
    expect(json(await get('/s/acme/rest/api/3/user/search?query=quinn&startAt=0', alice), 200)).toEqual([]);
    // the picker endpoint still shows at most 50, counting all 75 in total
    const picker = json(await get('/s/acme/rest/api/3/user/picker?query=quinn&maxResults=1000', sam), 200);
    expect(picker.users).toHaveLength(50);
    expect(picker.total).toBe(75);
    expectError(await get('/s/acme/rest/api/3/user/search?query=quinn&startAt=-1', sam), 400);
  });

  it('needs exactly one of query and accountId (400), and a caller of the site (404 otherwise)', async () => {
    expectError(await get('/s/acme/rest/api/3/user/search', sam), 400, /query/);
    expectError(await get(`/s/acme/rest/api/3/user/search?query=ali&accountId=${ids.alice}`, sam), 400, /not both/);
    expectError(await get('/s/acme/rest/api/3/user/search?property=x', sam), 400);
    expectError(await get('/s/acme/rest/api/3/user/search?query=ali', greta), 404);
  });
});

describe('GET /rest/api/3/user/picker', () => {
  it('answers {users, total, header} with the match in <strong>', async () => {
    const res = json(await get('/s/acme/rest/api/3/user/picker?query=ali', sam), 200);
    expectNoNulls(res);
    expect(res).toEqual({
      users: [{ accountId: ids.alice, accountType: 'customer', displayName: 'Alice Example', html: '<strong>Ali</strong>ce Example - <strong>ali</strong>ce@customer.test' }],
      total: 1,
      header: 'Showing 1 of 1 matching users',
    });
  });

  it('never offers Dave, whatever is typed', async () => {
    for (const q of ['Dav', 'dave', 'Departed', 'dave@customer.test']) {
      const res = json(await get(`/s/acme/rest/api/3/user/picker?query=${encodeURIComponent(q)}`, ada), 200);
      expect(res.users).toEqual([]);
      expect(res.total).toBe(0);
    }
  });

  it('returns 20 by default, at most 50, and counts every match in total', async () => {
    const def = json(await get('/s/acme/rest/api/3/user/picker?query=yan', sam), 200);
    expect(def.users).toHaveLength(20);
    expect(def.total).toBe(55);
    expect(def.header).toBe('Showing 20 of 55 matching users');
    expect(json(await get('/s/acme/rest/api/3/user/picker?query=yan&maxResults=1000', sam), 200).users).toHaveLength(50);
    expect(json(await get('/s/acme/rest/api/3/user/picker?query=yan&maxResults=5', sam), 200).users.map((u: any) => u.displayName)).toEqual(['Yan 00', 'Yan 01', 'Yan 02', 'Yan 03', 'Yan 04']);
  });

  it('leaves out excludeAccountIds, sent as repeated keys or as a comma list', async () => {
    const yan = json(await get('/s/acme/rest/api/3/user/picker?query=yan&maxResults=3', sam), 200).users.map((u: any) => u.accountId);
    const repeated = json(await get(`/s/acme/rest/api/3/user/picker?query=yan&maxResults=3&excludeAccountIds=${yan[0]}&excludeAccountIds=${yan[1]}`, sam), 200);
    expect(repeated.users.map((u: any) => u.displayName)).toEqual(['Yan 02', 'Yan 03', 'Yan 04']);
    expect(repeated.total).toBe(53);
    const comma = json(await get(`/s/acme/rest/api/3/user/picker?query=yan&maxResults=3&excludeAccountIds=${yan[0]},${yan[2]}`, sam), 200);
    expect(comma.users.map((u: any) => u.displayName)).toEqual(['Yan 01', 'Yan 03', 'Yan 04']);
    const deprecated = json(await get(`/s/acme/rest/api/3/user/picker?query=yan&maxResults=1&exclude=${yan[0]}`, sam), 200);
    expect(deprecated.users.map((u: any) => u.displayName)).toEqual(['Yan 01']);
  });

  it('escapes names in html, so a customer cannot inject markup into a client', async () => {
    const acme = (await findSiteBySlug(t.db, 'acme'))!;
    await insertCustomer(t.db, { siteId: acme.id, email: 'eve@example.test', displayName: 'Eve <img src=x onerror=alert(1)>', passwordHash: null });
    const res = json(await get('/s/acme/rest/api/3/user/picker?query=eve', sam), 200);
    expect(res.users[0].displayName).toBe('Eve <img src=x onerror=alert(1)>');
    expect(res.users[0].html).toBe('<strong>Eve</strong> &lt;img src=x onerror=alert(1)&gt; - <strong>eve</strong>@example.test');
  });

  it('is 400 for exclude with excludeAccountIds and without query', async () => {
    expectError(await get(`/s/acme/rest/api/3/user/picker?query=yan&exclude=${ids.bob}&excludeAccountIds=${ids.carol}`, sam), 400, /together/);
    expectError(await get('/s/acme/rest/api/3/user/picker', sam), 400, /query/);
  });

  it('sends a single absolute avatarUrl with showAvatar=true', async () => {
    const res = json(await get('/s/acme/rest/api/3/user/picker?query=bob&showAvatar=true', sam), 200);
    expectUrl(res.users[0].avatarUrl);
    expect(json(await get('/s/acme/rest/api/3/user/picker?query=bob', sam), 200).users[0].avatarUrl).toBeUndefined();
  });

  it('customers pick only themselves (never the site\'s customer list); other organizations get 404', async () => {
    expect(json(await get('/s/acme/rest/api/3/user/picker?query=bob', alice), 200).users).toEqual([]);
    const res = json(await get('/s/acme/rest/api/3/user/picker?query=ali', alice), 200);
    expect(res.users.map((u: any) => u.accountId)).toEqual([ids.alice]);
    expect(json(await get('/s/acme/rest/api/3/user/picker?query=sam', alice), 200).users).toEqual([]);
    expectError(await get('/s/acme/rest/api/3/user/picker?query=ali', greta), 404);
    const globex = json(await get('/s/globex/rest/api/3/user/picker?query=ali', greta), 200);
    expect(globex.users.map((u: any) => u.accountId)).toEqual([ids.globexAlice]);
  });
});
