import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { loginCustomerUI, loginStaffUI, newPage, samAndAliceOnAPhone, screenshot } from './support/browser.js';

// The conversation loop (docs/product.md#workflow), as Sam (agent on HELP) and Alice (its reporter,
// on a phone) see it: Sam resolves HELP-1 and it leaves his queue; Alice replies "This is NOT fixed"
// and it is back in his queue, waiting for support; she marks it resolved herself and reopens it.

let portico: RunningPortico;
let browser: Browser;
let sam: Page;
let alice: Page;


const queueKeys = async () => {
  await sam.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
  await sam.getByRole('heading', { level: 1, name: 'Open requests' }).waitFor();
  await sam.getByRole('link', { name: 'HELP-2', exact: true }).waitFor();
  return sam.getByRole('table', { name: 'Open requests of IT Help' }).locator('tbody tr td:nth-child(1)').allInnerTexts();
};
const queueStatusOf = (key: string) =>
  sam.getByRole('table', { name: 'Open requests of IT Help' }).locator('tbody tr', { has: sam.getByRole('link', { name: key, exact: true }) }).locator('.agent-status').innerText();

async function openAsAlice(key: string) {
  await alice.goto(`/s/acme/servicedesk/customer/portal/1/${key}`);
  await alice.getByTestId('request-status').waitFor();
}

onDatabase('pglite', 'the conversation loop', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    ({ sam, alice } = await samAndAliceOnAPhone(browser, portico.url));
  }, database);

  it("a customer's reply to a resolved request puts it back in the agent's queue, waiting for support", async () => {
    await sam.goto('/s/acme/browse/HELP-1');
    const status = sam.getByRole('group', { name: 'Status' });
    await status.getByRole('button', { name: 'Start progress' }).click();
    await status.getByRole('button', { name: 'Resolve' }).click();
    await status.getByText('Resolved', { exact: true }).waitFor();
    expect(await queueKeys()).not.toContain('HELP-1');

    await openAsAlice('HELP-1');
    expect(await alice.getByTestId('request-status').innerText()).toMatch(/resolved/i);
    await screenshot(alice, 'conversation-01-resolved-phone');
    await alice.getByRole('textbox', { name: 'Add a comment' }).fill('This is NOT fixed, the VPN still drops every hour.');
    await alice.getByRole('button', { name: 'Comment' }).click();
    await alice.getByRole('list', { name: 'Comments' }).getByText('This is NOT fixed').waitFor();
    await alice.getByTestId('request-status').getByText(/waiting for support/i).waitFor();
    await screenshot(alice, 'conversation-02-reopened-by-reply-phone');

    expect(await queueKeys()).toContain('HELP-1');
    expect(await queueStatusOf('HELP-1')).toMatch(/waiting for support/i);
    await screenshot(sam, 'conversation-03-back-in-queue');
  });

  it("an agent's reply hands it to the customer; the reporter marks it resolved and reopens it from the help center", async () => {
    await sam.goto('/s/acme/browse/HELP-1');
    await sam.getByRole('textbox', { name: /^Reply to customer/ }).fill('Please restart the VPN client and tell us if it still drops.');
    await sam.getByRole('button', { name: 'Send reply' }).click();
    await sam.getByRole('group', { name: 'Status' }).getByText('Waiting for customer', { exact: true }).waitFor();

    await openAsAlice('HELP-1');
    expect(await alice.getByTestId('request-status').innerText()).toMatch(/waiting for customer/i);
    await alice.getByRole('button', { name: 'Mark as resolved' }).click();
    await alice.getByRole('status').filter({ hasText: 'HELP-1 is marked as resolved.' }).waitFor();
    await alice.getByTestId('request-status').getByText(/resolved/i).waitFor();
    await alice.getByRole('button', { name: 'Reopen' }).waitFor();
    await screenshot(alice, 'conversation-04-resolved-by-reporter-phone');
    expect(await queueKeys()).not.toContain('HELP-1');

    await alice.getByRole('button', { name: 'Reopen' }).click();
    await alice.getByRole('status').filter({ hasText: 'HELP-1 is reopened' }).waitFor();
    await alice.getByTestId('request-status').getByText(/waiting for support/i).waitFor();
    // nothing on the phone's page scrolls sideways
    expect(await alice.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await queueKeys()).toContain('HELP-1');
  });
});
