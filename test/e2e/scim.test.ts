/**
 * SCIM provisioning end to end (docs/product.md#scim-provisioning): the org admin creates a SCIM
 * token in the site's Security tab (shown once), an identity provider deprovisions Alice with it over
 * HTTP, and the admin sees her access revoked in the customer list and the "SCIM (Okta)" entry in the
 * audit log. The Security tab passes axe at a desktop and at 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startPortico, type RunningPortico } from './support/server.js';
import { adaAtHerOverview, checkAccessibility, launchBrowser, screenshot } from './support/browser.js';

let portico: RunningPortico;
let browser: Browser;

beforeAll(async () => {
  portico = await startPortico();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await portico?.stop();
});

async function scim(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${portico.url}/s/acme/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/scim+json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  return { status: res.status, body: (await res.json()) as any };
}

describe('SCIM in the admin console', () => {
  it('the admin creates a token in the Security tab; a SCIM client deprovisions Alice; the admin sees her revoked and the SCIM audit entry', { timeout: 180_000 }, async () => {
    const { page, orgId: org } = await adaAtHerOverview(browser, portico.url);
    await page.goto(`/admin/o/${org}/products/acme/security`);
    await page.getByRole('heading', { name: 'SCIM provisioning', level: 2 }).waitFor();
    await page.getByRole('textbox', { name: 'Token label' }).fill('Okta');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('scim-token').textContent())!.trim();
    expect(token).toMatch(/^scim_/);
    await page.getByRole('row').filter({ hasText: 'Okta' }).waitFor();
    await checkAccessibility(page);
    await screenshot(page, 'scim-security-tab');

    const found = await scim(token, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alice@customer.test"')}`);
    expect(found.status).toBe(200);
    const alice = found.body.Resources[0].id as string;
    const off = await scim(token, 'PATCH', `/Users/${alice}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    await page.goto(`/admin/o/${org}/products/acme/portal-customers`);
    await page.getByText('Alice Example (Deactivated)').first().waitFor();
    await screenshot(page, 'scim-customer-revoked');
    await page.goto(`/admin/o/${org}/audit-log`);
    await page.getByRole('row').filter({ hasText: 'SCIM (Okta)' }).first().waitFor();
    await checkAccessibility(page);
    await screenshot(page, 'scim-audit-log');
    await page.context().close();

    const { page: phone } = await adaAtHerOverview(browser, portico.url, { width: 390, height: 844 });
    await phone.goto(`/admin/o/${org}/products/acme/security`);
    await phone.getByRole('heading', { name: 'SCIM provisioning', level: 2 }).waitFor();
    await checkAccessibility(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'scim-security-tab-phone');
    await phone.context().close();
  });
});
