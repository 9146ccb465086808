import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { loginCustomerUI, loginStaffUI, newPage, samAndAliceOnAPhone, screenshot } from './support/browser.js';

// Satisfaction (docs/product.md#satisfaction): Alice (on a phone) marks HELP-1 resolved and rates
// it; Sam, the agent, sees her rating on the request and in the project's summary; she changes it.

let portico: RunningPortico;
let browser: Browser;
let sam: Page;
let alice: Page;


async function aliceOpens(key: string) {
  await alice.goto(`/s/acme/servicedesk/customer/portal/1/${key}`);
  await alice.getByTestId('request-status').waitFor();
}

onDatabase('postgres', 'customer satisfaction', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    ({ sam, alice } = await samAndAliceOnAPhone(browser, portico.url));
  }, database);

  it('Alice rates her resolved request on a phone; a choice is asked for before sending', async () => {
    await aliceOpens('HELP-1');
    expect(await alice.getByRole('heading', { name: 'How did we do?' }).count()).toBe(0); // not resolved yet
    await alice.getByRole('button', { name: 'Mark as resolved' }).click();
    const form = alice.getByRole('region', { name: 'How did we do?' });
    await form.waitFor();
    await form.getByRole('button', { name: 'Send rating' }).click();
    await form.getByText('Choose a rating from 1 to 5.').waitFor();
    await form.getByRole('radio', { name: /Satisfied$/ }).first().waitFor();
    await form.getByText('Satisfied', { exact: true }).click();
    await form.getByRole('textbox', { name: 'Comment (optional)' }).fill('Sorted within the hour, thank you.');
    await screenshot(alice, 'satisfaction-01-rating-phone');
    await form.getByRole('button', { name: 'Send rating' }).click();
    await alice.getByRole('status').filter({ hasText: 'you rated this request 4 out of 5' }).waitFor();
    const given = alice.getByRole('region', { name: 'Your rating' });
    expect(await given.innerText()).toMatch(/4 out of 5 — Satisfied[\s\S]*Sorted within the hour/);
    expect(await alice.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(alice, 'satisfaction-02-rated-phone');
  });

  it('Sam sees the rating on the request and in the project summary', async () => {
    await sam.goto('/s/acme/browse/HELP-1');
    const rating = sam.getByRole('region', { name: 'Customer rating' });
    await rating.waitFor();
    expect(await rating.innerText()).toMatch(/4 out of 5 — Satisfied[\s\S]*Sorted within the hour[\s\S]*Alice Example/);
    await sam.getByRole('navigation', { name: 'Service project' }).getByRole('link', { name: 'Satisfaction' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Customer satisfaction' }).waitFor();
    await sam.getByText('1 rating, 4.00 out of 5 on average.', { exact: false }).waitFor();
    const latest = sam.locator('.sat-latest > li').first();
    expect(await latest.innerText()).toMatch(/HELP-1[\s\S]*4 out of 5[\s\S]*Alice Example/);
    await screenshot(sam, 'satisfaction-03-project-summary');
  });

  it('Alice changes her rating while the request stays resolved', async () => {
    await aliceOpens('HELP-1');
    await alice.getByRole('button', { name: 'Change rating' }).click();
    const form = alice.getByRole('region', { name: 'How did we do?' });
    await form.getByText('Very satisfied', { exact: true }).click();
    await form.getByRole('button', { name: 'Send rating' }).click();
    await alice.getByRole('status').filter({ hasText: 'you rated this request 5 out of 5' }).waitFor();
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/satisfaction');
    await sam.getByText('1 rating, 5.00 out of 5 on average.', { exact: false }).waitFor();
  });
});
