/**
 * The spec page "Revoke access for portal-only customers", step by step in Chromium, in both
 * user-management experiences — plus the customer list's search, status filter, bulk actions,
 * export, the other row actions, the experience switch and the audit log. Every step is saved as a
 * screenshot under test-results/ (walkthrough-<experience>-NN-<step>.png).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { loginCustomerUI, loginStaffUI, newPage, screenshot } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;
const pages: Page[] = [];

withPorticoAndBrowser((started, launched) => {
  portico = started;
  browser = launched;
});

async function open(): Promise<Page> {
  const page = await newPage(browser, portico.url);
  pages.push(page);
  return page;
}

async function closeAll() {
  while (pages.length) await pages.pop()!.context().close();
}

/** Waits until the locator's text contains `text` (the UI updates after the server answers). */
async function waitForText(locator: Locator, text: string, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = (await locator.textContent({ timeout }).catch(() => '')) ?? '';
    if (last.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected ${locator} to contain ${JSON.stringify(text)}, last text: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const customerRow = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });
const statusMessage = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

async function menuItemNames(page: Page): Promise<string[]> {
  const menu = page.getByRole('menu');
  await menu.waitFor();
  return (await menu.getByRole('menuitem').allTextContents()).map((t) => t.trim());
}

/** Revokes one customer from the list the page shows, checking the dialog's title and five consequences. */
async function revokeInList(page: Page, shot: Shot, email: string, name: string, opts: { canDelete: boolean }) {
  await page.getByRole('button', { name: `More actions for ${email}` }).click();
  const items = await menuItemNames(page);
  expect(items).toEqual(opts.canDelete ? ['Change password', 'Edit full name', 'Change email', 'Revoke access', 'Set access until…', 'Delete customer'] : ['Change password', 'Edit full name', 'Change email', 'Revoke access', 'Set access until…']);
  await shot('more-menu');
  await page.getByRole('menuitem', { name: 'Revoke access' }).click();
  const dialog = page.getByRole('alertdialog', { name: `Revoke access for ${name}?` });
  await dialog.waitFor();
  const consequences = await dialog.getByRole('list', { name: 'What revoking access does' }).getByRole('listitem').allTextContents();
  expect(consequences).toHaveLength(5);
  expect(consequences[0]).toContain('unable to access the site’s portal');
  expect(consequences[1]).toContain('won’t be searchable and selectable in user-picker fields');
  expect(consequences[2]).toContain(`${name} (Deactivated)`);
  expect(consequences[3]).toContain('searchable in filters, however only by its email address');
  expect(consequences[4]).toContain('Grant access');
  expect(consequences[4]).toContain('All previous user references are kept');
  // what the revoke touches, counted before anyone confirms (docs/product.md#footprint)
  const footprint = dialog.getByRole('region', { name: 'What this revoke touches' });
  await footprint.getByText(/^\d+ requests? taken part in$/).waitFor(); // counted: "… requests" while it counts
  const touched = (await footprint.getByRole('listitem').allTextContents()).map((t) => t.trim());
  expect(touched).toHaveLength(5);
  expect(touched[0]).toMatch(/^\d+ open requests? reported$/);
  expect(touched[1]).toMatch(/^\d+ requests? taken part in$/);
  expect(touched[2]).toMatch(/^\d+ user-picker values?$/);
  expect(touched[3]).toMatch(/^\d+ live sessions?/);
  expect(touched[4]).toMatch(/^Last active: /);
  await shot('revoke-dialog');
  await dialog.getByRole('button', { name: 'Revoke access' }).click();
  await statusMessage(page, `Access revoked for ${name}.`).waitFor();
  await dialog.waitFor({ state: 'detached' });
  await waitForText(customerRow(page, email), 'Access revoked');
  await waitForText(customerRow(page, email), `${name} (Deactivated)`);
  await shot('revoked');
}

async function grantInList(page: Page, shot: Shot, email: string, name: string) {
  await page.getByRole('button', { name: `More actions for ${email}` }).click();
  const items = await menuItemNames(page);
  expect(items).toContain('Grant access');
  expect(items).not.toContain('Revoke access');
  await page.getByRole('menuitem', { name: 'Grant access' }).click();
  const dialog = page.getByRole('alertdialog', { name: `Grant access for ${name}?` });
  await dialog.waitFor();
  await shot('grant-dialog');
  await dialog.getByRole('button', { name: 'Grant access' }).click();
  await statusMessage(page, `Access granted for ${name}.`).waitFor();
  await waitForText(customerRow(page, email).getByRole('cell').nth(3), 'Active');
  expect(await customerRow(page, email).getByRole('cell').nth(1).textContent()).toBe(name);
  await shot('granted');
}

/** The customer tries the help-center login of `site`: refused exactly like a wrong password, or let in. */
async function customerLogin(shot: Shot, step: string, site: string, email: string, expectOk: boolean, password?: string) {
  const page = await open();
  await loginCustomerUI(page, portico.url, site, email, password);
  if (expectOk) {
    await page.waitForURL(`**/s/${site}/servicedesk/customer/portals`);
  } else {
    await page.getByRole('alert').filter({ hasText: 'Incorrect email or password.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/s/${site}/servicedesk/customer/user/login`);
  }
  await shot(step, page);
  await page.context().close();
  pages.splice(pages.indexOf(page), 1);
}

type Shot = (step: string, of?: Page) => Promise<unknown>;

/** Numbered screenshots of one walk-through: <prefix>-01-<step>.png, … (of another page when given). */
function shooter(page: Page, prefix: string): Shot {
  let n = 0;
  return async (step, of) => {
    n += 1;
    return screenshot(of ?? page, `${prefix}-${String(n).padStart(2, '0')}-${step}`);
  };
}

describe('walk-through: centralized user management (Acme, admin@acme.test)', () => {
  test('Products → Sites and products → acme → Service Management → Portal customers → revoke, then grant', async () => {
    const page = await open();
    const shot = shooter(page, 'walkthrough-centralized');
    await loginStaffUI(page, portico.url, 'admin@acme.test');
    // Step 1: one organization → straight into it.
    await page.waitForURL(/\/admin\/o\/[^/]+\/overview$/);
    await page.getByRole('heading', { level: 1, name: 'Acme Corp' }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Organization' });
    expect((await tabs.getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(['Overview', 'Directory', 'Products', 'Audit log', 'Webhooks']);
    expect(await tabs.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    await shot('overview');

    // Centralized: Directory shows the Users and Groups lists.
    await tabs.getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    await customerRow(page, 'agent@acme.test').waitFor();
    expect(await page.getByRole('table', { name: 'Users' }).textContent()).not.toContain('alice@customer.test');
    await shot('directory');

    // Step 2: Products from the header.
    await tabs.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('heading', { name: 'Sites and products' }).waitFor();
    expect(await tabs.getByRole('link', { name: 'Products' }).getAttribute('aria-current')).toBe('page');
    await shot('products');

    // Step 3: under Sites and products, the site that contains Service Management.
    await page.getByRole('table', { name: 'Sites and products' }).getByRole('link', { name: 'Acme Support' }).click();
    const sideNav = page.getByRole('navigation', { name: 'Acme Support navigation' });
    await sideNav.getByRole('heading', { name: 'Service Management' }).waitFor();
    await shot('site');

    // Step 4: under the Service Management section of the nav bar, Portal customers.
    await sideNav.getByRole('link', { name: 'Portal customers' }).click();
    await page.waitForURL(/\/admin\/o\/[^/]+\/products\/acme\/portal-customers$/);
    await customerRow(page, 'alice@customer.test').waitFor();
    const headers = (await page.getByRole('table', { name: 'Portal customers of Acme Support' }).getByRole('columnheader').allTextContents()).map((t) => t.trim());
    expect(headers.slice(1, 6)).toEqual(['Name', 'Email', 'Status', 'Last active', 'Created']);
    await waitForText(customerRow(page, 'dave@customer.test'), 'Dave Departed (Deactivated)');
    await waitForText(customerRow(page, 'dave@customer.test'), 'Access revoked');
    await waitForText(customerRow(page, 'alice@customer.test'), 'Active');
    await shot('portal-customers');

    // Steps 5–6: More › Revoke access, confirm.
    await revokeInList(page, shot, 'alice@customer.test', 'Alice Example', { canDelete: true });

    // Consequence 1: Alice cannot log in to the help center; the answer is that of a wrong password.
    await customerLogin(shot, 'alice-login-refused', 'acme', 'alice@customer.test', false);

    // Grant access from the same page: Active again, and her old password works.
    await grantInList(page, shot, 'alice@customer.test', 'Alice Example');
    await customerLogin(shot, 'alice-login-works-again', 'acme', 'alice@customer.test', true);
    await closeAll();
  });
});

describe('walk-through: original user management (Globex)', () => {
  test('org admin admin@globex.test: the site by name and URL → Service Management → revoke Erin, then grant', async () => {
    const page = await open();
    const shot = shooter(page, 'walkthrough-original-orgadmin');
    await loginStaffUI(page, portico.url, 'admin@globex.test');
    await page.waitForURL(/\/admin\/o\/[^/]+\/overview$/);
    // Step 1: the sites this admin administers, by name and URL.
    const sites = page.getByRole('list', { name: 'Sites' });
    await sites.getByRole('link', { name: /Globex Service Desk/ }).waitFor();
    expect(await sites.getByRole('link', { name: /Globex Service Desk/ }).textContent()).toContain(`${portico.url}/s/globex`);
    expect(await sites.getByRole('link', { name: /Globex Europe/ }).textContent()).toContain(`${portico.url}/s/globex-eu`);
    await shot('sites');

    // Original: Directory shows no Users or Groups lists.
    const tabs = page.getByRole('navigation', { name: 'Organization' });
    await tabs.getByRole('link', { name: 'Directory' }).click();
    await page.getByText('uses the original user-management experience').waitFor();
    expect(await page.getByRole('heading', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Groups' }).count()).toBe(0);
    await shot('directory');

    await tabs.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('list', { name: 'Sites' }).getByRole('link', { name: /Globex Service Desk/ }).click();
    await page.waitForURL(/\/admin\/s\/globex$/);
    const sideNav = page.getByRole('navigation', { name: 'Globex Service Desk admin' });
    await sideNav.getByRole('link', { name: 'Service Management' }).waitFor(); // the page loads lazily
    expect((await sideNav.getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(['Users', 'Groups', 'Service Management', 'Notification mail', 'Customer organizations', 'Customer sign-up', 'Email requests', 'Security', 'Access reviews']);
    await shot('site-admin');

    // The site's Users: its staff (Sid is site admin of globex).
    await sideNav.getByRole('link', { name: 'Users' }).click();
    await customerRow(page, 'siteadmin@globex.test').waitFor();
    await shot('site-users');

    // Step 2: Service Management.
    await sideNav.getByRole('link', { name: 'Service Management' }).click();
    await page.waitForURL(/\/admin\/s\/globex\/service-management$/);
    await customerRow(page, 'erin@customer.test').waitFor();
    await shot('service-management');

    // Steps 3–4: More › Revoke access, confirm.
    await revokeInList(page, shot, 'erin@customer.test', 'Erin Engineer', { canDelete: true });
    await customerLogin(shot, 'erin-login-refused', 'globex', 'erin@customer.test', false);
    await grantInList(page, shot, 'erin@customer.test', 'Erin Engineer');
    await customerLogin(shot, 'erin-login-works-again', 'globex', 'erin@customer.test', true);
    await closeAll();
  });

  test('site admin siteadmin@globex.test: only globex, no Delete customer; revoking Globex’s Alice leaves Acme’s Alice alone', async () => {
    const page = await open();
    const shot = shooter(page, 'walkthrough-original-siteadmin');
    await loginStaffUI(page, portico.url, 'siteadmin@globex.test');
    await page.waitForURL(/\/admin$/);
    const sites = page.getByRole('list', { name: 'Sites' });
    await sites.getByRole('link', { name: /Globex Service Desk/ }).waitFor();
    expect(await sites.getByRole('link').count()).toBe(1);
    expect(await sites.textContent()).toContain(`${portico.url}/s/globex`);
    await shot('sites');

    await sites.getByRole('link', { name: /Globex Service Desk/ }).click();
    const sideNav = page.getByRole('navigation', { name: 'Globex Service Desk admin' });
    await sideNav.getByRole('link', { name: 'Service Management' }).click();
    await customerRow(page, 'alice@customer.test').waitFor();
    await shot('service-management');

    await revokeInList(page, shot, 'alice@customer.test', 'Alice Example', { canDelete: false });
    await customerLogin(shot, 'globex-alice-refused', 'globex', 'alice@customer.test', false);
    // Portal-only accounts are per site: Acme's Alice (same email) still gets in.
    await customerLogin(shot, 'acme-alice-unaffected', 'acme', 'alice@customer.test', true);

    await grantInList(page, shot, 'alice@customer.test', 'Alice Example');
    await customerLogin(shot, 'globex-alice-works-again', 'globex', 'alice@customer.test', true);

    // Sid does not administer Globex Europe: its admin is not found for him.
    await page.goto(`${portico.url}/admin/s/globex-eu/service-management`);
    await page.getByRole('alert').filter({ hasText: 'Could not open this site' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await shot('globex-eu-not-found');
    await closeAll();
  });
});

describe('the customer list (Acme, admin@acme.test)', () => {
  let page: Page;
  let shot: Shot;
  const list = () => page.getByRole('table', { name: 'Portal customers of Acme Support' });
  const emailsShown = async () => (await list().locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => t.trim());
  /** Waits until the list shows exactly these emails (in any order) — the search is debounced. */
  const waitForEmails = async (expected: string[], timeout = 10_000) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const shown = (await emailsShown()).sort();
      if (JSON.stringify(shown) === JSON.stringify([...expected].sort())) return;
      if (Date.now() > deadline) throw new Error(`expected the list to show ${expected.join(', ')}; it shows ${shown.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** Clicks a row checkbox the way a user does: on its visible box (the input itself is visually hidden). */
  const tick = (name: string) => page.locator('label', { has: page.getByRole('checkbox', { name }) }).click();

  let listUrl = '';
  /** Each test starts from a freshly loaded list (no search, no filter, nothing selected). */
  const gotoList = async () => {
    await page.goto(listUrl);
    await customerRow(page, 'alice@customer.test').waitFor();
  };

  beforeAll(async () => {
    page = await open();
    shot = shooter(page, 'walkthrough-list');
    await loginStaffUI(page, portico.url, 'admin@acme.test');
    await page.waitForURL(/\/admin\/o\/[^/]+\/overview$/);
    const orgPath = new URL(page.url()).pathname.replace(/\/overview$/, '');
    listUrl = `${portico.url}${orgPath}/products/acme/portal-customers`;
  });

  afterAll(closeAll);

  test('search by name or email, and the status filter', async () => {
    await gotoList();
    const search = page.getByRole('searchbox', { name: 'Search by name or email' });
    await search.fill('bob');
    await waitForEmails(['bob@customer.test']);
    await page.getByText('Showing 1–1 of 1').waitFor();
    await shot('search-name');

    await search.fill('carol@cust');
    await waitForEmails(['carol@customer.test']);
    await search.fill('ALICE example');
    await waitForEmails(['alice@customer.test']);
    await search.fill('nobody-like-this');
    await page.getByText('No customers match your search.').waitFor();
    await search.fill('');
    await waitForEmails(['alice@customer.test', 'bob@customer.test', 'carol@customer.test', 'dave@customer.test']);
    await page.getByText('Showing 1–4 of 4').waitFor();

    await page.getByRole('button', { name: /Status$/ }).click();
    await page.getByRole('option', { name: 'Access revoked' }).click();
    await waitForEmails(['dave@customer.test']);
    await page.getByText('Showing 1–1 of 1').waitFor();
    await shot('filter-revoked');

    await page.getByRole('button', { name: /Status$/ }).click();
    await page.getByRole('option', { name: 'Active' }).click();
    await waitForEmails(['alice@customer.test', 'bob@customer.test', 'carol@customer.test']);
    await page.getByText('Showing 1–3 of 3').waitFor();

    await page.getByRole('button', { name: /Status$/ }).click();
    await page.getByRole('option', { name: 'All' }).click();
    await waitForEmails(['alice@customer.test', 'bob@customer.test', 'carol@customer.test', 'dave@customer.test']);
  });

  test('sort by last activity and filter the long inactive (docs/product.md#last-active)', async () => {
    await gotoList();
    /** The "Last active" column, top to bottom. */
    const lastActive = async () => {
      const headers = (await page.getByRole('columnheader').allTextContents()).map((h) => h.trim());
      const column = headers.indexOf('Last active');
      return Promise.all((await page.getByRole('row').all()).slice(1).map(async (r) => ((await r.getByRole('cell').nth(column).textContent()) ?? '').trim()));
    };
    await page.getByRole('button', { name: /Sort by$/ }).click();
    await page.getByRole('option', { name: 'Last active, newest first' }).click();
    await page.waitForURL(/sort=lastActiveDesc/);
    await page.getByText('Showing 1–4 of 4').waitFor();
    // (polled: the URL changes before the list is drawn again in its new order)
    /** whoever never was active comes last (`neverLast`) or first */
    const inOrder = async (neverLast: boolean) => {
      const shown = await lastActive();
      const at = shown.findIndex((v) => (neverLast ? v === 'Never' : v !== 'Never'));
      return at === -1 || shown.slice(at).every((v) => (neverLast ? v === 'Never' : v !== 'Never'));
    };
    // whoever was active comes before whoever never was
    await expect.poll(() => inOrder(true)).toBe(true);
    await shot('sort-last-active');
    await page.getByRole('button', { name: /Sort by$/ }).click();
    await page.getByRole('option', { name: 'Last active, oldest first' }).click();
    await page.waitForURL(/sort=lastActiveAsc/);
    await expect.poll(() => inOrder(false)).toBe(true);

    // the demo's customers were all made today: none has been inactive for a year
    await page.getByRole('button', { name: /Last active$/ }).click();
    await page.getByRole('option', { name: 'Inactive for more than a year' }).click();
    await page.waitForURL(/inactive=365/);
    await page.getByText('No customers match your search.').waitFor();
    await shot('filter-inactive');
    await page.getByRole('button', { name: /Last active$/ }).click();
    await page.getByRole('option', { name: 'Any time' }).click();
    await page.getByText('Showing 1–4 of 4').waitFor();
    await page.getByRole('button', { name: /Sort by$/ }).click();
    await page.getByRole('option', { name: 'Name' }).click();
    await page.waitForURL((u) => !u.search.includes('sort='));
  });

  test('bulk revoke, then bulk grant, of two customers, with the dry run shown first', async () => {
    await gotoList();
    await tick('Select bob@customer.test');
    await tick('Select carol@customer.test');
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await waitForText(bar, '2 customers selected');
    await shot('bulk-selected');

    await bar.getByRole('button', { name: 'Revoke access' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke access for 2 customers?' });
    await dialog.waitFor();
    const willChange = dialog.getByRole('region', { name: 'Access will be revoked for' });
    expect((await willChange.getByRole('listitem').allTextContents()).sort()).toEqual(['Bob Builder', 'Carol Customer']);
    const summed = dialog.getByRole('region', { name: 'What this revoke touches' });
    await waitForText(summed, 'Last active (the latest of them)');
    expect(await summed.textContent()).toMatch(/\d+ requests? taken part in/);
    await shot('bulk-revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await statusMessage(page, 'Access revoked for 2 customers.').waitFor();
    await waitForText(customerRow(page, 'bob@customer.test'), 'Access revoked');
    await waitForText(customerRow(page, 'carol@customer.test'), 'Access revoked');
    await waitForText(customerRow(page, 'alice@customer.test'), 'Active');
    await shot('bulk-revoked');
    await customerLogin(shot, 'bob-refused', 'acme', 'bob@customer.test', false);

    // Select-all on the page, then grant: the dry run says Alice is already active (no change).
    await tick('Select all customers on this page');
    await waitForText(bar, '4 customers selected');
    await tick('Select dave@customer.test');
    await waitForText(bar, '3 customers selected');
    await bar.getByRole('button', { name: 'Grant access' }).click();
    const grant = page.getByRole('alertdialog', { name: 'Grant access for 2 customers?' });
    await grant.waitFor();
    expect(await grant.getByRole('region', { name: 'Already active (no change)' }).textContent()).toContain('Alice Example');
    expect((await grant.getByRole('region', { name: 'Access will be granted for' }).getByRole('listitem').allTextContents()).sort()).toEqual([
      'Bob Builder (Deactivated)',
      'Carol Customer (Deactivated)',
    ]);
    await shot('bulk-grant-dialog');
    await grant.getByRole('button', { name: 'Grant access' }).click();
    await statusMessage(page, 'Access granted for 2 customers.').waitFor();
    await waitForText(customerRow(page, 'bob@customer.test'), 'Active');
    await waitForText(customerRow(page, 'carol@customer.test'), 'Active');
    await waitForText(customerRow(page, 'dave@customer.test'), 'Access revoked');
    await shot('bulk-granted');
    await customerLogin(shot, 'bob-works-again', 'acme', 'bob@customer.test', true);
  });

  test('Export CSV downloads the list with the same filters', async () => {
    await gotoList();
    const link = page.getByRole('link', { name: 'Export CSV' });
    const all = await page.request.get(new URL((await link.getAttribute('href'))!, portico.url).toString());
    expect(all.status()).toBe(200);
    expect(all.headers()['content-type']).toContain('text/csv');
    const text = await all.text();
    for (const email of ['alice@customer.test', 'bob@customer.test', 'carol@customer.test', 'dave@customer.test']) expect(text).toContain(email);
    expect(text).not.toContain('erin@customer.test');

    await page.getByRole('button', { name: /Status$/ }).click();
    await page.getByRole('option', { name: 'Access revoked' }).click();
    await waitForEmails(['dave@customer.test']);
    const href = (await link.getAttribute('href'))!;
    expect(href).toContain('status=revoked');
    const download = page.waitForEvent('download');
    await link.click();
    const file = await download;
    const { readFile } = await import('node:fs/promises');
    const revoked = await readFile((await file.path())!, 'utf8');
    expect(revoked).toContain('dave@customer.test');
    expect(revoked).not.toContain('alice@customer.test');
    await page.getByRole('button', { name: /Status$/ }).click();
    await page.getByRole('option', { name: 'All' }).click();
    await waitForEmails(['alice@customer.test', 'bob@customer.test', 'carol@customer.test', 'dave@customer.test']);
  });

  test('Change password shows the server’s error, then works; Edit full name renames', async () => {
    await gotoList();
    await page.getByRole('button', { name: 'More actions for carol@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password for Carol Customer' });
    await dialog.getByLabel('New password').fill('short');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('The password must be at least 8 characters.').waitFor();
    expect(await dialog.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
    await shot('password-error');
    await dialog.getByLabel('New password').fill('Harbour-Lantern-4217');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await statusMessage(page, 'Password changed for Carol Customer.').waitFor();
    await customerLogin(shot, 'carol-old-password-refused', 'acme', 'carol@customer.test', false);
    await customerLogin(shot, 'carol-new-password-works', 'acme', 'carol@customer.test', true, 'Harbour-Lantern-4217');

    await page.getByRole('button', { name: 'More actions for bob@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Edit full name' }).click();
    const nameDialog = page.getByRole('dialog', { name: 'Edit full name of bob@customer.test' });
    await nameDialog.getByLabel('Full name').fill('Robert Builder');
    await shot('edit-name');
    await nameDialog.getByRole('button', { name: 'Save' }).click();
    await statusMessage(page, 'Full name of bob@customer.test changed to Robert Builder.').waitFor();
    await waitForText(customerRow(page, 'bob@customer.test'), 'Robert Builder');
    await shot('renamed');
  });

  test('switching the organization to the original experience changes the navigation, and back', async () => {
    await gotoList();
    const tabs = page.getByRole('navigation', { name: 'Organization' });
    await tabs.getByRole('link', { name: 'Overview' }).click();
    await page.locator('label', { has: page.getByRole('radio', { name: /Original/ }) }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Switch to original user management?' });
    await confirm.waitFor();
    await shot('switch-to-original');
    await confirm.getByRole('button', { name: 'Switch to original' }).click();
    await statusMessage(page, 'Acme Corp now uses original user management.').waitFor();
    await page.getByText('Original user management', { exact: true }).waitFor();
    await tabs.getByRole('link', { name: 'Directory' }).click();
    await page.getByText('uses the original user-management experience').waitFor();
    expect(await page.getByRole('heading', { name: 'Users' }).count()).toBe(0);
    await tabs.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('table', { name: 'Sites and products' }).getByRole('link', { name: 'Acme Support' }).click();
    await page.waitForURL(/\/admin\/s\/acme$/);
    await page.getByRole('navigation', { name: 'Acme Support admin' }).getByRole('link', { name: 'Service Management' }).waitFor();
    await shot('original-site-admin');

    await page.getByRole('link', { name: 'Acme Corp' }).click();
    await page.locator('label', { has: page.getByRole('radio', { name: /Centralized/ }) }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alertdialog', { name: 'Switch to centralized user management?' }).getByRole('button', { name: 'Switch to centralized' }).click();
    await statusMessage(page, 'Acme Corp now uses centralized user management.').waitFor();
    await tabs.getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
  });

  test('Delete customer (org admins only) erases the person: "Former user (Deactivated)"', async () => {
    await gotoList();
    const tabs = page.getByRole('navigation', { name: 'Organization' });
    await tabs.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('table', { name: 'Sites and products' }).getByRole('link', { name: 'Acme Support' }).click();
    await page.getByRole('navigation', { name: 'Acme Support navigation' }).getByRole('link', { name: 'Portal customers' }).click();
    await page.getByRole('button', { name: 'More actions for dave@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Delete customer' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Dave Departed?' });
    await waitForText(dialog, 'Former user (Deactivated)');
    await waitForText(dialog, 'can’t be undone');
    await shot('delete-dialog');
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await statusMessage(page, 'Dave Departed was deleted.').waitFor();
    await customerRow(page, 'dave@customer.test').waitFor({ state: 'detached' });
    await page.getByText('Showing 1–3 of 3').waitFor();
    await shot('deleted');
  });

  test('the audit log tells who revoked and granted whom, newest first, filterable by action', async () => {
    await gotoList();
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Audit log' }).click();
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.getByRole('row').nth(1).waitFor();
    const rows = async () =>
      Promise.all(
        (await log.locator('tbody tr').all()).map(async (r) => (await r.getByRole('cell').allTextContents()).map((t) => t.trim())),
      );
    const all = await rows();
    // Newest first: the delete, then the experience switches, the rename, the password change, the bulk grant...
    expect(all[0][0]).toBe('Deleted customer');
    expect(all[0][1]).toBe('Ada Admin');
    expect(all[0][2]).toBe('Former user (Deactivated)');
    const revokeAlice = all.find((r) => r[0] === 'Revoked access' && r[2].startsWith('Alice Example'));
    const grantAlice = all.find((r) => r[0] === 'Granted access' && r[2].startsWith('Alice Example'));
    expect(revokeAlice?.[1]).toBe('Ada Admin');
    expect(revokeAlice?.[3]).toBe('Acme Support');
    expect(revokeAlice?.[5]).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(grantAlice?.[1]).toBe('Ada Admin');
    expect(all.indexOf(grantAlice!)).toBeLessThan(all.indexOf(revokeAlice!));
    expect(all.some((r) => r[0] === 'Changed password' && r[2].startsWith('Carol Customer'))).toBe(true);
    expect(all.some((r) => r[0] === 'Changed name' && r[2].startsWith('Robert Builder'))).toBe(true);
    // Globex's events belong to Globex's log, not Acme's.
    expect(all.some((r) => r[2].includes('Erin'))).toBe(false);
    await shot('audit-log');

    await page.getByRole('button', { name: /Action$/ }).click();
    await page.getByRole('option', { name: 'Granted access' }).click();
    await waitForText(page.getByRole('button', { name: /Action$/ }), 'Granted access');
    await log.locator('tbody tr').first().filter({ hasText: 'Granted access' }).waitFor();
    const granted = await rows();
    expect(granted.length).toBe(3); // Alice (row action), Bob and Carol (bulk)
    expect(granted.every((r) => r[0] === 'Granted access' && r[1] === 'Ada Admin')).toBe(true);
    await shot('audit-log-granted');
  });
});
