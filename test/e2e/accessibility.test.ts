/**
 * Every page of every surface, checked with axe (issue 8, item 11: no violation of any impact), at a
 * desktop width and at 390 px (a phone): the help center, the agent workspace, the profile, and the
 * admin console in both user-management experiences. Each page is opened once, checked and
 * photographed at the desktop width, then the window is narrowed to a phone's and the page checked
 * and photographed again (what a phone shows is the same page laid out by the same stylesheet; one
 * visit instead of two halves the file's time). Screenshots: test-results/a11y-<width>-<page>.png. Every other end-to-end test checks the pages it passes through
 * as well (test/e2e/support/browser.ts); this file visits the ones no other test needs, on purpose.
 *
 * It only reads and logs in: it runs on the run's shared server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sharedPortico, type RunningPortico } from './support/server.js';
import { checkAccessibility, launchBrowser, loginCustomerUI, loginStaffUI, newPage, screenshot, takeAxeViolations } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;

beforeAll(async () => {
  portico = sharedPortico();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const DESKTOP = { name: 'desktop', width: 1280, height: 800 };
const PHONE = { name: 'phone', width: 390, height: 844 };

/** The path part of a link's href on the page (the ids of portals, request types, articles). */
async function hrefOf(page: Page, name: string | RegExp): Promise<string> {
  const link = page.getByRole('link', { name }).first();
  await link.waitFor();
  const href = await link.getAttribute('href');
  expect(href).toBeTruthy();
  return href!;
}

/**
 * The page as it is now, at each width: checked with axe, photographed, and (for a page rather than
 * a dialog) no wider than the window — nothing makes a person scroll sideways (a wide table scrolls
 * in its own box). Leaves the window at the desktop width.
 */
async function atEachWidth(page: Page, name: string, what: { fits: boolean; checked: boolean }) {
  for (const viewport of [DESKTOP, PHONE]) {
    if (viewport === PHONE) {
      await page.setViewportSize({ width: PHONE.width, height: PHONE.height });
      // laid out again at the new width before anything is measured
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    }
    // at the desktop width the scan after the navigation has checked the loaded page (or does now)
    await checkAccessibility(page, { again: viewport === PHONE || !what.checked });
    await screenshot(page, `a11y-${viewport.name}-${name}`);
    if (what.fits) {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${page.url()} is ${width} px wide at ${viewport.width} px`).toBeLessThanOrEqual(viewport.width);
    }
  }
  await page.setViewportSize({ width: DESKTOP.width, height: DESKTOP.height });
}

/** Checks the page in a state no navigation leads to (a dialog) at each width and photographs it. */
async function checkState(page: Page, name: string) {
  await atEachWidth(page, name, { fits: false, checked: false });
}

/**
 * Opens `path`, waits for its first-level heading (and, when given, for content that only the loaded
 * page shows), then checks and photographs it at each width.
 */
async function visit(page: Page, name: string, path: string, ready: { heading?: string | RegExp; text?: string } = {}) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, ...(ready.heading ? { name: ready.heading } : {}) }).first().waitFor();
  if (ready.text) await page.getByText(ready.text, { exact: false }).first().waitFor();
  await atEachWidth(page, name, { fits: true, checked: true });
}

// Each test visits several pages, checks and photographs each one: longer than the default timeout.
const MANY_PAGES = { timeout: 300_000 };

describe(`every page at ${DESKTOP.width} px and at ${PHONE.width} px wide`, () => {
  const open = () => newPage(browser, portico.url, { width: DESKTOP.width, height: DESKTOP.height });

  it('signed out: staff login, help-center login, forgot and reset password, sign-up, a set-password link and an unsubscribe link that are not valid, an unknown page', MANY_PAGES, async () => {
    const page = await open();
    await visit(page, 'login', '/login', { heading: /Log in/ });
    await visit(page, 'help-center-login', '/s/acme/servicedesk/customer/user/login', { heading: /Acme Support/ });
    await visit(page, 'help-center-forgot-password', '/s/acme/servicedesk/customer/user/forgot-password');
    await visit(page, 'help-center-reset-password', '/s/acme/servicedesk/customer/user/reset-password?token=not-a-real-token');
    // Acme takes no sign-ups (the demo's default): the page says so
    await visit(page, 'help-center-signup-closed', '/s/acme/servicedesk/customer/user/signup', { text: 'This help center does not take sign-ups.' });
    await visit(page, 'help-center-set-password-invalid', '/s/acme/servicedesk/customer/user/set-password?token=not-a-real-token', { text: 'This link is no longer valid.' });
    await visit(page, 'help-center-unsubscribe-invalid', '/s/acme/servicedesk/customer/unsubscribe?token=not-a-real-token', { text: 'This link is no longer valid.' });
    await visit(page, 'help-center-unknown-site', '/s/no-such-site/servicedesk/customer/user/login', { heading: 'Help center not found' });
    await visit(page, 'not-found', '/no/such/page', { heading: 'Page not found' });
    await page.context().close();
  });

  it('help center: portals, a portal, the request form, my requests (both tabs), a request, an article', MANY_PAGES, async () => {
    const page = await open();
    await loginCustomerUI(page, portico.url, 'acme', 'alice@customer.test');
    await page.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');
    await visit(page, 'help-center-portals', '/s/acme/servicedesk/customer/portals', { text: 'Acme IT Help Center' });
    const portal = await hrefOf(page, 'Acme IT Help Center');
    await visit(page, 'help-center-portal', portal, { heading: 'Acme IT Help Center' });
    const create = await hrefOf(page, /Get IT help/);
    await page.getByLabel('Search the knowledge base').fill('vpn');
    const article = await hrefOf(page, 'Reset your VPN password');
    await visit(page, 'help-center-create-request', create, { heading: 'Get IT help' });
    await visit(page, 'help-center-my-requests', '/s/acme/servicedesk/customer/user/requests', { text: 'HELP-1' });
    await visit(page, 'help-center-my-requests-shared', '/s/acme/servicedesk/customer/user/requests?filter=shared');
    await visit(page, 'help-center-request', `${portal}/HELP-1`, { heading: 'Laptop will not connect to the VPN' });
    await visit(page, 'help-center-article', article, { heading: 'Reset your VPN password' });
    await page.context().close();
  });

  it('agent workspace: projects, queue, customers, organizations, satisfaction, a request, the issue search, the profile', MANY_PAGES, async () => {
    const page = await open();
    await loginStaffUI(page, portico.url, 'agent@acme.test');
    await page.waitForURL((u) => u.pathname === '/projects');
    await visit(page, 'agent-projects', '/projects', { text: 'IT Help' });
    await visit(page, 'agent-queue', '/s/acme/jira/servicedesk/projects/HELP/queues', { text: 'HELP-1' });
    await visit(page, 'agent-customers', '/s/acme/jira/servicedesk/projects/HELP/customers', { text: 'Dave Departed (Deactivated)' });
    await page.getByRole('button', { name: 'Create customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create customer' });
    await dialog.getByLabel('Name').waitFor();
    await checkState(page, 'agent-customers-create-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Invite customers' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite customers' });
    await invite.getByLabel('Email addresses').waitFor();
    await checkState(page, 'agent-customers-invite-dialog');
    await invite.getByRole('button', { name: 'Cancel' }).click();
    await invite.waitFor({ state: 'detached' });
    await visit(page, 'agent-organizations', '/s/acme/jira/servicedesk/projects/HELP/organizations', { text: 'No organization has been added to this project.' });
    await page.getByRole('button', { name: 'Create organization' }).click();
    const createOrg = page.getByRole('dialog', { name: 'Create organization' });
    await createOrg.getByLabel('Organization name').waitFor();
    await checkState(page, 'agent-organizations-create-dialog');
    await createOrg.getByRole('button', { name: 'Cancel' }).click();
    await createOrg.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add organization' }).click();
    const addOrg = page.getByRole('dialog', { name: 'Add an organization to HELP' });
    await addOrg.getByRole('button', { name: 'Cancel' }).waitFor();
    await checkState(page, 'agent-organizations-add-dialog');
    await addOrg.getByRole('button', { name: 'Cancel' }).click();
    await addOrg.waitFor({ state: 'detached' });
    await visit(page, 'agent-satisfaction', '/s/acme/jira/servicedesk/projects/HELP/satisfaction', { heading: 'Customer satisfaction' });
    await visit(page, 'agent-request', '/s/acme/browse/HELP-1', { heading: 'Laptop will not connect to the VPN' });
    await visit(page, 'agent-request-deactivated-reporter', '/s/acme/browse/HELP-4');
    await visit(page, 'agent-issue-search', '/s/acme/issues');
    await visit(page, 'agent-issue-search-results', `/s/acme/issues?${new URLSearchParams({ jql: 'project = HELP ORDER BY created DESC' })}`, { text: 'HELP-1' });
    await visit(page, 'agent-issue-search-error', `/s/acme/issues?${new URLSearchParams({ jql: 'status = Open AND AND' })}`, { text: 'line 1' });
    await visit(page, 'profile', '/profile', { heading: 'Profile' });
    await page.context().close();
  });

  it('admin console, centralized experience (Acme): overview, sites, directory, products, the site, portal customers, notification mail, customer organizations, customer sign-up, audit log, outbox', MANY_PAGES, async () => {
    const page = await open();
    await loginStaffUI(page, portico.url, 'admin@acme.test');
    await page.waitForURL((u) => /^\/admin\/o\/[^/]+\/overview$/.test(u.pathname));
    const org = new URL(page.url()).pathname.split('/')[3];
    await visit(page, 'admin-centralized-overview', `/admin/o/${org}/overview`);
    await visit(page, 'admin-centralized-sites', `/admin/o/${org}/sites`);
    await visit(page, 'admin-centralized-directory', `/admin/o/${org}/directory`);
    await visit(page, 'admin-centralized-products', `/admin/o/${org}/products`);
    await visit(page, 'admin-centralized-site', `/admin/o/${org}/products/acme`);
    await visit(page, 'admin-centralized-portal-customers', `/admin/o/${org}/products/acme/portal-customers`, { text: 'alice@customer.test' });
    await page.getByRole('button', { name: 'More actions for alice@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Revoke access' }).click();
    const revoke = page.getByRole('alertdialog', { name: 'Revoke access for Alice Example?' });
    await revoke.getByRole('region', { name: 'What this revoke touches' }).getByText(/^\d+ requests? taken part in$/).waitFor();
    await checkState(page, 'admin-centralized-revoke-dialog');
    await revoke.getByRole('button', { name: 'Cancel' }).click();
    await revoke.waitFor({ state: 'detached' });
    await visit(page, 'admin-centralized-notification-mail', `/admin/o/${org}/products/acme/notifications`, { text: 'Plain-text part' });
    await visit(page, 'admin-centralized-organizations', `/admin/o/${org}/products/acme/organizations`, { text: 'This site has no customer organizations yet.' });
    await visit(page, 'admin-centralized-signup', `/admin/o/${org}/products/acme/signup`, { text: 'Anyone may sign up in the help center' });
    await visit(page, 'admin-centralized-audit-log', `/admin/o/${org}/audit-log`);
    await visit(page, 'admin-centralized-outbox', `/admin/o/${org}/outbox`);
    await page.context().close();
  });

  it('admin console, original experience (Globex): the sites, a site, its users, groups, service management, notification mail, customer organizations and customer sign-up', MANY_PAGES, async () => {
    const page = await open();
    await loginStaffUI(page, portico.url, 'admin@globex.test');
    await page.waitForURL((u) => u.pathname.startsWith('/admin'));
    await visit(page, 'admin-original-landing', '/admin');
    await visit(page, 'admin-original-site', '/admin/s/globex');
    await visit(page, 'admin-original-users', '/admin/s/globex/users', { text: 'siteadmin@globex.test' });
    await visit(page, 'admin-original-groups', '/admin/s/globex/groups');
    await visit(page, 'admin-original-service-management', '/admin/s/globex/service-management', { text: 'erin@customer.test' });
    await visit(page, 'admin-original-notification-mail', '/admin/s/globex/notifications', { text: 'Plain-text part' });
    await visit(page, 'admin-original-organizations', '/admin/s/globex/organizations', { text: 'This site has no customer organizations yet.' });
    await visit(page, 'admin-original-signup', '/admin/s/globex/signup', { text: 'Anyone may sign up in the help center' });
    await page.context().close();
  });

  it('admin console for people who administer less: a site admin, and an agent who administers nothing', MANY_PAGES, async () => {
    const siteAdmin = await open();
    await loginStaffUI(siteAdmin, portico.url, 'siteadmin@globex.test');
    await siteAdmin.waitForURL((u) => u.pathname.startsWith('/admin'));
    await visit(siteAdmin, 'admin-site-admin-landing', '/admin');
    await siteAdmin.context().close();

    const agent = await open();
    await loginStaffUI(agent, portico.url, 'agent@acme.test');
    await agent.waitForURL((u) => u.pathname === '/projects');
    await visit(agent, 'admin-nothing-to-administer', '/admin', { text: 'administer any organization or site' });
    await agent.context().close();
  });
});

describe('the scanner itself', () => {
  it('is not blind: an image without a text alternative and an unnamed button on a loaded page are found', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/login');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkAccessibility(page);
    expect(takeAxeViolations()).toEqual([]);
    await page.evaluate(() => {
      const main = document.querySelector('main') ?? document.body;
      const img = document.createElement('img');
      img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      const button = document.createElement('button');
      main.append(img, button);
    });
    await checkAccessibility(page);
    const found = takeAxeViolations().join('\n');
    expect(found).toContain('/login');
    expect(found).toMatch(/image-alt \[critical\]/);
    expect(found).toMatch(/button-name \[critical\]/);
    await page.context().close();
  });
});
