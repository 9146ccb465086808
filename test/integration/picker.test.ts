import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { searchUsersForPicker } from '../../src/use-cases/search-users-for-picker.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';

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
  });

  it('offers the site staff only to fields that may hold anyone', async () => {
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'sam', audience: 'customers' }))).toEqual([]);
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'sam', audience: 'anyone' }))).toEqual(['Sam Agent']);
    // Greta administers Globex, not Acme
    expect(names(await searchUsersForPicker(t.db, { siteId: acme, query: 'greta', audience: 'anyone' }))).toEqual([]);
  });
});
