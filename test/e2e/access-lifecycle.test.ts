/**
 * A customer's access lifecycle in Chromium (docs/product.md#reason-and-notice, #access-until): a
 * revoke with a reason and a notice (the reason under the status, the notice in the outbox, the
 * reason in the audit log), "Set access until…" on one customer and on a selection, and the site's
 * access notices. The centralized experience at 1280 px (Ada, acme), the original one at 390 px
 * (Greta, globex). Every screen passes axe.
 */
import { describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { adaAtHerOverview, checkAccessibility, loginStaffUI, newPage, screenshot, tick } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;

withPorticoAndBrowser((started, launched) => {
  portico = started;
  browser = launched;
});

const customerRow = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });
const statusMessage = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

/** Tomorrow at 10:00 in the browser's zone, as a datetime-local input takes it. */
function tomorrowLocal(): string {
  const d = new Date(Date.now() + 24 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:00`;
}

describe('access lifecycle in the admin console', () => {
  test('centralized: revoke with a reason and a notice; set access until a date; edit the access notices', async () => {
    const { page, orgId } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${orgId}/products/acme/portal-customers`);
    await customerRow(page, 'carol@customer.test').waitFor();

    // revoke Carol with a reason, mailing her the notice with the reason in it. Her counts are held
    // back until the dialog has been looked at: the notice's checkbox must not move when they arrive
    // (it did, by the counts' five lines, and a click aimed at it as the dialog opened was lost)
    let releaseCounts!: () => void;
    const countsHeld = new Promise<void>((resolve) => (releaseCounts = resolve));
    await page.route('**/access-footprint', async (route) => {
      await countsHeld;
      await route.continue();
    });
    await page.getByRole('button', { name: 'More actions for carol@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Revoke access' }).click();
    const revoke = page.getByRole('alertdialog', { name: /^Revoke access for Carol/ });
    await revoke.waitFor();
    const notice = revoke.getByText('Mail the customer a notice that their access ended');
    await revoke.getByText('… live sessions').waitFor();
    const whileCounting = await notice.boundingBox();
    releaseCounts();
    await revoke.getByText(/^\d+ live sessions?/).waitFor();
    expect(await notice.boundingBox()).toEqual(whileCounting);
    await page.unroute('**/access-footprint');
    await revoke.getByRole('textbox', { name: 'Reason (optional)' }).fill('Contract ended');
    await tick(revoke, 'Mail the customer a notice that their access ended');
    await tick(revoke, 'Include the reason in the notice');
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-lifecycle-revoke-reason');
    await revoke.getByRole('button', { name: 'Revoke access' }).click();
    await statusMessage(page, 'Access revoked for Carol').waitFor();
    await customerRow(page, 'carol@customer.test').filter({ hasText: 'Reason: Contract ended' }).waitFor();
    expect(await customerRow(page, 'carol@customer.test').locator('[title="Reason: Contract ended"]').count()).toBe(1);

    // Bob's access until tomorrow 10:00
    await page.getByRole('button', { name: 'More actions for bob@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Set access until…' }).click();
    const until = page.getByRole('dialog', { name: /^Access until for Bob/ });
    await until.waitFor();
    await until.getByLabel('Access until').fill(tomorrowLocal());
    await until.getByRole('textbox', { name: 'Reason (optional)' }).fill('Trial ends');
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-lifecycle-until-dialog');
    await until.getByRole('button', { name: 'Set date' }).click();
    await statusMessage(page, 'has access until').waitFor();
    await customerRow(page, 'bob@customer.test').filter({ hasText: 'Until ' }).waitFor();
    await screenshot(page, 'access-lifecycle-list');

    // the notice waits in the outbox (no mail server here), with the reason
    await page.goto(`/admin/o/${orgId}/outbox`);
    await page.getByRole('row').filter({ hasText: 'carol@customer.test' }).filter({ hasText: 'has ended' }).first().waitFor();
    await checkAccessibility(page, { again: true });

    // the audit log says why
    await page.goto(`/admin/o/${orgId}/audit-log`);
    await page.getByRole('row').filter({ hasText: 'Reason: Contract ended' }).first().waitFor();
    await page.getByRole('row').filter({ hasText: 'Set access until a date' }).first().waitFor();
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-lifecycle-audit');

    // the site's notices, beside the notification mail
    await page.goto(`/admin/o/${orgId}/products/acme/notifications`);
    const notices = page.getByRole('region', { name: 'Access notices' });
    await notices.waitFor();
    await notices.getByRole('textbox', { name: 'Revoke notice subject' }).fill('Your {{site.name}} access has ended');
    await notices.getByRole('button', { name: 'Save revoke notice' }).click();
    await statusMessage(page, 'Revoke notice saved.').waitFor();
    await notices.getByRole('heading', { name: 'Revoke notice (this site’s own)' }).waitFor();
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-lifecycle-notices');
    await page.context().close();
  });

  test('original, at 390 px: set access until for a selection; grant with a welcome-back notice', async () => {
    const page = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginStaffUI(page, portico.url, 'admin@globex.test');
    await page.waitForURL((u) => u.pathname !== '/login');
    await page.goto('/admin/s/globex/service-management');
    await customerRow(page, 'erin@customer.test').waitFor();

    await tick(page, 'Select erin@customer.test');
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Set access until…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Access until for 1 customer' });
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await dialog.getByLabel('Access until').fill(tomorrowLocal());
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-lifecycle-bulk-until-390');
    await dialog.getByRole('button', { name: 'Set date' }).click();
    await statusMessage(page, 'set for 1 customer').waitFor();
    await customerRow(page, 'erin@customer.test').filter({ hasText: 'Until ' }).waitFor();

    // revoke Erin, then grant her back with a welcome-back notice: the date is gone with the revoke
    await page.getByRole('button', { name: 'More actions for erin@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Revoke access' }).click();
    const revoke = page.getByRole('alertdialog', { name: /^Revoke access for / });
    await revoke.getByRole('button', { name: 'Revoke access' }).click();
    await statusMessage(page, 'Access revoked for').waitFor();
    await page.getByRole('button', { name: 'More actions for erin@customer.test' }).click();
    await page.getByRole('menuitem', { name: 'Grant access' }).click();
    const grant = page.getByRole('alertdialog', { name: /^Grant access for / });
    await tick(grant, 'Mail the customer a welcome-back notice');
    const grantBox = (await grant.boundingBox())!;
    expect(grantBox.x + grantBox.width).toBeLessThanOrEqual(390);
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-lifecycle-grant-390');
    await grant.getByRole('button', { name: 'Grant access' }).click();
    await statusMessage(page, 'Access granted for').waitFor();
    expect(await customerRow(page, 'erin@customer.test').textContent()).not.toContain('Until ');
    await page.context().close();
  });
});
