/**
 * Sign-in with a site's identity provider in Chromium (docs/product.md#identity-providers), against
 * a real OpenID Connect provider on loopback (oidc-provider): the site admin sets it up in the
 * Security tab and tests the connection; Alice, on a phone, presses "Continue with Acme Okta", signs
 * in at the provider and comes back signed in; Dave, whose access is revoked, signs in at the
 * provider too and is refused with the message a wrong password gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startPortico, type RunningPortico } from './support/server.js';
import { adaAtHerOverview, checkAccessibility, continueWithProviderOnAPhone, expectRefusedAtHelpCenter, expectSignedInToHelpCenter, launchBrowser, screenshot } from './support/browser.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

let portico: RunningPortico;
let idp: TestOidcProvider;
let browser: Browser;

beforeAll(async () => {
  portico = await startPortico({ env: { PORTICO_SECRET_KEY: 'e2e-oidc-key-0123456789abcdefghijklmnop', PORTICO_IDP_ALLOWED_HOSTS: '127.0.0.1' } });
  idp = await startOidcProvider({
    redirectUris: [`${portico.url}/s/acme/servicedesk/customer/user/sso/callback`],
    accounts: {
      alice: { email: 'alice@customer.test', email_verified: true, name: 'Alice Example' },
      dave: { email: 'dave@customer.test', email_verified: true, name: 'Dave Departed' },
    },
  });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await portico?.stop();
});

/** At the provider's own pages: its login form (any password), then its consent. */
async function signInAtProvider(page: Page, login: string) {
  await page.waitForURL((u) => u.origin === idp.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => u.origin !== idp.issuer || u.pathname.startsWith('/interaction/'));
  if (new URL(page.url()).origin === idp.issuer) await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => u.origin === portico.url);
}

describe('sign-in with the site\'s identity provider', () => {
  it('the site admin sets the provider up in the Security tab and tests the connection', { timeout: 120_000 }, async () => {
    const { page, orgId: org } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${org}/products/acme/security`);
    await page.getByRole('heading', { name: 'Identity provider', level: 2 }).waitFor();
    await page.getByRole('textbox', { name: 'Name on the sign-in button' }).fill('Acme Okta');
    await page.getByRole('textbox', { name: 'Issuer URL' }).fill(idp.issuer);
    await page.getByRole('textbox', { name: 'Client ID' }).fill(idp.clientId);
    await page.getByLabel(/^Client secret/).fill(idp.clientSecret);
    await page.getByRole('button', { name: 'Save identity provider' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: `Connected: ${idp.issuer}` }).waitFor();
    await checkAccessibility(page);
    await screenshot(page, 'oidc-security-tab');
    // the secret is never shown again
    await page.reload();
    await page.getByRole('heading', { name: 'Identity provider', level: 2 }).waitFor();
    expect(await page.getByLabel(/^Client secret/).inputValue()).toBe('');
    expect(await page.content()).not.toContain(idp.clientSecret);
    await page.context().close();
  });

  it('Alice on a phone continues with Acme Okta, signs in there and is back in the help center, signed in', { timeout: 120_000 }, async () => {
    const alice = await continueWithProviderOnAPhone(browser, portico.url, 'Acme Okta', (page) => signInAtProvider(page, 'alice'), async (login) => {
      await checkAccessibility(login);
      expect(await login.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(login, 'oidc-login-phone');
    });
    await expectSignedInToHelpCenter(alice, 'alice@customer.test');
    expect(alice.url()).not.toContain('code=');
    await checkAccessibility(alice);
    await alice.context().close();
  });

  it('S20: Dave, whose access is revoked, signs in at the provider and is refused with the wrong-password message', { timeout: 120_000 }, async () => {
    const dave = await continueWithProviderOnAPhone(browser, portico.url, 'Acme Okta', (page) => signInAtProvider(page, 'dave'));
    await expectRefusedAtHelpCenter(dave);
    await checkAccessibility(dave);
    expect(await dave.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(dave, 'oidc-revoked-refused');
    await dave.context().close();
  });
});
