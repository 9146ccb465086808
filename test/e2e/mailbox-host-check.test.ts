/**
 * A mailbox on the server's own network, refused in the admin console (docs/security.md, E7): the
 * built server without PORTICO_MAILBOX_ALLOWED_HOSTS; the site admin types 127.0.0.1 and then
 * localhost and sees the one plain message, and no mailbox is saved. The screen is the usual one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startPortico, type RunningPortico } from './support/server.js';
import { adaAtHerOverview, checkAccessibility, launchBrowser, screenshot } from './support/browser.js';

const MESSAGE = "This mail server's address is on a private network that this Portico does not allow.";

let portico: RunningPortico;
let browser: Browser;

beforeAll(async () => {
  portico = await startPortico({ env: { PORTICO_SECRET_KEY: 'e2e-host-check-key-0123456789abcdefghijk' } });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await portico?.stop();
});

describe('a mailbox on a private network', () => {
  it('E7: the site admin saving a mailbox at 127.0.0.1 or localhost sees the plain refusal, and nothing is saved', { timeout: 120_000 }, async () => {
    const { page, orgId: org } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${org}/products/acme/email`);
    await page.getByRole('heading', { name: 'Email requests', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Set the mailbox of IT Help' }).click();
    for (const host of ['127.0.0.1', 'localhost']) {
      await page.getByRole('textbox', { name: 'IMAP server', exact: true }).fill(host);
      await page.getByRole('textbox', { name: 'Port', exact: true }).fill('143');
      await page.getByRole('textbox', { name: 'User name', exact: true }).fill('help@acme.test');
      await page.getByLabel(/^Password/).fill('secret');
      await page.getByRole('button', { name: 'Save mailbox' }).click();
      await page.getByRole('alert').filter({ hasText: MESSAGE }).waitFor();
    }
    await checkAccessibility(page);
    await screenshot(page, 'mailbox-host-refused');
    await page.reload();
    await page.getByRole('heading', { name: 'Email requests', level: 2 }).waitFor();
    const helpRow = page.getByRole('row').filter({ hasText: 'IT Help (HELP)' });
    expect(await helpRow.textContent()).not.toContain('help@acme.test');
    await page.context().close();
  });
});
