/**
 * Access reviews in Chromium (docs/product.md#access-reviews): in the centralized experience Ada
 * starts a review of the customers inactive for more than 90 days (Alice and Bob, made long inactive
 * here), goes through them with the keyboard — R revokes Alice, Shift+K keeps Bob — completes it, and
 * reads the report, where she is "Alice Example (Deactivated)", and its CSV — on a phone (390 px).
 * The original experience's site navigation lists the same page (walkthrough.test.ts). Runs on
 * PostgreSQL so the test can age two demo customers while Portico runs. Every state passes axe.
 */
import { describe, expect, test } from 'vitest';
import type pg from 'pg';
import type { Browser } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { queryDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { adaAtHerOverview, checkAccessibility, screenshot } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;
let databaseUrl: string;
/** a statement on the file's PostgreSQL database */
const sql = { query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => queryDatabase<R>(databaseUrl, text, values) };

withPorticoAndBrowser(async (started, launched, url) => {
  [portico, browser, databaseUrl] = [started, launched, url!];
  const ago = new Date(Date.now() - 200 * 86_400_000);
  await sql.query(
    `UPDATE accounts SET created_at = $1, last_active_at = $1 WHERE email_lower IN ('alice@customer.test', 'bob@customer.test') AND site_id = (SELECT id FROM sites WHERE slug = 'acme')`,
    [ago],
  );
}, 'postgres');

describe('access reviews in the admin console (postgres)', () => {
  test('Ada, on a phone, reviews two inactive customers with the keyboard, completes the review and sees Alice deactivated in the report', async () => {
    const { page, orgId } = await adaAtHerOverview(browser, portico.url, { width: 390, height: 844 });
    await page.goto(`/admin/o/${orgId}/products/acme/access-reviews`);
    await page.getByRole('heading', { name: 'Access reviews' }).waitFor();

    await page.getByRole('button', { name: 'Start review' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start an access review' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Q4 review');
    await dialog.getByRole('button', { name: /Customers/ }).first().click();
    await page.getByRole('option', { name: 'Inactive for more than 90 days' }).click();
    await dialog.getByRole('button', { name: 'Start review' }).click();

    await page.getByRole('heading', { name: 'Q4 review' }).waitFor();
    await page.getByText('0 of 2 decided').waitFor();
    const list = page.getByRole('group', { name: 'Customers to review' });
    const alice = list.getByRole('group', { name: /^Alice Example: / });
    await alice.focus();
    await page.keyboard.press('r');
    await list.getByRole('group', { name: 'Alice Example: Revoke' }).waitFor();
    // the next customer has the focus: Shift+K keeps Bob
    await page.keyboard.press('Shift+K');
    await list.getByRole('group', { name: 'Bob Builder: Keep' }).waitFor();
    await page.getByText('2 of 2 decided').waitFor();
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-review-decided-phone');

    await page.getByRole('button', { name: 'Complete review' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Complete this review?' });
    await confirm.getByRole('button', { name: 'Complete and apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Review completed: 1 revoked, 1 kept' }).waitFor();
    const report = page.getByRole('table', { name: 'Report: who decided what, and when' });
    await report.getByRole('row').filter({ hasText: 'Alice Example (Deactivated)' }).filter({ hasText: 'Revoked' }).waitFor();
    await report.getByRole('row').filter({ hasText: 'Bob Builder' }).filter({ hasText: 'Kept' }).waitFor();
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'access-review-report-phone');

    const csv = await page.request.get(`${portico.url}${await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toMatch(/"Alice Example \(Deactivated\)","alice@customer\.test","Revoke","Ada Admin","[^"]+","Revoked"/);

    const audit = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'customer.access.revoked' AND details->'accessReview'->>'name' = 'Q4 review'`);
    expect(audit.rows[0].n).toBe(1);
  });
});
