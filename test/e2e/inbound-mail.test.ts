/**
 * Requests by email in Chromium, against a real Dovecot and a real SMTP server on loopback, read by
 * the server's own poller: an admin sets the HELP project's mailbox in the admin console, Dave
 * (revoked) mails it, and the admin sees the refusal in the log on the same screen — at desktop
 * width and on a 390 px phone — while Dave alone gets one neutral answer; files are attached in the
 * help center and the agent view; Alice's reply by mail becomes her comment and Bob is mailed. Runs
 * its own Portico with PORTICO_SECRET_KEY and a fast poll.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startPortico, type RunningPortico } from './support/server.js';
import { checkAccessibility, launchBrowser, loginCustomerUI, loginStaffUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';
import { TestSmtpServer } from '../support/smtp.js';
import { TestImapServer, rawMail } from '../support/dovecot.js';

const HELP_BOX = { user: 'help@acme.test', password: 'mailbox-password-1' };

let portico: RunningPortico;
let browser: Browser;
let smtp: TestSmtpServer;
let imap: TestImapServer;

beforeAll(async () => {
  [smtp, imap] = await Promise.all([TestSmtpServer.start(), TestImapServer.start([HELP_BOX])]);
  portico = await startPortico({
    env: {
      SMTP_URL: smtp.url,
      PORTICO_JOB_POLL_SECONDS: '0.5',
      PORTICO_MAIL_RETRY_DELAY_SECONDS: '1',
      PORTICO_SECRET_KEY: 'e2e-secret-key-0123456789abcdefghijklmnop',
      PORTICO_MAILBOX_POLL_SECONDS: '1',
      // Dovecot is on loopback: allowed explicitly (docs/security.md, E7)
      PORTICO_MAILBOX_ALLOWED_HOSTS: '127.0.0.1',
    },
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portico?.stop();
  await smtp?.down();
  await imap?.stop();
});

const eventually = <T,>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 200 });

async function openEmailRequests(page: Page): Promise<void> {
  await loginStaffUI(page, portico.url, 'admin@acme.test');
  await page.waitForURL((u) => /^\/admin\/o\/[^/]+\/overview$/.test(u.pathname));
  const org = new URL(page.url()).pathname.split('/')[3];
  // centralized experience: Products › the site › Email requests
  await page.goto(`/admin/o/${org}/products/acme`);
  await page.getByRole('link', { name: 'Email requests' }).click();
  await page.waitForURL((u) => u.pathname === `/admin/o/${org}/products/acme/email`);
  await page.getByRole('heading', { name: 'Email requests', level: 2 }).waitFor();
}

describe('email requests in the admin console', () => {
  it("an admin sets HELP's mailbox; Dave's mail is refused, listed in the log with why, and answered once to him alone", { timeout: 180_000 }, async () => {
    const page = await newPage(browser, portico.url);
    await openEmailRequests(page);
    await page.getByRole('button', { name: 'Set the mailbox of IT Help' }).click();
    await page.getByRole('textbox', { name: 'IMAP server', exact: true }).fill('127.0.0.1');
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(imap.port));
    await page.getByRole('button', { name: /Security/ }).click();
    await page.getByRole('option', { name: /^No TLS/ }).click();
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(HELP_BOX.user);
    await page.getByLabel(/^Password/).fill(HELP_BOX.password);
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Save mailbox' }).click();
    await page.getByText('The mailbox of IT Help is saved.').waitFor();
    const helpRow = page.getByRole('row').filter({ hasText: 'IT Help (HELP)' });
    await expect.poll(() => helpRow.textContent()).toContain(`help@acme.test at 127.0.0.1:${imap.port} (no TLS), INBOX`);

    const sentBefore = smtp.received.length;
    await imap.append(HELP_BOX, rawMail({ From: 'Dave Departed <dave@customer.test>', To: HELP_BOX.user, Subject: 'Please restore my access', 'Message-ID': '<dave-e2e-1@customer.test>' }, 'Hello?'));
    // the server's own poller reads it within seconds and the screen shows it on the next load: the
    // message in the log as soon as it is handled, the mailbox's "Last checked" once the poll has
    // handled every message (a load between the two shows the one without the other), so both are
    // waited for on the same load
    await eventually(async () => {
      await page.reload();
      await page.getByRole('row').filter({ hasText: 'Please restore my access' }).waitFor({ timeout: 2000 });
      expect(await helpRow.textContent()).not.toContain('Not yet');
    });
    const logged = page.getByRole('row').filter({ hasText: 'Please restore my access' });
    expect(await logged.textContent()).toContain('dave@customer.test');
    expect(await logged.textContent()).toContain("the sender's account is revoked");
    expect(await logged.textContent()).toContain('HELP');
    await checkAccessibility(page);
    await screenshot(page, 'inbound-mail-admin-desktop');

    // one neutral answer, to Dave only; no request was raised
    const answer = await eventually(() => {
      const mails = smtp.received.slice(sentBefore);
      expect(mails).toHaveLength(1);
      return mails[0]!;
    });
    expect(answer.to).toEqual(['dave@customer.test']);
    expect(answer.subject).toBe('Your message to Acme Support was not accepted');
    await page.context().close();
  });

  it('at 390 px (a phone) the same screen fits: no sideways scrolling of the page, the log readable', { timeout: 120_000 }, async () => {
    const page = await newPage(browser, portico.url, { width: 390, height: 844 });
    await openEmailRequests(page);
    await page.getByRole('row').filter({ hasText: 'Please restore my access' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Set the mailbox of IT Help' }).click();
    await page.getByRole('textbox', { name: 'IMAP server', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkAccessibility(page);
    await screenshot(page, 'inbound-mail-admin-phone');
    await page.context().close();
  });

  it('Alice attaches a file to her request in the help center; Sam sees it in the agent view, downloads it and attaches one of his own', { timeout: 120_000 }, async () => {
    const alice = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
    await alice.goto('/s/acme/servicedesk/customer/portal/1/HELP-1');
    await alice.getByRole('heading', { name: 'Attachments' }).waitFor();
    await alice.locator('input[type=file]').setInputFiles({ name: 'vpn-error.txt', mimeType: 'text/plain', buffer: Buffer.from('error 809 at 09:14') });
    await alice.getByText('vpn-error.txt is attached.').waitFor();
    await alice.getByRole('link', { name: 'vpn-error.txt' }).waitFor();
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkAccessibility(alice);
    await screenshot(alice, 'inbound-mail-portal-attachment-phone');
    await alice.context().close();

    const sam = await samAtHisProjects(browser, portico.url);
    await sam.goto('/s/acme/browse/HELP-1');
    const link = sam.getByRole('link', { name: 'vpn-error.txt' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    const downloaded = await sam.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(downloaded).toBe('error 809 at 09:14');
    await sam.locator('input[type=file]').setInputFiles({ name: 'fix.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 steps') });
    await sam.getByText('fix.pdf is attached.').waitFor();
    // a type a browser would run is refused with a clear message
    await sam.locator('input[type=file]').setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<script>1</script>') });
    await sam.getByText("Files of type 'text/html' cannot be attached.", { exact: false }).waitFor();
    await checkAccessibility(sam);
    await screenshot(sam, 'inbound-mail-agent-attachments');
    await sam.context().close();
  });

  it("Alice's reply by mail to a notification lands as her comment on the request (seen in Chromium), and Bob, a participant, is mailed about it", { timeout: 120_000 }, async () => {
    // Sam replies on HELP-1 (Alice reports it, Bob participates): both get a notification mail
    const login = await fetch(`${portico.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'agent@acme.test', password: 'portico-demo' }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const reply = await fetch(`${portico.url}/s/acme/api/agent/requests/HELP-1/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ body: 'Please try the new VPN profile.', public: true }),
    });
    expect(reply.status).toBe(201);
    const notification = await eventually(() => {
      const mail = smtp.received.find((m) => m.to.includes('alice@customer.test') && m.text.includes('Please try the new VPN profile.'));
      expect(mail).toBeDefined();
      return mail!;
    });

    // Alice answers from her mail program: it arrives in the HELP mailbox
    const sentBefore = smtp.received.length;
    await imap.append(
      HELP_BOX,
      rawMail(
        { From: 'Alice Example <alice@customer.test>', To: HELP_BOX.user, Subject: `Re: ${notification.subject}`, 'Message-ID': '<alice-e2e-reply@customer.test>', 'In-Reply-To': notification.messageId, References: `${notification.header('References')} ${notification.messageId}` },
        'The new profile works, thank you!\n\nOn Thu, Sam Agent wrote:\n> Please try the new VPN profile.',
      ),
    );
    // (Bob's mail about Sam's reply may arrive after Alice's: his mail about her reply is the one that quotes it)
    const bobMail = await eventually(() => {
      const mail = smtp.received.find((m) => m.to.includes('bob@customer.test') && m.text.includes('The new profile works, thank you!'));
      expect(mail).toBeDefined();
      return mail!;
    });
    expect(bobMail.text).toContain('Alice Example');
    // Alice is not mailed her own comment
    expect(smtp.received.slice(sentBefore).filter((m) => m.to.includes('alice@customer.test'))).toEqual([]);

    const page = await newPage(browser, portico.url);
    await loginCustomerUI(page, portico.url, 'acme', 'alice@customer.test');
    await page.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
    await page.goto('/s/acme/servicedesk/customer/portal/1/HELP-1');
    const comments = page.getByRole('list', { name: 'Comments' });
    await comments.getByText('The new profile works, thank you!').waitFor();
    expect(await comments.textContent()).not.toContain('On Thu, Sam Agent wrote');
    await checkAccessibility(page);
    await screenshot(page, 'inbound-mail-reply-as-comment');
    await page.context().close();
  });
});

