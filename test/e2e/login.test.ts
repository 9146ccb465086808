import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sharedPortico, type RunningPortico } from './support/server.js';
import { launchBrowser, loginCustomerUI, loginStaffUI, newPage, screenshot } from './support/browser.js';

// Issue 2: every demo account logs in through Chromium where its role belongs; a wrong password and
// a revoked customer see the same generic refusal; logout ends the session.

const GENERIC_REFUSAL = 'Incorrect email or password.';

let portico: RunningPortico;
let browser: Browser;

beforeAll(async () => {
  portico = sharedPortico(); // only reads and logs in: the run's shared server
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function pathOf(page: Page) {
  return new URL(page.url()).pathname;
}

/** What the server says about this browser's session (from inside the page, with its cookies). */
async function sessionStatus(page: Page, url: string): Promise<{ status: number; email?: string }> {
  return page.evaluate(async (u) => {
    const res = await fetch(u, { headers: { accept: 'application/json' } });
    const body = res.ok ? await res.json() : undefined;
    return { status: res.status, email: body?.account?.email };
  }, url);
}

async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  return (await alert.innerText()).trim();
}

describe('staff login at /login', () => {
  const admins = [
    { email: 'admin@acme.test', shot: 'login-admin-acme-landing' },
    { email: 'admin@globex.test', shot: 'login-admin-globex-landing' },
    { email: 'siteadmin@globex.test', shot: 'login-siteadmin-globex-landing' },
  ];

  it('shows the login form with labelled fields', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/login');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByLabel('Email').getAttribute('type')).toBe('email');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('type')).toBe('password');
    expect(await page.getByRole('button', { name: 'Log in' }).isVisible()).toBe(true);
    await screenshot(page, 'login-staff-form');
    await page.context().close();
  });

  for (const { email, shot } of admins) {
    it(`${email} lands in the admin console`, async () => {
      const page = await newPage(browser, portico.url);
      await loginStaffUI(page, portico.url, email);
      await page.waitForURL((u) => u.pathname === '/admin' || u.pathname.startsWith('/admin/'));
      // the admin console's own heading, not the login page's while the console loads
      await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Log in to Portico' }).first().waitFor({ state: 'visible' });
      expect(await page.getByRole('button', { name: 'Log in' }).count()).toBe(0);
      expect(await sessionStatus(page, '/api/auth/session')).toEqual({ status: 200, email });
      await screenshot(page, shot);
      await page.context().close();
    });
  }

  it('agent@acme.test lands on /projects listing IT Help, linked to its queues', async () => {
    const page = await newPage(browser, portico.url);
    await loginStaffUI(page, portico.url, 'agent@acme.test');
    await page.waitForURL((u) => u.pathname === '/projects');
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    const link = page.getByRole('link', { name: 'IT Help' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/s/acme/jira/servicedesk/projects/HELP/queues');
    // Only the projects the agent works on: nothing of Globex.
    expect(await page.getByRole('link', { name: 'Support' }).count()).toBe(0);
    expect(await page.getByText('Sam Agent').first().isVisible()).toBe(true);
    await screenshot(page, 'login-agent-acme-projects');
    await page.context().close();
  });

  it('a wrong password is refused with the generic message and no session', async () => {
    const page = await newPage(browser, portico.url);
    await loginStaffUI(page, portico.url, 'admin@acme.test', 'not-the-password');
    expect(await alertText(page)).toBe(GENERIC_REFUSAL);
    expect(pathOf(page)).toBe('/login');
    expect((await sessionStatus(page, '/api/auth/session')).status).toBe(401);
    await screenshot(page, 'login-staff-wrong-password');
    // An unknown email gets the very same answer.
    await page.getByLabel('Email').fill('nobody@acme.test');
    await page.getByLabel('Password', { exact: true }).fill('portico-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForFunction(() => document.querySelector('input[type=password]') instanceof HTMLInputElement && (document.querySelector('input[type=password]') as HTMLInputElement).value === '');
    expect(await alertText(page)).toBe(GENERIC_REFUSAL);
    await page.context().close();
  });

  it('tells customers where they log in, and links to the help center they were headed for', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/login');
    const hint = page.locator('.login-customers');
    expect(await hint.innerText()).toMatch(/Customers: log in on your help center's own page/);
    expect(await hint.getByRole('link').count()).toBe(0);
    // on the way to a page of Acme's (a customer opened an agent's link)
    await page.goto(`/login?next=${encodeURIComponent('/s/acme/jira/servicedesk/projects/HELP/queues')}`);
    const link = page.getByRole('link', { name: 'Log in to this help center' });
    await link.click();
    await page.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/user/login');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.context().close();
  });

  it('empty fields are flagged on the form without calling the server', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Enter your email.').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Enter your password.').isVisible()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.context().close();
  });

  it('logout ends the session and protected pages send you back to /login', async () => {
    const page = await newPage(browser, portico.url);
    await loginStaffUI(page, portico.url, 'agent@acme.test');
    await page.waitForURL((u) => u.pathname === '/projects');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect((await sessionStatus(page, '/api/auth/session')).status).toBe(401);
    await screenshot(page, 'logout-staff');
    // a link to a request (a notification's, or REST's `_links.agent`), opened signed out
    await page.goto('/s/acme/browse/HELP-1');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/s/acme/browse/HELP-1');
    // Logging in again returns to the page that was asked for: the request, not the projects page.
    await page.getByLabel('Email').fill('agent@acme.test');
    await page.getByLabel('Password', { exact: true }).fill('portico-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/s/acme/browse/HELP-1');
    await page.getByRole('heading', { level: 1, name: /Laptop will not connect to the VPN/ }).waitFor();
    await page.context().close();
  });
});

describe('help-center login at /s/{site}/servicedesk/customer/user/login', () => {
  it('shows the site in the heading and a forgotten-password link', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/s/acme/servicedesk/customer/user/login');
    // the form appears once the site's name has loaded, never with the slug in its place
    const heading = page.getByRole('heading', { level: 1 });
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await heading.innerText()).toBe('Log in to Acme Support');
    const forgot = page.getByRole('link', { name: 'Forgot your password?' });
    expect(await forgot.getAttribute('href')).toBe('/s/acme/servicedesk/customer/user/forgot-password');
    await screenshot(page, 'login-customer-acme-form');
    await page.context().close();
  });

  it('Alice logs in to acme and lands on the portals page, signed in to acme only', async () => {
    const page = await newPage(browser, portico.url);
    await loginCustomerUI(page, portico.url, 'acme', 'alice@customer.test');
    await page.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');
    expect(await sessionStatus(page, '/s/acme/api/portal/session')).toEqual({ status: 200, email: 'alice@customer.test' });
    // The acme session does not open Globex's help center (Alice has a separate account there).
    expect((await sessionStatus(page, '/s/globex/api/portal/session')).status).toBe(401);
    // Nor the staff side.
    expect((await sessionStatus(page, '/api/auth/session')).status).toBe(401);
    await page.getByRole('heading').first().waitFor({ state: 'visible' });
    await screenshot(page, 'login-customer-alice-portals');
    await page.context().close();
  });

  it('Dave (access revoked) sees exactly what a wrong password shows', async () => {
    const wrong = await newPage(browser, portico.url);
    await loginCustomerUI(wrong, portico.url, 'acme', 'alice@customer.test', 'wrong-password-1');
    const wrongText = await alertText(wrong);
    await screenshot(wrong, 'login-customer-wrong-password');

    const dave = await newPage(browser, portico.url);
    await loginCustomerUI(dave, portico.url, 'acme', 'dave@customer.test');
    const daveText = await alertText(dave);
    await screenshot(dave, 'login-customer-dave-revoked');

    expect(wrongText).toBe(GENERIC_REFUSAL);
    expect(daveText).toBe(GENERIC_REFUSAL);
    expect(pathOf(dave)).toBe('/s/acme/servicedesk/customer/user/login');
    expect((await sessionStatus(dave, '/s/acme/api/portal/session')).status).toBe(401);
    await wrong.context().close();
    await dave.context().close();
  });

  it('Erin, a customer of globex only, is refused at acme with the same message', async () => {
    const page = await newPage(browser, portico.url);
    await loginCustomerUI(page, portico.url, 'acme', 'erin@customer.test');
    expect(await alertText(page)).toBe(GENERIC_REFUSAL);
    await page.context().close();
  });

  it('staff cannot use their staff password on the help center login', async () => {
    const page = await newPage(browser, portico.url);
    await loginCustomerUI(page, portico.url, 'acme', 'agent@acme.test');
    expect(await alertText(page)).toBe(GENERIC_REFUSAL);
    await page.context().close();
  });

  it('an unknown site says so instead of showing a login form', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/s/no-such-site/servicedesk/customer/user/login');
    await page.getByRole('heading', { level: 1, name: 'Help center not found' }).waitFor();
    expect(await page.getByRole('button', { name: 'Log in' }).count()).toBe(0);
    await page.context().close();
  });
});
