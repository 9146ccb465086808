import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.js';
import { clampPickerLimit, searchUsersForPicker, USER_SEARCH_MAX_LIMIT } from '../../src/db/queries/user-picker.js';
import { insertCustomer, writeSearchTerms } from '../../src/db/queries/customers.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { factories } from '../support/factories.js';

let t: TestApp;
let acme: string;
beforeAll(async () => {
  t = await createTestApp();
  acme = (await findSiteBySlug(t.db, 'acme'))!.id;
});
afterAll(() => t?.close());

const names = (r: { users: { displayName: string }[] }) => r.users.map((u) => u.displayName);

describe('the one user picker', () => {
  it('matches a prefix of any name word or of the email, case-insensitively', async () => {
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'ali', audience: 'customers' }))).toEqual(['Alice Example']);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'BUILD', audience: 'customers' }))).toEqual(['Bob Builder']);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'carol@cust', audience: 'customers' }))).toEqual(['Carol Customer']);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'alice ex', audience: 'customers' }))).toEqual(['Alice Example']);
  });

  it('never offers a revoked customer', async () => {
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'Dav', audience: 'customers' }))).toEqual([]);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'dave@customer.test', audience: 'anyone' }))).toEqual([]);
  });

  it('orders by name and honours the limit', async () => {
    const r = await searchUsersForPicker(t.db, { siteId: acme, query: 'customer', audience: 'customers', limit: 2, withTotal: true });
    // every customer's email starts with its name, and "customer" matches Carol's surname and nobody's email prefix
    expect(names(r)).toEqual(['Carol Customer']);
    const all = await searchUsersForPicker(t.db, { siteId: acme, query: 'a', audience: 'customers', limit: 1, withTotal: true });
    expect(all.users).toHaveLength(1);
    expect(all.total).toBeGreaterThanOrEqual(1);
    // three matches, made in reverse order, and a limit of 2: the first two by name, and the total of all three
    const make = factories(t.db);
    for (const displayName of ['Limitless Cy', 'Limitless Bea', 'Limitless Ann']) await make.customer({ siteId: acme, displayName });
    const two = await searchUsersForPicker(t.db, { siteId: acme, query: 'limitless', audience: 'customers', limit: 2, withTotal: true });
    expect(names(two)).toEqual(['Limitless Ann', 'Limitless Bea']);
    expect(two.total).toBe(3);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'limitless', audience: 'customers', limit: 3 }))).toEqual(['Limitless Ann', 'Limitless Bea', 'Limitless Cy']);
  });

  it('offers the site staff only to fields that may hold anyone', async () => {
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'sam', audience: 'customers' }))).toEqual([]);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'sam', audience: 'anyone' }))).toEqual(['Sam Agent']);
    // Greta administers Globex, not Acme
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'greta', audience: 'anyone' }))).toEqual([]);
  });

  it("offers the staff of the site's organization by each of their roles, and only those matching every word", async () => {
    const site = (slug: string) => t.db.selectFrom('sites').select(['id', 'org_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    const [acmeSite, globex] = [await site('acme'), await site('globex')];
    const projectOf = (siteId: string) => t.db.selectFrom('projects').select(['id', 'site_id as siteId', 'key']).where('site_id', '=', siteId).orderBy('id').executeTakeFirstOrThrow();
    const [help, sup] = [await projectOf(acmeSite.id), await projectOf(globex.id)];
    const make = factories(t.db);
    const staff = (displayName: string, roles: Parameters<typeof make.staff>[0] = {}) =>
      make.staff({ displayName, email: `${displayName.toLowerCase().replace(' ', '.')}@staff.test`, ...roles });
    await staff('Rolf Orgadmin', { orgAdminOf: [acmeSite.org_id] });
    await staff('Rolf Siteadmin', { siteAdminOf: [acmeSite.id] });
    const agent = await staff('Rolf Agent', { agentOf: [help] });
    // staff of another organization, by each role there, and staff with no role at all
    await staff('Rolf Globexadmin', { orgAdminOf: [globex.org_id] });
    await staff('Rolf Globexagent', { agentOf: [sup] });
    await staff('Rolf Nobody');

    const pick = (query: string, excludeAccountIds?: string[]) => searchUsersForPicker(t.db, { siteId: acme, query, audience: 'anyone', excludeAccountIds });
    expect(names(await pick('rolf'))).toEqual(['Rolf Agent', 'Rolf Orgadmin', 'Rolf Siteadmin']);
    expect(names(await pick('rolf site'))).toEqual(['Rolf Siteadmin']);
    expect(names(await pick('orgadmin'))).toEqual(['Rolf Orgadmin']);
    expect(names(await pick('rolf.agent@staff'))).toEqual(['Rolf Agent']);
    expect(names(await pick('rolf globex'))).toEqual([]);
    expect(names(await pick('rolf', [agent]))).toEqual(['Rolf Orgadmin', 'Rolf Siteadmin']);
    // a staff member whose role is taken is offered no more
    await t.db.deleteFrom('project_agents').where('account_id', '=', agent).execute();
    expect(names(await pick('rolf'))).toEqual(['Rolf Orgadmin', 'Rolf Siteadmin']);
  });
});

describe('paging the picker with offset', () => {
  // 70 customers "Pat 00…69", and two staff of the site whose order by matched term ("patel" <
  // "patz") is not their order by name ("aaron patz" < "zoe patel")
  const pats = Array.from({ length: 70 }, (_, i) => `Pat ${String(i).padStart(2, '0')}`);
  const everyone = [...pats, 'Zoe Patel', 'Aaron Patz'];
  const search = (query: string, extra: { offset?: number; limit?: number; maxLimit?: number; audience?: 'customers' | 'anyone'; withTotal?: boolean } = {}) =>
    searchUsersForPicker(t.db, { siteId: acme, query, audience: extra.audience ?? 'anyone', ...extra });

  beforeAll(async () => {
    for (const name of pats) {
      await insertCustomer(t.db, { siteId: acme, email: `${name.replace(' ', '').toLowerCase()}@example.test`, displayName: name, passwordHash: null });
    }
    const help = await t.db.selectFrom('projects').select(['id', 'site_id as siteId', 'key']).where('site_id', '=', acme).where('key', '=', 'HELP').executeTakeFirstOrThrow();
    for (const [displayName, email] of [['Zoe Patel', 'zoe@staff.test'], ['Aaron Patz', 'aaron@staff.test']]) {
      await factories(t.db).staff({ accountId: `picker-test:${email}`, displayName, email, agentOf: [help] });
    }
  });

  it('walks every match once, in the picker order, page by page', async () => {
    const all = await search('pat', { limit: 1000, maxLimit: 1000, withTotal: true });
    expect(names(all)).toEqual(everyone);
    expect(all.total).toBe(72);
    for (const size of [7, 20, 50]) {
      const pages: string[] = [];
      for (let offset = 0; offset < 80; offset += size) {
        const page = await search('pat', { offset, limit: size, withTotal: true });
        expect(page.total).toBe(72);
        pages.push(...names(page));
      }
      expect(pages).toEqual(everyone);
    }
    // the staff are merged in by their matched term, past the customers, also deep in the order
    expect(names(await search('pat', { offset: 70, limit: 2 }))).toEqual(['Zoe Patel', 'Aaron Patz']);
    expect(names(await search('pat', { offset: 69, limit: 2, audience: 'customers' }))).toEqual(['Pat 69']);
  });

  it('skips accounts, not search terms: an account matching through several terms counts once', async () => {
    // Alice matches "a" through "alice" and "alice@customer.test"; Ada through "ada", "admin" and her email
    const all = names(await search('a', { limit: 1000, maxLimit: 1000 }));
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 4)).toEqual(['Aaron Patz', 'Ada Admin', 'Sam Agent', 'Alice Example']);
    const oneByOne: string[] = [];
    for (let offset = 0; offset < all.length + 2; offset++) oneByOne.push(...names(await search('a', { offset, limit: 1 })));
    expect(oneByOne).toEqual(all);
  });

  it('is empty past the end; a negative or fractional offset counts from the start', async () => {
    expect(names(await search('pat', { offset: 72 }))).toEqual([]);
    expect(names(await search('pat', { offset: 1e9 }))).toEqual([]);
    expect(names(await search('pat', { offset: -5, limit: 2 }))).toEqual(['Pat 00', 'Pat 01']);
    expect(names(await search('pat', { offset: 2.7, limit: 2 }))).toEqual(['Pat 02', 'Pat 03']);
  });

  it('keeps the pickers at 50 a page; only a larger maxLimit (REST user/search, at most 1000) lifts it', async () => {
    expect((await search('pat', { limit: 1000 })).users).toHaveLength(50);
    expect((await search('pat', { offset: 10, limit: 1000 })).users).toHaveLength(50);
    expect((await search('pat', { limit: 1000, maxLimit: USER_SEARCH_MAX_LIMIT })).users).toHaveLength(72);
    expect(clampPickerLimit(5000, 5000)).toBe(USER_SEARCH_MAX_LIMIT);
    expect(clampPickerLimit(undefined)).toBe(20);
    expect(clampPickerLimit(1000)).toBe(50);
  });
});

describe("REST's total: every match counted once, up to the thousandth", () => {
  // 1,100 customers "Horizon 0" … "Horizon 1099", each matching "horizon" through a word of the name
  // and through the email; written in one statement (as many as a big site's first letter would hold)
  beforeAll(async () => {
    await sql`
      WITH made AS (
        INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status)
        SELECT 'horizon:' || i, 'customer', ${acme}::uuid, 'horizon.' || i || '@example.test', 'horizon.' || i || '@example.test',
               'Horizon ' || i, 'horizon ' || i, 'active'
        FROM generate_series(0, 1099) AS i
        RETURNING account_id, site_id, sort_name, email_lower)
      INSERT INTO account_search_terms (site_id, term, account_id, sort_name)
      SELECT site_id, term, account_id, sort_name FROM made, unnest(string_to_array(sort_name, ' ') || email_lower) AS term`.execute(t.db);
  });
  const total = async (query: string) => (await searchUsersForPicker(t.db, { siteId: acme, query, audience: 'anyone', withTotal: true })).total;

  it('is exact below 1,000, each account once however many of its terms match', async () => {
    // "Horizon 10", "Horizon 100"–"109" and "Horizon 1000"–"1099": 111 people, each through two terms
    expect(await total('horizon 10')).toBe(111);
    expect(await total('horizon.10')).toBe(111);
    expect(await total('horizon 1099')).toBe(1);
  });

  it('stops at 1,000 when more match, and the page is still the first of every match', async () => {
    expect(await total('horizon')).toBe(1000);
    expect(await total('hor')).toBe(1000);
    const page = await searchUsersForPicker(t.db, { siteId: acme, query: 'horizon', audience: 'anyone', offset: 1095, limit: 50, maxLimit: USER_SEARCH_MAX_LIMIT });
    expect(names(page)).toEqual(['Horizon 995', 'Horizon 996', 'Horizon 997', 'Horizon 998', 'Horizon 999']);
  });
});

describe('words of two or more, tested on the term row itself (migration 20261207T0900_picker_term_words)', () => {
  const search2 = async (query: string) => names(await searchUsersForPicker(t.db, { siteId: acme, query, audience: 'customers', withTotal: true }));

  it('a customer renamed is found by the words of the new name with the first word, not by the old', async () => {
    const make = factories(t.db);
    const id = await make.customer({ siteId: acme, displayName: 'Quentin Tarrow', email: 'quentin.t@words.test' });
    expect(await search2('quentin ta')).toEqual(['Quentin Tarrow']);
    await writeSearchTerms(t.db, { accountId: id, siteId: acme, displayName: 'Quentin Zedd', email: 'quentin.t@words.test' });
    expect(await search2('quentin ta')).toEqual([]);
    expect(await search2('quentin ze')).toEqual(['Quentin Tarrow']); // the terms changed; the name shown is the account's
    expect(await search2('zedd quentin.t')).toEqual(['Quentin Tarrow']);
    // one term removed on its own (no writer does that, but a DBA might): the other words follow
    await t.db.deleteFrom('account_search_terms').where('account_id', '=', id).where('term', '=', 'zedd').execute();
    expect(await search2('quentin ze')).toEqual([]);
  });

  it('%, _ and \\ in a word are themselves: no wildcard, no error', async () => {
    const make = factories(t.db);
    await make.customer({ siteId: acme, displayName: 'Under Xcore', email: 'underxcore@words.test' });
    await make.customer({ siteId: acme, displayName: 'Under Score', email: 'under_score@words.test' });
    expect(await search2('xcore under')).toEqual(['Under Xcore']);
    expect(await search2('score under_')).toEqual(['Under Score']);
    expect(await search2('xcore under_')).toEqual([]);
    expect(await search2('xcore under%')).toEqual([]);
    expect(await search2('xcore under\\')).toEqual([]);
    expect(await search2('xcore %')).toEqual([]);
  });

  it('five words, the most a search takes, all tested', async () => {
    const make = factories(t.db);
    await make.customer({ siteId: acme, displayName: 'Ann Bee Cee Dee Eve', email: 'abcde@words.test' });
    await make.customer({ siteId: acme, displayName: 'Ann Bee Cee Dee Fay', email: 'abcdf@words.test' });
    expect(await search2('ann bee cee dee eve')).toEqual(['Ann Bee Cee Dee Eve']);
    expect(await search2('ann bee cee dee f')).toEqual(['Ann Bee Cee Dee Fay']);
    expect(await search2('ann bee cee dee')).toEqual(['Ann Bee Cee Dee Eve', 'Ann Bee Cee Dee Fay']);
  });
});
