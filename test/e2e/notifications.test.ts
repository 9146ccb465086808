/**
 * Request notifications in Chromium, against a real SMTP server on loopback: an admin edits the
 * site's notification mail template and previews it in the admin console, an agent's reply is mailed
 * from that template, and a customer stops the request's mail from the link in it — on a phone-sized
 * screen — turns it back on, and stops it again. Runs its own Portico with SMTP_URL set.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withMailingPorticoAndBrowser } from './support/lifecycle.js';
import { checkAccessibility, loginStaffUI, newPage, screenshot } from './support/browser.js';
import type { ReceivedMail, TestSmtpServer } from '../support/smtp.js';

let portico: RunningPortico;
let browser: Browser;
let smtp: TestSmtpServer;

withMailingPorticoAndBrowser((started, launched, mail) => {
  [portico, browser, smtp] = [started, launched, mail];
});

/** The agent's public reply, over the same JSON API the agent's screen uses. */
async function replyAsAgent(key: string, body: string): Promise<void> {
  const login = await fetch(`${portico.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'agent@acme.test', password: 'portico-demo' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${portico.url}/s/acme/api/agent/requests/${key}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ body, public: true }),
  });
  expect(res.status).toBe(201);
}

const mailTo = (address: string, containing: string): Promise<ReceivedMail> => smtp.mailTo(address, containing);

describe('notification mail', () => {
  it("an admin edits and previews the site's template in the admin console; the next mail is written from it", { timeout: 180_000 }, async () => {
    const page = await newPage(browser, portico.url);
    await loginStaffUI(page, portico.url, 'admin@acme.test');
    await page.waitForURL((u) => /^\/admin\/o\/[^/]+\/overview$/.test(u.pathname));
    const org = new URL(page.url()).pathname.split('/')[3];
    // centralized experience: Products › the site › Notification mail
    await page.goto(`/admin/o/${org}/products/acme`);
    await page.getByRole('link', { name: 'Notification mail' }).click();
    await page.waitForURL((u) => u.pathname === `/admin/o/${org}/products/acme/notifications`);
    await page.getByRole('heading', { name: 'Notification mail', level: 2 }).waitFor();
    await page.getByText('The built-in template is in use.').waitFor();
    // the built-in template, previewed as it stands
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('[Acme Support] HELP-42: The printer on floor 3 is jammed');
    await page.frameLocator('iframe[title="HTML part of the preview"]').getByRole('link', { name: 'Stop mail about this request' }).waitFor();
    await checkAccessibility(page);

    const subject = page.getByLabel('Subject', { exact: true });
    await subject.fill('{{request.key}} news from {{site.name}}');
    const text = page.getByLabel('Plain-text part', { exact: true });
    await text.fill('Hi {{recipient.name}}.{{#commented}} {{actor.name}} says: {{comment.body}}{{/commented}}\nOpen: {{request.url}}\nStop: {{unsubscribeUrl}}');
    // a broken template is refused, naming the part
    const html = page.getByLabel('HTML part', { exact: true });
    await html.fill('<p>{{{comment.body}}}</p>');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'unescaped' }).first().waitFor();
    await html.fill('<p>Hi {{recipient.name}}</p>{{#commented}}<blockquote>{{comment.body}}</blockquote>{{/commented}}<p><a href="{{request.url}}">Open {{request.key}}</a></p>');

    await page.getByRole('button', { name: 'Preview as' }).click();
    await page.getByRole('option', { name: 'A public reply' }).click();
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('HELP-42 news from Acme Support');
    expect(await page.getByTestId('preview-text').textContent()).toContain('Hi Alex Customer. Sam Agent says: We have ordered a new drum.');
    const frame = page.frameLocator('iframe[title="HTML part of the preview"]');
    await frame.getByRole('link', { name: 'Open HELP-42' }).waitFor();
    await screenshot(page, 'notifications-01-template-preview');

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved. The next notification uses this template.').waitFor();
    await page.getByText('This site uses its own template.').waitFor();
    await screenshot(page, 'notifications-02-template-saved');
    await page.context().close();

    await replyAsAgent('HELP-1', 'Your VPN token was reset.');
    const mail = await mailTo('alice@customer.test', 'Your VPN token was reset.');
    expect(mail.subject).toBe('HELP-1 news from Acme Support');
    expect(mail.text).toContain('Hi Alice Example. Sam Agent says: Your VPN token was reset.');
    expect(mail.html).toContain('<blockquote>Your VPN token was reset.</blockquote>');
    expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it("a customer stops a request's mail from the link in it on a phone, turns it back on, and stops it again; then only the others are mailed", { timeout: 180_000 }, async () => {
    const mail = await mailTo('alice@customer.test', 'Your VPN token was reset.');
    const link = /Stop: (\S+)/.exec(mail.text)![1];
    expect(link.startsWith(`${portico.url}/s/acme/servicedesk/customer/unsubscribe?token=`)).toBe(true);

    const page = await newPage(browser, portico.url, { width: 390, height: 844 });
    await page.goto(link); // no login
    await page.getByRole('heading', { level: 1, name: 'Mail about a request' }).waitFor();
    await page.getByText('You will get no more mail about HELP-1.').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'notifications-03-unsubscribed-phone');

    await page.getByRole('button', { name: 'Turn mail about HELP-1 back on' }).click();
    await page.getByText('You will get mail about HELP-1 again.').waitFor();
    await screenshot(page, 'notifications-04-resubscribed-phone');
    await page.getByRole('button', { name: 'Stop mail about HELP-1' }).click();
    await page.getByText('You will get no more mail about HELP-1.').waitFor();
    await page.context().close();

    await replyAsAgent('HELP-1', 'One more thing.');
    await mailTo('bob@customer.test', 'One more thing.');
    // Bob's mail and Alice's would have been queued together: give delivery a moment more, then look
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.received.some((m) => m.to.includes('alice@customer.test') && m.text.includes('One more thing.'))).toBe(false);

    // a link that is not the site's says so
    const bad = await newPage(browser, portico.url, { width: 390, height: 844 });
    await bad.goto('/s/acme/servicedesk/customer/unsubscribe?token=forged.token');
    await bad.getByRole('alert').filter({ hasText: 'This link is no longer valid.' }).waitFor();
    await screenshot(bad, 'notifications-05-invalid-link-phone');
    await bad.context().close();
  });
});
