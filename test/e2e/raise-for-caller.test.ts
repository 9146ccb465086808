import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { loginCustomerUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';
import { typeInPicker } from './support/pickers.js';

// An agent raises a request for a caller (docs/product.md#raise-for-callers): Sam, on the phone with
// Carol, raises it from the HELP queue with Carol as its reporter; it is in Carol's "My requests".

let portico: RunningPortico;
let browser: Browser;
let sam: Page;


onDatabase('postgres', 'raising a request for a caller', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    sam = await samAtHisProjects(browser, portico.url);
  }, database);

  it('asks who it is for first; the request is the caller’s, in her My requests', async () => {
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
    await sam.getByRole('link', { name: 'Raise a request' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Raise a request for a caller' }).waitFor();
    await sam.getByRole('textbox', { name: /Summary/ }).fill('Printer on floor 3 prints blank pages');
    await sam.getByRole('button', { name: 'Send' }).click();
    await sam.getByText('Choose who the request is for.').first().waitFor();
    await screenshot(sam, 'raise-for-caller-01-who');

    await typeInPicker(sam, 'Raise this request for', 'Carol');
    await sam.getByRole('option', { name: /Carol Customer/ }).click();
    await sam.getByRole('button', { name: 'Send' }).click();
    await sam.waitForURL(/\/s\/acme\/browse\/HELP-\d+$/);
    await sam.getByRole('heading', { level: 1, name: 'Printer on floor 3 prints blank pages' }).waitFor();
    await expect.poll(() => sam.getByRole('combobox', { name: 'Reporter' }).inputValue()).toBe('Carol Customer');
    const key = new URL(sam.url()).pathname.split('/').at(-1)!;
    await screenshot(sam, 'raise-for-caller-02-raised');

    const carol = await newPage(browser, portico.url);
    await loginCustomerUI(carol, portico.url, 'acme', 'carol@customer.test');
    await carol.waitForURL(/\/portals$/);
    await carol.goto('/s/acme/servicedesk/customer/user/requests?filter=created');
    await carol.getByRole('link', { name: key, exact: true }).waitFor();
    await carol.context().close();
  });

  it('Sam keeps a canned response for HELP and inserts it into a reply, edited before sending', async () => {
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
    await sam.getByRole('navigation', { name: 'Service project' }).getByRole('link', { name: 'Canned responses' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Canned responses' }).waitFor();
    await sam.getByText('This project has no canned responses yet.').waitFor();
    await sam.getByRole('button', { name: 'Add canned response' }).click();
    const dialog = sam.getByRole('dialog', { name: 'Add a canned response' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Restart the VPN client');
    await dialog.getByRole('textbox', { name: 'Text' }).fill('Please quit the VPN client and open it again, then tell us if it still drops.');
    await screenshot(sam, 'canned-01-add');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await sam.getByRole('status').filter({ hasText: '“Restart the VPN client” is added.' }).waitFor();

    await sam.goto('/s/acme/browse/HELP-1');
    await sam.getByRole('button', { name: 'Insert a canned response' }).click();
    await sam.getByRole('menuitem', { name: 'Restart the VPN client' }).click();
    const box = sam.getByRole('textbox', { name: /Reply to customer/ });
    await expect.poll(() => box.inputValue()).toBe('Please quit the VPN client and open it again, then tell us if it still drops.');
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.press('End');
    await box.pressSequentially(' Thanks, Sam');
    await screenshot(sam, 'canned-02-inserted');
    await sam.getByRole('button', { name: 'Send reply' }).click();
    await sam.getByText('then tell us if it still drops. Thanks, Sam').waitFor();
  });
});
