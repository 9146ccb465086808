/**
 * The inactivity policy in Chromium (docs/product.md#inactivity-policy): Ada opens the site's
 * Security tab on a phone (390 px, centralized experience), sees the dry run — who would be revoked
 * and who warned today — switches the policy on and saves. Runs on PostgreSQL so the test can make
 * two demo customers long inactive while Portico runs. Every state passes axe.
 */
import { describe, expect, test } from 'vitest';
import type pg from 'pg';
import type { Browser } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { queryDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { adaAtHerOverview, checkAccessibility, screenshot, tick } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;
let databaseUrl: string;
/** a statement on the file's PostgreSQL database */
const sql = { query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => queryDatabase<R>(databaseUrl, text, values) };

withPorticoAndBrowser(async (started, launched, url) => {
  [portico, browser, databaseUrl] = [started, launched, url!];
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  await sql.query('UPDATE accounts SET created_at = $1, last_active_at = $1 WHERE email_lower = $2', [ago(200), 'carol@customer.test']);
  await sql.query('UPDATE accounts SET created_at = $1, last_active_at = $1 WHERE email_lower = $2', [ago(85), 'alice@customer.test']);
}, 'postgres');

describe('inactivity policy in the admin console', () => {
  test('an admin sees the dry run, switches the policy on and saves (390 px)', async () => {
    const { page, orgId } = await adaAtHerOverview(browser, portico.url, { width: 390, height: 844 });
    await page.goto(`/admin/o/${orgId}/products/acme/security`);
    const section = page.getByRole('region', { name: 'Inactivity policy' });
    await section.getByRole('heading', { name: 'Would be revoked today: 1 customer' }).waitFor();
    await section.getByRole('heading', { name: 'Would be warned today: 1 customer' }).waitFor();
    await section.getByRole('table', { name: 'Would be revoked today' }).getByText('carol@customer.test').waitFor();
    await section.getByRole('table', { name: 'Would be warned today' }).getByText('alice@customer.test').waitFor();
    expect(await section.getByRole('checkbox', { name: 'Revoke inactive customers automatically' }).isChecked()).toBe(false);

    // a warning as long as the inactivity is refused before anything is sent
    await section.getByRole('textbox', { name: 'Warn by mail this many days before' }).fill('90');
    await section.getByText('Enter a whole number of days from 0 (no warning) to 89.').waitFor();
    await section.getByRole('textbox', { name: 'Warn by mail this many days before' }).fill('7');
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'inactivity-policy-dry-run-phone');

    await tick(section, 'Revoke inactive customers automatically');
    await section.getByRole('button', { name: 'Save inactivity policy' }).click();
    await section.getByRole('status').filter({ hasText: 'Saved. The policy is on.' }).waitFor();
    await checkAccessibility(page, { again: true });
    await screenshot(page, 'inactivity-policy-saved-phone');
    const saved = await sql.query<{ enabled: boolean; inactive_days: number; warn_days: number }>('SELECT enabled, inactive_days, warn_days FROM inactivity_policies');
    expect(saved.rows).toEqual([{ enabled: true, inactive_days: 90, warn_days: 7 }]);
  });
});
