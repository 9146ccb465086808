/**
 * Webhooks in the admin console (docs/product.md#webhooks), against the built server with its job
 * runner and a real endpoint on loopback (allowed with PORTICO_WEBHOOK_ALLOWED_HOSTS): the org
 * admin adds an endpoint and sees its secret once, revokes a customer, sees the delivery in the
 * log and resends it; the endpoint verifies every signature with standardwebhooks' Webhook.verify.
 * Axe finds nothing; the screen works at 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { startPortico, type RunningPortico } from './support/server.js';
import { adaAtHerOverview, checkAccessibility, followLink, launchBrowser, screenshot } from './support/browser.js';

const CAROL = 'carol@customer.test';
const CAROL_NAME = 'Carol Customer';

let portico: RunningPortico;
let browser: Browser;
let receiver: Server;
let receiverUrl = '';
let secret = '';
const received: Array<{ id: string; type: string; verified: boolean }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ id: String(req.headers['webhook-id']), type: JSON.parse(body).type, verified });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/portico-events`;
  portico = await startPortico({ env: { PORTICO_SECRET_KEY: 'e2e-webhooks-key-0123456789abcdefghijklm', PORTICO_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await portico?.stop();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

describe('webhooks in the admin console', () => {
  it('the org admin adds an endpoint, revokes a customer, sees the delivery in the log and resends it (axe clean, 390 px)', { timeout: 150_000 }, async () => {
    const { page, orgId: org } = await adaAtHerOverview(browser, portico.url, { width: 390, height: 844 });

    await followLink(page, 'Webhooks', 'Webhooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(receiverUrl);
    await page.getByRole('textbox', { name: 'Description' }).fill('Access sync');
    await checkAccessibility(page);
    await screenshot(page, 'webhooks-new-endpoint');
    await page.getByRole('button', { name: 'Add endpoint' }).last().click();

    const secretRegion = page.getByRole('region', { name: `Signing secret of ${receiverUrl}` });
    await secretRegion.waitFor();
    secret = (await secretRegion.getByLabel('Signing secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await checkAccessibility(page);
    await screenshot(page, 'webhooks-secret-once');
    await secretRegion.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Webhook endpoints' }).textContent()).toContain(receiverUrl);
    // the secret is gone from the page and never comes back
    await page.reload();
    await page.getByRole('table', { name: 'Webhook endpoints' }).waitFor();
    expect(await page.content()).not.toContain(secret);

    // revoke Carol in the site's portal customers
    await page.goto(`/admin/o/${org}/products/acme/portal-customers`);
    await page.getByRole('button', { name: `More actions for ${CAROL}` }).click();
    await page.getByRole('menuitem', { name: 'Revoke access' }).click();
    const dialog = page.getByRole('alertdialog', { name: `Revoke access for ${CAROL_NAME}?` });
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByRole('status').filter({ hasText: `Access revoked for ${CAROL_NAME}.` }).waitFor();

    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    expect(received[0]).toMatchObject({ type: 'customer.access.revoked', verified: true });

    // the delivery log shows it delivered; resend sends the same message again
    await page.goto(`/admin/o/${org}/webhooks`);
    await page.getByRole('button', { name: `Deliveries to ${receiverUrl}` }).click();
    const log = page.getByRole('table', { name: `Deliveries to ${receiverUrl}, newest first` });
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain('Delivered');
    expect(await log.textContent()).toContain('Access revoked');
    await checkAccessibility(page);
    await screenshot(page, 'webhooks-delivery-log');
    await log.getByRole('button', { name: /^Resend Access revoked/ }).first().click();
    await page.getByRole('status').filter({ hasText: 'Sent again' }).waitFor();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1]).toMatchObject({ id: received[0]!.id, type: 'customer.access.revoked', verified: true });
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain('Access revoked (resent)');
    await checkAccessibility(page);
    await screenshot(page, 'webhooks-resent');
    // nothing of the page is wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.context().close();
  });
});
