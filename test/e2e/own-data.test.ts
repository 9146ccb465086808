import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { adaAtHerOverview, loginCustomerUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';

// Issue 13, part 9 (docs/product.md#own-data): Carol, on a phone, downloads her data from her
// help-center profile and asks for her account to be erased; Ada approves it in the admin console
// (centralized: acme's Portal customers); Carol's request then reads "Former user (Deactivated)".
// Every page visited passes axe (support/axe-guard.ts).

let portico: RunningPortico;
let browser: Browser;
let carol: Page;

withPorticoAndBrowser(async (started, launched) => {
  portico = started;
  browser = launched;
  carol = await newPage(browser, portico.url, { width: 390, height: 844 });
  await loginCustomerUI(carol, portico.url, 'acme', 'carol@customer.test');
  await carol.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
});

describe("the customer's own data", () => {
  it('Carol downloads her data from her profile at 390 px: her request is in it, nobody else\'s email', async () => {
    await carol.goto('/s/acme/servicedesk/customer/user/profile');
    await carol.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await carol.getByRole('heading', { name: 'Erase my account' }).waitFor();
    await carol.getByRole('button', { name: 'Ask to erase my account' }).waitFor();
    expect(await carol.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(carol, 'own-data-profile-phone');
    const [download] = await Promise.all([carol.waitForEvent('download'), carol.getByRole('link', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^portico-acme-my-data-\d{4}-\d\d-\d\d\.json$/);
    const file = await download.path();
    const text = readFileSync(file!, 'utf8');
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ displayName: 'Carol Customer', email: 'carol@customer.test', status: 'active' });
    expect(data.requests.map((r: { summary: string }) => r.summary)).toContain('New monitor for the design desk');
    expect(text).not.toContain('alice@customer.test');
  });

  it('Carol asks for her account to be erased (confirmed in a dialog); the request shows as pending', async () => {
    await carol.getByRole('button', { name: 'Ask to erase my account' }).click();
    const dialog = carol.getByRole('alertdialog', { name: 'Erase your account?' });
    await dialog.getByLabel('Reason (optional)').fill('I am leaving the company');
    await screenshot(carol, 'own-data-erasure-confirm-phone');
    await dialog.getByRole('button', { name: 'Ask to erase my account' }).click();
    await carol.getByRole('region', { name: 'Pending erasure request' }).or(carol.getByLabel('Pending erasure request')).first().waitFor();
    await carol.getByRole('button', { name: 'Withdraw the request' }).waitFor();
    expect(await carol.locator('main').innerText()).toContain('I am leaving the company');
    await screenshot(carol, 'own-data-erasure-pending-phone');
  });

  it('Ada approves it in the admin console; Carol\'s request then reads "Former user (Deactivated)"', async () => {
    const { page: ada, orgId } = await adaAtHerOverview(browser, portico.url);
    await ada.goto(`/admin/o/${orgId}/products/acme/portal-customers`);
    const requests = ada.getByRole('table', { name: 'Customers asking for their accounts to be erased' });
    await requests.waitFor();
    expect(await requests.innerText()).toContain('I am leaving the company');
    await screenshot(ada, 'own-data-admin-erasure-requests');
    await ada.getByRole('button', { name: 'Approve erasure of Carol Customer' }).click();
    const confirm = ada.getByRole('alertdialog', { name: 'Erase Carol Customer’s account?' });
    await confirm.getByRole('button', { name: 'Erase account' }).click();
    await ada.getByText('Carol Customer’s account was erased.').waitFor();
    await screenshot(ada, 'own-data-admin-approved');

    const sam = await samAtHisProjects(browser, portico.url);
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
    const row = sam.getByRole('row').filter({ hasText: 'New monitor for the design desk' });
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('Former user (Deactivated)');
    await screenshot(sam, 'own-data-former-user-in-queue');

    // Carol's session ended with the delete
    await carol.goto('/s/acme/servicedesk/customer/user/profile');
    await carol.waitForURL(/\/servicedesk\/customer\/user\/login/);
  });
});
