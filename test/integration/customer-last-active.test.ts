import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { as, createTestApp, loginStaff, type Session, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';

// docs/product.md#last-active: the admin's customer list shows when each customer was last active,
// sorts by it (newest or oldest first; never active counts as oldest) and filters "inactive for more
// than N days" (never active: counted from when the account was made); the CSV export follows the
// filter. Bad values are a 400 that names the field.

let t: TestApp;
let admin: Session;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestApp();
  const f = factories(t.db);
  const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  // four customers whose activity is known: 2, 40 and 400 days ago, and one never active, made 100 days ago
  for (const [name, daysAgo] of [['Lana Recent', 2], ['Lana Month', 40], ['Lana Year', 400], ['Lana Never', null]] as const) {
    const id = await f.customer({ siteId: site.id, email: `${name.split(' ')[1].toLowerCase()}.lana@customer.test`, displayName: name });
    await t.db
      .updateTable('accounts')
      .set({ last_active_at: daysAgo === null ? null : new Date(Date.now() - daysAgo * DAY), created_at: new Date(Date.now() - (daysAgo === null ? 100 : 500) * DAY) })
      .where('account_id', '=', id)
      .execute();
  }
  admin = await loginStaff(t.app, 'admin@acme.test');
});

afterAll(async () => {
  await t?.close();
});

async function names(query: Record<string, string>): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/admin/sites/acme/customers?${new URLSearchParams({ query: 'lana', ...query })}`, headers: as(admin) });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().values as Array<{ displayName: string }>).map((c) => c.displayName);
}

describe('last active in the customer list', () => {
  it('sorts by last activity, newest or oldest first, never active counting as oldest; by name otherwise', async () => {
    expect(await names({})).toEqual(['Lana Month', 'Lana Never', 'Lana Recent', 'Lana Year']);
    expect(await names({ sort: 'lastActiveDesc' })).toEqual(['Lana Recent', 'Lana Month', 'Lana Year', 'Lana Never']);
    expect(await names({ sort: 'lastActiveAsc' })).toEqual(['Lana Never', 'Lana Year', 'Lana Month', 'Lana Recent']);
  });

  it('filters customers inactive for more than N days (never active: since the account was made), with the right total', async () => {
    expect((await names({ inactiveDays: '30', sort: 'lastActiveAsc' }))).toEqual(['Lana Never', 'Lana Year', 'Lana Month']);
    expect(await names({ inactiveDays: '90', sort: 'lastActiveAsc' })).toEqual(['Lana Never', 'Lana Year']);
    expect(await names({ inactiveDays: '365' })).toEqual(['Lana Year']);
    const page = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers?query=lana&inactiveDays=90', headers: as(admin) });
    expect(page.json().total).toBe(2);
  });

  it('the CSV export follows the filter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers/export.csv?query=lana&inactiveDays=90', headers: as(admin) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Lana Year');
    expect(res.body).toContain('Lana Never');
    expect(res.body).not.toContain('Lana Month');
    expect(res.body).not.toContain('Lana Recent');
  });

  it('refuses days that are not a whole number from 1 to 3650, and an unknown order, with a 400 naming the field', async () => {
    for (const bad of ['0', '-3', '2.5', '99999', 'soon']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/admin/sites/acme/customers?inactiveDays=${bad}`, headers: as(admin) });
      expect(res.statusCode, bad).toBe(400);
      expect(res.body, bad).toMatch(/inactive/i);
    }
    const sort = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers?sort=random', headers: as(admin) });
    expect(sort.statusCode).toBe(400);
  });

  it('a customer who signs in is active again at once: she leaves the "inactive" filter', async () => {
    await sql`UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE email_lower = 'alice@customer.test' LIMIT 1) WHERE email_lower = 'year.lana@customer.test'`.execute(t.db);
    const login = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email: 'year.lana@customer.test', password: 'portico-demo' } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'portico_csid')!;
    await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: { cookie: `portico_csid=${cookie.value}` } });
    expect(await names({ inactiveDays: '90' })).toEqual(['Lana Never']);
  });
});
