/**
 * Issue 11, parts 6 and 7 in Chromium: a customer's "Share with" finds only whom the project's
 * sharing setting allows, set by an agent on the project's Organizations page; an admin finds
 * customers by any part of their email in both experiences, with the search, filter and page in the
 * URL; the bulk revoke dialog names the customers; the audit log filters by person and exports CSV;
 * the outbox has a screen. Runs on PostgreSQL so the test can add customers while Portico runs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createPostgresDatabase, startPortico, type RunningPortico } from './support/server.js';
import { checkAccessibility, launchBrowser, loginCustomerUI, loginStaffUI, newPage, screenshot } from './support/browser.js';
import { typeInPicker } from './support/pickers.js';

let portico: RunningPortico;
let browser: Browser;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let sql: pg.Client;
let acmeOrg: string;
let helpId: string;

beforeAll(async () => {
  database = await createPostgresDatabase();
  portico = await startPortico({ databaseUrl: database.url });
  browser = await launchBrowser();
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  acmeOrg = (await sql.query<{ id: string }>("SELECT id FROM organizations WHERE name = 'Acme Corp'")).rows[0]!.id;
  helpId = (await sql.query<{ id: string }>("SELECT id FROM projects WHERE key = 'HELP'")).rows[0]!.id;
  // two customers of acme at a vendor, on HELP like the demo's customers (the admin search finds them by domain)
  const site = (await sql.query<{ id: string }>("SELECT id FROM sites WHERE slug = 'acme'")).rows[0]!.id;
  for (const [email, name] of [
    ['ines.infix@vendor.example', 'Ines Infix'],
    ['jo@vendor.example', 'Jo Contractor'],
  ]) {
    const id = `qm:${crypto.randomUUID()}`;
    await sql.query(
      `INSERT INTO accounts (account_id, kind, site_id, email, email_lower, display_name, sort_name, status) VALUES ($1, 'customer', $2, $3, $3, $4, lower($4), 'active')`,
      [id, site, email, name],
    );
    await sql.query(`INSERT INTO account_search_terms (site_id, account_id, term, sort_name) SELECT $1, $2, t, lower($3) FROM unnest($4::text[]) t`, [
      site,
      id,
      name,
      [...name.toLowerCase().split(' '), email],
    ]);
    await sql.query('INSERT INTO project_customers (site_id, project_id, account_id) VALUES ($1, $2, $3)', [site, helpId, id]);
  }
  // a mail kept in the outbox (no SMTP server in tests)
  await sql.query(`INSERT INTO outbox (org_id, site_id, to_address, subject, body, status) VALUES ($1, $2, 'alice@customer.test', 'Reset your password', 'Open https://example.test/reset?token=abc to choose a new password.', 'kept')`, [acmeOrg, site]);
});

afterAll(async () => {
  await sql?.end();
  await browser?.close();
  await portico?.stop();
  await database?.drop();
});

async function signedIn(email: string, width?: number): Promise<Page> {
  const page = await newPage(browser, portico.url, width ? { width } : {});
  await loginStaffUI(page, portico.url, email);
  await page.waitForURL((u) => u.pathname !== '/login');
  return page;
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('customer privacy in pickers', () => {
  test('an agent sets the sharing; Alice then finds only the people already on HELP-1, by name, never an email', async () => {
    const sam = await signedIn('agent@acme.test');
    await sam.goto(`${portico.url}/s/acme/jira/servicedesk/projects/HELP/organizations`);
    await sam.getByRole('heading', { name: 'Sharing' }).waitFor();
    await sam.getByRole('button', { name: /Customers may find and share requests with/ }).click();
    await sam.getByRole('option', { name: 'People already on the request', exact: true }).click();
    await sam.getByRole('status').filter({ hasText: 'people already on the request only' }).waitFor();
    await screenshot(sam, 'privacy-01-agent-sets-sharing');
    expect((await sql.query("SELECT customer_sharing FROM projects WHERE key = 'HELP'")).rows[0].customer_sharing).toBe('request');
    await sam.context().close();

    const alice = await newPage(browser, portico.url, { width: 390 });
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL((u) => !u.pathname.endsWith('/login'));
    await alice.goto(`${portico.url}/s/acme/servicedesk/customer/portal/${helpId}/HELP-1`);
    // Bob is on HELP-1; Carol and the vendor's people, customers of HELP too, are not found
    expect(await typeInPicker(alice, 'Share', 'b')).toEqual(['Bob Builder']);
    expect(await typeInPicker(alice, 'Share', 'c')).toEqual([]);
    expect(await typeInPicker(alice, 'Share', 'j')).toEqual([]);
    expect(await alice.getByRole('listbox').innerText()).not.toContain('@');
    await checkAccessibility(alice);
    expect(await noSidewaysScroll(alice)).toBe(true);
    await screenshot(alice, 'privacy-02-share-finds-only-the-request-390');

    // raising a new request there is no one on it yet: nobody to find
    await alice.goto(`${portico.url}/s/acme/servicedesk/customer/portal/${helpId}`);
    await alice.getByRole('link', { name: /Get IT help/ }).first().click();
    expect(await typeInPicker(alice, 'Share with', 'b')).toEqual([]);
    await alice.context().close();
  });

  test('under "anyone in the project" Alice finds HELP\'s customers, still without emails', async () => {
    await sql.query("UPDATE projects SET customer_sharing = 'project' WHERE key = 'HELP'");
    const alice = await newPage(browser, portico.url);
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL((u) => !u.pathname.endsWith('/login'));
    await alice.goto(`${portico.url}/s/acme/servicedesk/customer/portal/${helpId}/HELP-1`);
    expect(await typeInPicker(alice, 'Share', 'j')).toEqual(['Jo Contractor']);
    expect(await alice.getByRole('listbox').innerText()).not.toContain('@');
    await alice.context().close();
  });
});

describe('admins finding people', () => {
  test('centralized: a search by domain, kept in the URL across a reload; the bulk dialog names the customers', async () => {
    const ada = await signedIn('admin@acme.test');
    await ada.goto(`${portico.url}/admin/o/${acmeOrg}/products/acme/portal-customers`);
    await ada.getByRole('searchbox', { name: 'Search by name or email' }).fill('@vendor.example');
    const table = ada.getByRole('table', { name: /Portal customers of/ });
    await expect.poll(async () => (await table.getByRole('row').allInnerTexts()).length).toBe(3);
    await expect.poll(() => new URL(ada.url()).searchParams.get('q')).toBe('@vendor.example');
    // a filter and a reload: the same view
    await ada.getByRole('button', { name: /Status$/ }).click();
    await ada.getByRole('option', { name: 'Active', exact: true }).click();
    await expect.poll(() => new URL(ada.url()).searchParams.get('status')).toBe('active');
    await ada.reload();
    await expect.poll(() => ada.getByRole('searchbox', { name: 'Search by name or email' }).inputValue()).toBe('@vendor.example');
    await expect.poll(async () => (await table.getByRole('row').allInnerTexts()).length).toBe(3);
    const rows = (await table.getByRole('row').allInnerTexts()).join('\n');
    expect(rows).toContain('ines.infix@vendor.example');
    expect(rows).toContain('jo@vendor.example');
    expect(rows).not.toContain('alice@customer.test');

    // ticked on the visible box, as a user does (the input itself is visually hidden)
    const tick = (name: string) => table.locator('label', { has: ada.getByRole('checkbox', { name }) }).click();
    await tick('Select ines.infix@vendor.example');
    await tick('Select jo@vendor.example');
    await ada.getByRole('button', { name: 'Revoke access' }).first().click();
    const dialog = ada.getByRole('alertdialog');
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Ines Infix and Jo Contractor');
    expect(text).toContain('will show “Ines Infix (Deactivated)”');
    // every sentence is about the people named ("the customer list" is the screen's name)
    expect(text).not.toMatch(/the customer(?! list)/);
    expect(text).toContain('Mail each customer a notice that their access ended');
    await checkAccessibility(ada);
    await screenshot(ada, 'privacy-03-bulk-dialog-names-customers');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await ada.context().close();
  });

  test('original: Globex\'s site admin finds Erin by a part of her name; the list works at 390 px', async () => {
    const sid = await signedIn('siteadmin@globex.test', 390);
    await sid.goto(`${portico.url}/admin/s/globex/service-management?q=ngineer`);
    const table = sid.getByRole('table', { name: /Portal customers of/ });
    await expect.poll(async () => (await table.getByRole('row').allInnerTexts()).length).toBe(2);
    expect((await table.getByRole('row').allInnerTexts()).join('\n')).toContain('erin@customer.test');
    expect(await sid.getByRole('searchbox', { name: 'Search by name or email' }).inputValue()).toBe('ngineer');
    expect(await noSidewaysScroll(sid)).toBe(true);
    await screenshot(sid, 'privacy-04-original-infix-search-390');
    await sid.context().close();
  });

  test('the audit log filters by target and date, keeps them in the URL, and exports what it shows', async () => {
    const ada = await signedIn('admin@acme.test');
    await ada.goto(`${portico.url}/admin/o/${acmeOrg}/audit-log`);
    await ada.getByRole('table', { name: 'Audit log' }).waitFor();
    await ada.getByRole('textbox', { name: 'Target' }).fill('dave@customer.test');
    const today = new Date().toISOString().slice(0, 10);
    await ada.getByLabel('To', { exact: true }).fill(today);
    await ada.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => new URL(ada.url()).searchParams.get('target')).toBe('dave@customer.test');
    const table = ada.getByRole('table', { name: 'Audit log' });
    await expect
      .poll(async () => (await table.locator('tbody tr').allInnerTexts()).every((r) => r.includes('Dave Departed (Deactivated)')))
      .toBe(true);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    const href = await ada.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toContain('/audit-log/export.csv');
    expect(new URL(href!, portico.url).searchParams.get('target')).toBe('dave@customer.test');
    const csv = await ada.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.split('\r\n')[0]).toContain('"Time","Action","Actor","Target"');
    expect(csv).toContain('Dave Departed (Deactivated)');
    await checkAccessibility(ada);
    await screenshot(ada, 'privacy-05-audit-log-filtered');
    await ada.reload();
    expect(await ada.getByRole('textbox', { name: 'Target' }).inputValue()).toBe('dave@customer.test');
    await ada.context().close();
  });

  test('the outbox is a screen of the admin console, reached from the overview, readable at 390 px', async () => {
    const ada = await signedIn('admin@acme.test', 390);
    await ada.goto(`${portico.url}/admin/o/${acmeOrg}/overview`);
    await ada.getByRole('link', { name: 'Outbox' }).click();
    await ada.waitForURL((u) => u.pathname.endsWith('/outbox'));
    const table = ada.getByRole('table', { name: 'Outbox' });
    await table.getByText('Reset your password').click();
    await table.getByText(/reset\?token=abc/).waitFor();
    expect(await table.innerText()).toContain('Kept (no mail server set up)');
    await checkAccessibility(ada);
    expect(await noSidewaysScroll(ada)).toBe(true);
    await screenshot(ada, 'privacy-06-outbox-390');
    await ada.context().close();
  });
});
