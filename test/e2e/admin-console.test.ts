/**
 * The admin console's doors in Chromium: signed-out visitors, the "Select your organization" chooser
 * of someone who administers two organizations, tenant isolation as the screens show it, a site
 * admin's reach, and people who administer nothing. Runs on PostgreSQL so the test can give Ada a
 * second organization while Portico is running.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createPostgresDatabase, startPortico, type RunningPortico } from './support/server.js';
import { launchBrowser, loginStaffUI, newPage, screenshot } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let sql: pg.Client;
let acmeId: string;
let globexId: string;

beforeAll(async () => {
  database = await createPostgresDatabase();
  portico = await startPortico({ databaseUrl: database.url });
  browser = await launchBrowser();
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  const orgs = await sql.query<{ id: string; name: string }>('SELECT id, name FROM organizations');
  acmeId = orgs.rows.find((o) => o.name === 'Acme Corp')!.id;
  globexId = orgs.rows.find((o) => o.name === 'Globex')!.id;
});

afterAll(async () => {
  await sql?.end();
  await browser?.close();
  await portico?.stop();
  await database?.drop();
});

async function signedIn(email: string): Promise<Page> {
  const page = await newPage(browser, portico.url);
  await loginStaffUI(page, portico.url, email);
  await page.waitForURL((u) => u.pathname !== '/login');
  return page;
}

describe('admin console doors', () => {
  test('a signed-out visitor is sent to the login page and comes back to the admin console', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto(`${portico.url}/admin/o/${acmeId}/audit-log`);
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/admin/o/${acmeId}/audit-log`);
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password', { exact: true }).fill('portico-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === `/admin/o/${acmeId}/audit-log`);
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    await screenshot(page, 'admin-console-01-back-after-login');
    await page.context().close();
  });

  test("another organization's site and console are not found for Acme's admin", async () => {
    const page = await signedIn('admin@acme.test');
    await page.goto(`${portico.url}/admin/s/globex/service-management`);
    await page.getByRole('alert').filter({ hasText: 'Could not open this site' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Not found');
    expect(await page.getByRole('table').count()).toBe(0);
    await screenshot(page, 'admin-console-02-other-site-not-found');

    await page.goto(`${portico.url}/admin/o/${globexId}/directory`);
    await page.getByRole('alert').filter({ hasText: 'Could not open this organization' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await page.context().close();
  });

  test('someone who administers two organizations first selects one', async () => {
    const ada = await sql.query<{ account_id: string }>("SELECT account_id FROM accounts WHERE email_lower = 'admin@acme.test' AND kind = 'staff'");
    await sql.query('INSERT INTO org_admins (org_id, account_id) VALUES ($1, $2)', [globexId, ada.rows[0].account_id]);
    try {
      const page = await signedIn('admin@acme.test');
      await page.waitForURL((u) => u.pathname === '/admin');
      await page.getByRole('heading', { level: 1, name: 'Select your organization' }).waitFor();
      const orgs = page.getByRole('list', { name: 'Organizations' });
      const names = (await orgs.getByRole('link').allTextContents()).map((t) => t.trim());
      expect(names).toHaveLength(2);
      expect(names.some((n) => n.startsWith('Acme Corp'))).toBe(true);
      expect(names.some((n) => n.startsWith('Globex'))).toBe(true);
      await screenshot(page, 'admin-console-03-select-your-organization');

      await orgs.getByRole('link', { name: /^Globex/ }).click();
      await page.waitForURL((u) => u.pathname === `/admin/o/${globexId}/overview`);
      await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();
      await page.getByRole('list', { name: 'Sites' }).getByRole('link', { name: /Globex Europe/ }).waitFor();
      await screenshot(page, 'admin-console-04-globex-chosen');

      await page.getByRole('link', { name: 'All organizations' }).click();
      await page.getByRole('heading', { name: 'Select your organization' }).waitFor();
      await page.getByRole('list', { name: 'Organizations' }).getByRole('link', { name: /^Acme Corp/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
      await page.context().close();
    } finally {
      await sql.query('DELETE FROM org_admins WHERE org_id = $1 AND account_id = $2', [globexId, ada.rows[0].account_id]);
    }
  });

  test("a site admin reaches only their site: the org console shows them their sites; the site's Users and Groups", async () => {
    const page = await signedIn('siteadmin@globex.test');
    await page.goto(`${portico.url}/admin/o/${globexId}/overview`);
    await page.waitForURL((u) => u.pathname === `/admin/o/${globexId}/sites`);
    const sites = page.getByRole('list', { name: 'Sites' });
    await sites.getByRole('link', { name: /Globex Service Desk/ }).waitFor();
    expect(await sites.getByRole('link').count()).toBe(1);
    await screenshot(page, 'admin-console-05-siteadmin-sites');

    await page.goto(`${portico.url}/admin/s/globex/users`);
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByRole('row').filter({ hasText: 'siteadmin@globex.test' }).waitFor();
    expect(await users.getByRole('row').filter({ hasText: 'siteadmin@globex.test' }).textContent()).toContain('Site admin of Globex Service Desk');
    expect(await users.textContent()).not.toContain('admin@acme.test');
    await page.getByRole('navigation', { name: 'Globex Service Desk admin' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('table', { name: 'Groups' }).getByRole('row').filter({ hasText: 'site-admins-globex' }).waitFor();
    expect(await page.getByRole('table', { name: 'Groups' }).textContent()).not.toContain('globex-eu');
    await screenshot(page, 'admin-console-06-siteadmin-groups');

    await page.goto(`${portico.url}/admin/s/globex-eu`);
    await page.getByRole('alert').filter({ hasText: 'Could not open this site' }).waitFor();
    await page.context().close();
  });

  test('an agent who administers nothing is told so at /admin', async () => {
    const page = await signedIn('agent@acme.test');
    await page.goto(`${portico.url}/admin`);
    await page.getByText('You don’t administer any organization or site.').waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Go to your projects' }).waitFor();
    await screenshot(page, 'admin-console-07-agent');
    await page.goto(`${portico.url}/admin/s/acme/service-management`);
    await page.getByRole('alert').filter({ hasText: 'Could not open this site' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await page.context().close();
  });
});
