import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { onDatabase, withPorticoAndBrowser } from './support/lifecycle.js';
import { checkAccessibility, loginCustomerUI, loginStaffUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';
import { typeInPicker } from './support/pickers.js';

// Approvals (docs/product.md#approvals): Sam makes "Request new hardware" need approval by its
// Approver field on the project's Approvals page; Carol (on a 390 px phone) raises one naming Alice; Alice signs in, finds it waiting
// for her approval and approves it, and the request moves on to Open. A second one names Bob; Ada
// revokes Bob; Sam sees "Bob Builder (Deactivated)" and that the approval is stuck, and replaces him
// with Alice, who approves. Every page is checked with axe as it loads.

let portico: RunningPortico;
let browser: Browser;
let sam: Page;
let carol: Page;
const PHONE = { width: 390, height: 844 };

/** A write from a signed-in page, with its session's CSRF token, as the web app sends it. */
async function writeAs(page: Page, sessionUrl: string, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate(async ({ sessionUrl, method, url, body }) => {
    const session = await (await fetch(sessionUrl, { headers: { accept: 'application/json' } })).json();
    const res = await fetch(url, { method, headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify(body ?? {}) });
    return res.status;
  }, { sessionUrl, method, url, body });
}

const fitsThePhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function carolRaisesHardware(summary: string, approver: string): Promise<string> {
  await carol.goto('/s/acme/servicedesk/customer/portals');
  await carol.getByRole('link', { name: /Acme IT Help Center/ }).click();
  await carol.getByRole('link', { name: /Request new hardware/ }).click();
  await carol.getByRole('textbox', { name: 'Summary' }).fill(summary);
  await typeInPicker(carol, 'Approver', approver);
  await carol.getByRole('option', { name: new RegExp(approver) }).click();
  await carol.getByRole('listbox').waitFor({ state: 'hidden' });
  await carol.getByRole('button', { name: 'Send' }).click();
  await carol.waitForURL(/\/portal\/\d+\/HELP-\d+$/);
  await carol.getByRole('heading', { level: 1, name: summary }).waitFor();
  return carol.url().split('/').pop()!;
}

onDatabase('postgres', 'approvals', (database) => {
  withPorticoAndBrowser(async (started, launched) => {
    portico = started;
    browser = launched;
    sam = await samAtHisProjects(browser, portico.url);
    carol = await newPage(browser, portico.url, PHONE);
    await loginCustomerUI(carol, portico.url, 'acme', 'carol@customer.test');
    await carol.waitForURL(/\/portals$/);
  }, database);

  it('a customer raises a request that needs approval; the approver signs in and approves it; the request moves on', async () => {
    // Sam turns it on in the project's Approvals page
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/approvals');
    await sam.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    await sam.getByRole('button', { name: /Approvers of Request new hardware/ }).click();
    await sam.getByRole('option', { name: 'People in Approver' }).click();
    await sam.getByRole('status').filter({ hasText: 'Request new hardware now needs approval by the people in Approver.' }).waitFor();
    await screenshot(sam, 'approvals-00-settings');
    // and on a phone: the page fits, and is scanned again there
    await sam.setViewportSize(PHONE);
    expect(await fitsThePhone(sam)).toBe(true);
    await checkAccessibility(sam);
    await screenshot(sam, 'approvals-00-settings-phone');
    await sam.setViewportSize({ width: 1280, height: 800 });

    const key = await carolRaisesHardware('A laptop for the new starter', 'Alice');
    expect(await carol.getByTestId('request-status').textContent()).toBe('Waiting for approval');
    await carol.getByRole('region', { name: 'Approval' }).getByText('Alice Example').waitFor();
    expect(await carol.getByRole('button', { name: 'Approve' }).count()).toBe(0); // the reporter cannot answer
    expect(await fitsThePhone(carol)).toBe(true);
    await screenshot(carol, 'approvals-01-waiting-reporter-phone');

    const alice = await newPage(browser, portico.url, PHONE);
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/portals$/);
    await alice.goto('/s/acme/servicedesk/customer/user/requests');
    const waiting = alice.getByRole('region', { name: 'Waiting for your approval' });
    await waiting.getByRole('link', { name: new RegExp(`${key} · A laptop for the new starter`) }).waitFor();
    expect(await fitsThePhone(alice)).toBe(true);
    await screenshot(alice, 'approvals-02-my-approvals-phone');
    await waiting.getByRole('link', { name: new RegExp(key) }).click();
    await alice.getByRole('heading', { level: 1, name: 'A laptop for the new starter' }).waitFor();
    await alice.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await fitsThePhone(alice)).toBe(true);
    await screenshot(alice, 'approvals-03-approve-phone');
    await alice.getByRole('button', { name: 'Approve' }).click();
    await alice.getByRole('status').filter({ hasText: `You approved ${key}.` }).waitFor();
    await expect.poll(() => alice.getByTestId('request-status').textContent()).toBe('Open');
    await expect.poll(() => alice.getByTestId('approval-status').innerText()).toBe('Approved');
    await checkAccessibility(alice);
    await alice.context().close();

    await sam.goto(`/s/acme/browse/${key}`);
    const panel = sam.getByRole('region', { name: 'Approval' });
    await panel.getByText('Approved').first().waitFor();
    expect(await panel.innerText()).toMatch(/Alice Example\s+— Approved/);
  });

  it('a revoked approver shows "(Deactivated)", the approval is stuck, and the agent replaces them', async () => {
    const key = await carolRaisesHardware('A docking station', 'Bob');
    const bobId = await sam.evaluate(async (k) => {
      const answer = await (await fetch(`/s/acme/api/agent/requests/${k}/approvals`, { headers: { accept: 'application/json' } })).json();
      return answer.approvals[0].approvers[0].person.accountId as string;
    }, key);
    const ada = await newPage(browser, portico.url);
    await loginStaffUI(ada, portico.url, 'admin@acme.test');
    await ada.waitForURL((u) => !u.pathname.endsWith('/login'));
    expect(await writeAs(ada, '/api/auth/session', 'PUT', `/s/acme/rest/servicedeskapi/customer/user/${bobId}/revoke-portal-only-access`)).toBe(204);
    await ada.context().close();

    await sam.goto(`/s/acme/browse/${key}`);
    const panel = sam.getByRole('region', { name: 'Approval' });
    await panel.getByTestId('approver').filter({ hasText: 'Bob Builder (Deactivated)' }).waitFor();
    await panel.getByRole('alert').filter({ hasText: /Stuck: nobody named in Approver can approve this request/ }).waitFor();
    const field = sam.getByRole('combobox', { name: 'Approver' });
    expect(await field.inputValue()).toBe('Bob Builder (Deactivated)');
    await screenshot(sam, 'approvals-04-stuck-agent');
    // Bob is not offered as a new approver; Alice is, and replaces him
    expect(await typeInPicker(sam, 'Approver', 'Bob')).toEqual([]);
    await sam.keyboard.press('Escape');
    await typeInPicker(sam, 'Approver', 'Alice');
    await sam.getByRole('option', { name: /Alice Example/ }).click();
    await sam.getByRole('status').filter({ hasText: 'Approver: Alice Example.' }).waitFor();
    await expect.poll(() => panel.getByRole('alert').count()).toBe(0);
    await panel.getByTestId('approver').filter({ hasText: 'Alice Example' }).waitFor();
    await checkAccessibility(sam);
    await screenshot(sam, 'approvals-05-replaced-agent');

    const alice = await newPage(browser, portico.url, PHONE);
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/portals$/);
    await alice.goto(`/s/acme/servicedesk/customer/portal/1/${key}`);
    await alice.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => alice.getByTestId('request-status').textContent()).toBe('Open');
    await alice.context().close();
  });
});
