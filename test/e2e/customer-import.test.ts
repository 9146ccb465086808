/**
 * "Import customers" in Chromium, in both user-management experiences: choose a file, read the dry
 * run (what would be created, every refused row with its line), import, find the new customer in
 * the list. The centralized one at 1280 px (Ada, acme), the original one at 390 px (Greta, globex).
 */
import { describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { adaAtHerOverview, checkAccessibility, loginStaffUI, newPage, screenshot } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;

withPorticoAndBrowser((started, launched) => {
  portico = started;
  browser = launched;
});

const customerRow = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });

async function importFile(page: Page, csv: string, shot: string) {
  await page.getByRole('button', { name: 'Import customers' }).click();
  const dialog = page.getByRole('dialog', { name: /^Import customers into / });
  await dialog.waitFor();
  await dialog.locator('input[type="file"]').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await dialog.getByRole('region', { name: 'What the import would do' }).waitFor();
  await checkAccessibility(page, { again: true });
  await screenshot(page, `${shot}-dry-run`);
  return dialog;
}

describe('import customers in the admin console', () => {
  test('centralized: the dry run lists what would happen and the refused rows; Import creates the customers', async () => {
    const { page, orgId } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${orgId}/products/acme/portal-customers`);
    await customerRow(page, 'alice@customer.test').waitFor();

    const csv = ['Name,Email,Status', 'Ivy Imported,ivy@import.test,Active', 'Rory Revoked,rory@import.test,Access revoked', 'Alice Again,alice@customer.test,', 'Broken Row,not-an-email,Active'].join('\n');
    const dialog = await importFile(page, csv, 'customer-import-centralized');
    const summary = dialog.getByRole('region', { name: 'What the import would do' });
    expect(await summary.textContent()).toContain('2 customers would be created (1 with access revoked)');
    expect(await summary.textContent()).toContain('1 row is already a customer');
    const refused = dialog.getByRole('table', { name: /Refused rows/ });
    expect(await refused.getByRole('row').filter({ hasText: 'not-an-email' }).textContent()).toMatch(/^5not-an-emailThe email address is not valid\.$/);
    // nothing written yet
    expect(await customerRow(page, 'ivy@import.test').count()).toBe(0);

    await dialog.getByRole('button', { name: 'Import 2 customers' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 2 customers (1 already customers, 1 refused).' }).waitFor();
    await customerRow(page, 'ivy@import.test').waitFor();
    expect(await customerRow(page, 'ivy@import.test').textContent()).toContain('Active');
    expect(await customerRow(page, 'rory@import.test').textContent()).toContain('Rory Revoked (Deactivated)');
    expect(await customerRow(page, 'rory@import.test').textContent()).toContain('Access revoked');
    await screenshot(page, 'customer-import-centralized-done');
    await page.context().close();
  });

  test('original, at 390 px: the same dialog fits the screen and imports', async () => {
    const page = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginStaffUI(page, portico.url, 'admin@globex.test');
    await page.waitForURL((u) => u.pathname !== '/login');
    await page.goto('/admin/s/globex/service-management');
    await customerRow(page, 'erin@customer.test').waitFor();
    const button = (await page.getByRole('button', { name: 'Import customers' }).boundingBox())!;
    expect(button.x + button.width).toBeLessThanOrEqual(390);

    const dialog = await importFile(page, 'Email address,Display name\r\nnarrow.screen@import.test,Nadia Narrow\r\n', 'customer-import-original-390');
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await dialog.getByRole('button', { name: 'Import 1 customer' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 1 customer' }).waitFor();
    await customerRow(page, 'narrow.screen@import.test').waitFor();
    await screenshot(page, 'customer-import-original-390-done');
    await page.context().close();
  });
});
