import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { newPage, loginStaffUI, screenshot } from './support/browser.js';

// SLAs (docs/product.md#slas): Sam, on a 390 px phone, sees HELP-1 (open for ten days) breach the
// default goals, gives Medium requests 1000 hours in the project's SLA settings, and sees the
// timers run again in the request view, the open-requests queue and a queue's own view.

let portico: RunningPortico;
let browser: Browser;
let sam: Page;

const fitsThePhone = () => sam.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

onDatabase('postgres', 'SLAs', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    sam = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginStaffUI(sam, portico.url, 'agent@acme.test');
    await sam.waitForURL(/\/projects$/);
  }, database);

  it('an agent sets a goal and sees the request timer in the request view and the queue', async () => {
    await sam.goto('/s/acme/browse/HELP-1');
    const slas = sam.getByRole('region', { name: 'SLAs' });
    await slas.getByText('Time to first response').waitFor();
    expect(await slas.innerText()).toMatch(/Time to first response\s*⚠?\s*Breached, \d+h \d+m over/);

    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/slas');
    await sam.getByRole('heading', { level: 1, name: 'SLAs' }).waitFor();
    for (const metric of ['Time to first response', 'Time to resolution']) {
      await sam.getByRole('group', { name: `${metric} (hours)` }).getByRole('textbox', { name: 'Medium' }).fill('1000');
    }
    await sam.getByRole('checkbox', { name: /Count only working hours/ }).check();
    await sam.getByRole('textbox', { name: 'Time zone' }).fill('Mars/Olympus');
    await sam.getByRole('button', { name: 'Save SLAs' }).click();
    await sam.getByText('is not a time zone').waitFor();
    await sam.getByRole('checkbox', { name: /Count only working hours/ }).uncheck();
    await sam.getByRole('button', { name: 'Save SLAs' }).click();
    await sam.getByRole('status').filter({ hasText: 'SLA settings saved' }).waitFor();
    expect(await fitsThePhone()).toBe(true);
    await screenshot(sam, 'sla-01-settings-phone');

    await sam.goto('/s/acme/browse/HELP-1');
    await slas.getByText(/Time to first response/).waitFor();
    await slas.getByText(/\d+h \d+m left/).first().waitFor();
    expect(await slas.innerText()).not.toMatch(/Breached/);
    expect(await fitsThePhone()).toBe(true);
    await screenshot(sam, 'sla-02-request-phone');

    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
    const row = sam.getByRole('row').filter({ hasText: 'Laptop will not connect to the VPN' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/\d+h \d+m left\s*first response/);
    expect(await fitsThePhone()).toBe(true);
    await screenshot(sam, 'sla-03-queue-phone');

    // a queue's own view has the SLA column too, after the queue's columns
    const queues = await sam.evaluate(async () => (await (await fetch('/s/acme/api/agent/projects/HELP/queues')).json()) as { values: Array<{ id: string; name: string }> });
    const allOpen = queues.values.find((q) => q.name === 'All open')!;
    await sam.goto(`/s/acme/jira/servicedesk/projects/HELP/queues/custom/${allOpen.id}`);
    const queued = sam.getByRole('row').filter({ hasText: 'Laptop will not connect to the VPN' });
    await queued.waitFor();
    expect(await queued.innerText()).toMatch(/\d+h \d+m left\s*first response/);
    expect(await sam.getByRole('columnheader', { name: 'SLA' }).count()).toBe(1);
    expect(await fitsThePhone()).toBe(true);
    await screenshot(sam, 'sla-04-queue-view-phone');
  });
});
