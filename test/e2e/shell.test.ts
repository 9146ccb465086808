import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sharedPortico, type RunningPortico } from './support/server.js';
import { launchBrowser, loginCustomerUI, loginStaffUI, newPage, screenshot } from './support/browser.js';

// The app shell around the surfaces: profile API tokens, the agent's project list, the header
// navigation, redirects after login, and the help center's frame.

let portico: RunningPortico;
let browser: Browser;

beforeAll(async () => {
  portico = sharedPortico(); // only reads and logs in: the run's shared server
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function myself(token: string, email = 'agent@acme.test') {
  return fetch(`${portico.url}/s/acme/rest/api/3/myself`, {
    headers: { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`, accept: 'application/json' },
  });
}

async function signedInAgent(): Promise<Page> {
  const page = await newPage(browser, portico.url);
  await loginStaffUI(page, portico.url, 'agent@acme.test');
  await page.waitForURL((u) => u.pathname === '/projects');
  return page;
}

describe('profile: API tokens', () => {
  it('creates a token shown once, which authenticates REST, then revokes it', async () => {
    const page = await signedInAgent();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await page.waitForURL((u) => u.pathname === '/profile');
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await page.getByText('You have no API tokens.').waitFor();
    await screenshot(page, 'profile-no-tokens');

    await page.getByLabel('Label').fill('Nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const field = page.getByRole('textbox', { name: 'New API token' });
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^\S{20,}$/);
    expect(await field.getAttribute('readonly')).not.toBeNull();
    const row = page.getByRole('row', { name: /Nightly export/ });
    await row.waitFor();
    await screenshot(page, 'profile-token-created');

    const res = await myself(token);
    expect(res.status).toBe(200);
    expect((await res.json()).emailAddress).toBe('agent@acme.test');
    // The token belongs to its owner only.
    expect((await myself(token, 'admin@acme.test')).status).toBe(401);

    // Shown once: after "Done" (or a reload) the secret is gone from the page.
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByRole('textbox', { name: 'New API token' }).count()).toBe(0);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(token);

    await row.getByRole('button', { name: 'Revoke Nightly export' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').innerText()).toContain('Nightly export');
    await screenshot(page, 'profile-revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    await page.getByText('You have no API tokens.').waitFor();
    expect((await myself(token)).status).toBe(401);
    await screenshot(page, 'profile-token-revoked');
    await page.context().close();
  });

  it('cancelling the revoke dialog keeps the token working', async () => {
    const page = await signedInAgent();
    await page.goto('/profile');
    await page.getByLabel('Label').fill('Keep me');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByRole('textbox', { name: 'New API token' }).inputValue();
    await page.getByRole('button', { name: 'Revoke Keep me' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect((await myself(token)).status).toBe(200);
    expect(await page.getByRole('row', { name: /Keep me/ }).count()).toBe(1);
    await page.context().close();
  });

  it('a label over 100 characters is refused on the field and creates nothing', async () => {
    const page = await signedInAgent();
    await page.goto('/profile');
    await page.getByText('API tokens', { exact: true }).waitFor();
    // Count the tokens the server holds (the table may still be loading).
    const tokenCount = () => page.evaluate(async () => ((await (await fetch('/api/profile/tokens')).json()).values as unknown[]).length);
    const before = await tokenCount();
    // maxLength stops typing at 100; force a longer value the way a script would.
    await page.getByLabel('Label').evaluate((el) => el.removeAttribute('maxlength'));
    await page.getByLabel('Label').fill('x'.repeat(150));
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByLabel('Label').and(page.locator('[aria-invalid="true"]')).or(page.getByRole('alert')).first().waitFor();
    expect(await page.getByRole('textbox', { name: 'New API token' }).count()).toBe(0);
    expect(await tokenCount()).toBe(before);
    await page.context().close();
  });
});

describe('staff navigation and redirects', () => {
  it('the project link opens the project queues page of the agent workspace', async () => {
    const page = await signedInAgent();
    await page.getByRole('link', { name: 'IT Help' }).click();
    await page.waitForURL((u) => u.pathname === '/s/acme/jira/servicedesk/projects/HELP/queues');
    await page.getByRole('heading').first().waitFor({ state: 'visible' });
    await screenshot(page, 'shell-agent-queues');
    await page.context().close();
  });

  it('an admin who is not an agent sees an empty project list, and the header offers Admin', async () => {
    const page = await newPage(browser, portico.url);
    await loginStaffUI(page, portico.url, 'siteadmin@globex.test');
    await page.waitForURL((u) => u.pathname.startsWith('/admin'));
    await page.goto('/projects');
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByText('You are not an agent on any service project yet.', { exact: false }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Admin' }).getAttribute('href')).toBe('/admin');
    await screenshot(page, 'shell-projects-empty');
    await page.context().close();
  });

  it('/ sends a signed-in person to their landing and anyone else to /login', async () => {
    const anon = await newPage(browser, portico.url);
    await anon.goto('/');
    await anon.waitForURL((u) => u.pathname === '/login');
    await anon.context().close();

    const agent = await signedInAgent();
    await agent.goto('/');
    await agent.waitForURL((u) => u.pathname === '/projects');
    await agent.context().close();
  });

  it('a "next" pointing off-site, or to a help center (where a staff session counts for nothing), is ignored after login', async () => {
    for (const next of ['//evil.example/steal', '/s/acme/servicedesk/customer/portals']) {
      const page = await newPage(browser, portico.url);
      await page.goto('/login?next=' + encodeURIComponent(next));
      await page.getByLabel('Email').fill('agent@acme.test');
      await page.getByLabel('Password', { exact: true }).fill('portico-demo');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname === '/projects');
      expect(new URL(page.url()).host).toBe(new URL(portico.url).host);
      await page.context().close();
    }
  });

  it('an unknown page says so', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/no/such/page');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.context().close();
  });

  it('a link to a request or a portal that is not there opens a page that says so, under its own heading', async () => {
    const agent = await signedInAgent();
    await agent.goto('/s/acme/browse/HELP-9999');
    await agent.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await agent.getByRole('alert').innerText()).toBe('Request HELP-9999 was not found, or you do not work on it.');
    await agent.context().close();

    const alice = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');
    await alice.goto('/s/acme/servicedesk/customer/portal/9999');
    await alice.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await alice.getByRole('alert').innerText()).toBe('Portal not found.');
    await screenshot(alice, 'portal-not-found-phone');
    await alice.context().close(); // the axe check of both pages (every page is checked) must find nothing
  });
});

describe('help center frame', () => {
  it('shows the site name, the customer, My requests, and logs out to the site login', async () => {
    const page = await newPage(browser, portico.url);
    await loginCustomerUI(page, portico.url, 'acme', 'alice@customer.test');
    await page.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');
    const header = page.getByRole('banner');
    await header.getByText('Acme Support').waitFor();
    expect(await header.getByText('Alice Example').isVisible()).toBe(true);
    const nav = page.getByRole('navigation', { name: 'Help center' });
    expect(await nav.getByRole('link', { name: 'My requests' }).getAttribute('href')).toBe('/s/acme/servicedesk/customer/user/requests');

    // Visiting the login page while signed in goes straight on to the portals.
    await page.goto('/s/acme/servicedesk/customer/user/login');
    await page.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/user/login');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/s/acme/api/portal/session')).status);
    expect(status).toBe(401);
    await screenshot(page, 'portal-logged-out');
    await page.context().close();
  });

  it('a signed-out visitor of a help-center page is sent to that site\'s login and back', async () => {
    const page = await newPage(browser, portico.url);
    await page.goto('/s/globex/servicedesk/customer/user/requests');
    await page.waitForURL((u) => u.pathname === '/s/globex/servicedesk/customer/user/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/s/globex/servicedesk/customer/user/requests');
    await page.getByLabel('Email').fill('erin@customer.test');
    await page.getByLabel('Password', { exact: true }).fill('portico-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/s/globex/servicedesk/customer/user/requests');
    await page.context().close();
  });
});
