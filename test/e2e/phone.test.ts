import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { answerLate, loginCustomerUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';

// Phones (docs/product.md#phones): at 390 px the help center's header folds into a menu, its table
// of requests reads as a list, and a long unbroken word wraps — on the customer's pages and on the
// agent's view of the same request, nothing scrolls sideways.

const PHONE = { width: 390, height: 844 };
const LONG_WORD = `https://files.example.test/${'shared-drive-permission-error-'.repeat(5)}0x80070005`;

let portico: RunningPortico;
let browser: Browser;
let alice: Page;
let sam: Page;
let key: string;


async function fits(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
}

onDatabase('pglite', 'the help center on a phone', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    alice = await newPage(browser, portico.url, PHONE);
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/portals$/);
    sam = await samAtHisProjects(browser, portico.url, PHONE);
  }, database);

  it('the header folds into a menu that opens, leads to My requests and closes', async () => {
    await alice.getByRole('heading', { level: 1 }).first().waitFor();
    const menu = alice.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await alice.getByRole('link', { name: 'My requests' }).isVisible()).toBe(false);
    expect(await alice.getByRole('button', { name: 'Log out' }).isVisible()).toBe(false);
    await screenshot(alice, 'phone-01-header-folded');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await alice.getByRole('button', { name: 'Log out' }).waitFor();
    await screenshot(alice, 'phone-02-menu-open');
    await alice.getByRole('link', { name: 'My requests' }).click();
    await alice.waitForURL(/\/user\/requests/);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await fits(alice);
  });

  it('My requests reads as a list: each request a card of labelled lines', async () => {
    const table = alice.getByRole('table');
    await table.getByRole('link', { name: 'HELP-1', exact: true }).waitFor();
    const row = table.locator('tbody tr').first();
    expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
    const label = await row.locator('td').first().evaluate((td) => getComputedStyle(td, '::before').content);
    expect(label).toBe('"Reference"');
    await fits(alice);
    await screenshot(alice, 'phone-03-my-requests-list');
  });

  it('a request whose summary is one long word wraps on the customer’s page and the agent’s view', async () => {
    const raised = await alice.evaluate(async (summary) => {
      // the CSRF token comes with the session, as the app reads it
      const session = await (await fetch('/s/acme/api/portal/session')).json();
      const portals = await (await fetch('/s/acme/api/portal/portals')).json();
      const portal = portals.values.find((p: { name: string }) => p.name === 'Acme IT Help Center');
      const types = await (await fetch(`/s/acme/api/portal/portals/${portal.id}`)).json();
      const res = await fetch('/s/acme/api/portal/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ projectId: portal.id, requestTypeId: types.requestTypes[0].id, fields: { summary, description: `See ${summary}` } }),
      });
      return { status: res.status, body: await res.json() };
    }, LONG_WORD);
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    key = raised.body.key;
    await alice.goto(`/s/acme/servicedesk/customer/portal/1/${key}`);
    await alice.getByRole('heading', { level: 1, name: LONG_WORD }).waitFor();
    await fits(alice);
    await screenshot(alice, 'phone-04-long-word-customer');

    await sam.goto(`/s/acme/browse/${key}`);
    await sam.getByRole('heading', { level: 1, name: LONG_WORD }).waitFor();
    await fits(sam);
    await screenshot(sam, 'phone-05-long-word-agent');
  });

  it("a staff page stays where it is when the signed-in person's name arrives late", async () => {
    // The session answers a second late (a busy server). The header used to grow by a line when the
    // name came, and push the whole page down under a finger about to tap.
    const late = await answerLate(sam, '/api/auth/session');
    try {
      await sam.goto('/profile');
      const main = sam.getByRole('main');
      await main.waitFor();
      const before = (await main.boundingBox())!.y;
      await sam.getByText('Sam Agent', { exact: true }).first().waitFor();
      await sam.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
      expect((await main.boundingBox())!.y).toBe(before);
      await fits(sam);
      await screenshot(sam, 'phone-staff-header');
    } finally {
      await late.stop();
    }
  });
});
