/**
 * Changing a customer's email in Chromium (docs/product.md#change-customer-email): in the centralized
 * experience Ada changes Carol's email from her row's menu (the server's field error first, then the
 * row shows the pending address); the confirmation mail is read from the outbox; the link, opened
 * signed out, confirms it; Carol logs in with the new address and her old password and finds her
 * requests. The original experience at 390 px offers the same dialog. Every screen passes axe.
 */
import { describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { adaAtHerOverview, checkAccessibility, loginCustomerUI, loginStaffUI, newPage, screenshot } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;

withPorticoAndBrowser((started, launched) => {
  portico = started;
  browser = launched;
}, 'postgres');

const customerRow = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });

describe('changing a customer email', () => {
  test('Ada changes Carol’s email; the link confirms it; Carol logs in with the new address and her old password', async () => {
    const { page, orgId } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${orgId}/products/acme/portal-customers`);
    await customerRow(page, 'carol@customer.test').waitFor();

    await page.getByRole('button', { name: 'More actions for carol@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Change email' }).click();
    const dialog = page.getByRole('dialog', { name: /^Change email of Carol/ });
    await dialog.waitFor();
    const field = dialog.getByRole('textbox', { name: 'New email address' });
    // an address the site has: the server's answer shows on the field
    await field.fill('bob@customer.test');
    await dialog.getByRole('button', { name: 'Send confirmation link' }).click();
    await dialog.getByText('Another customer of this site already has this email address.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('carol.new@example.test');
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'email-change-dialog');
    await dialog.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByRole('status').filter({ hasText: 'A link to confirm the new address was mailed to carol.new@example.test' }).waitFor();
    await customerRow(page, 'carol@customer.test').filter({ hasText: 'Changing to carol.new@example.test (awaiting confirmation)' }).waitFor();
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'email-change-pending');

    // the mail waits in the outbox (no mail server here), as the organization's admins can read it
    const outbox = await (await page.request.get(`/api/orgs/${orgId}/outbox`)).json();
    const mail = outbox.values.find((m: { to: string }) => m.to === 'carol.new@example.test');
    const link = /(http:\/\/\S+\/confirm-email\?token=\S+)/.exec(mail.body)![1];

    // opened signed out, in another browser context
    const carol = await newPage(browser, portico.url, { width: 390, height: 844 });
    await carol.goto(link);
    await carol.getByRole('status').filter({ hasText: 'Your email address is now carol.new@example.test.' }).waitFor();
    await checkAccessibility(carol, { again: true });
    await screenshot(carol, 'email-change-confirmed');
    // a second visit: the link worked once
    await carol.goto(link);
    await carol.getByText('This link is no longer valid.').waitFor();

    await loginCustomerUI(carol, portico.url, 'acme', 'carol.new@example.test');
    await carol.waitForURL((u) => !u.pathname.endsWith('/login'));
    await carol.goto('/s/acme/servicedesk/customer/user/requests');
    await carol.getByRole('link', { name: /HELP-\d+/ }).first().waitFor();
    await carol.context().close();

    await page.reload();
    await customerRow(page, 'carol.new@example.test').waitFor();
    expect(await customerRow(page, 'awaiting confirmation').count()).toBe(0);
    await page.context().close();

    // the original experience shares the list: the same dialog, within a phone's width
    const greta = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginStaffUI(greta, portico.url, 'admin@globex.test');
    await greta.waitForURL((u) => u.pathname !== '/login');
    await greta.goto('/admin/s/globex/service-management');
    await greta.getByRole('button', { name: 'More actions for erin@customer.test' }).click();
    await greta.getByRole('menuitem', { name: 'Change email' }).click();
    const small = greta.getByRole('dialog', { name: /^Change email of Erin/ });
    await small.waitFor();
    const box = (await small.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await checkAccessibility(greta, { again: true });
    await greta.context().close();
  });
});
