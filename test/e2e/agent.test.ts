import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { samAtHisProjects, screenshot } from './support/browser.js';
import { typeInPicker } from './support/pickers.js';

// Issue 3, agent workspace: Sam (agent on HELP) opens HELP-1, changes Affected user to Carol through
// the picker, searches reporter = "alice@customer.test" and finds HELP-1; no picker offers Dave;
// HELP-4 shows "Dave Departed (Deactivated)" as its reporter; saved filters and the Reporter filter.

let portico: RunningPortico;
let browser: Browser;
let sam: Page;


/** Types into a people combobox and waits for the search's answer to the whole text to be on the listbox. */
async function typeInCombobox(page: Page, label: string, text: string) {
  await typeInPicker(page, label, text);
}

/** People offered in the open listbox (its "No matching people" empty state is an option too, so count items). */
const offered = (page: Page) => page.getByRole('listbox').locator('.user-picker-option').count();

const column = async (page: Page, caption: string, index: number) =>
  page.getByRole('table', { name: caption }).locator(`tbody tr td:nth-child(${index})`).allInnerTexts();

onDatabase('pglite', 'the agent workspace', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    sam = await samAtHisProjects(browser, portico.url);
  }, database);

  it('shows the HELP queue with reporter labels', async () => {
    await sam.getByRole('link', { name: 'IT Help' }).click();
    await sam.waitForURL(/\/s\/acme\/jira\/servicedesk\/projects\/HELP\/queues$/);
    await sam.getByRole('heading', { level: 1, name: 'Open requests' }).waitFor();
    await sam.getByRole('link', { name: 'HELP-1', exact: true }).waitFor();
    expect(await column(sam, 'Open requests of IT Help', 1)).toEqual(['HELP-4', 'HELP-3', 'HELP-2', 'HELP-1']);
    expect(await column(sam, 'Open requests of IT Help', 3)).toEqual(['Dave Departed (Deactivated)', 'Carol Customer', 'Bob Builder', 'Alice Example']);
    await screenshot(sam, 'agent-queue');
  });

  it('lists the project customers with their status', async () => {
    await sam.getByRole('link', { name: 'Customers' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await sam.getByText('Dave Departed (Deactivated)').waitFor();
    expect(await column(sam, 'Customers of IT Help', 3)).toEqual(['Active', 'Active', 'Active', 'Access revoked']);
    await screenshot(sam, 'agent-customers');
    await sam.getByRole('button', { name: 'Create customer' }).click();
    const dialog = sam.getByRole('dialog', { name: 'Create customer' });
    await dialog.getByLabel('Name').fill('Frank Newman');
    await dialog.getByLabel('Email').fill('frank@customer.test');
    await screenshot(sam, 'agent-create-customer');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await sam.getByRole('status').filter({ hasText: 'Frank Newman' }).waitFor();
    expect(await column(sam, 'Customers of IT Help', 1)).toContain('Frank Newman');
    await sam.getByRole('button', { name: 'Add customers' }).click();
    const add = sam.getByRole('dialog', { name: 'Add customers' });
    await typeInCombobox(sam, 'Customers', 'Dav');
    expect(await offered(sam)).toBe(0);
    await screenshot(sam, 'agent-add-customers-no-dave');
    await sam.keyboard.press('Escape'); // closes the listbox (an open listbox hides the rest of the page from assistive tech)
    await add.getByRole('button', { name: 'Cancel' }).click();
  });

  it('opens HELP-1 and changes Affected user to Carol through the picker', async () => {
    await sam.goto('/s/acme/browse/HELP-1');
    await sam.getByRole('heading', { level: 1, name: 'Laptop will not connect to the VPN' }).waitFor();
    const affected = sam.getByRole('combobox', { name: 'Affected user' });
    expect(await affected.inputValue()).toBe('Bob Builder');
    expect(await sam.getByRole('combobox', { name: 'Reporter' }).inputValue()).toBe('Alice Example');
    await screenshot(sam, 'agent-request-help-1');

    // no picker offers Dave
    await typeInCombobox(sam, 'Affected user', 'Dav');
    expect(await offered(sam)).toBe(0);
    await screenshot(sam, 'agent-picker-no-dave');
    await sam.keyboard.press('Escape');
    await typeInCombobox(sam, 'Request participants', 'Dav');
    expect(await offered(sam)).toBe(0);
    await sam.keyboard.press('Escape');
    await sam.keyboard.press('Escape');

    // Escape puts the saved value back
    await typeInCombobox(sam, 'Affected user', 'Car');
    await sam.keyboard.press('Escape');
    await expect.poll(() => affected.inputValue()).toBe('Bob Builder');
    await sam.keyboard.press('Escape');
    expect(await affected.inputValue()).toBe('Bob Builder');

    // chosen with Enter: saved, announced with Undo, and the focus stays on the field (each search
    // its own text: the picker keeps answers it has, and the helper waits for a new one)
    await typeInCombobox(sam, 'Affected user', 'Caro');
    await sam.getByRole('option', { name: /Carol Customer/ }).waitFor();
    await sam.keyboard.press('ArrowDown');
    await sam.keyboard.press('Enter');
    const saved = sam.getByRole('status').filter({ hasText: 'Affected user: Carol Customer.' });
    await saved.waitFor();
    expect(await affected.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(sam, 'agent-picker-saved-with-undo');
    // Undo puts Bob back, and says so
    await saved.getByRole('button', { name: 'Undo' }).click();
    await sam.getByRole('status').filter({ hasText: 'Affected user is back to Bob Builder.' }).waitFor();
    await expect.poll(() => affected.inputValue()).toBe('Bob Builder');
    // and Carol again, by mouse
    await typeInCombobox(sam, 'Affected user', 'Carol');
    await sam.getByRole('option', { name: /Carol Customer/ }).click();
    await sam.getByRole('status').filter({ hasText: 'Affected user: Carol Customer.' }).waitFor();
    await sam.reload();
    await sam.getByRole('heading', { level: 1, name: 'Laptop will not connect to the VPN' }).waitFor();
    await expect.poll(() => sam.getByRole('combobox', { name: 'Affected user' }).inputValue()).toBe('Carol Customer');
    expect(await sam.getByRole('combobox', { name: 'Reporter' }).inputValue()).toBe('Alice Example');
    await screenshot(sam, 'agent-request-affected-user-carol');
  });

  it('moves HELP-1 to In progress and adds a reply and an internal note', async () => {
    await sam.getByRole('button', { name: 'Start progress' }).click();
    await sam.getByRole('button', { name: 'Resolve' }).waitFor();
    expect(await sam.getByRole('group', { name: 'Status' }).innerText()).toContain('IN PROGRESS');
    await sam.getByRole('textbox', { name: /^Reply to customer/ }).fill('We are looking at the VPN gateway.');
    await sam.getByRole('button', { name: 'Send reply' }).click();
    await sam.locator('.agent-comment').filter({ hasText: 'We are looking at the VPN gateway.' }).waitFor();
    await sam.getByRole('radiogroup', { name: 'Write' }).locator('label', { hasText: 'Internal note' }).click();
    await sam.getByRole('textbox', { name: /^Internal note/ }).fill('Gateway certificate expired yesterday.');
    await sam.getByRole('button', { name: 'Add internal note' }).click();
    await sam.locator('.agent-comment.is-internal').filter({ hasText: 'Gateway certificate expired yesterday.' }).waitFor();
    expect(await sam.locator('.agent-comment.is-internal').count()).toBe(1);
    expect(await sam.locator('.agent-comment:not(.is-internal)').allInnerTexts()).toEqual([expect.stringContaining('We are looking at the VPN gateway.')]);
    await screenshot(sam, 'agent-request-comments');
  });

  it('HELP-4 shows "Dave Departed (Deactivated)" as reporter', async () => {
    await sam.goto('/s/acme/browse/HELP-4');
    await sam.getByRole('heading', { level: 1, name: 'Return my laptop before I leave' }).waitFor();
    await expect.poll(() => sam.getByRole('combobox', { name: 'Reporter' }).inputValue()).toBe('Dave Departed (Deactivated)');
    await screenshot(sam, 'agent-request-help-4-deactivated-reporter');
  });

  it('searches reporter = "alice@customer.test" and finds HELP-1', async () => {
    await sam.getByRole('link', { name: 'Search issues' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Search issues' }).waitFor();
    await sam.getByRole('textbox', { name: 'JQL query' }).fill('reporter = "alice@customer.test"');
    await sam.getByRole('button', { name: 'Search' }).click();
    await sam.getByRole('link', { name: 'HELP-1', exact: true }).waitFor();
    expect(await column(sam, 'Search results', 1)).toEqual(['HELP-1']);
    expect(await column(sam, 'Search results', 4)).toEqual(['Alice Example']);
    expect(new URL(sam.url()).searchParams.get('jql')).toBe('reporter = "alice@customer.test"');
    await screenshot(sam, 'agent-search-alice');

    await sam.getByLabel('Filter name').fill('Alice reports');
    await sam.getByRole('button', { name: 'Save filter' }).click();
    await sam.getByRole('list', { name: 'Your saved filters' }).getByRole('link', { name: 'Alice reports' }).waitFor();
  });

  it('says where and why a query is malformed', async () => {
    await sam.getByRole('textbox', { name: 'JQL query' }).fill('status = Open AND AND');
    await sam.getByRole('button', { name: 'Search' }).click();
    const alert = sam.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/line 1, character \d+/);
    await screenshot(sam, 'agent-search-error');
  });

  it('plain words search the text, and a key opens its request, instead of a JQL syntax error', async () => {
    await sam.getByRole('textbox', { name: 'JQL query' }).fill('vpn');
    await sam.getByRole('button', { name: 'Search' }).click();
    await sam.getByText('Showing requests whose text has these words.').waitFor();
    expect(await column(sam, 'Search results', 1)).toEqual(['HELP-1']);
    expect(await sam.getByRole('alert').count()).toBe(0);
    await screenshot(sam, 'agent-search-words');

    await sam.getByRole('textbox', { name: 'JQL query' }).fill('help-3');
    await sam.getByRole('button', { name: 'Search' }).click();
    await sam.waitForURL(/\/s\/acme\/browse\/HELP-3$/);
    await sam.getByRole('heading', { level: 1, name: 'New monitor for the design desk' }).waitFor();
    await sam.goBack();
    await sam.getByRole('heading', { level: 1, name: 'Search issues' }).waitFor();
  });

  it('the Reporter filter offers Dave only for his full email, labelled deactivated', async () => {
    await typeInCombobox(sam, 'Reporter', 'Dav');
    expect(await offered(sam)).toBe(0);
    await sam.keyboard.press('Escape');
    await typeInCombobox(sam, 'Reporter', 'Dave Departed');
    expect(await offered(sam)).toBe(0);
    await sam.keyboard.press('Escape');
    await typeInCombobox(sam, 'Reporter', 'dave@customer.test');
    const option = sam.getByRole('option', { name: /Dave Departed \(Deactivated\)/ });
    await option.waitFor();
    await screenshot(sam, 'agent-filter-dave-by-email');
    await option.click();
    await sam.waitForURL(/jql=reporter/);
    expect(await sam.getByRole('textbox', { name: 'JQL query' }).inputValue()).toBe('reporter = "dave@customer.test"');
    await expect.poll(() => column(sam, 'Search results', 1)).toEqual(['HELP-4']);
    expect(await column(sam, 'Search results', 4)).toEqual(['Dave Departed (Deactivated)']);

    // the saved filter re-runs its JQL
    await sam.getByRole('link', { name: 'Alice reports' }).click();
    await expect.poll(() => column(sam, 'Search results', 1)).toEqual(['HELP-1']);
    await screenshot(sam, 'agent-saved-filter');
  });
});
