/**
 * Sign-up and invitations in Chromium, against a real SMTP server on loopback: Globex's admin turns
 * sign-up on in the admin console; a stranger signs up on a phone-sized screen, confirms from the
 * mail the SMTP server caught, and raises a request on the open portal; an agent of Acme invites
 * three customers, one of them revoked, and one of the two invited sets a password from the mail; a
 * customer who forgot her password chooses a new one from the reset mail. Runs its own Portico with
 * SMTP_URL set.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

const mailTo = (address: string, containing: string): Promise<ReceivedMail> => smtp.mailTo(address, containing);

/** The link of a mail to the help center's page `page` (set-password, reset-password). */
function linkIn(mail: ReceivedMail, page = 'set-password'): string {
  const m = new RegExp(`(http://\\S+/${page}\\?token=\\S+)`).exec(mail.text);
  expect(m, mail.text).not.toBeNull();
  return m![1];
}

async function fitsThePhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

describe('sign-up', () => {
  it("an admin turns sign-up on; a stranger signs up on a phone, confirms from the mail and raises a request on the open portal", { timeout: 240_000 }, async () => {
    // Globex uses the original experience: the site admin's Customer sign-up
    const admin = await newPage(browser, portico.url);
    await loginStaffUI(admin, portico.url, 'admin@globex.test');
    await admin.waitForURL((u) => u.pathname.startsWith('/admin'));
    await admin.goto('/admin/s/globex');
    await admin.getByRole('link', { name: 'Customer sign-up' }).click();
    await admin.waitForURL((u) => u.pathname === '/admin/s/globex/signup');
    await admin.getByRole('heading', { name: 'Customer sign-up', level: 2 }).waitFor();
    const anyone = admin.getByRole('checkbox', { name: 'Anyone may sign up in the help center' });
    expect(await anyone.isChecked()).toBe(false);
    await anyone.check({ force: true });
    await admin.getByLabel('Limit sign-up to these email domains').fill('example.test');
    await admin.getByRole('button', { name: 'Save sign-up settings' }).click();
    await admin.getByText('Saved.').waitFor();
    await checkAccessibility(admin);
    await screenshot(admin, 'signup-01-admin-settings');
    await admin.context().close();

    const stranger = await newPage(browser, portico.url, { width: 390, height: 844 });
    await stranger.goto('/s/globex/servicedesk/customer/user/login');
    await stranger.getByRole('link', { name: 'Sign up for an account' }).click();
    await stranger.waitForURL((u) => u.pathname === '/s/globex/servicedesk/customer/user/signup');
    await stranger.getByRole('heading', { name: 'Sign up', level: 1 }).waitFor();
    // a domain the site does not take is refused on the form
    await stranger.getByLabel('Email').fill('stella@elsewhere.test');
    await stranger.getByLabel('Full name').fill('Stella Stranger');
    await stranger.getByRole('button', { name: 'Sign up' }).click();
    await stranger.getByText(/limited to email addresses of certain domains/).waitFor();
    await stranger.getByLabel('Email').fill('Stella@Example.test');
    await stranger.getByRole('button', { name: 'Sign up' }).click();
    await stranger.getByText('Check your mail: we sent a link to confirm your email address and choose a password.').waitFor();
    await fitsThePhone(stranger);
    await checkAccessibility(stranger);
    await screenshot(stranger, 'signup-02-check-your-mail-phone');

    const mail = await mailTo('stella@example.test', 'choose your password');
    expect(mail.subject).toBe('Confirm your email for the Globex Service Desk help center');
    // not yet confirmed: the login form refuses every password
    await stranger.goto('/s/globex/servicedesk/customer/user/login');
    await stranger.getByLabel('Email').fill('stella@example.test');
    await stranger.getByLabel('Password', { exact: true }).fill('stella-picks-a-good-one');
    await stranger.getByRole('button', { name: 'Log in' }).click();
    await stranger.getByText('Incorrect email or password.').waitFor();

    await stranger.goto(linkIn(mail));
    await stranger.getByRole('heading', { name: 'Choose your password', level: 1 }).waitFor();
    await stranger.getByText('Stella@Example.test').waitFor();
    await stranger.getByLabel('Password', { exact: true }).fill('stella-picks-a-good-one');
    await stranger.getByLabel('Confirm password').fill('stella-picks-a-good-one');
    await fitsThePhone(stranger);
    await checkAccessibility(stranger);
    await screenshot(stranger, 'signup-03-choose-password-phone');
    await stranger.getByRole('button', { name: 'Set password and log in' }).click();
    await stranger.waitForURL((u) => u.pathname === '/s/globex/servicedesk/customer/portals');

    await stranger.getByRole('link', { name: 'Globex Support' }).click();
    await stranger.getByRole('link', { name: /Ask a question/ }).click();
    await stranger.getByRole('heading', { level: 1, name: 'Ask a question' }).waitFor();
    await stranger.getByRole('textbox', { name: 'Summary' }).fill('Where do I find my contract?');
    await stranger.getByRole('button', { name: 'Send' }).click();
    await stranger.getByRole('heading', { level: 1, name: 'Where do I find my contract?' }).waitFor();
    await fitsThePhone(stranger);
    await screenshot(stranger, 'signup-04-first-request-phone');

    // the link worked once
    await stranger.goto(linkIn(mail));
    await stranger.getByText('This link is no longer valid.').waitFor();
    await stranger.context().close();
  });
});

describe('a help center that needs no login', () => {
  it('an admin lets visitors browse; a visitor reads the open portal and an article on a phone, and raising a request asks them to log in', { timeout: 240_000 }, async () => {
    const admin = await newPage(browser, portico.url);
    await loginStaffUI(admin, portico.url, 'admin@globex.test');
    await admin.waitForURL((u) => u.pathname.startsWith('/admin'));
    await admin.goto('/admin/s/globex/signup');
    await admin.getByRole('checkbox', { name: 'Visitors may browse the help center without logging in' }).check({ force: true });
    await admin.getByRole('button', { name: 'Save sign-up settings' }).click();
    await admin.getByText('Saved.').waitFor();
    await admin.context().close();

    const visitor = await newPage(browser, portico.url, { width: 390, height: 844 });
    await visitor.goto('/s/globex/servicedesk/customer/portals');
    await visitor.getByRole('heading', { level: 1, name: 'Welcome to the Globex Service Desk help center' }).waitFor();
    await visitor.getByRole('link', { name: 'Log in' }).waitFor();
    await visitor.getByRole('link', { name: 'Sign up' }).waitFor();
    expect(await visitor.getByRole('link', { name: 'My requests' }).count()).toBe(0);
    await fitsThePhone(visitor);
    await checkAccessibility(visitor);
    await screenshot(visitor, 'signup-07-visitor-portals-phone');
    await visitor.getByRole('link', { name: 'Globex Support' }).click();
    await visitor.getByRole('heading', { level: 1, name: 'Globex Support' }).waitFor();
    await visitor.getByLabel('Search the knowledge base').fill('billing');
    await visitor.getByRole('link', { name: 'Update your billing address' }).click();
    await visitor.getByRole('heading', { level: 1, name: 'Update your billing address' }).waitFor();
    await fitsThePhone(visitor);
    await checkAccessibility(visitor);
    await screenshot(visitor, 'signup-08-visitor-article-phone');
    await visitor.goBack();
    await visitor.getByRole('link', { name: /Ask a question/ }).click();
    await visitor.waitForURL((u) => u.pathname === '/s/globex/servicedesk/customer/user/login');
    expect(new URL(visitor.url()).searchParams.get('next')).toMatch(/\/create\//);
    // a restricted site (Acme) still sends visitors to its login page
    await visitor.goto('/s/acme/servicedesk/customer/portals');
    await visitor.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/user/login');
    await visitor.context().close();
  });
});

describe('invitations', () => {
  it('an agent invites three customers, one revoked, and sees a result per address; one of the invited sets a password and is in', { timeout: 240_000 }, async () => {
    const agent = await newPage(browser, portico.url);
    await loginStaffUI(agent, portico.url, 'agent@acme.test');
    await agent.waitForURL((u) => !u.pathname.startsWith('/login'));
    await agent.goto('/s/acme/jira/servicedesk/projects/HELP/customers');
    await agent.getByRole('button', { name: 'Invite customers' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Invite customers' });
    await dialog.getByLabel('Email addresses').fill('nina@newcomer.test,\nOscar@Newcomer.test\ndave@customer.test');
    await checkAccessibility(agent);
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    await dialog.getByText('2 invitations sent.').waitFor();
    const results = dialog.getByRole('table', { name: 'Invitation results' });
    await expect.poll(() => results.getByRole('row').count()).toBe(4);
    expect(await results.getByRole('row', { name: /nina@newcomer.test/ }).innerText()).toContain('Invited');
    expect(await results.getByRole('row', { name: /Oscar@Newcomer.test/ }).innerText()).toContain('Invited');
    const dave = await results.getByRole('row', { name: /dave@customer.test/ }).innerText();
    expect(dave).toContain('Not invited');
    expect(dave).toContain('their access to this help center is revoked');
    await checkAccessibility(agent);
    await screenshot(agent, 'signup-05-invitation-results');
    await dialog.getByRole('button', { name: 'Done' }).click();
    // the invited are customers of HELP now
    await agent.getByRole('table', { name: /Customers of/ }).getByText('nina@newcomer.test').first().waitFor();
    await agent.context().close();

    const mail = await mailTo('oscar@newcomer.test', 'invited you');
    expect(mail.subject).toBe('You are invited to the Acme Support help center');
    await mailTo('nina@newcomer.test', 'invited you');

    const oscar = await newPage(browser, portico.url, { width: 390, height: 844 });
    await oscar.goto(linkIn(mail));
    await oscar.getByRole('heading', { name: 'Accept your invitation', level: 1 }).waitFor();
    await oscar.getByLabel('Password', { exact: true }).fill('oscar-accepts-today');
    await oscar.getByLabel('Confirm password').fill('oscar-accepts-today');
    await fitsThePhone(oscar);
    await checkAccessibility(oscar);
    await screenshot(oscar, 'signup-06-accept-invitation-phone');
    await oscar.getByRole('button', { name: 'Set password and log in' }).click();
    await oscar.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');
    await oscar.getByRole('link', { name: 'Acme IT Help Center' }).waitFor();
    await fitsThePhone(oscar);
    await oscar.context().close();

    // nothing ever went to Dave
    expect(smtp.received.filter((m) => m.to.includes('dave@customer.test'))).toEqual([]);
  });
});

describe('a forgotten password', () => {
  it('a customer asks for a link on a phone, chooses a new password from the mail and logs in with it; the link works once', { timeout: 240_000 }, async () => {
    const carol = await newPage(browser, portico.url, { width: 390, height: 844 });
    await carol.goto('/s/acme/servicedesk/customer/user/login');
    await carol.getByRole('link', { name: 'Forgot your password?' }).click();
    await carol.getByRole('heading', { name: 'Reset your password', level: 1 }).waitFor();
    await carol.getByLabel('Email').fill('carol@customer.test');
    await carol.getByRole('button', { name: 'Send reset link' }).click();
    await carol.getByText('The link works once and for one hour.', { exact: false }).waitFor();

    const mail = await mailTo('carol@customer.test', 'reset-password?token=');
    expect(mail.subject).toBe('Reset your password for Acme Support');
    const link = linkIn(mail, 'reset-password');

    await carol.goto(link);
    await carol.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    // the two fields must agree before anything is sent
    await carol.getByLabel('New password', { exact: true }).fill('carol-remembers-this');
    await carol.getByLabel('Confirm new password').fill('carol-remembers-that');
    await carol.getByRole('button', { name: 'Set password' }).click();
    await carol.getByText('The passwords do not match.').waitFor();
    await carol.getByLabel('Confirm new password').fill('carol-remembers-this');
    await carol.getByText('The passwords do not match.').waitFor({ state: 'detached' });
    await fitsThePhone(carol);
    await checkAccessibility(carol);
    await screenshot(carol, 'signup-09-new-password-phone');
    await carol.getByRole('button', { name: 'Set password' }).click();
    await carol.getByText('Your password was changed. You can now log in with it.').waitFor();
    await checkAccessibility(carol);

    await carol.getByRole('link', { name: 'Log in' }).click();
    await carol.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/user/login');
    await carol.getByLabel('Email').fill('carol@customer.test');
    await carol.getByLabel('Password', { exact: true }).fill('carol-remembers-this');
    await carol.getByRole('button', { name: 'Log in' }).click();
    await carol.waitForURL((u) => u.pathname === '/s/acme/servicedesk/customer/portals');

    // the link worked once: it says so, and offers a new one
    await carol.goto(link);
    await carol.getByLabel('New password', { exact: true }).fill('carol-tries-again');
    await carol.getByLabel('Confirm new password').fill('carol-tries-again');
    await carol.getByRole('button', { name: 'Set password' }).click();
    await carol.getByText('This link is no longer valid.').waitFor();
    await carol.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await carol.context().close();
  });
});
