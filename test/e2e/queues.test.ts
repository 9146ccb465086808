import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { answerLate, samAtHisProjects, screenshot } from './support/browser.js';
import { typeInPicker } from './support/pickers.js';

// Issue 12, parts 4 and 5 (docs/product.md#queues, #assignee-and-priority): Sam, the agent of HELP,
// opens his queues and sees their counts, assigns HELP-2 to himself and raises its priority in the
// request view, and watches "Assigned to me" count it; then, on a 390 px phone, takes HELP-1 from
// a queue's row. Every page is checked with axe as it loads (support/axe-guard.ts).

let sam: Page;
let phone: Page;

const countOf = (page: Page, queue: string) => page.getByTestId(`queue-count-${queue}`).innerText();
const waitForCount = (page: Page, queue: string, n: number) => expect.poll(() => countOf(page, queue), { timeout: 15_000 }).toBe(String(n));

onDatabase('postgres', 'queues, assignee and priority', (database) => {
  withPorticoAndBrowser(async (portico, browser) => {
    sam = await samAtHisProjects(browser, portico.url);
    phone = await samAtHisProjects(browser, portico.url, { width: 390, height: 844 });
  }, database);

  it('the side navigation lists the four queues with their counts; a queue shows its requests with assignee and priority', async () => {
    await sam.getByRole('link', { name: 'IT Help' }).click();
    await sam.waitForURL(/\/projects\/HELP\/queues$/);
    const queues = sam.getByRole('list', { name: 'Queues' });
    await queues.waitFor();
    expect((await queues.getByRole('link').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'All open 4', 'Assigned to me 0', 'Unassigned 4', 'Waiting for customer 0',
    ]);
    await queues.getByRole('link', { name: /^All open/ }).click();
    await sam.getByRole('heading', { level: 1, name: 'All open' }).waitFor();
    const table = sam.getByRole('table', { name: 'Requests in All open' });
    await table.getByRole('link', { name: 'HELP-1', exact: true }).waitFor();
    expect((await table.locator('thead th').allTextContents()).map((t) => t.trim())).toEqual(['Key', 'Summary', 'Reporter', 'Assignee', 'Status', 'Priority', 'Created', 'SLA']);
    expect(await table.locator('tbody tr').count()).toBe(4);
    await screenshot(sam, 'queues-01-all-open');
  });

  it('in the request view he assigns HELP-2 to himself and sets its priority to High; "Assigned to me" counts it', async () => {
    await sam.getByRole('table', { name: 'Requests in All open' }).getByRole('link', { name: 'HELP-2', exact: true }).click();
    await sam.waitForURL(/\/browse\/HELP-2$/);
    const assignee = sam.getByRole('combobox', { name: 'Assignee' });
    await assignee.waitFor();
    expect(await assignee.inputValue()).toBe('');
    // the picker offers agents of the project only: no customer
    expect(await typeInPicker(sam, 'Assignee', 'ali')).toEqual([]);
    await sam.keyboard.press('Escape');
    await sam.getByRole('button', { name: 'Assign to me' }).click();
    await sam.getByRole('status').filter({ hasText: 'Assigned to you.' }).waitFor();
    await expect.poll(() => assignee.inputValue()).toBe('Sam Agent');
    await sam.getByRole('button', { name: /Priority$/ }).click();
    await sam.getByRole('option', { name: 'High', exact: true }).click();
    await sam.getByRole('status').filter({ hasText: 'Priority: High.' }).waitFor();
    // the history says who changed what
    await sam.getByText('Assignee', { exact: false }).first().waitFor();
    await waitForCount(sam, 'Assigned to me', 1);
    await waitForCount(sam, 'Unassigned', 3);
    await screenshot(sam, 'queues-02-request-assigned');

    await sam.getByRole('list', { name: 'Queues' }).getByRole('link', { name: /^Assigned to me/ }).click();
    await sam.getByRole('heading', { level: 1, name: 'Assigned to me' }).waitFor();
    const mine = sam.getByRole('table', { name: 'Requests in Assigned to me' });
    await mine.getByRole('link', { name: 'HELP-2', exact: true }).waitFor();
    expect(await mine.locator('tbody tr').count()).toBe(1);
    expect(await mine.getByRole('button', { name: 'Priority of HELP-2' }).innerText()).toContain('High');
  });

  it('on a 390 px phone he takes HELP-1 from a queue row and changes its priority there; the counts follow', async () => {
    await phone.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
    await phone.getByRole('list', { name: 'Queues' }).getByRole('link', { name: /^Unassigned/ }).click();
    const table = phone.getByRole('table', { name: 'Requests in Unassigned' });
    await table.getByRole('link', { name: 'HELP-1', exact: true }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(phone, 'queues-03-unassigned-phone');
    await table.getByRole('button', { name: 'Priority of HELP-1' }).click();
    await phone.getByRole('option', { name: 'Highest', exact: true }).click();
    await expect.poll(() => table.getByRole('button', { name: 'Priority of HELP-1' }).innerText()).toContain('Highest');
    await table.getByRole('button', { name: 'Assign HELP-1 to me' }).click();
    await waitForCount(phone, 'Assigned to me', 2);
    await waitForCount(phone, 'Unassigned', 2);
    await table.getByRole('link', { name: 'HELP-1', exact: true }).waitFor({ state: 'detached' });
    await screenshot(phone, 'queues-04-after-assign-phone');
  });

  it('a project page appears whole: on a 390 px phone nothing moves when the queue counts arrive, however slowly they come', async () => {
    // The queue list answers a second late (a busy server). Before it was loaded with the page, the
    // side navigation showed first and the list then pushed its links — and on a phone the whole page
    // — down under the pointer: a click meant for "Organizations" landed on a queue.
    const late = await answerLate(phone, '/s/acme/api/agent/projects/HELP/queues');
    try {
      await phone.goto('/s/acme/jira/servicedesk/projects/HELP/customers');
      const link = phone.getByRole('navigation', { name: 'Service project' }).getByRole('link', { name: 'Organizations' });
      const heading = phone.getByRole('heading', { level: 1, name: 'Customers' });
      await link.waitFor();
      await heading.waitFor();
      const shown = { link: await link.boundingBox(), heading: await heading.boundingBox() };
      await phone.getByRole('list', { name: 'Queues' }).waitFor();
      await waitForCount(phone, 'All open', 4);
      expect({ link: await link.boundingBox(), heading: await heading.boundingBox() }).toEqual(shown);
      expect(late.asked()).toBe(1); // the side navigation did not ask again for what the page's loading fetched
      await screenshot(phone, 'queues-project-page-whole-phone');
    } finally {
      await late.stop();
    }
  });
});
