/**
 * SAML 2.0 sign-in in Chromium (docs/product.md#identity-providers), against an identity provider on
 * loopback whose page posts a response signed with a key made for the run: the site admin pastes the
 * provider's metadata in the Security tab, tests it, and lets a SCIM delete delete customers; Alice,
 * on a phone, continues with Acme SAML, signs in there and is back signed in; Dave, whose access is
 * revoked, is refused with the message a wrong password gets.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { adaAtHerOverview, checkAccessibility, continueWithProviderOnAPhone, expectRefusedAtHelpCenter, expectSignedInToHelpCenter, screenshot } from './support/browser.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { startSamlIdp, type TestSamlIdp } from '../support/saml-idp.js';

let portico: RunningPortico;
let browser: Browser;
let idp: TestSamlIdp;

beforeAll(async () => {
  idp = await startSamlIdp({ users: { alice: { email: 'alice@customer.test', name: 'Alice Example' }, dave: { email: 'dave@customer.test', name: 'Dave Departed' } } });
});
afterAll(async () => {
  await idp?.close();
});

/** At the provider's page: who signs in; its next page posts the signed response to Portico. */
async function signInAtProvider(page: Page, login: string) {
  await page.waitForURL((u) => u.origin === idp.url);
  await page.getByRole('textbox', { name: 'Login' }).fill(login);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.origin === portico.url);
}

onDatabase('pglite', 'SAML sign-in', (database) => {
  withPorticoAndBrowser((started, launched) => {
    portico = started;
    browser = launched;
  }, database);

  it('the site admin pastes the SAML metadata in the Security tab, tests it, and lets a SCIM delete delete customers', async () => {
    const { page, orgId: org } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${org}/products/acme/security`);
    await page.getByRole('heading', { name: 'Identity provider', level: 2 }).waitFor();
    await page.locator('label', { has: page.getByRole('radio', { name: 'SAML 2.0' }) }).click();
    await page.getByText(`${portico.url}/s/acme/api/portal/sso/saml/acs`).waitFor();
    await page.getByRole('textbox', { name: 'Name on the sign-in button' }).fill('Acme SAML');
    await page.getByRole('textbox', { name: 'Metadata XML' }).fill(idp.metadataXml);
    await page.getByRole('button', { name: 'Save identity provider' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: `Read the metadata of ${idp.entityId}` }).waitFor();

    const scimDelete = page.getByRole('checkbox', { name: 'Deleting a user in the identity provider deletes the customer' });
    expect(await scimDelete.isChecked()).toBe(false);
    await page.locator('label', { has: scimDelete }).click();
    await page.getByRole('status').filter({ hasText: 'A SCIM delete now deletes the customer.' }).waitFor();
    await checkAccessibility(page);
    await screenshot(page, 'saml-security-tab');
    // both were saved: what the console reads back
    const saved = await page.evaluate(async () => ({
      idp: await (await fetch('/api/admin/sites/acme/identity-provider')).json(),
      scim: await (await fetch('/api/admin/sites/acme/scim')).json(),
    }));
    expect(saved.idp.provider).toMatchObject({ protocol: 'saml', displayName: 'Acme SAML', issuer: idp.entityId });
    expect(saved.scim.onDelete).toBe('delete');
    await page.context().close();
  });

  it('Alice on a phone continues with Acme SAML, signs in there and is back in the help center, signed in', async () => {
    const alice = await continueWithProviderOnAPhone(browser, portico.url, 'Acme SAML', (page) => signInAtProvider(page, 'alice'));
    await expectSignedInToHelpCenter(alice, 'alice@customer.test');
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await alice.context().close();
  });

  it('S20: Dave, whose access is revoked, signs in at the provider and is refused with the wrong-password message', async () => {
    const dave = await continueWithProviderOnAPhone(browser, portico.url, 'Acme SAML', (page) => signInAtProvider(page, 'dave'));
    await expectRefusedAtHelpCenter(dave);
    await screenshot(dave, 'saml-revoked-refused');
    await dave.context().close();
  });
});
