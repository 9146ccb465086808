import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { loginCustomerUI, newPage, screenshot } from './support/browser.js';
import { REPO_ROOT } from './support/server.js';

// Request-type groups as tabs of a portal's help-center page (docs/product.md#request-type-groups):
// Alice, on a 390 px phone, finds HELP's request types under "Common requests", "Technical support"
// and "Hardware", moves between the tabs by touch and by keyboard, and raises from one.

let alice: Page;
let baseUrl: string;

onDatabase('pglite', 'request-type groups as tabs', (database) => {
  withPorticoAndBrowser(async (portico, browser) => {
    baseUrl = portico.url;
    alice = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/portals$/);
  }, database);

  const typesShown = async () => alice.getByRole('tabpanel').locator('.portal-request-type-name').allInnerTexts();

  it('the portal page shows one tab per group, in order; each tab lists its request types; nothing spills sideways', async () => {
    await alice.getByRole('link', { name: /Acme IT Help Center/ }).click();
    const tabs = alice.getByRole('tablist', { name: 'Groups of request types' });
    await tabs.waitFor();
    expect(await tabs.getByRole('tab').allInnerTexts()).toEqual(['Common requests', 'Technical support', 'Hardware']);
    expect(await tabs.getByRole('tab', { name: 'Common requests' }).getAttribute('aria-selected')).toBe('true');
    expect(await typesShown()).toEqual(['Get IT help', 'Request new hardware']);
    expect(await alice.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(alice, 'request-type-groups-01-common-phone');

    await tabs.getByRole('tab', { name: 'Hardware' }).click();
    await alice.getByRole('tabpanel').getByText('Request new hardware').waitFor();
    expect(await typesShown()).toEqual(['Request new hardware']);
    await screenshot(alice, 'request-type-groups-02-hardware-phone');

    // the arrow keys move between tabs, as in any tab list
    await tabs.getByRole('tab', { name: 'Hardware' }).focus();
    await alice.keyboard.press('ArrowLeft');
    expect(await tabs.getByRole('tab', { name: 'Technical support' }).getAttribute('aria-selected')).toBe('true');
    expect(await typesShown()).toEqual(['Get IT help']);
  });

  it('the built server tells its version, build date and commit at /rest/servicedeskapi/info (with her session)', async () => {
    const res = await alice.request.get(`${baseUrl}/s/acme/rest/servicedeskapi/info`);
    expect(res.status()).toBe(200);
    const info = await res.json();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    // the commit the server was built from, when it was built in a git checkout (this one)
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (head.status === 0) expect(info.buildChangeSet).toMatch(/^[0-9a-f]{40}$/);
    expect(info.buildDate.epochMillis).toBeLessThanOrEqual(Date.now());
    expect(info._links.self).toBe(`${baseUrl}/s/acme/rest/servicedeskapi/info`);
  });

  it('a request type under a tab opens its form', async () => {
    await alice.getByRole('tabpanel').getByRole('link', { name: /Get IT help/ }).click();
    await alice.waitForURL(/\/create\/\d+$/);
    await alice.getByRole('textbox', { name: /Summary/ }).waitFor();
    expect(alice.url().startsWith(baseUrl)).toBe(true);
  });
});
