import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { answerLate, loginCustomerUI, loginStaffUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';
import { offeredLabels, typeInPicker } from './support/pickers.js';

// Issue 10, part 4 (docs/product.md#customer-organizations): Sam (agent of HELP) creates the
// organization Initech, adds Carol and Bob to it at once, adds it to HELP, and Carol — taken off
// HELP's own customer list first — can raise a request there; removing Initech from HELP takes
// that away again. Ada (org admin) sees the organization on the admin console's page.

let portico: RunningPortico;
let browser: Browser;
let sam: Page;
let carol: Page;

withPorticoAndBrowser(async (started, launched) => {
  portico = started;
  browser = launched;
  sam = await samAtHisProjects(browser, portico.url);
  // Carol is one of HELP's own customers in the demo data: take her off, so only an organization can let her in
  const status = await sam.evaluate(async () => {
    const session = await (await fetch('/api/auth/session')).json();
    const carolId = (await (await fetch('/s/acme/api/users/picker?query=carol')).json()).users[0].accountId;
    const res = await fetch('/s/acme/rest/servicedeskapi/servicedesk/HELP/customer', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ accountIds: [carolId] }),
    });
    return res.status;
  });
  expect(status).toBe(204);
  carol = await newPage(browser, portico.url);
  await loginCustomerUI(carol, portico.url, 'acme', 'carol@customer.test');
  await carol.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
});

const column = async (page: Page, caption: string, index: number) =>
  page.getByRole('table', { name: caption }).locator(`tbody tr td:nth-child(${index})`).allInnerTexts();

async function carolsPortals(): Promise<string> {
  await carol.goto('/s/acme/servicedesk/customer/portals');
  await carol.getByRole('heading', { level: 1 }).first().waitFor();
  // the list or its empty state — not the loading status nor the heading's description (p.ui-muted too)
  await carol.locator('.portal-cards').or(carol.getByText('There are no help centers you can use here yet.')).first().waitFor();
  return carol.locator('main').innerText();
}

describe('customer organizations', () => {
  it('Carol, no customer of HELP, sees no portal to raise a request in', async () => {
    expect(await carolsPortals()).toContain('There are no help centers you can use here yet.');
    await screenshot(carol, 'organizations-carol-no-portal');
  });

  it('Sam creates Initech, adds Carol and Bob at once, and adds Initech to HELP', async () => {
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
    await sam.getByRole('link', { name: 'Organizations' }).click();
    await sam.waitForURL(/\/projects\/HELP\/organizations$/);
    await sam.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    await sam.getByText('No organization has been added to this project.').waitFor();

    await sam.getByRole('button', { name: 'Create organization' }).click();
    const create = sam.getByRole('dialog', { name: 'Create organization' });
    await create.getByLabel('Organization name').fill('Initech');
    await screenshot(sam, 'organizations-create');
    await create.getByRole('button', { name: 'Create' }).click();
    await sam.getByRole('status').filter({ hasText: 'Organization Initech created.' }).waitFor();

    await sam.getByRole('button', { name: 'Members of Initech' }).click();
    const members = sam.getByRole('dialog', { name: 'Members of Initech' });
    await members.getByText('No members yet.').waitFor();
    await typeInPicker(sam, 'Add customers', 'Carol');
    await sam.getByRole('option', { name: /Carol Customer/ }).click();
    await typeInPicker(sam, 'Add customers', 'Bob');
    await sam.getByRole('option', { name: /Bob Builder/ }).click();
    // close the list by clicking beside it (Escape with the list already closed would close the dialog)
    if (await sam.getByRole('listbox').isVisible()) await members.getByRole('heading', { name: 'Members of Initech' }).click();
    await sam.getByRole('listbox').waitFor({ state: 'hidden' });
    await members.getByRole('button', { name: 'Add to organization' }).click();
    await members.getByRole('status').filter({ hasText: '2 customers added to Initech.' }).waitFor();
    expect(await column(sam, 'Members of Initech', 1)).toEqual(['Bob Builder', 'Carol Customer']);
    await screenshot(sam, 'organizations-members');
    await members.getByRole('button', { name: 'Close' }).click();
    expect(await column(sam, 'All organizations of the site', 2)).toEqual(['2']);

    await sam.getByRole('button', { name: 'Add organization' }).click();
    const add = sam.getByRole('dialog', { name: 'Add an organization to HELP' });
    await add.getByRole('button', { name: /Initech/ }).waitFor();
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await sam.getByRole('status').filter({ hasText: 'Initech added to HELP' }).waitFor();
    expect(await column(sam, 'Organizations of IT Help', 1)).toEqual(['Initech']);
    await screenshot(sam, 'organizations-project');
  });

  it('Sam limits sharing in HELP to organizations: Carol\'s "Share with" finds Bob, her fellow member, and not Alice', async () => {
    // (the demo's HELP lets customers find anyone in the project; issue 11 renamed the levels)
    await sam.getByRole('button', { name: /Customers may find and share requests with/ }).click();
    await sam.getByRole('option', { name: 'Their organizations and people already on the request' }).click();
    await sam.getByRole('status').filter({ hasText: 'their organizations and people already on the request' }).waitFor();

    expect(await carolsPortals()).toContain('Acme IT Help Center');
    await carol.getByRole('link', { name: 'Acme IT Help Center' }).click();
    await carol.getByRole('link', { name: /Get IT help/ }).click();
    await carol.getByRole('heading', { level: 1, name: 'Get IT help' }).waitFor();
    expect(await typeInPicker(carol, 'Share with', 'Alice')).toEqual([]);
    expect(await typeInPicker(carol, 'Share with', 'Bob')).toEqual(['Bob Builder']);
    expect(await offeredLabels(carol)).toEqual(['Bob Builder']);
    await screenshot(carol, 'organizations-share-with-fellow-members');
    await carol.keyboard.press('Escape');
    await carol.locator('h1').click();
    await carol.getByRole('listbox').waitFor({ state: 'hidden' });
  });

  it('Carol, a member of Initech, now raises a request in HELP', async () => {
    await carol.getByRole('heading', { level: 1, name: 'Get IT help' }).waitFor();
    await carol.getByRole('textbox', { name: 'Summary' }).fill('Initech badge reader is down');
    await carol.getByRole('button', { name: 'Send' }).click();
    await carol.waitForURL(/\/s\/acme\/servicedesk\/customer\/portal\/\d+\/HELP-\d+$/);
    await carol.getByRole('heading', { level: 1, name: 'Initech badge reader is down' }).waitFor();
    expect(await carol.getByTestId('reporter').innerText()).toBe('Carol Customer');
    // she may share it with her organization: Bob then reads it too
    await carol.getByRole('button', { name: 'Share with Initech' }).click();
    await carol.getByRole('list', { name: 'Organizations' }).getByText('Initech').waitFor();
    await screenshot(carol, 'organizations-request-shared');
  });

  it('removing Initech from HELP takes it away again', async () => {
    await sam.getByRole('button', { name: 'Remove Initech from HELP' }).click();
    await sam.getByRole('status').filter({ hasText: 'Initech removed from HELP' }).waitFor();
    await sam.getByText('No organization has been added to this project.').waitFor();
    expect(await carolsPortals()).toContain('There are no help centers you can use here yet.');
  });

  it('Ada finds Initech on the admin console\'s Customer organizations page', async () => {
    const ada = await newPage(browser, portico.url);
    await loginStaffUI(ada, portico.url, 'admin@acme.test');
    await ada.waitForURL(/\/admin/);
    const orgId = await ada.evaluate(async () => (await (await fetch('/api/auth/session')).json()).organizations[0].id as string);
    await ada.goto(`/admin/o/${orgId}/products/acme/organizations`);
    await ada.getByRole('heading', { level: 2, name: 'Customer organizations' }).waitFor();
    await ada.getByRole('table', { name: 'Customer organizations' }).getByText('Initech').waitFor();
    // an admin may delete; an agent is not offered it
    await ada.getByRole('button', { name: 'Delete Initech' }).waitFor();
    expect(await sam.getByRole('button', { name: 'Delete Initech' }).count()).toBe(0);
    await screenshot(ada, 'organizations-admin');
    await ada.context().close();
  });

  it("the site's organizations wait for the project's, so they do not move when the project's arrive late", async () => {
    // The project's list answers a second late (a busy server). The site's list used to show first
    // and then be pushed down 360 px by the project's, under the pointer of someone about to use it.
    const late = await answerLate(sam, '/s/acme/api/agent/projects/HELP/organizations');
    try {
      await sam.goto('/s/acme/jira/servicedesk/projects/HELP/organizations');
      const siteHeading = sam.getByRole('heading', { level: 2, name: 'All organizations of the site' });
      await siteHeading.waitFor();
      const shown = await siteHeading.boundingBox();
      await sam.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
      await sam.getByRole('table', { name: 'Organizations of IT Help' }).waitFor();
      expect(await siteHeading.boundingBox()).toEqual(shown);
    } finally {
      await late.stop();
    }
  });
});
